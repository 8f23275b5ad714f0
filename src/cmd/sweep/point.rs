//! Running one point: its config written to its folder, each measurement a
//! `memforge --json` child process (so a crash or a hang in one point
//! cannot take the sweep down), and its result written last, atomically:
//! a folder with `result.json` is finished, anything else is re-run.

use super::spec::{Measure, Point, Sweep};
use anyhow::{Context, Result};
use memforge_sim::process;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// What a finished point recorded (`points/<id>/result.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PointResult {
    pub id: String,
    pub index: usize,
    pub params: BTreeMap<String, toml::Value>,
    pub seed: u64,
    /// Every measurement passed.
    pub ok: bool,
    /// The first failing measurement and its error.
    pub failed: Option<String>,
    pub error: Option<String>,
    /// Figures taken from the measurements' JSON (area_um2, fmax_mhz, ...).
    pub metrics: BTreeMap<String, Value>,
    /// Wall-clock seconds per measurement.
    pub seconds: BTreeMap<String, f64>,
}

/// The folder of a point.
pub fn folder(out: &Path, point: &Point) -> PathBuf {
    out.join("points").join(&point.id)
}

/// The point's recorded result, if it finished before.
pub fn finished(out: &Path, point: &Point) -> Option<PointResult> {
    let text = std::fs::read_to_string(folder(out, point).join("result.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Runs every measurement of `point` (stopping at the first failure) and
/// records the result. Errors returned here are the sweep's own (a folder
/// that cannot be written), not the point's.
pub fn run(sweep: &Sweep, out: &Path, point: &Point, timeout: Duration) -> Result<PointResult> {
    let dir = folder(out, point);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let config = dir.join("config.toml");
    std::fs::write(&config, &point.config)
        .with_context(|| format!("writing {}", config.display()))?;
    let mut result = PointResult {
        id: point.id.clone(),
        index: point.index,
        params: point.params.clone(),
        seed: point.seed,
        ok: true,
        failed: None,
        error: None,
        metrics: BTreeMap::new(),
        seconds: BTreeMap::new(),
    };
    for measure in steps(&sweep.file.measure) {
        let args = arguments(sweep, point, measure, &dir);
        let outcome = measure_once(&args, timeout);
        result
            .seconds
            .insert(measure.name().into(), outcome.seconds);
        std::fs::write(
            dir.join(format!("{}.json", measure.name())),
            serde_json::to_string_pretty(&outcome.json)?,
        )?;
        match outcome.error {
            None => collect(measure, &outcome.json, &mut result.metrics),
            Some(error) => {
                result.ok = false;
                result.failed = Some(measure.name().into());
                result.error = Some(error);
                break;
            }
        }
    }
    let text = serde_json::to_string_pretty(&result)?;
    let tmp = dir.join("result.json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, dir.join("result.json"))?;
    Ok(result)
}

/// The measurements in order, with `generate` first when lint or synth
/// needs its output.
fn steps(measure: &[Measure]) -> Vec<Measure> {
    let mut steps: Vec<Measure> = measure.to_vec();
    let needs_rtl = steps
        .iter()
        .any(|m| matches!(m, Measure::Lint | Measure::Synth));
    if needs_rtl && !steps.contains(&Measure::Generate) {
        steps.insert(0, Measure::Generate);
    }
    let mut seen = Vec::new();
    steps.retain(|m| {
        let new = !seen.contains(m);
        seen.push(*m);
        new
    });
    steps.sort_by_key(|m| *m != Measure::Generate);
    steps
}

/// The `memforge` command line of one measurement of `point`.
fn arguments(sweep: &Sweep, point: &Point, measure: Measure, dir: &Path) -> Vec<String> {
    let path = |name: &str| dir.join(name).display().to_string();
    let workload = || {
        vec![
            path("config.toml"),
            "--cycles".into(),
            sweep.file.cosim_cycles.to_string(),
            "--seed".into(),
            point.seed.to_string(),
        ]
    };
    let liberty = || match &sweep.liberty {
        Some(lib) => vec!["--liberty".into(), lib.display().to_string()],
        None => vec![],
    };
    let parts: Vec<Vec<String>> = match measure {
        Measure::Generate => vec![vec![path("config.toml"), "--out".into(), path("rtl")]],
        Measure::Lint => vec![vec![path("rtl")]],
        Measure::Synth => vec![vec![path("rtl")], liberty()],
        Measure::Cosim => vec![workload()],
        // The verification traffic: `--cycles` and the point's seed apply.
        Measure::Ppa => vec![
            workload(),
            vec!["--workload".into(), "traffic".into()],
            vec!["--out".into(), path("ppa")],
            liberty(),
        ],
    };
    std::iter::once(measure.name().to_string())
        .chain(parts.into_iter().flatten())
        .collect()
}

struct Outcome {
    json: Value,
    error: Option<String>,
    seconds: f64,
}

/// One `memforge --json ...` child: its JSON record, or why it failed
/// (its own error message when it printed one, else the exit status and
/// the end of its stderr).
fn measure_once(args: &[String], timeout: Duration) -> Outcome {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return failed(format!("cannot find the memforge executable: {e}"), 0.0),
    };
    let mut cmd = Command::new(exe);
    cmd.arg("--json").args(args);
    let done = match process::run(&mut cmd, timeout) {
        Ok(done) => done,
        Err(e) => return failed(format!("cannot start memforge {}: {e}", args[0]), 0.0),
    };
    let seconds = done.wall.as_secs_f64();
    let json: Value = serde_json::from_slice(&done.stdout).unwrap_or(Value::Null);
    if done.success() {
        return Outcome {
            json,
            error: None,
            seconds,
        };
    }
    let error = match (&done.status, json.get("error").and_then(Value::as_str)) {
        (None, _) => format!("stopped after the {}s time limit", timeout.as_secs()),
        (Some(_), Some(message)) => message.to_string(),
        (Some(_), None) => {
            let stderr = String::from_utf8_lossy(&done.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!(
                "exit code {}: {}",
                done.code().unwrap_or(-1),
                tail.join(" | ")
            )
        }
    };
    Outcome {
        json,
        error: Some(error),
        seconds,
    }
}

fn failed(error: String, seconds: f64) -> Outcome {
    Outcome {
        json: Value::Null,
        error: Some(error),
        seconds,
    }
}

/// The figures a measurement contributes to the results table.
fn collect(measure: Measure, json: &Value, metrics: &mut BTreeMap<String, Value>) {
    let keys: &[(&str, &str)] = match measure {
        Measure::Generate => &[("modules", "modules")],
        Measure::Lint => &[("ok", "lint_ok")],
        Measure::Synth => &[
            ("area_um2", "area_um2"),
            ("fmax_mhz", "fmax_mhz"),
            ("cell_count", "cells"),
            ("flops", "flops"),
            ("worst_slack_ns", "slack_ns"),
        ],
        Measure::Cosim => &[("cycles", "cosim_cycles"), ("mismatches", "mismatches")],
        Measure::Ppa => &[
            ("area_um2", "area_um2"),
            ("fmax_mhz", "fmax_mhz"),
            ("energy_pj_per_sop", "energy_pj_per_sop"),
        ],
    };
    if measure == Measure::Ppa {
        if let Some(w) = json.pointer("/power_w/total/total_w") {
            metrics.insert("power_w".into(), w.clone());
        }
    }
    let mut add = |from: &str, to: &str| {
        if let Some(v) = json.get(from) {
            let v = match v {
                Value::Array(a) => Value::from(a.len()),
                v => v.clone(),
            };
            metrics.insert(to.into(), v);
        }
    };
    for (from, to) in keys {
        add(from, to);
    }
}
