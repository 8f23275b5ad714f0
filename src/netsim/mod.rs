//! A fast network-level simulator of a mapped array (issue #15, part 3):
//! tiles as the tile golden model computes them per input event
//! ([`sim`]), spikes delivered through the mapped routing ([`deliver`]),
//! cells ideal, float or played by the `sim/src/analog` devices
//! ([`cells`]); [`task`] runs a mapped classification task on it. Spec
//! and figures: `docs/network_sim.md`.

pub mod cells;
pub mod deliver;
pub mod parallel;
pub mod sim;
pub mod task;

pub use cells::CellModel;
pub use sim::{tile_spikes, NetSim, Outcome, TileParams};
