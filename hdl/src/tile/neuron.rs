//! One digital leaky integrate-and-fire neuron (one per crossbar column).
//!
//! The 16-bit unsigned potential saturates instead of wrapping: a wrapped
//! potential would turn a strong input into silence. The sequencer issues
//! at most one of `add_en`, `leak_en`, `commit`, `clear` per cycle, so their
//! order never matters. Per clock edge:
//! - the refractory counter counts down by one if it is not zero;
//! - `add_en`: potential += add (saturating), unless refractory;
//! - `leak_en`: potential -= leak (floored at 0), even when refractory;
//! - `commit` (end of an input event): if potential >= threshold the neuron
//!   fires: `pending` is set, the potential is reset (to 0, or by
//!   subtracting the threshold) and the refractory counter is loaded;
//! - `clear`: the pending spike was queued, `pending` drops.
//!
//! Area: because the three operations never coincide, one 17-bit adder
//! does all of them. Its operand `opnd` comes from the lane, shared by the
//! lane's neurons: the input contribution while adding, else the two's
//! complement `2^16 - x` of the leak (while leaking) or of the threshold
//! (at commit), so that `v + opnd` has bit 16 set exactly when the addition
//! overflows or when `v >= x`, and its low 16 bits are `v + add` or `v - x`.
//! A neuron with one adder instead of an adder, two subtractors and two
//! comparators is about half the area, and the potential register still
//! sees exactly the values above.

use crate::reg::{Reg, RegStyle};
use memforge_spec::NeuronReset;
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct Lif {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub add_en: Signal<In, Bit>,
    pub leak_en: Signal<In, Bit>,
    pub commit: Signal<In, Bit>,
    /// The adder operand: the input contribution while the lane's strobe is
    /// high, else `2^16 - leak` (leak cycles) or `2^16 - threshold` (commit
    /// cycles); see the module documentation.
    pub opnd: Signal<In, Bits<17>>,
    pub refractory: Signal<In, Bits<8>>,
    pub clear: Signal<In, Bit>,
    pub pending: Signal<Out, Bit>,
    v: Reg<Bits<16>>,
    refr: Reg<Bits<8>>,
    fired: Reg<Bit>,
    sum: Signal<Local, Bits<17>>,
    subtract: Constant<Bit>,
}

impl Lif {
    pub fn new(reset: NeuronReset, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            add_en: Default::default(),
            leak_en: Default::default(),
            commit: Default::default(),
            opnd: Default::default(),
            refractory: Default::default(),
            clear: Default::default(),
            pending: Default::default(),
            v: Reg::new(0u64.to_bits(), style),
            refr: Reg::new(0u64.to_bits(), style),
            fired: Reg::new(false, style),
            sum: Default::default(),
            subtract: Constant::new(reset == NeuronReset::Subtract),
        }
    }
}

impl Logic for Lif {
    #[hdl_gen]
    fn update(&mut self) {
        self.v.clock.next = self.clock.val();
        self.v.rst_n.next = self.rst_n.val();
        self.refr.clock.next = self.clock.val();
        self.refr.rst_n.next = self.rst_n.val();
        self.fired.clock.next = self.clock.val();
        self.fired.rst_n.next = self.rst_n.val();
        self.sum.next = bit_cast::<17, 16>(self.v.q.val()) + self.opnd.val();
        self.v.d.next = self.v.q.val();
        self.refr.d.next = self.refr.q.val();
        self.fired.d.next = self.fired.q.val();
        if self.refr.q.val() != bits::<8>(0) {
            self.refr.d.next = self.refr.q.val() - bits::<8>(1);
        }
        // sum[16]: overflow of an addition, or v >= leak / threshold.
        if self.add_en.val() & (self.refr.q.val() == bits::<8>(0)) {
            if self.sum.val().get_bit(16) {
                self.v.d.next = bits::<16>(0xffff);
            } else {
                self.v.d.next = self.sum.val().get_bits::<16>(0);
            }
        }
        if self.leak_en.val() {
            if self.sum.val().get_bit(16) {
                self.v.d.next = self.sum.val().get_bits::<16>(0);
            } else {
                self.v.d.next = bits::<16>(0);
            }
        }
        if self.commit.val() & self.sum.val().get_bit(16) {
            self.fired.d.next = true;
            self.refr.d.next = self.refractory.val();
            if self.subtract.val() {
                self.v.d.next = self.sum.val().get_bits::<16>(0);
            } else {
                self.v.d.next = bits::<16>(0);
            }
        }
        if self.clear.val() {
            self.fired.d.next = false;
        }
        self.pending.next = self.fired.q.val();
    }
}
