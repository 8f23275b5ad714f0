//! The neuron of [`super::neuron::Lif`] with clock-gated state
//! (`[flow] clock_gating`): same ports, same behaviour at every clock
//! edge, different flip-flops.
//!
//! The potential is a [`GatedReg`] enabled by `we` with `d = vnew` (no
//! hold mux), the refractory counter one enabled by `load | busy` with
//! `d = load ? refractory : refr - 1`. On an ASIC target each is one
//! clock gate instead of a feedback mux per bit (`docs/flows.md`, "Clock
//! gating"); `pending` stays a plain `Reg` with its reset.

use crate::gated_reg::GatedReg;
use crate::reg::{Reg, RegStyle};
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct GatedLif {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    /// Write `vnew` into the potential.
    pub we: Signal<In, Bit>,
    pub vnew: Signal<In, Bits<16>>,
    /// The neuron fires: set `pending`.
    pub fire: Signal<In, Bit>,
    /// Load the refractory counter with `refractory`.
    pub load: Signal<In, Bit>,
    pub refractory: Signal<In, Bits<8>>,
    pub clear: Signal<In, Bit>,
    /// The potential.
    pub v: Signal<Out, Bits<16>>,
    /// The refractory counter is not zero (an input addition is ignored).
    pub busy: Signal<Out, Bit>,
    pub pending: Signal<Out, Bit>,
    pot: GatedReg<Bits<16>>,
    refr: GatedReg<Bits<8>>,
    fired: Reg<Bit>,
}

impl GatedLif {
    pub fn new(style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            we: Default::default(),
            vnew: Default::default(),
            fire: Default::default(),
            load: Default::default(),
            refractory: Default::default(),
            clear: Default::default(),
            v: Default::default(),
            busy: Default::default(),
            pending: Default::default(),
            pot: GatedReg::new_data(0u64.to_bits(), style),
            refr: GatedReg::new_data(0u64.to_bits(), style),
            fired: Reg::new(false, style),
        }
    }
}

impl Logic for GatedLif {
    #[hdl_gen]
    fn update(&mut self) {
        self.pot.clock.next = self.clock.val();
        self.refr.clock.next = self.clock.val();
        self.fired.clock.next = self.clock.val();
        self.fired.rst_n.next = self.rst_n.val();
        self.pot.en.next = self.we.val();
        self.pot.d.next = self.vnew.val();
        // Counting down while not zero, loading on `load`: the counter is
        // clocked only then.
        self.refr.en.next = self.load.val() | (self.refr.q.val() != bits::<8>(0));
        self.refr.d.next = self.refr.q.val() - bits::<8>(1);
        if self.load.val() {
            self.refr.d.next = self.refractory.val();
        }
        self.fired.d.next = self.fired.q.val();
        if self.fire.val() {
            self.fired.d.next = true;
        }
        if self.clear.val() {
            self.fired.d.next = false;
        }
        self.v.next = self.pot.q.val();
        self.busy.next = self.refr.q.val() != bits::<8>(0);
        self.pending.next = self.fired.q.val();
    }
}
