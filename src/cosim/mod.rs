//! Co-simulation plumbing shared by `memforge cosim`, `memforge bench
//! cosim` and the integration tests: designs emitted for the Verilator
//! bridge, the build cache location, and the designs' models and traffic.
//! The bridge and harness themselves live in `memforge-sim`.

pub mod design;
pub mod regbank;
