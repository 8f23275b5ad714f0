//! `memforge bench array`: time and peak memory of generating arrays of
//! both interconnects from 2x2 to 16x16 tiles (issue #15's figures:
//! 16x16 in < 2 s and < 1 GiB). Each measurement is the whole `generate`:
//! load is skipped (the config is resized in memory), every module
//! emitted, the top, decoder and constraints rendered, and the design
//! directory written atomically. Time is the best of `--repeat` runs;
//! peak memory is this process's high-water mark during the first run
//! (reset before it, `memory.rs`).

use super::memory::{peak_rss_kib, reset_peak};
use crate::outcome::{CheckFailed, Report};
use anyhow::{Context, Result};
use memforge_hdl::emit::write_design;
use memforge_spec::blocks::array::{self, ArrayConfig};
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Mosaic config to resize (the mesh one is its `-mesh-` sibling).
    #[arg(long, default_value = "examples/array-mosaic-2x2.toml")]
    pub mosaic: PathBuf,
    #[arg(long, default_value = "examples/array-mesh-2x2.toml")]
    pub mesh: PathBuf,
    /// Array sides measured (n x n tiles).
    #[arg(long, value_delimiter = ',', default_value = "2,4,8,16")]
    pub sizes: Vec<u32>,
    /// Runs per size; the time is the best.
    #[arg(long, default_value_t = 3)]
    pub repeat: u32,
    /// Largest time (s) and peak memory (MiB) the 16x16 arrays may take.
    #[arg(long, default_value_t = 2.0)]
    pub max_seconds: f64,
    #[arg(long, default_value_t = 1024.0)]
    pub max_mib: f64,
}

pub fn run(args: &Args) -> Result<Report> {
    let tmp = tempfile::tempdir().context("creating a scratch folder")?;
    let mut rows = Vec::new();
    let mut human = String::from(
        "bench array: generate (emit + top + decoder + constraints + atomic write)\n\n| interconnect | tiles | routers | modules | files | ports | time (s) | peak RSS (MiB) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut over = Vec::new();
    for (ic, path) in [("mosaic", &args.mosaic), ("mesh", &args.mesh)] {
        let base: ArrayConfig = memforge_spec::load::load_with(path, array::validate)?;
        for &n in &args.sizes {
            let mut cfg = base.clone();
            cfg.array.rows = n;
            cfg.array.cols = n;
            cfg.design.name = format!("bench_{ic}{n}x{n}");
            if let Some(p) = array::validate(&cfg).first() {
                anyhow::bail!("{ic} {n}x{n}: {} = {}: {}", p.path, p.value, p.rule);
            }
            let design = crate::blocks::array::ArrayDesign(cfg.clone());
            let out = tmp.path().join(&cfg.design.name);
            let mut best = f64::INFINITY;
            let mut peak = 0;
            let mut shape = (0, 0, 0);
            for run in 0..args.repeat.max(1) {
                if run == 0 {
                    reset_peak();
                }
                let t = Instant::now();
                let (emitted, files) = crate::blocks::generate_files(&design)?;
                write_design(&out, &files)?;
                best = best.min(t.elapsed().as_secs_f64());
                if run == 0 {
                    peak = peak_rss_kib().unwrap_or(0);
                    shape = (emitted.modules.len(), files.len(), emitted.ports.len());
                }
            }
            let mib = peak as f64 / 1024.0;
            let routers = cfg.routers().len();
            human.push_str(&format!(
                "| {ic} | {n}x{n} | {routers} | {} | {} | {} | {best:.3} | {mib:.0} |\n",
                shape.0, shape.1, shape.2
            ));
            if n >= 16 && (best > args.max_seconds || mib > args.max_mib) {
                over.push(format!("{ic} {n}x{n}: {best:.3} s, {mib:.0} MiB"));
            }
            rows.push(json!({
                "interconnect": ic, "side": n, "tiles": n * n, "routers": routers,
                "modules": shape.0, "files": shape.1, "ports": shape.2,
                "seconds": best, "peak_rss_mib": mib,
            }));
        }
    }
    let json = json!({ "runs": args.repeat, "rows": rows });
    if !over.is_empty() {
        return Err(CheckFailed {
            summary: format!(
                "over the budget ({} s, {} MiB): {}",
                args.max_seconds,
                args.max_mib,
                over.join("; ")
            ),
            details: json,
        }
        .into());
    }
    human.push_str(&format!(
        "\n16x16 budget: {} s and {} MiB each (best of {} runs)\n",
        args.max_seconds, args.max_mib, args.repeat
    ));
    Ok(Report { human, json })
}
