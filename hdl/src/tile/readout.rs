//! Column readout: one ADC lane of the crossbar and the neurons it serves.
//!
//! One ADC converts the `k = adc_share` columns of its group in turn; the
//! sequencer's `sel` names the member converted by the current read. On
//! `strobe` (the macro's `adc_valid` while the sequencer waits for a read)
//! the code, clamped to the ADC's range, shifted by the input bit being
//! applied (shift-add of PWM inputs) and saturated to 16 bits, is added to
//! that member's neuron. A lane holds its neurons so that every index in
//! the generated loops is the member index alone (rust-hdl cannot unroll
//! `column = lane * k + member`).
//!
//! Area: one 17-bit adder per lane, time-multiplexed over its members,
//! does every neuron update; the sequencer's `sel` names the member for
//! inputs, leaks and commits alike (leak and commit take `k` cycles, one
//! member per cycle). Its operands are the selected member's potential `v`
//! and `opnd` with a carry in `cin`: the input contribution with 0 while
//! adding, else the complement `!x` of the leak (while leaking) or of the
//! threshold (at commit) with 1, so that `v + opnd + cin` has bit 16 set
//! exactly when the addition overflows or when `v >= x`, and its low 16
//! bits are `v + add` or `v - x`. The adder is a carry select over two
//! bytes (`update`), which shortens the tile's critical path.

use super::neuron::Lif;
use super::neuron_gated::GatedLif;
use crate::param::Param;
use crate::reg::RegStyle;
use memforge_spec::NeuronReset;
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct Lane {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    /// Raw code of this lane's ADC (12 bits; codes above the ADC's range
    /// cannot come from a conforming macro and are clamped).
    pub code: Signal<In, Bits<12>>,
    pub strobe: Signal<In, Bit>,
    /// In reset (and the first edge after it): every member's potential
    /// and refractory counter are written with 0 (they have no reset of
    /// their own, see [`Lif`]).
    pub init: Signal<In, Bit>,
    pub sel: Signal<In, Bits<8>>,
    pub shift: Signal<In, Bits<3>>,
    pub leak_en: Signal<In, Bit>,
    pub leak: Signal<In, Bits<16>>,
    pub commit: Signal<In, Bit>,
    pub threshold: Signal<In, Bits<16>>,
    pub refractory: Signal<In, Bits<8>>,
    /// The spike scan is at this lane.
    pub scan_en: Signal<In, Bit>,
    pub scan_slot: Signal<In, Bits<8>>,
    /// Clear the pending spike at the scan position.
    pub scan_clear: Signal<In, Bit>,
    /// The clamped code (for write-verify reads).
    pub clamped: Signal<Out, Bits<12>>,
    pub any_pending: Signal<Out, Bit>,
    /// Pending spike of the member at `scan_slot`.
    pub hit: Signal<Out, Bit>,
    /// A learning rule's read port of the potentials (`with_probe`; none
    /// otherwise, and an empty `Vec` emits nothing): `probe_v` is the
    /// potential of the member named by `probe_sel`.
    pub probe_sel: Vec<Signal<In, Bits<8>>>,
    pub probe_v: Vec<Signal<Out, Bits<16>>>,
    /// The members' potentials, only when asked for
    /// ([`Lane::with_potentials`], the e-prop controller's pseudo-derivative):
    /// an empty `Vec` emits nothing, so other tiles are unchanged.
    pub v_out: Vec<Signal<Out, Bits<16>>>,
    vouts: Param<usize>,
    vouts_cg: Param<usize>,
    neuron: Vec<Lif>,
    /// The neurons with clock-gated state (`[flow] clock_gating`), instead
    /// of `neuron` (one of the two is empty, and an empty `Vec` emits
    /// nothing: without clock gating the RTL is unchanged).
    neuron_cg: Vec<GatedLif>,
    member: Vec<Constant<Bits<8>>>,
    adc_max: Constant<Bits<12>>,
    wide: Signal<Local, Bits<24>>,
    contrib: Signal<Local, Bits<16>>,
    /// The shared adder's second operand and carry in (see the module
    /// documentation).
    opnd: Signal<Local, Bits<16>>,
    cin: Signal<Local, Bits<9>>,
    /// Leak or threshold, whichever is subtracted this cycle.
    sub: Signal<Local, Bits<16>>,
    /// Potential and refractory state of the member at `sel`.
    vsel: Signal<Local, Bits<16>>,
    busy: Signal<Local, Bit>,
    /// The adder's operands split at the byte, for the carry select.
    v_lo: Signal<Local, Bits<8>>,
    v_hi: Signal<Local, Bits<8>>,
    o_lo: Signal<Local, Bits<8>>,
    o_hi: Signal<Local, Bits<8>>,
    /// The low byte's sum, and the high byte's without and with its carry.
    sum_lo: Signal<Local, Bits<9>>,
    sum_hi0: Signal<Local, Bits<9>>,
    sum_hi1: Signal<Local, Bits<9>>,
    lo_byte: Signal<Local, Bits<8>>,
    sum: Signal<Local, Bits<17>>,
    /// The selected member's new potential, written when `we`.
    vnew: Signal<Local, Bits<16>>,
    we: Signal<Local, Bit>,
    fire: Signal<Local, Bit>,

    vwr: Signal<Local, Bits<16>>,
    rval: Signal<Local, Bits<8>>,
    subtract: Constant<Bit>,
    /// Lengths of `neuron` and `neuron_cg`.
    members: Param<usize>,
    members_cg: Param<usize>,
    probes: Param<usize>,
}

impl Lane {
    pub fn new(members: usize, adc_bits: u32, reset: NeuronReset, style: RegStyle) -> Self {
        let (plain, gated) = if style.clock_gating {
            (0, members)
        } else {
            (members, 0)
        };
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            code: Default::default(),
            strobe: Default::default(),
            init: Default::default(),
            sel: Default::default(),
            shift: Default::default(),
            leak_en: Default::default(),
            leak: Default::default(),
            commit: Default::default(),
            threshold: Default::default(),
            refractory: Default::default(),
            scan_en: Default::default(),
            scan_slot: Default::default(),
            scan_clear: Default::default(),
            clamped: Default::default(),
            any_pending: Default::default(),
            hit: Default::default(),
            probe_sel: Vec::new(),
            probe_v: Vec::new(),
            v_out: Vec::new(),
            vouts: Param(0),
            vouts_cg: Param(0),
            neuron: (0..plain).map(|_| Lif::new(style)).collect(),
            neuron_cg: (0..gated).map(|_| GatedLif::new(style)).collect(),
            member: (0..members)
                .map(|m| Constant::new((m as u64).to_bits()))
                .collect(),
            adc_max: Constant::new(((1u64 << adc_bits) - 1).to_bits()),
            wide: Default::default(),
            contrib: Default::default(),
            opnd: Default::default(),
            cin: Default::default(),
            sub: Default::default(),
            vsel: Default::default(),
            busy: Default::default(),
            v_lo: Default::default(),
            v_hi: Default::default(),
            o_lo: Default::default(),
            o_hi: Default::default(),
            sum_lo: Default::default(),
            sum_hi0: Default::default(),
            sum_hi1: Default::default(),
            lo_byte: Default::default(),
            sum: Default::default(),
            vnew: Default::default(),
            we: Default::default(),
            fire: Default::default(),
            vwr: Default::default(),
            rval: Default::default(),
            subtract: Constant::new(reset == NeuronReset::Subtract),
            members: Param(plain),
            members_cg: Param(gated),
            probes: Param(0),
        }
    }

    /// The lane with a read port of its potentials (the SDSP rule's
    /// membrane-potential condition).
    pub fn with_probe(mut self) -> Self {
        self.probe_sel = vec![Default::default()];
        self.probe_v = vec![Default::default()];
        self.probes = Param(1);
        self
    }
}

impl Lane {
    /// The lane with its members' potentials on `v_out`.
    pub fn with_potentials(mut self) -> Self {
        let members = self.members.0 + self.members_cg.0;
        self.v_out = (0..members).map(|_| Default::default()).collect();
        self.vouts = Param(self.members.0);
        self.vouts_cg = Param(self.members_cg.0);
        self
    }
}

impl Logic for Lane {
    #[hdl_gen]
    fn update(&mut self) {
        // The mask is a no-op on a code <= adc_max; it tells synthesis that
        // the bits above the ADC's range are 0.
        // code > adc_max (2^adc_bits - 1) iff a bit above it is set; unlike
        // the comparison, never constant (adc_bits = 12) for lint.
        if (self.code.val() & !self.adc_max.val()) != bits::<12>(0) {
            self.clamped.next = self.adc_max.val();
        } else {
            self.clamped.next = self.code.val() & self.adc_max.val();
        }
        self.wide.next = bit_cast::<24, 12>(self.clamped.val()) << self.shift.val();
        if self.wide.val() > bits::<24>(0xffff) {
            self.contrib.next = bits::<16>(0xffff);
        } else {
            self.contrib.next = self.wide.val().get_bits::<16>(0);
        }
        // One adder for the lane: strobe, leak and commit never coincide
        // (the sequencer's states), and each reaches the member at `sel`;
        // `v + !x + 1` is `v - x` in the low 16 bits with bit 16 set iff
        // v >= x (x = 0 gives `v + 2^16`: v unchanged, bit 16 set). The
        // carry in replaces the negation `2^16 - x`, a second carry chain
        // on the critical path.
        if self.commit.val() {
            self.sub.next = self.threshold.val();
        } else {
            self.sub.next = self.leak.val();
        }
        if self.strobe.val() {
            self.opnd.next = self.contrib.val();
            self.cin.next = bits::<9>(0);
        } else {
            self.opnd.next = !self.sub.val();
            self.cin.next = bits::<9>(1);
        }
        self.vsel.next = bits::<16>(0);
        self.busy.next = false;
        for m in 0..self.members.0 {
            if self.sel.val() == self.member[m].val() {
                self.vsel.next = self.neuron[m].v.val();
                self.busy.next = self.neuron[m].busy.val();
            }
        }
        for m in 0..self.members_cg.0 {
            if self.sel.val() == self.member[m].val() {
                self.vsel.next = self.neuron_cg[m].v.val();
                self.busy.next = self.neuron_cg[m].busy.val();
            }
        }
        // sum = v + opnd + cin as a carry select: the high byte is added
        // both without and with a carry in while the low byte's carry
        // settles, then chosen by it. This halves the carry chain, the
        // tile's critical path (docs/flows.md).
        self.v_lo.next = self.vsel.val().get_bits::<8>(0);
        self.v_hi.next = self.vsel.val().get_bits::<8>(8);
        self.o_lo.next = self.opnd.val().get_bits::<8>(0);
        self.o_hi.next = self.opnd.val().get_bits::<8>(8);
        self.sum_lo.next =
            bit_cast::<9, 8>(self.v_lo.val()) + bit_cast::<9, 8>(self.o_lo.val()) + self.cin.val();
        self.sum_hi0.next = bit_cast::<9, 8>(self.v_hi.val()) + bit_cast::<9, 8>(self.o_hi.val());
        // hi0 + 1, not v_hi + o_hi + 1: Yosys's `share` merges two adders
        // whose results a mux chooses between, which would undo the select.
        self.sum_hi1.next = self.sum_hi0.val() + bits::<9>(1);
        self.lo_byte.next = self.sum_lo.val().get_bits::<8>(0);
        if self.sum_lo.val().get_bit(8) {
            self.sum.next = (bit_cast::<17, 9>(self.sum_hi1.val()) << bits::<5>(8))
                | bit_cast::<17, 8>(self.lo_byte.val());
        } else {
            self.sum.next = (bit_cast::<17, 9>(self.sum_hi0.val()) << bits::<5>(8))
                | bit_cast::<17, 8>(self.lo_byte.val());
        }
        // sum[16]: overflow of an addition, or v >= leak / threshold.
        self.vnew.next = self.sum.val().get_bits::<16>(0);
        self.we.next = false;
        self.fire.next = false;
        if self.strobe.val() {
            self.we.next = !self.busy.val();
            if self.sum.val().get_bit(16) {
                self.vnew.next = bits::<16>(0xffff);
            }
        }
        if self.leak_en.val() {
            self.we.next = true;
            if !self.sum.val().get_bit(16) {
                self.vnew.next = bits::<16>(0);
            }
        }
        if self.commit.val() {
            self.we.next = self.sum.val().get_bit(16);
            self.fire.next = self.sum.val().get_bit(16);
            if !self.subtract.val() {
                self.vnew.next = bits::<16>(0);
            }
        }
        self.vwr.next = self.vnew.val();
        self.rval.next = self.refractory.val();
        if self.init.val() {
            self.vwr.next = bits::<16>(0);
            self.rval.next = bits::<8>(0);
        }
        for p in 0..self.probes.0 {
            self.probe_v[p].next = bits::<16>(0);
            for m in 0..self.members.0 {
                if self.probe_sel[p].val() == self.member[m].val() {
                    self.probe_v[p].next = self.neuron[m].v.val();
                }
            }
            for m in 0..self.members_cg.0 {
                if self.probe_sel[p].val() == self.member[m].val() {
                    self.probe_v[p].next = self.neuron_cg[m].v.val();
                }
            }
        }
        self.any_pending.next = false;
        self.hit.next = false;
        for m in 0..self.members.0 {
            self.neuron[m].clock.next = self.clock.val();
            self.neuron[m].rst_n.next = self.rst_n.val();
            self.neuron[m].vnew.next = self.vwr.val();
            self.neuron[m].we.next =
                (self.we.val() & (self.sel.val() == self.member[m].val())) | self.init.val();
            self.neuron[m].fire.next = self.fire.val() & (self.sel.val() == self.member[m].val());
            self.neuron[m].load.next =
                (self.fire.val() & (self.sel.val() == self.member[m].val())) | self.init.val();
            self.neuron[m].refractory.next = self.rval.val();
            self.neuron[m].clear.next = self.scan_clear.val()
                & self.scan_en.val()
                & (self.scan_slot.val() == self.member[m].val());
            if self.neuron[m].pending.val() {
                self.any_pending.next = true;
            }
            if self.scan_slot.val() == self.member[m].val() {
                self.hit.next = self.neuron[m].pending.val();
            }
        }
        for m in 0..self.members_cg.0 {
            self.neuron_cg[m].clock.next = self.clock.val();
            self.neuron_cg[m].rst_n.next = self.rst_n.val();
            self.neuron_cg[m].vnew.next = self.vwr.val();
            self.neuron_cg[m].we.next =
                (self.we.val() & (self.sel.val() == self.member[m].val())) | self.init.val();
            self.neuron_cg[m].fire.next =
                self.fire.val() & (self.sel.val() == self.member[m].val());
            self.neuron_cg[m].load.next =
                (self.fire.val() & (self.sel.val() == self.member[m].val())) | self.init.val();
            self.neuron_cg[m].refractory.next = self.rval.val();
            self.neuron_cg[m].clear.next = self.scan_clear.val()
                & self.scan_en.val()
                & (self.scan_slot.val() == self.member[m].val());
            if self.neuron_cg[m].pending.val() {
                self.any_pending.next = true;
            }
            if self.scan_slot.val() == self.member[m].val() {
                self.hit.next = self.neuron_cg[m].pending.val();
            }
        }
        for m in 0..self.vouts.0 {
            self.v_out[m].next = self.neuron[m].v.val();
        }
        for m in 0..self.vouts_cg.0 {
            self.v_out[m].next = self.neuron_cg[m].v.val();
        }
    }
}
