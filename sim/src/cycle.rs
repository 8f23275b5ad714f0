//! The contract between a cycle-accurate golden model and the RTL it
//! mirrors, at the top module's ports. The Verilator bridge and the
//! lock-step co-simulation harness work against this trait only.
//!
//! Timing convention: all top-level outputs of a memforge design are
//! registered (no combinational path from an input to an output), so a
//! model only needs to say what its outputs are after each rising clock
//! edge. The clock port is not part of the values.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortSpec {
    pub name: String,
    pub input: bool,
    pub width: u32,
}

impl PortSpec {
    /// 64-bit words this port occupies in a packed value vector.
    pub fn words(&self) -> usize {
        (self.width as usize).div_ceil(64).max(1)
    }
}

/// Where each port's words live in a packed `[u64]` value vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortLayout {
    pub ports: Vec<PortSpec>,
    offsets: Vec<usize>,
    total: usize,
}

impl PortLayout {
    pub fn new(ports: Vec<PortSpec>) -> Self {
        let mut offsets = Vec::with_capacity(ports.len());
        let mut total = 0;
        for p in &ports {
            offsets.push(total);
            total += p.words();
        }
        Self {
            ports,
            offsets,
            total,
        }
    }

    /// Length of a packed value vector.
    pub fn total_words(&self) -> usize {
        self.total
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.ports.iter().position(|p| p.name == name)
    }

    /// The words of port `index`.
    pub fn range(&self, index: usize) -> std::ops::Range<usize> {
        let start = self.offsets[index];
        start..start + self.ports[index].words()
    }

    /// The low 64 bits of port `name` in `values` (0 for an unknown name).
    pub fn get(&self, values: &[u64], name: &str) -> u64 {
        self.index_of(name)
            .map(|i| values[self.offsets[i]])
            .unwrap_or(0)
    }

    /// Sets port `name` (up to 64 bits) in `values`, masked to its width.
    pub fn set(&self, values: &mut [u64], name: &str, value: u64) {
        if let Some(i) = self.index_of(name) {
            let w = self.ports[i].width;
            let mask = if w >= 64 { u64::MAX } else { (1u64 << w) - 1 };
            values[self.offsets[i]] = value & mask;
        }
    }
}

/// A cycle-accurate model of a design's top module.
pub trait CycleModel {
    /// The ports, without the clock, in the order the RTL declares them.
    fn layout(&self) -> &PortLayout;
    /// One rising clock edge with the input ports of `values` applied.
    fn tick(&mut self, values: &[u64]);
    /// Writes the output ports' current values into `values`.
    fn outputs(&self, values: &mut [u64]);
}
