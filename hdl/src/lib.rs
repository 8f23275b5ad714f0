//! rust-hdl blocks of the memforge tile periphery and the Verilog emitter.
//!
//! Conventions for blocks (they keep the emitted Verilog `-Wall` clean):
//! - every flip-flop is a [`reg::Reg`] (real reset, inlined by the emitter);
//! - literals are sized: `bits::<N>(v)`, never `0.into()` on narrow signals;
//! - `bit_cast` only of a signal or a literal (the emitter makes it exact);
//! - fields holding many identical blocks are named in the singular
//!   (`neuron: Vec<Lif>` gives the module `<design>_neuron`).

pub mod design;
pub mod emit;
pub mod param;
pub mod reg;
pub mod regfile;
pub mod rst_sync;
pub mod tile;

pub use design::{build, generate, GenerateError};
