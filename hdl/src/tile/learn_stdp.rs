//! Pair-based STDP controller (`[learning] rule = "stdp"`, see
//! `docs/learning.md`; golden model `memforge_sim::tile::learn_stdp`).
//!
//! It keeps a `trace_bits` pre trace per row and post trace per column.
//! It captures the row of every input event the sequencer pops (value not
//! 0) and the column of every spike it queues; when the sequencer is idle
//! again (and no programming request is busy) it takes the crossbar bus:
//! - depression pass, one column per cycle: RESET (pre row, c) when
//!   `post[c]` gates; then `pre[row]` is loaded with all ones;
//! - potentiation pass, one column per cycle, and for a column that spiked
//!   one row per cycle: SET (r, c) when `pre[r]` gates; then `post[c]` is
//!   loaded with all ones.
//!
//! A trace gates when it is not zero (deterministic) or, with
//! `learn_ctrl[1]`, when the low `trace_bits` of a free-running 16-bit
//! Galois LFSR, stepped `trace_bits` times per cycle, are below it
//! (probability trace / 2^trace_bits). After a
//! pulse the controller waits `width` cycles. While it has captured work
//! the sequencer takes no event (`busy`); while it drives the bus the
//! programmer waits (`active`). Every `learn_cfg[15:0] + 1` cycles all traces
//! shift right by one (a trace written in the same cycle takes the written
//! value).

use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use memforge_spec::blocks::tile;
use memforge_spec::learning::ctrl;
use rust_hdl::prelude::*;

// States: 0 idle, 1 depression pass, 2 potentiation pass, 3 wait after a
// pulse (then `after`).

#[derive(Clone, Debug, LogicBlock)]
pub struct LearnStdp {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    /// The tile's init flag (high in reset and for the first edge after
    /// it): clears the reset-less traces.
    pub init: Signal<In, Bit>,
    /// `learn_ctrl`; `learn_cfg`: decay period [15:0], pulse amplitude
    /// [23:16], width [31:24].
    pub ctrl: Signal<In, Bits<4>>,
    pub cfg: Signal<In, Bits<32>>,
    pub pop: Signal<In, Bit>,
    pub pop_row: Signal<In, Bits<8>>,
    pub pop_value: Signal<In, Bits<8>>,
    pub push: Signal<In, Bit>,
    pub push_addr: Signal<In, Bits<8>>,
    pub seq_idle: Signal<In, Bit>,
    pub prog_busy: Signal<In, Bit>,
    pub busy: Signal<Out, Bit>,
    pub active: Signal<Out, Bit>,
    pub count: Signal<Out, Bits<8>>,
    pub xbar_op: Signal<Out, Bits<2>>,
    pub xbar_row: Signal<Out, Bits<8>>,
    pub xbar_col: Signal<Out, Bits<8>>,
    pub xbar_amp: Signal<Out, Bits<8>>,
    pub xbar_width: Signal<Out, Bits<8>>,
    /// The traces: no reset (a `dfxtp`, 5 µm² less per bit than a
    /// `dfrtp`); `init`, high in reset and for the first edge after it,
    /// clears them through `d` as it clears the neurons' state. The bits
    /// above `trace_bits` stay 0, so synthesis drops their flip-flops.
    pre: Vec<Reg<Bits<8>>>,
    post: Vec<Reg<Bits<8>>>,
    /// The columns that spiked (potentiation pending): reset-less and
    /// cleared by `init` too.
    post_pend: Vec<Reg<Bit>>,
    row_id: Vec<Constant<Bits<8>>>,
    col_id: Vec<Constant<Bits<8>>>,
    state: Reg<Bits<2>>,
    after: Reg<Bits<2>>,
    pre_pend: Reg<Bit>,
    pre_row: Reg<Bits<8>>,
    col: Reg<Bits<8>>,
    row: Reg<Bits<8>>,
    timer: Reg<Bits<8>>,
    decay_cnt: Reg<Bits<16>>,
    lfsr: Reg<Bits<16>>,
    cnt: Reg<Bits<8>>,
    op_r: Reg<Bits<2>>,
    row_r: Reg<Bits<8>>,
    col_r: Reg<Bits<8>>,
    op_set: Constant<Bits<2>>,
    op_reset: Constant<Bits<2>>,
    taps: Constant<Bits<16>>,
    last_row: Constant<Bits<8>>,
    last_col: Constant<Bits<8>>,
    /// Cover every row (column) index: the index registers' bits above
    /// are then constant 0 and synthesis drops their flip-flops (and
    /// narrows the row/column decoders and the trace selects).
    row_mask: Constant<Bits<8>>,
    col_mask: Constant<Bits<8>>,
    max: Constant<Bits<8>>,
    b_enable: Constant<Bits<2>>,
    b_stoch: Constant<Bits<2>>,
    b_ltp: Constant<Bits<2>>,
    b_ltd: Constant<Bits<2>>,
    rows: Param<usize>,
    cols: Param<usize>,
    /// LFSR steps per cycle: `trace_bits`, so that the draws of two
    /// consecutive cycles share no bit (one step per cycle made a draw
    /// after a failed one biased upwards: fewer pulses than
    /// trace/2^trace_bits, up to 35 % fewer for a trace of 1).
    steps: Param<usize>,
    lf: Signal<Local, Bits<16>>,
    // Per-cycle decisions.
    enable: Signal<Local, Bit>,
    stoch: Signal<Local, Bit>,
    decay: Signal<Local, Bit>,
    draw: Signal<Local, Bits<8>>,
    pre_sel: Signal<Local, Bits<8>>,
    post_sel: Signal<Local, Bits<8>>,
    pend_sel: Signal<Local, Bit>,
    any_post: Signal<Local, Bit>,
    load_pre: Signal<Local, Bit>,
    done_col: Signal<Local, Bit>,
    fire: Signal<Local, Bit>,
    next: Signal<Local, Bits<2>>,
}

impl LearnStdp {
    pub fn new(rows: u32, cols: u32, trace_bits: u32, style: RegStyle) -> Self {
        let max = (1u32 << trace_bits) - 1;
        let c8 = |v: u32| Constant::new(u64::from(v).to_bits());
        let c2 = |v: u32| Constant::new(u64::from(v).to_bits());
        let r8 = || Reg::new(Bits::<8>::default(), style);
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            init: Default::default(),
            ctrl: Default::default(),
            cfg: Default::default(),
            pop: Default::default(),
            pop_row: Default::default(),
            pop_value: Default::default(),
            push: Default::default(),
            push_addr: Default::default(),
            seq_idle: Default::default(),
            prog_busy: Default::default(),
            busy: Default::default(),
            active: Default::default(),
            count: Default::default(),
            xbar_op: Default::default(),
            xbar_row: Default::default(),
            xbar_col: Default::default(),
            xbar_amp: Default::default(),
            xbar_width: Default::default(),
            pre: (0..rows)
                .map(|_| Reg::new_data(Bits::default(), style))
                .collect(),
            post: (0..cols)
                .map(|_| Reg::new_data(Bits::default(), style))
                .collect(),
            post_pend: (0..cols).map(|_| Reg::new_data(false, style)).collect(),
            row_id: (0..rows).map(c8).collect(),
            col_id: (0..cols).map(c8).collect(),
            state: Reg::new(0u64.to_bits(), style),
            // Read only in the wait state, written by the pulse that
            // enters it: no reset needed.
            after: Reg::new_data(0u64.to_bits(), style),
            pre_pend: Reg::new(false, style),
            pre_row: r8(),
            col: r8(),
            row: r8(),
            timer: Reg::new_data(Bits::<8>::default(), style),
            decay_cnt: Reg::new(0u64.to_bits(), style),
            lfsr: Reg::new(0xACE1u64.to_bits(), style),
            cnt: r8(),
            op_r: Reg::new(0u64.to_bits(), style),
            row_r: r8(),
            col_r: r8(),
            op_set: Constant::new(u64::from(tile::XBAR_OP_SET).to_bits()),
            op_reset: Constant::new(u64::from(tile::XBAR_OP_RESET).to_bits()),
            taps: Constant::new(0xB400u64.to_bits()),
            last_row: c8(rows - 1),
            last_col: c8(cols - 1),
            row_mask: c8(rows.next_power_of_two() - 1),
            col_mask: c8(cols.next_power_of_two() - 1),
            max: c8(max),
            b_enable: c2(ctrl::ENABLE),
            b_stoch: c2(ctrl::STOCHASTIC),
            b_ltp: c2(ctrl::LTP),
            b_ltd: c2(ctrl::LTD),
            rows: Param(rows as usize),
            cols: Param(cols as usize),
            steps: Param(trace_bits as usize),
            lf: Default::default(),
            enable: Default::default(),
            stoch: Default::default(),
            decay: Default::default(),
            draw: Default::default(),
            pre_sel: Default::default(),
            post_sel: Default::default(),
            pend_sel: Default::default(),
            any_post: Default::default(),
            load_pre: Default::default(),
            done_col: Default::default(),
            fire: Default::default(),
            next: Default::default(),
        }
    }
}

impl Logic for LearnStdp {
    #[hdl_gen]
    fn update(&mut self) {
        self.state.clock.next = self.clock.val();
        self.state.rst_n.next = self.rst_n.val();
        self.state.d.next = self.state.q.val();
        self.after.clock.next = self.clock.val();
        self.after.rst_n.next = self.rst_n.val();
        self.after.d.next = self.after.q.val();
        self.pre_pend.clock.next = self.clock.val();
        self.pre_pend.rst_n.next = self.rst_n.val();
        self.pre_pend.d.next = self.pre_pend.q.val();
        self.pre_row.clock.next = self.clock.val();
        self.pre_row.rst_n.next = self.rst_n.val();
        self.pre_row.d.next = self.pre_row.q.val();
        self.col.clock.next = self.clock.val();
        self.col.rst_n.next = self.rst_n.val();
        self.col.d.next = self.col.q.val();
        self.row.clock.next = self.clock.val();
        self.row.rst_n.next = self.rst_n.val();
        self.row.d.next = self.row.q.val();
        self.timer.clock.next = self.clock.val();
        self.timer.rst_n.next = self.rst_n.val();
        self.timer.d.next = self.timer.q.val();
        self.decay_cnt.clock.next = self.clock.val();
        self.decay_cnt.rst_n.next = self.rst_n.val();
        self.decay_cnt.d.next = self.decay_cnt.q.val();
        self.lfsr.clock.next = self.clock.val();
        self.lfsr.rst_n.next = self.rst_n.val();
        self.cnt.clock.next = self.clock.val();
        self.cnt.rst_n.next = self.rst_n.val();
        self.cnt.d.next = self.cnt.q.val();
        self.op_r.clock.next = self.clock.val();
        self.op_r.rst_n.next = self.rst_n.val();
        self.row_r.clock.next = self.clock.val();
        self.row_r.rst_n.next = self.rst_n.val();
        self.col_r.clock.next = self.clock.val();
        self.col_r.rst_n.next = self.rst_n.val();
        // Crossbar commands last one cycle.
        self.op_r.d.next = bits::<2>(0);
        self.row_r.d.next = bits::<8>(0);
        self.col_r.d.next = bits::<8>(0);
        self.xbar_op.next = self.op_r.q.val();
        self.xbar_row.next = self.row_r.q.val();
        self.xbar_col.next = self.col_r.q.val();
        // Amplitude and width come straight from `learn_cfg` (a register)
        // while a command is on the bus: no flip-flops of their own.
        self.xbar_amp.next = bits::<8>(0);
        self.xbar_width.next = bits::<8>(0);
        if self.op_r.q.val() != bits::<2>(0) {
            self.xbar_amp.next = self.cfg.val().get_bits::<8>(16);
            self.xbar_width.next = self.cfg.val().get_bits::<8>(24);
        }
        self.count.next = self.cnt.q.val();

        // Free-running Galois LFSR, `trace_bits` steps per cycle.
        self.lf.next = self.lfsr.q.val();
        for _k in 0..self.steps.0 {
            if self.lf.val().get_bit(0) {
                self.lf.next = (self.lf.val() >> 1) ^ self.taps.val();
            } else {
                self.lf.next = self.lf.val() >> 1;
            }
        }
        self.lfsr.d.next = self.lf.val();
        self.draw.next = self.lfsr.q.val().get_bits::<8>(0) & self.max.val();
        self.enable.next = self.ctrl.val().get_bit(self.b_enable.val().index());
        self.stoch.next = self.ctrl.val().get_bit(self.b_stoch.val().index());

        // Decay timer.
        self.decay.next = false;
        if self.enable.val() {
            if self.decay_cnt.q.val() == self.cfg.val().get_bits::<16>(0) {
                self.decay_cnt.d.next = bits::<16>(0);
                self.decay.next = true;
            } else {
                self.decay_cnt.d.next = self.decay_cnt.q.val() + bits::<16>(1);
            }
        } else {
            self.decay_cnt.d.next = bits::<16>(0);
        }

        // The traces and pending flag the passes look at.
        self.pre_sel.next = bits::<8>(0);
        for i in 0..self.rows.0 {
            if self.row.q.val() == self.row_id[i].val() {
                self.pre_sel.next = self.pre[i].q.val();
            }
        }
        self.post_sel.next = bits::<8>(0);
        self.pend_sel.next = false;
        self.any_post.next = false;
        for i in 0..self.cols.0 {
            if self.col.q.val() == self.col_id[i].val() {
                self.post_sel.next = self.post[i].q.val();
                self.pend_sel.next = self.post_pend[i].q.val();
            }
            if self.post_pend[i].q.val() {
                self.any_post.next = true;
            }
        }
        self.busy.next =
            (self.state.q.val() != bits::<2>(0)) | self.pre_pend.q.val() | self.any_post.val();
        self.active.next = self.state.q.val() != bits::<2>(0);

        // Capture (the sequencer pops and pushes only while we are idle).
        if self.enable.val() & self.pop.val() & (self.pop_value.val() != bits::<8>(0)) {
            self.pre_pend.d.next = true;
            self.pre_row.d.next = self.pop_row.val() & self.row_mask.val();
        }

        // The passes.
        self.load_pre.next = false;
        self.done_col.next = false;
        self.fire.next = false;
        self.next.next = self.state.q.val();
        if self.state.q.val() == bits::<2>(0) {
            if (self.pre_pend.q.val() | self.any_post.val())
                & self.seq_idle.val()
                & !self.prog_busy.val()
            {
                self.col.d.next = bits::<8>(0);
                self.row.d.next = bits::<8>(0);
                if self.pre_pend.q.val() {
                    self.state.d.next = bits::<2>(1);
                } else {
                    self.state.d.next = bits::<2>(2);
                }
            }
        } else if self.state.q.val() == bits::<2>(1) {
            self.fire.next = self.ctrl.val().get_bit(self.b_ltd.val().index())
                & (self.post_sel.val() != bits::<8>(0))
                & (!self.stoch.val() | (self.draw.val() < self.post_sel.val()));
            if self.col.q.val() == self.last_col.val() {
                self.load_pre.next = true;
                self.pre_pend.d.next = false;
                self.col.d.next = bits::<8>(0);
                self.next.next = bits::<2>(2);
            } else {
                self.col.d.next = (self.col.q.val() + bits::<8>(1)) & self.col_mask.val();
                self.next.next = bits::<2>(1);
            }
            self.state.d.next = self.next.val();
            if self.fire.val() {
                self.op_r.d.next = self.op_reset.val();
                self.row_r.d.next = self.pre_row.q.val();
                self.col_r.d.next = self.col.q.val();
            }
        } else if self.state.q.val() == bits::<2>(2) {
            if !self.pend_sel.val() {
                if self.col.q.val() == self.last_col.val() {
                    self.state.d.next = bits::<2>(0);
                } else {
                    self.col.d.next = (self.col.q.val() + bits::<8>(1)) & self.col_mask.val();
                }
            } else {
                self.fire.next = self.ctrl.val().get_bit(self.b_ltp.val().index())
                    & (self.pre_sel.val() != bits::<8>(0))
                    & (!self.stoch.val() | (self.draw.val() < self.pre_sel.val()));
                if self.row.q.val() == self.last_row.val() {
                    self.done_col.next = true;
                    self.row.d.next = bits::<8>(0);
                    if self.col.q.val() == self.last_col.val() {
                        self.next.next = bits::<2>(0);
                    } else {
                        self.col.d.next = (self.col.q.val() + bits::<8>(1)) & self.col_mask.val();
                        self.next.next = bits::<2>(2);
                    }
                } else {
                    self.row.d.next = (self.row.q.val() + bits::<8>(1)) & self.row_mask.val();
                    self.next.next = bits::<2>(2);
                }
                self.state.d.next = self.next.val();
                if self.fire.val() {
                    self.op_r.d.next = self.op_set.val();
                    self.row_r.d.next = self.row.q.val();
                    self.col_r.d.next = self.col.q.val();
                }
            }
        } else {
            if self.timer.q.val() >= self.cfg.val().get_bits::<8>(24) {
                self.state.d.next = self.after.q.val();
            } else {
                self.timer.d.next = self.timer.q.val() + bits::<8>(1);
            }
        }
        if self.fire.val() {
            self.timer.d.next = bits::<8>(0);
            self.after.d.next = self.next.val();
            self.state.d.next = bits::<2>(3);
            self.cnt.d.next = self.cnt.q.val() + bits::<8>(1);
        }

        // Trace and pending-flag writes.
        for i in 0..self.rows.0 {
            self.pre[i].clock.next = self.clock.val();
            self.pre[i].rst_n.next = self.rst_n.val();
            self.pre[i].d.next = self.pre[i].q.val() & self.max.val();
            if self.decay.val() {
                self.pre[i].d.next = (self.pre[i].q.val() >> 1) & self.max.val();
            }
            if self.load_pre.val() & (self.pre_row.q.val() == self.row_id[i].val()) {
                self.pre[i].d.next = self.max.val();
            }
            if self.init.val() {
                self.pre[i].d.next = bits::<8>(0);
            }
        }
        for i in 0..self.cols.0 {
            self.post[i].clock.next = self.clock.val();
            self.post[i].rst_n.next = self.rst_n.val();
            self.post[i].d.next = self.post[i].q.val() & self.max.val();
            if self.decay.val() {
                self.post[i].d.next = (self.post[i].q.val() >> 1) & self.max.val();
            }
            if self.done_col.val() & (self.col.q.val() == self.col_id[i].val()) {
                self.post[i].d.next = self.max.val();
            }
            if self.init.val() {
                self.post[i].d.next = bits::<8>(0);
            }
            self.post_pend[i].clock.next = self.clock.val();
            self.post_pend[i].rst_n.next = self.rst_n.val();
            self.post_pend[i].d.next = self.post_pend[i].q.val();
            if self.done_col.val() & (self.col.q.val() == self.col_id[i].val()) {
                self.post_pend[i].d.next = false;
            }
            if self.enable.val() & self.push.val() & (self.push_addr.val() == self.col_id[i].val())
            {
                self.post_pend[i].d.next = true;
            }
            if self.init.val() {
                self.post_pend[i].d.next = false;
            }
        }
    }
}
