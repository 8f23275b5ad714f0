//! Removes `$` from identifiers.
//!
//! rust-hdl joins hierarchy with `$` (`front$ack_r$q`). That is legal
//! Verilog but upsets parts of ASIC flows (Tcl, SDC, LEF/DEF tools), so every
//! `$` becomes [`SEPARATOR`]. The renaming is checked to be collision-free:
//! two different identifiers of a module may not become the same name.

use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What replaces rust-hdl's `$` hierarchy separator.
pub const SEPARATOR: &str = "__";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("renaming `{first}` and `{second}` in module `{module}` would both give `{renamed}`")]
pub struct Collision {
    pub module: String,
    pub first: String,
    pub second: String,
    pub renamed: String,
}

/// Renames every identifier of one module's text.
pub fn dollar_free(module: &str, text: &str) -> Result<String, Collision> {
    static IDENT: OnceLock<Regex> = OnceLock::new();
    let ident = IDENT.get_or_init(|| Regex::new(r"[A-Za-z_][A-Za-z0-9_$]*").unwrap());
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for m in ident.find_iter(text) {
        let original = m.as_str();
        let renamed = original.replace('$', SEPARATOR);
        match seen.get(&renamed) {
            Some(first) if first != original => {
                return Err(Collision {
                    module: module.to_string(),
                    first: first.clone(),
                    second: original.to_string(),
                    renamed,
                })
            }
            Some(_) => {}
            None => {
                seen.insert(renamed, original.to_string());
            }
        }
    }
    Ok(text.replace('$', SEPARATOR))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_separators() {
        assert_eq!(dollar_free("m", "a$b = c$d$e;").unwrap(), "a__b = c__d__e;");
    }

    #[test]
    fn detects_collisions() {
        let err = dollar_free("m", "a$b = a__b;").unwrap_err();
        assert_eq!(err.renamed, "a__b");
    }
}
