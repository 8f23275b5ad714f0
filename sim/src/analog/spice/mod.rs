//! The SPICE side of the analog cross-check: decks written from the same
//! netlist the Rust solver uses, the raw-file reader, and error metrics.
//! Running ngspice itself is the CLI's job (`src/spice.rs`), because every
//! external tool is found and run in one place.

pub mod compare;
pub mod deck;
pub mod raw;

pub use compare::{agreement, interpolate, Agreement};
pub use deck::{column_vector, op_deck, state_vector, tran_deck, DeckOptions};
pub use raw::{parse, Plot, RawError};
