//! Issue #13, rule 3: the tile with its e-prop controller
//! (`examples/eprop-8x8.toml`: differential pairs, mixed-precision
//! accumulators, refresh) runs in lock step with its golden model on the
//! tile's random traffic, whose master also starts update passes and
//! writes learning signals and every learning parameter
//! (`memforge_sim::stimulus::eprop_requests`), with zero mismatches while
//! learning pulses, read-backs and refreshes really happen; mutants of the
//! controller's RTL are caught. Fails (never skips) without Verilator.

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

const SEED: u64 = 0x5eed_0313;
const CYCLES: u64 = 50_000;

fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("eprop_cosim")
}

fn config() -> &'static DesignConfig {
    static CFG: OnceLock<DesignConfig> = OnceLock::new();
    CFG.get_or_init(|| {
        memforge_spec::load_file(&common::root().join("examples/eprop-8x8.toml")).unwrap()
    })
}

/// The e-prop tile's RTL with `edit` applied to its files, Verilated.
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

/// The golden model alone on the same traffic: the controller's update
/// SETs, its refresh RESETs, its check READs and the refreshes started.
fn learning_activity(cycles: u64) -> (u64, u64, u64, u64) {
    let cfg = config();
    let mut model = TileModel::new(cfg);
    let mut traffic = TileTraffic::new(cfg, model.layout(), SEED).unwrap();
    let mut v = vec![0u64; model.layout().total_words()];
    let (mut sets, mut resets, mut reads, mut refreshes) = (0, 0, 0, 0);
    let mut last = 0u8;
    for c in 0..cycles {
        traffic.drive(c, &mut v);
        model.tick(&v);
        model.outputs(&mut v);
        let e = model.eprop.as_ref().expect("the e-prop tile learns");
        match e.model.cmd.op {
            1 => reads += 1,
            2 => sets += 1,
            3 => resets += 1,
            _ => {}
        }
        refreshes += u64::from(e.model.refreshes.wrapping_sub(last));
        last = e.model.refreshes;
    }
    (sets, resets, reads, refreshes)
}

#[test]
fn eprop_tile_rtl_matches_its_golden_model_while_learning() {
    let lib = verilate("design", |_, text| text);
    let report = cosim(&lib, CYCLES);
    if let Some(m) = &report.mismatch {
        panic!("{m}");
    }
    assert_eq!(report.cycles, CYCLES);
    // Evidence that learning was active, not just compiled in.
    let (sets, resets, reads, refreshes) = learning_activity(CYCLES);
    println!(
        "learning SET {sets}, refresh RESET {resets}, check READ {reads}, refreshes {refreshes}"
    );
    assert!(sets >= 500 && resets >= 100 && reads >= 200 && refreshes >= 20);
}

/// Applies the first edit whose text is present and expects a mismatch.
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

/// The positive epsilon crossing `s >= eps` made `s > eps`: an accumulator
/// exactly at epsilon no longer pulses.
#[test]
fn an_epsilon_crossing_mutant_is_caught() {
    mutant("mutant_eps", &[("_eprop.v", "(s >= eps20)", "(s > eps20)")]);
}

/// Row 0's pre trace decaying by one shift more: its updates shrink.
#[test]
fn a_trace_decay_mutant_is_caught() {
    mutant(
        "mutant_decay",
        &[(
            "_eprop.v",
            "tdec = trace__0__q >> dshift;",
            "tdec = trace__0__q >> (dshift + 4'h1);",
        )],
    );
}
