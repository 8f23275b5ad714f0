//! Issue #13, rule 4: the tile with its PCM-trace controller
//! (`examples/pcm-trace-8x8.toml`) runs in lock step with its golden model
//! on the tile's random traffic (its random master also writes rewards of
//! both signs and the rule's parameters, `sim/src/stimulus/
//! pcm_trace_requests.rs`) while the harness plays the trace array with
//! the drifting PCM model: zero mismatches with coincidence pulses, trace
//! reads, weight updates and trace RESETs really on the macro bus; mutants
//! of the controller's RTL are caught; the same RTL under Icarus.
//! Fails (never skips) without Verilator or Icarus.

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

const SEED: u64 = 0x5eed_0413;
const CYCLES: u64 = 50_000;

fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("pcm_trace_cosim")
}

fn config() -> &'static DesignConfig {
    static CFG: OnceLock<DesignConfig> = OnceLock::new();
    CFG.get_or_init(|| {
        memforge_spec::load_file(&common::root().join("examples/pcm-trace-8x8.toml")).unwrap()
    })
}

/// The PCM-trace tile's RTL with `edit` applied to its files, Verilated.
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

/// The golden model alone on the same traffic: the controller's totals
/// (weight SETs, weight RESETs, trace partial SETs, trace READs, trace
/// RESETs), counted where the model issues them, and the trace-row
/// commands the macro received, counted by the traffic.
fn learning_totals(cycles: u64) -> ([u64; 5], [u64; 3]) {
    let cfg = config();
    let mut model = TileModel::new(cfg);
    let mut traffic = TileTraffic::new(cfg, model.layout(), SEED).unwrap();
    let probe = traffic.coverage();
    let mut v = vec![0u64; model.layout().total_words()];
    model.outputs(&mut v);
    let mut totals = [0u64; 5];
    for c in 0..cycles {
        traffic.drive(c, &mut v);
        let before = model.pcmt.as_ref().map(|p| p.model.totals);
        model.tick(&v);
        model.outputs(&mut v);
        // A reset replaces the controller: add what it did before it.
        let p = model.pcmt.as_ref().expect("the PCM-trace tile learns");
        if let Some(b) = before {
            for k in 0..5 {
                if p.model.totals[k] >= b[k] {
                    totals[k] += p.model.totals[k] - b[k];
                }
            }
        }
    }
    let c = probe.snapshot();
    (totals, [c.trace_sets, c.trace_reads, c.trace_resets])
}

#[test]
fn pcm_trace_tile_rtl_matches_its_golden_model_while_learning() {
    let lib = verilate("design", |_, text| text);
    let report = cosim(&lib, CYCLES);
    if let Some(m) = &report.mismatch {
        panic!("{m}");
    }
    assert_eq!(report.cycles, CYCLES);
    // Evidence that learning was active, every kind of operation, not just
    // compiled in; and that the macro saw what the controller issued.
    let (t, macro_seen) = learning_totals(CYCLES);
    println!(
        "PCM-trace in {CYCLES} cycles: weight SET {}, weight RESET {}, trace partial SET {}, trace READ {}, trace RESET {}",
        t[0], t[1], t[2], t[3], t[4]
    );
    assert!(t[0] >= 20 && t[1] >= 20, "weight pulses {t:?}");
    assert!(t[2] >= 200 && t[3] >= 100 && t[4] >= 20, "trace ops {t:?}");
    assert_eq!(
        macro_seen,
        [t[2], t[3], t[4]],
        "trace-row commands at the macro"
    );
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
    let report = cosim(&lib, CYCLES);
    let m = report
        .mismatch
        .unwrap_or_else(|| panic!("mutant `{name}` survived {CYCLES} cycles"));
    println!("{name} caught: {m}");
    assert_ne!(m.signals[0].expected, m.signals[0].actual);
}

/// Column 0's eligibility test `trace > threshold` (in the top, which
/// keeps the flags per lane) made `>=`: only differs when column 0's trace
/// reads exactly the threshold at a reward.
#[test]
fn an_eligibility_threshold_mutant_is_caught() {
    mutant(
        "mutant_threshold",
        "pcmtrace8x8.v",
        "lane__0__clamped > pcmt__0__threshold;",
        "lane__0__clamped >= pcmt__0__threshold;",
    );
}

/// The trace rows' offset one too low: trace pulses and READs go to
/// macro row 7 + r, so the first trace row is weight row 7.
#[test]
fn a_trace_row_offset_mutant_is_caught() {
    mutant(
        "mutant_trow",
        "_pcmt.v",
        "localparam  trow_base = 8'h8;",
        "localparam  trow_base = 8'h7;",
    );
}

/// The same RTL under Icarus (an event-driven simulator) against the
/// golden model's recorded run.
#[test]
fn pcm_trace_tile_under_icarus_matches_its_golden_model() {
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
        "pcmtrace8x8: {N} cycles under Icarus in {:.1} s, 0 mismatches",
        report.seconds
    );
}

/// Every register of the rule's map is documented on its doc page.
#[test]
fn the_doc_page_names_every_register() {
    let doc = std::fs::read_to_string(common::root().join("docs/learning_pcm_trace.md")).unwrap();
    let map = memforge_spec::learning::learning_map(config()).unwrap();
    for r in &map.registers {
        assert!(
            doc.contains(r.name),
            "docs/learning_pcm_trace.md lacks {}",
            r.name
        );
    }
}
