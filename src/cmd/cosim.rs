//! `memforge cosim CONFIG --cycles N [--seed S] [--vcd FILE]`: the design's
//! Verilated RTL against its golden model in lock step, random stimulus,
//! every output compared every cycle. Exit 1 on a mismatch, with the cycle,
//! signal, values and seed, and (with `--vcd`) a trace of the last cycles.
//! The block is the config's (`[design] block`, the tile by default) or
//! `--block NAME`, any family of the registry (`crate::blocks`).

use crate::blocks::coverage_line;
use crate::cosim::run::{run_block_counted, BlockRun};
use crate::cosim::session::Session;
use crate::outcome::{CheckFailed, Report};
use anyhow::Result;
use clap::builder::{PossibleValue, PossibleValuesParser};
use memforge_sim::cosim::{CosimOptions, VcdWindow};
use serde_json::json;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// `--block`'s values: the registry's families.
pub fn block_parser() -> PossibleValuesParser {
    PossibleValuesParser::new(
        crate::blocks::REGISTRY
            .iter()
            .map(|f| PossibleValue::new(f.name()).help(f.summary())),
    )
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design config (TOML), e.g. examples/tile-8x8.toml.
    pub config: PathBuf,
    /// Clock cycles to simulate.
    #[arg(long, default_value_t = 100_000)]
    pub cycles: u64,
    /// Stimulus seed (a mismatch report names it; rerun with it to reproduce).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// On a mismatch, write a VCD of the last `--vcd-window` cycles here.
    #[arg(long)]
    pub vcd: Option<PathBuf>,
    /// Cycles in the mismatch VCD, ending with the mismatching one.
    #[arg(long, default_value_t = 64)]
    pub vcd_window: u64,
    /// The block family to co-simulate (default: the config's
    /// `[design] block`, else `tile`).
    #[arg(long, value_parser = block_parser())]
    pub block: Option<String>,
}

pub fn run(args: &Args, json: bool) -> Result<Report> {
    let session = crate::progress::busy("verilating", json, || {
        Session::open(&args.config, args.block.as_deref(), args.vcd.is_some())
    })?;
    let opts = CosimOptions {
        clock: session.clock.clone(),
        cycles: args.cycles,
        seed: args.seed,
        vcd: args.vcd.clone().map(|path| VcdWindow {
            path,
            cycles: args.vcd_window.max(1),
        }),
    };
    let bar = crate::progress::bar(args.cycles, "cosim", json);
    let cycle = Arc::new(AtomicU64::new(0));
    let BlockRun { report, coverage } = crate::progress::following(&bar, &cycle, || {
        run_block_counted(session.block.as_ref(), &session.lib, &opts, &cycle)
    })?;
    let json = json!({
        "ok": report.mismatch.is_none(),
        "design": session.design.top,
        "block": session.block.family(),
        "cycles": report.cycles,
        "mismatches": usize::from(report.mismatch.is_some()),
        "cycles_per_second": report.cycles_per_second().round(),
        "seed": report.seed,
        "build_cached": session.lib.was_cached(),
        "build_seconds": session.build_seconds,
        "coverage": coverage,
        "mismatch": report.mismatch,
    });
    if let Some(m) = &report.mismatch {
        return Err(CheckFailed {
            summary: format!("{}: {m}", session.design.top),
            details: json,
        }
        .into());
    }
    let mut human = format!(
        "cosim `{}`: {} cycles, 0 mismatches, {:.0} cycles/s (seed {}, build {})\n",
        session.design.top,
        report.cycles,
        report.cycles_per_second(),
        report.seed,
        if session.lib.was_cached() {
            "cached".to_string()
        } else {
            format!("{:.1} s", session.build_seconds)
        }
    );
    if !coverage.is_empty() {
        human.push_str(&coverage_line(&coverage));
    }
    Ok(Report { human, json })
}
