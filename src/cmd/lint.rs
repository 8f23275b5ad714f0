//! `memforge lint DIR`: the four lint gates on a generated design.

use crate::lint::{lint_all, DesignDir};
use crate::outcome::{CheckFailed, Report};
use anyhow::Result;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A directory written by `memforge generate`.
    pub dir: PathBuf,
}

pub fn run(args: &Args) -> Result<Report> {
    let design = DesignDir::open(&args.dir)?;
    let results = lint_all(&design)?;
    let mut human = String::new();
    for r in &results {
        let verdict = if r.passed { "clean" } else { "FAILED" };
        human.push_str(&format!(
            "{:<10} {:<7} {} ({})\n",
            r.tool, verdict, r.top, r.version
        ));
        for m in &r.messages {
            human.push_str(&format!("    {m}\n"));
        }
    }
    let json =
        json!({"ok": results.iter().all(|r| r.passed), "design": design.name, "results": results});
    if results.iter().all(|r| r.passed) {
        Ok(Report { human, json })
    } else {
        eprint!("{human}");
        Err(CheckFailed {
            summary: format!("design `{}` does not pass the lint gates", design.name),
            details: json,
        }
        .into())
    }
}
