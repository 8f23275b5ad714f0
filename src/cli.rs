//! The command line (clap). Each subcommand's arguments and behaviour live in
//! `src/cmd/<name>.rs`; this file only lists them.

use clap::{Parser, Subcommand};

/// memforge: generate, lint and verify the digital periphery of memristive
/// (RRAM/PCM) neuromorphic crossbar tiles.
///
/// Start with `memforge demo`, then copy a design from examples/ and run
/// `memforge generate my.toml --out rtl/` and `memforge lint rtl/`.
#[derive(Debug, Parser)]
#[command(name = "memforge", version, propagate_version = true)]
pub struct Cli {
    /// Print machine-readable JSON on stdout instead of a human summary.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate Verilog for a design config into a directory.
    Generate(crate::cmd::generate::Args),
    /// Run Verilator -Wall, Icarus Verilog and Yosys checks on a generated design.
    Lint(crate::cmd::lint::Args),
    /// Run the main job on a built-in example and say what happens at each step.
    Demo(crate::cmd::demo::Args),
    /// Print the register map of a design (Markdown, or JSON with --json).
    Regmap(crate::cmd::regmap::Args),
    /// Check that the external tools are installed and print their versions.
    Doctor(crate::cmd::doctor::Args),
    /// Synthesize a generated design to sky130 cells (Yosys) and time it (OpenSTA).
    Synth(crate::cmd::synth::Args),
    /// Place and route a generated design on an iCE40-HX8K (Yosys, nextpnr, icepack).
    Fpga(crate::cmd::fpga::Args),
    /// Hand a generated design to an open ASIC flow (OpenLane 2 / LibreLane 3).
    Flow(crate::cmd::flow::Args),
    /// Measurements that regenerate the benchmark tables in docs/.
    Bench(crate::cmd::bench::Args),
    /// Run the Verilated RTL against its golden model in lock step on random stimulus.
    Cosim(crate::cmd::cosim::Args),
    /// Render every block family's port table into its doc page (or check them).
    Docs(crate::cmd::docs::Args),
    /// Read the design's analog crossbar with the circuit solver; compare with ngspice.
    Analog(crate::cmd::analog::Args),
    /// Check a Mosaic routing tile's crossbar: comparator margins, ngspice, Chen et al.'s formula, Monte Carlo error rate.
    Routing(crate::cmd::routing::Args),
    /// On-chip learning demo: STDP learns a pattern hidden in noise; learning curve and conductance histogram as SVG.
    Learn(crate::cmd::learn::Args),
    /// The seed papers' neuron circuits (PNN charge-domain column, MIF layer) in Rust vs ngspice.
    Seed(crate::cmd::seed::Args),
    /// Design-space sweep: vary config parameters, run generate/lint/synth/cosim per point in parallel (shardable, resumable); CSV, JSON and a Pareto plot.
    Sweep(crate::cmd::sweep::Args),
    /// Power, performance, area and energy per synaptic operation of a tile on its co-simulated workload (OpenSTA power with measured activity, crossbar and ADC energy).
    Ppa(crate::cmd::ppa::Args),
    /// Map a trained network (.npy / .safetensors) onto an array: cell targets, routes, a Wishbone programming sequence and a C header.
    Map(crate::cmd::map::Args),
    /// Score a mapped task on the network simulator: float reference, ideal and realistic devices (variability sweep, PCM drift), routing usage; raster, routing heat map and accuracy plots as SVG.
    Task(crate::cmd::task::Args),
}
