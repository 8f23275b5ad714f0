//! Lock-step co-simulation: a device under test (the Verilated RTL, or
//! rust-hdl's simulator) against a golden [`CycleModel`] with identical
//! inputs from a [`Stimulus`], every output compared every cycle.
//!
//! - [`binding`]: model ports matched to RTL ports by name (errors if they
//!   differ);
//! - [`dut`]: the device-under-test trait and the Verilated one;
//! - [`harness`]: the loop, the mismatch report and the VCD window replay;
//! - [`mismatch`]: what a mismatch report holds;
//! - [`record`]: a stimulus recorded for replay outside Rust, and
//!   [`cpp_bench`], the pure C++ Verilator replay it is measured against;
//! - [`icarus`]: the event-driven leg, a recorded stimulus and the model's
//!   outputs replayed into the RTL under Icarus Verilog;
//! - [`session`]: a scripted tile session (software's view of a tile) run
//!   in lock step.
//!
//! The stimuli themselves live in [`crate::stimulus`]; this room depends on
//! them, on the models and on the Verilator bridge, and nothing depends on
//! it but the CLI.
//!
//! [`CycleModel`]: crate::cycle::CycleModel
//! [`Stimulus`]: crate::stimulus::Stimulus

pub mod binding;
pub mod cpp_bench;
pub mod dut;
pub mod harness;
pub mod icarus;
pub mod mismatch;
pub mod record;
pub mod session;

pub use binding::{bind, BindError, Binding};
pub use dut::{Dut, DutError, VerilatedDut};
pub use harness::{run, run_dut, CosimError, CosimOptions, CosimReport, VcdWindow};
pub use mismatch::{Mismatch, SignalDiff};
