//! The reset synchronizer (`hdl/src/rst_sync.rs`) as a model: what the
//! design does at an edge, given `wb_rst_i` and the reset style. Shared by
//! the tile's models (LIF and the seed variants).

use memforge_spec::ResetStyle;

/// What the design behind the synchronizer does at an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// Held in (or put into) reset: the design's state is its reset state.
    Reset,
    /// Out of reset: the design takes the edge.
    Run,
    /// Async style, reset request gone but not yet released: nothing moves.
    Hold,
}

#[derive(Clone, Copy, Debug)]
pub struct RstSyncModel {
    style: ResetStyle,
    s1: bool,
    s2: bool,
}

impl RstSyncModel {
    /// In reset (power-up).
    pub fn new(style: ResetStyle) -> Self {
        Self {
            style,
            s1: false,
            s2: false,
        }
    }

    /// One edge with the reset request `rst` (active high).
    pub fn edge(&mut self, rst: bool) -> Edge {
        match self.style {
            ResetStyle::Async => {
                if rst {
                    self.s1 = false;
                    self.s2 = false;
                    return Edge::Reset;
                }
                let run = self.s2;
                self.s2 = self.s1;
                self.s1 = true;
                if run {
                    Edge::Run
                } else {
                    Edge::Hold
                }
            }
            ResetStyle::Sync => {
                let run = self.s2;
                self.s2 = !rst && self.s1;
                self.s1 = !rst;
                if run {
                    Edge::Run
                } else {
                    Edge::Reset
                }
            }
        }
    }
}
