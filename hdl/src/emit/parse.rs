//! Splits rust-hdl's Verilog into modules and reads their declarations. The
//! input is always rust-hdl's own output (or a block's custom body), whose
//! layout is regular: one `module name(args);` header, one declaration per
//! line, `endmodule` on its own line.

use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One Verilog module as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    pub name: String,
    /// Everything from `module` to `endmodule` inclusive.
    pub text: String,
}

/// Splits a Verilog source into its modules, in order.
pub fn split_modules(source: &str) -> Vec<Module> {
    static HEADER: OnceLock<Regex> = OnceLock::new();
    let header = HEADER.get_or_init(|| Regex::new(r"(?m)^\s*module\s+([^\s(]+)\s*\(").unwrap());
    let mut modules = Vec::new();
    let mut rest = source;
    while let Some(m) = header.captures(rest) {
        let whole = m.get(0).unwrap();
        let name = m[1].to_string();
        let after = &rest[whole.start()..];
        let end = find_endmodule(after).unwrap_or(after.len());
        let text = after[..end].trim_start().to_string();
        modules.push(Module { name, text });
        rest = &after[end..];
    }
    modules
}

/// Byte offset just past the `endmodule` line (comment included).
fn find_endmodule(text: &str) -> Option<usize> {
    let pos = text.find("endmodule")?;
    let line_end = text[pos..].find('\n').map_or(text.len(), |n| pos + n + 1);
    Some(line_end)
}

/// Declared width of every net, port and localparam of a module.
pub fn declared_widths(module_text: &str) -> BTreeMap<String, u32> {
    static DECL: OnceLock<Regex> = OnceLock::new();
    static PARAM: OnceLock<Regex> = OnceLock::new();
    let decl = DECL.get_or_init(|| {
        Regex::new(
            r"(?m)^\s*(?:input|output|inout)?\s*(?:wire|reg)\s+(?:signed\s+)?(?:\[(\d+):0\]\s+)?([A-Za-z_][A-Za-z0-9_$]*)\s*;",
        )
        .unwrap()
    });
    let param = PARAM.get_or_init(|| {
        Regex::new(
            r"(?m)^\s*localparam\s+(?:signed\s+)?([A-Za-z_][A-Za-z0-9_$]*)\s*=\s*(\d+)'[hdb]",
        )
        .unwrap()
    });
    let mut widths = BTreeMap::new();
    for c in decl.captures_iter(module_text) {
        let width = c
            .get(1)
            .map_or(1, |m| m.as_str().parse::<u32>().unwrap_or(0) + 1);
        widths.insert(c[2].to_string(), width);
    }
    for c in param.captures_iter(module_text) {
        widths.insert(c[1].to_string(), c[2].parse().unwrap_or(32));
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "\n\nmodule top(a,b);\n    input wire  [7:0] a;\n    output reg  b;\n    wire  [15:0] x$q;\n    localparam  k = 8'h3;\nendmodule // top\n\n\nmodule top$x(q);\n  output reg q;\nendmodule // top$x\n";

    #[test]
    fn splits_modules() {
        let m = split_modules(SRC);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].name, "top");
        assert_eq!(m[1].name, "top$x");
        assert!(m[0].text.ends_with("endmodule // top\n"));
        assert!(m[1].text.starts_with("module top$x(q);"));
    }

    #[test]
    fn reads_widths() {
        let w = declared_widths(&split_modules(SRC)[0].text);
        assert_eq!(w["a"], 8);
        assert_eq!(w["b"], 1);
        assert_eq!(w["x$q"], 16);
        assert_eq!(w["k"], 8);
    }
}
