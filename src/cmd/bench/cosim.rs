//! `memforge bench cosim CONFIG`: how fast the Rust-driven lock-step
//! co-simulation runs compared with a pure C++ Verilator testbench on the
//! same RTL (same Verilator flags) and the same stimulus, and with
//! rust-hdl's own simulator, for any block of the registry.
//!
//! 1. The stimulus is recorded by running the seeded traffic against the
//!    golden model alone (where RTL and model agree, these are exactly the
//!    inputs the lock-step run applies), with a checksum of the outputs.
//! 2. (a) The lock-step co-simulation runs with the same seed (timed loop).
//! 3. (b) memforge generates and builds a C++ testbench that replays the
//!    recorded inputs (two evals per cycle, as the Rust side does); its
//!    output checksum must equal the model's.
//! 4. (c) rust-hdl's simulator replays the first `--rusthdl-cycles` cycles
//!    of the same recording; its checksum must equal the model's on them.
//!
//! (a) and (b) run `--runs` times, interleaved, and the best of each is
//! reported. `ratio` = (a) / (b); the target is >= 0.5.

use crate::blocks::{coverage_line, Testbench};
use crate::cmd::cosim::block_parser;
use crate::cosim::run::{run_block, BlockRun};
use crate::cosim::rusthdl;
use crate::cosim::session::Session;
use crate::outcome::{CheckFailed, Report};
use anyhow::{Context, Result};
use memforge_sim::cosim::cpp_bench::{build_bench, run_bench};
use memforge_sim::cosim::record::{record, Recording};
use memforge_sim::cosim::{bind, CosimOptions};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design config (TOML), e.g. examples/tile-32x32.toml.
    pub config: PathBuf,
    /// Cycles per measurement.
    #[arg(long, default_value_t = 1_000_000)]
    pub cycles: u64,
    /// Cycles for rust-hdl's simulator (much slower; 0 skips).
    #[arg(long, default_value_t = 20_000)]
    pub rusthdl_cycles: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Runs of (a) and (b), interleaved; the best of each is reported (the
    /// machine is shared, so a single run mostly measures the neighbours).
    #[arg(long, default_value_t = 3)]
    pub runs: u32,
    /// The block family to measure (default: the config's `[design]
    /// block`, else `tile`).
    #[arg(long, value_parser = block_parser())]
    pub block: Option<String>,
}

/// Measurement (c) and whether it reproduced the model's outputs.
struct RustHdlColumn {
    cycles: u64,
    cycles_per_second: f64,
    checksum_ok: bool,
}

pub fn run(args: &Args) -> Result<Report> {
    let session = Session::open(&args.config, args.block.as_deref(), false)?;
    let clock = session.clock.as_str();
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
    let exe = build_bench(&session.design, clock, &session.opts)?;
    let (mut cosim_runs, mut cpp_runs) = (Vec::new(), Vec::new());
    let BlockRun {
        report: rust,
        coverage,
    } = run_block(session.block.as_ref(), &session.lib, &opts)?;
    cosim_runs.push(rust.cycles_per_second());
    let cpp = run_bench(&exe, &stim_path)?;
    cpp_runs.push(cpp.cycles_per_second());
    for _ in 1..args.runs.max(1) {
        if rust.mismatch.is_some() {
            break;
        }
        cosim_runs.push(
            run_block(session.block.as_ref(), &session.lib, &opts)?
                .report
                .cycles_per_second(),
        );
        cpp_runs.push(run_bench(&exe, &stim_path)?.cycles_per_second());
    }
    let hdl = rusthdl_column(&session, args)?;

    let best = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let cosim_cps = best(&cosim_runs);
    let cpp_cps = best(&cpp_runs);
    let ratio = if cpp_cps > 0.0 {
        cosim_cps / cpp_cps
    } else {
        0.0
    };
    let checksum_ok = cpp.checksum == recording.checksum && cpp.cycles == args.cycles;
    let hdl_ok = hdl.as_ref().is_none_or(|h| h.checksum_ok);
    let json = json!({
        "ok": rust.mismatch.is_none() && checksum_ok && hdl_ok,
        "design": session.design.top,
        "block": session.block.family(),
        "cycles": args.cycles,
        "seed": args.seed,
        "mismatches": usize::from(rust.mismatch.is_some()),
        "cosim_cycles_per_second": cosim_cps.round(),
        "cpp_cycles_per_second": cpp_cps.round(),
        "ratio": (ratio * 1000.0).round() / 1000.0,
        "cpp_checksum_matches_model": checksum_ok,
        "runs": cosim_runs.len(),
        "cosim_cycles_per_second_runs": cosim_runs.iter().map(|x| x.round()).collect::<Vec<_>>(),
        "cpp_cycles_per_second_runs": cpp_runs.iter().map(|x| x.round()).collect::<Vec<_>>(),
        "rusthdl_cycles": hdl.as_ref().map(|h| h.cycles),
        "rusthdl_cycles_per_second": hdl.as_ref().map(|h| h.cycles_per_second.round()),
        "rusthdl_checksum_matches_model": hdl.as_ref().map(|h| h.checksum_ok),
        // Golden model + stimulus alone (while recording): the share of the
        // co-simulation's time that is not the RTL.
        "model_cycles_per_second": (args.cycles as f64 / model_seconds.max(1e-9)).round(),
        "verilator_flags": "-O3, C++ OPT_FAST=-O3, no tracing",
        "coverage": coverage,
        "mismatch": rust.mismatch,
    });
    if let Some(m) = &rust.mismatch {
        return Err(CheckFailed {
            summary: format!("{}: {m}", session.design.top),
            details: json,
        }
        .into());
    }
    if !checksum_ok || !hdl_ok {
        return Err(CheckFailed {
            summary: format!(
                "a replay of `{}` did not reproduce the model's outputs (C++ checksum {:016x} vs model {:016x}, {} cycles; rust-hdl {})",
                session.design.top,
                cpp.checksum,
                recording.checksum,
                cpp.cycles,
                if hdl_ok { "ok" } else { "differs" }
            ),
            details: json,
        }
        .into());
    }
    let mut human = format!(
        "bench cosim `{}` ({} cycles, seed {}, best of {}):\n  Rust lock-step co-simulation  {:>12.0} cycles/s\n  pure C++ Verilator testbench  {:>12.0} cycles/s\n  ratio                         {:>12.3}\n",
        session.design.top, args.cycles, args.seed, cosim_runs.len(), cosim_cps, cpp_cps, ratio
    );
    if let Some(h) = &hdl {
        human.push_str(&format!(
            "  rust-hdl simulator            {:>12.0} cycles/s ({} cycles)\n",
            h.cycles_per_second, h.cycles
        ));
    }
    if !coverage.is_empty() {
        human.push_str(&coverage_line(&coverage));
    }
    Ok(Report { human, json })
}

/// The block's seeded stimulus run against its model alone, recorded.
fn record_stimulus(session: &Session, cycles: u64, seed: u64) -> Result<Recording> {
    let Testbench {
        mut model,
        mut stimulus,
        ..
    } = session.block.testbench(seed)?;
    let binding = bind(model.layout(), session.lib.ports(), &session.clock)?;
    Ok(record(&mut model, &mut stimulus, &binding, cycles))
}

/// (c): rust-hdl's simulator on the first cycles of the same stimulus (a
/// fresh recording of that prefix, for its own checksum).
fn rusthdl_column(session: &Session, args: &Args) -> Result<Option<RustHdlColumn>> {
    if args.rusthdl_cycles == 0 {
        return Ok(None);
    }
    let Some(mut dut) = session.block.rust_hdl()? else {
        return Ok(None);
    };
    let cycles = args.rusthdl_cycles.min(args.cycles);
    let Testbench {
        mut model,
        mut stimulus,
        ..
    } = session.block.testbench(args.seed)?;
    let binding = bind(model.layout(), session.lib.ports(), &session.clock)?;
    let rec = record(&mut model, &mut stimulus, &binding, cycles);
    let run = rusthdl::replay(dut.as_mut(), model.layout(), &binding, &rec)?;
    Ok(Some(RustHdlColumn {
        cycles,
        cycles_per_second: run.cycles_per_second(),
        checksum_ok: run.checksum == rec.checksum && run.cycles == cycles,
    }))
}
