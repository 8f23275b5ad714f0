//! The four lint gates every generated design must pass:
//! Verilator `--lint-only -Wall` (zero warnings), Icarus Verilog
//! `-g2005` (compiles), Yosys `hierarchy -check; proc; check -assert`
//! (no latches, no undriven or multiply-driven nets), and memforge's own
//! event-driven rule ([`event_driven`]: no signal visible outside an
//! `always @(*)` block is assigned twice in it, no clock or reset is driven
//! from an `always` block), which the three tools do not check and which
//! makes event-driven simulators (Icarus, Questa, Xcelium, VCS) livelock or
//! race.

pub use crate::flows::design_dir::DesignDir;
use crate::outcome::CheckFailed;
use crate::tools::{find, run_timeout, Found, Tool, RUN_TIMEOUT};
use anyhow::{Context, Result};
use serde::Serialize;
use std::process::Command;

/// What one linter said.
#[derive(Clone, Debug, Serialize)]
pub struct LintResult {
    pub tool: &'static str,
    /// The top module the gate checked (the design, or Caravel's
    /// `user_project_wrapper` around it).
    pub top: String,
    pub version: String,
    pub passed: bool,
    /// Warning and error lines (empty when passed).
    pub messages: Vec<String>,
}

/// Runs all four gates; missing tools are errors. A design generated with
/// `[caravel]` is checked twice: alone, and as Caravel's
/// `user_project_wrapper` (the design's files, the crossbar's blackbox stub
/// and the wrapper).
pub fn lint_all(design: &DesignDir) -> Result<Vec<LintResult>> {
    let mut tops = vec![design.clone()];
    tops.extend(design.caravel_wrapper());
    let mut results = Vec::new();
    for d in &tops {
        for mut r in [verilator(d)?, iverilog(d)?, yosys(d)?, event_driven(d)?] {
            r.top = d.name.clone();
            results.push(r);
        }
    }
    Ok(results)
}

fn file_args(d: &DesignDir) -> Vec<String> {
    d.rtl.iter().map(|p| p.display().to_string()).collect()
}

/// The event-driven-simulation rule ([`memforge_hdl::emit::comb::check`])
/// over every RTL file of the design.
pub fn event_driven(d: &DesignDir) -> Result<LintResult> {
    let mut messages = Vec::new();
    for path in &d.rtl {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        messages.extend(
            event_driven_source(&text)
                .into_iter()
                .map(|h| format!("{}: {h}", path.display())),
        );
    }
    Ok(LintResult {
        tool: "event",
        top: d.name.clone(),
        version: format!("memforge {}", env!("CARGO_PKG_VERSION")),
        passed: messages.is_empty(),
        messages,
    })
}

/// The event-driven rule on Verilog source text: one line per problem.
pub fn event_driven_source(source: &str) -> Vec<String> {
    memforge_hdl::emit::comb::check(source)
        .into_iter()
        .map(|h| h.to_string())
        .collect()
}

/// Runs a gate with the tool time limit; returns whether it exited 0 and
/// what it printed. A stopped run is an error.
fn run(cmd: &mut Command, what: &str) -> Result<(bool, String)> {
    let limit = run_timeout(RUN_TIMEOUT);
    let out =
        memforge_sim::process::run(cmd, limit).with_context(|| format!("cannot run {what}"))?;
    if out.status.is_none() {
        return Err(CheckFailed {
            summary: format!(
                "{what} did not finish within {} s and was stopped (MEMFORGE_TOOL_TIMEOUT sets the limit)",
                limit.as_secs()
            ),
            details: serde_json::json!({"tool": what, "timeout_seconds": limit.as_secs()}),
        }
        .into());
    }
    Ok((out.success(), out.text()))
}

/// The message of a gate whose tool exited 0 but left no sign of having
/// read the design (a stand-in such as `/bin/true`).
fn no_evidence(tool: &Found, what: &str) -> String {
    format!(
        "{} exited 0 but {what}; it did not really run (is {} the real tool?)",
        tool.path.display(),
        tool.path.display()
    )
}

pub fn verilator(d: &DesignDir) -> Result<LintResult> {
    let tool = find(Tool::Verilator)?;
    // `--stats` makes Verilator write `V<top>__stats.txt`: the proof it ran.
    let scratch = tempfile::tempdir().context("creating a scratch directory for verilator")?;
    let mdir = scratch.path().display().to_string();
    let (ok, mut text) = run(
        Command::new(&tool.path)
            .current_dir(&d.root)
            .args([
                "--lint-only",
                "-Wall",
                "--stats",
                "--Mdir",
                &mdir,
                "--top-module",
                &d.name,
            ])
            .args(file_args(d)),
        "verilator",
    )?;
    let ran = std::fs::read_dir(scratch.path())
        .map(|it| {
            it.filter_map(|e| e.ok())
                .any(|e| e.file_name().to_string_lossy().ends_with("__stats.txt"))
        })
        .unwrap_or(false);
    if ok && !ran {
        text.push_str(&format!(
            "%Error: {}\n",
            no_evidence(&tool, "wrote no statistics file")
        ));
    }
    Ok(verdict("verilator", tool, ok, &text, |l| {
        l.starts_with("%Warning") || l.starts_with("%Error")
    }))
}

pub fn iverilog(d: &DesignDir) -> Result<LintResult> {
    let tool = find(Tool::Iverilog)?;
    // The compiled output is the proof it ran.
    let scratch = tempfile::tempdir().context("creating a scratch directory for iverilog")?;
    let vvp = scratch.path().join("lint.vvp");
    let vvp_arg = vvp.display().to_string();
    let (ok, mut text) = run(
        Command::new(&tool.path)
            .current_dir(&d.root)
            .args(["-g2005", "-Wall", "-o", &vvp_arg, "-s", &d.name])
            .args(file_args(d)),
        "iverilog",
    )?;
    let ran = std::fs::metadata(&vvp).is_ok_and(|m| m.len() > 0);
    if ok && !ran {
        text.push_str(&no_evidence(&tool, "compiled nothing"));
        text.push('\n');
    }
    Ok(verdict("iverilog", tool, ok, &text, |l| {
        !l.trim().is_empty()
    }))
}

/// Printed by the Yosys script's last command: the proof it ran to the end.
const YOSYS_DONE: &str = "MEMFORGE_LINT_DONE";

pub fn yosys(d: &DesignDir) -> Result<LintResult> {
    let tool = find(Tool::Yosys)?;
    let files: Vec<String> = d.rtl.iter().map(|p| p.display().to_string()).collect();
    // The clock gate module is a library cell for Yosys (`SYNTHESIS`, see
    // `memforge_hdl::emit::icg`): a blackbox of it, so that the gate checks
    // the synthesized view, which has no latch.
    let scratch = tempfile::tempdir().context("creating a scratch directory for yosys")?;
    let stub = scratch.path().join("cells.v");
    std::fs::write(&stub, memforge_hdl::emit::icg::cell_stub())
        .with_context(|| format!("writing {}", stub.display()))?;
    let script = format!(
        "read_verilog -lib {}; read_verilog {}; hierarchy -check -top {}; proc; check -assert; log -stdout {YOSYS_DONE}",
        stub.display(),
        files.join(" "),
        d.name
    );
    let (ok, text) = run(
        Command::new(&tool.path)
            .current_dir(&d.root)
            .args(["-q", "-p", &script]),
        "yosys",
    )?;
    let ran = text.lines().any(|l| l.trim() == YOSYS_DONE);
    let mut text: String = text
        .lines()
        .filter(|l| l.trim() != YOSYS_DONE)
        .map(|l| format!("{l}\n"))
        .collect();
    if ok && !ran {
        text.push_str(&format!(
            "ERROR: {}\n",
            no_evidence(&tool, "did not reach the end of the check script")
        ));
    }
    Ok(verdict("yosys", tool, ok, &text, |l| {
        l.contains("Warning") || l.contains("ERROR")
    }))
}

/// A gate passes when the tool succeeded and printed no line `complaint`
/// picks out; those lines are its messages.
fn verdict(
    name: &'static str,
    tool: Found,
    ok: bool,
    text: &str,
    complaint: impl Fn(&str) -> bool,
) -> LintResult {
    let messages: Vec<String> = text
        .lines()
        .filter(|l| complaint(l))
        .map(String::from)
        .collect();
    LintResult {
        tool: name,
        top: String::new(),
        version: tool.version,
        passed: ok && messages.is_empty(),
        messages,
    }
}
