//! Per-block tests, found by name: every family of the registry, swept over
//! its parameter points (its example configs), gets the same checks
//! (verilog-axis style, one suite for every block):
//! - generation is deterministic and the top's ports are the contract's,
//!   in order;
//! - the doc page's port table is the one rendered from the contract;
//! - the Verilated RTL runs in lock step with the golden model on the
//!   block's own stimulus with 0 mismatches;
//! - rust-hdl's simulator of the same block runs in lock step with the
//!   model through the same harness.
//!
//! Fails (never skips) without Verilator.

use crate::common;

use memforge::blocks::{self, docs, BlockDesign, BlockFamily, Testbench, REGISTRY};
use memforge::cosim::design::write_rtl;
use memforge_sim::cosim::{run_dut, CosimOptions};
use std::path::Path;

/// Lock-step cycles per sweep point (the long runs are `memforge cosim`'s).
const VERILATOR_CYCLES: u64 = 20_000;
const RUST_HDL_CYCLES: u64 = 1_500;

fn each_point(mut f: impl FnMut(&dyn BlockFamily, &str, Box<dyn BlockDesign>)) {
    for family in REGISTRY {
        assert!(
            !family.sweep().is_empty(),
            "{} has no sweep points",
            family.name()
        );
        for path in family.sweep() {
            let design = family
                .load(&common::root().join(path))
                .unwrap_or_else(|e| panic!("{}: {path}: {e:#}", family.name()));
            assert_eq!(design.family(), family.name());
            f(*family, path, design);
        }
    }
}

#[test]
fn every_block_generates_deterministically_with_its_contract_ports() {
    each_point(|family, path, design| {
        let (emitted, a) = blocks::generate_files(design.as_ref()).unwrap();
        let (_, b) = blocks::generate_files(design.as_ref()).unwrap();
        assert_eq!(a, b, "{} {path}: not deterministic", family.name());
        let ports: Vec<String> = emitted.ports.iter().map(|p| p.name.clone()).collect();
        let contract: Vec<String> = design
            .contract()
            .ports
            .iter()
            .map(|p| p.name.clone())
            .collect();
        assert_eq!(ports, contract, "{} {path}: port order", family.name());
    });
}

#[test]
fn every_doc_page_has_the_rendered_port_table() {
    for family in REGISTRY {
        let (page, want) = docs::rendered_page(*family, &common::root()).unwrap();
        assert!(
            page == want,
            "{} is out of date: run `memforge docs`",
            family.doc_page()
        );
    }
}

#[test]
fn a_renamed_port_fails_generation_naming_it() {
    each_point(|family, path, design| {
        let mut emitted = design.emit().unwrap();
        let port = design.contract().ports[1].name.clone();
        let top = emitted
            .modules
            .iter_mut()
            .find(|m| m.name == emitted.design)
            .unwrap();
        let renamed = format!("{port}_renamed");
        top.text = regex::Regex::new(&format!(r"\b{port}\b"))
            .unwrap()
            .replace_all(&top.text, renamed.as_str())
            .into_owned();
        let err = memforge_hdl::check_contract(&emitted, &design.contract()).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("`{port}`")),
            "{} {path}: {msg}",
            family.name()
        );
    });
}

#[test]
fn every_block_runs_in_lock_step_with_its_model_on_verilator() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("blocks");
    each_point(|family, path, design| {
        if !design.modelled() {
            return;
        }
        let dir = tmp.join(family.name()).join(design.top());
        let lib = common::verilate(&write_rtl(design.as_ref(), &dir).unwrap());
        let opts = CosimOptions {
            clock: blocks::clock(design.as_ref()).unwrap(),
            cycles: VERILATOR_CYCLES,
            seed: 7,
            vcd: None,
        };
        let run = memforge::cosim::run::run_block(design.as_ref(), &lib, &opts).unwrap();
        assert!(
            run.report.mismatch.is_none(),
            "{} {path}: {}",
            family.name(),
            run.report.mismatch.unwrap()
        );
        assert_eq!(run.report.cycles, VERILATOR_CYCLES);
        println!("{} {path}: {:?}", family.name(), run.coverage);
    });
}

#[test]
fn every_block_runs_in_lock_step_with_its_model_on_rust_hdl() {
    each_point(|family, path, design| {
        if !design.modelled() {
            return;
        }
        let Some(mut dut) = design.rust_hdl().unwrap() else {
            return;
        };
        let Testbench {
            mut model,
            mut stimulus,
            ..
        } = design.testbench(11).unwrap();
        let report = run_dut(&mut dut, &mut model, &mut stimulus, RUST_HDL_CYCLES, 11).unwrap();
        assert!(
            report.mismatch.is_none(),
            "{} {path}: {}",
            family.name(),
            report.mismatch.unwrap()
        );
    });
}

/// Cycles of the Icarus replay per sweep point (Icarus is an event-driven
/// simulator, far slower than Verilator; `tests/it/icarus_cosim.rs` holds the
/// longer runs).
const ICARUS_CYCLES: u64 = 4_000;

#[test]
fn every_block_replays_in_icarus_as_its_model_predicts() {
    use memforge_sim::cosim::icarus::{self, IcarusOptions};
    let iverilog = memforge::tools::find(memforge::tools::Tool::Iverilog)
        .unwrap_or_else(|e| panic!("this test needs Icarus Verilog (it does not skip): {e:#}"));
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("blocks_icarus");
    each_point(|family, path, design| {
        if !design.modelled() {
            return;
        }
        let name = format!("{}_{}", family.name(), design.top());
        let rtl = write_rtl(design.as_ref(), &tmp.join(&name)).unwrap();
        let Testbench {
            mut model,
            mut stimulus,
            ..
        } = design.testbench(13).unwrap();
        let layout = model.layout().clone();
        let mut rec = icarus::record(&mut model, &mut stimulus, ICARUS_CYCLES);
        // Sync-reset flip-flops are unknown until the first edge resets them.
        rec.compare_from = match design.reset_style() {
            memforge_spec::ResetStyle::Async => 0,
            memforge_spec::ResetStyle::Sync => 1,
        };
        let opts = IcarusOptions::new(
            iverilog.path.clone(),
            icarus::work_dir(&tmp, &name),
            std::time::Duration::from_secs(900),
        );
        let clock = blocks::clock(design.as_ref()).unwrap();
        let report = icarus::replay(&rtl, &clock, &layout, &rec, &opts)
            .unwrap_or_else(|e| panic!("{} {path}: {e}", family.name()));
        assert!(
            report.mismatch.is_none(),
            "{} {path}: {:?}",
            family.name(),
            report.mismatch
        );
        assert_eq!(report.cycles, ICARUS_CYCLES, "{} {path}", family.name());
    });
}
