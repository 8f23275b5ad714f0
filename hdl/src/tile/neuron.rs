//! One digital leaky integrate-and-fire neuron (one per crossbar column):
//! its state only. The arithmetic is the lane's (see [`super::readout`]):
//! one adder per lane, time-multiplexed over the lane's members, computes
//! the new potential of the member the sequencer's `sel` names, and the
//! lane writes it back here with `we`.
//!
//! The 16-bit unsigned potential saturates instead of wrapping: a wrapped
//! potential would turn a strong input into silence. Per clock edge:
//! - the refractory counter counts down by one if it is not zero;
//! - `we`: the potential becomes `vnew` (the lane's result of an input
//!   addition, a leak or a fire);
//! - `fire`: `pending` is set and the refractory counter is loaded;
//! - `clear`: the pending spike was queued, `pending` drops.
//!
//! Area: a neuron is its 25 flip-flops, the refractory decrement and the
//! write enables; the adder, the saturation and the threshold compare are
//! shared by the `adc_share` neurons of a lane. Potential and refractory
//! counter have no reset of their own (`dfxtp` instead of `dfrtp`): in
//! reset and at the first edge after it the lane writes 0 into both (`we`,
//! `load` with the top's `neuron_init`); the reset synchroniser holds the
//! design in reset for at least one edge, and no neuron operation happens
//! at the first edge after it, so this is equivalent to a reset. `pending`
//! keeps a real one.

use crate::reg::{Reg, RegStyle};
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct Lif {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    /// Write `vnew` into the potential.
    pub we: Signal<In, Bit>,
    pub vnew: Signal<In, Bits<16>>,
    /// The neuron fires: set `pending`.
    pub fire: Signal<In, Bit>,
    /// Load the refractory counter with `refractory` (when the neuron
    /// fires, and with 0 in reset).
    pub load: Signal<In, Bit>,
    pub refractory: Signal<In, Bits<8>>,
    pub clear: Signal<In, Bit>,
    /// The potential.
    pub v: Signal<Out, Bits<16>>,
    /// The refractory counter is not zero (an input addition is ignored).
    pub busy: Signal<Out, Bit>,
    pub pending: Signal<Out, Bit>,
    pot: Reg<Bits<16>>,
    refr: Reg<Bits<8>>,
    fired: Reg<Bit>,
}

impl Lif {
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
            pot: Reg::new_data(0u64.to_bits(), style),
            refr: Reg::new_data(0u64.to_bits(), style),
            fired: Reg::new(false, style),
        }
    }
}

impl Logic for Lif {
    #[hdl_gen]
    fn update(&mut self) {
        self.pot.clock.next = self.clock.val();
        self.pot.rst_n.next = self.rst_n.val();
        self.refr.clock.next = self.clock.val();
        self.refr.rst_n.next = self.rst_n.val();
        self.fired.clock.next = self.clock.val();
        self.fired.rst_n.next = self.rst_n.val();
        self.pot.d.next = self.pot.q.val();
        self.refr.d.next = self.refr.q.val();
        self.fired.d.next = self.fired.q.val();
        if self.we.val() {
            self.pot.d.next = self.vnew.val();
        }
        if self.refr.q.val() != bits::<8>(0) {
            self.refr.d.next = self.refr.q.val() - bits::<8>(1);
        }
        if self.load.val() {
            self.refr.d.next = self.refractory.val();
        }
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
