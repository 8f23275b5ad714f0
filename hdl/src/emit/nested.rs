//! Flattens a literal index after a child's port: `lane$3$v_out[0]`.
//!
//! rust-hdl resolves only the first `[...]` of a path (`self.lane[a]`),
//! so `self.lane[a].v_out[0]` comes out as `lane$3$v_out[0]`, a bit select
//! of a net that does not exist, while the port is declared as
//! `lane$3$v_out$0`. Such a select is rewritten to the declared name, and
//! only when that name is declared and the selected name is not (a real
//! bit select of a declared net is left alone).

use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub fn flatten_child_indices(text: &str, widths: &BTreeMap<String, u32>) -> String {
    static SEL: OnceLock<Regex> = OnceLock::new();
    let sel = SEL.get_or_init(|| {
        Regex::new(r"([A-Za-z_][A-Za-z0-9_]*(?:\$[A-Za-z0-9_]+)+)\[(\d+)\]").unwrap()
    });
    sel.replace_all(text, |c: &regex::Captures| {
        let flat = format!("{}${}", &c[1], &c[2]);
        if widths.contains_key(&flat) && !widths.contains_key(&c[1]) {
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
    fn only_undeclared_selects_of_declared_ports_are_flattened() {
        let mut w = BTreeMap::new();
        w.insert("lane$3$v_out$0".to_string(), 16);
        w.insert("lane$3$code".to_string(), 12);
        assert_eq!(
            flatten_child_indices("x = lane$3$v_out[0]; y = lane$3$code[0];", &w),
            "x = lane$3$v_out$0; y = lane$3$code[0];"
        );
    }
}
