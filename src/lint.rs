//! The three lint gates every generated design must pass:
//! Verilator `--lint-only -Wall` (zero warnings), Icarus Verilog
//! `-g2005` (compiles), and Yosys `hierarchy -check; proc; check -assert`
//! (no latches, no undriven or multiply-driven nets).

use crate::tools::{find, Tool};
use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A generated design directory, as described by its manifest.
#[derive(Clone, Debug)]
pub struct DesignDir {
    pub dir: PathBuf,
    pub top: String,
    /// Filelist path relative to `dir`.
    pub filelist: String,
    /// Verilog files relative to `dir`.
    pub files: Vec<String>,
}

impl DesignDir {
    /// Reads `manifest.json` and the filelist of a `memforge generate` output.
    pub fn open(dir: &Path) -> Result<Self> {
        let manifest_path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&manifest_path).with_context(|| {
            format!(
                "{} is not a generated design (no readable manifest.json); run `memforge generate` first",
                dir.display()
            )
        })?;
        let manifest: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{}: not valid JSON", manifest_path.display()))?;
        let Some(top) = manifest.get("top").and_then(|t| t.as_str()) else {
            bail!("{}: has no \"top\"", manifest_path.display());
        };
        let filelist = format!("{top}.f");
        let list = std::fs::read_to_string(dir.join(&filelist))
            .with_context(|| format!("reading {}", dir.join(&filelist).display()))?;
        let files = list
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        Ok(Self {
            dir: dir.to_path_buf(),
            top: top.to_string(),
            filelist,
            files,
        })
    }
}

/// What one linter said.
#[derive(Clone, Debug, Serialize)]
pub struct LintResult {
    pub tool: &'static str,
    pub version: String,
    pub passed: bool,
    /// Warning and error lines (empty when passed).
    pub messages: Vec<String>,
}

/// Runs all three gates; missing tools are errors.
pub fn lint_all(design: &DesignDir) -> Result<Vec<LintResult>> {
    Ok(vec![verilator(design)?, iverilog(design)?, yosys(design)?])
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
    let (ok, text) = run(
        Command::new(&tool.path).current_dir(&d.dir).args([
            "--lint-only",
            "-Wall",
            "--top-module",
            &d.top,
            "-f",
            &d.filelist,
        ]),
        "verilator",
    )?;
    let messages: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with("%Warning") || l.starts_with("%Error"))
        .map(String::from)
        .collect();
    Ok(LintResult {
        tool: "verilator",
        version: tool.version,
        passed: ok && messages.is_empty(),
        messages,
    })
}

pub fn iverilog(d: &DesignDir) -> Result<LintResult> {
    let tool = find(Tool::Iverilog)?;
    let (ok, text) = run(
        Command::new(&tool.path).current_dir(&d.dir).args([
            "-g2005",
            "-Wall",
            "-o",
            "/dev/null",
            "-s",
            &d.top,
            "-f",
            &d.filelist,
        ]),
        "iverilog",
    )?;
    let messages: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect();
    Ok(LintResult {
        tool: "iverilog",
        version: tool.version,
        passed: ok && messages.is_empty(),
        messages,
    })
}

pub fn yosys(d: &DesignDir) -> Result<LintResult> {
    let tool = find(Tool::Yosys)?;
    let script = format!(
        "read_verilog {}; hierarchy -check -top {}; proc; check -assert",
        d.files.join(" "),
        d.top
    );
    let (ok, text) = run(
        Command::new(&tool.path)
            .current_dir(&d.dir)
            .args(["-q", "-p", &script]),
        "yosys",
    )?;
    let messages: Vec<String> = text
        .lines()
        .filter(|l| l.contains("Warning") || l.contains("ERROR"))
        .map(String::from)
        .collect();
    Ok(LintResult {
        tool: "yosys",
        version: tool.version,
        passed: ok && messages.is_empty(),
        messages,
    })
}
