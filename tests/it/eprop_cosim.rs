//! Issue #13, rule 3: the tile with its e-prop controller
//! (`examples/eprop-8x8.toml`: differential pairs, mixed-precision
//! accumulators, refresh) runs in lock step with its golden model on the
//! tile's random traffic, whose master also starts update passes and
//! writes learning signals and every learning parameter
//! (`memforge_sim::stimulus::eprop_requests`), with zero mismatches while
//! learning pulses, read-backs and refreshes really happen; mutants of the
//! controller's RTL are caught. Fails (never skips) without Verilator.

use crate::common::rule_cosim::RuleTile;
use std::sync::OnceLock;

const CYCLES: u64 = 50_000;

fn tile() -> &'static RuleTile {
    static TILE: OnceLock<RuleTile> = OnceLock::new();
    TILE.get_or_init(|| RuleTile::new("eprop-8x8.toml", "eprop_cosim", 0x5eed_0313))
}

/// The golden model alone on the same traffic: the controller's update
/// SETs, its refresh RESETs, its check READs and the refreshes started.
fn learning_activity(cycles: u64) -> (u64, u64, u64, u64) {
    let (mut sets, mut resets, mut reads, mut refreshes) = (0, 0, 0, 0);
    let mut last = 0u8;
    tile().model_run(cycles, |model, _| {
        let e = model.eprop().expect("the e-prop tile learns");
        match e.model.cmd.op {
            1 => reads += 1,
            2 => sets += 1,
            3 => resets += 1,
            _ => {}
        }
        refreshes += u64::from(e.model.refreshes.wrapping_sub(last));
        last = e.model.refreshes;
    });
    (sets, resets, reads, refreshes)
}

#[test]
fn eprop_tile_rtl_matches_its_golden_model_while_learning() {
    tile().assert_lock_step(CYCLES);
    // Evidence that learning was active, not just compiled in.
    let (sets, resets, reads, refreshes) = learning_activity(CYCLES);
    println!(
        "learning SET {sets}, refresh RESET {resets}, check READ {reads}, refreshes {refreshes}"
    );
    assert!(sets >= 500 && resets >= 100 && reads >= 200 && refreshes >= 20);
}

/// Applies the first edit whose text is present and expects a mismatch
/// within 100,000 cycles.
fn mutant(name: &str, edits: &[(&str, &str, &str)]) {
    tile().assert_mutant_caught(name, edits, 100_000);
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
