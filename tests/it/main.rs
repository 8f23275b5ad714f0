//! The integration tests, one binary: the workspace is linked once instead
//! of once per file, and cargo's test threads keep both cores busy across
//! files. Each module is one subject; `cargo test --release --test it NAME::`
//! runs one of them.

mod common;
mod flows_support;

mod aer_merge;
mod aer_mesh;
mod aer_router;
mod analog_read;
mod analog_spice;
mod array_gen;
mod blocks;
mod caravel_wrapper;
mod clock_gating;
mod config_errors;
mod demo_runs;
mod eprop_cosim;
mod eprop_learning;
mod flows_constraints;
mod flows_fpga;
mod flows_synth;
mod fuzz_inputs;
mod generate_outputs;
mod icarus_cosim;
mod learn_devices;
mod learning_reference;
mod lint_gates;
mod map_network;
mod netsim;
mod netsim_order;
mod netsim_rtl;
mod pcm_trace_cosim;
mod pcm_trace_learning;
mod ppa;
mod regfile_cosim;
mod reliability;
mod routing_analog;
mod routing_tile;
mod sdsp_cosim;
mod sdsp_learning;
mod seed_mif;
mod seed_pnn;
mod seed_tile;
mod spike_bridge;
mod stdp_cosim;
mod stdp_learning;
mod sweep;
mod tile_corners;
mod tile_cosim;
mod tile_rusthdl;
mod verilator_cache;
mod write_verify;
