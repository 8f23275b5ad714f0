//! PCM-trace controller (`[learning] rule = "pcm_trace"`, see
//! `docs/learning_pcm_trace.md`; golden model
//! `memforge_sim::tile::learn_pcm_trace`), after Demirag et al.
//! (arXiv 2102.07260): the eligibility trace of synapse (r, c) is a PCM
//! device at macro cell (rows + r, c), behind the weight macro's port.
//!
//! - A pre event (the sequencer pops row r, value not 0) opens row r's
//!   coincidence window: `win[r] = learn_trace[7:0]`, one less per decay
//!   tick (`learn_cfg[15:0] + 1` cycles).
//! - A post spike of column c (the sequencer queues it) is captured; when
//!   the sequencer is idle, a pass over the rows, one per cycle, partially
//!   SETs trace (rows + r, c) of every row whose window is open
//!   (amplitude `learn_trace[27:20]`).
//! - A reward (`learn_reward` write with [0] set, sign [1]) is captured;
//!   when the sequencer is idle, a pass READs each trace row rows + r,
//!   latches which columns read above `learn_trace[19:8]`, and for each
//!   such column SETs (reward > 0, `learn_ctrl[2]`) or RESETs (< 0,
//!   `learn_ctrl[3]`) weight (r, c), then RESETs trace (rows + r, c).
//!   A READ that gets no answer within `READ_TIMEOUT` cycles skips the row.
//!
//! A pending reward goes before pending post spikes. After every pulse the
//! controller waits `learn_cfg[31:24]` cycles. The bus protocol (`busy`
//! holds the sequencer, `active` the programmer, one-cycle commands) is the
//! other controllers', so the top composes it the same way.

use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use memforge_spec::blocks::tile;
use memforge_spec::learning_pcm_trace::{ctrl, reward, trace_field, READ_TIMEOUT};
use rust_hdl::prelude::*;

// `learn_trace`'s field offsets are literals in `update`: checked here.
const _: () = assert!(
    trace_field::WINDOW.0 == 0 && trace_field::THRESHOLD.0 == 8 && trace_field::AMP.0 == 20
);

// States: 0 idle, 1 coincidence pass (rows of column `col`), 2 wait after
// a pulse (then `after`), 3 READ trace row, 4 wait for its answer,
// 5 apply (column `col` of the latched row), 6 RESET the trace.

#[derive(Clone, Debug, LogicBlock)]
pub struct LearnPcmTrace {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    /// The tile's init flag: clears the reset-less windows and pending
    /// flags.
    pub init: Signal<In, Bit>,
    /// `learn_ctrl`, `learn_cfg`, `learn_trace`, `learn_reward`.
    pub ctrl: Signal<In, Bits<4>>,
    pub cfg: Signal<In, Bits<32>>,
    pub trace_cfg: Signal<In, Bits<28>>,
    pub reward: Signal<In, Bits<2>>,
    pub pop: Signal<In, Bit>,
    pub pop_row: Signal<In, Bits<8>>,
    pub pop_value: Signal<In, Bits<8>>,
    pub push: Signal<In, Bit>,
    pub push_addr: Signal<In, Bits<8>>,
    pub seq_idle: Signal<In, Bit>,
    pub prog_busy: Signal<In, Bit>,
    pub adc_valid: Signal<In, Bit>,
    /// Whether column `at_col` of the trace row last read was above the
    /// threshold: the top keeps one flag per lane (adc_share = 1: lane c
    /// reads column c), loads them with `clamped > threshold` on `latch`
    /// and selects the one of `at_col` (rust-hdl emits no loop over a
    /// sub-block's `Vec` port, so the flags cannot be ports of this block).
    pub above_sel: Signal<In, Bit>,
    pub at_col: Signal<Out, Bits<8>>,
    pub latch: Signal<Out, Bit>,
    pub threshold: Signal<Out, Bits<12>>,
    pub busy: Signal<Out, Bit>,
    pub active: Signal<Out, Bit>,
    pub count: Signal<Out, Bits<8>>,
    /// Trace partial SETs [7:0], READs [15:8], RESETs [23:16], mod 256.
    pub tcount: Signal<Out, Bits<24>>,
    pub xbar_op: Signal<Out, Bits<2>>,
    pub xbar_row: Signal<Out, Bits<8>>,
    pub xbar_col: Signal<Out, Bits<8>>,
    pub xbar_amp: Signal<Out, Bits<8>>,
    pub xbar_width: Signal<Out, Bits<8>>,
    /// Coincidence windows per row (decay ticks left; reset-less, cleared
    /// by `init`).
    win: Vec<Reg<Bits<8>>>,
    /// Columns whose spike awaits its coincidence pass (cleared by `init`).
    post_pend: Vec<Reg<Bit>>,
    row_id: Vec<Constant<Bits<8>>>,
    col_id: Vec<Constant<Bits<8>>>,
    state: Reg<Bits<3>>,
    after: Reg<Bits<3>>,
    rew_pend: Reg<Bit>,
    rew_neg: Reg<Bit>,
    neg: Reg<Bit>,
    row: Reg<Bits<8>>,
    col: Reg<Bits<8>>,
    timer: Reg<Bits<8>>,
    decay_cnt: Reg<Bits<16>>,
    cnt: Reg<Bits<8>>,
    c_set: Reg<Bits<8>>,
    c_read: Reg<Bits<8>>,
    c_reset: Reg<Bits<8>>,
    op_r: Reg<Bits<2>>,
    row_r: Reg<Bits<8>>,
    col_r: Reg<Bits<8>>,
    amp_r: Reg<Bits<8>>,
    op_set: Constant<Bits<2>>,
    op_reset: Constant<Bits<2>>,
    op_read: Constant<Bits<2>>,
    last_row: Constant<Bits<8>>,
    last_col: Constant<Bits<8>>,
    row_mask: Constant<Bits<8>>,
    col_mask: Constant<Bits<8>>,
    /// First macro row of the trace array (= rows).
    trow_base: Constant<Bits<8>>,
    timeout: Constant<Bits<8>>,
    sh8: Constant<Bits<5>>,
    sh16: Constant<Bits<5>>,
    b_enable: Constant<Bits<2>>,
    b_trace: Constant<Bits<2>>,
    b_ltp: Constant<Bits<2>>,
    b_ltd: Constant<Bits<2>>,
    b_event: Constant<Bits<1>>,
    b_neg: Constant<Bits<1>>,
    rows: Param<usize>,
    cols: Param<usize>,
    enable: Signal<Local, Bit>,
    decay: Signal<Local, Bit>,
    window: Signal<Local, Bits<8>>,
    thr: Signal<Local, Bits<12>>,
    tamp: Signal<Local, Bits<8>>,
    win_sel: Signal<Local, Bits<8>>,
    pend_sel: Signal<Local, Bit>,
    any_post: Signal<Local, Bit>,
    done_col: Signal<Local, Bit>,
    load_above: Signal<Local, Bit>,
    step: Signal<Local, Bit>,
    adv: Signal<Local, Bits<3>>,
    next: Signal<Local, Bits<3>>,
    wpulse: Signal<Local, Bit>,
    fire: Signal<Local, Bit>,
    fire_op: Signal<Local, Bits<2>>,
    fire_row: Signal<Local, Bits<8>>,
    fire_amp: Signal<Local, Bits<8>>,
    fire_after: Signal<Local, Bits<3>>,
    pulse_out: Signal<Local, Bit>,
}

impl LearnPcmTrace {
    pub fn new(rows: u32, cols: u32, style: RegStyle) -> Self {
        let c8 = |v: u32| Constant::new(u64::from(v).to_bits());
        let c2 = |v: u32| Constant::new(u64::from(v).to_bits());
        let c1 = |v: u32| Constant::new(u64::from(v).to_bits());
        let c5 = |v: u32| Constant::new(u64::from(v).to_bits());
        let r8 = || Reg::new(Bits::<8>::default(), style);
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            init: Default::default(),
            ctrl: Default::default(),
            cfg: Default::default(),
            trace_cfg: Default::default(),
            reward: Default::default(),
            pop: Default::default(),
            pop_row: Default::default(),
            pop_value: Default::default(),
            push: Default::default(),
            push_addr: Default::default(),
            seq_idle: Default::default(),
            prog_busy: Default::default(),
            adc_valid: Default::default(),
            above_sel: Default::default(),
            at_col: Default::default(),
            latch: Default::default(),
            threshold: Default::default(),
            busy: Default::default(),
            active: Default::default(),
            count: Default::default(),
            tcount: Default::default(),
            xbar_op: Default::default(),
            xbar_row: Default::default(),
            xbar_col: Default::default(),
            xbar_amp: Default::default(),
            xbar_width: Default::default(),
            win: (0..rows)
                .map(|_| Reg::new_data(Bits::default(), style))
                .collect(),
            post_pend: (0..cols).map(|_| Reg::new_data(false, style)).collect(),
            row_id: (0..rows).map(c8).collect(),
            col_id: (0..cols).map(c8).collect(),
            state: Reg::new(0u64.to_bits(), style),
            // Read only in the wait state, written by the pulse that
            // enters it.
            after: Reg::new_data(0u64.to_bits(), style),
            rew_pend: Reg::new(false, style),
            rew_neg: Reg::new(false, style),
            neg: Reg::new(false, style),
            row: r8(),
            col: r8(),
            timer: Reg::new_data(Bits::<8>::default(), style),
            decay_cnt: Reg::new(0u64.to_bits(), style),
            cnt: r8(),
            c_set: r8(),
            c_read: r8(),
            c_reset: r8(),
            op_r: Reg::new(0u64.to_bits(), style),
            row_r: r8(),
            col_r: r8(),
            amp_r: r8(),
            op_set: Constant::new(u64::from(tile::XBAR_OP_SET).to_bits()),
            op_reset: Constant::new(u64::from(tile::XBAR_OP_RESET).to_bits()),
            op_read: Constant::new(u64::from(tile::XBAR_OP_READ).to_bits()),
            last_row: c8(rows - 1),
            last_col: c8(cols - 1),
            row_mask: c8(rows.next_power_of_two() - 1),
            col_mask: c8(cols.next_power_of_two() - 1),
            trow_base: c8(rows),
            timeout: c8(READ_TIMEOUT),
            sh8: c5(8),
            sh16: c5(16),
            b_enable: c2(ctrl::ENABLE),
            b_trace: c2(ctrl::TRACE),
            b_ltp: c2(ctrl::LTP),
            b_ltd: c2(ctrl::LTD),
            b_event: c1(reward::EVENT),
            b_neg: c1(reward::NEGATIVE),
            rows: Param(rows as usize),
            cols: Param(cols as usize),
            enable: Default::default(),
            decay: Default::default(),
            window: Default::default(),
            thr: Default::default(),
            tamp: Default::default(),
            win_sel: Default::default(),
            pend_sel: Default::default(),
            any_post: Default::default(),
            done_col: Default::default(),
            load_above: Default::default(),
            step: Default::default(),
            adv: Default::default(),
            next: Default::default(),
            wpulse: Default::default(),
            fire: Default::default(),
            fire_op: Default::default(),
            fire_row: Default::default(),
            fire_amp: Default::default(),
            fire_after: Default::default(),
            pulse_out: Default::default(),
        }
    }
}

impl Logic for LearnPcmTrace {
    #[hdl_gen]
    fn update(&mut self) {
        self.state.clock.next = self.clock.val();
        self.state.rst_n.next = self.rst_n.val();
        self.state.d.next = self.state.q.val();
        self.after.clock.next = self.clock.val();
        self.after.rst_n.next = self.rst_n.val();
        self.after.d.next = self.after.q.val();
        self.rew_pend.clock.next = self.clock.val();
        self.rew_pend.rst_n.next = self.rst_n.val();
        self.rew_pend.d.next = self.rew_pend.q.val();
        self.rew_neg.clock.next = self.clock.val();
        self.rew_neg.rst_n.next = self.rst_n.val();
        self.rew_neg.d.next = self.rew_neg.q.val();
        self.neg.clock.next = self.clock.val();
        self.neg.rst_n.next = self.rst_n.val();
        self.neg.d.next = self.neg.q.val();
        self.row.clock.next = self.clock.val();
        self.row.rst_n.next = self.rst_n.val();
        self.row.d.next = self.row.q.val();
        self.col.clock.next = self.clock.val();
        self.col.rst_n.next = self.rst_n.val();
        self.col.d.next = self.col.q.val();
        self.timer.clock.next = self.clock.val();
        self.timer.rst_n.next = self.rst_n.val();
        self.timer.d.next = self.timer.q.val();
        self.decay_cnt.clock.next = self.clock.val();
        self.decay_cnt.rst_n.next = self.rst_n.val();
        self.decay_cnt.d.next = self.decay_cnt.q.val();
        self.cnt.clock.next = self.clock.val();
        self.cnt.rst_n.next = self.rst_n.val();
        self.cnt.d.next = self.cnt.q.val();
        self.c_set.clock.next = self.clock.val();
        self.c_set.rst_n.next = self.rst_n.val();
        self.c_set.d.next = self.c_set.q.val();
        self.c_read.clock.next = self.clock.val();
        self.c_read.rst_n.next = self.rst_n.val();
        self.c_read.d.next = self.c_read.q.val();
        self.c_reset.clock.next = self.clock.val();
        self.c_reset.rst_n.next = self.rst_n.val();
        self.c_reset.d.next = self.c_reset.q.val();
        self.op_r.clock.next = self.clock.val();
        self.op_r.rst_n.next = self.rst_n.val();
        self.row_r.clock.next = self.clock.val();
        self.row_r.rst_n.next = self.rst_n.val();
        self.col_r.clock.next = self.clock.val();
        self.col_r.rst_n.next = self.rst_n.val();
        self.amp_r.clock.next = self.clock.val();
        self.amp_r.rst_n.next = self.rst_n.val();
        // Crossbar commands last one cycle; a pulse carries its amplitude
        // (trace partial SET or weight/trace-RESET code) and the width
        // from `learn_cfg`, a READ neither.
        self.op_r.d.next = bits::<2>(0);
        self.row_r.d.next = bits::<8>(0);
        self.col_r.d.next = bits::<8>(0);
        self.amp_r.d.next = bits::<8>(0);
        self.xbar_op.next = self.op_r.q.val();
        self.xbar_row.next = self.row_r.q.val();
        self.xbar_col.next = self.col_r.q.val();
        self.xbar_amp.next = self.amp_r.q.val();
        self.pulse_out.next =
            (self.op_r.q.val() == self.op_set.val()) | (self.op_r.q.val() == self.op_reset.val());
        self.xbar_width.next = bits::<8>(0);
        if self.pulse_out.val() {
            self.xbar_width.next = self.cfg.val().get_bits::<8>(24);
        }
        self.count.next = self.cnt.q.val();
        self.tcount.next = (bit_cast::<24, 8>(self.c_reset.q.val()) << self.sh16.val())
            | (bit_cast::<24, 8>(self.c_read.q.val()) << self.sh8.val())
            | bit_cast::<24, 8>(self.c_set.q.val());

        self.enable.next = self.ctrl.val().get_bit(self.b_enable.val().index());
        self.window.next = self.trace_cfg.val().get_bits::<8>(0);
        self.thr.next = self.trace_cfg.val().get_bits::<12>(8);
        self.tamp.next = self.trace_cfg.val().get_bits::<8>(20);
        self.threshold.next = self.thr.val();
        self.at_col.next = self.col.q.val();

        // Decay ticks.
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

        // What the passes look at.
        self.win_sel.next = bits::<8>(0);
        for i in 0..self.rows.0 {
            if self.row.q.val() == self.row_id[i].val() {
                self.win_sel.next = self.win[i].q.val();
            }
        }
        self.pend_sel.next = false;
        self.any_post.next = false;
        for i in 0..self.cols.0 {
            if self.col.q.val() == self.col_id[i].val() {
                self.pend_sel.next = self.post_pend[i].q.val();
            }
            if self.post_pend[i].q.val() {
                self.any_post.next = true;
            }
        }
        self.busy.next =
            (self.state.q.val() != bits::<3>(0)) | self.any_post.val() | self.rew_pend.q.val();
        self.active.next = self.state.q.val() != bits::<3>(0);

        // The next cell of a reward pass (apply without a pulse, or after
        // the trace RESET): the next column, else the next row's READ,
        // else idle.
        self.step.next = ((self.state.q.val() == bits::<3>(5)) & !self.above_sel.val())
            | (self.state.q.val() == bits::<3>(6));
        self.adv.next = bits::<3>(5);
        if self.step.val() {
            if self.col.q.val() == self.last_col.val() {
                self.col.d.next = bits::<8>(0);
                if self.row.q.val() == self.last_row.val() {
                    self.adv.next = bits::<3>(0);
                } else {
                    self.row.d.next = (self.row.q.val() + bits::<8>(1)) & self.row_mask.val();
                    self.adv.next = bits::<3>(3);
                }
            } else {
                self.col.d.next = (self.col.q.val() + bits::<8>(1)) & self.col_mask.val();
            }
        }

        self.fire.next = false;
        self.fire_op.next = self.op_set.val();
        self.fire_row.next = self.row.q.val();
        self.fire_amp.next = self.cfg.val().get_bits::<8>(16);
        self.fire_after.next = bits::<3>(0);
        self.done_col.next = false;
        self.load_above.next = false;
        self.next.next = self.state.q.val();
        self.wpulse.next = false;
        if self.state.q.val() == bits::<3>(0) {
            if self.seq_idle.val() & !self.prog_busy.val() {
                if self.rew_pend.q.val() {
                    self.row.d.next = bits::<8>(0);
                    self.col.d.next = bits::<8>(0);
                    self.neg.d.next = self.rew_neg.q.val();
                    self.rew_pend.d.next = false;
                    self.state.d.next = bits::<3>(3);
                } else if self.any_post.val() {
                    self.row.d.next = bits::<8>(0);
                    self.col.d.next = bits::<8>(0);
                    self.state.d.next = bits::<3>(1);
                }
            }
        } else if self.state.q.val() == bits::<3>(1) {
            if !self.pend_sel.val() {
                if self.col.q.val() == self.last_col.val() {
                    self.state.d.next = bits::<3>(0);
                } else {
                    self.col.d.next = (self.col.q.val() + bits::<8>(1)) & self.col_mask.val();
                }
            } else {
                self.fire.next = self.ctrl.val().get_bit(self.b_trace.val().index())
                    & (self.win_sel.val() != bits::<8>(0));
                if self.row.q.val() == self.last_row.val() {
                    self.done_col.next = true;
                    self.row.d.next = bits::<8>(0);
                    if self.col.q.val() == self.last_col.val() {
                        self.next.next = bits::<3>(0);
                    } else {
                        self.col.d.next = (self.col.q.val() + bits::<8>(1)) & self.col_mask.val();
                        self.next.next = bits::<3>(1);
                    }
                } else {
                    self.row.d.next = (self.row.q.val() + bits::<8>(1)) & self.row_mask.val();
                    self.next.next = bits::<3>(1);
                }
                self.state.d.next = self.next.val();
                self.fire_row.next = self.row.q.val() + self.trow_base.val();
                self.fire_amp.next = self.tamp.val();
                self.fire_after.next = self.next.val();
                if self.fire.val() {
                    self.c_set.d.next = self.c_set.q.val() + bits::<8>(1);
                }
            }
        } else if self.state.q.val() == bits::<3>(2) {
            if self.timer.q.val() >= self.cfg.val().get_bits::<8>(24) {
                self.state.d.next = self.after.q.val();
            } else {
                self.timer.d.next = self.timer.q.val() + bits::<8>(1);
            }
        } else if self.state.q.val() == bits::<3>(3) {
            self.op_r.d.next = self.op_read.val();
            self.row_r.d.next = self.row.q.val() + self.trow_base.val();
            self.timer.d.next = bits::<8>(0);
            self.c_read.d.next = self.c_read.q.val() + bits::<8>(1);
            self.state.d.next = bits::<3>(4);
        } else if self.state.q.val() == bits::<3>(4) {
            if self.adc_valid.val() {
                self.load_above.next = true;
                self.col.d.next = bits::<8>(0);
                self.state.d.next = bits::<3>(5);
            } else if self.timer.q.val() == self.timeout.val() {
                if self.row.q.val() == self.last_row.val() {
                    self.state.d.next = bits::<3>(0);
                } else {
                    self.row.d.next = (self.row.q.val() + bits::<8>(1)) & self.row_mask.val();
                    self.state.d.next = bits::<3>(3);
                }
            } else {
                self.timer.d.next = self.timer.q.val() + bits::<8>(1);
            }
        } else if self.state.q.val() == bits::<3>(5) {
            if self.above_sel.val() {
                self.wpulse.next = (self.ctrl.val().get_bit(self.b_ltp.val().index())
                    & !self.neg.q.val())
                    | (self.ctrl.val().get_bit(self.b_ltd.val().index()) & self.neg.q.val());
                if self.wpulse.val() {
                    self.fire.next = true;
                    if self.neg.q.val() {
                        self.fire_op.next = self.op_reset.val();
                    }
                    self.fire_after.next = bits::<3>(6);
                    self.cnt.d.next = self.cnt.q.val() + bits::<8>(1);
                } else {
                    self.state.d.next = bits::<3>(6);
                }
            } else {
                self.state.d.next = self.adv.val();
            }
        } else {
            self.fire.next = true;
            self.fire_op.next = self.op_reset.val();
            self.fire_row.next = self.row.q.val() + self.trow_base.val();
            self.fire_after.next = self.adv.val();
            self.c_reset.d.next = self.c_reset.q.val() + bits::<8>(1);
        }
        if self.fire.val() {
            self.op_r.d.next = self.fire_op.val();
            self.row_r.d.next = self.fire_row.val();
            self.col_r.d.next = self.col.q.val();
            self.amp_r.d.next = self.fire_amp.val();
            self.timer.d.next = bits::<8>(0);
            self.after.d.next = self.fire_after.val();
            self.state.d.next = bits::<3>(2);
        }

        self.latch.next = self.load_above.val();

        // A reward write (after the idle state's clear: a reward during a
        // pass runs another after it; the last sign written counts).
        if self.enable.val() & self.reward.val().get_bit(self.b_event.val().index()) {
            self.rew_pend.d.next = true;
            self.rew_neg.d.next = self.reward.val().get_bit(self.b_neg.val().index());
        }

        // Windows and pending spikes.
        for i in 0..self.rows.0 {
            self.win[i].clock.next = self.clock.val();
            self.win[i].rst_n.next = self.rst_n.val();
            self.win[i].d.next = self.win[i].q.val();
            if self.decay.val() & (self.win[i].q.val() != bits::<8>(0)) {
                self.win[i].d.next = self.win[i].q.val() - bits::<8>(1);
            }
            if self.enable.val()
                & self.pop.val()
                & (self.pop_value.val() != bits::<8>(0))
                & ((self.pop_row.val() & self.row_mask.val()) == self.row_id[i].val())
            {
                self.win[i].d.next = self.window.val();
            }
            if self.init.val() {
                self.win[i].d.next = bits::<8>(0);
            }
        }
        for i in 0..self.cols.0 {
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
