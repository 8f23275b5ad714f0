//! Issue #13, rule 2: the tile with its pair-based STDP controller
//! (`examples/stdp-8x8.toml`) runs in lock step with its golden model on
//! the tile's random traffic (the random master also writes the learning
//! registers: its "any word of the window" requests reach them) with zero
//! mismatches while learning pulses really go to the macro; and mutants of
//! the controller's RTL are caught. Fails (never skips) without Verilator.

use crate::common::rule_cosim::RuleTile;
use std::sync::OnceLock;

const CYCLES: u64 = 50_000;

fn tile() -> &'static RuleTile {
    static TILE: OnceLock<RuleTile> = OnceLock::new();
    TILE.get_or_init(|| RuleTile::new("stdp-8x8.toml", "stdp_cosim", 0x5eed_0013))
}

/// The golden model alone on the same traffic: how many cycles the
/// learning controller had a SET / a RESET on the crossbar bus.
fn learning_pulses(cycles: u64) -> (u64, u64) {
    let (mut sets, mut resets) = (0, 0);
    tile().model_run(cycles, |model, _| {
        match model.stdp().expect("the STDP tile learns").stdp.cmd.op {
            2 => sets += 1,
            3 => resets += 1,
            _ => {}
        }
    });
    (sets, resets)
}

#[test]
fn stdp_tile_rtl_matches_its_golden_model_while_learning() {
    tile().assert_lock_step(CYCLES);
    // Evidence that learning was active, not just compiled in.
    let (sets, resets) = learning_pulses(CYCLES);
    assert!(sets >= 500 && resets >= 500, "SET {sets}, RESET {resets}");
}

/// Applies the first edit whose text is present and expects a mismatch
/// within 100,000 cycles.
fn mutant(name: &str, edits: &[(&str, &str, &str)]) {
    tile().assert_mutant_caught(name, edits, 100_000);
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
