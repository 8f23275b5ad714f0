//! `memforge seed mif CONFIG`: the memristive integrate-and-fire layer
//! (RRAM synapse crossbar, volatile threshold-switching neurons) in Rust
//! and in ngspice from the same config: output spike times paired neuron
//! by neuron, and the membranes compared sample by sample.

use super::plot::{membrane, Series};
use crate::outcome::Report;
use crate::spice::run_deck;
use anyhow::{Context, Result};
use memforge_sim::analog::seed::mif::{simulate, MifLayer};
use memforge_sim::analog::seed::mif_deck::{deck, membrane_vector, output_vector};
use memforge_sim::analog::seed::trace::{resample, upward_crossings};
use memforge_sim::analog::seed::{compare_traces, match_spikes, Trace};
use memforge_spec::seed::mif::{self, MifConfig, MifSection};
use serde_json::json;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// ngspice's relative tolerance in the comparison decks. At 1e-6 ngspice
/// put a spike that creeps up on the threshold 29 ns late (against its own
/// 1e-8 answer, with which memforge agrees within 3 ns); 1e-7 is within
/// 3 ns of 1e-8 at 60 % of its run time.
pub const RELTOL: f64 = 1e-7;
/// Largest membrane RMS difference accepted (V).
pub const RMS_TOLERANCE: f64 = 5e-3;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// MIF layer config (TOML, a `[mif]` section; examples/seed/mif.toml).
    pub config: PathBuf,
    /// Write neuron 0's membrane (ngspice and memforge) as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Input steps shown in the plot (from the start).
    #[arg(long, default_value_t = 30)]
    pub plot_steps: u32,
    /// Also write the ngspice deck here.
    #[arg(long, value_name = "FILE.sp")]
    pub deck: Option<PathBuf>,
    /// Seconds ngspice may run before it is stopped.
    #[arg(long, default_value_t = 600)]
    pub spice_timeout: u64,
}

/// One neuron's comparison.
#[derive(Clone, Debug, serde::Serialize)]
pub struct NeuronCheck {
    pub spikes: usize,
    pub ngspice_spikes: usize,
    pub paired: usize,
    pub max_dt_s: f64,
    pub rms_v: f64,
    pub max_abs_v: f64,
    pub memforge_spike_times: Vec<f64>,
    pub ngspice_spike_times: Vec<f64>,
}

/// Everything one comparison produced.
pub struct MifRun {
    pub memforge: Vec<Trace>,
    pub ngspice: Vec<Trace>,
    pub neurons: Vec<NeuronCheck>,
    pub memforge_seconds: f64,
    pub ngspice_seconds: f64,
    pub ngspice_analysis_seconds: Option<f64>,
}

/// Spike-time tolerance (s): 1 % of an input step (the issue's "1 % or
/// one time step").
pub fn spike_tolerance(p: &MifSection) -> f64 {
    0.01 * p.step_ns * 1e-9
}

/// memforge's run of the layer alone (spikes only, no samples), timed.
pub fn memforge_only(p: &MifSection, layer: &MifLayer) -> (Vec<Trace>, f64) {
    let start = Instant::now();
    let out = simulate(p, layer, false);
    (out, start.elapsed().as_secs_f64())
}

/// Runs the layer in memforge and ngspice and compares them.
pub fn compare(p: &MifSection, timeout: Duration, keep: Option<&Path>) -> Result<MifRun> {
    let layer = MifLayer::from_config(p);
    let (_, memforge_seconds) = memforge_only(p, &layer);
    let ours = simulate(p, &layer, true);
    let text = deck(p, &layer, RELTOL);
    if let Some(path) = keep {
        std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
    }
    let run = run_deck(&text, timeout).context("ngspice run of the MIF layer")?;
    let plot = run.plot()?;
    let times = plot
        .vector("time")
        .context("ngspice result lacks the time vector")?;
    let tol = spike_tolerance(p);
    let mut ngspice = Vec::new();
    let mut neurons = Vec::new();
    for (j, mine) in ours.iter().enumerate() {
        let get = |name: String| {
            plot.vector(&name)
                .with_context(|| format!("ngspice result lacks {name}"))
        };
        let v = get(membrane_vector(j))?;
        let o = get(output_vector(j))?;
        let theirs = Trace {
            v: resample(&times, &v, &mine.t),
            t: mine.t.clone(),
            spikes: upward_crossings(&times, &o, p.spike_level),
        };
        let m = match_spikes(&mine.spikes, &theirs.spikes, tol);
        let a = compare_traces(mine, &theirs);
        neurons.push(NeuronCheck {
            spikes: mine.spikes.len(),
            ngspice_spikes: theirs.spikes.len(),
            paired: m.pairs,
            max_dt_s: m.max_dt,
            rms_v: a.rms_v,
            max_abs_v: a.max_abs_v,
            memforge_spike_times: mine.spikes.clone(),
            ngspice_spike_times: theirs.spikes.clone(),
        });
        ngspice.push(theirs);
    }
    Ok(MifRun {
        memforge: ours,
        ngspice,
        neurons,
        memforge_seconds,
        ngspice_seconds: run.wall_seconds,
        ngspice_analysis_seconds: run.analysis_seconds,
    })
}

pub fn run(args: &Args) -> Result<Report> {
    let cfg: MifConfig = memforge_spec::load::load_with(&args.config, mif::validate)?;
    let p = &cfg.mif;
    let r = compare(
        p,
        Duration::from_secs(args.spice_timeout),
        args.deck.as_deref(),
    )?;
    let tol = spike_tolerance(p);
    let mut human = String::new();
    let _ = writeln!(
        human,
        "MIF layer: {} inputs x {} neurons, {} steps of {} ns ({} ns pulses at {} V, rate {}), synapses {}..{} µS, C = {} pF, TS device {}/{} Ω, V_on {} V, V_hold {} V",
        p.inputs, p.neurons, p.steps, p.step_ns, p.pulse_ns, p.v_in, p.input_rate, p.g_min_us,
        p.g_max_us, p.c_mem_pf, p.ts_r_on_ohm, p.ts_r_off_ohm, p.ts_v_on, p.ts_v_hold
    );
    let mut failures = Vec::new();
    for (j, n) in r.neurons.iter().enumerate() {
        let _ = writeln!(
            human,
            "  neuron {j}: spikes {} (ngspice {}), {} paired, worst spike-time difference {:.3} ns; membrane RMS {:.2e} V, max {:.2e} V",
            n.spikes, n.ngspice_spikes, n.paired, n.max_dt_s * 1e9, n.rms_v, n.max_abs_v
        );
        if n.paired != n.spikes || n.paired != n.ngspice_spikes {
            failures.push(format!(
                "neuron {j}: {} of {} memforge spikes pair with ngspice's {} within {:.1} ns",
                n.paired,
                n.spikes,
                n.ngspice_spikes,
                tol * 1e9
            ));
        }
        if n.rms_v > RMS_TOLERANCE {
            failures.push(format!(
                "neuron {j}: membrane RMS difference {:.2e} V above {RMS_TOLERANCE:.0e} V",
                n.rms_v
            ));
        }
    }
    let total: usize = r.neurons.iter().map(|n| n.spikes).sum();
    let worst = r.neurons.iter().map(|n| n.max_dt_s).fold(0.0, f64::max);
    let _ = writeln!(
        human,
        "  {total} spikes, worst spike-time difference {:.3} ns (tolerance {:.1} ns, 1 % of a step); memforge {:.2} ms, ngspice {:.2} s wall: {:.0}x",
        worst * 1e9,
        tol * 1e9,
        r.memforge_seconds * 1e3,
        r.ngspice_seconds,
        r.ngspice_seconds / r.memforge_seconds
    );
    let mut json = json!({
        "config": cfg,
        "neurons": r.neurons,
        "spike_time_tolerance_s": tol,
        "worst_spike_dt_s": worst,
        "spikes": total,
        "memforge_seconds": r.memforge_seconds,
        "ngspice_seconds": r.ngspice_seconds,
        "ngspice_analysis_seconds": r.ngspice_analysis_seconds,
        "speedup": r.ngspice_seconds / r.memforge_seconds,
    });
    if let Some(path) = &args.plot {
        let t_end = f64::from(args.plot_steps.min(p.steps)) * p.step_ns * 1e-9;
        membrane(
            &format!(
                "MIF neuron 0 membrane: ngspice vs memforge ({}x{} layer, seed {})",
                p.inputs, p.neurons, p.seed
            ),
            &[
                Series {
                    label: "ngspice".into(),
                    trace: &r.ngspice[0],
                },
                Series {
                    label: "memforge".into(),
                    trace: &r.memforge[0],
                },
            ],
            p.ts_v_on,
            t_end,
            path,
        )?;
        let _ = writeln!(human, "  plot: {}", path.display());
        json["plot"] = json!(path);
    }
    Report::verdict(human, json, &failures)
}
