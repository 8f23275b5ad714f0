//! `memforge bench seed-mif [CONFIG]`: the memristive integrate-and-fire
//! layer's transient, memforge against ngspice on the same deck (the deck
//! `memforge seed mif` compares with): wall-clock times, their ratio, and
//! whether the spikes are the same (paired neuron by neuron within 1 % of
//! an input step). The case is the default config, 64 inputs x 16
//! neurons over 1,000 input steps.

use crate::cmd::seed::mif::{memforge_only, spike_tolerance, RELTOL};
use crate::outcome::{CheckFailed, Report};
use crate::spice::run_deck;
use anyhow::{Context, Result};
use memforge_sim::analog::seed::match_spikes;
use memforge_sim::analog::seed::mif::MifLayer;
use memforge_sim::analog::seed::mif_deck::{deck, output_vector};
use memforge_sim::analog::seed::trace::upward_crossings;
use memforge_spec::seed::mif::{self, MifConfig};
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// The speed-up the issue asks for.
pub const TARGET: f64 = 100.0;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// MIF layer config (TOML).
    #[arg(default_value = "examples/seed/mif-64x16.toml")]
    pub config: PathBuf,
    /// memforge runs (the best is reported); ngspice runs once.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub repeat: u32,
    /// Seconds ngspice may run before it is stopped.
    #[arg(long, default_value_t = 7200)]
    pub spice_timeout: u64,
    /// Time memforge only (ngspice takes tens of minutes at 64x16).
    #[arg(long)]
    pub memforge_only: bool,
}

pub fn run(args: &Args) -> Result<Report> {
    let cfg: MifConfig = memforge_spec::load::load_with(&args.config, mif::validate)?;
    let p = &cfg.mif;
    let layer = MifLayer::from_config(p);
    let mut best = f64::INFINITY;
    let mut ours = Vec::new();
    for _ in 0..args.repeat {
        let (traces, secs) = memforge_only(p, &layer);
        best = best.min(secs);
        ours = traces;
    }
    if args.memforge_only {
        let spikes: usize = ours.iter().map(|t| t.spikes.len()).sum();
        return Ok(Report {
            human: format!(
                "bench seed-mif: {}x{} layer, {} steps: memforge {best:.3} s (best of {}), {spikes} spikes; ngspice not run\n",
                p.inputs, p.neurons, p.steps, args.repeat
            ),
            json: json!({"inputs": p.inputs, "neurons": p.neurons, "steps": p.steps,
                         "memforge_seconds": best, "repeat": args.repeat, "spikes": spikes}),
        });
    }
    let run = run_deck(
        &deck(p, &layer, RELTOL),
        Duration::from_secs(args.spice_timeout),
    )
    .context("ngspice run of the MIF layer")?;
    let plot = run.plot()?;
    let times = plot.vector("time").context("ngspice result lacks time")?;
    let tol = spike_tolerance(p);
    let (mut spikes, mut ngspice_spikes, mut paired) = (0, 0, 0);
    let mut worst: f64 = 0.0;
    for (j, mine) in ours.iter().enumerate() {
        let o = plot
            .vector(&output_vector(j))
            .with_context(|| format!("ngspice result lacks {}", output_vector(j)))?;
        let theirs = upward_crossings(&times, &o, p.spike_level);
        let m = match_spikes(&mine.spikes, &theirs, tol);
        spikes += mine.spikes.len();
        ngspice_spikes += theirs.len();
        paired += m.pairs;
        worst = worst.max(m.max_dt);
    }
    let speedup = run.wall_seconds / best;
    let same = paired == spikes && paired == ngspice_spikes;
    let human = format!(
        "bench seed-mif: {}x{} layer, {} steps of {} ns ({} ms simulated)\n  memforge {:.3} s (best of {}), ngspice {:.1} s wall ({} analysis, reltol {RELTOL:.0e}, {}): {speedup:.0}x (target {TARGET}x)\n  spikes: memforge {spikes}, ngspice {ngspice_spikes}, {paired} paired within {:.1} ns, worst difference {:.3} ns: {}\n",
        p.inputs,
        p.neurons,
        p.steps,
        p.step_ns,
        f64::from(p.steps) * p.step_ns * 1e-6,
        best,
        args.repeat,
        run.wall_seconds,
        run.analysis_seconds
            .map_or("-".into(), |s| format!("{s:.1} s")),
        run.version,
        tol * 1e9,
        worst * 1e9,
        if same { "same spikes" } else { "SPIKES DIFFER" }
    );
    let json = json!({
        "inputs": p.inputs, "neurons": p.neurons, "steps": p.steps,
        "memforge_seconds": best, "repeat": args.repeat,
        "ngspice_seconds": run.wall_seconds, "ngspice_analysis_seconds": run.analysis_seconds,
        "ngspice_reltol": RELTOL, "ngspice_version": run.version,
        "speedup": speedup, "target": TARGET,
        "spikes": spikes, "ngspice_spikes": ngspice_spikes, "paired": paired,
        "worst_spike_dt_s": worst, "spike_time_tolerance_s": tol, "same_spikes": same,
    });
    if same {
        Ok(Report { human, json })
    } else {
        eprint!("{human}");
        Err(CheckFailed {
            summary: format!(
                "memforge and ngspice spikes differ: {paired} paired of {spikes} / {ngspice_spikes}"
            ),
            details: json,
        }
        .into())
    }
}
