//! The merge step: every point's `result.json` gathered into one table
//! (`results.csv`, `results.json`), the Pareto front found and plotted
//! (`pareto.svg`). Runs after a local sweep, and on its own (`--merge`)
//! after shards ran elsewhere into the same folder.

use super::pareto::{self, Objective};
use super::plot;
use super::point::{self, PointResult};
use super::spec::Sweep;
use anyhow::{Context, Result};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

/// The gathered sweep.
pub struct Merged {
    pub results: Vec<PointResult>,
    /// Ids of points with no result yet (a shard not run, or still running).
    pub pending: Vec<String>,
    pub objectives: Vec<Objective>,
    /// Ids of the Pareto-optimal passing points.
    pub front: Vec<String>,
    pub plot: Option<String>,
}

/// Gathers `out/points/*/result.json` for the sweep's points and writes the
/// tables and the plot into `out`.
pub fn merge(sweep: &Sweep, out: &Path) -> Result<Merged> {
    let mut results = Vec::new();
    let mut pending = Vec::new();
    for p in &sweep.points {
        match point::finished(out, p) {
            Some(r) => results.push(r),
            None => pending.push(p.id.clone()),
        }
    }
    let passing: Vec<&PointResult> = results.iter().filter(|r| r.ok).collect();
    let objectives = pareto::present(&passing);
    let front_at = if objectives.len() >= 2 {
        pareto::front(&passing, &objectives)
    } else {
        Vec::new()
    };
    let front: Vec<String> = front_at.iter().map(|&i| passing[i].id.clone()).collect();
    let plot = if objectives.len() >= 2 {
        let path = out.join("pareto.svg");
        plot::pareto(&passing, &front_at, &objectives, &path)?;
        Some(path.display().to_string())
    } else {
        None
    };
    let merged = Merged {
        results,
        pending,
        objectives,
        front,
        plot,
    };
    write_csv(sweep, &merged, &out.join("results.csv"))?;
    let json = to_json(sweep, &merged);
    std::fs::write(
        out.join("results.json"),
        serde_json::to_string_pretty(&json)?,
    )
    .with_context(|| format!("writing {}", out.join("results.json").display()))?;
    Ok(merged)
}

fn metric_names(results: &[PointResult]) -> Vec<String> {
    let set: BTreeSet<&String> = results.iter().flat_map(|r| r.metrics.keys()).collect();
    set.into_iter().cloned().collect()
}

fn step_names(results: &[PointResult]) -> Vec<String> {
    let set: BTreeSet<&String> = results.iter().flat_map(|r| r.seconds.keys()).collect();
    set.into_iter().cloned().collect()
}

fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

fn param_cell(v: Option<&toml::Value>) -> String {
    match v {
        None => String::new(),
        Some(toml::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

fn write_csv(sweep: &Sweep, m: &Merged, path: &Path) -> Result<()> {
    let keys = sweep.keys();
    let metrics = metric_names(&m.results);
    let steps = step_names(&m.results);
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("writing {}", path.display()))?;
    let mut header: Vec<String> = vec!["id".into(), "index".into(), "seed".into()];
    header.extend(keys.iter().cloned());
    header.extend(["ok", "pareto", "failed", "error"].map(String::from));
    header.extend(metrics.iter().cloned());
    header.extend(steps.iter().map(|s| format!("{s}_s")));
    w.write_record(&header)?;
    for r in &m.results {
        let mut row = vec![r.id.clone(), r.index.to_string(), r.seed.to_string()];
        row.extend(keys.iter().map(|k| param_cell(r.params.get(k))));
        row.push(r.ok.to_string());
        row.push(m.front.contains(&r.id).to_string());
        row.push(r.failed.clone().unwrap_or_default());
        row.push(r.error.clone().unwrap_or_default());
        row.extend(metrics.iter().map(|k| cell(r.metrics.get(k))));
        row.extend(steps.iter().map(|s| {
            r.seconds
                .get(s)
                .map_or(String::new(), |v| format!("{v:.2}"))
        }));
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// The machine-readable record (also the command's `--json` output).
pub fn to_json(sweep: &Sweep, m: &Merged) -> Value {
    let failed = m.results.iter().filter(|r| !r.ok).count();
    json!({
        "ok": true,
        "base": sweep.base,
        "points": sweep.points.len(),
        "finished": m.results.len(),
        "failed": failed,
        "pending": m.pending,
        "objectives": m.objectives.iter().map(|o| o.metric).collect::<Vec<_>>(),
        "pareto_front": m.front,
        "plot": m.plot,
        "results": m.results,
    })
}

/// The table a person reads: one line per finished point, the front
/// starred, failures with their error.
pub fn human(sweep: &Sweep, m: &Merged, out: &Path) -> String {
    let mut h = String::new();
    let failed = m.results.iter().filter(|r| !r.ok).count();
    let _ = writeln!(
        h,
        "sweep of {} points over {}: {} finished ({} failed), {} pending",
        sweep.points.len(),
        sweep.keys().join(", "),
        m.results.len(),
        failed,
        m.pending.len()
    );
    let shown = ["area_um2", "fmax_mhz", "energy_pj_per_sop", "mismatches"];
    let _ = writeln!(
        h,
        "  {:<13} {:<40} {:>4} {:>11} {:>9} {:>9} {:>5}",
        "id", "point", "seed", "area um^2", "fmax MHz", "pJ/SOP", "mism"
    );
    for r in &m.results {
        let params: Vec<String> = r
            .params
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    k.rsplit('.').next().unwrap_or(k),
                    param_cell(Some(v))
                )
            })
            .collect();
        let star = if m.front.contains(&r.id) { "*" } else { " " };
        let figures: Vec<String> = shown
            .iter()
            .map(|k| match pareto::value(r, k) {
                Some(v) if *k == "mismatches" => format!("{v:.0}"),
                Some(v) => format!("{v:.1}"),
                None => "-".into(),
            })
            .collect();
        let _ = writeln!(
            h,
            "{star} {:<13} {:<40} {:>4} {:>11} {:>9} {:>9} {:>5}",
            r.id,
            params.join(" "),
            r.seed,
            figures[0],
            figures[1],
            figures[2],
            figures[3]
        );
        if let (Some(step), Some(err)) = (&r.failed, &r.error) {
            let _ = writeln!(h, "      failed at {step}: {err}");
        }
    }
    if m.objectives.len() >= 2 {
        let names: Vec<&str> = m.objectives.iter().map(|o| o.metric).collect();
        let _ = writeln!(h, "  * = Pareto-optimal over {}", names.join(", "));
    } else {
        let _ = writeln!(
            h,
            "  no Pareto front: it needs synth's area and fmax on every passing point"
        );
    }
    let _ = writeln!(
        h,
        "  tables: {}, {}",
        out.join("results.csv").display(),
        out.join("results.json").display()
    );
    if let Some(plot) = &m.plot {
        let _ = writeln!(h, "  plot: {plot}");
    }
    if !m.pending.is_empty() {
        let _ = writeln!(
            h,
            "  {} points have no result yet: run their shards, then --merge again",
            m.pending.len()
        );
    }
    h
}
