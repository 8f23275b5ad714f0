//! `memforge bench ...`: measurements that regenerate the tables in `docs/`.

pub mod analog;
pub mod analog_scipy;
pub mod array;
pub mod cosim;
pub mod map;
pub mod memory;
pub mod mesh;
pub mod netsim;
pub mod qor;
pub mod seed_mif;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub bench: Bench,
}

#[derive(Debug, clap::Subcommand)]
pub enum Bench {
    /// Synthesis QoR of the tile at several sizes (sky130 tt, and iCE40 for
    /// the smallest); rewrites the table in docs/flows.md.
    Qor(qor::Args),
    /// memforge's crossbar solver vs ngspice on the same decks (speed, memory, accuracy).
    Analog(analog::Args),
    /// Rust lock-step co-simulation vs a pure C++ Verilator testbench on the
    /// same RTL and stimulus (cycles/s and their ratio).
    Cosim(cosim::Args),
    /// An AER mesh's zero-load latency (vs the analytic XY figure) and
    /// saturation throughput (vs the bisection bound), from its golden model.
    Mesh(mesh::Args),
    /// Time and peak memory of generating 2x2 .. 16x16 arrays of both
    /// interconnects (the 16x16 budget: 2 s, 1 GiB).
    Array(array::Args),
    /// Time and peak memory of `memforge map` on a random 2048-neuron
    /// network onto 8x8 Mosaic tiles of 32 neurons (budget: 1 s).
    Map(map::Args),
    /// The memristive integrate-and-fire layer's transient (64x16, 1,000
    /// input steps by default): memforge vs ngspice on the same deck, same spikes.
    SeedMif(seed_mif::Args),
    /// Synaptic events per second of the network simulator vs a vectorised
    /// numpy implementation of the same mapped network (digits task).
    Netsim(netsim::Args),
}

/// Runs the benchmark with a spinner (elapsed time) on a terminal.
pub fn run(args: &Args, json: bool) -> anyhow::Result<crate::outcome::Report> {
    crate::progress::busy("benchmarking", json, || match &args.bench {
        Bench::Qor(a) => qor::run(a),
        Bench::Analog(a) => analog::run(a),
        Bench::Cosim(a) => cosim::run(a),
        Bench::Mesh(a) => mesh::run(a),
        Bench::SeedMif(a) => seed_mif::run(a),
        Bench::Array(a) => array::run(a),
        Bench::Map(a) => map::run(a),
        Bench::Netsim(a) => netsim::run(a),
    })
}
