//! The variants' periphery at its ports, cycle-accurate: reset
//! synchronizer, register file (`crate::regfile`), AER input FIFO
//! (`crate::tile::aer_in`), step timer and row pulses, one spike detector
//! per column, readout scan and output FIFO. Behaviour as documented in
//! `docs/seed_circuits.md`, "Tile variants".

use crate::cycle::{CycleModel, MissingPort, Pin, PortLayout};
use crate::pins::{LinkPins, WishbonePins};
use crate::regfile::RegFileModel;
use crate::tile::aer_in::AerInModel;
use crate::tile::fifo::FifoModel;
use crate::tile::rst_sync::{Edge, RstSyncModel};
use memforge_spec::seed::tile::{self as spec, status};
use memforge_spec::{blocks, DesignConfig, NeuronKind};

/// The variants' pins, resolved once.
#[derive(Clone, Debug)]
pub struct SeedPins {
    pub rst: Pin,
    pub wb: WishbonePins,
    pub aer_in: LinkPins,
    pub aer_out: LinkPins,
    /// `xbar_pulse__<i>`, one per row.
    pub pulse: Vec<Pin>,
    /// `xbar_spike__<j>`, one per column.
    pub spike: Vec<Pin>,
    /// `xbar_reset__<j>` (PNN), else empty.
    pub reset: Vec<Pin>,
}

impl SeedPins {
    pub fn new(layout: &PortLayout, cfg: &DesignConfig) -> Result<Self, MissingPort> {
        let (rows, cols) = (cfg.tile.rows, cfg.tile.cols);
        let pnn = cfg.neuron.kind == NeuronKind::Pnn;
        Ok(Self {
            rst: layout.pin(blocks::tile::RESET)?,
            wb: WishbonePins::new(layout)?,
            aer_in: LinkPins::new(layout, "aer_in_valid", "aer_in_addr", "aer_in_ready")?,
            aer_out: LinkPins::new(layout, "aer_out_valid", "aer_out_addr", "aer_out_ready")?,
            pulse: (0..rows)
                .map(|i| layout.pin(&spec::pulse_port(i)))
                .collect::<Result<_, _>>()?,
            spike: (0..cols)
                .map(|j| layout.pin(&spec::spike_port(j)))
                .collect::<Result<_, _>>()?,
            reset: (0..if pnn { cols } else { 0 })
                .map(|j| layout.pin(&spec::reset_port(j)))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// One column's spike detector.
#[derive(Clone, Copy, Debug, Default)]
struct Detector {
    cmp: bool,
    prev: bool,
    blank: u8,
    pending: bool,
}

/// Register indices the hardware reads or presents.
#[derive(Clone, Copy, Debug)]
struct Ix {
    ctrl: usize,
    step_period: usize,
    pulse_len: usize,
    hold: usize,
    cmd: usize,
    status: usize,
    dropped: usize,
    overrun: usize,
    spikes: usize,
}

/// The resettable state.
#[derive(Clone, Debug)]
struct State {
    aer_in: AerInModel,
    out: FifoModel<u8>,
    phase: u16,
    pulse_on: bool,
    pending: Vec<bool>,
    active: Vec<bool>,
    det: Vec<Detector>,
    overrun: u16,
    spikes: u16,
}

#[derive(Clone, Debug)]
pub struct SeedTileModel {
    layout: PortLayout,
    pins: SeedPins,
    regs: RegFileModel,
    ix: Ix,
    st: State,
    fresh: State,
    sync: RstSyncModel,
}

impl SeedTileModel {
    /// The model of a variant config, in reset.
    pub fn new(cfg: &DesignConfig) -> Self {
        let layout = PortLayout::from_contract(&spec::contract(cfg));
        let pins = SeedPins::new(&layout, cfg).expect("the layout is the variant contract's");
        let regs = RegFileModel::new(&spec::register_map(cfg));
        let i = |n: &str| regs.index(n).expect("a register of the variant map");
        let ix = Ix {
            ctrl: i("ctrl"),
            step_period: i("step_period"),
            pulse_len: i("pulse_len"),
            hold: i("hold"),
            cmd: i("cmd"),
            status: i("status"),
            dropped: i("dropped"),
            overrun: i("overrun"),
            spikes: i("spikes"),
        };
        let t = &cfg.tile;
        let fresh = State {
            aer_in: AerInModel::new(t.rows, 1, t.in_fifo_depth as usize),
            out: FifoModel::new(t.out_fifo_depth as usize),
            phase: 0,
            pulse_on: false,
            pending: vec![false; t.rows as usize],
            active: vec![false; t.rows as usize],
            det: vec![Detector::default(); t.cols as usize],
            overrun: 0,
            spikes: 0,
        };
        Self {
            layout,
            pins,
            regs,
            ix,
            st: fresh.clone(),
            fresh,
            sync: RstSyncModel::new(cfg.design.reset),
        }
    }

    fn reset_design(&mut self) {
        self.st.clone_from(&self.fresh);
        self.regs.reset();
    }

    /// The highest column with a pending spike.
    fn scan(&self) -> Option<usize> {
        self.st.det.iter().rposition(|d| d.pending)
    }

    /// One edge of the running design.
    fn step(&mut self, v: &[u64]) {
        let r = |i: usize| self.regs.value(i);
        let run = r(self.ix.ctrl) & 1 != 0;
        let clear = r(self.ix.cmd) & 1 != 0;
        let (step_period, pulse_len, hold) = (
            r(self.ix.step_period) as u16,
            r(self.ix.pulse_len) as u16,
            r(self.ix.hold) as u8,
        );
        let st = &mut self.st;
        // Everything below decides on the pre-edge state.
        let scan = st.det.iter().rposition(|d| d.pending);
        let push = scan.filter(|_| !st.out.full());
        let status_now = u32::from(st.aer_in.fifo.nonempty()) << status::IN_NONEMPTY
            | u32::from(st.aer_in.fifo.full()) << status::IN_FULL
            | u32::from(st.out.nonempty()) << status::OUT_NONEMPTY
            | u32::from(st.out.full()) << status::OUT_FULL
            | u32::from(scan.is_some()) << status::PENDING
            | u32::from(st.det.iter().any(|d| d.blank != 0)) << status::BLANKED;
        let ro = [
            (self.ix.status, status_now),
            (self.ix.dropped, u32::from(st.aer_in.dropped)),
            (self.ix.overrun, u32::from(st.overrun)),
            (self.ix.spikes, u32::from(st.spikes)),
        ];
        self.regs.clock_indexed(&self.pins.wb.request(v), |i| {
            ro.iter().find(|(k, _)| *k == i).map_or(0, |(_, x)| *x)
        });

        // Step timer and row pulses.
        let wrap = run && st.phase == step_period;
        let phase_next = if !run || wrap {
            0
        } else {
            st.phase.wrapping_add(1)
        };
        let pop = run && st.aer_in.fifo.nonempty();
        let head = st.aer_in.fifo.head().map(|e| usize::from(e.row));
        for i in 0..st.pending.len() {
            let event = pop && head == Some(i);
            let was = st.pending[i];
            st.pending[i] = (was && !wrap) || event;
            st.active[i] = run && if wrap { was } else { st.active[i] };
        }
        st.phase = phase_next;
        st.pulse_on = run && phase_next < pulse_len;

        // Spike detectors.
        let mut ovr = false;
        for (j, d) in st.det.iter_mut().enumerate() {
            let take = push == Some(j);
            let fire = d.cmp && !d.prev && d.blank == 0;
            ovr |= fire && d.pending && !take;
            d.blank = if fire {
                hold
            } else {
                d.blank.saturating_sub(1)
            };
            d.pending = (d.pending && !take) || fire;
            d.prev = d.cmp;
            d.cmp = self.pins.spike[j].is_high(v);
        }
        if ovr && st.overrun != u16::MAX {
            st.overrun += 1;
        }
        if push.is_some() {
            st.spikes = st.spikes.wrapping_add(1);
        }
        if clear {
            st.overrun = 0;
            st.spikes = 0;
        }

        // AER in (the pop decided above) and out.
        let a = self.pins.aer_in;
        st.aer_in
            .clock(a.addr.get(v) as u8, 1, a.valid.is_high(v), pop, clear);
        let taken = st.out.nonempty() && self.pins.aer_out.ready.is_high(v);
        st.out.clock(taken, push.map(|j| j as u8));
    }

    /// Whether row `i` is pulsed this cycle (for the analog macro).
    pub fn pulsed(&self, i: usize) -> bool {
        self.st.active[i] && self.st.pulse_on
    }

    /// Spikes waiting to be queued (for tests).
    pub fn scan_pending(&self) -> Option<usize> {
        self.scan()
    }
}

impl CycleModel for SeedTileModel {
    fn layout(&self) -> &PortLayout {
        &self.layout
    }

    fn tick(&mut self, v: &[u64]) {
        match self.sync.edge(self.pins.rst.is_high(v)) {
            Edge::Reset => self.reset_design(),
            Edge::Run => self.step(v),
            Edge::Hold => {}
        }
    }

    fn outputs(&self, v: &mut [u64]) {
        let p = &self.pins;
        p.wb.ack.set(v, u64::from(self.regs.ack()));
        p.wb.dat_o.set(v, u64::from(self.regs.rdata()));
        p.aer_in.ready.set(v, u64::from(self.st.aer_in.ready()));
        p.aer_out.valid.set(v, u64::from(self.st.out.nonempty()));
        p.aer_out
            .addr
            .set(v, u64::from(self.st.out.head().unwrap_or(0)));
        for (i, pin) in p.pulse.iter().enumerate() {
            pin.set(v, u64::from(self.pulsed(i)));
        }
        for (pin, d) in p.reset.iter().zip(&self.st.det) {
            pin.set(v, u64::from(d.blank != 0));
        }
    }
}
