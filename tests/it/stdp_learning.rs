//! Issue #13, STDP demo: a repeated input pattern hidden in Poisson noise
//! (`memforge_sim::learning::pattern`). On the STDP tile
//! (`examples/stdp-8x8.toml`) the pattern rows' conductances must end
//! above the noise rows' and the neuron must answer the pattern more
//! selectively than before training; and the learning curve of the
//! Verilated RTL, driven by the same task with its own macro model, must
//! equal the golden model's bit for bit. Fails (never skips) without
//! Verilator.

use crate::common;
use crate::common::learning::{example, model_curve, print_curve};

use memforge::blocks::tile::TileDesign;
use memforge::cosim::design::write_rtl;
use memforge_sim::cosim::binding::bind;
use memforge_sim::cosim::dut::{Dut, VerilatedDut};
use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::{run_pattern_task, PatternTask};
use memforge_sim::tile::TileModel;
use memforge_spec::DesignConfig;
use std::path::Path;

fn config() -> DesignConfig {
    example("stdp-8x8.toml")
}

#[test]
fn stdp_learns_the_hidden_pattern() {
    let cfg = config();
    let task = PatternTask::default_for(cfg.tile.rows);
    let curve = model_curve(&cfg, &task);
    print_curve(&curve);
    let first = curve.points[0];
    let last = *curve.points.last().unwrap();
    // Conductance: the pattern rows gain on the noise rows.
    let gap0 = first.pattern_mean() - first.noise_mean();
    let gap1 = last.pattern_mean() - last.noise_mean();
    assert!(gap1 > gap0 + 4.0, "gap {gap0:.2} -> {gap1:.2} codes");
    // Response: selectivity (hit rate - false-alarm rate) of the first
    // training epoch vs the last.
    let sel = |p: &memforge_sim::learning::PatternPoint| p.hit_rate() - p.false_alarm_rate();
    let (s0, s1) = (sel(&curve.points[1]), sel(&last));
    assert!(s1 > s0 + 0.2, "selectivity {s0:.2} -> {s1:.2}");
}

#[test]
fn rtl_learning_curve_equals_the_golden_models_bit_for_bit() {
    let cfg = config();
    let task = PatternTask {
        windows: 200,
        ..PatternTask::default_for(cfg.tile.rows)
    };
    let golden = model_curve(&cfg, &task);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stdp_learning");
    let design = write_rtl(&TileDesign(cfg.clone()), &dir).unwrap_or_else(|e| panic!("{e:#}"));
    let lib = common::verilate(&design);
    let layout = TileModel::new(&cfg).layout().clone();
    let binding = bind(&layout, lib.ports(), memforge_spec::blocks::tile::CLOCK).unwrap();
    let mut dut = VerilatedDut {
        rtl: lib.instantiate(false).unwrap(),
        binding,
    };
    let rtl = run_pattern_task(&cfg, &layout, &task, |v, out| {
        dut.cycle(v, out).unwrap();
    })
    .unwrap();
    assert!(golden.sets + golden.resets > 100, "learning was active");
    assert_eq!(rtl, golden);
}
