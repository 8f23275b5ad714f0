//! `memforge seed pnn CONFIG`: Sakemi et al.'s point on memforge's own
//! decks. The charge-domain column is simulated three ways from one config
//! and one seeded input: ngspice (the reference), the bottom-up Rust model
//! (synaptic current `G (E - V)`) and the top-down linear one (`G (E -
//! v_ref)`); the membrane errors of both models and their spike-time errors
//! are printed, and the run fails unless the bottom-up model agrees with
//! ngspice and beats the top-down one by at least [`MIN_RATIO`].

use super::plot::{membrane, Series};
use crate::outcome::Report;
use crate::spice::run_deck;
use anyhow::{Context, Result};
use memforge_sim::analog::seed::pnn::{simulate, Model, PnnColumn};
use memforge_sim::analog::seed::pnn_deck::{deck, MEMBRANE};
use memforge_sim::analog::seed::trace::{peak_between, resample, reset_times};
use memforge_sim::analog::seed::{compare_traces, match_spikes, SpikeMatch, Trace, TraceAgreement};
use memforge_spec::seed::pnn::{self, PnnConfig, PnnSection};
use serde_json::json;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The bottom-up model must be at least this many times closer to ngspice
/// (membrane RMS) than the top-down one: the paper's "order of magnitude".
pub const MIN_RATIO: f64 = 10.0;
/// Largest bottom-up membrane RMS error accepted (V).
pub const BOTTOM_UP_RMS_TOLERANCE: f64 = 1e-3;
/// A spike one simulator fires and the other misses is a *graze*, not an
/// error, when the membrane that did not fire came within this of the
/// threshold (V): whether a peak 0.1 mV under `v_th` fires is decided by
/// ngspice's truncation error (about 0.1 mV here), not by the models.
pub const GRAZE_V: f64 = 1e-3;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// PNN column config (TOML, a `[pnn]` section; examples/seed/pnn.toml).
    pub config: PathBuf,
    /// Write the membrane traces (ngspice, bottom-up, top-down) as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Input steps shown in the plot (from the start).
    #[arg(long, default_value_t = 40)]
    pub plot_steps: u32,
    /// Also write the ngspice deck here (to rerun or inspect it).
    #[arg(long, value_name = "FILE.sp")]
    pub deck: Option<PathBuf>,
    /// Seconds ngspice may run before it is stopped.
    #[arg(long, default_value_t = 600)]
    pub spice_timeout: u64,
}

/// Everything one comparison produced.
pub struct PnnRun {
    pub ngspice: Trace,
    pub bottom_up: Trace,
    pub top_down: Trace,
    pub bottom_up_error: TraceAgreement,
    pub top_down_error: TraceAgreement,
    /// The bottom-up model's spikes paired with ngspice's.
    pub spikes: SpikeMatch,
    /// Of the unpaired spikes, the largest distance to the threshold of
    /// the membrane that did not fire (V); 0 when every spike paired.
    pub worst_graze_v: f64,
    pub memforge_seconds: f64,
    pub ngspice_seconds: f64,
}

/// Runs the three simulations of `p` and compares them.
pub fn compare(p: &PnnSection, timeout: Duration, keep: Option<&Path>) -> Result<PnnRun> {
    let col = PnnColumn::from_config(p);
    let text = deck(p, &col);
    if let Some(path) = keep {
        std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
    }
    let start = Instant::now();
    let bottom_up = simulate(p, &col, Model::BottomUp);
    let memforge_seconds = start.elapsed().as_secs_f64();
    let top_down = simulate(p, &col, Model::TopDown);
    let run = run_deck(&text, timeout).context("ngspice run of the PNN column")?;
    let plot = run.plot()?;
    let times = plot
        .vector("time")
        .context("ngspice result lacks the time vector")?;
    let v = plot
        .vector(MEMBRANE)
        .with_context(|| format!("ngspice result lacks {MEMBRANE}"))?;
    let band = p.v_th - p.v_release;
    let ngspice = Trace {
        v: resample(&times, &v, &bottom_up.t),
        t: bottom_up.t.clone(),
        // The reset switch closes at v_th and lets go at v_release: a
        // firing is a rise into the band's top tenth and a fall into its
        // bottom quarter within 50 reset time constants (inhibition takes
        // microseconds).
        spikes: reset_times(
            &times,
            &v,
            p.v_th - band / 10.0,
            p.v_release + band / 4.0,
            50.0 * p.r_reset_ohm * p.c_mem_ff * 1e-15,
        ),
    };
    let tol = spike_tolerance(p);
    let spikes = match_spikes(&bottom_up.spikes, &ngspice.spikes, tol);
    let window = 2.0 * p.sample_ns * 1e-9;
    let miss = |other: &Trace, t: f64| p.v_th - peak_between(other, t - window, t + window);
    let worst_graze_v = spikes
        .only_ours
        .iter()
        .map(|&t| miss(&ngspice, t))
        .chain(spikes.only_reference.iter().map(|&t| miss(&bottom_up, t)))
        .fold(0.0, f64::max);
    Ok(PnnRun {
        spikes,
        worst_graze_v,
        bottom_up_error: compare_traces(&bottom_up, &ngspice),
        top_down_error: compare_traces(&top_down, &ngspice),
        ngspice,
        bottom_up,
        top_down,
        memforge_seconds,
        ngspice_seconds: run.wall_seconds,
    })
}

/// Spike-time tolerance (s): one sample, or 1 % of an input step if larger.
pub fn spike_tolerance(p: &PnnSection) -> f64 {
    (p.sample_ns * 1e-9).max(0.01 * p.step_ns * 1e-9)
}

fn describe(name: &str, e: &TraceAgreement) -> String {
    let dt = if e.max_spike_dt.is_finite() {
        format!("{:.3} ns", e.max_spike_dt * 1e9)
    } else {
        "counts differ".into()
    };
    format!(
        "  {name:<10} membrane RMS {:.3e} V, max {:.3e} V; spikes {} (ngspice {}), worst spike-time error {dt}",
        e.rms_v, e.max_abs_v, e.spikes, e.reference_spikes
    )
}

pub fn run(args: &Args) -> Result<Report> {
    let cfg: PnnConfig = memforge_spec::load::load_with(&args.config, pnn::validate)?;
    let p = &cfg.pnn;
    let r = compare(
        p,
        Duration::from_secs(args.spice_timeout),
        args.deck.as_deref(),
    )?;
    let ratio = r.top_down_error.rms_v / r.bottom_up_error.rms_v;
    let mut human = String::new();
    let _ = writeln!(
        human,
        "PNN charge-domain column: {} inputs, {} steps of {} ns ({} ns pulses, rate {}), C = {} fF, E+ {} V, E- {} V, E_L {} V, threshold {} V",
        p.inputs, p.steps, p.step_ns, p.pulse_ns, p.input_rate, p.c_mem_ff, p.e_exc, p.e_inh, p.e_leak, p.v_th
    );
    let _ = writeln!(human, "{}", describe("bottom-up", &r.bottom_up_error));
    let _ = writeln!(
        human,
        "{}",
        describe(
            &format!("top-down (v_ref {} V)", p.v_ref()),
            &r.top_down_error
        )
    );
    let _ = writeln!(
        human,
        "  top-down / bottom-up membrane RMS error: {ratio:.1}x (need >= {MIN_RATIO}x); memforge {:.2} ms, ngspice {:.2} s",
        r.memforge_seconds * 1e3,
        r.ngspice_seconds
    );
    let spike_tol = spike_tolerance(p);
    let m = &r.spikes;
    let grazes = m.only_ours.len() + m.only_reference.len();
    let unpaired = if grazes == 0 {
        "every spike paired".to_string()
    } else {
        format!(
            "{grazes} unpaired, the worst missed by {:.3} mV (a graze if under {} mV)",
            r.worst_graze_v * 1e3,
            GRAZE_V * 1e3
        )
    };
    let _ = writeln!(
        human,
        "  bottom-up spikes vs ngspice: {} paired, worst time difference {:.1} ps (tolerance {:.0} ps); {unpaired}",
        m.pairs,
        m.max_dt * 1e12,
        spike_tol * 1e12,
    );
    let mut failures = Vec::new();
    if r.bottom_up_error.rms_v > BOTTOM_UP_RMS_TOLERANCE {
        failures.push(format!(
            "bottom-up membrane RMS error {:.3e} V above {BOTTOM_UP_RMS_TOLERANCE:.0e} V",
            r.bottom_up_error.rms_v
        ));
    }
    if m.pairs == 0 || r.worst_graze_v > GRAZE_V {
        failures.push(format!(
            "bottom-up spikes differ from ngspice: {} paired, {} only in memforge, {} only in ngspice, a missed one {:.3} mV from the threshold (tolerance {spike_tol:.1e} s, {} mV)",
            m.pairs, m.only_ours.len(), m.only_reference.len(), r.worst_graze_v * 1e3, GRAZE_V * 1e3
        ));
    }
    if ratio.is_nan() || ratio < MIN_RATIO {
        failures.push(format!(
            "the bottom-up model is only {ratio:.1}x closer to ngspice than the top-down one (need {MIN_RATIO}x)"
        ));
    }
    let mut json = json!({
        "config": cfg,
        "bottom_up": r.bottom_up_error,
        "top_down": r.top_down_error,
        "ratio": ratio,
        "spike_time_tolerance_s": spike_tol,
        "spike_match": r.spikes,
        "worst_graze_v": r.worst_graze_v,
        "spikes": {"ngspice": r.ngspice.spikes, "bottom_up": r.bottom_up.spikes, "top_down": r.top_down.spikes},
        "memforge_seconds": r.memforge_seconds,
        "ngspice_seconds": r.ngspice_seconds,
    });
    if let Some(path) = &args.plot {
        let t_end = f64::from(args.plot_steps.min(p.steps)) * p.step_ns * 1e-9;
        membrane(
            &format!(
                "PNN column membrane: ngspice vs bottom-up vs top-down ({} inputs, seed {})",
                p.inputs, p.seed
            ),
            &[
                Series {
                    label: "ngspice".into(),
                    trace: &r.ngspice,
                },
                Series {
                    label: "bottom-up (G (E - V))".into(),
                    trace: &r.bottom_up,
                },
                Series {
                    label: format!("top-down (G (E - {} V))", p.v_ref()),
                    trace: &r.top_down,
                },
            ],
            p.v_th,
            t_end,
            path,
        )?;
        let _ = writeln!(human, "  plot: {}", path.display());
        json["plot"] = json!(path);
    }
    Report::verdict(human, json, &failures)
}
