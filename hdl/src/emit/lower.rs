//! Rewrites rust-hdl's width casts into width-exact Verilog.
//!
//! rust-hdl renders `bit_cast::<N, M>(x)` and `bits::<N>(v)` as
//! `((x) & N'hMASK)`, whose width is the wider of the two operands, and
//! integer literals as 32-bit constants. Verilator `-Wall` rightly reports
//! both as WIDTH problems. With the declared width of `x` known, the cast
//! becomes an exact part-select or zero-extension, and a cast literal
//! becomes a sized literal.

use regex::{Captures, Regex};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A cast this pass cannot make width-exact.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("cast of `{expr}` to {bits} bits cannot be lowered; cast a signal or a literal instead")]
pub struct LowerError {
    pub expr: String,
    pub bits: u32,
}

/// Lowers every cast in one module; `widths` are its declarations.
pub fn lower_casts(text: &str, widths: &BTreeMap<String, u32>) -> Result<String, LowerError> {
    static LIT: OnceLock<Regex> = OnceLock::new();
    static SIG: OnceLock<Regex> = OnceLock::new();
    static ASSIGN: OnceLock<Regex> = OnceLock::new();
    let lit = LIT.get_or_init(|| {
        Regex::new(r"\(\(\d+'h([0-9a-fA-F_]+)\) & (\d+)'h[0-9a-fA-F_]+\)").unwrap()
    });
    let sig = SIG.get_or_init(|| {
        Regex::new(r"\(\(([A-Za-z_][A-Za-z0-9_$]*)\) & (\d+)'h[0-9a-fA-F_]+\)").unwrap()
    });
    let assign = ASSIGN.get_or_init(|| {
        Regex::new(r"(?m)^(\s*)([A-Za-z_][A-Za-z0-9_$]*) = 32'h([0-9a-fA-F_]+);").unwrap()
    });

    let text = lit.replace_all(text, |c: &Captures| {
        let bits: u32 = c[2].parse().unwrap_or(32);
        let value = u128::from_str_radix(&c[1].replace('_', ""), 16).unwrap_or(0);
        let masked = if bits >= 128 {
            value
        } else {
            value & ((1u128 << bits) - 1)
        };
        format!("{bits}'h{masked:x}")
    });

    let mut failure = None;
    let text = sig.replace_all(&text, |c: &Captures| {
        let name = &c[1];
        let bits: u32 = c[2].parse().unwrap_or(32);
        match widths.get(name) {
            Some(&w) if w == bits => name.to_string(),
            Some(&w) if w > bits && bits == 1 => format!("{name}[0]"),
            Some(&w) if w > bits => format!("{name}[{}:0]", bits - 1),
            Some(&w) => format!("{{{}'d0, {name}}}", bits - w),
            None => {
                failure.get_or_insert(LowerError {
                    expr: name.to_string(),
                    bits,
                });
                c[0].to_string()
            }
        }
    });
    if let Some(err) = failure {
        return Err(err);
    }

    // Plain `x = 32'hV;` on a narrower `x` (from `0.into()` and friends).
    let text = assign.replace_all(&text, |c: &Captures| match widths.get(&c[2]) {
        Some(&w) if w != 32 => {
            let value = u64::from_str_radix(&c[3].replace('_', ""), 16).unwrap_or(0);
            let masked = if w >= 64 {
                value
            } else {
                value & ((1u64 << w) - 1)
            };
            format!("{}{} = {w}'h{masked:x};", &c[1], &c[2])
        }
        _ => c[0].to_string(),
    });
    Ok(text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths() -> BTreeMap<String, u32> {
        [
            ("a".to_string(), 32),
            ("b".to_string(), 8),
            ("c$q".to_string(), 1),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn literal_casts_become_sized_literals() {
        let out = lower_casts("x = y + ((32'h1) & 8'hff);", &widths()).unwrap();
        assert_eq!(out, "x = y + 8'h1;");
    }

    #[test]
    fn signal_casts_become_exact() {
        let w = widths();
        assert_eq!(lower_casts("((a) & 8'hff)", &w).unwrap(), "a[7:0]");
        assert_eq!(lower_casts("((a) & 1'h1)", &w).unwrap(), "a[0]");
        assert_eq!(
            lower_casts("((b) & 32'hffffffff)", &w).unwrap(),
            "{24'd0, b}"
        );
        assert_eq!(lower_casts("((b) & 8'hff)", &w).unwrap(), "b");
        assert_eq!(lower_casts("((c$q) & 4'hf)", &w).unwrap(), "{3'd0, c$q}");
    }

    #[test]
    fn unknown_signal_is_an_error() {
        assert!(lower_casts("((zz) & 8'hff)", &widths()).is_err());
    }

    #[test]
    fn narrow_literal_assignments_are_sized() {
        let out = lower_casts("    b = 32'h0;\n    a = 32'h0;\n", &widths()).unwrap();
        assert_eq!(out, "    b = 8'h0;\n    a = 32'h0;\n");
    }
}
