//! `memforge cosim CONFIG --cycles N [--seed S] [--vcd FILE]`: the design's
//! Verilated RTL against its golden model in lock step, random stimulus,
//! every output compared every cycle. Exit 1 on a mismatch, with the cycle,
//! signal, values and seed, and (with `--vcd`) a trace of the last cycles.
//! The full tile by default; `--block regbank` for the register bank alone.

use crate::cosim::session::{Block, Session};
use crate::cosim::{regbank, tile};
use crate::outcome::{CheckFailed, Report};
use anyhow::Result;
use memforge_sim::cosim::{
    self, CosimOptions, CosimReport, CoverageProbe, TileCoverage, VcdWindow,
};
use serde_json::json;
use std::path::PathBuf;

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
    /// What to co-simulate.
    #[arg(long, value_enum, default_value_t = Block::Tile)]
    pub block: Block,
}

pub fn run(args: &Args) -> Result<Report> {
    let session = Session::open(&args.config, args.block, args.vcd.is_some())?;
    let opts = CosimOptions {
        clock: args.block.clock().into(),
        cycles: args.cycles,
        seed: args.seed,
        vcd: args.vcd.clone().map(|path| VcdWindow {
            path,
            cycles: args.vcd_window.max(1),
        }),
    };
    let BlockRun { report, coverage } = run_block(&session, &opts)?;
    let json = json!({
        "ok": report.mismatch.is_none(),
        "design": session.design.top,
        "block": session.block.name(),
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
    if let Some(c) = &coverage {
        human.push_str(&coverage_line(c));
    }
    Ok(Report { human, json })
}

/// One line of what the tile traffic exercised.
pub fn coverage_line(c: &TileCoverage) -> String {
    format!(
        "  coverage: {} events in ({} out of range, {} backpressured cycles), {} spikes out ({} backpressured cycles), reads/sets/resets {}/{}/{}, {} bus writes, {} reads, {} programming requests, {} resets\n",
        c.events_in,
        c.events_out_of_range,
        c.input_backpressure_cycles,
        c.spikes_out,
        c.output_backpressure_cycles,
        c.xbar_reads,
        c.xbar_sets,
        c.xbar_resets,
        c.wb_writes,
        c.wb_reads,
        c.prog_requests,
        c.resets
    )
}

/// A lock-step run and, for the tile, what its traffic exercised.
pub struct BlockRun {
    pub report: CosimReport,
    pub coverage: Option<TileCoverage>,
}

/// The lock-step run of `session`'s block with its model and traffic.
pub fn run_block(session: &Session, opts: &CosimOptions) -> Result<BlockRun> {
    let cfg = &session.cfg;
    Ok(match session.block {
        Block::Tile => {
            // The traffic is checked once here so the factory cannot fail.
            tile::traffic(cfg, &tile::model(cfg), opts.seed)?;
            // The first traffic's counters: the main run's (a VCD replay
            // builds a second one).
            let mut probe: Option<CoverageProbe> = None;
            let report = cosim::run(
                &session.lib,
                |seed| {
                    let model = tile::model(cfg);
                    let traffic = tile::traffic(cfg, &model, seed).expect("checked above");
                    probe.get_or_insert_with(|| traffic.coverage());
                    (model, traffic)
                },
                opts,
            )?;
            BlockRun {
                report,
                coverage: probe.map(|p| p.snapshot()),
            }
        }
        Block::Regbank => {
            // The traffic is checked once here so the factory cannot fail.
            regbank::traffic(cfg, &regbank::model(cfg), opts.seed)?;
            let report = cosim::run(
                &session.lib,
                |seed| {
                    let model = regbank::model(cfg);
                    let traffic = regbank::traffic(cfg, &model, seed);
                    (model, traffic.expect("checked above"))
                },
                opts,
            )?;
            BlockRun {
                report,
                coverage: None,
            }
        }
    })
}
