//! Second-level constant indexes (`lane[a].probe_v[0]`).
//!
//! rust-hdl's code generator resolves only the first `[...]` of a
//! hierarchical name (`lane$0$probe_v[0]`), leaving the second as a bit
//! select of an identifier that does not exist, while the port it means is
//! declared as `lane$0$probe_v$0`. This pass rewrites `name[N]` to
//! `name$N` exactly when `name` is not declared in the module and `name$N`
//! is: such text cannot be a real bit select, so designs without nested
//! indexes are left byte for byte as they were. The inner index must be a
//! literal (a loop variable there is lost by rust-hdl before this pass).

use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// `text` with every `name[N]` whose `name$N` is declared (and `name` is
/// not) written as `name$N`.
pub fn resolve(text: &str, declared: &BTreeMap<String, u32>) -> String {
    static SEL: OnceLock<Regex> = OnceLock::new();
    let sel = SEL.get_or_init(|| Regex::new(r"([A-Za-z_][A-Za-z0-9_$]*)\[(\d+)\]").unwrap());
    sel.replace_all(text, |c: &regex::Captures| {
        let (name, index) = (&c[1], &c[2]);
        let flat = format!("{name}${index}");
        if !declared.contains_key(name) && declared.contains_key(&flat) {
            flat
        } else {
            c[0].to_string()
        }
    })
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_undeclared_names_with_a_declared_flat_form_change() {
        let declared: BTreeMap<String, u32> = [("lane$0$probe_v$0", 16), ("ctrl", 4)]
            .map(|(n, w)| (n.to_string(), w))
            .into();
        let text = "x = lane$0$probe_v[0]; y = ctrl[2]; z = other[1];";
        assert_eq!(
            resolve(text, &declared),
            "x = lane$0$probe_v$0; y = ctrl[2]; z = other[1];"
        );
    }
}
