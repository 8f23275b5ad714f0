//! The spike bridge's own checks beyond the per-block sweep: coverage of
//! both directions (mapped and unmapped spikes, pulses, backpressure,
//! resets), a bridge with non-zero bases, and that the lock step can fail:
//! an overrun that is not counted, and idle junk on the address counted
//! as a misrouted spike, are caught. Fails (never skips) without Verilator.

use crate::common;

use memforge::blocks::spike_bridge::BridgeDesign;
use memforge::cosim::design::write_rtl_edited;
use memforge::cosim::run::run_block;
use memforge_sim::cosim::CosimOptions;
use memforge_sim::verilator::VerilatedLibrary;
use memforge_spec::blocks::spike_bridge::{self, SpikeBridgeConfig};
use std::path::Path;

fn config() -> SpikeBridgeConfig {
    memforge_spec::load::load_with(
        &common::root().join("examples/spike-bridge-8.toml"),
        spike_bridge::validate,
    )
    .unwrap()
}

fn verilate(
    cfg: &SpikeBridgeConfig,
    name: &str,
    edit: impl Fn(&str, String) -> String,
) -> VerilatedLibrary {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("spike_bridge")
        .join(name);
    common::verilate(&write_rtl_edited(&BridgeDesign(cfg.clone()), &dir, edit).unwrap())
}

fn options(cycles: u64) -> CosimOptions {
    CosimOptions {
        clock: spike_bridge::CLOCK.into(),
        cycles,
        seed: 0x5eed_0013,
        vcd: None,
    }
}

#[test]
fn bridge_runs_in_lock_step_both_ways() {
    let mut shifted = config();
    shifted.design.name = "bridge8s".into();
    shifted.spike_bridge.neuron_base = 8;
    shifted.spike_bridge.row_base = 16;
    for cfg in [config(), shifted] {
        let lib = verilate(&cfg, &cfg.design.name.clone(), |_, t| t);
        let run = run_block(&BridgeDesign(cfg), &lib, &options(200_000)).unwrap();
        assert!(
            run.report.mismatch.is_none(),
            "{}",
            run.report.mismatch.unwrap()
        );
        let c = &run.coverage;
        let n = |k: &str| c[k].as_u64().unwrap();
        for k in [
            "spikes_unmapped",
            "pulse_cycles_out",
            "events_out",
            "output_backpressure_cycles",
            "resets",
        ] {
            assert!(
                n(k) > 100.min(n("cycles")) || (k == "resets" && n(k) > 0),
                "{k}: {c:?}"
            );
        }
        assert!(n("spikes_in") > n("spikes_unmapped") * 5, "{c:?}");
    }
}

fn mutated(name: &str, from: &'static str, to: &'static str) {
    let lib = verilate(&config(), name, move |path, text| {
        if path == "rtl/bridge8.v" {
            let m = text.replacen(from, to, 1);
            assert_ne!(m, text, "the mutation site `{from}` moved");
            m
        } else {
            text
        }
    });
    let run = run_block(&BridgeDesign(config()), &lib, &options(50_000)).unwrap();
    let m = run.report.mismatch.expect("the mutated RTL must mismatch");
    println!("{name}: caught at cycle {}: {m}", m.cycle);
}

#[test]
fn an_overrun_not_counted_is_caught() {
    mutated(
        "overrun",
        "lost = |(lines_in & pending__q & ~taken);",
        "lost = |(lines_in & pending__q);",
    );
}

#[test]
fn counting_junk_addresses_as_misrouted_is_caught() {
    // Counting an unmapped address while no spike is offered.
    mutated(
        "junk",
        "if (take_in & ~in_range) begin",
        "if (~in_range) begin",
    );
}
