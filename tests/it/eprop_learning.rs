//! Issue #13, rule 3 demo: the e-prop tile (`examples/eprop-digits.toml`)
//! learns a readout of scikit-learn's 8x8 digits online, driven through
//! its ports (`memforge_sim::learning::digits`). A short run must lift the
//! test accuracy above chance by a margin computed from the run, land
//! within the stated margin of the float reference of the same rule, and
//! the Verilated RTL's curve must equal the golden model's bit for bit.
//! Mutants: the learning signal's sign broken (host side: the run no
//! longer learns and leaves the reference's margin) and in the generated
//! RTL (`lneg` inverted: the RTL curve differs). Fails (never skips)
//! without Verilator.

use crate::common;
use crate::common::rule_cosim::RuleTile;

use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::{
    agreement_margin, run_digits_reference, run_digits_task, Digits, DigitsCurve, DigitsTask,
};
use memforge_sim::tile::TileModel;
use memforge_spec::DesignConfig;

fn config() -> DesignConfig {
    memforge_spec::load_file(&common::root().join("examples/eprop-digits.toml")).unwrap()
}

fn digits(split: &str, n: usize) -> Digits {
    let dir = common::root().join("examples/digits");
    Digits::load(
        &dir.join(format!("{split}_pixels.npy")),
        &dir.join(format!("{split}_labels.npy")),
    )
    .unwrap()
    .take(n)
}

fn model_curve(
    cfg: &DesignConfig,
    task: &DigitsTask,
    train: &Digits,
    test: &Digits,
) -> DigitsCurve {
    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    run_digits_task(cfg, &layout, task, train, test, |v, out| {
        model.tick(v);
        model.outputs(out);
    })
    .unwrap()
}

/// Three binomial standard errors of an accuracy `p` on `n` digits.
fn three_sigma(p: f64, n: u64) -> f64 {
    3.0 * (p * (1.0 - p) / n as f64).sqrt()
}

/// Whether `c` learned: the final test accuracy above chance (0.1) and
/// above the untrained one, each by three standard errors of the run's
/// own test-set size.
fn learned(c: &DigitsCurve) -> Result<(), String> {
    let (first, last) = (c.points[0], *c.points.last().unwrap());
    let n = last.test_total;
    let acc = last.test_accuracy();
    let chance = 0.1 + three_sigma(0.1, n);
    let before = first.test_accuracy() + three_sigma(first.test_accuracy().max(0.1), n);
    if acc > chance && acc > before {
        Ok(())
    } else {
        Err(format!(
            "test accuracy {acc:.3}: needs > {chance:.3} (chance + 3 sigma) and > {before:.3} (untrained + 3 sigma)"
        ))
    }
}

fn short_task() -> DigitsTask {
    DigitsTask {
        epochs: 2,
        ..DigitsTask::default()
    }
}

#[test]
fn eprop_readout_learns_digits_and_agrees_with_the_float_reference() {
    let cfg = config();
    let (train, test) = (digits("train", 300), digits("test", 200));
    let task = short_task();
    let curve = model_curve(&cfg, &task, &train, &test);
    for p in &curve.points {
        println!(
            "epoch {}: train {:.3} test {:.3}, SET {} RESET {}",
            p.epoch,
            p.train_accuracy(),
            p.test_accuracy(),
            p.sets,
            p.resets
        );
    }
    learned(&curve).unwrap();
    let reference = run_digits_reference(&cfg, &task, &train, &test).unwrap();
    let (d, r) = (
        curve.points.last().unwrap().test_accuracy(),
        reference.last().unwrap().test_accuracy,
    );
    let margin = agreement_margin(r, test.len());
    println!("final test accuracy: digital {d:.3}, float {r:.3}, margin {margin:.3}");
    assert!((d - r).abs() <= margin, "digital {d:.3} vs float {r:.3}");

    // Mutant: the learning signal's sign broken (L = -4 (target - y)).
    let broken = DigitsTask {
        signal_scale: -task.signal_scale,
        ..task.clone()
    };
    let bad = model_curve(&cfg, &broken, &train, &test);
    let b = bad.points.last().unwrap().test_accuracy();
    println!("sign-broken mutant: test accuracy {b:.3}");
    assert!(
        learned(&bad).is_err(),
        "the sign-broken mutant still learned"
    );
    assert!(
        (b - r).abs() > margin,
        "the sign-broken mutant agrees with the reference"
    );
}

/// The digits design's RTL with `edit` applied, Verilated, on the task.
fn dut_curve(
    name: &str,
    cfg: &DesignConfig,
    task: &DigitsTask,
    train: &Digits,
    test: &Digits,
    edit: impl Fn(&str, String) -> String,
) -> DigitsCurve {
    RuleTile::from_config(cfg.clone(), "eprop_learning", 0).on_rtl(name, edit, |layout, dut| {
        run_digits_task(cfg, layout, task, train, test, dut).unwrap()
    })
}

#[test]
fn rtl_digits_curve_equals_the_golden_models_and_a_sign_mutant_is_caught() {
    let cfg = config();
    let (train, test) = (digits("train", 40), digits("test", 20));
    let task = DigitsTask {
        epochs: 1,
        ..DigitsTask::default()
    };
    let golden = model_curve(&cfg, &task, &train, &test);
    let last = golden.points.last().unwrap();
    assert!(last.sets >= 100, "learning pulsed ({} SETs)", last.sets);
    let rtl = dut_curve("design", &cfg, &task, &train, &test, |_, t| t);
    assert_eq!(rtl, golden);

    let applied = std::sync::Mutex::new(0);
    let from = "lneg = lsig[32'h7];";
    let mutant = dut_curve("mutant_sign", &cfg, &task, &train, &test, |path, text| {
        if path.ends_with("_eprop.v") && text.contains(from) {
            *applied.lock().unwrap() += 1;
            text.replacen(from, "lneg = ~lsig[32'h7];", 1)
        } else {
            text
        }
    });
    assert_eq!(*applied.lock().unwrap(), 1, "no mutation site `{from}`");
    assert_ne!(mutant, golden, "the learning-signal sign mutant survived");
    println!(
        "sign mutant caught: RTL levels differ in {} of {} cells",
        mutant
            .after
            .iter()
            .zip(&golden.after)
            .filter(|(a, b)| a != b)
            .count(),
        golden.after.len()
    );
}
