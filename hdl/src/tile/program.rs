//! Write-verify programming controller: programs one crossbar cell to a
//! target level, one request at a time, requested through the register file.
//!
//! A request (`cmd[1]`) latches `prog_addr`, `prog_target`,
//! `prog_tolerance`, `prog_max_pulses` and `prog_pulse`, waits until the
//! sequencer is idle (the sequencer starts no event while a request is
//! busy), then loops: verify read of the cell (a READ of its row with the
//! ADC slot of its column); in band `|code - target| <= tolerance`: done;
//! else if `max_pulses` pulses were applied: failed; else one SET (code too
//! low: raise the conductance) or RESET (too high) pulse with the amplitude
//! and width codes, then `width` cycles of waiting. A read not answered
//! within [`super::sequencer::READ_TIMEOUT`] cycles fails the request
//! (after up to as many cycles more, waiting for the late answer, which is
//! dropped and reported on `stale`), and an address outside the array or a
//! target above the ADC's largest code fails it at once, so it never hangs.

use crate::reg::{Reg, RegStyle};
use memforge_spec::blocks::tile;
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct Programmer {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub start: Signal<In, Bit>,
    /// Row [7:0], column [15:8].
    pub addr: Signal<In, Bits<16>>,
    pub target: Signal<In, Bits<12>>,
    pub tolerance: Signal<In, Bits<12>>,
    pub max_pulses: Signal<In, Bits<8>>,
    /// Amplitude [7:0], width [15:8].
    pub pulse: Signal<In, Bits<16>>,
    pub seq_idle: Signal<In, Bit>,
    pub adc_valid: Signal<In, Bit>,
    /// Clamped ADC code of the lane that serves `col`.
    pub code: Signal<In, Bits<12>>,
    /// ADC slot of `col` within its lane.
    pub slot: Signal<In, Bits<8>>,
    /// The latched column (the top finds its lane and slot).
    pub cell_col: Signal<Out, Bits<8>>,
    pub busy: Signal<Out, Bit>,
    pub status: Signal<Out, Bits<16>>,
    pub xbar_op: Signal<Out, Bits<2>>,
    pub xbar_row: Signal<Out, Bits<8>>,
    pub xbar_col: Signal<Out, Bits<8>>,
    pub xbar_sel: Signal<Out, Bits<8>>,
    pub xbar_amp: Signal<Out, Bits<8>>,
    pub xbar_width: Signal<Out, Bits<8>>,
    /// A late answer (after the verify read timed out) arrived and was dropped.
    pub stale: Signal<Out, Bit>,
    state: Reg<Bits<3>>,
    // The request (row .. width) and the timer have no reset: they are
    // written (at the start of a request, before a read or a wait) before
    // any state other than idle reads them.
    row: Reg<Bits<8>>,
    col: Reg<Bits<8>>,
    tgt: Reg<Bits<12>>,
    tol: Reg<Bits<12>>,
    maxp: Reg<Bits<8>>,
    amp: Reg<Bits<8>>,
    width: Reg<Bits<8>>,
    pulses: Reg<Bits<8>>,
    timer: Reg<Bits<8>>,
    done: Reg<Bit>,
    failed: Reg<Bit>,
    tmo: Reg<Bit>,
    invalid: Reg<Bit>,
    /// Waiting for the late answer of a timed-out verify read.
    draining: Reg<Bit>,
    op_r: Reg<Bits<2>>,
    /// `xbar_op` codes and the READ timeout, from the tile's contract
    /// (`memforge_spec::blocks::tile`).
    op_read: Constant<Bits<2>>,
    op_set: Constant<Bits<2>>,
    op_reset: Constant<Bits<2>>,
    read_timeout: Constant<Bits<8>>,
    row_r: Reg<Bits<8>>,
    col_r: Reg<Bits<8>>,
    sel_r: Reg<Bits<8>>,
    amp_r: Reg<Bits<8>>,
    width_r: Reg<Bits<8>>,
    busy_l: Signal<Local, Bit>,
    low: Signal<Local, Bit>,
    high: Signal<Local, Bit>,
    // 9 bits: a cell is outside the array when `row + 1 > rows`, a 9-bit
    // sum that stays a real comparison for 256 rows or columns (`row >
    // 255` would be constant, Verilator CMPCONST).
    n_rows: Constant<Bits<9>>,
    n_cols: Constant<Bits<9>>,
    /// The target bits above the ADC range (none for 12-bit ADCs).
    above_code: Constant<Bits<12>>,
    req_row: Signal<Local, Bits<8>>,
    req_col: Signal<Local, Bits<8>>,
}

impl Programmer {
    pub fn new(rows: u32, cols: u32, adc_bits: u32, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            start: Default::default(),
            addr: Default::default(),
            target: Default::default(),
            tolerance: Default::default(),
            max_pulses: Default::default(),
            pulse: Default::default(),
            seq_idle: Default::default(),
            adc_valid: Default::default(),
            code: Default::default(),
            slot: Default::default(),
            cell_col: Default::default(),
            busy: Default::default(),
            status: Default::default(),
            xbar_op: Default::default(),
            xbar_row: Default::default(),
            xbar_col: Default::default(),
            xbar_sel: Default::default(),
            xbar_amp: Default::default(),
            xbar_width: Default::default(),
            stale: Default::default(),
            state: Reg::new(0u64.to_bits(), style),
            row: Reg::new_data(0u64.to_bits(), style),
            col: Reg::new_data(0u64.to_bits(), style),
            tgt: Reg::new_data(0u64.to_bits(), style),
            tol: Reg::new_data(0u64.to_bits(), style),
            maxp: Reg::new_data(0u64.to_bits(), style),
            amp: Reg::new_data(0u64.to_bits(), style),
            width: Reg::new_data(0u64.to_bits(), style),
            pulses: Reg::new(0u64.to_bits(), style),
            timer: Reg::new_data(0u64.to_bits(), style),
            done: Reg::new(false, style),
            failed: Reg::new(false, style),
            tmo: Reg::new(false, style),
            invalid: Reg::new(false, style),
            draining: Reg::new(false, style),
            op_r: Reg::new(0u64.to_bits(), style),
            op_read: Constant::new(u64::from(tile::XBAR_OP_READ).to_bits()),
            op_set: Constant::new(u64::from(tile::XBAR_OP_SET).to_bits()),
            op_reset: Constant::new(u64::from(tile::XBAR_OP_RESET).to_bits()),
            read_timeout: Constant::new(u64::from(tile::READ_TIMEOUT).to_bits()),
            row_r: Reg::new(0u64.to_bits(), style),
            col_r: Reg::new(0u64.to_bits(), style),
            sel_r: Reg::new(0u64.to_bits(), style),
            amp_r: Reg::new(0u64.to_bits(), style),
            width_r: Reg::new(0u64.to_bits(), style),
            busy_l: Default::default(),
            low: Default::default(),
            high: Default::default(),
            n_rows: Constant::new((rows as u64).to_bits()),
            n_cols: Constant::new((cols as u64).to_bits()),
            above_code: Constant::new((!((1u64 << adc_bits) - 1) & 0xfff).to_bits()),
            req_row: Default::default(),
            req_col: Default::default(),
        }
    }
}

// States: 0 idle, 1 wait for the sequencer, 2 verify read, 3 wait for the
// ADC, 4 wait out the pulse (literal codes: see the sequencer).
impl Logic for Programmer {
    #[hdl_gen]
    fn update(&mut self) {
        self.state.clock.next = self.clock.val();
        self.state.rst_n.next = self.rst_n.val();
        self.state.d.next = self.state.q.val();
        self.row.clock.next = self.clock.val();
        self.row.rst_n.next = self.rst_n.val();
        self.row.d.next = self.row.q.val();
        self.col.clock.next = self.clock.val();
        self.col.rst_n.next = self.rst_n.val();
        self.col.d.next = self.col.q.val();
        self.tgt.clock.next = self.clock.val();
        self.tgt.rst_n.next = self.rst_n.val();
        self.tgt.d.next = self.tgt.q.val();
        self.tol.clock.next = self.clock.val();
        self.tol.rst_n.next = self.rst_n.val();
        self.tol.d.next = self.tol.q.val();
        self.maxp.clock.next = self.clock.val();
        self.maxp.rst_n.next = self.rst_n.val();
        self.maxp.d.next = self.maxp.q.val();
        self.amp.clock.next = self.clock.val();
        self.amp.rst_n.next = self.rst_n.val();
        self.amp.d.next = self.amp.q.val();
        self.width.clock.next = self.clock.val();
        self.width.rst_n.next = self.rst_n.val();
        self.width.d.next = self.width.q.val();
        self.pulses.clock.next = self.clock.val();
        self.pulses.rst_n.next = self.rst_n.val();
        self.pulses.d.next = self.pulses.q.val();
        self.timer.clock.next = self.clock.val();
        self.timer.rst_n.next = self.rst_n.val();
        self.timer.d.next = self.timer.q.val();
        self.done.clock.next = self.clock.val();
        self.done.rst_n.next = self.rst_n.val();
        self.done.d.next = self.done.q.val();
        self.failed.clock.next = self.clock.val();
        self.failed.rst_n.next = self.rst_n.val();
        self.failed.d.next = self.failed.q.val();
        self.tmo.clock.next = self.clock.val();
        self.tmo.rst_n.next = self.rst_n.val();
        self.tmo.d.next = self.tmo.q.val();
        self.invalid.clock.next = self.clock.val();
        self.invalid.rst_n.next = self.rst_n.val();
        self.invalid.d.next = self.invalid.q.val();
        self.draining.clock.next = self.clock.val();
        self.draining.rst_n.next = self.rst_n.val();
        self.draining.d.next = self.draining.q.val();
        self.stale.next = false;
        self.req_row.next = self.addr.val().get_bits::<8>(0);
        self.req_col.next = self.addr.val().get_bits::<8>(8);
        self.op_r.clock.next = self.clock.val();
        self.op_r.rst_n.next = self.rst_n.val();
        self.op_r.d.next = self.op_r.q.val();
        self.row_r.clock.next = self.clock.val();
        self.row_r.rst_n.next = self.rst_n.val();
        self.row_r.d.next = self.row_r.q.val();
        self.col_r.clock.next = self.clock.val();
        self.col_r.rst_n.next = self.rst_n.val();
        self.col_r.d.next = self.col_r.q.val();
        self.sel_r.clock.next = self.clock.val();
        self.sel_r.rst_n.next = self.rst_n.val();
        self.sel_r.d.next = self.sel_r.q.val();
        self.amp_r.clock.next = self.clock.val();
        self.amp_r.rst_n.next = self.rst_n.val();
        self.amp_r.d.next = self.amp_r.q.val();
        self.width_r.clock.next = self.clock.val();
        self.width_r.rst_n.next = self.rst_n.val();
        self.width_r.d.next = self.width_r.q.val();
        self.cell_col.next = self.col.q.val();
        self.busy_l.next = self.state.q.val() != bits::<3>(0);
        self.busy.next = self.busy_l.val();
        self.status.next = (bit_cast::<16, 8>(self.pulses.q.val()) << bits::<4>(8))
            | bit_cast::<16, 1>(self.busy_l.val().into())
            | (bit_cast::<16, 1>(self.done.q.val().into()) << bits::<4>(1))
            | (bit_cast::<16, 1>(self.failed.q.val().into()) << bits::<4>(2))
            | (bit_cast::<16, 1>(self.tmo.q.val().into()) << bits::<4>(3))
            | (bit_cast::<16, 1>(self.invalid.q.val().into()) << bits::<4>(4));
        self.xbar_op.next = self.op_r.q.val();
        self.xbar_row.next = self.row_r.q.val();
        self.xbar_col.next = self.col_r.q.val();
        self.xbar_sel.next = self.sel_r.q.val();
        self.xbar_amp.next = self.amp_r.q.val();
        self.xbar_width.next = self.width_r.q.val();
        self.low.next = (bit_cast::<13, 12>(self.code.val())
            + bit_cast::<13, 12>(self.tol.q.val()))
            < bit_cast::<13, 12>(self.tgt.q.val());
        self.high.next = bit_cast::<13, 12>(self.code.val())
            > (bit_cast::<13, 12>(self.tgt.q.val()) + bit_cast::<13, 12>(self.tol.q.val()));
        // Crossbar commands last one cycle.
        self.op_r.d.next = bits::<2>(0);
        self.row_r.d.next = bits::<8>(0);
        self.col_r.d.next = bits::<8>(0);
        self.sel_r.d.next = bits::<8>(0);
        self.amp_r.d.next = bits::<8>(0);
        self.width_r.d.next = bits::<8>(0);

        if self.state.q.val() == bits::<3>(0) {
            if self.start.val() {
                self.row.d.next = self.addr.val().get_bits::<8>(0);
                self.col.d.next = self.addr.val().get_bits::<8>(8);
                self.tgt.d.next = self.target.val();
                self.tol.d.next = self.tolerance.val();
                self.maxp.d.next = self.max_pulses.val();
                self.amp.d.next = self.pulse.val().get_bits::<8>(0);
                self.width.d.next = self.pulse.val().get_bits::<8>(8);
                self.pulses.d.next = bits::<8>(0);
                self.done.d.next = false;
                self.failed.d.next = false;
                self.tmo.d.next = false;
                self.invalid.d.next = false;
                if ((bit_cast::<9, 8>(self.req_row.val()) + bits::<9>(1)) > self.n_rows.val())
                    | ((bit_cast::<9, 8>(self.req_col.val()) + bits::<9>(1)) > self.n_cols.val())
                    | ((self.target.val() & self.above_code.val()) != bits::<12>(0))
                {
                    self.invalid.d.next = true;
                    self.failed.d.next = true;
                    self.done.d.next = true;
                } else {
                    self.state.d.next = bits::<3>(1);
                }
            }
        } else if self.state.q.val() == bits::<3>(1) {
            if self.seq_idle.val() {
                self.state.d.next = bits::<3>(2);
            }
        } else if self.state.q.val() == bits::<3>(2) {
            self.op_r.d.next = self.op_read.val();
            self.row_r.d.next = self.row.q.val();
            self.sel_r.d.next = self.slot.val();
            self.timer.d.next = bits::<8>(0);
            self.draining.d.next = false;
            self.state.d.next = bits::<3>(3);
        } else if self.state.q.val() == bits::<3>(3) {
            // `timer` is k in cycle n+k of the READ on `xbar_op` in cycle n.
            self.timer.d.next = self.timer.q.val() + bits::<8>(1);
            if self.draining.q.val() {
                // Timed out: a late answer is dropped, then the request ends.
                if self.adc_valid.val() | (self.timer.q.val() == self.read_timeout.val()) {
                    self.stale.next = self.adc_valid.val();
                    self.draining.d.next = false;
                    self.failed.d.next = true;
                    self.done.d.next = true;
                    self.state.d.next = bits::<3>(0);
                }
            } else if self.adc_valid.val() {
                if !(self.low.val() | self.high.val()) {
                    self.done.d.next = true;
                    self.state.d.next = bits::<3>(0);
                } else if self.pulses.q.val() == self.maxp.q.val() {
                    self.failed.d.next = true;
                    self.done.d.next = true;
                    self.state.d.next = bits::<3>(0);
                } else {
                    if self.low.val() {
                        self.op_r.d.next = self.op_set.val();
                    } else {
                        self.op_r.d.next = self.op_reset.val();
                    }
                    self.row_r.d.next = self.row.q.val();
                    self.col_r.d.next = self.col.q.val();
                    self.amp_r.d.next = self.amp.q.val();
                    self.width_r.d.next = self.width.q.val();
                    self.pulses.d.next = self.pulses.q.val() + bits::<8>(1);
                    self.timer.d.next = bits::<8>(0);
                    self.state.d.next = bits::<3>(4);
                }
            } else if self.timer.q.val() == self.read_timeout.val() {
                self.tmo.d.next = true;
                self.draining.d.next = true;
                self.timer.d.next = bits::<8>(0);
            }
        } else if self.state.q.val() == bits::<3>(4) {
            if self.timer.q.val() >= self.width.q.val() {
                self.state.d.next = bits::<3>(2);
            } else {
                self.timer.d.next = self.timer.q.val() + bits::<8>(1);
            }
        } else {
            self.state.d.next = bits::<3>(0);
        }
    }
}
