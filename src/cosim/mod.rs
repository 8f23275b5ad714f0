//! Co-simulation plumbing shared by `memforge cosim`, `memforge bench
//! cosim` and the integration tests: designs emitted for the Verilator
//! bridge, the build cache location, and each design's model and traffic.
//! The bridge and the harness themselves live in `memforge-sim`.

pub mod cache;
pub mod design;
pub mod regbank;
pub mod rusthdl;
pub mod session;
pub mod tile;
