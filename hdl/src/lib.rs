//! rust-hdl blocks of the memforge tile periphery and the Verilog emitter.
//!
//! Conventions for blocks (they keep the emitted Verilog `-Wall` clean):
//! - every flip-flop is a [`reg::Reg`] (real reset, inlined by the emitter);
//! - literals are sized: `bits::<N>(v)`, never `0.into()` on narrow signals;
//! - `bit_cast` only of a signal or a literal (the emitter makes it exact);
//! - fields holding many identical blocks are named in the singular
//!   (`neuron: Vec<Lif>` gives the module `<design>_neuron`);
//! - a flip-flop that needs no reset (storage always written before it is
//!   read) is a [`reg::Reg::new_data`], saving area on ASICs;
//! - state that keeps its value most cycles can be a
//!   [`gated_reg::GatedReg`] (behind a clock gate with `[flow]
//!   clock_gating`), with no hold path in `d`;
//! - build a value from terms held in separate locals and combine them once,
//!   rather than accumulating into a signal through its own `.val()`: the
//!   Verilog is the same, but rust-hdl's settle loop can then see stale
//!   terms (the register bank's byte-lane mask once did).

pub mod aer_merge;
pub mod aer_mesh;
pub mod aer_router;
pub mod array;
pub mod contract;
pub mod design;
pub mod emit;
pub mod gated_reg;
pub mod param;
pub mod reg;
pub mod regfile;
pub mod routing_tile;
pub mod rst_sync;
pub mod seed_tile;
pub mod sim_ports;
pub mod spike_bridge;
pub mod tile;

pub use contract::check_contract;
pub use design::{build, generate, GenerateError};
pub use sim_ports::HdlPorts;
