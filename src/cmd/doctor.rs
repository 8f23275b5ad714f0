//! `memforge doctor`: which external tools are installed, and their versions.

use crate::outcome::{CheckFailed, Report};
use crate::tools::{find, Tool};
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args) -> anyhow::Result<Report> {
    let mut human = String::new();
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    for tool in Tool::ALL {
        match find(tool) {
            Ok(found) => {
                human.push_str(&format!(
                    "ok       {:<14} {}\n",
                    tool.program(),
                    found.version
                ));
                rows.push(
                    json!({"tool": tool.program(), "path": found.path, "version": found.version}),
                );
            }
            Err(err) => {
                human.push_str(&format!("MISSING  {:<14} {err:#}\n", tool.program()));
                rows.push(json!({"tool": tool.program(), "error": format!("{err:#}")}));
                missing.push(tool.program());
            }
        }
    }
    if missing.is_empty() {
        Ok(Report {
            human,
            json: json!({"ok": true, "tools": rows}),
        })
    } else {
        eprint!("{human}");
        Err(CheckFailed {
            summary: format!("missing tools: {}", missing.join(", ")),
            details: json!({"tools": rows}),
        }
        .into())
    }
}
