//! The blocks of a neuron tile's digital periphery, one file each. The
//! analog crossbar is a hard macro outside them (see [`xbar`]).

pub mod aer_in;
pub mod fifo;
pub mod learn_eprop;
pub mod learn_pcm_trace;
pub mod learn_sdsp;
pub mod learn_stdp;
pub mod neuron;
pub mod neuron_gated;
pub mod program;
pub mod readout;
pub mod sequencer;
pub mod xbar;
