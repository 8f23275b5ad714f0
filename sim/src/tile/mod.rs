//! Cycle-accurate golden model of a generated neuron tile, one file per
//! block, composed in [`top`]; and the crossbar macro models in [`xbar`].

pub mod aer_in;
pub mod fifo;
pub mod neuron;
pub mod program;
pub mod sequencer;
pub mod top;
pub mod xbar;

pub use top::{tile_ports, TileModel};
pub use xbar::{IdealXbar, XbarMacro};
