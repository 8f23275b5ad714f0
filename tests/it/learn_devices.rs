//! Issue #13 with realistic devices behind the macro: the pattern task
//! (`memforge_sim::learning::pattern`) plays the crossbar macro the config
//! asks for (`[analog] macro_model`). On `examples/sdsp-8x8-pcm.toml`
//! (PCM devices with variability and read noise) the run must differ from
//! the ideal macro's, be reproducible from `analog.seed` and change with
//! it, start from the programmed initial levels, and the Verilated RTL's
//! learning curve must still equal the golden model's bit for bit (each
//! run builds its own device macro from the same config and seed). The
//! lock-step co-simulation's random traffic plays the same device macro.

use crate::common;
use crate::common::learning::{example, model_curve};
use crate::common::rule_cosim::RuleTile;

use memforge::blocks::tile::TileDesign;
use memforge::cosim::design::write_rtl;
use memforge_sim::cosim::binding::bind;
use memforge_sim::cosim::dut::{Dut, VerilatedDut};
use memforge_sim::cosim::CosimReport;
use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::{run_pattern_task, PatternTask};
use memforge_sim::tile::sequencer::{OP_RESET, OP_SET};
use memforge_sim::tile::{TileModel, TilePins};
use memforge_sim::verilator::VerilatedLibrary;
use memforge_spec::analog::MacroModel;
use memforge_spec::DesignConfig;
use std::path::Path;

fn short_task(cfg: &DesignConfig) -> PatternTask {
    PatternTask {
        windows: 150,
        epoch: 50,
        ..PatternTask::default_for(cfg.tile.rows)
    }
}

#[test]
fn device_macro_changes_the_run_and_follows_the_seed() {
    let pcm = example("sdsp-8x8-pcm.toml");
    assert_eq!(pcm.analog.macro_model, MacroModel::Device);
    let ideal = example("sdsp-8x8.toml");
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

/// The PCM config of sdsp-8x8-pcm.toml on the SDSP tile of
/// examples/sdsp-8x8.toml. The RTL does not depend on `[analog]`, and the
/// same name shares the Verilator build with `sdsp_learning`.
fn pcm_on_the_sdsp_tile() -> DesignConfig {
    let mut cfg = example("sdsp-8x8-pcm.toml");
    cfg.design.name = example("sdsp-8x8.toml").design.name;
    cfg
}

fn verilated(cfg: &DesignConfig) -> VerilatedLibrary {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("learn_devices");
    let design = write_rtl(&TileDesign(cfg.clone()), &dir).unwrap_or_else(|e| panic!("{e:#}"));
    common::verilate(&design)
}

/// Lock-step co-simulation of `cfg`'s tile on the tile's random traffic,
/// and the macro pulses the golden model alone sent on the same traffic.
fn traffic_cosim(lib: &VerilatedLibrary, cfg: &DesignConfig, cycles: u64) -> (CosimReport, u64) {
    let tile = RuleTile::from_config(cfg.clone(), "learn_devices", 0x5eed_13de);
    let report = tile.cosim(lib, cycles);
    let pins = TilePins::new(TileModel::new(cfg).layout()).unwrap();
    let mut pulses = 0;
    tile.model_run(cycles, |_, v| {
        pulses += u64::from(matches!(pins.command(v).op, OP_SET | OP_RESET));
    });
    (report, pulses)
}

#[test]
fn lock_step_cosim_plays_the_device_macro() {
    // The same RTL and traffic seed against the PCM macro and the ideal
    // one: both in lock step, and the macro pulses differ (write-verify
    // and learning see state-dependent PCM steps and read noise), so the
    // traffic really plays the device macro.
    let pcm = pcm_on_the_sdsp_tile();
    let mut ideal = pcm.clone();
    ideal.analog.macro_model = MacroModel::Ideal;
    let lib = verilated(&pcm);
    let (dev, dev_pulses) = traffic_cosim(&lib, &pcm, 30_000);
    let (ide, ide_pulses) = traffic_cosim(&lib, &ideal, 30_000);
    for (name, r) in [("PCM", &dev), ("ideal", &ide)] {
        assert!(r.mismatch.is_none(), "{name} macro: {:?}", r.mismatch);
        assert_eq!(r.cycles, 30_000, "{name} macro");
    }
    assert!(dev_pulses > 1_000, "learning and programming pulsed");
    assert_ne!(
        dev_pulses, ide_pulses,
        "the PCM run pulsed as the ideal one"
    );
}

#[test]
fn rtl_learning_curve_equals_the_golden_models_on_pcm_devices() {
    let cfg = pcm_on_the_sdsp_tile();
    let task = PatternTask {
        windows: 100,
        ..short_task(&cfg)
    };
    let golden = model_curve(&cfg, &task);
    let lib = verilated(&cfg);
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
