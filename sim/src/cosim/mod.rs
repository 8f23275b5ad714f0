//! Lock-step co-simulation: Verilated RTL against a golden [`CycleModel`]
//! with identical inputs, every output compared every cycle.
//!
//! - [`binding`]: model ports matched to RTL ports by name (errors if they
//!   differ);
//! - [`stimulus`]: the caller-supplied, seeded input generator;
//! - [`harness`]: the loop, the mismatch report and the VCD window replay;
//! - [`mismatch`]: what a mismatch report holds;
//! - [`record`]: a stimulus recorded for the C++ replay benchmark;
//! - [`wishbone`]: random Wishbone traffic, reusable by any design with a
//!   `wbs_*` slave port;
//! - [`tile_traffic`]: random traffic for the full tile, playing the analog
//!   macro ([`tile_master`]: its Wishbone master; [`tile_coverage`]: what
//!   it exercised; [`bits`]: the cheap random bits it draws).
//!
//! [`CycleModel`]: crate::cycle::CycleModel

pub mod aer_link;
pub mod binding;
pub mod bits;
pub mod cpp_bench;
pub mod dut;
pub mod harness;
pub mod mismatch;
pub mod record;
pub mod stimulus;
pub mod tile_coverage;
pub mod tile_master;
pub mod tile_traffic;
pub mod wishbone;

pub use binding::{bind, BindError, Binding};
pub use dut::{Dut, DutError, VerilatedDut};
pub use harness::{run, run_dut, CosimError, CosimOptions, CosimReport, VcdWindow};
pub use mismatch::{Mismatch, SignalDiff};
pub use stimulus::Stimulus;
pub use tile_coverage::{CoverageProbe, TileCoverage};
pub use tile_traffic::TileTraffic;
pub use tile_traffic::TrafficError;
pub use wishbone::{ResetPort, WishboneTraffic};
