//! Model of one digital LIF neuron (see `docs/tile.md`, "Neurons"). The
//! sequencer applies at most one operation per cycle.

use memforge_spec::NeuronReset;

/// What the sequencer does to a neuron in one cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeuronOp {
    None,
    /// Add an input contribution (ignored while refractory).
    Add(u16),
    /// Subtract the leak, floored at 0.
    Leak,
    /// End of an input event: fire if at or above threshold.
    Commit,
    /// The pending spike has been queued.
    Clear,
}

/// Register-file parameters of all neurons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeuronParams {
    pub threshold: u16,
    pub leak: u16,
    pub refractory: u8,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LifModel {
    pub v: u16,
    pub refr: u8,
    pub pending: bool,
}

impl LifModel {
    pub fn clock(&mut self, op: NeuronOp, p: &NeuronParams, reset: NeuronReset) {
        let refractory = self.refr != 0;
        self.refr = self.refr.saturating_sub(1);
        match op {
            NeuronOp::None => {}
            NeuronOp::Add(x) if !refractory => self.v = self.v.saturating_add(x),
            NeuronOp::Add(_) => {}
            NeuronOp::Leak => self.v = self.v.saturating_sub(p.leak),
            NeuronOp::Commit if self.v >= p.threshold => {
                self.pending = true;
                self.refr = p.refractory;
                self.v = match reset {
                    NeuronReset::Zero => 0,
                    NeuronReset::Subtract => self.v - p.threshold,
                };
            }
            NeuronOp::Commit => {}
            NeuronOp::Clear => self.pending = false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: NeuronParams = NeuronParams {
        threshold: 10,
        leak: 3,
        refractory: 2,
    };

    #[test]
    fn integrates_saturates_leaks_fires() {
        let mut n = LifModel::default();
        n.clock(NeuronOp::Add(60000), &P, NeuronReset::Zero);
        n.clock(NeuronOp::Add(60000), &P, NeuronReset::Zero);
        assert_eq!(n.v, u16::MAX);
        n.clock(NeuronOp::Commit, &P, NeuronReset::Subtract);
        assert!(n.pending);
        assert_eq!(n.v, u16::MAX - 10);
        assert_eq!(n.refr, 2);
        // Refractory: input ignored for two cycles.
        n.clock(NeuronOp::Add(1), &P, NeuronReset::Zero);
        n.clock(NeuronOp::Add(1), &P, NeuronReset::Zero);
        assert_eq!(n.v, u16::MAX - 10);
        n.clock(NeuronOp::Add(1), &P, NeuronReset::Zero);
        assert_eq!(n.v, u16::MAX - 9);
        let mut m = LifModel {
            v: 2,
            ..Default::default()
        };
        m.clock(NeuronOp::Leak, &P, NeuronReset::Zero);
        assert_eq!(m.v, 0);
    }
}
