//! Issue 10, items 4-7: the tile's corner cases, each a scripted session
//! (bus master, AER source and sink, an ideal macro with a chosen latency)
//! run on the golden model, its outcome checked, and the same stimulus
//! replayed into the generated RTL under Icarus Verilog with every output
//! compared every cycle (so the RTL does the same). Fails (never skips)
//! without Icarus.

use crate::common;

use memforge::blocks::tile::TileDesign;
use memforge::cosim::design::write_rtl;
use memforge::tools::{find, Tool};
use memforge_sim::cosim::icarus::{self, IcarusOptions};
use memforge_sim::cosim::session::script::{AerEvent, Script};
use memforge_sim::cosim::session::{Session, SessionLog};
use memforge_sim::cycle::CycleModel;
use memforge_sim::tile::IdealXbar;
use memforge_sim::tile::TileModel;
use memforge_spec::DesignConfig;
use std::path::Path;
use std::time::Duration;

fn cfg_8x8(share: u32) -> DesignConfig {
    let mut cfg = memforge_spec::load_file(&common::root().join("examples/tile-8x8.toml")).unwrap();
    cfg.tile.adc_share = share;
    cfg.design.name = format!("corner{share}");
    cfg
}

/// Runs `script` on the model (macro `xbar`), replays it under Icarus and
/// returns the session log.
fn run(
    name: &str,
    cfg: &DesignConfig,
    script: &Script,
    xbar: IdealXbar,
    cycles: u64,
) -> SessionLog {
    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    let mut session = Session::new(cfg, &layout, script, xbar).unwrap();
    let rec = icarus::record(&mut model, &mut session, cycles);
    let log = session.log.clone();
    assert!(log.completed(), "{name}: {log:?}");
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tile_corners");
    let design = write_rtl(&TileDesign(cfg.clone()), &tmp.join(name)).unwrap();
    let iverilog = find(Tool::Iverilog)
        .unwrap_or_else(|e| panic!("this test needs Icarus Verilog (it does not skip): {e:#}"));
    let opts = IcarusOptions::new(
        iverilog.path,
        icarus::work_dir(&tmp, name),
        Duration::from_secs(300),
    );
    let report = icarus::replay(
        &design,
        memforge_spec::blocks::tile::CLOCK,
        &layout,
        &rec,
        &opts,
    )
    .unwrap();
    if let Some(m) = report.mismatch {
        panic!("{name}: RTL differs from the model under Icarus: {m}");
    }
    log
}

fn status(log: &SessionLog) -> u32 {
    log.last_read("status").expect("status read")
}

/// One event into a tile whose cell (2, col) holds `level` (the threshold):
/// with the macro answering after `latency` cycles.
fn one_event(name: &str, share: u32, latency: usize, cells: &[(usize, u16)]) -> SessionLog {
    let cfg = cfg_8x8(share);
    let mut xbar = IdealXbar::new(&cfg, latency);
    for &(col, level) in cells {
        xbar.set_level(2, col, level);
    }
    let script = Script::new()
        .write("threshold", 17)
        .write("refractory", 0)
        .write("ctrl", 1)
        .send(vec![AerEvent { row: 2, value: 1 }])
        .wait(400)
        .read("status")
        .write("cmd", 1)
        .read("status");
    let log = run(name, &cfg, &script, xbar, 5_000);
    println!(
        "{name}: spikes {:?}, status {:#x}",
        log.spikes,
        status(&log)
    );
    log
}

/// Item 4: READ_TIMEOUT is 64 cycles counted from the cycle the READ is on
/// `xbar_op`: an answer in cycle n+64 is taken (it was abandoned before),
/// one in n+65 is not (the read counts 0 and status[7] is set).
#[test]
fn a_read_answered_64_cycles_later_is_taken_65_is_not() {
    let log = one_event("latency64", 1, 64, &[(3, 17)]);
    assert_eq!(
        log.spikes.iter().map(|s| s.col).collect::<Vec<_>>(),
        vec![3]
    );
    let first = log.reads.iter().find(|r| r.reg == "status").unwrap().value;
    assert_eq!(first & 0x180, 0, "no timeout, no stale answer: {first:#x}");

    let log = one_event("latency65", 1, 65, &[(3, 17)]);
    assert!(log.spikes.is_empty(), "{:?}", log.spikes);
    let first = log.reads.iter().find(|r| r.reg == "status").unwrap().value;
    assert_eq!(first & 0x80, 0x80, "status[7] after a timeout: {first:#x}");
}

/// Item 5: with the macro answering 70 cycles late and ADCs shared by 2,
/// the late answer of slot 0 (column 0 at threshold) used to be taken as
/// the answer of slot 1 and fire column 1. Now it is dropped and counted
/// in status[8]; no neuron fires; cmd[0] clears status[8:7].
#[test]
fn a_late_answer_is_dropped_and_flagged_never_taken_by_the_next_read() {
    let log = one_event("latency70", 2, 70, &[(0, 17)]);
    assert!(
        log.spikes.is_empty(),
        "a late answer reached a neuron: {:?}",
        log.spikes
    );
    let reads: Vec<u32> = log
        .reads
        .iter()
        .filter(|r| r.reg == "status")
        .map(|r| r.value)
        .collect();
    assert_eq!(reads[0] & 0x180, 0x180, "status[8:7] set: {:#x}", reads[0]);
    assert_eq!(reads[1] & 0x180, 0, "cleared by cmd[0]: {:#x}", reads[1]);
}

/// Item 5, programming: a verify read answered late fails the request
/// (done | failed | timeout) only after the late answer has been dropped,
/// so the next request's read never takes it; status[8] reports it.
#[test]
fn a_late_verify_answer_is_dropped() {
    let cfg = cfg_8x8(1);
    let script = Script::new()
        .program(1, 1, 3)
        .read("status")
        .read("prog_status");
    let log = run(
        "prog_latency70",
        &cfg,
        &script,
        IdealXbar::new(&cfg, 70),
        5_000,
    );
    let p = log.programs[0];
    assert!(
        p.done() && p.failed() && p.timed_out() && !p.invalid(),
        "{p:?}"
    );
    assert_eq!(p.pulses(), 0);
    assert_eq!(
        status(&log) & 0x180,
        0x100,
        "stale flagged, status[7] untouched"
    );
}

/// Item 6: a leak tick due every cycle (`leak_period = 0`, and
/// `leak_period <= adc_share` generally) used to starve the input: no event
/// was ever taken. Events and leak ticks now interleave.
#[test]
fn a_leak_tick_every_cycle_does_not_starve_events() {
    for share in [1, 3] {
        let cfg = cfg_8x8(share);
        let mut xbar = IdealXbar::new(&cfg, 1);
        xbar.set_level(2, 3, 17);
        let script = Script::new()
            .write("threshold", 17)
            .write("refractory", 0)
            .write("leak", 0)
            .write("leak_period", 0)
            .write("ctrl", 3)
            .send(vec![AerEvent { row: 2, value: 1 }; 3])
            .wait(300)
            .write("leak_period", share)
            .send(vec![AerEvent { row: 2, value: 1 }; 2])
            .wait(300);
        let log = run(&format!("leak0_share{share}"), &cfg, &script, xbar, 5_000);
        assert_eq!(log.spikes.len(), 5, "share {share}: {:?}", log.spikes);
    }
}

/// Item 7: a programming target above the largest ADC code can never be
/// verified; it is refused at once as invalid (it used up max_pulses).
#[test]
fn a_target_above_the_adc_range_is_invalid() {
    let cfg = cfg_8x8(1);
    let max = (1u16 << cfg.tile.adc_bits) - 1;
    let script = Script::new().program(1, 1, max + 1).program(1, 2, max);
    let mut xbar = IdealXbar::new(&cfg, 1);
    xbar.set_level(1, 2, max - 3);
    let log = run("target_range", &cfg, &script, xbar, 20_000);
    let (bad, ok) = (log.programs[0], log.programs[1]);
    assert!(
        bad.done() && bad.failed() && bad.invalid() && bad.pulses() == 0,
        "{bad:?}"
    );
    assert!(ok.passed(), "{ok:?}");
}
