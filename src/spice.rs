//! Runs ngspice in batch mode on a deck that `memforge-sim` wrote, and reads
//! its binary raw file back.
//!
//! Every failure is an error that carries ngspice's own words: a missing
//! ngspice (with the install hint from `tools`), a run that does not
//! converge or aborts, a time-out, and a raw file that is missing or
//! unreadable. Nothing here panics.

use crate::tools::{self, Tool};
use anyhow::{anyhow, bail, Context, Result};
use memforge_sim::analog::spice::{parse, Plot};
use std::process::Command;
use std::time::Duration;

/// What one ngspice run produced.
#[derive(Debug)]
pub struct SpiceRun {
    /// Every plot of the raw file (one per analysis).
    pub plots: Vec<Plot>,
    /// Wall-clock time of the whole process, start-up and parsing included (s).
    pub wall_seconds: f64,
    /// ngspice's own "Total analysis time" (s), when it printed one.
    pub analysis_seconds: Option<f64>,
    /// Peak resident memory of the ngspice process (KiB), sampled from /proc.
    pub peak_rss_kib: Option<u64>,
    /// The ngspice version banner.
    pub version: String,
    /// stdout and stderr of the run.
    pub log: String,
}

impl SpiceRun {
    /// The first plot (the only one for `.op` or `.tran` decks).
    pub fn plot(&self) -> Result<&Plot> {
        self.plots
            .first()
            .ok_or_else(|| anyhow!("ngspice wrote no plot"))
    }
}

/// `ngspice-39` from the banner `** ngspice-39 : Circuit level ...`.
pub fn short_version(banner: &str) -> String {
    banner
        .trim_start_matches('*')
        .split(':')
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Lines of an ngspice log that explain a failure.
fn complaints(log: &str) -> String {
    let keys = [
        "error",
        "abort",
        "singular",
        "convergence",
        "too small",
        "warning",
        "fatal",
        "unknown",
        "failed",
    ];
    let lines: Vec<&str> = log
        .lines()
        .map(str::trim)
        .filter(|l| {
            let low = l.to_ascii_lowercase();
            keys.iter().any(|k| low.contains(k))
        })
        .collect();
    if lines.is_empty() {
        let tail: Vec<&str> = log.lines().rev().take(8).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    } else {
        lines.into_iter().take(12).collect::<Vec<_>>().join(" | ")
    }
}

/// Runs `ngspice -b -r out.raw deck.sp` in a scratch directory, killing it
/// after `timeout`.
pub fn run_deck(deck: &str, timeout: Duration) -> Result<SpiceRun> {
    let found = tools::find(Tool::Ngspice)?;
    let dir = tempfile::tempdir().context("creating a scratch directory for ngspice")?;
    let deck_path = dir.path().join("deck.sp");
    let raw_path = dir.path().join("out.raw");
    std::fs::write(&deck_path, deck).with_context(|| format!("writing {}", deck_path.display()))?;

    // A process group: a wrapper script's ngspice is stopped with it.
    let out = memforge_sim::process::run(
        Command::new(&found.path)
            .arg("-b")
            .arg("-r")
            .arg(&raw_path)
            .arg(&deck_path)
            .current_dir(dir.path()),
        timeout,
    )
    .with_context(|| format!("cannot start {}", found.path.display()))?;
    let wall_seconds = out.wall.as_secs_f64();
    let peak_rss_kib = out.peak_rss_kib;
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let Some(code) = out.code() else {
        bail!(
            "ngspice did not finish within {} s and was stopped (with every process it started)",
            timeout.as_secs()
        );
    };
    let raw = std::fs::read(&raw_path).ok();
    let plots = match raw.as_deref().map(parse) {
        Some(Ok(plots)) if plots.iter().all(|p| !p.data.is_empty()) => plots,
        Some(Ok(_)) => bail!(
            "ngspice produced no data points (exit {code}): {}",
            complaints(&log)
        ),
        Some(Err(e)) if code == 0 => {
            return Err(anyhow!(e)).context(format!("reading {}", raw_path.display()))
        }
        _ => bail!(
            "ngspice failed (exit {code}) without a usable result: {}",
            complaints(&log)
        ),
    };
    if code != 0 {
        bail!("ngspice exited with {code}: {}", complaints(&log));
    }
    let analysis_seconds = log
        .lines()
        .rev()
        .filter_map(|l| l.trim().strip_prefix("Total analysis time (seconds) ="))
        .find_map(|v| v.trim().parse::<f64>().ok());
    Ok(SpiceRun {
        plots,
        wall_seconds,
        analysis_seconds,
        peak_rss_kib,
        version: short_version(&found.version),
        log,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_shortened() {
        assert_eq!(
            short_version("** ngspice-39 : Circuit level simulation program"),
            "ngspice-39"
        );
    }

    #[test]
    fn complaints_pick_ngspice_error_lines() {
        let log = "Circuit: x\nError: no convergence in operating point\nnote: fine\ndoAnalyses: TRAN:  Timestep too small\n";
        let c = complaints(log);
        assert!(c.contains("no convergence"), "{c}");
        assert!(c.contains("Timestep too small"), "{c}");
        assert!(!c.contains("note: fine"));
    }
}
