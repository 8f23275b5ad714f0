//! Behavioral models for memforge: cycle-accurate golden models of the
//! generated blocks (written from the spec, not from the RTL), the
//! port-level contract they share with the RTL, and the analog models.

pub mod aer_merge;
pub mod aer_mesh;
pub mod aer_router;
pub mod analog;
pub mod cosim;
pub mod cycle;
pub mod learning;
pub mod mesh_perf;
pub mod pins;
pub mod process;
pub mod regbank_ports;
pub mod regfile;
pub mod routing_tile;
pub mod routing_xbar;
pub mod seed_tile;
pub mod spike_bridge;
pub mod stimulus;
pub mod tile;
pub mod verilator;
pub mod weights;
