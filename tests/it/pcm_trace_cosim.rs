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
use crate::common::rule_cosim::RuleTile;

use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::{Stimulus, TileTraffic};
use memforge_sim::tile::TileModel;
use std::sync::OnceLock;

const CYCLES: u64 = 50_000;

fn tile() -> &'static RuleTile {
    static TILE: OnceLock<RuleTile> = OnceLock::new();
    TILE.get_or_init(|| RuleTile::new("pcm-trace-8x8.toml", "pcm_trace_cosim", 0x5eed_0413))
}

/// The golden model alone on the same traffic: the controller's totals
/// (weight SETs, weight RESETs, trace partial SETs, trace READs, trace
/// RESETs), counted where the model issues them, and the trace-row
/// commands the macro received, counted by the traffic.
fn learning_totals(cycles: u64) -> ([u64; 5], [u64; 3]) {
    let t = tile();
    let mut model = TileModel::new(&t.cfg);
    let mut traffic = TileTraffic::new(&t.cfg, model.layout(), t.seed).unwrap();
    let probe = traffic.coverage();
    let mut v = vec![0u64; model.layout().total_words()];
    model.outputs(&mut v);
    let mut totals = [0u64; 5];
    for c in 0..cycles {
        traffic.drive(c, &mut v);
        let before = model.pcm_trace().map(|p| p.model.totals);
        model.tick(&v);
        model.outputs(&mut v);
        // A reset replaces the controller: add what it did before it.
        let p = model.pcm_trace().expect("the PCM-trace tile learns");
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
    tile().assert_lock_step(CYCLES);
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
    tile().assert_mutant_caught(name, &[(file, from, to)], CYCLES);
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
    tile().assert_icarus_agrees(20_000);
}

/// Every register of the rule's map is documented on its doc page.
#[test]
fn the_doc_page_names_every_register() {
    let doc = std::fs::read_to_string(common::root().join("docs/learning_pcm_trace.md")).unwrap();
    let map = memforge_spec::learning::learning_map(&tile().cfg).unwrap();
    for r in &map.registers {
        assert!(
            doc.contains(r.name),
            "docs/learning_pcm_trace.md lacks {}",
            r.name
        );
    }
}
