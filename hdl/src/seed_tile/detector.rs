//! One column's spike detector of the seed tile variants: the analog
//! neuron's comparator bit becomes one pending output spike per rising
//! edge, then the column is blanked for `hold` cycles (the PNN tile closes
//! the column's reset switch for them).
//!
//! Per edge: `cmp_q` samples the comparator, `prev` keeps the sample
//! before; a *fire* is `cmp_q & !prev & blank == 0`. A fire loads `blank`
//! with `hold` and sets the pending spike; otherwise `blank` counts down
//! to 0. `take` (the top queues this column's spike at this edge) clears
//! the pending spike, a fire in the same cycle sets it again; a fire that
//! finds the spike pending and not taken is an *overrun* (the two merge).

use crate::reg::{Reg, RegStyle};
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct SpikeDetector {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    /// The macro's comparator bit for this column.
    pub cmp: Signal<In, Bit>,
    /// Blanking cycles after a fire (the `hold` register).
    pub hold: Signal<In, Bits<8>>,
    /// The pending spike is queued at this edge.
    pub take: Signal<In, Bit>,
    pub pending: Signal<Out, Bit>,
    /// `blank != 0`: the column is blanked (PNN: reset switch closed).
    pub blanking: Signal<Out, Bit>,
    /// A fire merges into a pending spike at this edge.
    pub overrun: Signal<Out, Bit>,
    cmp_q: Reg<Bit>,
    prev: Reg<Bit>,
    blank: Reg<Bits<8>>,
    spk: Reg<Bit>,
    fire: Signal<Local, Bit>,
}

impl SpikeDetector {
    pub fn new(style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            cmp: Default::default(),
            hold: Default::default(),
            take: Default::default(),
            pending: Default::default(),
            blanking: Default::default(),
            overrun: Default::default(),
            cmp_q: Reg::new(false, style),
            prev: Reg::new(false, style),
            blank: Reg::new(0u64.to_bits(), style),
            spk: Reg::new(false, style),
            fire: Default::default(),
        }
    }
}

impl Logic for SpikeDetector {
    #[hdl_gen]
    fn update(&mut self) {
        self.cmp_q.clock.next = self.clock.val();
        self.cmp_q.rst_n.next = self.rst_n.val();
        self.prev.clock.next = self.clock.val();
        self.prev.rst_n.next = self.rst_n.val();
        self.blank.clock.next = self.clock.val();
        self.blank.rst_n.next = self.rst_n.val();
        self.spk.clock.next = self.clock.val();
        self.spk.rst_n.next = self.rst_n.val();
        self.fire.next =
            self.cmp_q.q.val() & !self.prev.q.val() & (self.blank.q.val() == bits::<8>(0));
        self.cmp_q.d.next = self.cmp.val();
        self.prev.d.next = self.cmp_q.q.val();
        if self.fire.val() {
            self.blank.d.next = self.hold.val();
        } else if self.blank.q.val() != bits::<8>(0) {
            self.blank.d.next = self.blank.q.val() - bits::<8>(1);
        } else {
            self.blank.d.next = self.blank.q.val();
        }
        self.spk.d.next = (self.spk.q.val() & !self.take.val()) | self.fire.val();
        self.overrun.next = self.fire.val() & self.spk.q.val() & !self.take.val();
        self.pending.next = self.spk.q.val();
        self.blanking.next = self.blank.q.val() != bits::<8>(0);
    }
}
