//! The demo's last step: the same write-verify requests against realistic
//! device models (PCM with programming noise, `[analog] macro_model =
//! "device"`), still in lock-step co-simulation. Pulse counts now differ
//! from cell to cell and from one fabricated array (seed) to the next,
//! while ideal devices need the same count everywhere.

use super::Steps;
use crate::outcome::CheckFailed;
use anyhow::{Context, Result};
use memforge_sim::analog::macro_from_config;
use memforge_sim::cosim::session::{run_session, Script};
use memforge_sim::cosim::CosimOptions;
use memforge_sim::verilator::VerilatedLibrary;
use memforge_spec::analog::{DeviceKind, MacroModel};
use memforge_spec::{Derived, DesignConfig};
use serde_json::json;

/// Cells programmed per array: the first column.
const CELLS: u8 = 8;
/// Read latency of the macro, in cycles.
const LATENCY: usize = 1;

/// Pulse counts of one array (`None`: ideal devices).
fn program_array(
    lib: &VerilatedLibrary,
    base: &DesignConfig,
    seed: Option<u64>,
) -> Result<Vec<u32>> {
    let mut cfg = base.clone();
    cfg.analog.macro_model = MacroModel::Device;
    cfg.analog.device = DeviceKind::Pcm;
    cfg.analog.realistic = seed.is_some();
    cfg.analog.seed = seed.unwrap_or(1);
    // Checked here, so the factory in the run below cannot fail.
    macro_from_config(&cfg, LATENCY).context("building the PCM crossbar model")?;
    let target = (Derived::of(&cfg).adc_max / 3) as u16;
    let mut script = Script::new()
        .write("prog_tolerance", 2)
        .write("prog_max_pulses", 64);
    for row in 0..CELLS.min(cfg.tile.rows as u8) {
        script = script.program(row, 0, target);
    }
    let opts = CosimOptions {
        clock: "wb_clk_i".into(),
        cycles: 400_000,
        seed: 0,
        vcd: None,
    };
    let make = || macro_from_config(&cfg, LATENCY).expect("checked above");
    let run = run_session(lib, &cfg, &script, make, &opts)?;
    if let Some(problem) = run.problem() {
        return Err(CheckFailed {
            summary: format!("write-verify on PCM devices failed: {problem}"),
            details: json!(null),
        }
        .into());
    }
    Ok(run.log().programs.iter().map(|p| p.pulses()).collect())
}

pub fn run(s: &mut Steps, cfg: &DesignConfig, lib: &VerilatedLibrary) -> Result<()> {
    let ideal = program_array(lib, cfg, None)?;
    let seeded: Vec<(u64, Vec<u32>)> = [1u64, 2]
        .into_iter()
        .map(|seed| Ok((seed, program_array(lib, cfg, Some(seed))?)))
        .collect::<Result<_>>()?;
    let mut detail =
        format!("PCM devices, write-verify of {CELLS} cells to one target (tolerance 2):\n");
    detail.push_str(&format!("  no variability : pulses {ideal:?}\n"));
    for (seed, pulses) in &seeded {
        detail.push_str(&format!("  array seed {seed}   : pulses {pulses:?}\n"));
    }
    let varies =
        seeded.iter().all(|(_, p)| p.iter().any(|&n| n != p[0])) && seeded[0].1 != seeded[1].1;
    let uniform = ideal.iter().all(|&n| n == ideal[0]);
    detail.push_str(if varies && uniform {
        "pulse counts follow device variability; RTL = model on every cycle"
    } else {
        "pulse counts did NOT behave as expected"
    });
    s.step(
        "Write-verify on realistic devices (PCM, programming noise)",
        detail,
        json!({"ideal": ideal, "seeded": seeded}),
    );
    if !(varies && uniform) {
        return Err(CheckFailed {
            summary: "pulse counts do not reflect device variability".into(),
            details: json!({"ideal": ideal, "seeded": seeded}),
        }
        .into());
    }
    Ok(())
}
