//! `memforge task TASK.toml --out DIR`: maps a trained network's task onto
//! its array and scores it on the network simulator (issue #15 part 3):
//! float reference, ideal devices, realistic devices over a variability
//! sweep and PCM drift, routing usage per router; plots as SVG.

mod plot;

use crate::netsim::task::{rate_code, score, Task};
use crate::netsim::CellModel;
use crate::outcome::Report;
use anyhow::{Context, Result};
use memforge_spec::analog::{AnalogSection, DeviceKind};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The task file, e.g. examples/digits/task.toml.
    pub task: PathBuf,
    /// Directory for the plots and report.json (created).
    #[arg(long)]
    pub out: PathBuf,
    /// Samples scored (default: all of the data set).
    #[arg(long)]
    pub samples: Option<usize>,
    /// Variability sigmas of the sweep (device-to-device and programming).
    #[arg(long, value_delimiter = ',', default_value = "0,0.05,0.1,0.2,0.3,0.5")]
    pub sigmas: Vec<f64>,
    /// Seeds per realistic point (accuracy averaged).
    #[arg(long, default_value_t = 3)]
    pub seeds: u64,
}

/// The `[analog]` devices of the array with `sigma` as both the
/// device-to-device and the programming spread.
fn devices(base: &AnalogSection, kind: DeviceKind, sigma: f64, seed: u64) -> AnalogSection {
    let mut a = base.clone();
    a.device = kind;
    a.realistic = true;
    a.seed = seed;
    a.variability.d2d_sigma = sigma;
    a.variability.c2c_sigma = sigma;
    a
}

pub fn run(args: &Args, json: bool) -> Result<Report> {
    let task = Task::load(&args.task)?;
    let n = args
        .samples
        .unwrap_or(task.labels.len())
        .min(task.labels.len());
    let seeds = args.seeds.max(1);
    let pcm_times = [1.0, 3600.0, 86400.0];
    let total = 2 + args.sigmas.len() as u64 * seeds + pcm_times.len() as u64;
    let bar = crate::progress::bar(total * n as u64, "task", json);
    let tick = || bar.inc(1);
    let t0 = std::time::Instant::now();
    let (float_acc, _) = score(&task, &mut task.simulator(&CellModel::Float)?, n, &tick);
    let mut ideal_sim = task.simulator(&CellModel::Ideal)?;
    let start = std::time::Instant::now();
    let (ideal_acc, outs) = score(&task, &mut ideal_sim, n, &tick);
    let ideal_s = start.elapsed().as_secs_f64();
    let syn: u64 = outs.iter().map(|o| o.synaptic_events).sum();
    let base = &task.cfg.analog;
    let mut linear = Vec::new();
    for &sigma in &args.sigmas {
        let mut acc = 0.0;
        for s in 0..seeds {
            let model = CellModel::Analog {
                section: Box::new(devices(base, DeviceKind::Linear, sigma, 1 + s)),
                time_s: 0.0,
            };
            acc += score(&task, &mut task.simulator(&model)?, n, &tick).0;
        }
        linear.push((sigma, acc / seeds as f64));
    }
    let mut pcm = Vec::new();
    for &t in &pcm_times {
        let model = CellModel::Analog {
            section: Box::new(devices(base, DeviceKind::Pcm, 0.0, 1)),
            time_s: t,
        };
        pcm.push((t, score(&task, &mut task.simulator(&model)?, n, &tick).0));
    }
    bar.finish_and_clear();
    // Routing usage per router (ideal devices, all samples).
    let (gr, gc) = (task.cfg.grid_rows() as usize, task.cfg.grid_cols() as usize);
    let mut usage = vec![vec![0u64; gc]; gr];
    for o in &outs {
        for (k, &u) in o.router_spikes.iter().enumerate() {
            usage[k / gc][k % gc] += u;
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let first = ideal_sim.run(&task.spikes(0), task.drain(), true);
    let inputs: Vec<(u32, u32)> = rate_code(&task.pixels[0], task.file.steps)
        .iter()
        .enumerate()
        .flat_map(|(s, ks)| ks.iter().map(move |&k| (s as u32, k)))
        .collect();
    plot::raster(
        &format!(
            "digits sample 0 (label {}, predicted {}), ideal devices",
            task.labels[0],
            task.predict(&first)
        ),
        &first.raster,
        &inputs,
        task.mapping.neurons as u32,
        task.file.steps + task.drain() as u32,
        &args.out.join("raster.svg"),
    )?;
    plot::heat(
        &format!("spikes through each router, {n} samples (grey: neuron tiles)"),
        &usage,
        &args.out.join("routing_usage.svg"),
    )?;
    plot::sweep(
        &[(
            "linear devices (mean of seeds)".into(),
            linear.iter().map(|&(s, a)| (s, 100.0 * a)).collect(),
        )],
        100.0 * ideal_acc,
        &args.out.join("accuracy_vs_variability.svg"),
    )?;
    let routers: Vec<_> = usage
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.iter().enumerate().map(move |(j, &u)| (i, j, u)))
        .filter(|&(i, j, _)| !(i % 2 == 1 && j % 2 == 1))
        .map(|(i, j, u)| json!({"cell": [i, j], "spikes": u}))
        .collect();
    let report = json!({
        "ok": true,
        "task": args.task.display().to_string(),
        "samples": n,
        "accuracy": {
            "float": float_acc,
            "ideal": ideal_acc,
            "linear_variability": linear.iter().map(|&(s, a)| json!({"sigma": s, "accuracy": a})).collect::<Vec<_>>(),
            "pcm_drift": pcm.iter().map(|&(t, a)| json!({"seconds": t, "accuracy": a})).collect::<Vec<_>>(),
        },
        "synaptic_events": syn,
        "ideal_seconds": ideal_s,
        "synaptic_events_per_second": syn as f64 / ideal_s.max(1e-9),
        "routes": task.mapping.routes,
        "router_spikes": routers,
        "seconds": t0.elapsed().as_secs_f64(),
        "out": args.out.display().to_string(),
    });
    std::fs::write(
        args.out.join("report.json"),
        serde_json::to_string_pretty(&report)? + "\n",
    )
    .with_context(|| format!("writing {}", args.out.join("report.json").display()))?;
    let mut human = format!(
        "task {} on `{}`: {} samples, {} routes\n  accuracy: float {:.1} %, ideal devices {:.1} %\n",
        args.task.display(),
        task.mapping.design,
        n,
        task.mapping.routes,
        100.0 * float_acc,
        100.0 * ideal_acc
    );
    for (s, a) in &linear {
        human += &format!(
            "  linear devices, sigma {s}: {:.1} % (mean of {seeds} seeds)\n",
            100.0 * a
        );
    }
    for (t, a) in &pcm {
        human += &format!(
            "  PCM, read {t} s after programming (drift, read noise): {:.1} %\n",
            100.0 * a
        );
    }
    human += "  spikes per router (grid cell): ";
    human += &usage
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.iter().enumerate().map(move |(j, &u)| (i, j, u)))
        .filter(|&(i, j, u)| !(i % 2 == 1 && j % 2 == 1) && u > 0)
        .map(|(i, j, u)| format!("({i},{j}) {u}"))
        .collect::<Vec<_>>()
        .join(", ");
    human += &format!(
        "\n  simulator: {syn} synaptic events in {ideal_s:.3} s ({:.0} M/s)\n  plots: raster.svg, routing_usage.svg, accuracy_vs_variability.svg in {}\n",
        syn as f64 / ideal_s.max(1e-9) / 1e6,
        args.out.display()
    );
    Ok(Report {
        human,
        json: report,
    })
}
