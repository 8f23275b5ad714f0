//! The top of a generated design, built from its config.

use crate::emit::{self, EmitError, Emitted};
use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use crate::regfile::{ClaimError, EpropBank, LearnBank, PcmTraceBank, RegBank, SdspBank};
use crate::rst_sync::RstSync;
use crate::tile::aer_in::AerIn;
use crate::tile::fifo::ShiftFifo;
use crate::tile::learn_eprop::LearnEprop;
use crate::tile::learn_pcm_trace::LearnPcmTrace;
use crate::tile::learn_sdsp::LearnSdsp;
use crate::tile::learn_stdp::LearnStdp;
use crate::tile::program::Programmer;
use crate::tile::readout::Lane;
use crate::tile::sequencer::Sequencer;
use crate::tile::xbar;
use memforge_spec::blocks::tile::status;
use memforge_spec::{Derived, DesignConfig, RegisterMap, Target};
use rust_hdl::prelude::*;

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("register map and register bank disagree: {0}")]
    RegisterMap(#[from] ClaimError),
    #[error(transparent)]
    Emit(#[from] EmitError),
    #[error(transparent)]
    Contract(#[from] memforge_spec::ContractError),
}

/// The design's top module: the digital periphery of one neuron tile.
/// Clock and reset use Caravel's names (`wb_clk_i`, active-high
/// `wb_rst_i`), synchronized to `rst_n` inside. The analog crossbar macro
/// sits outside: its interface is the `xbar_*` ports (see `docs/tile.md`),
/// so a test bench or the co-simulation can play the macro. Every output is
/// a register or a function of registers only.
#[derive(Clone, Debug, LogicBlock)]
pub struct TileTop {
    pub wb_clk_i: Signal<In, Clock>,
    pub wb_rst_i: Signal<In, Bit>,
    pub wbs_stb_i: Signal<In, Bit>,
    pub wbs_cyc_i: Signal<In, Bit>,
    pub wbs_we_i: Signal<In, Bit>,
    pub wbs_sel_i: Signal<In, Bits<4>>,
    pub wbs_dat_i: Signal<In, Bits<32>>,
    pub wbs_adr_i: Signal<In, Bits<32>>,
    pub wbs_ack_o: Signal<Out, Bit>,
    pub wbs_dat_o: Signal<Out, Bits<32>>,
    pub aer_in_addr: Signal<In, Bits<8>>,
    pub aer_in_value: Signal<In, Bits<8>>,
    pub aer_in_valid: Signal<In, Bit>,
    pub aer_in_ready: Signal<Out, Bit>,
    pub aer_out_addr: Signal<Out, Bits<8>>,
    pub aer_out_valid: Signal<Out, Bit>,
    pub aer_out_ready: Signal<In, Bit>,
    pub xbar_op: Signal<Out, Bits<2>>,
    pub xbar_row: Signal<Out, Bits<8>>,
    pub xbar_col: Signal<Out, Bits<8>>,
    pub xbar_sel: Signal<Out, Bits<8>>,
    pub xbar_amp: Signal<Out, Bits<8>>,
    pub xbar_width: Signal<Out, Bits<8>>,
    pub xbar_adc_valid: Signal<In, Bit>,
    /// One code per ADC (emitted as `xbar_adc_code__<i>`).
    pub xbar_adc_code: Vec<Signal<In, Bits<12>>>,
    rst: RstSync,
    regs: RegBank,
    aer_in: AerIn,
    seq: Sequencer,
    lane: Vec<Lane>,
    prog: Programmer,
    out_fifo: ShiftFifo<8>,
    timeout_flag: Reg<Bit>,
    stale_flag: Reg<Bit>,
    /// High in reset and for the first edge after it: the lanes write 0
    /// into the neurons' reset-less state (see `tile::neuron`). A register
    /// rather than `rst_n` itself, whose net is unbuffered until place and
    /// route.
    neuron_init: Reg<Bit>,
    lane_id: Vec<Constant<Bits<8>>>,
    /// First column of lanes 1.. (lane 0 starts at column 0).
    lane_base: Vec<Constant<Bits<8>>>,
    /// Covers every column < cols: a queued spike's column is one, so the
    /// mask changes nothing but lets synthesis drop the FIFO bits above it.
    col_mask: Constant<Bits<8>>,
    any_pending: Signal<Local, Bit>,
    seq_busy: Signal<Local, Bit>,
    hit: Signal<Local, Bit>,
    prog_code: Signal<Local, Bits<12>>,
    prog_slot: Signal<Local, Bits<8>>,
    /// Bit positions of `status` (`memforge_spec::blocks::tile::status`).
    st_in_nonempty: Constant<Bits<4>>,
    st_in_full: Constant<Bits<4>>,
    st_out_nonempty: Constant<Bits<4>>,
    st_out_full: Constant<Bits<4>>,
    st_seq_busy: Constant<Bits<4>>,
    st_prog_busy: Constant<Bits<4>>,
    st_pending: Constant<Bits<4>>,
    st_timeout: Constant<Bits<4>>,
    st_stale: Constant<Bits<4>>,
    lanes: Param<usize>,
    /// The STDP controller and its register window: one each with
    /// `[learning] rule = "stdp"`, none otherwise (an empty `Vec` emits
    /// nothing, so the inference-only tile is unchanged).
    learn: Vec<LearnStdp>,
    learn_regs: Vec<LearnBank>,
    learners: Param<usize>,
    /// The SDSP controller and its window (`rule = "sdsp"`), as above.
    sdsp: Vec<LearnSdsp>,
    sdsp_regs: Vec<SdspBank>,
    sdsps: Param<usize>,
    /// The potential of the SDSP controller's column (one with SDSP).
    sdsp_vmem: Vec<Signal<Local, Bits<16>>>,
    /// The e-prop controller and its register window (`rule = "eprop"`).
    eprop: Vec<LearnEprop>,
    eprop_regs: Vec<EpropBank>,
    eproppers: Param<usize>,
    /// `lanes` with an e-prop controller, 0 without (its lane loop).
    eprop_lanes: Param<usize>,
    /// The PCM-trace controller and its window (`rule = "pcm_trace"`),
    /// and `lanes` with it (its code loop), 0 without.
    pcmt: Vec<LearnPcmTrace>,
    pcmt_regs: Vec<PcmTraceBank>,
    pcmts: Param<usize>,
    pcmt_lanes: Param<usize>,
    /// Per lane: its column of the trace row last read is above the
    /// threshold (the controller's eligibility flags).
    pcmt_above: Vec<Reg<Bit>>,
    /// The flag of the controller's column (one with PCM-trace, none
    /// otherwise, so other designs' RTL is unchanged).
    pcmt_sel: Vec<Signal<Local, Bit>>,
}

/// A `status` bit position as an RTL constant.
fn status_bit(bit: u32) -> Constant<Bits<4>> {
    Constant::new(u64::from(bit).to_bits())
}

/// The register style every flip-flop of `cfg` uses.
pub fn reg_style(cfg: &DesignConfig) -> RegStyle {
    RegStyle {
        reset: cfg.design.reset,
        target: cfg.design.target,
        clock_gating: cfg.flow.clock_gating,
    }
}

/// Builds the rust-hdl top of `cfg` (connected, ready to simulate or emit).
pub fn build(cfg: &DesignConfig) -> Result<TileTop, GenerateError> {
    let style = reg_style(cfg);
    let map = RegisterMap::for_design(cfg);
    let t = &cfg.tile;
    let d = Derived::of(cfg);
    let lanes = d.adc_count as usize;
    let share = t.adc_share as usize;
    let members = |a: usize| share.min(t.cols as usize - a * share);
    let mut top = TileTop {
        wb_clk_i: Default::default(),
        wb_rst_i: Default::default(),
        wbs_stb_i: Default::default(),
        wbs_cyc_i: Default::default(),
        wbs_we_i: Default::default(),
        wbs_sel_i: Default::default(),
        wbs_dat_i: Default::default(),
        wbs_adr_i: Default::default(),
        wbs_ack_o: Default::default(),
        wbs_dat_o: Default::default(),
        aer_in_addr: Default::default(),
        aer_in_value: Default::default(),
        aer_in_valid: Default::default(),
        aer_in_ready: Default::default(),
        aer_out_addr: Default::default(),
        aer_out_valid: Default::default(),
        aer_out_ready: Default::default(),
        xbar_op: Default::default(),
        xbar_row: Default::default(),
        xbar_col: Default::default(),
        xbar_sel: Default::default(),
        xbar_amp: Default::default(),
        xbar_width: Default::default(),
        xbar_adc_valid: Default::default(),
        xbar_adc_code: (0..lanes).map(|_| Default::default()).collect(),
        rst: RstSync::new(style),
        regs: RegBank::new(&map, style)?,
        aer_in: AerIn::new(t.rows, t.input_bits, t.in_fifo_depth as usize, style),
        seq: Sequencer::new(t.input_bits, t.adc_share, t.cols, style),
        lane: (0..lanes)
            .map(|a| Lane::new(members(a), t.adc_bits, cfg.neuron.reset, style))
            .collect(),
        prog: Programmer::new(t.rows, t.cols, t.adc_bits, style),
        out_fifo: ShiftFifo::new(t.out_fifo_depth as usize, style),
        timeout_flag: Reg::new(false, style),
        stale_flag: Reg::new(false, style),
        neuron_init: Reg::new(true, style),
        lane_id: (0..lanes)
            .map(|a| Constant::new((a as u64).to_bits()))
            .collect(),
        lane_base: (1..lanes)
            .map(|a| Constant::new(((a * share) as u64).to_bits()))
            .collect(),
        col_mask: Constant::new((crate::tile::aer_in::mask_for(t.cols - 1) & 0xff).to_bits()),
        any_pending: Default::default(),
        seq_busy: Default::default(),
        hit: Default::default(),
        prog_code: Default::default(),
        prog_slot: Default::default(),
        st_in_nonempty: status_bit(status::IN_NONEMPTY),
        st_in_full: status_bit(status::IN_FULL),
        st_out_nonempty: status_bit(status::OUT_NONEMPTY),
        st_out_full: status_bit(status::OUT_FULL),
        st_seq_busy: status_bit(status::SEQ_BUSY),
        st_prog_busy: status_bit(status::PROG_BUSY),
        st_pending: status_bit(status::PENDING),
        st_timeout: status_bit(status::TIMEOUT),
        st_stale: status_bit(status::STALE),
        lanes: Param(lanes),
        learn: Vec::new(),
        learn_regs: Vec::new(),
        learners: Param(0),
        sdsp: Vec::new(),
        sdsp_regs: Vec::new(),
        sdsps: Param(0),
        sdsp_vmem: Vec::new(),
        eprop: Vec::new(),
        eprop_regs: Vec::new(),
        eproppers: Param(0),
        eprop_lanes: Param(0),
        pcmt: Vec::new(),
        pcmt_regs: Vec::new(),
        pcmts: Param(0),
        pcmt_lanes: Param(0),
        pcmt_above: Vec::new(),
        pcmt_sel: Vec::new(),
    };
    use memforge_spec::learning::LearningRule;
    let lmap = memforge_spec::learning::learning_map(cfg);
    if let Some(lmap) = lmap
        .as_ref()
        .filter(|_| cfg.learning.rule == LearningRule::Sdsp)
    {
        top.sdsp.push(LearnSdsp::new(t.rows, t.cols, style));
        top.sdsp_vmem.push(Default::default());
        top.sdsp_regs.push(SdspBank::new(lmap, style)?);
        top.sdsps = Param(1);
        top.lane = top.lane.into_iter().map(Lane::with_probe).collect();
    } else if let Some(lmap) = lmap
        .as_ref()
        .filter(|_| cfg.learning.rule == LearningRule::Eprop)
    {
        let e = &cfg.learning.eprop;
        top.eprop.push(LearnEprop::new(
            t.rows,
            t.cols,
            cfg.learning.trace_bits,
            e.acc_bits,
            style,
        ));
        top.eprop_regs.push(EpropBank::new(lmap, style)?);
        top.eproppers = Param(1);
        top.eprop_lanes = Param(lanes);
        top.lane = std::mem::take(&mut top.lane)
            .into_iter()
            .map(|l| l.with_potentials())
            .collect();
    } else if let Some(lmap) = lmap
        .as_ref()
        .filter(|_| cfg.learning.rule == LearningRule::PcmTrace)
    {
        top.pcmt.push(LearnPcmTrace::new(t.rows, t.cols, style));
        top.pcmt_regs.push(PcmTraceBank::new(lmap, style)?);
        top.pcmts = Param(1);
        top.pcmt_lanes = Param(lanes);
        // Written by the answer to a trace READ, read only after it.
        top.pcmt_sel.push(Default::default());
        top.pcmt_above = (0..lanes).map(|_| Reg::new_data(false, style)).collect();
    } else if let Some(lmap) = lmap
        .as_ref()
        .filter(|_| cfg.learning.rule == LearningRule::Stdp)
    {
        top.learn.push(LearnStdp::new(
            t.rows,
            t.cols,
            cfg.learning.trace_bits,
            style,
        ));
        top.learn_regs.push(LearnBank::new(lmap, style)?);
        top.learners = Param(1);
    }
    top.connect_all();
    Ok(top)
}

impl Logic for TileTop {
    #[hdl_gen]
    fn update(&mut self) {
        // Clock, reset, bus.
        self.rst.clock.next = self.wb_clk_i.val();
        self.rst.arst.next = self.wb_rst_i.val();
        self.regs.clock.next = self.wb_clk_i.val();
        self.regs.rst_n.next = self.rst.rst_n.val();
        self.regs.wbs_stb_i.next = self.wbs_stb_i.val();
        self.regs.wbs_cyc_i.next = self.wbs_cyc_i.val();
        self.regs.wbs_we_i.next = self.wbs_we_i.val();
        self.regs.wbs_sel_i.next = self.wbs_sel_i.val();
        self.regs.wbs_dat_i.next = self.wbs_dat_i.val();
        self.regs.wbs_adr_i.next = self.wbs_adr_i.val();
        self.wbs_ack_o.next = self.regs.wbs_ack_o.val();
        self.wbs_dat_o.next = self.regs.wbs_dat_o.val();

        // AER input.
        self.aer_in.clock.next = self.wb_clk_i.val();
        self.aer_in.rst_n.next = self.rst.rst_n.val();
        self.aer_in.addr.next = self.aer_in_addr.val();
        self.aer_in.value.next = self.aer_in_value.val();
        self.aer_in.valid.next = self.aer_in_valid.val();
        self.aer_in.pop.next = self.seq.pop.val();
        self.aer_in.clear.next = self.regs.cmd.val().get_bit(0);
        self.aer_in_ready.next = self.aer_in.ready.val();

        // Lanes (ADC readout + neurons), the spike scan and the write-verify
        // read mux.
        self.any_pending.next = false;
        self.hit.next = false;
        for a in 0..self.lanes.0 {
            self.lane[a].clock.next = self.wb_clk_i.val();
            self.lane[a].rst_n.next = self.rst.rst_n.val();
            self.lane[a].code.next = self.xbar_adc_code[a].val();
            self.lane[a].strobe.next = self.seq.strobe.val();
            self.lane[a].init.next = self.neuron_init.q.val();
            self.lane[a].sel.next = self.seq.sel.val();
            self.lane[a].shift.next = self.seq.shift.val();
            self.lane[a].leak_en.next = self.seq.leak_en.val();
            self.lane[a].leak.next = self.regs.leak.val();
            self.lane[a].commit.next = self.seq.commit.val();
            self.lane[a].threshold.next = self.regs.threshold.val();
            self.lane[a].refractory.next = self.regs.refractory.val();
            self.lane[a].scan_en.next = self.seq.scan_lane.val() == self.lane_id[a].val();
            self.lane[a].scan_slot.next = self.seq.scan_slot.val();
            self.lane[a].scan_clear.next = self.seq.scan_clear.val();
            if self.lane[a].any_pending.val() {
                self.any_pending.next = true;
            }
            if self.seq.scan_lane.val() == self.lane_id[a].val() {
                self.hit.next = self.lane[a].hit.val();
            }
        }
        // The lane of the programmed column is the last whose first column
        // is <= it (lane 0 starts at column 0, so it is the default).
        self.prog_code.next = self.lane[0].clamped.val();
        self.prog_slot.next = self.prog.cell_col.val();
        for a in 1..self.lanes.0 {
            if self.prog.cell_col.val() >= self.lane_base[a - 1].val() {
                self.prog_code.next = self.lane[a].clamped.val();
                self.prog_slot.next = self.prog.cell_col.val() - self.lane_base[a - 1].val();
            }
        }

        // Sequencer.
        self.seq.clock.next = self.wb_clk_i.val();
        self.seq.rst_n.next = self.rst.rst_n.val();
        self.seq.enable.next = self.regs.ctrl.val().get_bit(0);
        self.seq.leak_enable.next = self.regs.ctrl.val().get_bit(1);
        self.seq.leak_period.next = self.regs.leak_period.val();
        self.seq.nonempty.next = self.aer_in.nonempty.val();
        self.seq.head_row.next = self.aer_in.head_row.val();
        self.seq.head_value.next = self.aer_in.head_value.val();
        self.seq.prog_busy.next = self.prog.busy.val();
        self.seq.adc_valid.next = self.xbar_adc_valid.val();
        self.seq.any_pending.next = self.any_pending.val();
        self.seq.hit.next = self.hit.val();
        self.seq.out_full.next = self.out_fifo.full.val();

        // AER output.
        self.out_fifo.clock.next = self.wb_clk_i.val();
        self.out_fifo.rst_n.next = self.rst.rst_n.val();
        self.out_fifo.push.next = self.seq.push.val();
        self.out_fifo.din.next = self.seq.push_addr.val() & self.col_mask.val();
        self.out_fifo.pop.next = self.out_fifo.nonempty.val() & self.aer_out_ready.val();
        self.aer_out_addr.next = self.out_fifo.head.val();
        self.aer_out_valid.next = self.out_fifo.nonempty.val();

        // Write-verify programming.
        self.prog.clock.next = self.wb_clk_i.val();
        self.prog.rst_n.next = self.rst.rst_n.val();
        self.prog.start.next = self.regs.cmd.val().get_bit(1);
        self.prog.addr.next = self.regs.prog_addr.val();
        self.prog.target.next = self.regs.prog_target.val();
        self.prog.tolerance.next = self.regs.prog_tolerance.val();
        self.prog.max_pulses.next = self.regs.prog_max_pulses.val();
        self.prog.pulse.next = self.regs.prog_pulse.val();
        self.prog.seq_idle.next = self.seq.idle.val();
        self.prog.adc_valid.next = self.xbar_adc_valid.val();
        self.prog.code.next = self.prog_code.val();
        self.prog.slot.next = self.prog_slot.val();

        // Crossbar commands: each owner drives zeros when it has none.
        self.xbar_op.next = self.seq.xbar_op.val() | self.prog.xbar_op.val();
        self.xbar_row.next = self.seq.xbar_row.val() | self.prog.xbar_row.val();
        self.xbar_sel.next = self.seq.xbar_sel.val() | self.prog.xbar_sel.val();
        self.xbar_col.next = self.prog.xbar_col.val();
        self.xbar_amp.next = self.prog.xbar_amp.val();
        self.xbar_width.next = self.prog.xbar_width.val();

        // Status.
        self.neuron_init.clock.next = self.wb_clk_i.val();
        self.neuron_init.rst_n.next = self.rst.rst_n.val();
        self.neuron_init.d.next = false;
        self.timeout_flag.clock.next = self.wb_clk_i.val();
        self.timeout_flag.rst_n.next = self.rst.rst_n.val();
        self.timeout_flag.d.next = self.timeout_flag.q.val() | self.seq.timeout.val();
        self.stale_flag.clock.next = self.wb_clk_i.val();
        self.stale_flag.rst_n.next = self.rst.rst_n.val();
        self.stale_flag.d.next =
            self.stale_flag.q.val() | self.seq.stale.val() | self.prog.stale.val();
        if self.regs.cmd.val().get_bit(0) {
            self.timeout_flag.d.next = false;
            self.stale_flag.d.next = false;
        }
        // One expression: rust-hdl's `.val()` is the settled value, so
        // accumulating with `x.next = x.val() | ...` would be sticky in
        // simulation.
        self.seq_busy.next = !self.seq.idle.val();
        self.regs.status.next = (bit_cast::<9, 1>(self.aer_in.nonempty.val().into())
            << self.st_in_nonempty.val())
            | (bit_cast::<9, 1>(self.aer_in.full.val().into()) << self.st_in_full.val())
            | (bit_cast::<9, 1>(self.out_fifo.nonempty.val().into()) << self.st_out_nonempty.val())
            | (bit_cast::<9, 1>(self.out_fifo.full.val().into()) << self.st_out_full.val())
            | (bit_cast::<9, 1>(self.seq_busy.val().into()) << self.st_seq_busy.val())
            | (bit_cast::<9, 1>(self.prog.busy.val().into()) << self.st_prog_busy.val())
            | (bit_cast::<9, 1>(self.any_pending.val().into()) << self.st_pending.val())
            | (bit_cast::<9, 1>(self.timeout_flag.q.val().into()) << self.st_timeout.val())
            | (bit_cast::<9, 1>(self.stale_flag.q.val().into()) << self.st_stale.val());
        self.regs.dropped.next = self.aer_in.dropped.val();
        self.regs.prog_status.next = self.prog.status.val();

        // Learning (none or one controller): it shares the crossbar bus
        // with the sequencer (which takes no event while it has work) and
        // the programmer (which starts nothing while it drives the bus).
        for i in 0..self.learners.0 {
            self.learn_regs[i].clock.next = self.wb_clk_i.val();
            self.learn_regs[i].rst_n.next = self.rst.rst_n.val();
            self.learn_regs[i].wbs_stb_i.next = self.wbs_stb_i.val();
            self.learn_regs[i].wbs_cyc_i.next = self.wbs_cyc_i.val();
            self.learn_regs[i].wbs_we_i.next = self.wbs_we_i.val();
            self.learn_regs[i].wbs_sel_i.next = self.wbs_sel_i.val();
            self.learn_regs[i].wbs_dat_i.next = self.wbs_dat_i.val();
            self.learn_regs[i].wbs_adr_i.next = self.wbs_adr_i.val();
            self.learn_regs[i].learn_count.next = self.learn[i].count.val();
            // Both windows acknowledge every request; the one not
            // addressed reads 0.
            self.wbs_ack_o.next = self.regs.wbs_ack_o.val() | self.learn_regs[i].wbs_ack_o.val();
            self.wbs_dat_o.next = self.regs.wbs_dat_o.val() | self.learn_regs[i].wbs_dat_o.val();
            self.learn[i].clock.next = self.wb_clk_i.val();
            self.learn[i].rst_n.next = self.rst.rst_n.val();
            self.learn[i].init.next = self.neuron_init.q.val();
            self.learn[i].ctrl.next = self.learn_regs[i].learn_ctrl.val();
            self.learn[i].cfg.next = self.learn_regs[i].learn_cfg.val();
            self.learn[i].pop.next = self.seq.pop.val();
            self.learn[i].pop_row.next = self.aer_in.head_row.val();
            self.learn[i].pop_value.next = self.aer_in.head_value.val();
            self.learn[i].push.next = self.seq.push.val();
            self.learn[i].push_addr.next = self.seq.push_addr.val();
            self.learn[i].seq_idle.next = self.seq.idle.val();
            self.learn[i].prog_busy.next = self.prog.busy.val();
            self.seq.prog_busy.next = self.prog.busy.val() | self.learn[i].busy.val();
            self.prog.seq_idle.next = self.seq.idle.val() & !self.learn[i].active.val();
            self.xbar_op.next =
                self.seq.xbar_op.val() | self.prog.xbar_op.val() | self.learn[i].xbar_op.val();
            self.xbar_row.next =
                self.seq.xbar_row.val() | self.prog.xbar_row.val() | self.learn[i].xbar_row.val();
            self.xbar_col.next = self.prog.xbar_col.val() | self.learn[i].xbar_col.val();
            self.xbar_amp.next = self.prog.xbar_amp.val() | self.learn[i].xbar_amp.val();
            self.xbar_width.next = self.prog.xbar_width.val() | self.learn[i].xbar_width.val();
        }
        // The SDSP controller (none or one): the same bus sharing, and a
        // read port of every lane's potentials.
        for i in 0..self.sdsps.0 {
            self.sdsp_regs[i].clock.next = self.wb_clk_i.val();
            self.sdsp_regs[i].rst_n.next = self.rst.rst_n.val();
            self.sdsp_regs[i].wbs_stb_i.next = self.wbs_stb_i.val();
            self.sdsp_regs[i].wbs_cyc_i.next = self.wbs_cyc_i.val();
            self.sdsp_regs[i].wbs_we_i.next = self.wbs_we_i.val();
            self.sdsp_regs[i].wbs_sel_i.next = self.wbs_sel_i.val();
            self.sdsp_regs[i].wbs_dat_i.next = self.wbs_dat_i.val();
            self.sdsp_regs[i].wbs_adr_i.next = self.wbs_adr_i.val();
            self.sdsp_regs[i].learn_count.next = self.sdsp[i].count.val();
            self.wbs_ack_o.next = self.regs.wbs_ack_o.val() | self.sdsp_regs[i].wbs_ack_o.val();
            self.wbs_dat_o.next = self.regs.wbs_dat_o.val() | self.sdsp_regs[i].wbs_dat_o.val();
            self.sdsp[i].clock.next = self.wb_clk_i.val();
            self.sdsp[i].rst_n.next = self.rst.rst_n.val();
            self.sdsp[i].init.next = self.neuron_init.q.val();
            self.sdsp[i].ctrl.next = self.sdsp_regs[i].learn_ctrl.val();
            self.sdsp[i].cfg.next = self.sdsp_regs[i].learn_cfg.val();
            self.sdsp[i].vm.next = self.sdsp_regs[i].learn_vm.val();
            self.sdsp[i].ca_cfg.next = self.sdsp_regs[i].learn_ca.val();
            self.sdsp[i].pop.next = self.seq.pop.val();
            self.sdsp[i].pop_row.next = self.aer_in.head_row.val();
            self.sdsp[i].pop_value.next = self.aer_in.head_value.val();
            self.sdsp[i].push.next = self.seq.push.val();
            self.sdsp[i].push_addr.next = self.seq.push_addr.val();
            self.sdsp[i].seq_idle.next = self.seq.idle.val();
            self.sdsp[i].prog_busy.next = self.prog.busy.val();
            // The lane of the controller's column is the last whose first
            // column is <= it (as for the programmer's reads).
            self.lane[0].probe_sel[0].next = self.sdsp[i].col.val();
            self.sdsp_vmem[i].next = self.lane[0].probe_v[0].val();
            for a in 1..self.lanes.0 {
                self.lane[a].probe_sel[0].next =
                    self.sdsp[i].col.val() - self.lane_base[a - 1].val();
                if self.sdsp[i].col.val() >= self.lane_base[a - 1].val() {
                    self.sdsp_vmem[i].next = self.lane[a].probe_v[0].val();
                }
            }
            self.sdsp[i].vmem.next = self.sdsp_vmem[i].val();
            self.seq.prog_busy.next = self.prog.busy.val() | self.sdsp[i].busy.val();
            self.prog.seq_idle.next = self.seq.idle.val() & !self.sdsp[i].active.val();
            self.xbar_op.next =
                self.seq.xbar_op.val() | self.prog.xbar_op.val() | self.sdsp[i].xbar_op.val();
            self.xbar_row.next =
                self.seq.xbar_row.val() | self.prog.xbar_row.val() | self.sdsp[i].xbar_row.val();
            self.xbar_col.next = self.prog.xbar_col.val() | self.sdsp[i].xbar_col.val();
            self.xbar_amp.next = self.prog.xbar_amp.val() | self.sdsp[i].xbar_amp.val();
            self.xbar_width.next = self.prog.xbar_width.val() | self.sdsp[i].xbar_width.val();
        }
        // e-prop (none or one controller): the same bus sharing as STDP.
        for i in 0..self.eproppers.0 {
            self.eprop_regs[i].clock.next = self.wb_clk_i.val();
            self.eprop_regs[i].rst_n.next = self.rst.rst_n.val();
            self.eprop_regs[i].wbs_stb_i.next = self.wbs_stb_i.val();
            self.eprop_regs[i].wbs_cyc_i.next = self.wbs_cyc_i.val();
            self.eprop_regs[i].wbs_we_i.next = self.wbs_we_i.val();
            self.eprop_regs[i].wbs_sel_i.next = self.wbs_sel_i.val();
            self.eprop_regs[i].wbs_dat_i.next = self.wbs_dat_i.val();
            self.eprop_regs[i].wbs_adr_i.next = self.wbs_adr_i.val();
            self.eprop_regs[i].learn_count.next = self.eprop[i].count.val();
            self.eprop_regs[i].learn_refreshes.next = self.eprop[i].refreshes.val();
            self.wbs_ack_o.next = self.regs.wbs_ack_o.val() | self.eprop_regs[i].wbs_ack_o.val();
            self.wbs_dat_o.next = self.regs.wbs_dat_o.val() | self.eprop_regs[i].wbs_dat_o.val();
            self.eprop[i].clock.next = self.wb_clk_i.val();
            self.eprop[i].rst_n.next = self.rst.rst_n.val();
            self.eprop[i].init.next = self.neuron_init.q.val();
            self.eprop[i].ctrl.next = self.eprop_regs[i].learn_ctrl.val();
            self.eprop[i].start.next = self.eprop_regs[i].learn_cmd.val();
            self.eprop[i].sig0.next = self.eprop_regs[i].learn_sig0.val();
            self.eprop[i].sig1.next = self.eprop_regs[i].learn_sig1.val();
            self.eprop[i].sig2.next = self.eprop_regs[i].learn_sig2.val();
            self.eprop[i].sig3.next = self.eprop_regs[i].learn_sig3.val();
            self.eprop[i].cfg.next = self.eprop_regs[i].learn_cfg.val();
            self.eprop[i].rate.next = self.eprop_regs[i].learn_rate.val();
            self.eprop[i].eps.next = self.eprop_regs[i].learn_eps.val();
            self.eprop[i].hwin.next = self.eprop_regs[i].learn_h.val();
            self.eprop[i].refresh.next = self.eprop_regs[i].learn_refresh.val();
            self.eprop[i].threshold.next = self.regs.threshold.val();
            self.eprop[i].pop.next = self.seq.pop.val();
            self.eprop[i].pop_row.next = self.aer_in.head_row.val();
            self.eprop[i].pop_value.next = self.aer_in.head_value.val();
            self.eprop[i].seq_idle.next = self.seq.idle.val();
            self.eprop[i].prog_busy.next = self.prog.busy.val();
            self.eprop[i].adc_valid.next = self.xbar_adc_valid.val();
            self.eprop[i].vp.next = bits::<16>(0);
            self.eprop[i].vm.next = bits::<16>(0);
            self.eprop[i].gp.next = bits::<12>(0);
            self.eprop[i].gm.next = bits::<12>(0);
            self.seq.prog_busy.next = self.prog.busy.val() | self.eprop[i].busy.val();
            self.prog.seq_idle.next = self.seq.idle.val() & !self.eprop[i].active.val();
            self.xbar_op.next =
                self.seq.xbar_op.val() | self.prog.xbar_op.val() | self.eprop[i].xbar_op.val();
            self.xbar_row.next =
                self.seq.xbar_row.val() | self.prog.xbar_row.val() | self.eprop[i].xbar_row.val();
            self.xbar_col.next = self.prog.xbar_col.val() | self.eprop[i].xbar_col.val();
            self.xbar_amp.next = self.prog.xbar_amp.val() | self.eprop[i].xbar_amp.val();
            self.xbar_width.next = self.prog.xbar_width.val() | self.eprop[i].xbar_width.val();
        }
        // PCM-trace (none or one controller): the same bus sharing; it
        // reads every lane's clamped code (one column per lane).
        for i in 0..self.pcmts.0 {
            self.pcmt_regs[i].clock.next = self.wb_clk_i.val();
            self.pcmt_regs[i].rst_n.next = self.rst.rst_n.val();
            self.pcmt_regs[i].wbs_stb_i.next = self.wbs_stb_i.val();
            self.pcmt_regs[i].wbs_cyc_i.next = self.wbs_cyc_i.val();
            self.pcmt_regs[i].wbs_we_i.next = self.wbs_we_i.val();
            self.pcmt_regs[i].wbs_sel_i.next = self.wbs_sel_i.val();
            self.pcmt_regs[i].wbs_dat_i.next = self.wbs_dat_i.val();
            self.pcmt_regs[i].wbs_adr_i.next = self.wbs_adr_i.val();
            self.pcmt_regs[i].learn_count.next = self.pcmt[i].count.val();
            self.pcmt_regs[i].learn_tcount.next = self.pcmt[i].tcount.val();
            self.wbs_ack_o.next = self.regs.wbs_ack_o.val() | self.pcmt_regs[i].wbs_ack_o.val();
            self.wbs_dat_o.next = self.regs.wbs_dat_o.val() | self.pcmt_regs[i].wbs_dat_o.val();
            self.pcmt[i].clock.next = self.wb_clk_i.val();
            self.pcmt[i].rst_n.next = self.rst.rst_n.val();
            self.pcmt[i].init.next = self.neuron_init.q.val();
            self.pcmt[i].ctrl.next = self.pcmt_regs[i].learn_ctrl.val();
            self.pcmt[i].cfg.next = self.pcmt_regs[i].learn_cfg.val();
            self.pcmt[i].trace_cfg.next = self.pcmt_regs[i].learn_trace.val();
            self.pcmt[i].reward.next = self.pcmt_regs[i].learn_reward.val();
            self.pcmt[i].pop.next = self.seq.pop.val();
            self.pcmt[i].pop_row.next = self.aer_in.head_row.val();
            self.pcmt[i].pop_value.next = self.aer_in.head_value.val();
            self.pcmt[i].push.next = self.seq.push.val();
            self.pcmt[i].push_addr.next = self.seq.push_addr.val();
            self.pcmt[i].seq_idle.next = self.seq.idle.val();
            self.pcmt[i].prog_busy.next = self.prog.busy.val();
            self.pcmt[i].adc_valid.next = self.xbar_adc_valid.val();
            self.seq.prog_busy.next = self.prog.busy.val() | self.pcmt[i].busy.val();
            self.prog.seq_idle.next = self.seq.idle.val() & !self.pcmt[i].active.val();
            self.xbar_op.next =
                self.seq.xbar_op.val() | self.prog.xbar_op.val() | self.pcmt[i].xbar_op.val();
            self.xbar_row.next =
                self.seq.xbar_row.val() | self.prog.xbar_row.val() | self.pcmt[i].xbar_row.val();
            self.xbar_col.next = self.prog.xbar_col.val() | self.pcmt[i].xbar_col.val();
            self.xbar_amp.next = self.prog.xbar_amp.val() | self.pcmt[i].xbar_amp.val();
            self.xbar_width.next = self.prog.xbar_width.val() | self.pcmt[i].xbar_width.val();
        }
        for i in 0..self.pcmts.0 {
            self.pcmt_sel[i].next = false;
        }
        for a in 0..self.pcmt_lanes.0 {
            self.pcmt_above[a].clock.next = self.wb_clk_i.val();
            self.pcmt_above[a].rst_n.next = self.rst.rst_n.val();
            self.pcmt_above[a].d.next = self.pcmt_above[a].q.val();
            if self.pcmt[0].latch.val() {
                self.pcmt_above[a].d.next =
                    self.lane[a].clamped.val() > self.pcmt[0].threshold.val();
            }
            if self.lane_id[a].val() == self.pcmt[0].at_col.val() {
                self.pcmt_sel[0].next = self.pcmt_above[a].q.val();
            }
        }
        for i in 0..self.pcmts.0 {
            self.pcmt[i].above_sel.next = self.pcmt_sel[i].val();
        }
        // The e-prop controller's pair potentials and codes, selected from
        // the lanes (one column per lane: adc_share = 1).
        for a in 0..self.eprop_lanes.0 {
            if self.lane_id[a].val() == self.eprop[0].kp.val() {
                self.eprop[0].vp.next = self.lane[a].v_out[0].val();
            }
            if self.lane_id[a].val() == self.eprop[0].km.val() {
                self.eprop[0].vm.next = self.lane[a].v_out[0].val();
            }
            if self.lane_id[a].val() == self.eprop[0].pkp.val() {
                self.eprop[0].gp.next = self.lane[a].clamped.val();
            }
            if self.lane_id[a].val() == self.eprop[0].pkm.val() {
                self.eprop[0].gm.next = self.lane[a].clamped.val();
            }
        }
    }
}

/// Builds and emits the Verilog of `cfg`.
pub fn generate(cfg: &DesignConfig) -> Result<Emitted, GenerateError> {
    let top = build(cfg)?;
    let mut emitted = emit::emit(&top, &cfg.design.name, cfg.design.target == Target::Fpga)?;
    crate::check_contract(&emitted, &memforge_spec::blocks::tile::contract(cfg))?;
    let header = emit::write::file_header(&cfg.design.name);
    emitted.aux = vec![
        (
            xbar::stub_path(&cfg.design.name),
            format!("{header}{}", xbar::stub(cfg)),
        ),
        (
            xbar::model_path(&cfg.design.name),
            format!("{header}{}", xbar::behavioral_model(cfg)),
        ),
    ];
    Ok(emitted)
}

impl crate::HdlPorts for TileTop {
    fn clock_mut(&mut self) -> &mut Signal<In, Clock> {
        &mut self.wb_clk_i
    }

    fn drive(&mut self, g: &dyn Fn(&str) -> u64) {
        self.wb_rst_i.next = g("wb_rst_i") != 0;
        crate::drive_wishbone!(self, g);
        self.aer_in_addr.next = g("aer_in_addr").to_bits();
        self.aer_in_value.next = g("aer_in_value").to_bits();
        self.aer_in_valid.next = g("aer_in_valid") != 0;
        self.aer_out_ready.next = g("aer_out_ready") != 0;
        self.xbar_adc_valid.next = g("xbar_adc_valid") != 0;
        for (a, p) in self.xbar_adc_code.iter_mut().enumerate() {
            p.next = g(&memforge_spec::blocks::tile::adc_code_port(a as u32)).to_bits();
        }
    }

    fn sample(&self, put: &mut dyn FnMut(&str, u64)) {
        crate::sample_wishbone!(self, put);
        put("aer_in_ready", self.aer_in_ready.val() as u64);
        put("aer_out_addr", self.aer_out_addr.val().index() as u64);
        put("aer_out_valid", self.aer_out_valid.val() as u64);
        put("xbar_op", self.xbar_op.val().index() as u64);
        put("xbar_row", self.xbar_row.val().index() as u64);
        put("xbar_col", self.xbar_col.val().index() as u64);
        put("xbar_sel", self.xbar_sel.val().index() as u64);
        put("xbar_amp", self.xbar_amp.val().index() as u64);
        put("xbar_width", self.xbar_width.val().index() as u64);
    }
}
