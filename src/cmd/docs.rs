//! `memforge docs [--check]`: renders every block family's port table into
//! its doc page (from the family's port contract); `--check` only reports
//! the pages that are out of date (exit 1).

use crate::blocks::{docs::rendered_page, REGISTRY};
use crate::outcome::{CheckFailed, Report};
use anyhow::{Context, Result};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The repository root (where docs/ and examples/ are).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Change nothing; fail if a page is out of date.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &Args) -> Result<Report> {
    let mut stale = Vec::new();
    let mut pages = Vec::new();
    for family in REGISTRY {
        let (page, want) = rendered_page(*family, &args.root)?;
        let path = args.root.join(family.doc_page());
        if page != want {
            stale.push(family.doc_page());
            if !args.check {
                std::fs::write(&path, &want)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        pages.push(family.doc_page());
    }
    let json = json!({ "ok": !args.check || stale.is_empty(), "pages": pages, "stale": stale });
    if args.check && !stale.is_empty() {
        return Err(CheckFailed {
            summary: format!(
                "port tables out of date in {} (run `memforge docs`)",
                stale.join(", ")
            ),
            details: json,
        }
        .into());
    }
    let verb = if args.check { "current" } else { "rendered" };
    Ok(Report {
        human: format!("port tables {verb}: {}\n", pages.join(", ")),
        json,
    })
}
