//! Issue 14's tile variants (`[neuron] kind = "mif" | "pnn"`,
//! docs/seed_circuits.md, "Tile variants"): the Verilated RTL in lock step
//! with the golden model while the harness plays the analog macro with the
//! seed circuits' Rust models (MIF layer transient, PNN columns), the
//! rust-hdl simulator in lock step too, the documented pulse and detector
//! timing checked on the model with hand-computed expectations, and bad
//! configs refused with exit 2. Lint and the Icarus replay of both
//! examples run in `lint_gates.rs` and `icarus_cosim.rs`
//! (`icarus_every_example_design`). The 1e6-cycle runs are `memforge
//! cosim ... --cycles 1000000` (docs). Fails (never skips) without
//! Verilator.

use crate::common;

use memforge::blocks::{self, BlockDesign, Testbench};
use memforge::cosim::design::write_rtl;
use memforge_sim::cosim::{run_dut, CosimOptions};
use memforge_sim::cycle::CycleModel;
use memforge_sim::seed_tile::SeedTileModel;
use memforge_spec::seed::tile::{pulse_port, spike_port};
use std::path::Path;
use std::process::Command;

const CYCLES: u64 = 200_000;

fn design(example: &str) -> Box<dyn BlockDesign> {
    blocks::load(&common::root().join(example), None).unwrap()
}

/// Lock step on Verilator; returns the coverage counters.
fn cosim(example: &str) -> serde_json::Map<String, serde_json::Value> {
    let d = design(example);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("seed_tile")
        .join(d.top());
    let lib = common::verilate(&write_rtl(d.as_ref(), &dir).unwrap());
    let opts = CosimOptions {
        clock: blocks::clock(d.as_ref()).unwrap(),
        cycles: CYCLES,
        seed: 3,
        vcd: None,
    };
    let run = memforge::cosim::run::run_block(d.as_ref(), &lib, &opts).unwrap();
    assert!(
        run.report.mismatch.is_none(),
        "{example}: {}",
        run.report.mismatch.unwrap()
    );
    assert_eq!(run.report.cycles, CYCLES);
    let c = run.coverage;
    println!("{example}: {c:?}");
    // The analog macro fired every column and every column's spikes came
    // out; the traffic reset the tile and used the bus.
    let per_col = c["spikes_per_column"].as_array().unwrap();
    assert!(per_col.iter().all(|n| n.as_u64().unwrap() > 50), "{c:?}");
    assert!(c["comparator_rises"].as_u64().unwrap() > 200, "{c:?}");
    assert!(c["resets"].as_u64().unwrap() >= 1, "{c:?}");
    assert!(c["bus_ops"].as_u64().unwrap() > 50, "{c:?}");
    c
}

#[test]
fn mif_tile_runs_in_lock_step_with_the_layer_transient() {
    let c = cosim("examples/tile-mif-16x4.toml");
    assert_eq!(
        c["reset_cycles"].as_u64(),
        Some(0),
        "MIF has no reset switch"
    );
}

#[test]
fn pnn_tile_runs_in_lock_step_with_the_columns() {
    let c = cosim("examples/tile-pnn-16x4.toml");
    assert!(c["reset_cycles"].as_u64().unwrap() > 100, "{c:?}");
}

#[test]
fn both_variants_run_in_lock_step_on_rust_hdl() {
    for example in ["examples/tile-mif-16x4.toml", "examples/tile-pnn-16x4.toml"] {
        let d = design(example);
        let mut dut = d.rust_hdl().unwrap().unwrap();
        let Testbench {
            mut model,
            mut stimulus,
            ..
        } = d.testbench(5).unwrap();
        let report = run_dut(&mut dut, &mut model, &mut stimulus, 1_500, 5).unwrap();
        assert!(
            report.mismatch.is_none(),
            "{example}: {:?}",
            report.mismatch
        );
    }
}

/// Drives the model by port name: a tiny scripted bench for the timing the
/// docs state, with expectations computed by hand from them.
struct Bench {
    m: SeedTileModel,
    v: Vec<u64>,
}

impl Bench {
    fn new(example: &str) -> Self {
        let cfg = memforge_spec::load_file(&common::root().join(example)).unwrap();
        let m = SeedTileModel::new(&cfg);
        let v = vec![0; m.layout().total_words()];
        let mut b = Bench { m, v };
        b.set("wb_rst_i", 1);
        b.tick();
        b.set("wb_rst_i", 0);
        b.set("aer_out_ready", 1);
        b.tick();
        b.tick(); // out of reset after 2 edges
        b
    }
    fn set(&mut self, port: &str, value: u64) {
        self.m.layout().pin(port).unwrap().set(&mut self.v, value);
    }
    fn get(&mut self, port: &str) -> u64 {
        self.m.outputs(&mut self.v);
        self.m.layout().pin(port).unwrap().get(&self.v)
    }
    fn tick(&mut self) {
        self.m.tick(&self.v);
        self.m.outputs(&mut self.v);
    }
    /// A one-cycle Wishbone write (the bank acknowledges the next cycle).
    fn write(&mut self, offset: u32, data: u32) {
        for (p, v) in [
            ("wbs_stb_i", 1),
            ("wbs_cyc_i", 1),
            ("wbs_we_i", 1),
            ("wbs_sel_i", 0xf),
        ] {
            self.set(p, v);
        }
        self.set("wbs_adr_i", u64::from(0x3000_0000 + offset));
        self.set("wbs_dat_i", u64::from(data));
        self.tick();
        for p in ["wbs_stb_i", "wbs_cyc_i", "wbs_we_i"] {
            self.set(p, 0);
        }
        self.tick();
    }
}

#[test]
fn an_event_pulses_its_row_in_the_next_step_and_one_analog_spike_is_one_event() {
    // PNN example: step 5 cycles (step_period 4), pulse 2 cycles, hold 2.
    let mut b = Bench::new("examples/tile-pnn-16x4.toml");
    b.write(0x08, 1); // ctrl: run (seen from the edge after the write's)
                      // Phase now counts; an event for row 3 goes pending, then pulses for
                      // exactly pulse_len = 2 cycles at the start of the next step, every
                      // other row idle.
    b.set("aer_in_addr", 3);
    b.set("aer_in_valid", 1);
    b.tick();
    b.set("aer_in_valid", 0);
    let pulses: Vec<u64> = (0..12)
        .map(|_| {
            let p = b.get(&pulse_port(3));
            let others: u64 = (0..16)
                .filter(|&i| i != 3)
                .map(|i| b.get(&pulse_port(i)))
                .sum();
            assert_eq!(others, 0);
            b.tick();
            p
        })
        .collect();
    assert_eq!(pulses.iter().sum::<u64>(), 2, "{pulses:?}");
    let first = pulses.iter().position(|&p| p == 1).unwrap();
    assert_eq!(pulses[first + 1], 1, "two consecutive cycles: {pulses:?}");
    // A comparator held high for 10 cycles is one output event, its
    // column's reset switch closes for hold = 2 cycles.
    b.set(&spike_port(2), 1);
    let mut resets = 0;
    let mut events = Vec::new();
    for k in 0..16 {
        if k == 10 {
            b.set(&spike_port(2), 0);
        }
        resets += b.get("xbar_reset__2");
        if b.get("aer_out_valid") == 1 {
            events.push(b.get("aer_out_addr"));
        }
        b.tick();
    }
    assert_eq!(events, vec![2], "one event, column 2");
    assert_eq!(resets, 2, "reset switch closed for hold cycles");
}

fn memforge(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_memforge"))
        .args(args)
        .output()
        .expect("runs the memforge binary")
}

/// `kind = "mif"` with settings that mean nothing for it (ADC lanes, the
/// other circuit, a mismatched geometry): one clear line, exit 2, nothing
/// written.
#[test]
fn settings_that_make_no_sense_for_a_variant_are_refused() {
    let mif = std::fs::read_to_string(common::root().join("examples/tile-mif-16x4.toml")).unwrap();
    let cases = [
        (
            mif.replace("cols = 4\n", "cols = 4\nadc_share = 2\n"),
            "tile.adc_share = 2: makes no sense with neuron.kind = \"mif\"",
        ),
        (format!("{mif}\n[neuron.pnn]\ninputs = 16\n"), "neuron.pnn"),
        (
            mif.replace("neurons = 4\n", "neurons = 5\n"),
            "neuron.mif.neurons = 5: must equal tile.cols = 4",
        ),
        (
            mif.replace("step_ns = 1000.0", "step_ns = 1005.0"),
            "neuron.mif.step_ns = 1005: must be a whole number",
        ),
        (
            "[design]\nname = \"x\"\n[neuron]\nkind = \"pnn\"\n".to_string(),
            "neuron.kind = pnn: needs its circuit in [neuron.pnn]",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (text, want) in cases {
        let cfg = tmp.path().join("bad.toml");
        std::fs::write(&cfg, &text).unwrap();
        let out_dir = tmp.path().join("out");
        let out = memforge(&[
            "generate",
            cfg.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{want}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(want), "{stderr} should say {want}");
        assert!(!out_dir.exists(), "nothing may be written");
    }
}
