//! `memforge seed <circuit> CONFIG`: the seed papers' neuron circuits
//! (issue 14) modelled in Rust and compared with ngspice on decks written
//! from the same config. `pnn`: Sakemi et al.'s charge-domain column, the
//! bottom-up model (synaptic current depends on the membrane voltage)
//! against the top-down linear one; `mif`: the memristive integrate-and-fire
//! layer after MEMprop, spike times and membranes.

pub mod mif;
mod plot;
pub mod pnn;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub circuit: Circuit,
}

#[derive(Debug, clap::Subcommand)]
pub enum Circuit {
    /// Sakemi et al.'s charge-domain IMC column: bottom-up and top-down
    /// models against ngspice (membrane error, spike times).
    Pnn(pnn::Args),
    /// A memristive integrate-and-fire layer (RRAM synapses, volatile
    /// threshold-switching neurons, after MEMprop) against ngspice: spike
    /// times and membranes.
    Mif(mif::Args),
}

pub fn run(args: &Args) -> anyhow::Result<crate::outcome::Report> {
    match &args.circuit {
        Circuit::Pnn(a) => pnn::run(a),
        Circuit::Mif(a) => mif::run(a),
    }
}
