//! `[flow] clock_gating`: the neurons' potential and refractory counter
//! behind integrated clock gates (`memforge_hdl::gated_reg`,
//! `memforge_hdl::emit::icg`). The gated 8x8 tile's RTL has one gate per
//! register and no hold mux, passes the four lint gates (ASIC and FPGA
//! targets), and runs in lock step with the unchanged golden model under
//! rust-hdl's simulator, Verilator and Icarus (the event-driven simulator,
//! where a gated clock would race its data if the gate were not a
//! continuous assignment); a neuron gated by the wrong enable is caught.
//! Fails (never skips) without Verilator, Icarus or Yosys.

use crate::common;

use memforge::blocks::tile::TileDesign;
use memforge::blocks::{BlockDesign, Testbench};
use memforge::cosim::design::{write_rtl, write_rtl_edited};
use memforge::lint::{lint_all, DesignDir};
use memforge::tools::{find, Tool};
use memforge_sim::cosim::icarus::{self, IcarusOptions};
use memforge_sim::cosim::{self, run_dut, CosimOptions};
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::TileTraffic;
use memforge_sim::tile::TileModel;
use memforge_sim::verilator::{BuildOptions, VerilatedLibrary};
use memforge_spec::{DesignConfig, Target};
use std::path::{Path, PathBuf};
use std::time::Duration;

const SEED: u64 = 0x5eed_0c16;

fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("clock_gating")
}

/// The 8x8 example with clock gating on.
fn gated(name: &str) -> DesignConfig {
    let mut cfg = memforge_spec::load_file(&common::root().join("examples/tile-8x8.toml")).unwrap();
    cfg.design.name = name.into();
    cfg.flow.clock_gating = true;
    cfg
}

fn file<'a>(files: &'a [(String, String)], suffix: &str) -> &'a str {
    files
        .iter()
        .find(|(p, _)| p.ends_with(suffix))
        .map(|(_, t)| t.as_str())
        .unwrap_or_else(|| panic!("no generated file ends in {suffix}"))
}

#[test]
fn the_gated_neuron_has_two_gates_and_no_hold_mux() {
    let (_, files) = memforge::cmd::generate::generate_files(&gated("cg")).unwrap();
    let neuron = file(&files, "rtl/cg_neuron_cg.v");
    assert_eq!(neuron.matches("cg_icg ").count(), 2, "{neuron}");
    assert!(
        neuron.contains("always @(posedge pot__gclk) pot__q <= pot__d;"),
        "{neuron}"
    );
    assert!(neuron.contains("assign pot__d = vnew;"), "{neuron}");
    assert!(neuron.contains("assign pot__en = we;"), "{neuron}");
    assert!(!neuron.contains("pot__d__c = pot__q"), "{neuron}");
    let icg = file(&files, "rtl/cg_icg.v");
    assert!(icg.contains("sky130_fd_sc_hd__dlclkp_1"), "{icg}");
    assert!(file(&files, "cg.f").contains("rtl/cg_icg.v"));
    assert!(!files.iter().any(|(p, _)| p.ends_with("rtl/cg_neuron.v")));
    // Without the switch: no gate, the plain neuron.
    let mut plain = gated("cg");
    plain.flow.clock_gating = false;
    let (_, files) = memforge::cmd::generate::generate_files(&plain).unwrap();
    assert!(!files.iter().any(|(_, t)| t.contains("_icg")));
    assert!(file(&files, "rtl/cg_neuron.v").contains("pot__d__c = pot__q"));
}

#[test]
fn gated_tiles_pass_all_lint_gates() {
    let mut fpga = gated("cg_fpga");
    fpga.design.target = Target::Fpga;
    for cfg in [gated("cg_lint"), fpga] {
        let (_, files) = memforge::cmd::generate::generate_files(&cfg).unwrap();
        let fpga = cfg.design.target == Target::Fpga;
        assert_eq!(
            files.iter().any(|(p, _)| p.ends_with("_icg.v")),
            !fpga,
            "FPGA targets get enable flip-flops, ASIC targets clock gates"
        );
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join(&cfg.design.name);
        memforge_hdl::emit::write_design(&out, &files).unwrap();
        let design = DesignDir::open(&out).unwrap();
        for r in lint_all(&design).expect("lint tools must be installed (./dev setup)") {
            assert!(
                r.passed,
                "{} on {} (top {}):\n{}",
                r.tool,
                cfg.design.name,
                r.top,
                r.messages.join("\n")
            );
        }
    }
}

#[test]
fn rust_hdl_runs_the_gated_tile_in_lock_step() {
    let design = TileDesign(gated("cg_rh"));
    let Testbench {
        mut model,
        mut stimulus,
        ..
    } = design.testbench(SEED).unwrap();
    let mut dut = design.rust_hdl().unwrap().unwrap();
    let report = run_dut(&mut dut, &mut model, &mut stimulus, 6000, SEED).unwrap();
    assert!(report.mismatch.is_none(), "{}", report.mismatch.unwrap());
}

/// Verilates the gated tile with `edit` applied and runs `cycles` of the
/// lock-step co-simulation; returns the first mismatch.
fn verilator_run(
    name: &str,
    cycles: u64,
    edit: impl Fn(&str, String) -> String,
) -> Option<cosim::Mismatch> {
    let verilator = find(Tool::Verilator)
        .unwrap_or_else(|e| panic!("this test needs Verilator (it does not skip): {e:#}"));
    let cfg = gated(name);
    let design = write_rtl_edited(&TileDesign(cfg.clone()), &tmp().join(name), edit)
        .unwrap_or_else(|e| panic!("{e:#}"));
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("memforge-verilator");
    let lib = VerilatedLibrary::build(&design, &BuildOptions::new(verilator.path, cache))
        .unwrap_or_else(|e| panic!("{e}"));
    let report = cosim::run(
        &lib,
        |seed| {
            let model = TileModel::new(&cfg);
            let traffic = TileTraffic::new(&cfg, model.layout(), seed).unwrap();
            (model, traffic)
        },
        &CosimOptions {
            clock: memforge_spec::blocks::tile::CLOCK.into(),
            cycles,
            seed: SEED,
            vcd: None,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    if report.mismatch.is_none() {
        assert_eq!(report.cycles, cycles);
    }
    report.mismatch
}

#[test]
fn verilator_runs_the_gated_tile_in_lock_step() {
    if let Some(m) = verilator_run("cg_v", 30_000, |_, t| t) {
        panic!("{m}");
    }
}

/// Replays the golden model's run of the gated tile (with `edit` applied to
/// its RTL) under Icarus; returns the first mismatch.
fn icarus_run(
    name: &str,
    cycles: u64,
    edit: impl Fn(&str, String) -> String,
) -> Option<icarus::IcarusMismatch> {
    let iverilog = find(Tool::Iverilog)
        .unwrap_or_else(|e| panic!("this test needs Icarus Verilog (it does not skip): {e:#}"));
    let cfg = gated(name);
    let design = if name.contains("mutant") {
        write_rtl_edited(&TileDesign(cfg.clone()), &tmp().join(name), edit)
    } else {
        write_rtl(&TileDesign(cfg.clone()), &tmp().join(name))
    }
    .unwrap_or_else(|e| panic!("{e:#}"));
    let mut model = TileModel::new(&cfg);
    let mut traffic = TileTraffic::new(&cfg, model.layout(), SEED).unwrap();
    let layout = model.layout().clone();
    let rec = icarus::record(&mut model, &mut traffic, cycles);
    let options = IcarusOptions::new(
        iverilog.path,
        icarus::work_dir(&tmp(), name),
        Duration::from_secs(600),
    );
    let report = icarus::replay(
        &design,
        memforge_spec::blocks::tile::CLOCK,
        &layout,
        &rec,
        &options,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    report.mismatch
}

#[test]
fn icarus_runs_the_gated_tile_in_lock_step() {
    if let Some(m) = icarus_run("cg_icarus", 20_000, |_, t| t) {
        panic!("{m}");
    }
}

/// The potential gated by the refractory counter's enable instead of its
/// own: the co-simulation must see it.
#[test]
fn a_potential_gated_by_the_wrong_enable_is_caught() {
    let m = icarus_run("cg_mutant", 20_000, |path, text| {
        if path.ends_with("_neuron_cg.v") {
            let mutated = text.replacen(".gate(pot__en)", ".gate(refr__en)", 1);
            assert_ne!(mutated, text, "the mutation site is gone");
            mutated
        } else {
            text
        }
    });
    let m = m.expect("the mutant must be caught");
    println!("mutant caught: {m}");
}

/// `memforge fpga` on an ASIC design with sky130 gates is a usage error
/// (exit code 2) saying what to do, before any tool runs.
#[test]
fn the_fpga_flow_refuses_sky130_clock_gates() {
    let (_, files) = memforge::cmd::generate::generate_files(&gated("cg_ice")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cg_ice");
    memforge_hdl::emit::write_design(&out, &files).unwrap();
    let design = DesignDir::open(&out).unwrap();
    let err = memforge::flows::ice40::implement(&design, None, dir.path()).unwrap_err();
    assert_eq!(memforge::outcome::exit_code(&err), 2, "{err:#}");
    assert!(err.to_string().contains("clock gates"), "{err:#}");
}
