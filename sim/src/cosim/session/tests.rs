//! The session against the golden model alone (no Verilator): what the
//! script does must show up in the log and in the macro.

use super::*;
use crate::cycle::CycleModel;
use crate::tile::{IdealXbar, StuckCells, TileModel};

fn cfg() -> DesignConfig {
    memforge_spec::parse_str("[design]\nname = \"t\"\n", "t").unwrap()
}

/// Runs `session` against the model until it finishes or `cycles` pass.
fn run_on_model<X: XbarMacro>(cfg: &DesignConfig, session: &mut Session<X>, cycles: u64) {
    let mut model = TileModel::new(cfg);
    let mut values = vec![0u64; model.layout().total_words()];
    model.outputs(&mut values);
    for cycle in 0..cycles {
        if session.finished() {
            return;
        }
        session.drive(cycle, &mut values);
        model.tick(&values);
        model.outputs(&mut values);
    }
}

fn layout(cfg: &DesignConfig) -> PortLayout {
    TileModel::new(cfg).layout().clone()
}

#[test]
fn reads_writes_programs_and_spikes() {
    let cfg = cfg();
    let script = Script::new()
        .read("id")
        .write("scratch", 0xdead_beef)
        .read("scratch")
        .write("prog_tolerance", 0)
        .program(2, 3, 17)
        .program(9, 0, 5)
        .write("threshold", 10)
        .write("refractory", 0)
        .write("ctrl", 1)
        .send(vec![AerEvent { row: 2, value: 1 }; 2])
        .wait_idle()
        .wait(5);
    let mut s = Session::new(&cfg, &layout(&cfg), &script, IdealXbar::new(&cfg, 1)).unwrap();
    run_on_model(&cfg, &mut s, 20_000);
    let log = &s.log;
    assert!(log.completed(), "{log:?}");
    assert_eq!(log.ops_done(), script.ops.len());
    assert_eq!(
        log.last_read("id"),
        Some(memforge_spec::regmap::ID_MAGIC | memforge_spec::regmap::REGMAP_VERSION)
    );
    assert_eq!(log.last_read("scratch"), Some(0xdead_beef));
    let (ok, bad) = (log.programs[0], log.programs[1]);
    assert!(ok.passed() && ok.pulses() == 17, "{ok:?}");
    assert_eq!(s.xbar().level(2, 3), 17);
    assert!(
        bad.failed() && bad.invalid() && bad.pulses() == 0,
        "{bad:?}"
    );
    // Level 17 >= threshold 10: column 3 fires once per event.
    assert_eq!(log.events_sent, 2);
    let cols: Vec<u8> = log.spikes.iter().map(|s| s.col).collect();
    assert_eq!(cols, vec![3, 3]);
}

#[test]
fn a_stuck_cell_fails_after_max_pulses() {
    let cfg = cfg();
    let script = Script::new().write("prog_max_pulses", 7).program(1, 1, 40);
    let xbar = StuckCells::new(IdealXbar::new(&cfg, 1), vec![(1, 1)]);
    let mut s = Session::new(&cfg, &layout(&cfg), &script, xbar).unwrap();
    run_on_model(&cfg, &mut s, 20_000);
    assert!(s.log.completed());
    let r = s.log.programs[0];
    assert!(r.done() && r.failed() && !r.timed_out(), "{r:?}");
    assert_eq!(r.pulses(), 7);
    assert_eq!(s.xbar().ignored_pulses, 7);
}

#[test]
fn unknown_registers_are_refused_before_running() {
    let cfg = cfg();
    let err = Session::new(
        &cfg,
        &layout(&cfg),
        &Script::new().write("thresold", 3),
        IdealXbar::new(&cfg, 1),
    )
    .err()
    .unwrap();
    assert_eq!(err, ScriptError::UnknownRegister("thresold".into()));
}

#[test]
fn an_unfinished_script_is_not_completed() {
    let cfg = cfg();
    let script = Script::new().wait(1000);
    let mut s = Session::new(&cfg, &layout(&cfg), &script, IdealXbar::new(&cfg, 1)).unwrap();
    run_on_model(&cfg, &mut s, 100);
    assert!(!s.finished() && !s.log.completed());
    assert_eq!(s.current_op().as_deref(), Some("op #0: wait 1000 cycles"));
}
