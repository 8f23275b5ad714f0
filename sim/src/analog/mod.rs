//! The analog reference of a tile: device models, the crossbar circuit
//! solver, transient analysis, and the ngspice deck writer/reader used to
//! cross-check them. See `docs/analog.md` for models, sources, methods and
//! measured accuracy and speed.
//!
//! The co-simulation uses [`CrossbarArray`]:
//!
//! ```
//! use memforge_sim::analog::{CrossbarArray, Polarity};
//! use memforge_spec::analog::AnalogSection;
//!
//! let cfg = AnalogSection::default();
//! let mut xbar = CrossbarArray::new(&cfg, 8, 8).unwrap();
//! xbar.program_level(0, 3, 5).unwrap();
//! xbar.apply_pulse(0, 3, Polarity::Set, 8, 4).unwrap(); // 1 V, 100 ns
//! let amps = xbar.read_columns(&[true, false, true, false, false, false, false, false]).unwrap();
//! assert_eq!(amps.len(), 8);
//! ```

pub mod array;
pub mod cholesky;
pub mod device;
pub mod grid_pcg;
pub mod line_pcg;
pub mod netlist;
pub mod ordering;
pub mod pattern;
pub mod rng;
pub mod routing;
pub mod routing_macro;
pub mod seed;
pub mod solver;
pub mod spice;
pub mod transient;
pub mod xbar_macro;

pub use array::{ideal_product, AnalogError, CrossbarArray, Read};
pub use device::{Device, IvLaw, Polarity, Pulse};
pub use netlist::{Geometry, Netlist};
pub use solver::{Drive, LinearSettings, NewtonSettings, Solution, SolveError, SolvedBy, Solver};
pub use xbar_macro::{macro_from_config, AnalogXbar};
