//! `memforge learn CONFIG`: the STDP/SDSP demo of issue #13 (a repeated input
//! pattern hidden in Poisson noise, `memforge_sim::learning::pattern`) on
//! the golden model of a tile with `[learning] rule = "stdp"`; with `--rtl`
//! also on the Verilated RTL, whose learning curve must equal the model's
//! bit for bit. Prints the learning curve and writes it, with the
//! conductance histogram before/after, as SVG files into `--out`. A tile
//! with `rule = "eprop"` runs the digits readout instead (`eprop`), one
//! with `rule = "pcm_trace"` the delayed-reward bandit (`pcm_trace`).

mod chart;
mod eprop;
mod eprop_plot;
mod level_histogram;
pub mod pcm_trace;
mod pcm_trace_plot;
mod plot;

use crate::cosim::session::Session;
use crate::outcome::{CheckFailed, Report, UsageError};
use anyhow::{Context, Result};
use memforge_sim::cosim::{bind, Dut, VerilatedDut};
use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::{
    run_pattern_task, run_reference, seed_agreement, PatternCurve, PatternTask, RefPoint,
    SeedAgreement,
};
use memforge_sim::tile::TileModel;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design config (TOML) with `[learning] rule = "stdp"`, e.g.
    /// examples/stdp-8x8.toml.
    pub config: PathBuf,
    /// Directory for learning_curve.svg and conductance_histogram.svg (and,
    /// PCM-trace, trace_histogram.svg and delay_sweep.svg).
    #[arg(long, default_value = "learn-out")]
    pub out: PathBuf,
    /// Training windows (400 cycles each).
    #[arg(long, default_value_t = 600)]
    pub windows: usize,
    /// Seed of the task (noise, pattern times, initial levels).
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    /// Seeds (from --seed on) of the comparison with the float reference
    /// (golden model only; its verdict is on the mean over the seeds).
    #[arg(long, default_value_t = 8)]
    pub seeds: u64,
    /// Stochastic pulses (writes `learn_ctrl = 0b1111` after reset) even
    /// if the config's reset value is deterministic.
    #[arg(long)]
    pub stochastic: bool,
    /// Also run the Verilated RTL and compare its learning curve with the
    /// golden model's, bit for bit.
    #[arg(long)]
    pub rtl: bool,
    /// Print machine-readable JSON on stdout instead of a human summary.
    #[arg(long)]
    pub json: bool,
    /// e-prop: training epochs over the training digits.
    #[arg(long, default_value_t = 4)]
    pub epochs: usize,
    /// e-prop: training digits per epoch (the first N of the training set;
    /// default all 1,397).
    #[arg(long)]
    pub train: Option<usize>,
    /// e-prop: test digits (the first N of the test set; default all 400).
    #[arg(long)]
    pub test: Option<usize>,
    /// e-prop: the sign-update baseline (writes `learn_ctrl[1] = 0`: one
    /// pulse per non-zero update, no accumulator) instead of the config's
    /// mode.
    #[arg(long)]
    pub sign_update: bool,
    /// e-prop: directory of train_pixels.npy, train_labels.npy,
    /// test_pixels.npy, test_labels.npy (default: `digits/` next to the
    /// config).
    #[arg(long)]
    pub digits: Option<PathBuf>,
    /// PCM-trace: trials of the delayed-reward bandit.
    #[arg(long, default_value_t = 800)]
    pub trials: usize,
    /// PCM-trace: the reward's delay after the action, in device seconds
    /// (the tile's clock stopped meanwhile; the traces drift).
    #[arg(long, default_value_t = 10.0)]
    pub delay: f64,
    /// PCM-trace: the control run's delay, far beyond the traces'
    /// lifetime (nothing must be learned).
    #[arg(long, default_value_t = 1e5)]
    pub long_delay: f64,
}

pub fn run(args: &Args) -> Result<Report> {
    let cfg = memforge_spec::load_file(&args.config)?;
    if !cfg.learning.active() {
        return Err(UsageError(format!(
            "{}: `[learning] rule` is \"none\"; the demo needs a learning rule (e.g. examples/stdp-8x8.toml)",
            args.config.display()
        ))
        .into());
    }
    if cfg.learning.rule == memforge_spec::learning::LearningRule::Eprop {
        return eprop::run(args, &cfg);
    }
    if cfg.learning.rule == memforge_spec::learning::LearningRule::PcmTrace {
        return pcm_trace::run(args, &cfg);
    }
    if args.seeds == 0 {
        return Err(UsageError("--seeds must be at least 1".into()).into());
    }
    if args.windows == 0 {
        return Err(UsageError("--windows must be at least 1".into()).into());
    }
    let task = PatternTask {
        seed: args.seed,
        windows: args.windows,
        epoch: (args.windows / 12).max(1),
        learn_ctrl: args.stochastic.then_some(0b1111),
        ..PatternTask::default_for(cfg.tile.rows)
    };
    let stochastic = task.stochastic(&cfg);
    let mut model = TileModel::new(&cfg);
    let layout = model.layout().clone();
    let golden = run_pattern_task(&cfg, &layout, &task, |v, out| {
        model.tick(v);
        model.outputs(out);
    })
    .map_err(anyhow::Error::msg)?;
    // The float references model STDP and SDSP (not e-prop here) on ideal
    // weights (one step per pulse): no reference for device macros.
    let ideal_macro = cfg.analog.macro_model == memforge_spec::analog::MacroModel::Ideal;
    let seeds: Vec<u64> = (0..args.seeds).map(|k| args.seed.wrapping_add(k)).collect();
    // The reference curve and its agreement over the seeds, both or none.
    let reference = if ideal_macro {
        run_reference(&cfg, &task, stochastic).and_then(|curve| {
            let agree = seed_agreement(&cfg, &task, &seeds, |t| {
                let mut m = TileModel::new(&cfg);
                run_pattern_task(&cfg, &layout, t, |v, out| {
                    m.tick(v);
                    m.outputs(out);
                })
                .map(|c| c.points)
                .unwrap_or_default()
            })?;
            Some((curve, agree))
        })
    } else {
        None
    };

    let rtl_equal = if args.rtl {
        let rtl = on_rtl(&args.config, &layout, |ports| {
            run_pattern_task(&cfg, &layout, &task, ports)
        })?;
        Some(rtl == golden)
    } else {
        None
    };

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let curve_svg = args.out.join("learning_curve.svg");
    let hist_svg = args.out.join("conductance_histogram.svg");
    plot::curve(&golden, &curve_svg)?;
    plot::histogram(&golden, &cfg, &task, &hist_svg)?;

    let rule = serde_json::to_value(cfg.learning.rule)?;
    let rule = rule.as_str().unwrap_or("?").to_uppercase();
    let xbar = macro_description(&cfg);
    let mut human = format!("crossbar macro: {xbar}\n");
    human.push_str(&summary(
        &rule,
        &golden,
        &task,
        rtl_equal,
        &[&curve_svg, &hist_svg],
    ));
    let silent = silent_column_note(&cfg, &task, &golden);
    if let Some(note) = &silent {
        human.push_str(&format!("note: {note}\n"));
    }
    match &reference {
        Some((r, a)) => human.push_str(&reference_summary(&cfg, &golden, r, a, stochastic)),
        _ if !ideal_macro => human
            .push_str("float reference: models ideal weights, not compared with a device macro\n"),
        _ => human.push_str("float reference: not implemented for this rule\n"),
    }
    fail_unless_rtl_equal(rtl_equal, &human)?;
    let json = serde_json::json!({
        "config": args.config,
        "windows": task.windows,
        "window_cycles": task.window,
        "cycles": golden.cycles,
        "pattern_rows": task.pattern,
        "sets": golden.sets,
        "resets": golden.resets,
        "rtl_curve_equal": rtl_equal,
        "silent_column": silent,
        "curve": golden.points.iter().map(|p| serde_json::json!({
            "window": p.window,
            "pattern_mean": p.pattern_mean(),
            "noise_mean": p.noise_mean(),
            "hit_rate": p.hit_rate(),
            "false_alarm_rate": p.false_alarm_rate(),
        })).collect::<Vec<_>>(),
        "plots": [curve_svg, hist_svg],
        "stochastic": stochastic,
        "rule": rule,
        "macro": xbar,
        "reference": reference.as_ref().map(|(reference, agree)| serde_json::json!({
            "curve": reference.iter().map(|p| serde_json::json!({
                "window": p.window,
                "pattern_mean": p.pattern_mean,
                "noise_mean": p.noise_mean,
                "hit_rate": p.hit_rate,
                "false_alarm_rate": p.false_alarm_rate,
            })).collect::<Vec<_>>(),
            "seeds": agree.seeds,
            "late_gap_and_selectivity_digital": agree.digital,
            "late_gap_and_selectivity_reference": agree.reference,
            "mean_difference": [agree.diff.0, agree.diff.1],
            "margin": [agree.margin.0, agree.margin.1],
            "within_margin": agree.within(),
        })),
    });
    Ok(Report { human, json })
}

/// A `--rtl` run whose learning curve differs from the golden model's
/// fails the command, with the summary that shows both.
fn fail_unless_rtl_equal(rtl_equal: Option<bool>, human: &str) -> Result<()> {
    if rtl_equal == Some(false) {
        return Err(CheckFailed {
            summary: human.to_string(),
            details: serde_json::Value::Null,
        }
        .into());
    }
    Ok(())
}

/// A run in which column 0 never fired shows no detection at all (hit and
/// false-alarm rates 0 throughout): say why, from the task's input
/// against the neuron's settings, rather than leave a flat curve to be
/// read as a result.
fn silent_column_note(
    cfg: &memforge_spec::DesignConfig,
    task: &PatternTask,
    c: &PatternCurve,
) -> Option<String> {
    if c.points.iter().any(|p| p.pattern_hits + p.noise_hits > 0) {
        return None;
    }
    let rows = task.pattern.len();
    let n = &cfg.neuron;
    Some(format!(
        "column 0 never fired in {} windows: the pattern's {rows} rows at the initial level {} codes sum to {} against the threshold {} (leak {} every {} cycles); the task's defaults are tuned for the 8x8 examples (docs/learning.md, \"Demo: a pattern hidden in noise\")",
        task.windows,
        task.g0,
        rows * usize::from(task.g0),
        n.threshold,
        n.leak,
        memforge_spec::regmap::LEAK_PERIOD_RESET + 1,
    ))
}

/// Runs a demo's task (`run`, given the ports to drive) against the
/// Verilated RTL of `config`'s tile; a Verilator failure during the run
/// is the error, as is the task's own.
fn on_rtl<T>(
    config: &std::path::Path,
    layout: &memforge_sim::cycle::PortLayout,
    run: impl FnOnce(&mut dyn FnMut(&[u64], &mut [u64])) -> Result<T, String>,
) -> Result<T> {
    let session = Session::open(config, Some("tile"), false)?;
    let binding = bind(layout, session.lib.ports(), &session.clock)?;
    let mut dut = VerilatedDut {
        rtl: session.lib.instantiate(false)?,
        binding,
    };
    let mut err = None;
    let out = run(&mut |v, out| {
        if let Err(e) = dut.cycle(v, out) {
            err.get_or_insert(e);
        }
    })
    .map_err(anyhow::Error::msg)?;
    match err {
        Some(e) => Err(e.into()),
        None => Ok(out),
    }
}

/// Which crossbar macro played the runs (`[analog] macro_model`).
fn macro_description(cfg: &memforge_spec::DesignConfig) -> String {
    use memforge_spec::analog::MacroModel;
    let a = &cfg.analog;
    match a.macro_model {
        MacroModel::Ideal => "ideal (IdealXbar: one ADC code per pulse)".into(),
        MacroModel::Device => format!(
            "device (AnalogXbar: {} cells, {} read path, {}, analog seed {})",
            serde_json::to_value(a.device)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            serde_json::to_value(a.read_path)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            if a.realistic {
                "variability and noise on"
            } else {
                "ideal devices"
            },
            a.seed
        ),
    }
}

fn summary(
    rule: &str,
    c: &PatternCurve,
    task: &PatternTask,
    rtl: Option<bool>,
    plots: &[&std::path::Path],
) -> String {
    let mut s = format!(
        "{rule} pattern-in-noise demo: {} windows x {} cycles, pattern rows {:?}, {} SET / {} RESET pulses\n",
        task.windows, task.window, task.pattern, c.sets, c.resets
    );
    s.push_str("  window  pattern G  noise G  hits  false alarms  (G: mean cell level, ADC codes; column 0's response)\n");
    for p in &c.points {
        let _ = writeln!(
            s,
            "  {:6}  {:9.2}  {:7.2}  {:4.2}  {:12.2}",
            p.window,
            p.pattern_mean(),
            p.noise_mean(),
            p.hit_rate(),
            p.false_alarm_rate()
        );
    }
    if let (Some(first), Some(last)) = (c.points.get(1), c.points.last()) {
        let _ = writeln!(
            s,
            "  selectivity (hits - false alarms): first epoch {:.2}, last epoch {:.2}",
            first.hit_rate() - first.false_alarm_rate(),
            last.hit_rate() - last.false_alarm_rate()
        );
    }
    match rtl {
        Some(true) => s.push_str(
            "  RTL (Verilated) learning curve: equal to the golden model's, bit for bit\n",
        ),
        Some(false) => {
            s.push_str("  RTL (Verilated) learning curve: DIFFERS from the golden model's\n")
        }
        None => {}
    }
    for p in plots {
        let _ = writeln!(s, "  wrote {}", p.display());
    }
    s
}

/// The float reference next to the digital curve: level gap and
/// selectivity per point, then the verdict over the seeds.
fn reference_summary(
    cfg: &memforge_spec::DesignConfig,
    c: &PatternCurve,
    reference: &[RefPoint],
    a: &SeedAgreement,
    stochastic: bool,
) -> String {
    let mut s = format!(
        "float reference (same rule: {}; {} pulses):\n",
        memforge_sim::learning::float_rules::float_rule(cfg, stochastic)
            .map_or("?", |r| r.summary()),
        if stochastic {
            "stochastic"
        } else {
            "deterministic"
        }
    );
    s.push_str(
        "  window  gap digital  gap float  sel. digital  sel. float  (gap: pattern G - noise G)\n",
    );
    for (d, r) in c.points.iter().zip(reference) {
        let dp = RefPoint::from(d);
        let _ = writeln!(
            s,
            "  {:6}  {:11.2}  {:9.2}  {:12.2}  {:10.2}",
            d.window,
            dp.gap(),
            r.gap(),
            dp.selectivity(),
            r.selectivity()
        );
    }
    let (dm, rm) = (
        SeedAgreement::mean(&a.digital),
        SeedAgreement::mean(&a.reference),
    );
    let _ = writeln!(
        s,
        "  over seeds {}..={} (last third of the epochs): gap digital {:.2}, float {:.2}, difference {:+.2} (margin {:.2}); selectivity digital {:.2}, float {:.2}, difference {:+.2} (margin {:.2}): {}",
        a.seeds.first().copied().unwrap_or(0),
        a.seeds.last().copied().unwrap_or(0),
        dm.0,
        rm.0,
        a.diff.0,
        a.margin.0,
        dm.1,
        rm.1,
        a.diff.1,
        a.margin.1,
        if a.within() { "within the margin" } else { "OUTSIDE the margin" }
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use memforge_sim::learning::pattern::PatternPoint;

    #[test]
    fn a_column_that_never_fired_is_named_with_its_input_and_threshold() {
        let cfg = memforge_spec::load_file(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/sdsp-32x32.toml"
        )))
        .unwrap();
        let task = PatternTask::default_for(cfg.tile.rows);
        let mut curve = PatternCurve {
            points: vec![PatternPoint::default(); 3],
            ..Default::default()
        };
        let note = silent_column_note(&cfg, &task, &curve).unwrap();
        assert!(
            note.contains("sum to 160 against the threshold 512"),
            "{note}"
        );
        curve.points[2].noise_hits = 1;
        assert_eq!(silent_column_note(&cfg, &task, &curve), None);
    }
}
