//! The AER router's own checks, beyond the per-block sweep in
//! `tests/it/blocks.rs`: the lock-step run's coverage (every output granted,
//! table hits, forks, drops read back over Wishbone, backpressure on both
//! sides, resets) with the scoreboard; forks from every input at once under
//! random backpressure always drain (no deadlock); and that the checks can
//! fail: an XY comparison turned around and an arbiter that never rotates
//! (starving the low inputs) are caught by the lock step. Fails (never
//! skips) without Verilator.

use crate::common;

use memforge::blocks;
use memforge::blocks::aer_router::RouterDesign;
use memforge::cosim::design::write_rtl_edited;
use memforge::cosim::run::run_block;
use memforge_sim::aer_router::AerRouterModel;
use memforge_sim::cosim::CosimOptions;
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::router_traffic::RouterTraffic;
use memforge_sim::verilator::VerilatedLibrary;
use memforge_spec::blocks::aer_router::{self, AerRouterConfig};
use std::path::Path;

const CYCLES: u64 = 100_000;

fn config() -> AerRouterConfig {
    memforge_spec::load::load_with(
        &common::root().join("examples/aer-router.toml"),
        aer_router::validate,
    )
    .unwrap()
}

fn verilate(name: &str, edit: impl Fn(&str, String) -> String) -> VerilatedLibrary {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("aer_router")
        .join(name);
    common::verilate(&write_rtl_edited(&RouterDesign(config()), &dir, edit).unwrap())
}

fn options(cycles: u64) -> CosimOptions {
    CosimOptions {
        clock: aer_router::CLOCK.into(),
        cycles,
        seed: 0x5eed_0012,
        vcd: None,
    }
}

fn counters(c: &serde_json::Map<String, serde_json::Value>, k: &str) -> Vec<u64> {
    c[k].as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

#[test]
fn router_runs_in_lock_step_and_delivers_every_packet_to_its_outputs() {
    let lib = verilate("clean", |_, t| t);
    let run = run_block(&RouterDesign(config()), &lib, &options(CYCLES)).unwrap();
    assert!(
        run.report.mismatch.is_none(),
        "{}",
        run.report.mismatch.unwrap()
    );
    let c = &run.coverage;
    println!("{c:?}");
    let n = |k: &str| c[k].as_u64().unwrap();
    assert_eq!(n("scoreboard_errors"), 0);
    assert!(n("resets") > 0 && n("rounds") > 20);
    assert!(n("table_hits") > 1000 && n("multicast_forks") > 1000);
    assert!(n("drops") > 100);
    assert_eq!(n("dropped_reads_ok"), n("rounds"));
    assert!(n("input_backpressure_cycles") > 1000);
    assert!(n("output_backpressure_cycles") > 1000);
    for (o, g) in counters(c, "grants_per_output").iter().enumerate() {
        assert!(*g > 1000, "output {o} granted {g} times");
    }
    for (i, t) in counters(c, "taken_per_input").iter().enumerate() {
        assert!(*t > 1000, "input {i} took {t} packets");
    }
}

#[test]
fn forks_under_backpressure_never_deadlock() {
    // Tables that fork every packet, from all five inputs at once, with
    // random backpressure on all five outputs: every round must drain (a
    // drain over its limit is a scoreboard error) and every packet reach
    // each output of its set once, in order; the RTL in lock step.
    let cfg = config();
    let lib = verilate("clean", |_, t| t);
    let mut cov = None;
    let report = memforge_sim::cosim::run(
        &lib,
        |seed| {
            let model = AerRouterModel::new(&cfg);
            let traffic = RouterTraffic::new(&cfg, model.layout(), seed)
                .unwrap()
                .forking_tables();
            cov.get_or_insert(traffic.coverage());
            (model, traffic)
        },
        &options(60_000),
    )
    .unwrap();
    assert!(report.mismatch.is_none(), "{}", report.mismatch.unwrap());
    let cov = cov.unwrap();
    let c = cov.borrow();
    println!("{c:?}");
    let taken: u64 = c.taken_per_input.iter().sum();
    assert_eq!(c.scoreboard_errors, 0);
    assert!(c.rounds >= 10, "{c:?}");
    assert!(c.multicast_forks * 2 > taken, "{c:?}");
    assert!(c.grants_per_output.iter().all(|g| *g > 300), "{c:?}");
}

fn mutated(name: &str, from: &'static str, to: &'static str) -> VerilatedLibrary {
    verilate(name, move |path, text| {
        if path == "rtl/router3x3.v" {
            let m = text.replace(from, to);
            assert_ne!(m, text, "the mutation site `{from}` moved");
            m
        } else {
            text
        }
    })
}

#[test]
fn a_turned_xy_comparison_is_caught() {
    let lib = mutated("xy", "> my_x)", "< my_x)");
    let run = run_block(&RouterDesign(config()), &lib, &options(CYCLES)).unwrap();
    let m = run.report.mismatch.expect("the mutated RTL must mismatch");
    println!("caught at cycle {}: {m}", m.cycle);
}

#[test]
fn an_arbiter_that_never_rotates_is_caught() {
    // `last` never moves: fixed priority, the highest input always wins
    // and the others starve under load.
    let lib = verilate("starve", |path, text| {
        if path == "rtl/router3x3.v" {
            let mut m = text.clone();
            for o in 0..5 {
                m = m.replace(
                    &format!("last__{o}__d__c = src__{o};"),
                    &format!("last__{o}__d__c = last__{o}__q;"),
                );
            }
            assert_ne!(m, text, "the mutation site moved");
            m
        } else {
            text
        }
    });
    let run = run_block(&RouterDesign(config()), &lib, &options(CYCLES)).unwrap();
    let m = run.report.mismatch.expect("the mutated RTL must mismatch");
    println!("caught at cycle {}: {m}", m.cycle);
}

#[test]
fn bad_router_configs_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let good = "cols = 3\nrows = 3\naddr_bits = 8\ntimestamp_bits = 4";
    for (mesh, place, field) in [
        (good, "x = 3\ny = 0", "aer_router.x"),
        (good, "x = 0\ny = 5", "aer_router.y"),
        (
            "cols = 3\nrows = 3\naddr_bits = 9",
            "x = 0\ny = 0",
            "mesh.addr_bits",
        ),
        ("cols = 0\nrows = 3", "x = 0\ny = 0", "mesh.cols"),
        (
            &format!("{good}\nfifo_depth = 1"),
            "x = 0\ny = 0",
            "mesh.fifo_depth",
        ),
        (
            &format!("{good}\ntable_entries = 9"),
            "x = 0\ny = 0",
            "mesh.table_entries",
        ),
        (
            &format!("{good}\nbase_address = 0x30000100"),
            "x = 0\ny = 0",
            "mesh.base_address",
        ),
        (&format!("{good}\nports = 5"), "x = 0\ny = 0", "ports"),
        (good, "x = 0\ny = 0\nz = 1", "z"),
    ] {
        let path = dir.path().join("r.toml");
        std::fs::write(
            &path,
            format!("[design]\nname = \"r\"\nblock = \"aer_router\"\n[mesh]\n{mesh}\n[aer_router]\n{place}\n"),
        )
        .unwrap();
        let err = blocks::load(&path, None).err().expect(field);
        assert!(format!("{err:#}").contains(field), "{field}: {err:#}");
        assert_eq!(memforge::outcome::exit_code(&err), 2, "{field}");
    }
}
