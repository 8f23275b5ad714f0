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
use crate::tools::{find, Found, Tool};
use anyhow::{Context, Result};
use serde::Serialize;
use std::process::Command;

/// What one linter said.
#[derive(Clone, Debug, Serialize)]
pub struct LintResult {
    pub tool: &'static str,
    pub version: String,
    pub passed: bool,
    /// Warning and error lines (empty when passed).
    pub messages: Vec<String>,
}

/// Runs all four gates; missing tools are errors.
pub fn lint_all(design: &DesignDir) -> Result<Vec<LintResult>> {
    Ok(vec![
        verilator(design)?,
        iverilog(design)?,
        yosys(design)?,
        event_driven(design)?,
    ])
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

fn run(cmd: &mut Command, what: &str) -> Result<(bool, String)> {
    let out = cmd.output().with_context(|| format!("cannot run {what}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok((out.status.success(), text))
}

pub fn verilator(d: &DesignDir) -> Result<LintResult> {
    let tool = find(Tool::Verilator)?;
    let filelist = format!("{}.f", d.name);
    let (ok, text) = run(
        Command::new(&tool.path).current_dir(&d.root).args([
            "--lint-only",
            "-Wall",
            "--top-module",
            &d.name,
            "-f",
            &filelist,
        ]),
        "verilator",
    )?;
    Ok(verdict("verilator", tool, ok, &text, |l| {
        l.starts_with("%Warning") || l.starts_with("%Error")
    }))
}

pub fn iverilog(d: &DesignDir) -> Result<LintResult> {
    let tool = find(Tool::Iverilog)?;
    let filelist = format!("{}.f", d.name);
    let (ok, text) = run(
        Command::new(&tool.path).current_dir(&d.root).args([
            "-g2005",
            "-Wall",
            "-o",
            "/dev/null",
            "-s",
            &d.name,
            "-f",
            &filelist,
        ]),
        "iverilog",
    )?;
    Ok(verdict("iverilog", tool, ok, &text, |l| {
        !l.trim().is_empty()
    }))
}

pub fn yosys(d: &DesignDir) -> Result<LintResult> {
    let tool = find(Tool::Yosys)?;
    let files: Vec<String> = d.rtl.iter().map(|p| p.display().to_string()).collect();
    let script = format!(
        "read_verilog {}; hierarchy -check -top {}; proc; check -assert",
        files.join(" "),
        d.name
    );
    let (ok, text) = run(
        Command::new(&tool.path)
            .current_dir(&d.root)
            .args(["-q", "-p", &script]),
        "yosys",
    )?;
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
        version: tool.version,
        passed: ok && messages.is_empty(),
        messages,
    }
}
