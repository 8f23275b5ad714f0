//! `memforge bench mesh CONFIG`: network figures of an AER mesh from its
//! golden model (cycle-exact with the RTL, which `memforge cosim --block
//! aer_mesh` checks every cycle): zero-load latency over every
//! source-destination pair next to the analytic XY figure, and saturation
//! throughput under uniform random traffic next to the bisection bound.
//! The co-simulation speed against raw Verilator is `memforge bench cosim
//! --block aer_mesh CONFIG`.

use crate::outcome::{CheckFailed, Report};
use anyhow::Result;
use memforge_sim::mesh_perf::{saturation, zero_load};
use memforge_spec::blocks::aer_mesh;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Mesh config (TOML), e.g. examples/aer-mesh-4x4.toml.
    pub config: PathBuf,
    /// Cycles of saturated traffic measured (after as many of warm-up).
    #[arg(long, default_value_t = 20_000)]
    pub cycles: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(args: &Args) -> Result<Report> {
    let cfg = memforge_spec::load::load_with(&args.config, aer_mesh::validate)?;
    let z = zero_load(&cfg);
    let s = saturation(&cfg, args.cycles, args.cycles, args.seed);
    let json = json!({
        "design": cfg.design.name,
        "cols": cfg.mesh.cols,
        "rows": cfg.mesh.rows,
        "fifo_depth": cfg.mesh.fifo_depth,
        "zero_load": z,
        "saturation": s,
    });
    if z.pairs_off_analytic > 0 {
        return Err(CheckFailed {
            summary: format!(
                "{} of {} pairs have a zero-load latency other than 2 * hops + 2",
                z.pairs_off_analytic, z.pairs
            ),
            details: json,
        }
        .into());
    }
    let human = format!(
        "bench mesh `{}` ({} x {}, fifo_depth {}):\n  zero-load latency   mean {:.3} cycles (analytic XY 2*hops+2: {:.3}), max {}, {} pairs, all equal to the analytic figure\n  saturation          {:.3} packets/node/cycle accepted (uniform random, every port offering every cycle, {} cycles after {} of warm-up); XY bisection bound {:.3}\n",
        cfg.design.name,
        cfg.mesh.cols,
        cfg.mesh.rows,
        cfg.mesh.fifo_depth,
        z.mean_cycles,
        z.analytic_mean_cycles,
        z.max_cycles,
        z.pairs,
        s.accepted_per_node_per_cycle,
        args.cycles,
        args.cycles,
        s.bound_per_node_per_cycle
    );
    Ok(Report { human, json })
}
