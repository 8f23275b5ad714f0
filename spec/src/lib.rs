//! The memforge design description.
//!
//! Every fact about a design (geometry, encodings, neuron and programming
//! parameters, the register map) lives here once, in plain structs that the
//! RTL generator (`memforge-hdl`), the behavioral models (`memforge-sim`), the
//! constraint templates and the docs generator all read. Keeping it in its own
//! small crate (rather than inside the CLI) is what lets the models and the RTL
//! share it without the models depending on rust-hdl.

pub mod analog;
pub mod blocks;
pub mod caravel;
pub mod config;
pub mod derived;
pub mod error;
pub mod learning;
pub mod learning_eprop;
pub mod learning_pcm_trace;
pub mod learning_sdsp;
pub mod load;
pub mod ports;
pub mod regmap;
pub mod reserved;
pub mod seed;
pub mod validate;

pub use config::*;
pub use derived::Derived;
pub use error::{ConfigError, Problem};
pub use load::{load_file, parse_str};
pub use ports::{ContractError, Dir, PortContract, PortDecl, Role};
pub use regmap::{Access, Register, RegisterMap, UnknownRegister};
