//! Co-simulation plumbing shared by `memforge cosim`, `memforge bench
//! cosim` and the integration tests, for every block family of the
//! registry (`crate::blocks`): designs emitted for the Verilator bridge,
//! the build cache location, the CLI session, the generic block run, and
//! rust-hdl's simulator as a device under test. The bridge and the
//! harness themselves live in `memforge-sim`.

pub mod cache;
pub mod design;
pub mod run;
pub mod rusthdl;
pub mod session;
