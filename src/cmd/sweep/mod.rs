//! `memforge sweep SWEEP.toml --out DIR [--shard i/n] [--merge]`: design-
//! space exploration without scripts. A sweep file names a base design
//! config, the parameters to vary and their values (a grid or a random
//! sample of it), the seeds, and the measurements (generate, lint, synth,
//! cosim); each point runs them in its own folder, points run in parallel
//! on the local cores, and the results are merged into a CSV, a JSON and a
//! Pareto plot.
//!
//! Robust by construction: a failing point is recorded with its error and
//! the sweep goes on; a finished point is never recomputed (re-running
//! resumes); `--shard i/n` runs one share of the points so Slurm job arrays
//! or GNU parallel can spread a sweep over machines, and `--merge` gathers
//! the shards' results (docs/sweep.md has both recipes).

mod pareto;
mod plot;
mod point;
mod results;
mod spec;

use crate::outcome::{Report, UsageError};
use anyhow::{Context, Result};
use serde_json::json;
use spec::{Point, Shard, Sweep};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sweep file (TOML), e.g. examples/sweep/tile-sweep.toml.
    pub sweep: PathBuf,
    /// Folder of the sweep's points and results (created; re-running with
    /// the same folder resumes).
    #[arg(long)]
    pub out: PathBuf,
    /// Run only this share of the points, `i/n` (0-based), e.g. a Slurm
    /// array task's `$SLURM_ARRAY_TASK_ID/8`; then `--merge`.
    #[arg(long, conflicts_with = "merge")]
    pub shard: Option<Shard>,
    /// Run nothing: gather the points' results into the tables and plot.
    #[arg(long)]
    pub merge: bool,
    /// Liberty file for synth (overrides the sweep file's `liberty`).
    #[arg(long)]
    pub liberty: Option<PathBuf>,
    /// Re-run points that finished with a failure (a missing tool, a time
    /// limit) instead of keeping their recorded error.
    #[arg(long, conflicts_with = "merge")]
    pub retry_failed: bool,
    /// Points run at once (default: the number of cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Time limit of one measurement of one point, seconds (default:
    /// MEMFORGE_TOOL_TIMEOUT or 3600).
    #[arg(long)]
    pub timeout: Option<u64>,
}

pub fn run(args: &Args, json: bool) -> Result<Report> {
    let sweep = Sweep::load(&args.sweep, args.liberty.as_deref())?;
    if args.jobs == Some(0) {
        return Err(UsageError("--jobs must be at least 1".into()).into());
    }
    std::fs::create_dir_all(args.out.join("points"))
        .with_context(|| format!("creating the sweep folder {}", args.out.display()))?;
    let mut ran_now = 0;
    if !args.merge {
        let ran = run_points(&sweep, args, json)?;
        if let Some(shard) = args.shard {
            return Ok(shard_report(&sweep, shard, &ran, &args.out));
        }
        ran_now = ran.owned - ran.skipped;
    }
    let merged = results::merge(&sweep, &args.out)?;
    let mut record = results::to_json(&sweep, &merged);
    record["ran"] = ran_now.into();
    Ok(Report {
        human: results::human(&sweep, &merged, &args.out),
        json: record,
    })
}

/// What one invocation ran.
struct Ran {
    owned: usize,
    skipped: usize,
    failed: Vec<String>,
}

/// Runs this invocation's unfinished points, `jobs` at a time.
fn run_points(sweep: &Sweep, args: &Args, json: bool) -> Result<Ran> {
    let owned: Vec<&Point> = sweep
        .points
        .iter()
        .filter(|p| args.shard.is_none_or(|s| s.owns(p)))
        .collect();
    let todo: Vec<&Point> = owned
        .iter()
        .copied()
        .filter(|p| match point::finished(&args.out, p) {
            None => true,
            Some(r) => args.retry_failed && !r.ok,
        })
        .collect();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(todo.len().max(1));
    let timeout = args.timeout.map_or_else(
        || crate::tools::run_timeout(crate::tools::RUN_TIMEOUT),
        Duration::from_secs,
    );
    let bar = crate::progress::bar(todo.len() as u64, "sweep", json);
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    let fatal = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = todo.get(i) else { break };
                match point::run(sweep, &args.out, p, timeout) {
                    Ok(r) if !r.ok => lock(&failed).push(r.id),
                    Ok(_) => {}
                    Err(e) => {
                        lock(&fatal).get_or_insert(e);
                        next.store(todo.len(), Ordering::Relaxed);
                    }
                }
                bar.inc(1);
                bar.set_message(p.id.clone());
            });
        }
    });
    bar.finish_and_clear();
    if let Some(e) = fatal.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    Ok(Ran {
        owned: owned.len(),
        skipped: owned.len() - todo.len(),
        failed: failed.into_inner().unwrap_or_else(|p| p.into_inner()),
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn shard_report(sweep: &Sweep, shard: Shard, ran: &Ran, out: &Path) -> Report {
    let human = format!(
        "shard {}/{}: {} of {} points are this shard's; {} run now ({} failed), {} already finished\n  merge when every shard is done: memforge sweep SWEEP.toml --out {} --merge\n",
        shard.index,
        shard.count,
        ran.owned,
        sweep.points.len(),
        ran.owned - ran.skipped,
        ran.failed.len(),
        ran.skipped,
        out.display()
    );
    let json = json!({
        "ok": true,
        "shard": format!("{}/{}", shard.index, shard.count),
        "points": sweep.points.len(),
        "owned": ran.owned,
        "ran": ran.owned - ran.skipped,
        "skipped": ran.skipped,
        "failed": ran.failed,
    });
    Report { human, json }
}
