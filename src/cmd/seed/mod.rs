//! `memforge seed <circuit> CONFIG`: the seed papers' neuron circuits
//! (issue 14) modelled in Rust and compared with ngspice on decks written
//! from the same config. `pnn`: Sakemi et al.'s charge-domain column, the
//! bottom-up model (synaptic current depends on the membrane voltage)
//! against the top-down linear one.

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
}

pub fn run(args: &Args) -> anyhow::Result<crate::outcome::Report> {
    match &args.circuit {
        Circuit::Pnn(a) => pnn::run(a),
    }
}
