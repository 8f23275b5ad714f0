//! The parts every learning controller's golden model has in the same
//! shape as the RTL: the register window after the tile's (looked up by
//! name once) and the decay timer that paces traces, windows and leaks.
//! One copy here so that a change to how a window answers the bus or how
//! a tick is counted reaches every rule at once.

use crate::regfile::{RegFileModel, WbIn};
use memforge_spec::learning::{learning_map, LearningRule};
use memforge_spec::DesignConfig;

/// A learning controller's register window (`learning_map`): the model of
/// its registers and the indices of the `N` names the controller reads or
/// feeds, in the order given to [`LearnWindow::new`].
#[derive(Clone, Debug)]
pub struct LearnWindow<const N: usize> {
    pub regs: RegFileModel,
    ix: [Option<usize>; N],
}

impl<const N: usize> LearnWindow<N> {
    /// `Some` for a tile whose `[learning] rule` is `rule`.
    pub fn new(cfg: &DesignConfig, rule: LearningRule, names: [&str; N]) -> Option<Self> {
        if cfg.learning.rule != rule {
            return None;
        }
        let regs = RegFileModel::new(&learning_map(cfg)?);
        Some(Self {
            ix: names.map(|n| regs.index(n)),
            regs,
        })
    }

    /// The value of name `k` (0 for a name the window does not have).
    pub fn hw(&self, k: usize) -> u32 {
        self.ix[k].map_or(0, |i| self.regs.value(i))
    }

    /// One edge of the window; `read_only` gives the pre-edge values of
    /// the read-only names (by name position), every other read-only
    /// register reads 0.
    pub fn clock(&mut self, bus: &WbIn, read_only: &[(usize, u32)]) {
        let ix = self.ix;
        self.regs.clock_indexed(bus, |i| {
            read_only
                .iter()
                .find(|&&(k, _)| ix[k] == Some(i))
                .map_or(0, |&(_, v)| v)
        });
    }

    pub fn ack(&self) -> bool {
        self.regs.ack()
    }

    pub fn rdata(&self) -> u32 {
        self.regs.rdata()
    }
}

/// The decay timer of the RTL controllers: while enabled a tick every
/// `period + 1` edges, the count held at 0 while disabled (so enabling
/// starts a whole period).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecayTimer {
    count: u16,
}

impl DecayTimer {
    /// One edge; whether it is a tick.
    pub fn clock(&mut self, enable: bool, period: u16) -> bool {
        if !enable {
            self.count = 0;
            return false;
        }
        if self.count == period {
            self.count = 0;
            true
        } else {
            self.count = self.count.wrapping_add(1);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_every_period_plus_one_edges_and_restarts_when_disabled() {
        let mut t = DecayTimer::default();
        let ticks: Vec<bool> = (0..8).map(|_| t.clock(true, 2)).collect();
        assert_eq!(
            ticks,
            [false, false, true, false, false, true, false, false]
        );
        assert!(!t.clock(false, 2));
        let again: Vec<bool> = (0..3).map(|_| t.clock(true, 2)).collect();
        assert_eq!(again, [false, false, true]);
        let mut every = DecayTimer::default();
        assert!((0..4).all(|_| every.clock(true, 0)));
    }
}
