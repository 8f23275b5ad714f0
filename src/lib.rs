//! memforge: generates the digital periphery of memristive crossbar tiles,
//! checks it with open tools and verifies it against behavioral and analog
//! models. The binary (`src/main.rs`) is a thin shell over this library so
//! that integration tests drive exactly what users run.

pub mod blocks;
pub mod cli;
pub mod cmd;
pub mod cosim;
pub mod flows;
pub mod lint;
pub mod map;
pub mod netsim;
pub mod outcome;
pub mod progress;
pub mod spice;
pub mod tools;
