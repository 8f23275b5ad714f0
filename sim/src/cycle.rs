//! The contract between a cycle-accurate golden model and the RTL it
//! mirrors, at the top module's ports. The Verilator bridge and the
//! lock-step co-simulation harness work against this trait only.
//!
//! Timing convention: all top-level outputs of a memforge design are
//! registered (no combinational path from an input to an output), so a
//! model only needs to say what its outputs are after each rising clock
//! edge. The clock port is not part of the values.

use memforge_spec::{Dir, PortContract, Role};
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

    /// The typed pin of port `name`: where its (low) word is and its width
    /// mask. Resolve pins once, outside the per-cycle loop. A name the
    /// layout lacks is the one error every caller reports.
    pub fn pin(&self, name: &str) -> Result<Pin, MissingPort> {
        let i = self.index_of(name).ok_or_else(|| MissingPort {
            port: name.to_string(),
            known: self.ports.iter().map(|p| p.name.clone()).collect(),
        })?;
        Ok(Pin::new(self.offsets[i], self.ports[i].width))
    }

    /// The layout of a block's contract: every port but the clock.
    pub fn from_contract(contract: &PortContract) -> Self {
        Self::new(
            contract
                .ports
                .iter()
                .filter(|p| p.role != Role::Clock)
                .map(|p| PortSpec {
                    name: p.name.clone(),
                    input: p.dir == Dir::In,
                    width: p.width,
                })
                .collect(),
        )
    }
}

/// A port name that the layout does not have (a misspelled pin in a
/// stimulus, a model and RTL that disagree, ...).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no port `{port}` (the ports are: {})", known.join(", "))]
pub struct MissingPort {
    pub port: String,
    pub known: Vec<String>,
}

/// One port of a packed value vector: its low word and its width mask.
/// Ports up to 64 bits wide are read and written through pins; wider ones
/// through [`PortLayout::range`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pin {
    word: usize,
    mask: u64,
}

impl Pin {
    fn new(word: usize, width: u32) -> Self {
        Pin {
            word,
            mask: if width >= 64 {
                u64::MAX
            } else {
                (1 << width) - 1
            },
        }
    }

    /// The port's value (its low 64 bits).
    #[inline]
    pub fn get(self, values: &[u64]) -> u64 {
        values[self.word]
    }

    /// Whether the port's value is non-zero.
    #[inline]
    pub fn is_high(self, values: &[u64]) -> bool {
        values[self.word] != 0
    }

    /// Sets the port, masked to its width.
    #[inline]
    pub fn set(self, values: &mut [u64], value: u64) {
        values[self.word] = value & self.mask;
    }

    /// The word the port starts at.
    pub fn word(self) -> usize {
        self.word
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

impl<M: CycleModel + ?Sized> CycleModel for Box<M> {
    fn layout(&self) -> &PortLayout {
        (**self).layout()
    }

    #[inline]
    fn tick(&mut self, values: &[u64]) {
        (**self).tick(values)
    }

    #[inline]
    fn outputs(&self, values: &mut [u64]) {
        (**self).outputs(values)
    }
}
