//! Issue #13, rule 4 demo: the PCM-trace tile
//! (`examples/pcm-trace-reward.toml`) learns a contextual bandit whose
//! reward comes after a delay, driven through its ports
//! (`memforge_sim::learning::reward`). With a delay the traces bridge
//! (10 s) the accuracy rises above chance and above the untrained policy
//! by three standard errors; with a delay far beyond their lifetime (1e5
//! s: drift takes every trace below the threshold) no weight is pulsed
//! and nothing is learned; both agree with the float reference of the
//! rule within its margin; the Verilated RTL's curve equals the golden
//! model's bit for bit. Mutants: the reward's sign inverted on the host
//! (no learning, outside the reference's margin) and in the generated
//! RTL (the RTL curve differs). Fails (never skips) without Verilator.

use crate::common;
use crate::common::rule_cosim::RuleTile;

use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::reward_reference::final_float_accuracy;
use memforge_sim::learning::{
    agreement_margin, run_reward_reference, run_reward_task, RewardCurve, RewardTask,
};
use memforge_sim::tile::TileModel;
use memforge_spec::DesignConfig;

/// Blocks at the end over which the final accuracy is taken.
const FINAL_BLOCKS: usize = 5;

fn config() -> DesignConfig {
    common::learning::example("pcm-trace-reward.toml")
}

fn model_curve(cfg: &DesignConfig, task: &RewardTask) -> RewardCurve {
    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    run_reward_task(cfg, &layout, task, |v, out| {
        model.tick(v);
        model.outputs(out);
    })
    .unwrap()
}

/// Three binomial standard errors of an accuracy `p` on `n` trials.
fn three_sigma(p: f64, n: u64) -> f64 {
    3.0 * (p * (1.0 - p) / n as f64).sqrt()
}

/// Final accuracy and its trial count.
fn final_accuracy(c: &RewardCurve) -> (f64, u64) {
    let (r, t) = c.final_accuracy(FINAL_BLOCKS);
    (r as f64 / t.max(1) as f64, t)
}

/// Whether `c` learned: the final accuracy above chance and above the
/// first block's (the untrained policy), each by three standard errors.
fn learned(c: &RewardCurve, chance: f64) -> Result<(), String> {
    let (acc, n) = final_accuracy(c);
    let first = c.points[0].accuracy();
    let over_chance = chance + three_sigma(chance, n);
    let over_first = first + three_sigma(first.clamp(chance, 0.99), n);
    if acc > over_chance && acc > over_first {
        Ok(())
    } else {
        Err(format!(
            "final accuracy {acc:.3}: needs > {over_chance:.3} (chance + 3 sigma) and > {over_first:.3} (first block + 3 sigma)"
        ))
    }
}

/// The float reference's final accuracy and the margin around it.
fn reference(cfg: &DesignConfig, task: &RewardTask) -> (f64, f64) {
    let r = run_reward_reference(cfg, task).unwrap();
    let (right, n) = final_float_accuracy(&r, FINAL_BLOCKS);
    let a = right as f64 / n as f64;
    (a, agreement_margin(a, n as usize))
}

fn print(label: &str, c: &RewardCurve) {
    let acc: Vec<String> = c
        .points
        .iter()
        .map(|p| format!("{:.2}", p.accuracy()))
        .collect();
    let p = c.points.last().unwrap();
    println!(
        "{label}: {} | weight SET {} RESET {}, trace SET {} READ {} RESET {}",
        acc.join(" "),
        p.weight_sets,
        p.weight_resets,
        p.trace_sets,
        p.trace_reads,
        p.trace_resets
    );
}

#[test]
fn pcm_trace_bandit_learns_with_a_short_delay_and_not_with_a_long_one() {
    let cfg = config();
    let chance = 1.0 / f64::from(cfg.tile.cols);
    let short = RewardTask::default();
    let curve = model_curve(&cfg, &short);
    print("delay 10 s", &curve);
    learned(&curve, chance).unwrap();
    let (d, _) = final_accuracy(&curve);
    let (r, margin) = reference(&cfg, &short);
    println!("final accuracy at 10 s: tile {d:.3}, float {r:.3}, margin {margin:.3}");
    assert!((d - r).abs() <= margin, "tile {d:.3} vs float {r:.3}");

    let long = RewardTask {
        delay_s: 1e5,
        ..short.clone()
    };
    let lc = model_curve(&cfg, &long);
    print("delay 1e5 s", &lc);
    assert!(
        learned(&lc, chance).is_err(),
        "learned across a 1e5 s delay"
    );
    let last = lc.points.last().unwrap();
    assert_eq!(
        (last.weight_sets, last.weight_resets),
        (0, 0),
        "a trace stayed eligible across 1e5 s"
    );
    assert_eq!(lc.after, lc.before);
    let (ld, _) = final_accuracy(&lc);
    let (lr, lm) = reference(&cfg, &long);
    println!("final accuracy at 1e5 s: tile {ld:.3}, float {lr:.3}, margin {lm:.3}");
    assert!((ld - lr).abs() <= lm, "tile {ld:.3} vs float {lr:.3}");

    // Mutant (host): the reward's sign inverted.
    let inverted = RewardTask {
        inverted: true,
        ..short
    };
    let bad = model_curve(&cfg, &inverted);
    print("reward sign inverted", &bad);
    let (b, _) = final_accuracy(&bad);
    assert!(learned(&bad, chance).is_err(), "the sign mutant learned");
    assert!(
        (b - r).abs() > margin,
        "the sign mutant agrees with the reference"
    );
}

/// The demo's RTL with `edit` applied, Verilated, on `task`.
fn dut_curve(
    name: &str,
    cfg: &DesignConfig,
    task: &RewardTask,
    edit: impl Fn(&str, String) -> String,
) -> RewardCurve {
    RuleTile::from_config(cfg.clone(), "pcm_trace_learning", 0).on_rtl(name, edit, |layout, dut| {
        run_reward_task(cfg, layout, task, dut).unwrap()
    })
}

#[test]
fn rtl_bandit_curve_equals_the_golden_models_and_a_reward_sign_mutant_is_caught() {
    let cfg = config();
    let task = RewardTask {
        trials: 160,
        blocks: 8,
        ..RewardTask::default()
    };
    let golden = model_curve(&cfg, &task);
    let last = *golden.points.last().unwrap();
    assert!(
        last.weight_sets > 20 && last.weight_resets > 20 && last.trace_sets > 50,
        "learning pulsed: {last:?}"
    );
    let rtl = dut_curve("design", &cfg, &task, |_, t| t);
    assert_eq!(rtl, golden);

    let applied = std::sync::Mutex::new(0);
    let from = "rew_neg__d__c = reward[b_neg];";
    let mutant = dut_curve("mutant_sign", &cfg, &task, |path, text| {
        if path.ends_with("_pcmt.v") && text.contains(from) {
            *applied.lock().unwrap() += 1;
            text.replacen(from, "rew_neg__d__c = ~reward[b_neg];", 1)
        } else {
            text
        }
    });
    assert_eq!(*applied.lock().unwrap(), 1, "no mutation site `{from}`");
    assert_ne!(mutant, golden, "the reward-sign mutant survived");
    let (m, g) = (final_accuracy(&mutant).0, final_accuracy(&golden).0);
    println!("reward-sign mutant caught: final accuracy {m:.3} (golden {g:.3})");
}
