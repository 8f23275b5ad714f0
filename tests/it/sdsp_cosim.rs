//! Issue #13, rule 1: the tile with its SDSP controller
//! (`examples/sdsp-8x8.toml`) runs in lock step with its golden model on
//! the tile's random traffic (the random master also writes `learn_ctrl`,
//! `learn_cfg` and `learn_ca`: its "any word of the window or just past
//! it" requests reach them) with zero mismatches while learning pulses
//! really go to the macro; and mutants of the controller's RTL are caught.
//! Fails (never skips) without Verilator.

use crate::common::rule_cosim::RuleTile;
use std::sync::OnceLock;

const CYCLES: u64 = 50_000;

fn tile() -> &'static RuleTile {
    static TILE: OnceLock<RuleTile> = OnceLock::new();
    TILE.get_or_init(|| RuleTile::new("sdsp-8x8.toml", "sdsp_cosim", 0x5eed_0013))
}

/// The golden model alone on the same traffic: how many cycles the SDSP
/// controller had a SET / a RESET on the crossbar bus.
fn learning_pulses(cycles: u64) -> (u64, u64) {
    let (mut sets, mut resets) = (0, 0);
    tile().model_run(cycles, |model, _| {
        assert!(model.stdp().is_none(), "no STDP controller on an SDSP tile");
        match model.sdsp().expect("the SDSP tile learns").sdsp.cmd.op {
            2 => sets += 1,
            3 => resets += 1,
            _ => {}
        }
    });
    (sets, resets)
}

#[test]
fn sdsp_tile_rtl_matches_its_golden_model_while_learning() {
    tile().assert_lock_step(CYCLES);
    // Evidence that learning was active, both ways, not just compiled in.
    let (sets, resets) = learning_pulses(CYCLES);
    println!("SDSP pulses in {CYCLES} cycles: SET {sets}, RESET {resets}");
    assert!(sets >= 150 && resets >= 150, "SET {sets}, RESET {resets}");
}

/// Applies the one edit (which must be present) and expects a mismatch
/// within 100,000 cycles.
fn mutant(name: &str, file: &str, from: &str, to: &str) {
    tile().assert_mutant_caught(name, &[(file, from, to)], 100_000);
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
    tile().assert_icarus_agrees(20_000);
}
