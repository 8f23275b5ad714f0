//! Runs an external tool with its whole output kept in a log file, and turns
//! a failure into an error that names the tool, the job, the first error
//! line and the log, so a user never has to rerun a tool by hand to see why.

use crate::outcome::CheckFailed;
use crate::tools::Found;
use anyhow::{Context, Result};
use serde_json::json;
use std::path::Path;
use std::process::Command;

/// Runs `tool args...` in `cwd`; stdout and stderr go to `log`. Returns the
/// combined output when the tool exits with success.
pub fn logged(tool: &Found, args: &[String], cwd: &Path, log: &Path, job: &str) -> Result<String> {
    let limit = crate::tools::run_timeout(crate::tools::RUN_TIMEOUT);
    let out =
        memforge_sim::process::run(Command::new(&tool.path).args(args).current_dir(cwd), limit)
            .with_context(|| format!("cannot start {}", tool.path.display()))?;
    let mut text = out.text();
    if out.status.is_none() {
        text.push_str(&format!(
            "\nERROR: stopped after {} s (MEMFORGE_TOOL_TIMEOUT sets the limit)\n",
            limit.as_secs()
        ));
    }
    std::fs::write(log, &text).with_context(|| format!("writing {}", log.display()))?;
    if out.success() {
        Ok(text)
    } else {
        Err(failed(tool, job, &text, log))
    }
}

/// The error for a tool run that went wrong (`output` is what it printed).
pub fn failed(tool: &Found, job: &str, output: &str, log: &Path) -> anyhow::Error {
    let reason = first_error(output);
    CheckFailed {
        summary: format!(
            "{} failed {job}: {reason} (full log: {})",
            tool.tool.program(),
            log.display()
        ),
        details: json!({"tool": tool.tool.program(), "job": job, "error": reason, "log": log}),
    }
    .into()
}

/// The first line a tool marks as an error, else its last non-empty line.
pub fn first_error(output: &str) -> String {
    let lines = || output.lines().map(str::trim).filter(|l| !l.is_empty());
    lines()
        .find(|l| l.starts_with("ERROR") || l.starts_with("Error"))
        .or_else(|| lines().next_back())
        .unwrap_or("no output")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_error_line_is_the_reason() {
        let log = "-- Parsing --\nWarning: x\nERROR: Module `foo' not found!\nERROR: later\n";
        assert_eq!(first_error(log), "ERROR: Module `foo' not found!");
        assert_eq!(first_error("a\nlast words\n\n"), "last words");
        assert_eq!(first_error(""), "no output");
    }
}
