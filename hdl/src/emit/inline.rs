//! Inlines `Reg` flip-flops into their parents.
//!
//! rust-hdl makes a module of every block, so each flip-flop would be its own
//! module (and, with its reset value baked in, hundreds of near-identical
//! ones). Every module marked with [`crate::reg::MARKER`] is replaced, at each
//! instance, by its `always` block with the ports renamed to the nets they
//! were connected to; the net that received `q` becomes a `reg`. Names in
//! the body starting with [`LOCAL`] (a gated register's gated clock and
//! clock gate) become `<instance>$<rest>`.

use super::parse::Module;
use crate::gated_reg::LOCAL;
use crate::reg::MARKER;
use regex::{Captures, Regex};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Removes every marked module and inlines it wherever it was instantiated.
pub fn inline_regs(modules: Vec<Module>) -> Vec<Module> {
    let bodies: BTreeMap<String, String> = modules
        .iter()
        .filter_map(|m| reg_body(&m.text).map(|b| (m.name.clone(), b)))
        .collect();
    modules
        .into_iter()
        .filter(|m| !bodies.contains_key(&m.name))
        .map(|m| Module {
            text: inline_instances(&m.text, &bodies),
            name: m.name,
        })
        .collect()
}

/// The behavioral body of a marked module (after the marker).
fn reg_body(text: &str) -> Option<String> {
    let start = text.find(MARKER)? + MARKER.len();
    let end = text.find("endmodule")?;
    Some(dedent(text[start..end].trim_matches('\n')))
}

/// Removes the common leading indentation of non-blank lines.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn inline_instances(text: &str, bodies: &BTreeMap<String, String>) -> String {
    static INSTANCE: OnceLock<Regex> = OnceLock::new();
    static PORT: OnceLock<Regex> = OnceLock::new();
    let instance = INSTANCE
        .get_or_init(|| Regex::new(r"(?ms)^([ \t]*)(\S+) (\S+)\(\n(.*?)\n[ \t]*\);\n").unwrap());
    let port = PORT.get_or_init(|| Regex::new(r"\.(\w+)\(([^)]*)\)").unwrap());
    let mut q_nets = Vec::new();
    let mut control_nets = Vec::new();
    let out = instance.replace_all(text, |c: &Captures| {
        let Some(body) = bodies.get(&c[2]) else {
            return c[0].to_string();
        };
        let indent = &c[1];
        let conns: BTreeMap<String, String> = port
            .captures_iter(&c[4])
            .map(|p| (p[1].to_string(), p[2].trim().to_string()))
            .collect();
        if let Some(q) = conns.get("q") {
            q_nets.push(q.clone());
        }
        control_nets.extend(
            ["clock", "rst_n"]
                .iter()
                .filter_map(|p| conns.get(*p).cloned()),
        );
        // Instance-private nets and instances (a gated register's clock
        // gate) get the instance's name.
        let renamed = rename_ports(body, &conns).replace(LOCAL, &format!("{}$", &c[3]));
        let mut block = format!("{indent}// flip-flop {}\n", &c[3]);
        for line in renamed.lines() {
            block.push_str(&format!("{indent}{line}\n"));
        }
        block
    });
    let mut out = make_regs(&out, &q_nets);
    control_nets.sort();
    control_nets.dedup();
    for net in control_nets {
        out = collapse_alias(&out, &net);
    }
    out
}

/// Replaces a stub that is only a copy of another net (`x$clock = clock;`)
/// by that net, so flip-flops are clocked and reset by the real signals
/// rather than by combinational copies.
fn collapse_alias(text: &str, net: &str) -> String {
    static IDENT: OnceLock<Regex> = OnceLock::new();
    let ident = IDENT.get_or_init(|| Regex::new(r"[A-Za-z_][A-Za-z0-9_$]*").unwrap());
    let escaped = regex::escape(net);
    let Ok(copy) = Regex::new(&format!(
        r"(?m)^[ \t]*{escaped} = ([A-Za-z_][A-Za-z0-9_$]*);\n"
    )) else {
        return text.to_string();
    };
    let Ok(decl) = Regex::new(&format!(r"(?m)^[ \t]*reg[ \t]+{escaped};\n")) else {
        return text.to_string();
    };
    let copies: Vec<String> = copy.captures_iter(text).map(|c| c[1].to_string()).collect();
    let writes =
        text.matches(&format!("{net} =")).count() + text.matches(&format!("{net} <=")).count();
    if copies.len() != 1 || writes != 1 || decl.find_iter(text).count() != 1 {
        return text.to_string();
    }
    let source = &copies[0];
    let text = copy.replace(text, "");
    let text = decl.replace(&text, "");
    ident
        .replace_all(&text, |c: &Captures| {
            if &c[0] == net {
                source.clone()
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// Renames whole-word port names in `body` to the connected nets.
fn rename_ports(body: &str, conns: &BTreeMap<String, String>) -> String {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let word = WORD.get_or_init(|| Regex::new(r"[A-Za-z_][A-Za-z0-9_$]*").unwrap());
    word.replace_all(body, |c: &Captures| {
        conns
            .get(&c[0])
            .cloned()
            .unwrap_or_else(|| c[0].to_string())
    })
    .into_owned()
}

/// Turns the first declaration of each of `nets` from a `wire` into a
/// `reg`, in one pass over `text` with one regex (a regex per net made the
/// generation of a large design quadratic: the 4x4 AER mesh took 6.6 s).
fn make_regs(text: &str, nets: &[String]) -> String {
    static DECL: OnceLock<Regex> = OnceLock::new();
    let decl = DECL.get_or_init(|| {
        Regex::new(
            r"(?m)^(\s*(?:output\s+)?)wire(\s+(?:signed\s+)?(?:\[\d+:0\]\s+)?)([A-Za-z_][A-Za-z0-9_$]*)(\s*;)",
        )
        .unwrap()
    });
    let mut todo: std::collections::HashSet<&str> = nets.iter().map(String::as_str).collect();
    if todo.is_empty() {
        return text.to_string();
    }
    decl.replace_all(text, |c: &Captures| {
        if todo.remove(&c[3]) {
            format!("{}reg{}{}{}", &c[1], &c[2], &c[3], &c[4])
        } else {
            c[0].to_string()
        }
    })
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::parse::split_modules;

    #[test]
    fn inlines_a_marked_module() {
        let src = format!(
            "module top(clock,o);\n    input wire clock;\n    output reg [3:0] o;\n    wire  [3:0] r$q;\n    reg  [3:0] r$d;\n    top$r r(\n        .clock(clock),\n        .d(r$d),\n        .q(r$q)\n    );\n    always @(*) begin\n        r$d = r$q;\n        o = r$q;\n    end\nendmodule // top\n\nmodule top$r(clock,d,q);\n    input wire clock;\n    input wire [3:0] d;\n    output reg [3:0] q;\n    // {MARKER}\n    always @(posedge clock) q <= d;\nendmodule // top$r\n"
        );
        let out = inline_regs(split_modules(&src));
        assert_eq!(out.len(), 1);
        let t = &out[0].text;
        assert!(t.contains("always @(posedge clock) r$q <= r$d;"), "{t}");
        assert!(!t.contains("r$clock"), "{t}");
        assert!(t.contains("reg  [3:0] r$q;"), "{t}");
        assert!(!t.contains("top$r r("), "{t}");
    }

    #[test]
    fn local_names_get_the_instance_name() {
        let src = format!(
            "module top(clock,e,o);\n    input wire clock;\n    input wire e;\n    output reg o;\n    reg  r$d;\n    reg  r$en;\n    wire  r$q;\n    top$r r(\n        .clock(clock),\n        .en(r$en),\n        .d(r$d),\n        .q(r$q)\n    );\n    always @(*) begin\n        r$en = e;\n        r$d = ~r$q;\n        o = r$q;\n    end\nendmodule // top\n\nmodule top$r(clock,en,d,q);\n    input wire clock;\n    input wire en;\n    input wire d;\n    output reg q;\n    // {MARKER}\n    wire {LOCAL}gclk;\n    g {LOCAL}icg(.clk(clock), .gate(en), .gclk({LOCAL}gclk));\n    always @(posedge {LOCAL}gclk) q <= d;\nendmodule // top$r\n"
        );
        let t = &inline_regs(split_modules(&src))[0].text;
        assert!(t.contains("wire r$gclk;"), "{t}");
        assert!(
            t.contains("g r$icg(.clk(clock), .gate(r$en), .gclk(r$gclk));"),
            "{t}"
        );
        assert!(t.contains("always @(posedge r$gclk) r$q <= r$d;"), "{t}");
        assert!(!t.contains(LOCAL), "{t}");
    }

    #[test]
    fn clock_copies_are_collapsed() {
        let src = format!(
            "module top(clock,o);\n    input wire clock;\n    output reg o;\n    reg  r$clock;\n    reg  r$d;\n    wire  r$q;\n    top$r r(\n        .clock(r$clock),\n        .d(r$d),\n        .q(r$q)\n    );\n    always @(*) begin\n        r$clock = clock;\n        r$d = ~r$q;\n        o = r$q;\n    end\nendmodule // top\n\nmodule top$r(clock,d,q);\n    input wire clock;\n    input wire d;\n    output reg q;\n    // {MARKER}\n    always @(posedge clock) q <= d;\nendmodule // top$r\n"
        );
        let t = &inline_regs(split_modules(&src))[0].text;
        assert!(t.contains("always @(posedge clock) r$q <= r$d;"), "{t}");
        assert!(!t.contains("r$clock"), "{t}");
        assert!(t.contains("reg  r$q;"), "{t}");
    }
}
