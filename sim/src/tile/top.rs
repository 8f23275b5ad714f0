//! Cycle-accurate model of a whole generated tile at its top-level ports,
//! composed of the block models and the register-file model. Written from
//! `docs/tile.md`; it implements [`CycleModel`] so that the rust-hdl
//! simulation and the Verilated RTL can be compared with it port by port.

use super::aer_in::AerInModel;
use super::fifo::FifoModel;
use super::neuron::{LifModel, NeuronOp, NeuronParams};
use super::program::{ProgRequest, ProgrammerModel};
use super::sequencer::{SeqInputs, SequencerModel};
use crate::cycle::{CycleModel, PortLayout, PortSpec};
use crate::regfile::{RegFileModel, WbIn};
use memforge_spec::{Derived, DesignConfig, NeuronReset, RegisterMap, ResetStyle};

/// The top-level ports of a tile, without the clock, in RTL order.
pub fn tile_ports(cfg: &DesignConfig) -> Vec<PortSpec> {
    let p = |name: &str, input: bool, width: u32| PortSpec {
        name: name.to_string(),
        input,
        width,
    };
    let mut v = vec![
        p("wb_rst_i", true, 1),
        p("wbs_stb_i", true, 1),
        p("wbs_cyc_i", true, 1),
        p("wbs_we_i", true, 1),
        p("wbs_sel_i", true, 4),
        p("wbs_dat_i", true, 32),
        p("wbs_adr_i", true, 32),
        p("wbs_ack_o", false, 1),
        p("wbs_dat_o", false, 32),
        p("aer_in_addr", true, 8),
        p("aer_in_value", true, 8),
        p("aer_in_valid", true, 1),
        p("aer_in_ready", false, 1),
        p("aer_out_addr", false, 8),
        p("aer_out_valid", false, 1),
        p("aer_out_ready", true, 1),
        p("xbar_op", false, 2),
        p("xbar_row", false, 8),
        p("xbar_col", false, 8),
        p("xbar_sel", false, 8),
        p("xbar_amp", false, 8),
        p("xbar_width", false, 8),
        p("xbar_adc_valid", true, 1),
    ];
    for a in 0..Derived::of(cfg).adc_count {
        v.push(p(&format!("xbar_adc_code__{a}"), true, 12));
    }
    v
}

#[derive(Clone, Debug)]
pub struct TileModel {
    layout: PortLayout,
    reset_style: ResetStyle,
    neuron_reset: NeuronReset,
    cols: usize,
    share: usize,
    adc_max: u16,
    /// Reset synchronizer stages; the design runs while `s2`.
    s1: bool,
    s2: bool,
    pub regs: RegFileModel,
    pub aer_in: AerInModel,
    pub seq: SequencerModel,
    pub neurons: Vec<LifModel>,
    pub out: FifoModel<u8>,
    pub prog: ProgrammerModel,
    timeout_flag: bool,
    fresh: Box<TileModelParts>,
}

/// The resettable parts in their reset state (cloned on reset).
#[derive(Clone, Debug)]
struct TileModelParts {
    regs: RegFileModel,
    aer_in: AerInModel,
    seq: SequencerModel,
    neurons: Vec<LifModel>,
    out: FifoModel<u8>,
    prog: ProgrammerModel,
}

impl TileModel {
    /// The model in its power-up state (in reset until `wb_rst_i` has been
    /// low for two edges, like the RTL).
    pub fn new(cfg: &DesignConfig) -> Self {
        let t = &cfg.tile;
        let d = Derived::of(cfg);
        let parts = TileModelParts {
            regs: RegFileModel::new(&RegisterMap::for_design(cfg)),
            aer_in: AerInModel::new(t.rows, t.input_bits, t.in_fifo_depth as usize),
            seq: SequencerModel::new(t.input_bits, t.adc_share),
            neurons: vec![LifModel::default(); t.cols as usize],
            out: FifoModel::new(t.out_fifo_depth as usize),
            prog: ProgrammerModel::new(t.rows, t.cols),
        };
        Self {
            layout: PortLayout::new(tile_ports(cfg)),
            reset_style: cfg.design.reset,
            neuron_reset: cfg.neuron.reset,
            cols: t.cols as usize,
            share: t.adc_share as usize,
            adc_max: d.adc_max as u16,
            s1: false,
            s2: false,
            regs: parts.regs.clone(),
            aer_in: parts.aer_in.clone(),
            seq: parts.seq.clone(),
            neurons: parts.neurons.clone(),
            out: parts.out.clone(),
            prog: parts.prog.clone(),
            timeout_flag: false,
            fresh: Box::new(parts),
        }
    }

    fn reset_design(&mut self) {
        let f = &self.fresh;
        self.regs = f.regs.clone();
        self.aer_in = f.aer_in.clone();
        self.seq = f.seq.clone();
        self.neurons = f.neurons.clone();
        self.out = f.out.clone();
        self.prog = f.prog.clone();
        self.timeout_flag = false;
    }

    fn any_pending(&self) -> bool {
        self.neurons.iter().any(|n| n.pending)
    }

    /// The `status` register.
    fn status(&self) -> u32 {
        [
            self.aer_in.fifo.nonempty(),
            self.aer_in.fifo.full(),
            self.out.nonempty(),
            self.out.full(),
            !self.seq.idle(),
            self.prog.busy(),
            self.any_pending(),
            self.timeout_flag,
        ]
        .iter()
        .enumerate()
        .fold(0, |acc, (i, b)| acc | u32::from(*b) << i)
    }

    fn clamp(&self, code: u64) -> u16 {
        (code as u16).min(self.adc_max)
    }

    /// One edge of the running design (reset released).
    fn step(&mut self, v: &[u64]) {
        let l = &self.layout;
        let get = |n: &str| l.get(v, n);
        let hw = |n: &str| self.regs.hw_value(n);
        let ctrl = hw("ctrl");
        let cmd = hw("cmd");
        let params = NeuronParams {
            threshold: hw("threshold") as u16,
            leak: hw("leak") as u16,
            refractory: hw("refractory") as u8,
        };
        let codes: Vec<u16> = (0..self.cols.div_ceil(self.share))
            .map(|a| self.clamp(get(&format!("xbar_adc_code__{a}"))))
            .collect();
        let adc_valid = get("xbar_adc_valid") != 0;

        // Sequencer decisions on the pre-edge state.
        let scan = self.seq.scan_col as usize;
        let si = SeqInputs {
            enable: ctrl & 1 != 0,
            leak_enable: ctrl & 2 != 0,
            leak_period: hw("leak_period") as u16,
            head: self.aer_in.fifo.head().map(|e| (e.row, e.value)),
            prog_busy: self.prog.busy(),
            adc_valid,
            any_pending: self.any_pending(),
            hit: scan < self.cols && self.neurons[scan].pending,
            out_full: self.out.full(),
        };
        let act = self.seq.actions(&si);

        // Programmer inputs: the lane and slot of the requested column.
        let pa = hw("prog_addr");
        let pulse = hw("prog_pulse");
        let req = ProgRequest {
            row: pa as u8,
            col: (pa >> 8) as u8,
            target: hw("prog_target") as u16,
            tolerance: hw("prog_tolerance") as u16,
            max_pulses: hw("prog_max_pulses") as u8,
            amp: pulse as u8,
            width: (pulse >> 8) as u8,
        };
        let pcol = self.prog.req.col as usize;
        let (plane, pslot) = (pcol / self.share, (pcol % self.share) as u8);
        let pcode = codes.get(plane).copied().unwrap_or(codes[codes.len() - 1]);

        // Register file (read-only values are the pre-edge hardware state).
        let ro = (
            self.status(),
            u32::from(self.aer_in.dropped),
            self.prog.status(),
        );
        let bus = WbIn {
            stb: get("wbs_stb_i") != 0,
            cyc: get("wbs_cyc_i") != 0,
            we: get("wbs_we_i") != 0,
            sel: get("wbs_sel_i") as u8,
            adr: get("wbs_adr_i") as u32,
            dat: get("wbs_dat_i") as u32,
        };
        self.regs.clock(&bus, &|r| match r.name {
            "status" => ro.0,
            "dropped" => ro.1,
            "prog_status" => ro.2,
            _ => 0,
        });

        // Neurons.
        for (c, n) in self.neurons.iter_mut().enumerate() {
            let op = if act.leak {
                NeuronOp::Leak
            } else if act.commit {
                NeuronOp::Commit
            } else if act.push == Some(c as u8) {
                NeuronOp::Clear
            } else if let Some((slot, bit)) = act.add {
                if c % self.share == slot as usize {
                    let x = (codes[c / self.share] as u32) << bit;
                    NeuronOp::Add(x.min(0xffff) as u16)
                } else {
                    NeuronOp::None
                }
            } else {
                NeuronOp::None
            };
            n.clock(op, &params, self.neuron_reset);
        }

        // Queues.
        self.aer_in.clock(
            get("aer_in_addr") as u8,
            get("aer_in_value") as u8,
            get("aer_in_valid") != 0,
            act.pop,
            cmd & 1 != 0,
        );
        let out_pop = self.out.nonempty() && get("aer_out_ready") != 0;
        self.out.clock(out_pop, act.push);

        let seq_idle = self.seq.idle();
        self.seq.clock(&si);
        self.prog
            .clock(cmd & 2 != 0, &req, seq_idle, adc_valid, pcode, pslot);
        self.timeout_flag = (self.timeout_flag || act.timeout) && cmd & 1 == 0;
    }
}

impl CycleModel for TileModel {
    fn layout(&self) -> &PortLayout {
        &self.layout
    }

    fn tick(&mut self, values: &[u64]) {
        let rst = self.layout.get(values, "wb_rst_i") != 0;
        match self.reset_style {
            ResetStyle::Async => {
                if rst {
                    self.reset_design();
                    self.s1 = false;
                    self.s2 = false;
                    return;
                }
                if self.s2 {
                    self.step(values);
                }
                self.s2 = self.s1;
                self.s1 = true;
            }
            ResetStyle::Sync => {
                if self.s2 {
                    self.step(values);
                } else {
                    self.reset_design();
                }
                self.s2 = !rst && self.s1;
                self.s1 = !rst;
            }
        }
    }

    fn outputs(&self, values: &mut [u64]) {
        let l = &self.layout;
        let cmd = self.seq.cmd.or(self.prog.cmd);
        l.set(values, "wbs_ack_o", u64::from(self.regs.ack()));
        l.set(values, "wbs_dat_o", u64::from(self.regs.rdata()));
        l.set(values, "aer_in_ready", u64::from(self.aer_in.ready()));
        l.set(
            values,
            "aer_out_addr",
            u64::from(self.out.head().unwrap_or(0)),
        );
        l.set(values, "aer_out_valid", u64::from(self.out.nonempty()));
        l.set(values, "xbar_op", u64::from(cmd.op));
        l.set(values, "xbar_row", u64::from(cmd.row));
        l.set(values, "xbar_col", u64::from(cmd.col));
        l.set(values, "xbar_sel", u64::from(cmd.sel));
        l.set(values, "xbar_amp", u64::from(cmd.amp));
        l.set(values, "xbar_width", u64::from(cmd.width));
    }
}
