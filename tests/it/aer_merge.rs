//! The AER merge's own checks, beyond the per-block sweep in
//! `tests/it/blocks.rs`: the lock-step run's coverage (every input granted,
//! backpressure on both sides, resets), the scoreboard (nothing lost,
//! duplicated or reordered) and rotation fairness; and that the checks can
//! fail: a one-character RTL mutation is caught by the lock step, and a
//! model that delivers an event twice is caught by the scoreboard. Fails
//! (never skips) without Verilator.

use crate::common;
use crate::flows_support;

use memforge::blocks;
use memforge::blocks::aer_merge::MergeDesign;
use memforge::cosim::design::write_rtl_edited;
use memforge::cosim::run::run_block;
use memforge_sim::aer_merge::AerMergeModel;
use memforge_sim::cosim::CosimOptions;
use memforge_sim::cycle::{CycleModel, PortLayout};
use memforge_sim::stimulus::merge_traffic::MergeTraffic;
use memforge_sim::stimulus::Stimulus;
use memforge_sim::verilator::VerilatedLibrary;
use memforge_spec::blocks::aer_merge::{self, AerMergeConfig};
use std::path::Path;

const CYCLES: u64 = 200_000;

fn config() -> AerMergeConfig {
    memforge_spec::load::load_with(
        &common::root().join("examples/aer-merge-4.toml"),
        aer_merge::validate,
    )
    .unwrap()
}

fn verilate(name: &str, edit: impl Fn(&str, String) -> String) -> VerilatedLibrary {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("aer_merge")
        .join(name);
    common::verilate(&write_rtl_edited(&MergeDesign(config()), &dir, edit).unwrap())
}

fn options(cycles: u64) -> CosimOptions {
    CosimOptions {
        clock: aer_merge::CLOCK.into(),
        cycles,
        seed: 0x5eed_0009,
        vcd: None,
    }
}

#[test]
fn merge_runs_in_lock_step_fairly_and_loses_nothing() {
    let lib = verilate("clean", |_, t| t);
    let run = run_block(&MergeDesign(config()), &lib, &options(CYCLES)).unwrap();
    assert!(
        run.report.mismatch.is_none(),
        "{}",
        run.report.mismatch.unwrap()
    );
    let c = &run.coverage;
    println!("{c:?}");
    let n = |k: &str| c[k].as_u64().unwrap();
    let per = |k: &str| -> Vec<u64> {
        c[k].as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect()
    };
    assert_eq!(n("scoreboard_errors"), 0);
    assert!(n("resets") > 0);
    assert!(n("input_backpressure_cycles") > 1000);
    assert!(n("output_backpressure_cycles") > 1000);
    let grants = per("grants_per_input");
    let taken = per("taken_per_input");
    // Every input is served, and evenly: the sources offer the same load,
    // so rotation gives each input a share within 10% of the mean.
    let mean = grants.iter().sum::<u64>() as f64 / grants.len() as f64;
    assert!(mean > 1000.0, "{grants:?}");
    for g in &grants {
        assert!((*g as f64 - mean).abs() < 0.1 * mean, "unfair: {grants:?}");
    }
    // Delivered never exceeds taken; what is missing was in flight at a
    // reset (at most the FIFOs plus the output register per reset).
    let depth = u64::from(config().aer_merge.fifo_depth);
    for (g, t) in grants.iter().zip(&taken) {
        assert!(g <= t);
        assert!(
            t - g <= n("resets") * (depth + 1) + depth + 1,
            "{taken:?} vs {grants:?}"
        );
    }
}

#[test]
fn a_one_character_rtl_mutation_is_caught() {
    // The rotation compares `id < last`; `<=` keeps granting the same input.
    let lib = verilate("mutated", |path, text| {
        if path == "rtl/merge4.v" {
            let mutated = text.replacen(" < last__q", " <= last__q", 1);
            assert_ne!(mutated, text, "the mutation site moved");
            mutated
        } else {
            text
        }
    });
    let run = run_block(&MergeDesign(config()), &lib, &options(CYCLES)).unwrap();
    let m = run.report.mismatch.expect("the mutated RTL must mismatch");
    println!("caught at cycle {}: {m}", m.cycle);
}

/// The merge model, but every delivered event is offered one cycle more:
/// a merge that duplicates.
struct Duplicating {
    inner: AerMergeModel,
    hold: u64,
}

impl CycleModel for Duplicating {
    fn layout(&self) -> &PortLayout {
        self.inner.layout()
    }

    fn tick(&mut self, v: &[u64]) {
        let l = self.inner.layout();
        let valid = l.pin("out_valid").unwrap();
        let ready = l.pin("out_ready").unwrap();
        let addr = l.pin("out_addr").unwrap();
        let mut o = vec![0u64; l.total_words()];
        self.inner.outputs(&mut o);
        // An event taken now shows once more after the edge.
        self.hold = if valid.is_high(&o) && ready.is_high(v) {
            addr.get(&o) | 1 << 63
        } else {
            0
        };
        self.inner.tick(v);
    }

    fn outputs(&self, v: &mut [u64]) {
        self.inner.outputs(v);
        if self.hold != 0 {
            let l = self.inner.layout();
            l.pin("out_valid").unwrap().set(v, 1);
            l.pin("out_addr").unwrap().set(v, self.hold);
        }
    }
}

#[test]
fn the_scoreboard_catches_a_duplicating_merge() {
    let cfg = config();
    let design = MergeDesign(cfg.clone());
    let mut model = Duplicating {
        inner: AerMergeModel::new(&cfg),
        hold: 0,
    };
    let mut traffic = MergeTraffic::new(&cfg, &blocks::layout(&design), 3).unwrap();
    let cov = traffic.coverage();
    let mut v = vec![0u64; model.layout().total_words()];
    model.outputs(&mut v);
    for cycle in 0..20_000 {
        traffic.drive(cycle, &mut v);
        model.tick(&v);
        model.outputs(&mut v);
    }
    assert!(cov.borrow().scoreboard_errors > 0);
}

#[test]
fn bad_merge_configs_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    for (body, field) in [
        ("inputs = 1", "aer_merge.inputs"),
        ("inputs = 4\naddr_bits = 9", "aer_merge.addr_bits"),
        ("inputs = 4\nfifo_depth = 1", "aer_merge.fifo_depth"),
        ("inputs = 4\nwidth = 8", "aer_merge.width"),
    ] {
        let path = dir.path().join("m.toml");
        std::fs::write(
            &path,
            format!("[design]\nname = \"m\"\nblock = \"aer_merge\"\n[aer_merge]\n{body}\n"),
        )
        .unwrap();
        let err = blocks::load(&path, None).err().expect(body);
        assert!(format!("{err:#}").contains(field), "{body}: {err:#}");
        assert_eq!(memforge::outcome::exit_code(&err), 2, "{body}");
    }
}

#[test]
fn merge_synthesizes_to_sky130_and_meets_its_clock() {
    // Through the CLI, as a user runs it: generate, then synth (Yosys +
    // OpenSTA) on the design directory, whose manifest names the family.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("merge4");
    let out = out.to_str().unwrap();
    let gen = flows_support::memforge(
        &["generate", "examples/aer-merge-4.toml", "--out", out],
        &[],
    );
    assert_eq!(gen.code, 0, "{}", gen.stderr);
    let lib = flows_support::liberty();
    let synth = flows_support::memforge(
        &["--json", "synth", out, "--liberty", lib.to_str().unwrap()],
        &[],
    );
    assert_eq!(synth.code, 0, "{}", synth.stderr);
    let j = synth.json();
    println!("{j}");
    assert!(j["cell_count"].as_u64().unwrap() > 50);
    // 4 FIFOs of 2 x 8-bit entries + occupancy, the output register and the
    // rotation pointer: at least 4 * 2 * 8 + 8 flip-flops.
    assert!(j["flops"].as_u64().unwrap() >= 72);
    assert!(j["worst_slack_ns"].as_f64().unwrap() > 0.0, "{j}");
    // The area by module is a second synthesis, only with `--by-module`.
    assert!(j["area_by_module"].is_null(), "{j}");
}
