//! Row driver sequencer: turns buffered input events into crossbar reads,
//! commits them to the neurons and queues the resulting spikes. Also owns
//! the leak timer, so that leak, input and fire never reach a neuron in the
//! same cycle (see `docs/tile.md` for the timing diagram).
//!
//! Per event (row r, value x clamped to `input_bits`): for every bit b of x
//! that is set, LSB first, and for every ADC slot s in 0..adc_share, one
//! read: `xbar_op = READ` for one cycle with `xbar_row = r`, `xbar_sel = s`;
//! the macro answers with `xbar_adc_valid` (any latency >= 1 cycle, at most
//! [`READ_TIMEOUT`] cycles after the cycle the READ is on `xbar_op`, else
//! the read counts as 0 and the sticky timeout flag is raised; the
//! sequencer then waits up to [`READ_TIMEOUT`] more cycles for the late
//! answer, which it drops and reports on `stale`, so that it can never be
//! taken as the answer of the next read). Then `adc_share` `commit` cycles (fire check of member
//! `sel` of every lane) and a scan of the columns in increasing order that
//! queues each pending spike into the output FIFO (stalling while it is
//! full) until none is pending. A due leak tick, taken when idle, is
//! `adc_share` `leak_en` cycles, one member per cycle, before the next
//! event, except right after a leak when an event is ready: then the event
//! goes first, so that events and leak ticks interleave and a short
//! `leak_period` can never starve the input.

use crate::reg::{Reg, RegStyle};
use memforge_spec::blocks::tile;
use rust_hdl::prelude::*;

/// A READ on `xbar_op` in cycle n may be answered in cycles n+1 ..= n +
/// READ_TIMEOUT; with no answer by then it is abandoned at the end of cycle
/// n + READ_TIMEOUT, and an answer in the following READ_TIMEOUT cycles is
/// dropped as stale.
pub use memforge_spec::blocks::tile::READ_TIMEOUT;

// States (literal codes: rust-hdl kernels only translate literal casts):
// 0 idle, 1 phase (next input bit), 2 read, 3 wait for the ADC, 4 commit
// (adc_share cycles, `slot` names the member), 5 spike scan, 6 leak
// (adc_share cycles, like commit).

#[derive(Clone, Debug, LogicBlock)]
pub struct Sequencer {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub enable: Signal<In, Bit>,
    pub leak_enable: Signal<In, Bit>,
    pub leak_period: Signal<In, Bits<16>>,
    pub nonempty: Signal<In, Bit>,
    pub head_row: Signal<In, Bits<8>>,
    pub head_value: Signal<In, Bits<8>>,
    pub prog_busy: Signal<In, Bit>,
    pub adc_valid: Signal<In, Bit>,
    pub any_pending: Signal<In, Bit>,
    pub hit: Signal<In, Bit>,
    pub out_full: Signal<In, Bit>,
    pub pop: Signal<Out, Bit>,
    pub leak_en: Signal<Out, Bit>,
    pub strobe: Signal<Out, Bit>,
    pub shift: Signal<Out, Bits<3>>,
    pub sel: Signal<Out, Bits<8>>,
    pub commit: Signal<Out, Bit>,
    pub scan_lane: Signal<Out, Bits<8>>,
    pub scan_slot: Signal<Out, Bits<8>>,
    pub scan_clear: Signal<Out, Bit>,
    pub push: Signal<Out, Bit>,
    pub push_addr: Signal<Out, Bits<8>>,
    pub idle: Signal<Out, Bit>,
    pub timeout: Signal<Out, Bit>,
    /// A late answer (after its READ timed out) arrived and was dropped.
    pub stale: Signal<Out, Bit>,
    pub xbar_op: Signal<Out, Bits<2>>,
    pub xbar_row: Signal<Out, Bits<8>>,
    pub xbar_sel: Signal<Out, Bits<8>>,
    state: Reg<Bits<3>>,
    row: Reg<Bits<8>>,
    value: Reg<Bits<8>>,
    bit: Reg<Bits<3>>,
    slot: Reg<Bits<8>>,
    timer: Reg<Bits<8>>,
    scan_col: Reg<Bits<8>>,
    lane_r: Reg<Bits<8>>,
    slot_r: Reg<Bits<8>>,
    leak_cnt: Reg<Bits<16>>,
    leak_due: Reg<Bit>,
    /// The last thing taken from IDLE was a leak tick (an event goes next).
    leaked: Reg<Bit>,
    /// Waiting for the late answer of an abandoned READ.
    draining: Reg<Bit>,
    event_ready: Signal<Local, Bit>,
    take_leak: Signal<Local, Bit>,
    op_r: Reg<Bits<2>>,
    /// `xbar_op` codes and the READ timeout, from the tile's contract
    /// (`memforge_spec::blocks::tile`).
    op_read: Constant<Bits<2>>,
    read_timeout: Constant<Bits<8>>,
    row_r: Reg<Bits<8>>,
    sel_r: Reg<Bits<8>>,
    last_bit: Constant<Bits<3>>,
    /// Covers every bit index <= last_bit (a no-op on `bit`, which never
    /// exceeds it; for spike inputs it makes the lanes' shifter constant).
    bit_mask: Constant<Bits<3>>,
    last_slot: Constant<Bits<8>>,
    /// Covers every slot <= last_slot (a no-op on the slot counters, which
    /// only count up to it; lets synthesis drop their bits above it).
    slot_mask: Constant<Bits<8>>,
    /// The scan ends at column `cols` (every column before it has been
    /// scanned), lane `ceil(cols / adc_share)` at the latest: masks that
    /// cover them, no-ops like `slot_mask`.
    col_mask: Constant<Bits<8>>,
    lane_mask: Constant<Bits<8>>,
}

impl Sequencer {
    pub fn new(input_bits: u32, adc_share: u32, cols: u32, style: RegStyle) -> Self {
        let mask = |max: u32| (super::aer_in::mask_for(max) & 0xff).to_bits();
        let r8 = || Reg::new(Bits::<8>::default(), style);
        // No reset: written (at a pop, a read, the end of a commit) before
        // the states that read them.
        let d8 = || Reg::new_data(Bits::<8>::default(), style);
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            enable: Default::default(),
            leak_enable: Default::default(),
            leak_period: Default::default(),
            nonempty: Default::default(),
            head_row: Default::default(),
            head_value: Default::default(),
            prog_busy: Default::default(),
            adc_valid: Default::default(),
            any_pending: Default::default(),
            hit: Default::default(),
            out_full: Default::default(),
            pop: Default::default(),
            leak_en: Default::default(),
            strobe: Default::default(),
            shift: Default::default(),
            sel: Default::default(),
            commit: Default::default(),
            scan_lane: Default::default(),
            scan_slot: Default::default(),
            scan_clear: Default::default(),
            push: Default::default(),
            push_addr: Default::default(),
            idle: Default::default(),
            timeout: Default::default(),
            stale: Default::default(),
            xbar_op: Default::default(),
            xbar_row: Default::default(),
            xbar_sel: Default::default(),
            state: Reg::new(0u64.to_bits(), style),
            row: d8(),
            value: d8(),
            bit: Reg::new(0u64.to_bits(), style),
            slot: r8(),
            timer: d8(),
            scan_col: d8(),
            lane_r: d8(),
            slot_r: d8(),
            leak_cnt: Reg::new(0u64.to_bits(), style),
            leak_due: Reg::new(false, style),
            leaked: Reg::new(false, style),
            draining: Reg::new(false, style),
            event_ready: Default::default(),
            take_leak: Default::default(),
            op_r: Reg::new(0u64.to_bits(), style),
            op_read: Constant::new(u64::from(tile::XBAR_OP_READ).to_bits()),
            read_timeout: Constant::new(u64::from(tile::READ_TIMEOUT).to_bits()),
            row_r: r8(),
            sel_r: r8(),
            last_bit: Constant::new(((input_bits - 1) as u64).to_bits()),
            bit_mask: Constant::new((super::aer_in::mask_for(input_bits - 1) & 0x7).to_bits()),
            last_slot: Constant::new(((adc_share - 1) as u64).to_bits()),
            slot_mask: Constant::new(mask(adc_share - 1)),
            col_mask: Constant::new(mask(cols)),
            lane_mask: Constant::new(mask(cols.div_ceil(adc_share))),
        }
    }
}

impl Logic for Sequencer {
    #[hdl_gen]
    fn update(&mut self) {
        self.state.clock.next = self.clock.val();
        self.state.rst_n.next = self.rst_n.val();
        self.state.d.next = self.state.q.val();
        self.row.clock.next = self.clock.val();
        self.row.rst_n.next = self.rst_n.val();
        self.row.d.next = self.row.q.val();
        self.value.clock.next = self.clock.val();
        self.value.rst_n.next = self.rst_n.val();
        self.value.d.next = self.value.q.val();
        self.bit.clock.next = self.clock.val();
        self.bit.rst_n.next = self.rst_n.val();
        self.bit.d.next = self.bit.q.val();
        self.slot.clock.next = self.clock.val();
        self.slot.rst_n.next = self.rst_n.val();
        self.slot.d.next = self.slot.q.val();
        self.timer.clock.next = self.clock.val();
        self.timer.rst_n.next = self.rst_n.val();
        self.timer.d.next = self.timer.q.val();
        self.scan_col.clock.next = self.clock.val();
        self.scan_col.rst_n.next = self.rst_n.val();
        self.scan_col.d.next = self.scan_col.q.val();
        self.lane_r.clock.next = self.clock.val();
        self.lane_r.rst_n.next = self.rst_n.val();
        self.lane_r.d.next = self.lane_r.q.val();
        self.slot_r.clock.next = self.clock.val();
        self.slot_r.rst_n.next = self.rst_n.val();
        self.slot_r.d.next = self.slot_r.q.val();
        self.leak_cnt.clock.next = self.clock.val();
        self.leak_cnt.rst_n.next = self.rst_n.val();
        self.leak_cnt.d.next = self.leak_cnt.q.val();
        self.leak_due.clock.next = self.clock.val();
        self.leak_due.rst_n.next = self.rst_n.val();
        self.leak_due.d.next = self.leak_due.q.val();
        self.leaked.clock.next = self.clock.val();
        self.leaked.rst_n.next = self.rst_n.val();
        self.leaked.d.next = self.leaked.q.val();
        self.draining.clock.next = self.clock.val();
        self.draining.rst_n.next = self.rst_n.val();
        self.draining.d.next = self.draining.q.val();
        self.op_r.clock.next = self.clock.val();
        self.op_r.rst_n.next = self.rst_n.val();
        self.op_r.d.next = self.op_r.q.val();
        self.row_r.clock.next = self.clock.val();
        self.row_r.rst_n.next = self.rst_n.val();
        self.row_r.d.next = self.row_r.q.val();
        self.sel_r.clock.next = self.clock.val();
        self.sel_r.rst_n.next = self.rst_n.val();
        self.sel_r.d.next = self.sel_r.q.val();
        // Outputs that are plain functions of the state.
        self.idle.next = self.state.q.val() == bits::<3>(0);
        self.shift.next = self.bit.q.val() & self.bit_mask.val();
        self.sel.next = self.slot.q.val();
        self.scan_lane.next = self.lane_r.q.val();
        self.scan_slot.next = self.slot_r.q.val();
        self.push_addr.next = self.scan_col.q.val();
        self.xbar_op.next = self.op_r.q.val();
        self.xbar_row.next = self.row_r.q.val();
        self.xbar_sel.next = self.sel_r.q.val();
        self.pop.next = false;
        self.leak_en.next = false;
        self.strobe.next = false;
        self.commit.next = false;
        self.scan_clear.next = false;
        self.push.next = false;
        self.timeout.next = false;
        self.stale.next = false;
        // In IDLE: an event can be taken; a due leak tick is taken unless
        // the last thing taken was a leak tick and an event is ready.
        self.event_ready.next = self.enable.val() & self.nonempty.val() & !self.prog_busy.val();
        self.take_leak.next =
            self.leak_due.q.val() & !(self.leaked.q.val() & self.event_ready.val());
        // Crossbar commands last one cycle.
        self.op_r.d.next = bits::<2>(0);
        self.row_r.d.next = bits::<8>(0);
        self.sel_r.d.next = bits::<8>(0);

        // Leak timer: a tick every leak_period+1 cycles, applied when idle.
        if self.leak_enable.val() {
            if self.leak_cnt.q.val() == self.leak_period.val() {
                self.leak_cnt.d.next = bits::<16>(0);
                self.leak_due.d.next = true;
            } else {
                self.leak_cnt.d.next = self.leak_cnt.q.val() + bits::<16>(1);
                if (self.state.q.val() == bits::<3>(0)) & self.take_leak.val() {
                    self.leak_due.d.next = false;
                }
            }
        } else {
            self.leak_cnt.d.next = bits::<16>(0);
            self.leak_due.d.next = false;
        }

        if self.state.q.val() == bits::<3>(0) {
            if self.take_leak.val() {
                self.state.d.next = bits::<3>(6);
            } else if self.event_ready.val() {
                self.pop.next = true;
                self.leaked.d.next = false;
                self.row.d.next = self.head_row.val();
                self.value.d.next = self.head_value.val();
                self.bit.d.next = bits::<3>(0);
                self.slot.d.next = bits::<8>(0);
                self.state.d.next = bits::<3>(1);
            }
        } else if self.state.q.val() == bits::<3>(1) {
            if self.value.q.val().get_bit(self.bit.q.val().index()) {
                self.state.d.next = bits::<3>(2);
            } else if self.bit.q.val() == self.last_bit.val() {
                self.state.d.next = bits::<3>(4);
            } else {
                self.bit.d.next = self.bit.q.val() + bits::<3>(1);
            }
        } else if self.state.q.val() == bits::<3>(2) {
            self.op_r.d.next = self.op_read.val();
            self.row_r.d.next = self.row.q.val();
            self.sel_r.d.next = self.slot.q.val();
            self.timer.d.next = bits::<8>(0);
            self.draining.d.next = false;
            self.state.d.next = bits::<3>(3);
        } else if self.state.q.val() == bits::<3>(3) {
            // `timer` is k in cycle n+k of a READ on `xbar_op` in cycle n
            // (and counts the drain window again after a timeout); only
            // 0..=READ_TIMEOUT are ever compared (the mask keeps the 8-bit
            // counter from wrapping into a compared value).
            self.timer.d.next = (self.timer.q.val() + bits::<8>(1)) & bits::<8>(127);
            if !self.draining.q.val()
                & !self.adc_valid.val()
                & (self.timer.q.val() == self.read_timeout.val())
            {
                // Abandoned: counts 0; wait for a late answer to drop.
                self.timeout.next = true;
                self.draining.d.next = true;
                self.timer.d.next = bits::<8>(0);
            } else if self.adc_valid.val() | (self.timer.q.val() == self.read_timeout.val()) {
                self.strobe.next = self.adc_valid.val() & !self.draining.q.val();
                self.stale.next = self.adc_valid.val() & self.draining.q.val();
                self.draining.d.next = false;
                if self.slot.q.val() == self.last_slot.val() {
                    self.slot.d.next = bits::<8>(0);
                    if self.bit.q.val() == self.last_bit.val() {
                        self.state.d.next = bits::<3>(4);
                    } else {
                        self.bit.d.next = self.bit.q.val() + bits::<3>(1);
                        self.state.d.next = bits::<3>(1);
                    }
                } else {
                    self.slot.d.next = (self.slot.q.val() + bits::<8>(1)) & self.slot_mask.val();
                    self.state.d.next = bits::<3>(2);
                }
            }
        } else if self.state.q.val() == bits::<3>(4) {
            // Commit member `slot` of every lane (one adder per lane).
            self.commit.next = true;
            if self.slot.q.val() == self.last_slot.val() {
                self.slot.d.next = bits::<8>(0);
                self.scan_col.d.next = bits::<8>(0);
                self.lane_r.d.next = bits::<8>(0);
                self.slot_r.d.next = bits::<8>(0);
                self.state.d.next = bits::<3>(5);
            } else {
                self.slot.d.next = (self.slot.q.val() + bits::<8>(1)) & self.slot_mask.val();
            }
        } else if self.state.q.val() == bits::<3>(5) {
            if !self.any_pending.val() {
                self.state.d.next = bits::<3>(0);
            } else if !(self.hit.val() & self.out_full.val()) {
                self.push.next = self.hit.val();
                self.scan_clear.next = self.hit.val();
                self.scan_col.d.next = (self.scan_col.q.val() + bits::<8>(1)) & self.col_mask.val();
                if self.slot_r.q.val() == self.last_slot.val() {
                    self.slot_r.d.next = bits::<8>(0);
                    self.lane_r.d.next =
                        (self.lane_r.q.val() + bits::<8>(1)) & self.lane_mask.val();
                } else {
                    self.slot_r.d.next =
                        (self.slot_r.q.val() + bits::<8>(1)) & self.slot_mask.val();
                }
            }
        } else if self.state.q.val() == bits::<3>(6) {
            // Leak member `slot` of every lane.
            self.leak_en.next = true;
            if self.slot.q.val() == self.last_slot.val() {
                self.slot.d.next = bits::<8>(0);
                self.leaked.d.next = true;
                self.state.d.next = bits::<3>(0);
            } else {
                self.slot.d.next = (self.slot.q.val() + bits::<8>(1)) & self.slot_mask.val();
            }
        } else {
            self.state.d.next = bits::<3>(0);
        }
    }
}
