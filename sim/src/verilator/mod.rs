//! The Verilator bridge: a generated design directory in, a Verilated model
//! driven from Rust out.
//!
//! 1. [`design`]: the top module, RTL files (from the filelist) and ports.
//! 2. [`shim`]: a generated C++ file giving the model a C ABI (create,
//!    destroy, port storage addresses, eval, VCD tracing).
//! 3. [`compile`]: `verilator --cc --exe --build` of RTL + shim into a
//!    shared library, cached by content hash.
//! 4. [`library`]: `dlopen` with `libloading`, ABI and port widths checked.
//! 5. [`model`]: the safe [`VerilatedModel`]: width-masked port access by
//!    index (any width), eval, clock cycles, VCD.
//!
//! `crate::cosim::cpp_bench` builds the pure C++ replay testbench that the Rust-driven
//! co-simulation's speed is measured against.
//!
//! Verilator itself is found by the caller (the CLI's tool finder) and
//! passed in [`BuildOptions`], so this crate runs no tool discovery.

pub mod compile;
pub mod design;
pub mod error;
pub mod library;
pub mod model;
pub mod shim;
pub mod storage;

pub use compile::{verilator_version, Artifact, BuildOptions, OptLevel};
pub use design::RtlDesign;
pub use error::VerilatorError;
pub use library::VerilatedLibrary;
pub use model::VerilatedModel;
