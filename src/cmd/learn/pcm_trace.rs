//! `memforge learn CONFIG` on a PCM-trace tile: the delayed-reward
//! contextual bandit of `memforge_sim::learning::reward`
//! (docs/learning_pcm_trace.md, "The demo") on the golden model at
//! `--delay` and at `--long-delay` (the control: beyond the traces'
//! lifetime nothing is learned), the float reference of the same rule at
//! both, a delay sweep; with `--rtl` the same run on the Verilated RTL,
//! whose curve must equal the model's bit for bit.

use super::pcm_trace_plot;
use super::Args;
use crate::outcome::{Report, UsageError};
use anyhow::{Context, Result};
use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::reward_reference::final_float_accuracy;
use memforge_sim::learning::{
    agreement_margin, run_reward_reference, run_reward_task, RewardCurve, RewardTask,
};
use memforge_sim::tile::TileModel;
use memforge_spec::DesignConfig;
use std::fmt::Write as _;

/// Blocks at the end over which the final accuracy is taken.
pub const FINAL_BLOCKS: usize = 5;

/// Delays of the sweep (device seconds).
pub const SWEEP_S: [f64; 9] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];

/// The golden model's run of `task`.
pub fn model_run(cfg: &DesignConfig, task: &RewardTask) -> Result<RewardCurve> {
    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    run_reward_task(cfg, &layout, task, |v, out| {
        model.tick(v);
        model.outputs(out);
    })
    .map_err(anyhow::Error::msg)
}

/// Final accuracy (last blocks) of a curve.
fn final_of(c: &RewardCurve) -> f64 {
    let (r, t) = c.final_accuracy(FINAL_BLOCKS);
    r as f64 / t.max(1) as f64
}

/// One delay's outcome: model, reference, their margin.
pub struct DelayRun {
    pub delay_s: f64,
    pub curve: RewardCurve,
    pub model: f64,
    pub reference: Vec<f64>,
    pub reference_final: f64,
    pub margin: f64,
    pub final_trials: u64,
}

impl DelayRun {
    pub fn within(&self) -> bool {
        (self.model - self.reference_final).abs() <= self.margin
    }
}

fn delay_run(cfg: &DesignConfig, task: &RewardTask, delay_s: f64) -> Result<DelayRun> {
    let task = RewardTask {
        delay_s,
        ..task.clone()
    };
    let curve = model_run(cfg, &task)?;
    let reference = run_reward_reference(cfg, &task).map_err(anyhow::Error::msg)?;
    let (rr, rt) = final_float_accuracy(&reference, FINAL_BLOCKS);
    let reference_final = rr as f64 / rt.max(1) as f64;
    Ok(DelayRun {
        delay_s,
        model: final_of(&curve),
        reference: reference.iter().map(|p| p.accuracy()).collect(),
        margin: agreement_margin(reference_final, rt as usize),
        reference_final,
        final_trials: rt,
        curve,
    })
}

pub fn run(args: &Args, cfg: &DesignConfig) -> Result<Report> {
    for (name, v) in [("--delay", args.delay), ("--long-delay", args.long_delay)] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(UsageError(format!(
                "{name} {v}: must be a finite number of seconds >= 0"
            ))
            .into());
        }
    }
    if args.trials < 20 {
        return Err(UsageError(format!(
            "--trials {}: at least 20 (20 blocks of the learning curve)",
            args.trials
        ))
        .into());
    }
    let task = RewardTask {
        seed: args.seed,
        trials: args.trials,
        ..RewardTask::default()
    };
    task.check(cfg)
        .map_err(|e| UsageError(format!("{}: {e}", args.config.display())))?;
    let ideal =
        cfg.analog.macro_model == memforge_spec::analog::MacroModel::Ideal && !cfg.analog.realistic;
    let t0 = std::time::Instant::now();
    let main = delay_run(cfg, &task, args.delay)?;
    let model_s = t0.elapsed().as_secs_f64();
    let long = delay_run(cfg, &task, args.long_delay)?;
    let sweep = SWEEP_S
        .iter()
        .map(|&d| delay_run(cfg, &task, d).map(|r| (d, r.model, r.reference_final)))
        .collect::<Result<Vec<_>>>()?;

    let rtl_equal = if args.rtl {
        let layout = TileModel::new(cfg).layout().clone();
        let t = RewardTask {
            delay_s: args.delay,
            ..task.clone()
        };
        let rtl = super::on_rtl(&args.config, &layout, |ports| {
            run_reward_task(cfg, &layout, &t, ports)
        })?;
        Some(rtl == main.curve)
    } else {
        None
    };

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let plots = [
        args.out.join("learning_curve.svg"),
        args.out.join("conductance_histogram.svg"),
        args.out.join("trace_histogram.svg"),
        args.out.join("delay_sweep.svg"),
    ];
    let chance = 1.0 / f64::from(cfg.tile.cols);
    pcm_trace_plot::curve(&main, &long, chance, &plots[0])?;
    pcm_trace_plot::weights(&main.curve, cfg, &task, &plots[1])?;
    pcm_trace_plot::traces(&main.curve, cfg, &task, &plots[2])?;
    pcm_trace_plot::sweep(&sweep, chance, &plots[3])?;

    let mut human = format!("crossbar macro: {}\n", super::macro_description(cfg));
    let _ = writeln!(
        human,
        "trace devices: {} (PCM, drift nu {}, t0 {} s; {} s of device time per cycle)",
        if cfg.analog.realistic {
            "realistic: noisy SET steps, RESET spread, read noise"
        } else {
            "ideal: mean SET steps, exact RESETs, no read noise"
        },
        cfg.analog.pcm.drift_nu,
        cfg.analog.pcm.drift_t0_s,
        cfg.learning.pcm_trace.seconds_per_cycle
    );
    human.push_str(&summary(
        &main, &long, &task, cfg, model_s, ideal, rtl_equal,
    ));
    human.push_str("  delay sweep (final accuracy): delay s  model  float\n");
    for (d, m, r) in &sweep {
        let _ = writeln!(human, "    {d:>9}  {m:.3}  {r:.3}");
    }
    for p in &plots {
        let _ = writeln!(human, "  wrote {}", p.display());
    }
    super::fail_unless_rtl_equal(rtl_equal, &human)?;
    let run_json = |r: &DelayRun| {
        serde_json::json!({
            "delay_s": r.delay_s,
            "final_accuracy": r.model,
            "final_accuracy_reference": r.reference_final,
            "margin": r.margin,
            "within_margin": ideal.then(|| r.within()),
            "curve": r.curve.points.iter().zip(&r.reference).map(|(p, f)| serde_json::json!({
                "block": p.block,
                "accuracy": p.accuracy(),
                "accuracy_reference": f,
                "weight_sets": p.weight_sets,
                "weight_resets": p.weight_resets,
                "trace_sets": p.trace_sets,
                "trace_reads": p.trace_reads,
                "trace_resets": p.trace_resets,
                "cycles": p.cycles,
            })).collect::<Vec<_>>(),
        })
    };
    let json = serde_json::json!({
        "config": args.config,
        "rule": "PCM_TRACE",
        "macro": super::macro_description(cfg),
        "realistic": cfg.analog.realistic,
        "ideal_devices": ideal,
        "trials": task.trials,
        "cues": task.cues(cfg.tile.rows as usize),
        "actions": cfg.tile.cols,
        "chance": chance,
        "rtl_curve_equal": rtl_equal,
        "run": run_json(&main),
        "long_delay": run_json(&long),
        "sweep": sweep.iter().map(|(d, m, r)| serde_json::json!({
            "delay_s": d, "final_accuracy": m, "final_accuracy_reference": r,
        })).collect::<Vec<_>>(),
        "plots": plots,
    });
    Ok(Report { human, json })
}

fn summary(
    main: &DelayRun,
    long: &DelayRun,
    task: &RewardTask,
    cfg: &DesignConfig,
    model_s: f64,
    ideal: bool,
    rtl: Option<bool>,
) -> String {
    let cues = task.cues(cfg.tile.rows as usize);
    let chance = 1.0 / f64::from(cfg.tile.cols);
    let mut s = format!(
        "PCM_TRACE delayed-reward bandit: {} cues x {} actions, {} trials, reward {} s after the action (control: {} s)\n",
        cues, cfg.tile.cols, task.trials, main.delay_s, long.delay_s
    );
    s.push_str("  block  accuracy  float ref.  long delay  weight SET/RESET  trace SET/READ/RESET     cycles\n");
    for ((p, f), l) in main
        .curve
        .points
        .iter()
        .zip(&main.reference)
        .zip(&long.curve.points)
    {
        let _ = writeln!(
            s,
            "  {:5}  {:8.3}  {:10.3}  {:10.3}  {:>16}  {:>20}  {:9}",
            p.block,
            p.accuracy(),
            f,
            l.accuracy(),
            format!("{}/{}", p.weight_sets, p.weight_resets),
            format!("{}/{}/{}", p.trace_sets, p.trace_reads, p.trace_resets),
            p.cycles
        );
    }
    let lp = long.curve.points.last().copied().unwrap_or_default();
    if !ideal {
        let _ = writeln!(
            s,
            "  final accuracy (last {FINAL_BLOCKS} blocks, {} trials): {:.3} at {} s with these (non-ideal) devices; float reference of the rule on ideal devices {:.3} (the agreement check is for ideal devices)",
            main.final_trials, main.model, main.delay_s, main.reference_final
        );
    } else {
        let _ = writeln!(
        s,
        "  final accuracy (last {FINAL_BLOCKS} blocks, {} trials): {:.3} at {} s, float reference {:.3}, difference {:+.3} (margin {:.3}: 3 standard errors of a difference of two accuracies, plus one trial): {}",
        main.final_trials,
        main.model,
        main.delay_s,
        main.reference_final,
        main.model - main.reference_final,
        main.margin,
        if main.within() { "within the margin" } else { "OUTSIDE the margin" }
    );
    }
    let _ = writeln!(
        s,
        "  control at {} s: final accuracy {:.3} (float reference {:.3}), {} weight pulses: {}; chance {chance:.3}; golden model {:.2} s",
        long.delay_s,
        long.model,
        long.reference_final,
        lp.weight_sets + lp.weight_resets,
        if lp.weight_sets + lp.weight_resets == 0 { "nothing learned (every trace drifted below the threshold)" } else { "some traces stayed eligible" },
        model_s
    );
    match rtl {
        Some(true) => s.push_str(
            "  RTL (Verilated) learning curve: equal to the golden model's, bit for bit (actions, accuracies, pulse counts, cycles, final levels)\n",
        ),
        Some(false) => {
            s.push_str("  RTL (Verilated) learning curve: DIFFERS from the golden model's\n")
        }
        None => {}
    }
    s
}
