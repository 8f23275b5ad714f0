//! `memforge flow openlane DIR`: the OpenLane 2 / LibreLane 3 hand-off.

use crate::flows::design_dir::DesignDir;
use crate::flows::openlane::{self, Handoff};
use crate::outcome::Report;
use anyhow::Result;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub flow: Flow,
}

#[derive(Debug, clap::Subcommand)]
pub enum Flow {
    /// Write/refresh the OpenLane 2 and LibreLane 3 design directories of a
    /// generated design; run LibreLane or OpenLane if installed, else print
    /// the command that runs it.
    Openlane(OpenlaneArgs),
}

#[derive(Debug, clap::Args)]
pub struct OpenlaneArgs {
    /// Design directory written by `memforge generate`.
    pub dir: PathBuf,
    /// Only write the files; do not run an installed flow.
    #[arg(long)]
    pub no_run: bool,
}

pub fn run(args: &Args) -> Result<Report> {
    match &args.flow {
        Flow::Openlane(a) => {
            let design = DesignDir::open(&a.dir)?;
            let h = openlane::handoff(&design, !a.no_run)?;
            let json = serde_json::json!({"ok": true, "design": design.name, "handoff": h});
            Ok(Report {
                human: human(&design, &h, a.no_run),
                json,
            })
        }
    }
}

fn human(design: &DesignDir, h: &Handoff, no_run: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: flow files in {} ({} rewritten, {} unchanged)",
        design.name,
        design.root.display(),
        h.rewritten.len(),
        h.unchanged.len()
    );
    for m in &h.missing_macro_views {
        let _ = writeln!(
            s,
            "  missing macro view {} (supply it before running the flow)",
            m.display()
        );
    }
    match &h.ran {
        Some(r) => {
            let _ = writeln!(s, "ran {} (log: {})", r.tool, r.log.display());
            for (k, v) in &r.summary {
                let _ = writeln!(s, "  {k:<28} {v}");
            }
            if r.metrics.is_none() {
                let _ = writeln!(s, "  (no final/metrics.json found under runs/)");
            }
        }
        None => {
            let why = if no_run {
                "--no-run given"
            } else {
                "neither librelane nor openlane is on PATH"
            };
            let _ = writeln!(s, "{why}; run the flow with one of:");
            for c in &h.commands {
                let _ = writeln!(s, "  {c}");
            }
        }
    }
    s
}
