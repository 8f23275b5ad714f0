//! The AER mesh's network test on the RTL, beyond the per-block sweep in
//! `tests/it/blocks.rs`: a 3x3 mesh (the family's test point; the 4x4
//! example's Verilator build takes twice as long) Verilated in lock step with the composed
//! router models under uniform, transpose and hot-spot traffic, with the
//! scoreboard (every packet once, at its destination, in order per
//! source-destination pair) and every drain within its stated bound; and
//! (on request) a turned XY comparison in one router of the mesh is caught. The long run
//! (1e6 cycles) is `memforge cosim --block aer_mesh
//! examples/aer-mesh-4x4.toml --cycles 1000000` (docs/aer_mesh.md). Fails
//! (never skips) without Verilator.

use crate::common;

use memforge::blocks::aer_mesh::MeshDesign;
use memforge::cosim::design::write_rtl_edited;
use memforge::cosim::run::run_block;
use memforge_sim::cosim::CosimOptions;
use memforge_sim::stimulus::mesh_traffic::{drain_bound, INJECT_CYCLES, PATTERNS};
use memforge_sim::verilator::VerilatedLibrary;
use memforge_spec::blocks::aer_mesh::{self, AerMeshConfig};
use std::path::Path;

/// Enough for two turns of every pattern.
const CYCLES: u64 = 30_000;

fn config() -> AerMeshConfig {
    memforge_spec::load::load_with(
        &common::root().join("examples/aer-mesh-3x3.toml"),
        aer_mesh::validate,
    )
    .unwrap()
}

fn verilate(name: &str, edit: impl Fn(&str, String) -> String) -> VerilatedLibrary {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("aer_mesh")
        .join(name);
    common::verilate(&write_rtl_edited(&MeshDesign(config()), &dir, edit).unwrap())
}

fn options(cycles: u64) -> CosimOptions {
    CosimOptions {
        clock: aer_mesh::CLOCK.into(),
        cycles,
        seed: 0x5eed_4404,
        vcd: None,
    }
}

#[test]
fn mesh_delivers_every_pattern_and_drains_within_its_bound() {
    assert!(CYCLES > 2 * PATTERNS.len() as u64 * INJECT_CYCLES);
    let lib = verilate("clean", |_, t| t);
    let run = run_block(&MeshDesign(config()), &lib, &options(CYCLES)).unwrap();
    assert!(
        run.report.mismatch.is_none(),
        "{}",
        run.report.mismatch.unwrap()
    );
    let c = &run.coverage;
    println!("{c:?}");
    let n = |k: &str| c[k].as_u64().unwrap();
    assert_eq!(n("scoreboard_errors"), 0);
    let routers = u64::from(config().mesh.cols * config().mesh.rows);
    assert_eq!(n("bus_reads_ok"), routers);
    assert!(n("drains") >= 2 * PATTERNS.len() as u64, "{c:?}");
    assert_eq!(n("drain_bound"), drain_bound(&config().mesh));
    assert!(n("max_drain_cycles") <= n("drain_bound"));
    for k in ["injected_per_pattern", "delivered_per_node"] {
        for v in c[k].as_array().unwrap() {
            assert!(v.as_u64().unwrap() > 1000, "{k}: {c:?}");
        }
    }
    // What is not delivered is in flight at the end: at most one packet
    // per buffer slot.
    let missing = n("injected") - n("delivered");
    assert!(missing <= routers * 5 * 3 + routers, "{c:?}");
}

/// A second Verilator build of the mesh costs most of a minute on two
/// cores, so this runs on request (`cargo test --release --test it aer_mesh::
/// -- --ignored`); the router's own mutations run every time
/// (`tests/it/aer_router.rs`). Result recorded in docs/aer_mesh.md.
#[test]
#[ignore = "a second mesh Verilator build (about a minute); run with --ignored"]
fn a_turned_xy_comparison_in_one_router_is_caught() {
    let lib = verilate("mutated", |path, text| {
        if path == "rtl/mesh3x3_router_4.v" {
            let m = text.replacen("(dx__4 > my_x)", "(dx__4 < my_x)", 1);
            assert_ne!(m, text, "the mutation site moved");
            m
        } else {
            text
        }
    });
    let run = run_block(&MeshDesign(config()), &lib, &options(CYCLES)).unwrap();
    let m = run.report.mismatch.expect("the mutated RTL must mismatch");
    println!("caught at cycle {}: {m}", m.cycle);
}

#[test]
fn multicast_trees_reach_every_leaf_and_the_mesh_drains() {
    // Every router's table forks every packet (two to five outputs, local
    // always among them): trees over the whole mesh, forks everywhere at
    // once, random backpressure on every local output. Every drain must end
    // within the bound and every packet reach each leaf of its tree once,
    // in order per source-leaf pair; the RTL in lock step.
    use memforge_sim::aer_mesh::AerMeshModel;
    use memforge_sim::cycle::CycleModel;
    use memforge_sim::stimulus::mesh_traffic::MeshTraffic;
    let cfg = config();
    let lib = verilate("clean", |_, t| t);
    let mut cov = None;
    let report = memforge_sim::cosim::run(
        &lib,
        |seed| {
            let model = AerMeshModel::new(&cfg);
            let traffic = MeshTraffic::new(&cfg, model.layout(), seed)
                .unwrap()
                .with_multicast();
            cov.get_or_insert(traffic.coverage());
            (model, traffic)
        },
        &options(CYCLES),
    )
    .unwrap();
    assert!(report.mismatch.is_none(), "{}", report.mismatch.unwrap());
    let c = cov.unwrap();
    let c = c.borrow();
    println!("{c:?}");
    assert_eq!(c.scoreboard_errors, 0);
    assert!(c.drains >= 2 * PATTERNS.len() as u64, "{c:?}");
    assert!(c.max_drain_cycles <= c.drain_bound, "{c:?}");
    assert!(c.multicast_copies > c.injected, "{c:?}");
    assert!(c.delivered > 10_000, "{c:?}");
}
