//! Recording a stimulus for replay outside Rust (the pure C++ benchmark
//! testbench), with a checksum of the outputs to prove the replay faithful.
//!
//! The stimulus is reactive (it sees last cycle's outputs), so it is
//! recorded by running it against the golden model alone: where RTL and
//! model agree, the inputs are exactly those the lock-step run applies.
//!
//! File format: little-endian `u64` words, per cycle, per RTL input port
//! except the clock in RTL declaration order, `ceil(width / 64)` words each.
//! Checksum: FNV-style over every output word (RTL order) after every edge
//! but the last, see [`mix`].

use super::binding::{Binding, Link};
use crate::cycle::CycleModel;
use crate::stimulus::Stimulus;
use std::path::Path;
use std::time::Duration;

/// One step of the output checksum (the C++ testbench uses the same).
#[inline]
pub fn mix(sum: u64, word: u64) -> u64 {
    (sum ^ word).wrapping_mul(0x0000_0100_0000_01b3)
}

/// Cycles per second of `cycles` run in `elapsed` (0 for no time).
pub fn cycles_per_second(cycles: u64, elapsed: Duration) -> f64 {
    let s = elapsed.as_secs_f64();
    if s > 0.0 {
        cycles as f64 / s
    } else {
        0.0
    }
}

/// What one replay of a recording measured (the C++ testbench's, or
/// rust-hdl's simulator's).
#[derive(Clone, Debug)]
pub struct ReplayRun {
    pub cycles: u64,
    /// The replay loop alone (no file reading, no model construction).
    pub elapsed: Duration,
    /// Checksum of the outputs, as [`Recording::checksum`].
    pub checksum: u64,
}

impl ReplayRun {
    pub fn cycles_per_second(&self) -> f64 {
        cycles_per_second(self.cycles, self.elapsed)
    }
}

/// Initial checksum value.
pub const CHECKSUM_SEED: u64 = 0xcbf2_9ce4_8422_2325;

#[derive(Clone, Debug)]
pub struct Recording {
    pub cycles: u64,
    pub words_per_cycle: usize,
    pub inputs: Vec<u64>,
    /// Checksum of the model's outputs after edges `0..cycles - 1`.
    pub checksum: u64,
}

fn in_rtl_order(links: &[Link]) -> Vec<Link> {
    let mut v = links.to_vec();
    v.sort_by_key(|l| l.rtl);
    v
}

/// Runs `stim` against `model` alone for `cycles` cycles and records the
/// inputs in RTL port order.
pub fn record<M: CycleModel, S: Stimulus>(
    model: &mut M,
    stim: &mut S,
    binding: &Binding,
    cycles: u64,
) -> Recording {
    let inputs = in_rtl_order(&binding.inputs);
    let outputs = in_rtl_order(&binding.outputs);
    let words_per_cycle: usize = inputs.iter().map(|l| l.words).sum();
    let mut values = vec![0u64; model.layout().total_words()];
    let mut rec = Vec::with_capacity(words_per_cycle * cycles as usize);
    let mut checksum = CHECKSUM_SEED;
    model.outputs(&mut values);
    for cycle in 0..cycles {
        stim.drive(cycle, &mut values);
        for l in &inputs {
            rec.extend_from_slice(&values[l.start..l.start + l.words]);
        }
        model.tick(&values);
        model.outputs(&mut values);
        if cycle + 1 < cycles {
            for l in &outputs {
                for w in &values[l.start..l.start + l.words] {
                    checksum = mix(checksum, *w);
                }
            }
        }
    }
    Recording {
        cycles,
        words_per_cycle,
        inputs: rec,
        checksum,
    }
}

impl Recording {
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let bytes: Vec<u8> = self.inputs.iter().flat_map(|w| w.to_le_bytes()).collect();
        std::fs::write(path, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_is_order_sensitive() {
        let a = mix(mix(CHECKSUM_SEED, 1), 2);
        let b = mix(mix(CHECKSUM_SEED, 2), 1);
        assert_ne!(a, b);
    }
}
