//! Golden model of the seed tile variants' digital periphery (`[neuron]
//! kind = "mif" | "pnn"`), written from `docs/seed_circuits.md` ("Tile
//! variants"), and the analog macro the co-simulation plays with the
//! transient models of `crate::analog::seed` ([`analog`]).

pub mod analog;
pub mod model;

pub use analog::SeedMacro;
pub use model::{SeedPins, SeedTileModel};
