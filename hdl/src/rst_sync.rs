//! Reset synchronizer: turns Caravel's active-high `wb_rst_i` into the
//! design's active-low `rst_n`. In the async style reset is asserted at once
//! and released two clock edges after `wb_rst_i` falls, so that no flip-flop
//! sees reset release near a clock edge (the textbook ASIC scheme).

use crate::reg::{Reg, RegStyle};
use rust_hdl::prelude::*;

/// Clock edges between `arst` falling and `rst_n` rising.
pub const RELEASE_CYCLES: usize = 2;

#[derive(Clone, Debug, LogicBlock)]
pub struct RstSync {
    pub clock: Signal<In, Clock>,
    /// Active-high reset request (Caravel `wb_rst_i`).
    pub arst: Signal<In, Bit>,
    /// Synchronized active-low reset for the whole design.
    pub rst_n: Signal<Out, Bit>,
    s1: Reg<Bit>,
    s2: Reg<Bit>,
}

impl RstSync {
    pub fn new(style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            arst: Default::default(),
            rst_n: Default::default(),
            s1: Reg::new(false, style),
            s2: Reg::new(false, style),
        }
    }
}

impl Logic for RstSync {
    #[hdl_gen]
    fn update(&mut self) {
        self.s1.clock.next = self.clock.val();
        self.s2.clock.next = self.clock.val();
        self.s1.rst_n.next = !self.arst.val();
        self.s2.rst_n.next = !self.arst.val();
        self.s1.d.next = true;
        self.s2.d.next = self.s1.q.val();
        self.rst_n.next = self.s2.q.val();
    }
}
