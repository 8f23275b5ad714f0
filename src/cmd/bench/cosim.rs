//! `memforge bench cosim CONFIG`: how fast the Rust-driven lock-step
//! co-simulation runs compared with a pure C++ Verilator testbench on the
//! same RTL (same Verilator flags) and the same stimulus.
//!
//! 1. The stimulus is recorded by running the seeded traffic against the
//!    golden model alone (where RTL and model agree, these are exactly the
//!    inputs the lock-step run applies), with a checksum of the outputs.
//! 2. (a) The lock-step co-simulation runs with the same seed (timed loop).
//! 3. (b) memforge generates and builds a C++ testbench that replays the
//!    recorded inputs (two evals per cycle, as the Rust side does); its
//!    output checksum must equal the model's.
//!
//! `ratio` = (a) / (b); the target is >= 0.5.

use crate::cmd::cosim::run_block;
use crate::cosim::regbank;
use crate::cosim::session::{Block, Session};
use crate::outcome::{CheckFailed, Report};
use anyhow::{Context, Result};
use memforge_sim::cosim::record::{record, Recording};
use memforge_sim::cosim::{bind, CosimOptions};
use memforge_sim::cycle::CycleModel;
use memforge_sim::verilator::cpp_bench::{build_bench, run_bench};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design config (TOML), e.g. examples/tile-32x32.toml.
    pub config: PathBuf,
    /// Cycles per measurement.
    #[arg(long, default_value_t = 1_000_000)]
    pub cycles: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// What to co-simulate.
    #[arg(long, value_enum, default_value_t = Block::Regbank)]
    pub block: Block,
}

pub fn run(args: &Args) -> Result<Report> {
    let session = Session::open(&args.config, args.block, false)?;
    let clock = args.block.clock();
    let started = std::time::Instant::now();
    let recording = record_stimulus(&session, args.cycles, args.seed)?;
    let model_seconds = started.elapsed().as_secs_f64();
    let stim_path = session.workdir.path().join("stimulus.bin");
    recording
        .write(&stim_path)
        .with_context(|| format!("writing {}", stim_path.display()))?;

    let opts = CosimOptions {
        clock: clock.into(),
        cycles: args.cycles,
        seed: args.seed,
        vcd: None,
    };
    let rust = run_block(&session, &opts)?;
    let exe = build_bench(&session.design, clock, &session.opts)?;
    let cpp = run_bench(&exe, &stim_path)?;

    let cosim_cps = rust.cycles_per_second();
    let cpp_cps = cpp.cycles_per_second();
    let ratio = if cpp_cps > 0.0 {
        cosim_cps / cpp_cps
    } else {
        0.0
    };
    let checksum_ok = cpp.checksum == recording.checksum && cpp.cycles == args.cycles;
    let json = json!({
        "ok": rust.mismatch.is_none() && checksum_ok,
        "design": session.design.top,
        "block": args.block.name(),
        "cycles": args.cycles,
        "seed": args.seed,
        "mismatches": usize::from(rust.mismatch.is_some()),
        "cosim_cycles_per_second": cosim_cps.round(),
        "cpp_cycles_per_second": cpp_cps.round(),
        "ratio": (ratio * 1000.0).round() / 1000.0,
        "cpp_checksum_matches_model": checksum_ok,
        // Golden model + stimulus alone (while recording): the share of the
        // co-simulation's time that is not the RTL.
        "model_cycles_per_second": (args.cycles as f64 / model_seconds.max(1e-9)).round(),
        "verilator_flags": "-O3, C++ OPT_FAST=-O3, no tracing",
        "mismatch": rust.mismatch,
    });
    if let Some(m) = &rust.mismatch {
        return Err(CheckFailed {
            summary: format!("{}: {m}", session.design.top),
            details: json,
        }
        .into());
    }
    if !checksum_ok {
        return Err(CheckFailed {
            summary: format!(
                "the C++ replay of `{}` did not reproduce the model's outputs (checksum {:016x} vs {:016x}, {} cycles)",
                session.design.top, cpp.checksum, recording.checksum, cpp.cycles
            ),
            details: json,
        }
        .into());
    }
    let human = format!(
        "bench cosim `{}` ({} cycles, seed {}):\n  Rust lock-step co-simulation  {:>12.0} cycles/s\n  pure C++ Verilator testbench  {:>12.0} cycles/s\n  ratio                         {:>12.3}\n",
        session.design.top, args.cycles, args.seed, cosim_cps, cpp_cps, ratio
    );
    Ok(Report { human, json })
}

/// The block's seeded traffic run against its model alone, recorded.
fn record_stimulus(session: &Session, cycles: u64, seed: u64) -> Result<Recording> {
    let cfg = &session.cfg;
    let clock = session.block.clock();
    Ok(match session.block {
        Block::Regbank => {
            let mut model = regbank::model(cfg);
            let mut traffic = regbank::traffic(cfg, &model, seed)?;
            let binding = bind(model.layout(), session.lib.ports(), clock)?;
            record(&mut model, &mut traffic, &binding, cycles)
        }
    })
}
