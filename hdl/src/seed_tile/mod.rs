//! The tile variants around the seed papers' analog neurons (`[neuron]
//! kind = "mif" | "pnn"`, `docs/seed_circuits.md`, "Tile variants"): a
//! digital periphery with no ADC lanes. It reuses the LIF tile's reset
//! synchronizer, AER input (FIFO, drop counter) and output FIFO, and a
//! register bank declared with `register_bank!` from
//! `memforge_spec::seed::tile::register_map`.
//!
//! - **Row pulses**: while `ctrl[0]`, a step timer counts `0 ..=
//!   step_period` and wraps; events popped from the input FIFO (one per
//!   cycle) mark their row pending; at the wrap the pending rows become the
//!   step's active rows, and `xbar_pulse__<i>` is high for the first
//!   `pulse_len` cycles of the step on every active row. An event taken
//!   during step k pulses in step k+1; events for one row in one step
//!   merge into one pulse.
//! - **Spike detectors** (`detector.rs`): one per column, comparator bit
//!   to one pending spike per rising edge, then `hold` blanking cycles
//!   (PNN: the column's `xbar_reset__<j>` is high during them).
//! - **Readout**: the highest pending column is queued into the output
//!   FIFO each cycle it has room; the FIFO's head is the AER output.

pub mod detector;
pub mod stub;

use crate::emit::{self, Emitted};
use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use crate::rst_sync::RstSync;
use crate::tile::aer_in::{mask_for, AerIn};
use crate::tile::fifo::ShiftFifo;
use crate::GenerateError;
use detector::SpikeDetector;
use memforge_spec::seed::tile::{self as spec, status};
use memforge_spec::{DesignConfig, NeuronKind, Target};
use rust_hdl::prelude::*;

crate::register_bank! {
    /// The variants' register bank (`memforge_spec::seed::tile::register_map`).
    pub struct SeedBank {
        id: const,
        geometry: const,
        ctrl: rw 1,
        step_period: rw 16,
        pulse_len: rw 16,
        hold: rw 8,
        scratch: store 32,
        status: ro 6,
        dropped: ro 16,
        overrun: ro 16,
        spikes: ro 16,
        cmd: pulse 1,
    }
}

/// The top of a variant tile. The analog macro (MIF layer or PNN columns)
/// is outside, on the `xbar_*` ports.
#[derive(Clone, Debug, LogicBlock)]
pub struct SeedTop {
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
    pub aer_in_valid: Signal<In, Bit>,
    pub aer_in_ready: Signal<Out, Bit>,
    pub aer_out_addr: Signal<Out, Bits<8>>,
    pub aer_out_valid: Signal<Out, Bit>,
    pub aer_out_ready: Signal<In, Bit>,
    /// One per row (`xbar_pulse__<i>`).
    pub xbar_pulse: Vec<Signal<Out, Bit>>,
    /// One per column (`xbar_spike__<j>`).
    pub xbar_spike: Vec<Signal<In, Bit>>,
    /// One per column with `kind = "pnn"`, none otherwise.
    pub xbar_reset: Vec<Signal<Out, Bit>>,
    rst: RstSync,
    regs: SeedBank,
    aer_in: AerIn,
    out_fifo: ShiftFifo<8>,
    det: Vec<SpikeDetector>,
    phase: Reg<Bits<16>>,
    pulse_on: Reg<Bit>,
    pending: Vec<Reg<Bit>>,
    active: Vec<Reg<Bit>>,
    overrun_count: Reg<Bits<16>>,
    spike_count: Reg<Bits<16>>,
    row_id: Vec<Constant<Bits<8>>>,
    col_id: Vec<Constant<Bits<8>>>,
    col_mask: Constant<Bits<8>>,
    run: Signal<Local, Bit>,
    wrap: Signal<Local, Bit>,
    phase_next: Signal<Local, Bits<16>>,
    pop: Signal<Local, Bit>,
    any: Signal<Local, Bit>,
    sel: Signal<Local, Bits<8>>,
    push: Signal<Local, Bit>,
    ovr: Signal<Local, Bit>,
    blanked: Signal<Local, Bit>,
    rows: Param<usize>,
    cols: Param<usize>,
    resets: Param<usize>,
}

/// Builds the rust-hdl top of a variant config.
pub fn build(cfg: &DesignConfig) -> Result<SeedTop, GenerateError> {
    let style = crate::design::reg_style(cfg);
    let map = spec::register_map(cfg);
    let t = &cfg.tile;
    let (rows, cols) = (t.rows as usize, t.cols as usize);
    let resets = if cfg.neuron.kind == NeuronKind::Pnn {
        cols
    } else {
        0
    };
    let reg = |style: RegStyle| Reg::new(false, style);
    let mut top = SeedTop {
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
        aer_in_valid: Default::default(),
        aer_in_ready: Default::default(),
        aer_out_addr: Default::default(),
        aer_out_valid: Default::default(),
        aer_out_ready: Default::default(),
        xbar_pulse: (0..rows).map(|_| Default::default()).collect(),
        xbar_spike: (0..cols).map(|_| Default::default()).collect(),
        xbar_reset: (0..resets).map(|_| Default::default()).collect(),
        rst: RstSync::new(style),
        regs: SeedBank::new(&map, style)?,
        aer_in: AerIn::new(t.rows, 1, t.in_fifo_depth as usize, style),
        out_fifo: ShiftFifo::new(t.out_fifo_depth as usize, style),
        det: (0..cols).map(|_| SpikeDetector::new(style)).collect(),
        phase: Reg::new(0u64.to_bits(), style),
        pulse_on: reg(style),
        pending: (0..rows).map(|_| reg(style)).collect(),
        active: (0..rows).map(|_| reg(style)).collect(),
        overrun_count: Reg::new(0u64.to_bits(), style),
        spike_count: Reg::new(0u64.to_bits(), style),
        row_id: (0..rows)
            .map(|i| Constant::new((i as u64).to_bits()))
            .collect(),
        col_id: (0..cols)
            .map(|j| Constant::new((j as u64).to_bits()))
            .collect(),
        col_mask: Constant::new((mask_for(t.cols - 1) & 0xff).to_bits()),
        run: Default::default(),
        wrap: Default::default(),
        phase_next: Default::default(),
        pop: Default::default(),
        any: Default::default(),
        sel: Default::default(),
        push: Default::default(),
        ovr: Default::default(),
        blanked: Default::default(),
        rows: Param(rows),
        cols: Param(cols),
        resets: Param(resets),
    };
    top.connect_all();
    Ok(top)
}

impl Logic for SeedTop {
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

        // AER input: spikes only (value 1).
        self.aer_in.clock.next = self.wb_clk_i.val();
        self.aer_in.rst_n.next = self.rst.rst_n.val();
        self.aer_in.addr.next = self.aer_in_addr.val();
        self.aer_in.value.next = bits::<8>(1);
        self.aer_in.valid.next = self.aer_in_valid.val();
        self.aer_in.clear.next = self.regs.cmd.val().any();
        self.aer_in_ready.next = self.aer_in.ready.val();

        // Step timer and row pulses.
        self.run.next = self.regs.ctrl.val().any();
        self.wrap.next = self.run.val() & (self.phase.q.val() == self.regs.step_period.val());
        self.phase_next.next = self.phase.q.val() + bits::<16>(1);
        if !self.run.val() | self.wrap.val() {
            self.phase_next.next = bits::<16>(0);
        }
        self.phase.clock.next = self.wb_clk_i.val();
        self.phase.rst_n.next = self.rst.rst_n.val();
        self.phase.d.next = self.phase_next.val();
        self.pulse_on.clock.next = self.wb_clk_i.val();
        self.pulse_on.rst_n.next = self.rst.rst_n.val();
        self.pulse_on.d.next = self.run.val() & (self.phase_next.val() < self.regs.pulse_len.val());
        self.pop.next = self.run.val() & self.aer_in.nonempty.val();
        self.aer_in.pop.next = self.pop.val();
        for i in 0..self.rows.0 {
            self.pending[i].clock.next = self.wb_clk_i.val();
            self.pending[i].rst_n.next = self.rst.rst_n.val();
            self.active[i].clock.next = self.wb_clk_i.val();
            self.active[i].rst_n.next = self.rst.rst_n.val();
            self.pending[i].d.next = (self.pending[i].q.val() & !self.wrap.val())
                | (self.pop.val()
                    & self.aer_in.head_value.val().any()
                    & (self.aer_in.head_row.val() == self.row_id[i].val()));
            self.active[i].d.next = self.run.val()
                & ((self.wrap.val() & self.pending[i].q.val())
                    | (!self.wrap.val() & self.active[i].q.val()));
            self.xbar_pulse[i].next = self.active[i].q.val() & self.pulse_on.q.val();
        }

        // Spike detectors and the readout scan (highest pending column).
        self.any.next = false;
        self.sel.next = bits::<8>(0);
        for j in 0..self.cols.0 {
            self.det[j].clock.next = self.wb_clk_i.val();
            self.det[j].rst_n.next = self.rst.rst_n.val();
            self.det[j].cmp.next = self.xbar_spike[j].val();
            self.det[j].hold.next = self.regs.hold.val();
            if self.det[j].pending.val() {
                self.any.next = true;
                self.sel.next = self.col_id[j].val();
            }
        }
        self.push.next = self.any.val() & !self.out_fifo.full.val();
        self.ovr.next = false;
        self.blanked.next = false;
        for j in 0..self.cols.0 {
            if self.det[j].blanking.val() {
                self.blanked.next = true;
            }
            self.det[j].take.next = self.push.val() & (self.sel.val() == self.col_id[j].val());
            if self.det[j].overrun.val() {
                self.ovr.next = true;
            }
        }
        for j in 0..self.resets.0 {
            self.xbar_reset[j].next = self.det[j].blanking.val();
        }

        // AER output.
        self.out_fifo.clock.next = self.wb_clk_i.val();
        self.out_fifo.rst_n.next = self.rst.rst_n.val();
        self.out_fifo.push.next = self.push.val();
        self.out_fifo.din.next = self.sel.val() & self.col_mask.val();
        self.out_fifo.pop.next = self.out_fifo.nonempty.val() & self.aer_out_ready.val();
        self.aer_out_addr.next = self.out_fifo.head.val();
        self.aer_out_valid.next = self.out_fifo.nonempty.val();

        // Counters and status.
        self.overrun_count.clock.next = self.wb_clk_i.val();
        self.overrun_count.rst_n.next = self.rst.rst_n.val();
        self.spike_count.clock.next = self.wb_clk_i.val();
        self.spike_count.rst_n.next = self.rst.rst_n.val();
        self.overrun_count.d.next = self.overrun_count.q.val();
        if self.ovr.val() & (self.overrun_count.q.val() != bits::<16>(0xffff)) {
            self.overrun_count.d.next = self.overrun_count.q.val() + bits::<16>(1);
        }
        self.spike_count.d.next = self.spike_count.q.val();
        if self.push.val() {
            self.spike_count.d.next = self.spike_count.q.val() + bits::<16>(1);
        }
        if self.regs.cmd.val().any() {
            self.overrun_count.d.next = bits::<16>(0);
            self.spike_count.d.next = bits::<16>(0);
        }
        self.regs.status.next = bit_cast::<6, 1>(self.aer_in.nonempty.val().into())
            | (bit_cast::<6, 1>(self.aer_in.full.val().into()) << bits::<3>(1))
            | (bit_cast::<6, 1>(self.out_fifo.nonempty.val().into()) << bits::<3>(2))
            | (bit_cast::<6, 1>(self.out_fifo.full.val().into()) << bits::<3>(3))
            | (bit_cast::<6, 1>(self.any.val().into()) << bits::<3>(4))
            | (bit_cast::<6, 1>(self.blanked.val().into()) << bits::<3>(5));
        self.regs.dropped.next = self.aer_in.dropped.val();
        self.regs.overrun.next = self.overrun_count.q.val();
        self.regs.spikes.next = self.spike_count.q.val();
    }
}

// The status bit positions above are the spec's.
const _: () = assert!(
    status::IN_NONEMPTY == 0
        && status::IN_FULL == 1
        && status::OUT_NONEMPTY == 2
        && status::OUT_FULL == 3
        && status::PENDING == 4
        && status::BLANKED == 5
);

/// Builds and emits the Verilog of a variant config, with the macro's
/// blackbox stub beside it.
pub fn generate(cfg: &DesignConfig) -> Result<Emitted, GenerateError> {
    let top = build(cfg)?;
    let mut emitted = emit::emit(&top, &cfg.design.name, cfg.design.target == Target::Fpga)?;
    crate::check_contract(&emitted, &spec::contract(cfg))?;
    let header = emit::write::file_header(&cfg.design.name);
    emitted.aux = vec![(
        crate::tile::xbar::stub_path(&cfg.design.name),
        format!("{header}{}", stub::stub(cfg)),
    )];
    Ok(emitted)
}

impl crate::HdlPorts for SeedTop {
    fn clock_mut(&mut self) -> &mut Signal<In, Clock> {
        &mut self.wb_clk_i
    }

    fn drive(&mut self, g: &dyn Fn(&str) -> u64) {
        self.wb_rst_i.next = g("wb_rst_i") != 0;
        crate::drive_wishbone!(self, g);
        self.aer_in_addr.next = g("aer_in_addr").to_bits();
        self.aer_in_valid.next = g("aer_in_valid") != 0;
        self.aer_out_ready.next = g("aer_out_ready") != 0;
        for (j, p) in self.xbar_spike.iter_mut().enumerate() {
            p.next = g(&spec::spike_port(j as u32)) != 0;
        }
    }

    fn sample(&self, put: &mut dyn FnMut(&str, u64)) {
        crate::sample_wishbone!(self, put);
        put("aer_in_ready", self.aer_in_ready.val() as u64);
        put("aer_out_addr", self.aer_out_addr.val().index() as u64);
        put("aer_out_valid", self.aer_out_valid.val() as u64);
        for (i, p) in self.xbar_pulse.iter().enumerate() {
            put(&spec::pulse_port(i as u32), p.val() as u64);
        }
        for (j, p) in self.xbar_reset.iter().enumerate() {
            put(&spec::reset_port(j as u32), p.val() as u64);
        }
    }
}
