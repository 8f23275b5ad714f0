//! `memforge learn CONFIG` on an e-prop tile: the digits readout of
//! `memforge_sim::learning::digits` (docs/learning_eprop.md, "The demo")
//! on the golden model, with `--rtl` also on the Verilated RTL (its curve
//! must equal the model's bit for bit), and, for the ideal macro in mixed
//! precision, the float reference of the same rule with its agreement.

use super::eprop_plot;
use super::Args;
use crate::outcome::{Report, UsageError};
use anyhow::{Context, Result};
use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::{
    agreement_margin, run_digits_reference, run_digits_task, Digits, DigitsCurve, DigitsTask,
    FloatPoint,
};
use memforge_sim::tile::TileModel;
use memforge_spec::DesignConfig;
use std::fmt::Write as _;
use std::path::Path;

/// The reference's final test accuracy next to the digital one.
struct Agreement {
    curve: Vec<FloatPoint>,
    digital: f64,
    reference: f64,
    margin: f64,
}

impl Agreement {
    fn within(&self) -> bool {
        (self.digital - self.reference).abs() <= self.margin
    }
}

fn load(dir: &Path, split: &str, n: Option<usize>) -> Result<Digits> {
    let d = Digits::load(
        &dir.join(format!("{split}_pixels.npy")),
        &dir.join(format!("{split}_labels.npy")),
    )
    .map_err(anyhow::Error::msg)?;
    if d.is_empty() || n == Some(0) {
        return Err(UsageError(format!("no {split} digits (--{split} must be at least 1)")).into());
    }
    Ok(n.map_or(d.clone(), |n| d.take(n)))
}

pub fn run(args: &Args, cfg: &DesignConfig) -> Result<Report> {
    if args.epochs == 0 {
        return Err(UsageError("--epochs must be at least 1".into()).into());
    }
    let dir = args.digits.clone().unwrap_or_else(|| {
        args.config
            .parent()
            .unwrap_or(Path::new("."))
            .join("digits")
    });
    let train = load(&dir, "train", args.train)?;
    let test = load(&dir, "test", args.test)?;
    let task = DigitsTask {
        seed: args.seed,
        epochs: args.epochs,
        accumulate: args.sign_update.then_some(false),
        ..DigitsTask::default()
    };
    let mixed = task.accumulate.unwrap_or(cfg.learning.eprop.accumulate);

    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    let t0 = std::time::Instant::now();
    let golden = run_digits_task(cfg, &layout, &task, &train, &test, |v, out| {
        model.tick(v);
        model.outputs(out);
    })
    .map_err(anyhow::Error::msg)?;
    let model_s = t0.elapsed().as_secs_f64();

    let ideal = cfg.analog.macro_model == memforge_spec::analog::MacroModel::Ideal;
    let agreement = if ideal && mixed {
        let curve = run_digits_reference(cfg, &task, &train, &test).map_err(anyhow::Error::msg)?;
        let reference = curve.last().map_or(0.0, |p| p.test_accuracy);
        let digital = golden.points.last().map_or(0.0, |p| p.test_accuracy());
        Some(Agreement {
            margin: agreement_margin(reference, test.len()),
            curve,
            digital,
            reference,
        })
    } else {
        None
    };

    let rtl_equal = if args.rtl {
        let rtl = super::on_rtl(&args.config, &layout, |ports| {
            run_digits_task(cfg, &layout, &task, &train, &test, ports)
        })?;
        Some(rtl == golden)
    } else {
        None
    };

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let curve_svg = args.out.join("learning_curve.svg");
    let hist_svg = args.out.join("conductance_histogram.svg");
    let reference_curve = agreement.as_ref().map(|a| a.curve.as_slice());
    eprop_plot::curve(&golden, reference_curve, &curve_svg)?;
    eprop_plot::histogram(&golden, cfg, &hist_svg)?;

    let mode = if mixed {
        "mixed precision"
    } else {
        "sign update"
    };
    let mut human = format!("crossbar macro: {}\n", super::macro_description(cfg));
    human.push_str(&summary(
        &golden, &task, mode, &train, &test, model_s, rtl_equal,
    ));
    match &agreement {
        Some(a) => human.push_str(&reference_summary(a, &golden)),
        None => human.push_str(
            "float reference: models the ideal macro in mixed precision; not compared with this run\n",
        ),
    }
    for p in [&curve_svg, &hist_svg] {
        let _ = writeln!(human, "  wrote {}", p.display());
    }
    super::fail_unless_rtl_equal(rtl_equal, &human)?;
    let json = serde_json::json!({
        "config": args.config,
        "rule": "EPROP",
        "mode": mode,
        "macro": super::macro_description(cfg),
        "train_digits": train.len(),
        "test_digits": test.len(),
        "epochs": task.epochs,
        "rtl_curve_equal": rtl_equal,
        "refreshes_mod_256": golden.refreshes,
        "curve": golden.points.iter().map(|p| serde_json::json!({
            "epoch": p.epoch,
            "train_accuracy": (p.epoch > 0).then(|| p.train_accuracy()),
            "test_accuracy": p.test_accuracy(),
            "sets": p.sets,
            "resets": p.resets,
            "cycles": p.cycles,
        })).collect::<Vec<_>>(),
        "reference": agreement.as_ref().map(|a| serde_json::json!({
            "curve": a.curve.iter().map(|p| serde_json::json!({
                "epoch": p.epoch,
                "train_accuracy": p.train_accuracy,
                "test_accuracy": p.test_accuracy,
            })).collect::<Vec<_>>(),
            "final_test_accuracy_digital": a.digital,
            "final_test_accuracy_reference": a.reference,
            "margin": a.margin,
            "within_margin": a.within(),
        })),
        "plots": [curve_svg, hist_svg],
    });
    Ok(Report { human, json })
}

fn summary(
    c: &DigitsCurve,
    task: &DigitsTask,
    mode: &str,
    train: &Digits,
    test: &Digits,
    model_s: f64,
    rtl: Option<bool>,
) -> String {
    let mut s = format!(
        "EPROP digits readout ({mode}): {} epochs x {} training digits, {} test digits, target {} spikes, L = {} (target - y)\n",
        task.epochs,
        train.len(),
        test.len(),
        task.target,
        task.signal_scale
    );
    s.push_str("  epoch  train acc.  test acc.     SETs  RESETs      cycles\n");
    for p in &c.points {
        let tr = if p.epoch == 0 {
            "-".to_string()
        } else {
            format!("{:.4}", p.train_accuracy())
        };
        let _ = writeln!(
            s,
            "  {:5}  {:>10}  {:9.4}  {:7}  {:6}  {:10}",
            p.epoch,
            tr,
            p.test_accuracy(),
            p.sets,
            p.resets,
            p.cycles
        );
    }
    let cycles = c.points.last().map_or(0, |p| p.cycles);
    let _ = writeln!(
        s,
        "  chance 0.10; learn_refreshes at the end {} (mod 256); golden model {:.1} s ({:.0} cycles/s)",
        c.refreshes,
        model_s,
        cycles as f64 / model_s.max(1e-9)
    );
    match rtl {
        Some(true) => s.push_str(
            "  RTL (Verilated) learning curve: equal to the golden model's, bit for bit (accuracies, pulses, cycles, final levels)\n",
        ),
        Some(false) => {
            s.push_str("  RTL (Verilated) learning curve: DIFFERS from the golden model's\n")
        }
        None => {}
    }
    s
}

fn reference_summary(a: &Agreement, c: &DigitsCurve) -> String {
    let mut s = String::from(
        "float reference (same rule: float weights G+ - G-, float eligibility and signal, expected-value updates):\n  epoch  train digital  train float  test digital  test float\n",
    );
    for (d, r) in c.points.iter().zip(&a.curve) {
        let f = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.4}"));
        let _ = writeln!(
            s,
            "  {:5}  {:>13}  {:>11}  {:12.4}  {:10.4}",
            d.epoch,
            f((d.epoch > 0).then(|| d.train_accuracy())),
            f(r.train_accuracy),
            d.test_accuracy(),
            r.test_accuracy
        );
    }
    let _ = writeln!(
        s,
        "  final test accuracy: digital {:.4}, float {:.4}, difference {:+.4} (margin {:.4}: 3 standard errors of a difference of two accuracies on {} digits, plus one digit): {}",
        a.digital,
        a.reference,
        a.digital - a.reference,
        a.margin,
        c.points.last().map_or(0, |p| p.test_total),
        if a.within() { "within the margin" } else { "OUTSIDE the margin" }
    );
    s
}
