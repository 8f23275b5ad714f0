//! Cycle-accurate golden model of a generated neuron tile, one file per
//! block, composed in [`top`]; the crossbar macro models in [`xbar`] (and a
//! faulty one in [`fault`]). A scripted session driving a tile like
//! software would is `crate::cosim::session`.

pub mod aer_in;
pub mod fault;
pub mod fifo;
pub mod learn_common;
pub mod learn_eprop;
pub mod learn_pcm_trace;
pub mod learn_sdsp;
pub mod learn_stdp;
pub mod learning;
pub mod neuron;
pub mod pins;
pub mod program;
pub mod rst_sync;
pub mod sequencer;
pub mod top;
pub mod trace_macro;
pub mod xbar;

pub use fault::StuckCells;
pub use pins::TilePins;
pub use top::TileModel;
pub use xbar::{IdealXbar, XbarMacro};
