//! Cycle-accurate model of a whole generated tile at its top-level ports,
//! composed of the block models and the register-file model. Written from
//! `docs/tile.md`; it implements [`CycleModel`] so that the rust-hdl
//! simulation and the Verilated RTL can be compared with it port by port.

use super::aer_in::AerInModel;
use super::fifo::FifoModel;
use super::learning::{LearnInputs, TileLearning};
use super::neuron::{LifModel, NeuronOp, NeuronParams};
use super::pins::TilePins;
use super::program::{ProgRequest, ProgrammerModel};
use super::rst_sync::{Edge, RstSyncModel};
use super::sequencer::{SeqInputs, SequencerModel};
use crate::cycle::{CycleModel, PortLayout};
use crate::regfile::RegFileModel;
use memforge_spec::{blocks, Derived, DesignConfig, NeuronReset, RegisterMap};

/// Indices of the registers the tile's hardware reads, in the register
/// file (resolved once for the same reason as [`TilePins`]).
#[derive(Clone, Copy, Debug)]
struct RegIx {
    ctrl: Option<usize>,
    cmd: Option<usize>,
    threshold: Option<usize>,
    leak: Option<usize>,
    refractory: Option<usize>,
    leak_period: Option<usize>,
    prog_addr: Option<usize>,
    prog_pulse: Option<usize>,
    prog_target: Option<usize>,
    prog_tolerance: Option<usize>,
    prog_max_pulses: Option<usize>,
    status: Option<usize>,
    dropped: Option<usize>,
    prog_status: Option<usize>,
}

impl RegIx {
    fn new(r: &RegFileModel) -> Self {
        Self {
            ctrl: r.index("ctrl"),
            cmd: r.index("cmd"),
            threshold: r.index("threshold"),
            leak: r.index("leak"),
            refractory: r.index("refractory"),
            leak_period: r.index("leak_period"),
            prog_addr: r.index("prog_addr"),
            prog_pulse: r.index("prog_pulse"),
            prog_target: r.index("prog_target"),
            prog_tolerance: r.index("prog_tolerance"),
            prog_max_pulses: r.index("prog_max_pulses"),
            status: r.index("status"),
            dropped: r.index("dropped"),
            prog_status: r.index("prog_status"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct TileModel {
    layout: PortLayout,
    at: TilePins,
    rix: RegIx,
    neuron_reset: NeuronReset,
    cols: usize,
    share: usize,
    adc_max: u16,
    /// This cycle's clamped ADC codes (kept to avoid an allocation per cycle).
    codes: Vec<u16>,
    /// The reset synchronizer.
    sync: RstSyncModel,
    pub regs: RegFileModel,
    pub aer_in: AerInModel,
    pub seq: SequencerModel,
    pub neurons: Vec<LifModel>,
    pub out: FifoModel<u8>,
    pub prog: ProgrammerModel,
    timeout_flag: bool,
    stale_flag: bool,
    /// The learning controller and its register window (`[learning]
    /// rule`), absent for an inference-only tile.
    pub learning: Option<TileLearning>,
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
    learning: Option<TileLearning>,
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
            prog: ProgrammerModel::new(t.rows, t.cols, t.adc_bits),
            learning: TileLearning::new(cfg),
        };
        let layout = PortLayout::from_contract(&blocks::tile::contract(cfg));
        Self {
            at: TilePins::new(&layout).expect("the layout is the tile contract's"),
            rix: RegIx::new(&parts.regs),
            codes: vec![0; d.adc_count as usize],
            layout,
            neuron_reset: cfg.neuron.reset,
            cols: t.cols as usize,
            share: t.adc_share as usize,
            adc_max: d.adc_max as u16,
            sync: RstSyncModel::new(cfg.design.reset),
            regs: parts.regs.clone(),
            aer_in: parts.aer_in.clone(),
            seq: parts.seq.clone(),
            neurons: parts.neurons.clone(),
            out: parts.out.clone(),
            prog: parts.prog.clone(),
            timeout_flag: false,
            stale_flag: false,
            learning: parts.learning.clone(),
            fresh: Box::new(parts),
        }
    }

    /// The STDP controller (`rule = "stdp"`).
    pub fn stdp(&self) -> Option<&super::learn_stdp::StdpLearning> {
        self.learning.as_ref()?.stdp()
    }

    /// The SDSP controller (`rule = "sdsp"`).
    pub fn sdsp(&self) -> Option<&super::learn_sdsp::SdspLearning> {
        self.learning.as_ref()?.sdsp()
    }

    /// The e-prop controller (`rule = "eprop"`).
    pub fn eprop(&self) -> Option<&super::learn_eprop::EpropLearning> {
        self.learning.as_ref()?.eprop()
    }

    /// The PCM-trace controller (`rule = "pcm_trace"`).
    pub fn pcm_trace(&self) -> Option<&super::learn_pcm_trace::PcmTraceLearning> {
        self.learning.as_ref()?.pcm_trace()
    }

    fn reset_design(&mut self) {
        // `clone_from` reuses the allocations (a reset can last many cycles).
        let f = &self.fresh;
        self.regs.clone_from(&f.regs);
        self.aer_in.clone_from(&f.aer_in);
        self.seq.clone_from(&f.seq);
        self.neurons.clone_from(&f.neurons);
        self.out.clone_from(&f.out);
        self.prog.clone_from(&f.prog);
        self.learning.clone_from(&f.learning);
        self.timeout_flag = false;
        self.stale_flag = false;
    }

    fn any_pending(&self) -> bool {
        self.neurons.iter().any(|n| n.pending)
    }

    /// The `status` register (`pending`: [`Self::any_pending`]).
    fn status(&self, pending: bool) -> u32 {
        use memforge_spec::blocks::tile::status as st;
        [
            (st::IN_NONEMPTY, self.aer_in.fifo.nonempty()),
            (st::IN_FULL, self.aer_in.fifo.full()),
            (st::OUT_NONEMPTY, self.out.nonempty()),
            (st::OUT_FULL, self.out.full()),
            (st::SEQ_BUSY, !self.seq.idle()),
            (st::PROG_BUSY, self.prog.busy()),
            (st::PENDING, pending),
            (st::TIMEOUT, self.timeout_flag),
            (st::STALE, self.stale_flag),
        ]
        .iter()
        .fold(0, |acc, &(bit, on)| acc | u32::from(on) << bit)
    }

    fn hw(&self, index: Option<usize>) -> u32 {
        index.map_or(0, |i| self.regs.value(i))
    }

    /// One edge of the running design (reset released).
    fn step(&mut self, v: &[u64]) {
        let at = &self.at;
        let rix = self.rix;
        let ctrl = self.hw(rix.ctrl);
        let cmd = self.hw(rix.cmd);
        let params = NeuronParams {
            threshold: self.hw(rix.threshold) as u16,
            leak: self.hw(rix.leak) as u16,
            refractory: self.hw(rix.refractory) as u8,
        };
        let adc_max = self.adc_max;
        for (c, &w) in self.codes.iter_mut().zip(&at.adc_codes) {
            *c = (w.get(v) as u16).min(adc_max);
        }
        let adc_valid = at.adc_valid.is_high(v);
        let pending = self.any_pending();
        // The learning controller's pre-edge state (the sequencer waits
        // while it has work; the programmer while it drives the bus).
        let (learn_busy, learn_active) = self
            .learning
            .as_ref()
            .map_or((false, false), |l| (l.busy(), l.active()));
        let prog_busy = self.prog.busy();

        // Sequencer decisions on the pre-edge state.
        let scan = self.seq.scan_col as usize;
        let si = SeqInputs {
            enable: ctrl & 1 != 0,
            leak_enable: ctrl & 2 != 0,
            leak_period: self.hw(rix.leak_period) as u16,
            head: self.aer_in.fifo.head().map(|e| (e.row, e.value)),
            prog_busy: prog_busy || learn_busy,
            adc_valid,
            any_pending: pending,
            hit: scan < self.cols && self.neurons[scan].pending,
            out_full: self.out.full(),
        };
        let act = self.seq.actions(&si);

        // Programmer inputs: the lane and slot of the requested column.
        let pa = self.hw(rix.prog_addr);
        let pulse = self.hw(rix.prog_pulse);
        let req = ProgRequest {
            row: pa as u8,
            col: (pa >> 8) as u8,
            target: self.hw(rix.prog_target) as u16,
            tolerance: self.hw(rix.prog_tolerance) as u16,
            max_pulses: self.hw(rix.prog_max_pulses) as u8,
            amp: pulse as u8,
            width: (pulse >> 8) as u8,
        };
        let pcol = self.prog.req.col as usize;
        let (plane, pslot) = (pcol / self.share, (pcol % self.share) as u8);
        let codes = &self.codes;
        let pcode = codes.get(plane).copied().unwrap_or(codes[codes.len() - 1]);

        // Register file (read-only values are the pre-edge hardware state).
        let ro = (
            self.status(pending),
            u32::from(self.aer_in.dropped),
            self.prog.status(),
        );
        let bus = at.wb.request(v);
        self.regs.clock_indexed(&bus, |i| match Some(i) {
            i if i == rix.status => ro.0,
            i if i == rix.dropped => ro.1,
            i if i == rix.prog_status => ro.2,
            _ => 0,
        });

        // The learning controller (pre-edge inputs: before the neurons,
        // queues and sequencer move).
        if let Some(l) = &mut self.learning {
            l.clock(
                &bus,
                &LearnInputs {
                    pop: if act.pop { si.head } else { None },
                    push: act.push,
                    seq_idle: self.seq.idle(),
                    prog_busy,
                    adc_valid,
                    codes: &self.codes,
                    neurons: &self.neurons,
                    threshold: params.threshold,
                },
            );
        }

        // Neurons: at most one operation kind per cycle (the leak or commit
        // of one ADC slot, the clear of the scanned column, or the addition
        // of one ADC slot), decided once per cycle rather than per neuron.
        let (share, reset) = (self.share, self.neuron_reset);
        let neurons = &mut self.neurons;
        let all = |neurons: &mut [LifModel], op| {
            for n in neurons.iter_mut() {
                n.clock(op, &params, reset);
            }
        };
        let slot_op = |neurons: &mut [LifModel], slot: u8, op| {
            for (c, n) in neurons.iter_mut().enumerate() {
                let op = if c % share == slot as usize {
                    op
                } else {
                    NeuronOp::None
                };
                n.clock(op, &params, reset);
            }
        };
        if let Some(slot) = act.leak {
            slot_op(neurons, slot, NeuronOp::Leak);
        } else if let Some(slot) = act.commit {
            slot_op(neurons, slot, NeuronOp::Commit);
        } else if let Some(col) = act.push {
            for (c, n) in neurons.iter_mut().enumerate() {
                let op = if c == col as usize {
                    NeuronOp::Clear
                } else {
                    NeuronOp::None
                };
                n.clock(op, &params, reset);
            }
        } else if let Some((slot, bit)) = act.add {
            for (c, n) in neurons.iter_mut().enumerate() {
                let op = if c % share == slot as usize {
                    let x = (codes[c / share] as u32) << bit;
                    NeuronOp::Add(x.min(0xffff) as u16)
                } else {
                    NeuronOp::None
                };
                n.clock(op, &params, reset);
            }
        } else {
            all(neurons, NeuronOp::None);
        }

        // Queues.
        self.aer_in.clock(
            at.in_addr.get(v) as u8,
            at.in_value.get(v) as u8,
            at.in_valid.is_high(v),
            act.pop,
            cmd & 1 != 0,
        );
        let out_pop = self.out.nonempty() && at.out_ready.is_high(v);
        self.out.clock(out_pop, act.push);

        let seq_idle = self.seq.idle();
        self.seq.clock(&si);
        self.prog.clock(
            cmd & 2 != 0,
            &req,
            seq_idle && !learn_active,
            adc_valid,
            pcode,
            pslot,
        );
        self.timeout_flag = (self.timeout_flag || act.timeout) && cmd & 1 == 0;
        self.stale_flag = (self.stale_flag || act.stale || self.prog.stale) && cmd & 1 == 0;
    }
}

impl CycleModel for TileModel {
    fn layout(&self) -> &PortLayout {
        &self.layout
    }

    fn tick(&mut self, values: &[u64]) {
        match self.sync.edge(self.at.rst.is_high(values)) {
            Edge::Reset => self.reset_design(),
            Edge::Run => self.step(values),
            Edge::Hold => {}
        }
    }

    fn outputs(&self, values: &mut [u64]) {
        let at = &self.at;
        let mut cmd = self.seq.cmd.or(self.prog.cmd);
        let (mut ack, mut rdata) = (self.regs.ack(), self.regs.rdata());
        if let Some(l) = &self.learning {
            // Both windows acknowledge every request; the one not addressed
            // reads 0.
            cmd = cmd.or(l.command());
            let (lack, ldata) = l.bus_answer();
            ack |= lack;
            rdata |= ldata;
        }
        at.wb.ack.set(values, u64::from(ack));
        at.wb.dat_o.set(values, u64::from(rdata));
        at.in_ready.set(values, u64::from(self.aer_in.ready()));
        at.out_addr
            .set(values, u64::from(self.out.head().unwrap_or(0)));
        at.out_valid.set(values, u64::from(self.out.nonempty()));
        at.set_command(values, &cmd);
    }
}
