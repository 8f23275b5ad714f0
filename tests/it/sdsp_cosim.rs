//! Issue #13, rule 1: the tile with its SDSP controller
//! (`examples/sdsp-8x8.toml`) runs in lock step with its golden model on
//! the tile's random traffic (the random master also writes `learn_ctrl`,
//! `learn_cfg` and `learn_ca`: its "any word of the window or just past
//! it" requests reach them) with zero mismatches while learning pulses
//! really go to the macro; and mutants of the controller's RTL are caught.
//! Fails (never skips) without Verilator.

use crate::common;

use memforge::blocks::tile::TileDesign;
use memforge::cosim::design::write_rtl_edited;
use memforge_sim::cosim::{self, CosimOptions, CosimReport};
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::{Stimulus, TileTraffic};
use memforge_sim::tile::TileModel;
use memforge_sim::verilator::VerilatedLibrary;
use memforge_spec::DesignConfig;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const SEED: u64 = 0x5eed_0013;
const CYCLES: u64 = 50_000;

fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("sdsp_cosim")
}

fn config() -> &'static DesignConfig {
    static CFG: OnceLock<DesignConfig> = OnceLock::new();
    CFG.get_or_init(|| {
        memforge_spec::load_file(&common::root().join("examples/sdsp-8x8.toml")).unwrap()
    })
}

/// The SDSP tile's RTL with `edit` applied to its files, Verilated.
fn verilate(name: &str, edit: impl Fn(&str, String) -> String) -> VerilatedLibrary {
    let design = write_rtl_edited(&TileDesign(config().clone()), &tmp().join(name), edit)
        .unwrap_or_else(|e| panic!("{e:#}"));
    common::verilate(&design)
}

fn cosim(lib: &VerilatedLibrary, cycles: u64) -> CosimReport {
    let cfg = config();
    cosim::run(
        lib,
        |seed| {
            let model = TileModel::new(cfg);
            let traffic = TileTraffic::new(cfg, model.layout(), seed).unwrap();
            (model, traffic)
        },
        &CosimOptions {
            clock: memforge_spec::blocks::tile::CLOCK.into(),
            cycles,
            seed: SEED,
            vcd: None,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The golden model alone on the same traffic: how many cycles the SDSP
/// controller had a SET / a RESET on the crossbar bus.
fn learning_pulses(cycles: u64) -> (u64, u64) {
    let cfg = config();
    let mut model = TileModel::new(cfg);
    let mut traffic = TileTraffic::new(cfg, model.layout(), SEED).unwrap();
    let mut v = vec![0u64; model.layout().total_words()];
    model.outputs(&mut v);
    let (mut sets, mut resets) = (0, 0);
    for c in 0..cycles {
        traffic.drive(c, &mut v);
        model.tick(&v);
        model.outputs(&mut v);
        assert!(model.learn.is_none(), "no STDP controller on an SDSP tile");
        match model
            .sdsp
            .as_ref()
            .expect("the SDSP tile learns")
            .sdsp
            .cmd
            .op
        {
            2 => sets += 1,
            3 => resets += 1,
            _ => {}
        }
    }
    (sets, resets)
}

#[test]
fn sdsp_tile_rtl_matches_its_golden_model_while_learning() {
    let lib = verilate("design", |_, text| text);
    let report = cosim(&lib, CYCLES);
    if let Some(m) = &report.mismatch {
        panic!("{m}");
    }
    assert_eq!(report.cycles, CYCLES);
    // Evidence that learning was active, both ways, not just compiled in.
    let (sets, resets) = learning_pulses(CYCLES);
    println!("SDSP pulses in {CYCLES} cycles: SET {sets}, RESET {resets}");
    assert!(sets >= 150 && resets >= 150, "SET {sets}, RESET {resets}");
}

/// Applies the one edit (which must be present) and expects a mismatch
/// within the run.
fn mutant(name: &str, file: &str, from: &str, to: &str) {
    let applied = std::sync::Mutex::new(0);
    let lib = verilate(name, |path, text| {
        let mut n = applied.lock().unwrap();
        if *n == 0 && path.ends_with(file) && text.contains(from) {
            *n += 1;
            text.replacen(from, to, 1)
        } else {
            text
        }
    });
    assert_eq!(*applied.lock().unwrap(), 1, "no mutation site `{from}`");
    let report = cosim(&lib, 100_000);
    let m = report
        .mismatch
        .unwrap_or_else(|| panic!("mutant `{name}` survived 100000 cycles"));
    println!("{name} caught: {m}");
    assert_ne!(m.signals[0].expected, m.signals[0].actual);
}

/// The potentiation window's upper bound `Ca < theta_3` made `<=`: only
/// differs when a column's calcium equals theta_3 at a pre event.
#[test]
fn a_calcium_window_mutant_is_caught() {
    mutant(
        "mutant_window",
        "_sdsp.v",
        "(ca_sel < th3)",
        "(ca_sel <= th3)",
    );
}

/// The membrane-potential condition `Vmem >= theta_m` made `>`: only
/// differs when a potential equals theta_m at a pre event.
#[test]
fn a_membrane_threshold_mutant_is_caught() {
    mutant("mutant_vm", "_sdsp.v", "vmem >= vm;", "vmem > vm;");
}

/// Column 0's calcium leaking by 2 instead of 1.
#[test]
fn a_calcium_leak_mutant_is_caught() {
    mutant(
        "mutant_leak",
        "_sdsp.v",
        "ca__0__d__c = ca__0__q - 3'h1;",
        "ca__0__d__c = ca__0__q - 3'h2;",
    );
}

/// The same RTL under Icarus (an event-driven simulator) against the
/// golden model's recorded run: the SDSP controller's combinational
/// probe of the lanes' potentials settles there as in Verilator.
/// (`icarus_cosim::icarus_every_example_design` covers both SDSP
/// examples too, among all the others.)
#[test]
fn sdsp_tile_under_icarus_matches_its_golden_model() {
    use memforge::blocks::BlockDesign;
    use memforge::cosim::design::write_rtl;
    use memforge::tools::{find, Tool};
    use memforge_sim::cosim::icarus::{self, IcarusOptions};
    use std::time::Duration;
    const N: u64 = 20_000;
    let design = TileDesign(config().clone());
    let rtl = write_rtl(&design, &tmp().join("icarus")).unwrap_or_else(|e| panic!("{e:#}"));
    let memforge::blocks::Testbench {
        mut model,
        mut stimulus,
        ..
    } = design.testbench(SEED).unwrap();
    let layout = model.layout().clone();
    let mut rec = icarus::record(&mut model, &mut stimulus, N);
    rec.compare_from = 0; // asynchronous reset
    let iverilog = find(Tool::Iverilog)
        .unwrap_or_else(|e| panic!("this test needs Icarus Verilog (it does not skip): {e:#}"));
    let opts = IcarusOptions::new(
        iverilog.path,
        icarus::work_dir(&tmp(), "icarus"),
        Duration::from_secs(600),
    );
    let clock = memforge::blocks::clock(&design).unwrap();
    let report =
        icarus::replay(&rtl, &clock, &layout, &rec, &opts).unwrap_or_else(|e| panic!("{e}"));
    if let Some(m) = &report.mismatch {
        panic!("{m}");
    }
    assert_eq!(report.cycles, N);
    println!(
        "sdsp8x8: {N} cycles under Icarus in {:.1} s, 0 mismatches",
        report.seconds
    );
}
