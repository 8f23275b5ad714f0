//! Issue #13, rule 2: the tile with its pair-based STDP controller
//! (`examples/stdp-8x8.toml`) runs in lock step with its golden model on
//! the tile's random traffic (the random master also writes the learning
//! registers: its "any word of the window" requests reach them) with zero
//! mismatches while learning pulses really go to the macro; and mutants of
//! the controller's RTL are caught. Fails (never skips) without Verilator.

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
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("stdp_cosim")
}

fn config() -> &'static DesignConfig {
    static CFG: OnceLock<DesignConfig> = OnceLock::new();
    CFG.get_or_init(|| {
        memforge_spec::load_file(&common::root().join("examples/stdp-8x8.toml")).unwrap()
    })
}

/// The STDP tile's RTL with `edit` applied to its files, Verilated.
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

/// The golden model alone on the same traffic: how many cycles the
/// learning controller had a SET / a RESET on the crossbar bus.
fn learning_pulses(cycles: u64) -> (u64, u64) {
    let cfg = config();
    let mut model = TileModel::new(cfg);
    let mut traffic = TileTraffic::new(cfg, model.layout(), SEED).unwrap();
    let mut v = vec![0u64; model.layout().total_words()];
    let (mut sets, mut resets) = (0, 0);
    for c in 0..cycles {
        traffic.drive(c, &mut v);
        model.tick(&v);
        model.outputs(&mut v);
        match model
            .learn
            .as_ref()
            .expect("the STDP tile learns")
            .stdp
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
fn stdp_tile_rtl_matches_its_golden_model_while_learning() {
    let lib = verilate("design", |_, text| text);
    let report = cosim(&lib, CYCLES);
    if let Some(m) = &report.mismatch {
        panic!("{m}");
    }
    assert_eq!(report.cycles, CYCLES);
    // Evidence that learning was active, not just compiled in.
    let (sets, resets) = learning_pulses(CYCLES);
    assert!(sets >= 500 && resets >= 500, "SET {sets}, RESET {resets}");
}

/// Applies the first edit whose text is present and expects a mismatch
/// within the run.
fn mutant(name: &str, edits: &[(&str, &str, &str)]) {
    let applied = std::sync::Mutex::new(0);
    let lib = verilate(name, |path, text| {
        let mut n = applied.lock().unwrap();
        match edits
            .iter()
            .find(|(file, from, _)| *n == 0 && path.ends_with(file) && text.contains(from))
        {
            Some((_, from, to)) => {
                *n += 1;
                text.replacen(from, to, 1)
            }
            None => text,
        }
    });
    assert_eq!(*applied.lock().unwrap(), 1, "no mutation site of {edits:?}");
    let report = cosim(&lib, 100_000);
    let m = report
        .mismatch
        .unwrap_or_else(|| panic!("mutant `{name}` survived 100000 cycles"));
    println!("{name} caught: {m}");
    assert_ne!(m.signals[0].expected, m.signals[0].actual);
}

/// The stochastic gate `draw < trace` made `<=`: only differs in stochastic
/// mode (written at random by the traffic) when the draw equals the trace.
#[test]
fn a_stochastic_gate_mutant_is_caught() {
    mutant(
        "mutant_gate",
        &[("_learn.v", "(draw < post_sel)", "(draw <= post_sel)")],
    );
}

/// Column 0's post trace decaying twice as fast (shift by 2): its
/// depression pulses are missing later.
#[test]
fn a_trace_decay_mutant_is_caught() {
    mutant(
        "mutant_decay",
        &[("_learn.v", "(post__0__q >> 32'h1)", "(post__0__q >> 32'h2)")],
    );
}
