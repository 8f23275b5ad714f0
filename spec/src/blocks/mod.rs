//! The parameters and port contracts of memforge's block families, one file
//! per family. The RTL builder (`memforge-hdl`), the golden model
//! (`memforge-sim`), the co-simulation and the doc pages all take a family's
//! ports from here, so a port is declared once.

pub mod aer_merge;
pub mod aer_mesh;
pub mod aer_router;
pub mod array;
pub mod regbank;
pub mod routing_tile;
pub mod spike_bridge;
pub mod tile;
