//! Issue #13 with realistic devices behind the macro: the pattern task
//! (`memforge_sim::learning::pattern`) plays the crossbar macro the config
//! asks for (`[analog] macro_model`). On `examples/sdsp-8x8-pcm.toml`
//! (PCM devices with variability and read noise) the run must differ from
//! the ideal macro's, be reproducible from `analog.seed` and change with
//! it, start from the programmed initial levels, and the Verilated RTL's
//! learning curve must still equal the golden model's bit for bit (each
//! run builds its own device macro from the same config and seed).

use crate::common;

use memforge::blocks::tile::TileDesign;
use memforge::cosim::design::write_rtl;
use memforge_sim::cosim::binding::bind;
use memforge_sim::cosim::dut::{Dut, VerilatedDut};
use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::{run_pattern_task, PatternCurve, PatternTask};
use memforge_sim::tile::TileModel;
use memforge_spec::analog::MacroModel;
use memforge_spec::DesignConfig;
use std::path::Path;

fn config(file: &str) -> DesignConfig {
    memforge_spec::load_file(&common::root().join("examples").join(file)).unwrap()
}

fn model_curve(cfg: &DesignConfig, task: &PatternTask) -> PatternCurve {
    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    run_pattern_task(cfg, &layout, task, |v, out| {
        model.tick(v);
        model.outputs(out);
    })
    .unwrap()
}

fn short_task(cfg: &DesignConfig) -> PatternTask {
    PatternTask {
        windows: 150,
        epoch: 50,
        ..PatternTask::default_for(cfg.tile.rows)
    }
}

#[test]
fn device_macro_changes_the_run_and_follows_the_seed() {
    let pcm = config("sdsp-8x8-pcm.toml");
    assert_eq!(pcm.analog.macro_model, MacroModel::Device);
    let ideal = config("sdsp-8x8.toml");
    let task = short_task(&pcm);
    let dev = model_curve(&pcm, &task);
    let ide = model_curve(&ideal, &task);
    assert!(dev.sets + dev.resets > 100, "learning was active");
    assert_ne!(
        dev.points, ide.points,
        "the device run equals the ideal one"
    );
    // The initial levels were programmed through the devices: near the
    // plan's levels, raised to the partial-RESET floor (3 µS) where the
    // plan is below it, within 4 sigma of one write-verify step's error
    // (the PCM model: 0.09 G + 0.575 µS), and not all equal to the plan.
    let lsb_us = 20.0 / 63.0;
    for (i, (&d, &g)) in dev.before.iter().zip(&ide.before).enumerate() {
        let want_us = (f64::from(g) * lsb_us).max(3.0);
        let tol = 4.0 * (0.09 * want_us + 0.575) / lsb_us + 1.0;
        assert!(
            (f64::from(d) - want_us / lsb_us).abs() <= tol,
            "cell {i}: programmed {d}, planned {g}"
        );
    }
    assert_ne!(dev.before, ide.before);
    // Reproducible from the seed; another fabricated array, another run.
    assert_eq!(model_curve(&pcm, &task), dev);
    let mut other = pcm.clone();
    other.analog.seed = 2;
    assert_ne!(model_curve(&other, &task).points, dev.points);
}

#[test]
fn rtl_learning_curve_equals_the_golden_models_on_pcm_devices() {
    // The RTL does not depend on `[analog]`: the SDSP tile of
    // examples/sdsp-8x8.toml (same name, so its Verilator build is shared
    // with `sdsp_learning`) with the PCM macro of sdsp-8x8-pcm.toml.
    let mut cfg = config("sdsp-8x8-pcm.toml");
    cfg.design.name = config("sdsp-8x8.toml").design.name;
    let task = PatternTask {
        windows: 100,
        ..short_task(&cfg)
    };
    let golden = model_curve(&cfg, &task);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("learn_devices");
    let design = write_rtl(&TileDesign(cfg.clone()), &dir).unwrap_or_else(|e| panic!("{e:#}"));
    let lib = common::verilate(&design);
    let layout = TileModel::new(&cfg).layout().clone();
    let binding = bind(&layout, lib.ports(), memforge_spec::blocks::tile::CLOCK).unwrap();
    let mut dut = VerilatedDut {
        rtl: lib.instantiate(false).unwrap(),
        binding,
    };
    let rtl = run_pattern_task(&cfg, &layout, &task, |v, out| {
        dut.cycle(v, out).unwrap();
    })
    .unwrap();
    assert!(golden.sets + golden.resets > 50, "learning was active");
    assert_eq!(rtl, golden);
}
