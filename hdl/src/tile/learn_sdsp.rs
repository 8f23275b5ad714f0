//! SDSP controller (`[learning] rule = "sdsp"`, see `docs/learning.md`;
//! golden model `memforge_sim::tile::learn_sdsp`), after ODIN's
//! `sdsp_update.v` and `lif_calcium.v`, with SET/RESET pulses on the
//! crossbar instead of a 3-bit weight counter.
//!
//! It keeps a 3-bit calcium variable per column: +1 (saturating) when the
//! sequencer queues the column's spike, -1 (down to 0) every
//! `learn_ca[13:9]` decay ticks (a decay tick every `learn_cfg[15:0] + 1`
//! cycles). It captures the row of every input event the sequencer pops
//! (value not 0); when the sequencer is idle again (and no programming
//! request is busy) it takes the crossbar bus for one pass, one column per
//! cycle, reading the column's membrane potential `vmem` (the top muxes the
//! lane member named by `col`):
//! - SET (row, c) when `vmem >= theta_m` and `theta_1 <= Ca[c] < theta_3`,
//! - RESET (row, c) when `vmem < theta_m` and `theta_1 <= Ca[c] < theta_2`,
//!
//! with `learn_ctrl[2]` / `[3]` enabling each and, stochastic
//! (`learn_ctrl[1]`), only when the low 4 bits of the free-running LFSR
//! (the STDP controller's, stepped 4 times per cycle) are `<=
//! learn_ca[17:14]`. After a pulse the controller waits `width` cycles, as
//! the STDP controller and the write-verify programmer do. The bus
//! protocol (`busy`, `active`, one-cycle commands, amplitude and width
//! from `learn_cfg`) is the STDP controller's, so the top composes both
//! the same way.

use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use memforge_spec::blocks::tile;
use memforge_spec::learning::ctrl;
use memforge_spec::learning_sdsp::{ca_field, CA_MAX};

// `learn_ca`'s field offsets are literals in `update` (rust-hdl emits a
// slice of a shifted expression as invalid Verilog): checked here.
const _: () = assert!(
    ca_field::THETA_1.0 == 0
        && ca_field::THETA_2.0 == 3
        && ca_field::THETA_3.0 == 6
        && ca_field::LEAK.0 == 9
        && ca_field::PROB.0 == 14
);
use rust_hdl::prelude::*;

/// The LFSR draw is 4 bits wide; 4 steps per cycle make the draws of two
/// consecutive cycles disjoint (see the STDP controller).
const DRAW_BITS: usize = 4;

// States: 0 idle, 1 pass over the columns, 2 wait after a pulse (then
// back to the pass, or idle after the last column).

#[derive(Clone, Debug, LogicBlock)]
pub struct LearnSdsp {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    /// The tile's init flag: clears the reset-less calcium.
    pub init: Signal<In, Bit>,
    /// `learn_ctrl`, `learn_cfg` (decay period [15:0], pulse amplitude
    /// [23:16], width [31:24]), `learn_vm` (theta_m), `learn_ca`.
    pub ctrl: Signal<In, Bits<4>>,
    pub cfg: Signal<In, Bits<32>>,
    pub vm: Signal<In, Bits<16>>,
    pub ca_cfg: Signal<In, Bits<18>>,
    pub pop: Signal<In, Bit>,
    pub pop_row: Signal<In, Bits<8>>,
    pub pop_value: Signal<In, Bits<8>>,
    pub push: Signal<In, Bit>,
    pub push_addr: Signal<In, Bits<8>>,
    pub seq_idle: Signal<In, Bit>,
    pub prog_busy: Signal<In, Bit>,
    /// The membrane potential of column `col` (the top reads it through
    /// the lanes' probes).
    pub vmem: Signal<In, Bits<16>>,
    /// The column the pass is at (the top selects its potential).
    pub col: Signal<Out, Bits<8>>,
    pub busy: Signal<Out, Bit>,
    pub active: Signal<Out, Bit>,
    pub count: Signal<Out, Bits<8>>,
    pub xbar_op: Signal<Out, Bits<2>>,
    pub xbar_row: Signal<Out, Bits<8>>,
    pub xbar_col: Signal<Out, Bits<8>>,
    pub xbar_amp: Signal<Out, Bits<8>>,
    pub xbar_width: Signal<Out, Bits<8>>,
    /// The calcium: no reset (cleared through `d` by `init`, as the
    /// neurons' state and the STDP traces are).
    ca: Vec<Reg<Bits<3>>>,
    col_id: Vec<Constant<Bits<8>>>,
    state: Reg<Bits<2>>,
    pre_pend: Reg<Bit>,
    pre_row: Reg<Bits<8>>,
    col_r: Reg<Bits<8>>,
    timer: Reg<Bits<8>>,
    decay_cnt: Reg<Bits<16>>,
    leak_cnt: Reg<Bits<5>>,
    lfsr: Reg<Bits<16>>,
    cnt: Reg<Bits<8>>,
    op_r: Reg<Bits<2>>,
    xrow_r: Reg<Bits<8>>,
    xcol_r: Reg<Bits<8>>,
    op_set: Constant<Bits<2>>,
    op_reset: Constant<Bits<2>>,
    taps: Constant<Bits<16>>,
    last_col: Constant<Bits<8>>,
    row_mask: Constant<Bits<8>>,
    col_mask: Constant<Bits<8>>,
    ca_max: Constant<Bits<3>>,
    b_enable: Constant<Bits<2>>,
    b_stoch: Constant<Bits<2>>,
    b_ltp: Constant<Bits<2>>,
    b_ltd: Constant<Bits<2>>,
    cols: Param<usize>,
    steps: Param<usize>,
    lf: Signal<Local, Bits<16>>,
    enable: Signal<Local, Bit>,
    stoch: Signal<Local, Bit>,
    decay: Signal<Local, Bit>,
    ca_tick: Signal<Local, Bit>,
    ca_leak: Signal<Local, Bits<5>>,
    th1: Signal<Local, Bits<3>>,
    th2: Signal<Local, Bits<3>>,
    th3: Signal<Local, Bits<3>>,
    prob: Signal<Local, Bits<4>>,
    draw: Signal<Local, Bits<4>>,
    ca_sel: Signal<Local, Bits<3>>,
    vm_ge: Signal<Local, Bit>,
    gate: Signal<Local, Bit>,
    up: Signal<Local, Bit>,
    down: Signal<Local, Bit>,
    last: Signal<Local, Bit>,
}

impl LearnSdsp {
    pub fn new(rows: u32, cols: u32, style: RegStyle) -> Self {
        let c8 = |v: u32| Constant::new(u64::from(v).to_bits());
        let c2 = |v: u32| Constant::new(u64::from(v).to_bits());
        let r8 = || Reg::new(Bits::<8>::default(), style);
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            init: Default::default(),
            ctrl: Default::default(),
            cfg: Default::default(),
            vm: Default::default(),
            ca_cfg: Default::default(),
            pop: Default::default(),
            pop_row: Default::default(),
            pop_value: Default::default(),
            push: Default::default(),
            push_addr: Default::default(),
            seq_idle: Default::default(),
            prog_busy: Default::default(),
            vmem: Default::default(),
            col: Default::default(),
            busy: Default::default(),
            active: Default::default(),
            count: Default::default(),
            xbar_op: Default::default(),
            xbar_row: Default::default(),
            xbar_col: Default::default(),
            xbar_amp: Default::default(),
            xbar_width: Default::default(),
            ca: (0..cols)
                .map(|_| Reg::new_data(Bits::default(), style))
                .collect(),
            col_id: (0..cols).map(c8).collect(),
            state: Reg::new(0u64.to_bits(), style),
            pre_pend: Reg::new(false, style),
            pre_row: r8(),
            col_r: r8(),
            // Written by the pulse that enters the wait state, read only
            // in it: no reset needed.
            timer: Reg::new_data(Bits::<8>::default(), style),
            decay_cnt: Reg::new(0u64.to_bits(), style),
            leak_cnt: Reg::new(0u64.to_bits(), style),
            lfsr: Reg::new(0xACE1u64.to_bits(), style),
            cnt: r8(),
            op_r: Reg::new(0u64.to_bits(), style),
            xrow_r: r8(),
            xcol_r: r8(),
            op_set: Constant::new(u64::from(tile::XBAR_OP_SET).to_bits()),
            op_reset: Constant::new(u64::from(tile::XBAR_OP_RESET).to_bits()),
            taps: Constant::new(0xB400u64.to_bits()),
            last_col: c8(cols - 1),
            row_mask: c8(rows.next_power_of_two() - 1),
            col_mask: c8(cols.next_power_of_two() - 1),
            ca_max: Constant::new(u64::from(CA_MAX).to_bits()),
            b_enable: c2(ctrl::ENABLE),
            b_stoch: c2(ctrl::STOCHASTIC),
            b_ltp: c2(ctrl::LTP),
            b_ltd: c2(ctrl::LTD),
            cols: Param(cols as usize),
            steps: Param(DRAW_BITS),
            lf: Default::default(),
            enable: Default::default(),
            stoch: Default::default(),
            decay: Default::default(),
            ca_tick: Default::default(),
            ca_leak: Default::default(),
            th1: Default::default(),
            th2: Default::default(),
            th3: Default::default(),
            prob: Default::default(),
            draw: Default::default(),
            ca_sel: Default::default(),
            vm_ge: Default::default(),
            gate: Default::default(),
            up: Default::default(),
            down: Default::default(),
            last: Default::default(),
        }
    }
}

impl Logic for LearnSdsp {
    #[hdl_gen]
    fn update(&mut self) {
        self.state.clock.next = self.clock.val();
        self.state.rst_n.next = self.rst_n.val();
        self.state.d.next = self.state.q.val();
        self.pre_pend.clock.next = self.clock.val();
        self.pre_pend.rst_n.next = self.rst_n.val();
        self.pre_pend.d.next = self.pre_pend.q.val();
        self.pre_row.clock.next = self.clock.val();
        self.pre_row.rst_n.next = self.rst_n.val();
        self.pre_row.d.next = self.pre_row.q.val();
        self.col_r.clock.next = self.clock.val();
        self.col_r.rst_n.next = self.rst_n.val();
        self.col_r.d.next = self.col_r.q.val();
        self.timer.clock.next = self.clock.val();
        self.timer.rst_n.next = self.rst_n.val();
        self.timer.d.next = self.timer.q.val();
        self.decay_cnt.clock.next = self.clock.val();
        self.decay_cnt.rst_n.next = self.rst_n.val();
        self.decay_cnt.d.next = self.decay_cnt.q.val();
        self.leak_cnt.clock.next = self.clock.val();
        self.leak_cnt.rst_n.next = self.rst_n.val();
        self.leak_cnt.d.next = self.leak_cnt.q.val();
        self.lfsr.clock.next = self.clock.val();
        self.lfsr.rst_n.next = self.rst_n.val();
        self.cnt.clock.next = self.clock.val();
        self.cnt.rst_n.next = self.rst_n.val();
        self.cnt.d.next = self.cnt.q.val();
        self.op_r.clock.next = self.clock.val();
        self.op_r.rst_n.next = self.rst_n.val();
        self.xrow_r.clock.next = self.clock.val();
        self.xrow_r.rst_n.next = self.rst_n.val();
        self.xcol_r.clock.next = self.clock.val();
        self.xcol_r.rst_n.next = self.rst_n.val();
        // Crossbar commands last one cycle; amplitude and width come
        // straight from `learn_cfg` while one is on the bus.
        self.op_r.d.next = bits::<2>(0);
        self.xrow_r.d.next = bits::<8>(0);
        self.xcol_r.d.next = bits::<8>(0);
        self.xbar_op.next = self.op_r.q.val();
        self.xbar_row.next = self.xrow_r.q.val();
        self.xbar_col.next = self.xcol_r.q.val();
        self.xbar_amp.next = bits::<8>(0);
        self.xbar_width.next = bits::<8>(0);
        if self.op_r.q.val() != bits::<2>(0) {
            self.xbar_amp.next = self.cfg.val().get_bits::<8>(16);
            self.xbar_width.next = self.cfg.val().get_bits::<8>(24);
        }
        self.count.next = self.cnt.q.val();
        self.col.next = self.col_r.q.val();

        // Free-running Galois LFSR (the STDP controller's), 4 steps per
        // cycle.
        self.lf.next = self.lfsr.q.val();
        for _k in 0..self.steps.0 {
            if self.lf.val().get_bit(0) {
                self.lf.next = (self.lf.val() >> 1) ^ self.taps.val();
            } else {
                self.lf.next = self.lf.val() >> 1;
            }
        }
        self.lfsr.d.next = self.lf.val();
        self.draw.next = self.lfsr.q.val().get_bits::<4>(0);
        self.enable.next = self.ctrl.val().get_bit(self.b_enable.val().index());
        self.stoch.next = self.ctrl.val().get_bit(self.b_stoch.val().index());
        self.th1.next = self.ca_cfg.val().get_bits::<3>(0);
        self.th2.next = self.ca_cfg.val().get_bits::<3>(3);
        self.th3.next = self.ca_cfg.val().get_bits::<3>(6);
        self.ca_leak.next = self.ca_cfg.val().get_bits::<5>(9);
        self.prob.next = self.ca_cfg.val().get_bits::<4>(14);

        // Decay ticks, and a calcium leak every `ca_leak` of them.
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
        self.ca_tick.next = false;
        if self.decay.val() {
            if self.ca_leak.val() == bits::<5>(0) {
                self.leak_cnt.d.next = bits::<5>(0);
            } else if (self.leak_cnt.q.val() + bits::<5>(1)) >= self.ca_leak.val() {
                self.leak_cnt.d.next = bits::<5>(0);
                self.ca_tick.next = true;
            } else {
                self.leak_cnt.d.next = self.leak_cnt.q.val() + bits::<5>(1);
            }
        }

        // The column the pass looks at.
        self.ca_sel.next = bits::<3>(0);
        for i in 0..self.cols.0 {
            if self.col_r.q.val() == self.col_id[i].val() {
                self.ca_sel.next = self.ca[i].q.val();
            }
        }
        self.vm_ge.next = self.vmem.val() >= self.vm.val();
        self.gate.next = !self.stoch.val() | (self.draw.val() <= self.prob.val());
        self.up.next = self.ctrl.val().get_bit(self.b_ltp.val().index())
            & self.vm_ge.val()
            & (self.ca_sel.val() >= self.th1.val())
            & (self.ca_sel.val() < self.th3.val())
            & self.gate.val();
        self.down.next = self.ctrl.val().get_bit(self.b_ltd.val().index())
            & !self.vm_ge.val()
            & (self.ca_sel.val() >= self.th1.val())
            & (self.ca_sel.val() < self.th2.val())
            & self.gate.val();
        self.busy.next = (self.state.q.val() != bits::<2>(0)) | self.pre_pend.q.val();
        self.active.next = self.state.q.val() != bits::<2>(0);
        self.last.next = self.col_r.q.val() == self.last_col.val();

        // Capture (the sequencer pops only while we are idle).
        if self.enable.val() & self.pop.val() & (self.pop_value.val() != bits::<8>(0)) {
            self.pre_pend.d.next = true;
            self.pre_row.d.next = self.pop_row.val() & self.row_mask.val();
        }

        if self.state.q.val() == bits::<2>(0) {
            if self.pre_pend.q.val() & self.seq_idle.val() & !self.prog_busy.val() {
                self.col_r.d.next = bits::<8>(0);
                self.state.d.next = bits::<2>(1);
            }
        } else if self.state.q.val() == bits::<2>(1) {
            if self.last.val() {
                self.pre_pend.d.next = false;
                self.state.d.next = bits::<2>(0);
            } else {
                self.col_r.d.next = (self.col_r.q.val() + bits::<8>(1)) & self.col_mask.val();
            }
            if self.up.val() | self.down.val() {
                if self.up.val() {
                    self.op_r.d.next = self.op_set.val();
                } else {
                    self.op_r.d.next = self.op_reset.val();
                }
                self.xrow_r.d.next = self.pre_row.q.val();
                self.xcol_r.d.next = self.col_r.q.val();
                self.timer.d.next = bits::<8>(0);
                self.state.d.next = bits::<2>(2);
                self.cnt.d.next = self.cnt.q.val() + bits::<8>(1);
            }
        } else {
            // Wait; the pass resumes at the next column (`col_r` has
            // moved on), or ends if the pulse was at the last one (then
            // `pre_pend` is already clear).
            if self.timer.q.val() >= self.cfg.val().get_bits::<8>(24) {
                if self.pre_pend.q.val() {
                    self.state.d.next = bits::<2>(1);
                } else {
                    self.state.d.next = bits::<2>(0);
                }
            } else {
                self.timer.d.next = self.timer.q.val() + bits::<8>(1);
            }
        }

        // Calcium: -1 on a leak tick (not below 0), +1 on the column's
        // spike (not above 7); both at once leave it as it is.
        for i in 0..self.cols.0 {
            self.ca[i].clock.next = self.clock.val();
            self.ca[i].rst_n.next = self.rst_n.val();
            self.ca[i].d.next = self.ca[i].q.val();
            if self.ca_tick.val() & (self.ca[i].q.val() != bits::<3>(0)) {
                self.ca[i].d.next = self.ca[i].q.val() - bits::<3>(1);
            }
            if self.enable.val() & self.push.val() & (self.push_addr.val() == self.col_id[i].val())
            {
                if self.ca_tick.val() & (self.ca[i].q.val() != bits::<3>(0)) {
                    self.ca[i].d.next = self.ca[i].q.val();
                } else if self.ca[i].q.val() != self.ca_max.val() {
                    self.ca[i].d.next = self.ca[i].q.val() + bits::<3>(1);
                }
            }
            if self.init.val() {
                self.ca[i].d.next = bits::<3>(0);
            }
        }
    }
}
