//! The seed papers' neuron circuits (issue 14), modelled in Rust and written
//! as ngspice decks from the same config: the charge-domain IMC column of
//! Sakemi et al. ([`pnn`], [`pnn_deck`]) and the memristive integrate-and-fire
//! layer after MEMprop ([`mif`], [`mif_deck`]). [`trace`] compares membrane
//! waveforms and spike times between a model and ngspice.

pub mod mif;
pub mod mif_deck;
pub mod pnn;
pub mod pnn_deck;
pub mod trace;

pub use pnn::{simulate, Model, PnnColumn};
pub use trace::{
    compare_traces, match_spikes, peak_between, reset_times, upward_crossings, SpikeMatch, Trace,
    TraceAgreement,
};
