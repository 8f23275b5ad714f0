//! The Mosaic routing tile's own checks, beyond the per-block sweep in
//! `tests/it/blocks.rs`: the lock step with the macro played by ideal booleans
//! and by real devices through the circuit solver, the coverage of every
//! path (multi-row routing reads, verify reads, SET/RESET pulses, withheld
//! and spurious answers, pulses in every direction), and that the check
//! can fail: RTL mutations (a pulse sent the wrong way, answers taken that
//! nothing was owed) are caught. Fails (never skips) without Verilator.

use crate::common;

use memforge::blocks::routing_tile::RoutingTileDesign;
use memforge::cosim::design::write_rtl_edited;
use memforge::cosim::run::run_block;
use memforge_sim::cosim::CosimOptions;
use memforge_sim::verilator::VerilatedLibrary;
use memforge_spec::analog::MacroModel;
use memforge_spec::blocks::routing_tile::{self, RoutingTileConfig};
use std::path::Path;
use std::process::Command;

fn config() -> RoutingTileConfig {
    memforge_spec::load::load_with(
        &common::root().join("examples/routing-tile-2.toml"),
        routing_tile::validate,
    )
    .unwrap()
}

fn verilate(name: &str, edit: impl Fn(&str, String) -> String) -> VerilatedLibrary {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("routing_tile")
        .join(name);
    common::verilate(&write_rtl_edited(&RoutingTileDesign(config()), &dir, edit).unwrap())
}

fn options(cycles: u64) -> CosimOptions {
    CosimOptions {
        clock: routing_tile::CLOCK.into(),
        cycles,
        seed: 0x5eed_0012,
        vcd: None,
    }
}

#[test]
fn routing_tile_runs_in_lock_step_with_ideal_and_device_macros() {
    let lib = verilate("clean", |_, t| t);
    let run = run_block(&RoutingTileDesign(config()), &lib, &options(200_000)).unwrap();
    assert!(
        run.report.mismatch.is_none(),
        "{}",
        run.report.mismatch.unwrap()
    );
    let c = &run.coverage;
    println!("{c:?}");
    let n = |k: &str| c[k].as_u64().unwrap();
    for k in [
        "multi_row_reads",
        "single_row_reads",
        "set_pulses",
        "reset_pulses",
        "prog_requests",
        "answers_withheld",
        "spurious_answers",
        "resets",
    ] {
        assert!(n(k) > 0, "{k} never happened: {c:?}");
    }
    assert!(n("answers") > 10_000);
    for (d, p) in c["pulses_out"].as_array().unwrap().iter().enumerate() {
        assert!(p.as_u64().unwrap() > 1000, "direction {d}: {c:?}");
    }

    // The same RTL with the macro played by devices and comparators.
    let mut dev = config();
    dev.analog.macro_model = MacroModel::Device;
    let run = run_block(&RoutingTileDesign(dev), &lib, &options(20_000)).unwrap();
    assert!(
        run.report.mismatch.is_none(),
        "{}",
        run.report.mismatch.unwrap()
    );
    assert!(run.coverage["answers"].as_u64().unwrap() > 1000);
}

fn mutated(name: &str, from: &'static str, to: &'static str) {
    let lib = verilate(name, move |path, text| {
        if path == "rtl/route2.v" {
            let m = text.replacen(from, to, 1);
            assert_ne!(m, text, "the mutation site `{from}` moved");
            m
        } else {
            text
        }
    });
    let run = run_block(&RoutingTileDesign(config()), &lib, &options(50_000)).unwrap();
    let m = run.report.mismatch.expect("the mutated RTL must mismatch");
    println!("{name}: caught at cycle {}: {m}", m.cycle);
}

#[test]
fn a_pulse_sent_the_wrong_way_is_caught() {
    mutated("wrong_way", "outs__q[(at_e)+:(2)]", "outs__q[(at_w)+:(2)]");
}

#[test]
fn taking_answers_nothing_was_owed_is_caught() {
    mutated(
        "unowed",
        "assign answered = xbar_valid & |pending__q;",
        "assign answered = xbar_valid;",
    );
}

#[test]
fn bad_routing_tile_configs_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    for (body, field) in [
        ("channels = 3\n", "routing.channels"),
        ("channels = 2\nmacro_latency = 0\n", "routing.macro_latency"),
    ] {
        let cfg = dir.path().join("r.toml");
        let text = format!("[design]\nname = \"r\"\nblock = \"routing_tile\"\n[routing]\n{body}");
        std::fs::write(&cfg, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
            .args(["generate", cfg.to_str().unwrap(), "--out"])
            .arg(dir.path().join("out"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{body}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(field), "{err}");
        assert!(
            !dir.path().join("out").exists(),
            "nothing written on bad input"
        );
    }
}

/// Plays the ideal macro until its "model" fails after `at` edges, as a
/// device model's solve can: the harness must stop there and say so, not
/// report a clean run on the silent answers that follow.
struct FailsAt {
    inner: memforge_sim::routing_xbar::IdealRoutingXbar,
    edges: u64,
    at: u64,
}

impl memforge_sim::routing_xbar::RoutingMacro for FailsAt {
    fn clock(&mut self, cmd: &memforge_sim::routing_xbar::RoutingCmd) {
        self.edges += 1;
        self.inner.clock(cmd);
    }
    fn answer(&self) -> Option<u64> {
        self.inner.answer()
    }
    fn fault(&self) -> Option<String> {
        (self.edges >= self.at).then(|| "the circuit solve diverged".to_string())
    }
}

#[test]
fn a_failing_macro_model_stops_the_run_naming_it() {
    use memforge::blocks::BlockDesign;
    use memforge_sim::cosim::harness::{run_dut, CosimError};
    use memforge_sim::cosim::icarus;
    use memforge_sim::cycle::CycleModel;
    use memforge_sim::routing_tile::RoutingTileModel;
    use memforge_sim::routing_xbar::IdealRoutingXbar;
    use memforge_sim::stimulus::routing_traffic::RoutingTraffic;

    let cfg = config();
    let lines = cfg.routing.lines();
    let traffic = |model: &RoutingTileModel| {
        let xbar = FailsAt {
            inner: IdealRoutingXbar::new(lines, vec![true; lines * lines], 1),
            edges: 0,
            at: 300,
        };
        RoutingTraffic::new(&cfg, model.layout(), Box::new(xbar), 5).unwrap()
    };
    let mut dut = RoutingTileDesign(cfg.clone()).rust_hdl().unwrap().unwrap();
    let mut model = RoutingTileModel::new(&cfg);
    let mut stim = traffic(&model);
    let err = run_dut(&mut dut, &mut model, &mut stim, 2_000, 5).unwrap_err();
    match &err {
        CosimError::Stimulus { cycle, message } => {
            assert!((299..=301).contains(cycle), "stopped at cycle {cycle}");
            assert!(message.contains("routing macro") && message.contains("diverged"));
        }
        other => panic!("expected the macro's failure, got {other}"),
    }
    // The Icarus path records the same stop and refuses to replay it.
    let mut model = RoutingTileModel::new(&cfg);
    let mut stim = traffic(&model);
    let rec = icarus::record(&mut model, &mut stim, 2_000);
    let (cycle, message) = rec.fault.clone().expect("the recording notes the failure");
    assert_eq!(rec.cycles, cycle);
    assert!(message.contains("diverged"));
}
