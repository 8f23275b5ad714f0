//! Combinational blocks that every event-driven simulator runs the same.
//!
//! rust-hdl writes a block's update code as one `always @(*)` that assigns a
//! signal as often as the Rust code does (`push = 0; if (..) push = 1;`).
//! Cycle-based simulators (Verilator) only see the final value; event-driven
//! ones (Icarus, Questa, Xcelium, VCS) see every transient write, and two
//! blocks whose transient writes wake each other (a FIFO's `head` read by its
//! parent, the parent's `push` read by the FIFO) can livelock. rust-hdl also
//! forwards clocks and resets through the same block (`fifo$clock = clock;`),
//! a delta-cycle race between the clock edge and the data, and drives
//! constants from it, which an `always @(*)` never evaluates at time zero.
//!
//! [`settle`] rewrites each module so that:
//! - an assignment that is unconditional, the only one of its signal, and
//!   reads nothing the block drives becomes a continuous `assign` of a wire
//!   (clock and reset forwarding, constants, plain copies of inputs);
//! - a signal assigned more than once is computed in a block-private
//!   temporary `<sig>__c` and assigned exactly once, at the end of the block.
//!
//! [`check`] is the matching lint rule for any Verilog module (hand-written
//! ones too): it refuses a combinational block whose multiply-assigned
//! signal is visible outside the block, and a clock or reset driven from an
//! `always` block.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Suffix of the block-private temporaries.
pub const TEMP_SUFFIX: &str = "__c";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CombError {
    #[error("module `{module}`: temporary `{name}` would collide with an existing name")]
    Collision { module: String, name: String },
    #[error("module `{module}`: no declared width for `{name}`")]
    Width { module: String, name: String },
    #[error("module `{module}`: unbalanced begin/end in the combinational block")]
    Unbalanced { module: String },
}

fn ident_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"[A-Za-z_][A-Za-z0-9_$]*").unwrap())
}

/// Identifiers read by an expression (sized-literal bases like `8'h1f` are
/// skipped).
fn idents(expr: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for m in ident_re().find_iter(expr) {
        let before = expr[..m.start()].chars().last();
        if matches!(before, Some('\'') | Some('0'..='9')) {
            continue;
        }
        out.insert(m.as_str().to_string());
    }
    out
}

/// Replaces whole-identifier occurrences of `from` by `to`.
fn replace_ident(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut last = 0;
    for m in ident_re().find_iter(text) {
        if m.as_str() == from {
            out.push_str(&text[last..m.start()]);
            out.push_str(to);
            last = m.end();
        }
    }
    out.push_str(&text[last..]);
    out
}

fn begins(line: &str) -> usize {
    ident_re()
        .find_iter(&strip_comment(line))
        .filter(|m| m.as_str() == "begin")
        .count()
}

fn ends(line: &str) -> usize {
    ident_re()
        .find_iter(&strip_comment(line))
        .filter(|m| m.as_str() == "end")
        .count()
}

fn strip_comment(line: &str) -> String {
    match line.find("//") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}

/// `lhs = rhs;` on one line (blocking, whole signal).
fn assignment(line: &str) -> Option<(String, String)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"^\s*([A-Za-z_][A-Za-z0-9_$]*)\s*=\s*(.*);\s*$").unwrap());
    let c = r.captures(line)?;
    if c[2].starts_with('=') {
        return None;
    }
    Some((c[1].to_string(), c[2].to_string()))
}

/// Rewrites the `always @(*)` blocks of one module (see the module docs).
pub fn settle(module: &str, text: &str) -> Result<String, CombError> {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut search = 0;
    while let Some(start) = (search..lines.len()).find(|&i| lines[i].trim() == "always @(*) begin")
    {
        let mut depth = 1usize;
        let mut end = None;
        for (i, line) in lines.iter().enumerate().skip(start + 1) {
            let e = ends(line);
            if e > depth {
                return Err(CombError::Unbalanced {
                    module: module.into(),
                });
            }
            depth = depth - e + begins(line);
            if depth == 0 {
                end = Some(i);
                break;
            }
        }
        let end = end.ok_or_else(|| CombError::Unbalanced {
            module: module.into(),
        })?;
        let (new_lines, next) = settle_block(module, &lines, start, end)?;
        lines = new_lines;
        search = next;
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// Rewrites the block `lines[start..=end]`; returns the new lines and the
/// index to continue searching from.
fn settle_block(
    module: &str,
    lines: &[String],
    start: usize,
    end: usize,
) -> Result<(Vec<String>, usize), CombError> {
    // (line index, lhs, rhs, depth)
    let mut stmts = Vec::new();
    let mut depth = 0usize;
    for (i, line) in lines.iter().enumerate().take(end).skip(start + 1) {
        depth -= ends(line).min(depth);
        if let Some((lhs, rhs)) = assignment(line) {
            stmts.push((i, lhs, rhs, depth));
        }
        depth += begins(line);
    }
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, lhs, _, _) in &stmts {
        *count.entry(lhs.as_str()).or_default() += 1;
    }
    let driven: BTreeSet<&str> = count.keys().copied().collect();
    let hoisted: Vec<&(usize, String, String, usize)> = stmts
        .iter()
        .filter(|(_, lhs, rhs, d)| {
            *d == 0
                && count[lhs.as_str()] == 1
                && idents(rhs).iter().all(|n| !driven.contains(n.as_str()))
        })
        .collect();
    let hoisted_lines: BTreeSet<usize> = hoisted.iter().map(|s| s.0).collect();
    let hoisted_names: BTreeSet<&str> = hoisted.iter().map(|s| s.1.as_str()).collect();
    // Signals read or connected outside the block (declarations aside): a
    // multiply-assigned signal that is not is already block-private.
    let outside = lines[..start]
        .iter()
        .chain(&lines[end + 1..])
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n");
    let visible = idents(&strip_decls(&outside));
    let mut temps: Vec<&str> = Vec::new();
    for (_, lhs, _, _) in &stmts {
        if count[lhs.as_str()] > 1
            && visible.contains(lhs.as_str())
            && !temps.contains(&lhs.as_str())
        {
            temps.push(lhs);
        }
    }
    let whole = lines.join("\n");
    let known = idents(&whole);
    let widths = super::parse::declared_widths(&whole);
    let mut temp_decls = Vec::new();
    for t in &temps {
        let name = format!("{t}{TEMP_SUFFIX}");
        if known.contains(&name) {
            return Err(CombError::Collision {
                module: module.into(),
                name,
            });
        }
        let w = *widths.get(*t).ok_or_else(|| CombError::Width {
            module: module.into(),
            name: t.to_string(),
        })?;
        temp_decls.push(if w == 1 {
            format!("    reg  {name};")
        } else {
            format!("    reg  [{}:0] {name};", w - 1)
        });
    }

    let indent: String = lines[start]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let mut body = Vec::new();
    for (i, line) in lines.iter().enumerate().take(end).skip(start + 1) {
        if hoisted_lines.contains(&i) {
            continue;
        }
        let mut l = line.clone();
        for t in &temps {
            l = replace_ident(&l, t, &format!("{t}{TEMP_SUFFIX}"));
        }
        body.push(l);
    }
    for t in &temps {
        body.push(format!("{indent}    {t} = {t}{TEMP_SUFFIX};"));
    }

    let mut out: Vec<String> = Vec::with_capacity(lines.len() + temps.len() * 2);
    // Declarations before the block: hoisted signals become wires.
    for line in &lines[..start] {
        out.push(match declared_reg(line) {
            Some(name) if hoisted_names.contains(name.as_str()) => line.replacen("reg", "wire", 1),
            _ => line.clone(),
        });
    }
    // The block's header comment (`// Update code`) stays with the block.
    let header = if out.last().is_some_and(|l| l.trim().starts_with("//")) {
        out.pop()
    } else {
        None
    };
    if !temp_decls.is_empty() {
        out.push(format!(
            "{indent}// Temporaries: each signal of the block below is assigned once per evaluation"
        ));
        out.extend(temp_decls);
        out.push(String::new());
    }
    if !hoisted.is_empty() {
        out.push(format!("{indent}// Continuous assignments"));
        for (_, lhs, rhs, _) in &hoisted {
            out.push(format!("{indent}assign {lhs} = {rhs};"));
        }
        out.push(String::new());
    }
    let has_statements = body.iter().any(|l| !l.trim().is_empty());
    if has_statements {
        out.extend(header);
        out.push(lines[start].clone());
        out.extend(body);
        out.push(lines[end].clone());
    }
    let next = out.len();
    out.extend(lines[end + 1..].iter().cloned());
    Ok((out, next))
}

/// The name declared by a `reg` declaration line, if it is one.
fn declared_reg(line: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(
            r"^\s*(?:output\s+)?reg\s+(?:signed\s+)?(?:\[\d+:0\]\s+)?([A-Za-z_][A-Za-z0-9_$]*)\s*;",
        )
        .unwrap()
    });
    r.captures(line).map(|c| c[1].to_string())
}

/// One problem [`check`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hazard {
    pub module: String,
    pub signal: String,
    pub what: String,
}

impl std::fmt::Display for Hazard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "module `{}`, signal `{}`: {}",
            self.module, self.signal, self.what
        )
    }
}

/// Verilog text without comments.
fn uncomment(text: &str) -> String {
    static BLOCK: OnceLock<Regex> = OnceLock::new();
    static LINE: OnceLock<Regex> = OnceLock::new();
    let block = BLOCK.get_or_init(|| Regex::new(r"(?s)/\*.*?\*/").unwrap());
    let line = LINE.get_or_init(|| Regex::new(r"//[^\n]*").unwrap());
    line.replace_all(&block.replace_all(text, " "), "")
        .into_owned()
}

/// The event-driven-simulation lint rule over Verilog source (any number of
/// modules): in every combinational `always @(*)`/`always @*` block, a
/// signal assigned more than once must be private to the block (read and
/// connected nowhere else), and no clock or reset (a signal in a
/// `posedge`/`negedge` event, or connected to an instance port whose name
/// says clock or reset) may be assigned in any `always` block.
pub fn check(source: &str) -> Vec<Hazard> {
    static MODULE: OnceLock<Regex> = OnceLock::new();
    static ALWAYS: OnceLock<Regex> = OnceLock::new();
    static ASSIGN: OnceLock<Regex> = OnceLock::new();
    static EDGE: OnceLock<Regex> = OnceLock::new();
    static CONN: OnceLock<Regex> = OnceLock::new();
    let module_re = MODULE.get_or_init(|| {
        Regex::new(r"(?s)\bmodule\s+([A-Za-z_][A-Za-z0-9_$]*)(.*?)\bendmodule\b").unwrap()
    });
    let always_re =
        ALWAYS.get_or_init(|| Regex::new(r"\balways\s*@\s*(\(\s*\*\s*\)|\*|\()").unwrap());
    let assign_re = ASSIGN.get_or_init(|| {
        Regex::new(r"(?:^|[;\s()])([A-Za-z_][A-Za-z0-9_$]*)\s*(?:\[[^\]]*\])?\s*(<?)=([^=]|$)")
            .unwrap()
    });
    let edge_re = EDGE
        .get_or_init(|| Regex::new(r"\b(?:posedge|negedge)\s+([A-Za-z_][A-Za-z0-9_$]*)").unwrap());
    let conn_re = CONN.get_or_init(|| {
        Regex::new(r"\.([A-Za-z_][A-Za-z0-9_$]*)\s*\(\s*([A-Za-z_][A-Za-z0-9_$]*)\s*\)").unwrap()
    });
    let source = uncomment(source);
    let mut hazards = Vec::new();
    for m in module_re.captures_iter(&source) {
        let name = m[1].to_string();
        let body = m.get(2).unwrap().as_str();
        let mut clocks: BTreeSet<String> = edge_re
            .captures_iter(body)
            .map(|c| c[1].to_string())
            .collect();
        for c in conn_re.captures_iter(body) {
            let formal = c[1].to_ascii_lowercase();
            if ["clk", "clock", "rst", "reset", "arst"]
                .iter()
                .any(|k| formal.contains(k))
            {
                clocks.insert(c[2].to_string());
            }
        }
        // Every `always` block: (span, combinational?)
        let mut blocks = Vec::new();
        for a in always_re.captures_iter(body) {
            let whole = a.get(0).unwrap();
            let comb = &a[1] != "(";
            let after = whole.end();
            // Skip an event list `(...)` if the block has one.
            let mut pos = after;
            if &a[1] == "(" {
                let mut depth = 1;
                for (i, ch) in body[after..].char_indices() {
                    match ch {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                pos = after + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            let span_end = statement_end(body, pos);
            blocks.push((whole.start(), span_end, comb));
        }
        for &(s, e, comb) in &blocks {
            let text = &body[s..e];
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for c in assign_re.captures_iter(text) {
                let sig = c[1].to_string();
                if matches!(sig.as_str(), "if" | "else" | "begin" | "end" | "case") {
                    continue;
                }
                if clocks.contains(&sig) && (comb || c[2].is_empty()) {
                    hazards.push(Hazard {
                        module: name.clone(),
                        signal: sig.clone(),
                        what: "a clock or reset is driven from an always block (use a wire: a port connection or an `assign`)".into(),
                    });
                }
                if comb && c[2].is_empty() {
                    *counts.entry(sig).or_default() += 1;
                }
            }
            let outside = format!("{}{}", &body[..s], &body[e..]);
            let outside_ids = idents(&strip_decls(&outside));
            for (sig, n) in counts {
                if n > 1 && outside_ids.contains(&sig) {
                    hazards.push(Hazard {
                        module: name.clone(),
                        signal: sig,
                        what: format!(
                            "assigned {n} times in one always @(*) evaluation and visible outside the block (transient values wake other processes; compute it in a block-private temporary and assign it once)"
                        ),
                    });
                }
            }
        }
        hazards.dedup();
    }
    hazards
}

/// Removes declaration statements (`reg`, `wire`, port directions), which
/// mention a signal without reading it.
/// Also removes the formal names of instance port connections
/// (`.push(` in `.push(f__push)`), which name the child's port.
fn strip_decls(text: &str) -> String {
    static R: OnceLock<Regex> = OnceLock::new();
    static FORMAL: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(r"\b(?:input|output|inout|wire|reg|logic|localparam|parameter)\b[^;]*;").unwrap()
    });
    let formal = FORMAL.get_or_init(|| Regex::new(r"\.\s*[A-Za-z_][A-Za-z0-9_$]*\s*\(").unwrap());
    let text = r.replace_all(text, "");
    formal.replace_all(&text, "(").into_owned()
}

/// End (exclusive) of the statement starting at `pos`: a `begin ... end`
/// block or one statement up to `;`.
fn statement_end(body: &str, pos: usize) -> usize {
    let rest = &body[pos..];
    let trimmed = rest.trim_start();
    let offset = pos + (rest.len() - trimmed.len());
    if trimmed.starts_with("begin") {
        let mut depth = 0usize;
        for m in ident_re().find_iter(trimmed) {
            match m.as_str() {
                "begin" | "case" | "casez" | "casex" => depth += 1,
                "end" | "endcase" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return offset + m.end();
                    }
                }
                _ => {}
            }
        }
        body.len()
    } else {
        trimmed.find(';').map_or(body.len(), |i| offset + i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIFO_PARENT: &str = "module p(clock,a,b);
    input wire  clock;
    input wire  a;
    output reg  b;

    // Stub signals
    reg  f__clock;
    reg  f__push;
    wire  [7:0] f__head;
    reg  [7:0] x;

    // Sub module instances
    f f(
        .clock(f__clock),
        .push(f__push),
        .head(f__head)
    );

    // Update code
    always @(*) begin
        f__clock = clock;
        f__push = 1'b0;
        if (a) begin
            f__push = 1'b1;
        end
        x = f__head;
        b = x[0];
    end

endmodule // p
";

    #[test]
    fn forwards_clocks_as_wires_and_assigns_once() {
        assert_eq!(check(FIFO_PARENT).len(), 2, "{:?}", check(FIFO_PARENT));
        let t = settle("p", FIFO_PARENT).unwrap();
        assert!(t.contains("    wire  f__clock;"), "{t}");
        assert!(t.contains("assign f__clock = clock;"), "{t}");
        assert!(t.contains("assign x = f__head;"), "{t}");
        assert!(t.contains("    reg  f__push__c;"), "{t}");
        assert!(t.contains("f__push__c = 1'b0;"), "{t}");
        assert!(t.contains("f__push = f__push__c;"), "{t}");
        // `b` reads `x`, which the block drives: it stays in the block.
        assert!(t.contains("        b = x[0];"), "{t}");
        assert_eq!(check(&t), vec![], "{t}");
    }

    #[test]
    fn constant_only_blocks_disappear() {
        let src = "module k(q);\n    output reg  [3:0] q;\n\n    // Update code\n    always @(*) begin\n        q = 4'h3;\n    end\n\nendmodule // k\n";
        let t = settle("k", src).unwrap();
        assert!(!t.contains("always"), "{t}");
        assert!(t.contains("output wire  [3:0] q;"), "{t}");
        assert!(t.contains("assign q = 4'h3;"), "{t}");
    }

    #[test]
    fn private_temporaries_pass_the_check() {
        let src = "module m(a, y);
  input a; output reg y; reg t;
  always @* begin t = 1'b0; if (a) t = 1'b1; y = t; end
endmodule";
        assert_eq!(check(src), vec![]);
        let bad = "module m(a, y);
  input a; output reg y;
  always @* begin y = 1'b0; if (a) y = 1'b1; end
endmodule";
        let h = check(bad);
        assert_eq!(h.len(), 1, "{h:?}");
        assert_eq!(h[0].signal, "y");
    }

    #[test]
    fn clocks_from_always_blocks_are_refused() {
        let src = "module m(clk, q);
  input clk; output reg q; reg c2;
  always @(*) c2 = clk;
  always @(posedge c2) q <= ~q;
endmodule";
        let h = check(src);
        assert_eq!(h.len(), 1, "{h:?}");
        assert_eq!(h[0].signal, "c2");
    }
}
