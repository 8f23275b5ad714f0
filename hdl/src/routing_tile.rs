//! The digital periphery of a Mosaic routing tile (Dalgaty et al. 2024):
//! spike lines in and out per direction (N, E, S, W, local), the routing
//! crossbar's row pulses and comparator sampling, output pulse
//! regeneration, write-verify programming of the routing devices (the
//! tile's [`Programmer`], unchanged) and a Wishbone register bank.
//!
//! Timing (spec: `docs/routing.md`; golden model:
//! `memforge_sim::routing_tile::RoutingTileModel`):
//! - edge t: the spike lines are captured into `lines` while routing is
//!   enabled (`ctrl[0]`) and no programming request runs; otherwise the
//!   cycle's spikes are dropped and counted;
//! - cycle t+1: a non-zero `lines` is a READ of those rows (`xbar_op = 1`,
//!   `xbar_lines`); every READ is one more answer owed (`pending`);
//! - the macro answers each READ once, in order, with `xbar_valid` and the
//!   comparator outputs `xbar_cmp`; an answer owed to routing is registered
//!   into the output lines, which pulse for exactly one cycle;
//! - a request of the programmer starts once nothing is captured or owed,
//!   and answers arriving while nothing is owed to routing are its verify
//!   reads (code = the comparator of its column: 1 routes, 0 blocks);
//! - reads owed for `READ_TIMEOUT` cycles without an answer are given up
//!   (sticky `status.timeout`), so programming can never hang behind them.

use crate::emit::{self, Emitted};
use crate::reg::{Reg, RegStyle};
use crate::tile::program::Programmer;
use memforge_spec::blocks::routing_tile::{contract, register_map, status, RoutingTileConfig};
use memforge_spec::blocks::tile::{READ_TIMEOUT, XBAR_OP_READ};
use memforge_spec::{ContractError, RegisterMap, Target};
use rust_hdl::prelude::*;

crate::register_bank! {
    /// The routing tile's registers, in `register_map` order.
    pub struct RoutingRegs {
        id: const,
        geometry: const,
        ctrl: rw 1,
        vth: rw 8,
        scratch: store 32,
        status: ro 4,
        dropped: ro 16,
        cmd: pulse 2,
        prog_addr: rw 16,
        prog_target: rw 12,
        prog_tolerance: rw 12,
        prog_max_pulses: rw 8,
        prog_pulse: rw 16,
        prog_status: ro 16,
        count_n: ro 16,
        count_e: ro 16,
        count_s: ro 16,
        count_w: ro 16,
        count_l: ro 16,
    }
}

/// A routing tile with `C` lines per direction, `L = 5 * C` crossbar lines
/// and `I` bits to index one (all types, as rust-hdl widths are).
#[derive(Clone, Debug, LogicBlock)]
pub struct RoutingTile<const C: usize, const L: usize, const I: usize> {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub wbs_stb_i: Signal<In, Bit>,
    pub wbs_cyc_i: Signal<In, Bit>,
    pub wbs_we_i: Signal<In, Bit>,
    pub wbs_sel_i: Signal<In, Bits<4>>,
    pub wbs_dat_i: Signal<In, Bits<32>>,
    pub wbs_adr_i: Signal<In, Bits<32>>,
    pub wbs_ack_o: Signal<Out, Bit>,
    pub wbs_dat_o: Signal<Out, Bits<32>>,
    pub in_n: Signal<In, Bits<C>>,
    pub in_e: Signal<In, Bits<C>>,
    pub in_s: Signal<In, Bits<C>>,
    pub in_w: Signal<In, Bits<C>>,
    pub in_l: Signal<In, Bits<C>>,
    pub out_n: Signal<Out, Bits<C>>,
    pub out_e: Signal<Out, Bits<C>>,
    pub out_s: Signal<Out, Bits<C>>,
    pub out_w: Signal<Out, Bits<C>>,
    pub out_l: Signal<Out, Bits<C>>,
    pub xbar_op: Signal<Out, Bits<2>>,
    pub xbar_lines: Signal<Out, Bits<L>>,
    pub xbar_row: Signal<Out, Bits<8>>,
    pub xbar_col: Signal<Out, Bits<8>>,
    pub xbar_sel: Signal<Out, Bits<8>>,
    pub xbar_amp: Signal<Out, Bits<8>>,
    pub xbar_width: Signal<Out, Bits<8>>,
    pub xbar_vth: Signal<Out, Bits<8>>,
    pub xbar_cmp: Signal<In, Bits<L>>,
    pub xbar_valid: Signal<In, Bit>,
    regs: RoutingRegs,
    prog: Programmer,
    /// Spike lines captured at the last edge (a READ this cycle if any).
    lines: Reg<Bits<L>>,
    /// Output lines (one-cycle pulses).
    outs: Reg<Bits<L>>,
    /// READs issued for routing and not answered yet.
    pending: Reg<Bits<8>>,
    /// Cycles `pending` has waited without an answer.
    silence: Reg<Bits<8>>,
    timeout: Reg<Bit>,
    stale: Reg<Bit>,
    dropped: Reg<Bits<16>>,
    count_n: Reg<Bits<16>>,
    count_e: Reg<Bits<16>>,
    count_s: Reg<Bits<16>>,
    count_w: Reg<Bits<16>>,
    count_l: Reg<Bits<16>>,
    // Line offsets of the directions in the crossbar's line vector.
    at_n: Constant<Bits<I>>,
    at_e: Constant<Bits<I>>,
    at_s: Constant<Bits<I>>,
    at_w: Constant<Bits<I>>,
    at_l: Constant<Bits<I>>,
    op_read: Constant<Bits<2>>,
    read_timeout: Constant<Bits<8>>,
    st_prog_busy: Constant<Bits<8>>,
    st_timeout: Constant<Bits<8>>,
    st_stale: Constant<Bits<8>>,
    // Combinational terms, each assigned once.
    wide_n: Signal<Local, Bits<L>>,
    wide_e: Signal<Local, Bits<L>>,
    wide_s: Signal<Local, Bits<L>>,
    wide_w: Signal<Local, Bits<L>>,
    wide_l: Signal<Local, Bits<L>>,
    arriving: Signal<Local, Bits<L>>,
    route_en: Signal<Local, Bit>,
    route_read: Signal<Local, Bit>,
    answered: Signal<Local, Bit>,
    route_busy: Signal<Local, Bit>,
    verify_lines: Signal<Local, Bits<L>>,
    col_onehot: Signal<Local, Bits<L>>,
    cmp_bit: Signal<Local, Bit>,
}

impl<const C: usize, const L: usize, const I: usize> RoutingTile<C, L, I> {
    /// The periphery of `map`'s registers (checked against the bank).
    pub fn new(map: &RegisterMap, style: RegStyle) -> Result<Self, crate::regfile::ClaimError> {
        let at = |d: usize| Constant::new(((d * C) as u64).to_bits());
        Ok(Self {
            clock: Default::default(),
            rst_n: Default::default(),
            wbs_stb_i: Default::default(),
            wbs_cyc_i: Default::default(),
            wbs_we_i: Default::default(),
            wbs_sel_i: Default::default(),
            wbs_dat_i: Default::default(),
            wbs_adr_i: Default::default(),
            wbs_ack_o: Default::default(),
            wbs_dat_o: Default::default(),
            in_n: Default::default(),
            in_e: Default::default(),
            in_s: Default::default(),
            in_w: Default::default(),
            in_l: Default::default(),
            out_n: Default::default(),
            out_e: Default::default(),
            out_s: Default::default(),
            out_w: Default::default(),
            out_l: Default::default(),
            xbar_op: Default::default(),
            xbar_lines: Default::default(),
            xbar_row: Default::default(),
            xbar_col: Default::default(),
            xbar_sel: Default::default(),
            xbar_amp: Default::default(),
            xbar_width: Default::default(),
            xbar_vth: Default::default(),
            xbar_cmp: Default::default(),
            xbar_valid: Default::default(),
            regs: RoutingRegs::new(map, style)?,
            // One comparator bit is the programmer's "ADC code".
            prog: Programmer::new(L as u32, L as u32, 1, style),
            lines: Reg::new(Bits::<L>::default(), style),
            outs: Reg::new(Bits::<L>::default(), style),
            pending: Reg::new(Bits::<8>::default(), style),
            silence: Reg::new(Bits::<8>::default(), style),
            timeout: Reg::new(false, style),
            stale: Reg::new(false, style),
            dropped: Reg::new(Bits::<16>::default(), style),
            count_n: Reg::new(Bits::<16>::default(), style),
            count_e: Reg::new(Bits::<16>::default(), style),
            count_s: Reg::new(Bits::<16>::default(), style),
            count_w: Reg::new(Bits::<16>::default(), style),
            count_l: Reg::new(Bits::<16>::default(), style),
            at_n: at(0),
            at_e: at(1),
            at_s: at(2),
            at_w: at(3),
            at_l: at(4),
            op_read: Constant::new(u64::from(XBAR_OP_READ).to_bits()),
            read_timeout: Constant::new(u64::from(READ_TIMEOUT).to_bits()),
            st_prog_busy: Constant::new(u64::from(status::PROG_BUSY).to_bits()),
            st_timeout: Constant::new(u64::from(status::TIMEOUT).to_bits()),
            st_stale: Constant::new(u64::from(status::STALE).to_bits()),
            wide_n: Default::default(),
            wide_e: Default::default(),
            wide_s: Default::default(),
            wide_w: Default::default(),
            wide_l: Default::default(),
            arriving: Default::default(),
            route_en: Default::default(),
            route_read: Default::default(),
            answered: Default::default(),
            route_busy: Default::default(),
            verify_lines: Default::default(),
            col_onehot: Default::default(),
            cmp_bit: Default::default(),
        })
    }
}

impl<const C: usize, const L: usize, const I: usize> Logic for RoutingTile<C, L, I> {
    #[hdl_gen]
    fn update(&mut self) {
        // Clocks and resets.
        self.regs.clock.next = self.clock.val();
        self.regs.rst_n.next = self.rst_n.val();
        self.prog.clock.next = self.clock.val();
        self.prog.rst_n.next = self.rst_n.val();
        self.lines.clock.next = self.clock.val();
        self.lines.rst_n.next = self.rst_n.val();
        self.outs.clock.next = self.clock.val();
        self.outs.rst_n.next = self.rst_n.val();
        self.pending.clock.next = self.clock.val();
        self.pending.rst_n.next = self.rst_n.val();
        self.silence.clock.next = self.clock.val();
        self.silence.rst_n.next = self.rst_n.val();
        self.timeout.clock.next = self.clock.val();
        self.timeout.rst_n.next = self.rst_n.val();
        self.stale.clock.next = self.clock.val();
        self.stale.rst_n.next = self.rst_n.val();
        self.dropped.clock.next = self.clock.val();
        self.dropped.rst_n.next = self.rst_n.val();
        self.count_n.clock.next = self.clock.val();
        self.count_n.rst_n.next = self.rst_n.val();
        self.count_e.clock.next = self.clock.val();
        self.count_e.rst_n.next = self.rst_n.val();
        self.count_s.clock.next = self.clock.val();
        self.count_s.rst_n.next = self.rst_n.val();
        self.count_w.clock.next = self.clock.val();
        self.count_w.rst_n.next = self.rst_n.val();
        self.count_l.clock.next = self.clock.val();
        self.count_l.rst_n.next = self.rst_n.val();

        // Wishbone.
        self.regs.wbs_stb_i.next = self.wbs_stb_i.val();
        self.regs.wbs_cyc_i.next = self.wbs_cyc_i.val();
        self.regs.wbs_we_i.next = self.wbs_we_i.val();
        self.regs.wbs_sel_i.next = self.wbs_sel_i.val();
        self.regs.wbs_dat_i.next = self.wbs_dat_i.val();
        self.regs.wbs_adr_i.next = self.wbs_adr_i.val();
        self.wbs_ack_o.next = self.regs.wbs_ack_o.val();
        self.wbs_dat_o.next = self.regs.wbs_dat_o.val();

        // The arriving spikes as one line vector (direction d at d * C).
        self.wide_n.next = bit_cast::<L, C>(self.in_n.val());
        self.wide_e.next = bit_cast::<L, C>(self.in_e.val());
        self.wide_s.next = bit_cast::<L, C>(self.in_s.val());
        self.wide_w.next = bit_cast::<L, C>(self.in_w.val());
        self.wide_l.next = bit_cast::<L, C>(self.in_l.val());
        self.arriving.next = self.wide_n.val()
            | (self.wide_e.val() << self.at_e.val())
            | (self.wide_s.val() << self.at_s.val())
            | (self.wide_w.val() << self.at_w.val())
            | (self.wide_l.val() << self.at_l.val());

        // Capture, READ, answers.
        self.route_en.next = self.regs.ctrl.val().any() & !self.prog.busy.val();
        self.route_read.next = self.lines.q.val().any();
        self.answered.next = self.xbar_valid.val() & self.pending.q.val().any();
        self.route_busy.next = self.route_read.val() | self.pending.q.val().any();
        self.lines.d.next = bits::<L>(0);
        if self.route_en.val() {
            self.lines.d.next = self.arriving.val();
        }
        self.outs.d.next = bits::<L>(0);
        if self.answered.val() {
            self.outs.d.next = self.xbar_cmp.val();
        }
        self.pending.d.next = self.pending.q.val();
        if self.route_read.val() & !self.answered.val() {
            self.pending.d.next = self.pending.q.val() + bits::<8>(1);
        }
        if !self.route_read.val() & self.answered.val() {
            self.pending.d.next = self.pending.q.val() - bits::<8>(1);
        }
        self.silence.d.next = bits::<8>(0);
        if self.pending.q.val().any() & !self.xbar_valid.val() {
            self.silence.d.next = self.silence.q.val() + bits::<8>(1);
        }
        self.timeout.d.next = self.timeout.q.val();
        if self.silence.q.val() == self.read_timeout.val() {
            // Give the owed answers up (a READ issued now is still owed).
            self.pending.d.next = bit_cast::<8, 1>(self.route_read.val().into());
            self.silence.d.next = bits::<8>(0);
            self.timeout.d.next = true;
        }
        self.stale.d.next = self.stale.q.val()
            | self.prog.stale.val()
            | (self.xbar_valid.val() & !self.pending.q.val().any() & !self.prog.busy.val());
        self.dropped.d.next = self.dropped.q.val();
        if self.arriving.val().any() & !self.route_en.val() {
            self.dropped.d.next = self.dropped.q.val() + bits::<16>(1);
        }

        // Output lines and their counters (a counter follows its output
        // by one cycle).
        self.out_n.next = self.outs.q.val().get_bits::<C>(self.at_n.val().index());
        self.out_e.next = self.outs.q.val().get_bits::<C>(self.at_e.val().index());
        self.out_s.next = self.outs.q.val().get_bits::<C>(self.at_s.val().index());
        self.out_w.next = self.outs.q.val().get_bits::<C>(self.at_w.val().index());
        self.out_l.next = self.outs.q.val().get_bits::<C>(self.at_l.val().index());
        self.count_n.d.next = self.count_n.q.val();
        if self.out_n.val().any() {
            self.count_n.d.next = self.count_n.q.val() + bits::<16>(1);
        }
        self.count_e.d.next = self.count_e.q.val();
        if self.out_e.val().any() {
            self.count_e.d.next = self.count_e.q.val() + bits::<16>(1);
        }
        self.count_s.d.next = self.count_s.q.val();
        if self.out_s.val().any() {
            self.count_s.d.next = self.count_s.q.val() + bits::<16>(1);
        }
        self.count_w.d.next = self.count_w.q.val();
        if self.out_w.val().any() {
            self.count_w.d.next = self.count_w.q.val() + bits::<16>(1);
        }
        self.count_l.d.next = self.count_l.q.val();
        if self.out_l.val().any() {
            self.count_l.d.next = self.count_l.q.val() + bits::<16>(1);
        }
        if self.regs.cmd.val().get_bit(0) {
            self.timeout.d.next = false;
            self.stale.d.next = false;
            self.dropped.d.next = bits::<16>(0);
            self.count_n.d.next = bits::<16>(0);
            self.count_e.d.next = bits::<16>(0);
            self.count_s.d.next = bits::<16>(0);
            self.count_w.d.next = bits::<16>(0);
            self.count_l.d.next = bits::<16>(0);
        }

        // The programmer: verify reads see its column's comparator.
        self.col_onehot.next = bits::<L>(1) << self.prog.cell_col.val();
        self.cmp_bit.next = (self.xbar_cmp.val() & self.col_onehot.val()).any();
        self.prog.start.next = self.regs.cmd.val().get_bit(1);
        self.prog.addr.next = self.regs.prog_addr.val();
        self.prog.target.next = self.regs.prog_target.val();
        self.prog.tolerance.next = self.regs.prog_tolerance.val();
        self.prog.max_pulses.next = self.regs.prog_max_pulses.val();
        self.prog.pulse.next = self.regs.prog_pulse.val();
        self.prog.seq_idle.next = !self.route_busy.val();
        self.prog.adc_valid.next = self.xbar_valid.val() & !self.pending.q.val().any();
        self.prog.code.next = bit_cast::<12, 1>(self.cmp_bit.val().into());
        self.prog.slot.next = bits::<8>(0);

        // The macro: a routing READ, else the programmer's command.
        self.verify_lines.next = bits::<L>(0);
        if self.prog.xbar_op.val() == self.op_read.val() {
            self.verify_lines.next = bits::<L>(1) << self.prog.xbar_row.val();
        }
        self.xbar_op.next = self.prog.xbar_op.val();
        self.xbar_lines.next = self.verify_lines.val();
        if self.route_read.val() {
            self.xbar_op.next = self.op_read.val();
            self.xbar_lines.next = self.lines.q.val();
        }
        self.xbar_row.next = self.prog.xbar_row.val();
        self.xbar_col.next = self.prog.xbar_col.val();
        self.xbar_sel.next = self.prog.xbar_sel.val();
        self.xbar_amp.next = self.prog.xbar_amp.val();
        self.xbar_width.next = self.prog.xbar_width.val();
        self.xbar_vth.next = self.regs.vth.val();

        // Registers from the hardware.
        self.regs.status.next = bit_cast::<4, 1>(self.route_busy.val().into())
            | (bit_cast::<4, 1>(self.prog.busy.val().into()) << self.st_prog_busy.val())
            | (bit_cast::<4, 1>(self.timeout.q.val().into()) << self.st_timeout.val())
            | (bit_cast::<4, 1>(self.stale.q.val().into()) << self.st_stale.val());
        self.regs.dropped.next = self.dropped.q.val();
        self.regs.prog_status.next = self.prog.status.val();
        self.regs.count_n.next = self.count_n.q.val();
        self.regs.count_e.next = self.count_e.q.val();
        self.regs.count_s.next = self.count_s.q.val();
        self.regs.count_w.next = self.count_w.q.val();
        self.regs.count_l.next = self.count_l.q.val();
    }
}

impl<const C: usize, const L: usize, const I: usize> crate::HdlPorts for RoutingTile<C, L, I> {
    fn clock_mut(&mut self) -> &mut Signal<In, Clock> {
        &mut self.clock
    }

    fn drive(&mut self, g: &dyn Fn(&str) -> u64) {
        self.rst_n.next = g("rst_n") != 0;
        crate::drive_wishbone!(self, g);
        self.in_n.next = g("in_n").to_bits();
        self.in_e.next = g("in_e").to_bits();
        self.in_s.next = g("in_s").to_bits();
        self.in_w.next = g("in_w").to_bits();
        self.in_l.next = g("in_l").to_bits();
        self.xbar_cmp.next = g("xbar_cmp").to_bits();
        self.xbar_valid.next = g("xbar_valid") != 0;
    }

    fn sample(&self, put: &mut dyn FnMut(&str, u64)) {
        crate::sample_wishbone!(self, put);
        put("out_n", self.out_n.val().to_u64());
        put("out_e", self.out_e.val().to_u64());
        put("out_s", self.out_s.val().to_u64());
        put("out_w", self.out_w.val().to_u64());
        put("out_l", self.out_l.val().to_u64());
        put("xbar_op", self.xbar_op.val().to_u64());
        put("xbar_lines", self.xbar_lines.val().to_u64());
        put("xbar_row", self.xbar_row.val().to_u64());
        put("xbar_col", self.xbar_col.val().to_u64());
        put("xbar_sel", self.xbar_sel.val().to_u64());
        put("xbar_amp", self.xbar_amp.val().to_u64());
        put("xbar_width", self.xbar_width.val().to_u64());
        put("xbar_vth", self.xbar_vth.val().to_u64());
    }
}

/// Calls `$body` with `$C`, `$L` and `$I` bound to the widths of
/// `$channels` lines per direction (one of `memforge_spec::blocks::routing_tile::
/// CHANNELS`); `None` for another count (validation refuses those first).
#[macro_export]
macro_rules! with_routing_width {
    ($channels:expr, $C:ident, $L:ident, $I:ident => $body:expr) => {
        match $channels {
            1 => {
                const $C: usize = 1;
                const $L: usize = 5;
                const $I: usize = 3;
                Some($body)
            }
            2 => {
                const $C: usize = 2;
                const $L: usize = 10;
                const $I: usize = 4;
                Some($body)
            }
            4 => {
                const $C: usize = 4;
                const $L: usize = 20;
                const $I: usize = 5;
                Some($body)
            }
            8 => {
                const $C: usize = 8;
                const $L: usize = 40;
                const $I: usize = 6;
                Some($body)
            }
            _ => None,
        }
    };
}

/// The style every flip-flop of the routing tile uses.
pub fn reg_style(cfg: &RoutingTileConfig) -> RegStyle {
    RegStyle {
        reset: cfg.design.reset,
        target: cfg.design.target,
        clock_gating: false,
    }
}

/// The routing tile could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum RoutingError {
    #[error("routing.channels = {0} is not a generated width")]
    Unsupported(u32),
    #[error(transparent)]
    Claim(#[from] crate::regfile::ClaimError),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    #[error(transparent)]
    Contract(#[from] ContractError),
}

/// The routing tile of `cfg`, connected (for emitting or simulating).
pub fn build<const C: usize, const L: usize, const I: usize>(
    cfg: &RoutingTileConfig,
) -> Result<RoutingTile<C, L, I>, RoutingError> {
    let mut t = RoutingTile::<C, L, I>::new(&register_map(cfg), reg_style(cfg))?;
    t.connect_all();
    Ok(t)
}

/// Builds, emits and checks the routing tile of `cfg` against its contract.
pub fn generate(cfg: &RoutingTileConfig) -> Result<Emitted, RoutingError> {
    let fpga = cfg.design.target == Target::Fpga;
    let name = &cfg.design.name;
    let ch = cfg.routing.channels;
    let emitted = with_routing_width!(ch, C, L, I => build::<C, L, I>(cfg)
        .and_then(|t| Ok(emit::emit(&t, name, fpga)?)))
    .ok_or(RoutingError::Unsupported(ch))??;
    crate::check_contract(&emitted, &contract(&cfg.routing))?;
    Ok(emitted)
}
