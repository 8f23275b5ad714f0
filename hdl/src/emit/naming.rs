//! Module naming and de-duplication.
//!
//! rust-hdl writes one module per instance, named by its path
//! (`top$neuron$17`). Here structurally identical modules are merged, bottom
//! up, and every module gets a stable, readable name from its field:
//! `<design>_<field>` (the last non-numeric path segment, so the 32 elements
//! of a `neuron: Vec<Lif>` field become one `<design>_neuron`). When two
//! different modules would share a name, the parent's field is prepended,
//! then a counter. The top becomes `<design>`.

use super::parse::Module;
use regex::{Captures, Regex};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Merges identical modules and renames all of them.
pub fn name_modules(modules: Vec<Module>, design: &str) -> Vec<Module> {
    let generated: BTreeSet<String> = modules
        .iter()
        .filter(|m| m.name == "top" || m.name.starts_with("top$"))
        .map(|m| m.name.clone())
        .collect();
    let mut order: Vec<&Module> = modules.iter().collect();
    // Deepest first, so children have final names before parents are compared.
    order.sort_by(|a, b| {
        depth(&b.name)
            .cmp(&depth(&a.name))
            .then(a.name.cmp(&b.name))
    });

    let mut final_name: BTreeMap<String, String> = BTreeMap::new();
    let mut by_shape: BTreeMap<String, String> = BTreeMap::new();
    let mut used: BTreeSet<String> = modules
        .iter()
        .filter(|m| !generated.contains(&m.name))
        .map(|m| m.name.clone())
        .collect();
    let mut kept: Vec<(String, String)> = Vec::new();

    for m in order {
        if !generated.contains(&m.name) {
            kept.push((m.name.clone(), m.text.clone()));
            continue;
        }
        let shape = retype_instances(&m.text, &final_name).replacen(&m.name, "@SELF@", 1);
        let shape = shape.replace(&format!("endmodule // {}", m.name), "endmodule");
        if let Some(existing) = by_shape.get(&shape) {
            final_name.insert(m.name.clone(), existing.clone());
            continue;
        }
        let name = if m.name == "top" {
            design.to_string()
        } else {
            pick_name(&m.name, design, &used)
        };
        used.insert(name.clone());
        by_shape.insert(shape.clone(), name.clone());
        final_name.insert(m.name.clone(), name.clone());
        let text = shape.replacen("@SELF@", &name, 1).replacen(
            "endmodule",
            &format!("endmodule // {name}"),
            1,
        );
        kept.push((name, text));
    }
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    kept.into_iter()
        .map(|(name, text)| Module { name, text })
        .collect()
}

fn depth(path: &str) -> usize {
    path.matches('$').count()
}

fn segments(path: &str) -> Vec<&str> {
    path.split('$')
        .skip(1)
        .filter(|s| !s.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

fn pick_name(path: &str, design: &str, used: &BTreeSet<String>) -> String {
    let segs = segments(path);
    for take in 1..=segs.len().max(1) {
        let tail = segs[segs.len().saturating_sub(take)..].join("_");
        let candidate = format!("{design}_{tail}");
        if !used.contains(&candidate) {
            return candidate;
        }
    }
    let base = format!("{design}_{}", segs.join("_"));
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !used.contains(c))
        .unwrap_or(base)
}

/// Replaces instance type names by their final names.
fn retype_instances(text: &str, names: &BTreeMap<String, String>) -> String {
    static INSTANCE: OnceLock<Regex> = OnceLock::new();
    let re = INSTANCE.get_or_init(|| Regex::new(r"(?m)^([ \t]*)(\S+)( \S+\($)").unwrap());
    re.replace_all(text, |c: &Captures| match names.get(&c[2]) {
        Some(n) => format!("{}{}{}", &c[1], n, &c[3]),
        None => c[0].to_string(),
    })
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::parse::split_modules;

    #[test]
    fn identical_instances_become_one_module() {
        let src = "module top(a);\n    top$cell$0 cell$0(\n    .a(a)\n    );\n    top$cell$1 cell$1(\n    .a(a)\n    );\nendmodule // top\n\nmodule top$cell$0(a);\n  input wire a;\nendmodule // top$cell$0\n\nmodule top$cell$1(a);\n  input wire a;\nendmodule // top$cell$1\n";
        let out = name_modules(split_modules(src), "d");
        let names: Vec<_> = out.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, vec!["d", "d_cell"]);
        assert_eq!(
            out[0].text.matches("d_cell cell$").count(),
            2,
            "{}",
            out[0].text
        );
        assert!(out[1].text.starts_with("module d_cell(a);"));
        assert!(out[1].text.contains("endmodule // d_cell"));
    }

    #[test]
    fn different_modules_with_same_field_get_distinct_names() {
        let src = "module top(a);\nendmodule // top\n\nmodule top$x$f(a);\n  input wire a;\nendmodule // top$x$f\n\nmodule top$y$f(a);\n  input wire [1:0] a;\nendmodule // top$y$f\n";
        let out = name_modules(split_modules(src), "d");
        let names: BTreeSet<_> = out.iter().map(|m| m.name.clone()).collect();
        assert!(names.contains("d_f"));
        assert!(
            names.contains("d_y_f") || names.contains("d_x_f"),
            "{names:?}"
        );
        assert_eq!(names.len(), 3);
    }
}
