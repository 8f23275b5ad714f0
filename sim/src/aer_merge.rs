//! Golden model of the AER merge, written from `docs/aer_merge.md`, and
//! the seeded traffic that exercises it: one [`AerSource`] per input, one
//! [`AerSink`] on the output, resets now and then, and a scoreboard that
//! checks, independently of the model, that every event taken by the merge
//! leaves it exactly once and in order per input.

use crate::cosim::aer_link::{AerSink, AerSource, LinkPins};
use crate::cosim::bits::{field_below, Bits};
use crate::cosim::Stimulus;
use crate::cycle::{CycleModel, MissingPort, Pin, PortLayout};
use memforge_spec::blocks::aer_merge::{contract, input_port, AerMergeConfig, RESET};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// The merge's pins.
#[derive(Clone, Debug)]
pub struct MergePins {
    pub rst_n: Pin,
    /// One link per input (`in_valid__i`, `in_addr__i`, `in_ready__i`).
    pub inputs: Vec<LinkPins>,
    pub out: LinkPins,
}

impl MergePins {
    pub fn new(layout: &PortLayout, inputs: u32) -> Result<Self, MissingPort> {
        Ok(Self {
            rst_n: layout.pin(RESET)?,
            inputs: (0..inputs)
                .map(|i| {
                    LinkPins::new(
                        layout,
                        &input_port("in_valid", i),
                        &input_port("in_addr", i),
                        &input_port("in_ready", i),
                    )
                })
                .collect::<Result<_, _>>()?,
            out: LinkPins::new(layout, "out_valid", "out_addr", "out_ready")?,
        })
    }
}

/// The merge at its ports, cycle-accurate.
#[derive(Clone, Debug)]
pub struct AerMergeModel {
    layout: PortLayout,
    pins: MergePins,
    depth: usize,
    mask: u64,
    fifos: Vec<VecDeque<u64>>,
    out_full: bool,
    out_data: u64,
    /// The input granted last (`inputs` after reset).
    last: usize,
}

impl AerMergeModel {
    /// The merge of `cfg` in its reset state.
    pub fn new(cfg: &AerMergeConfig) -> Self {
        let p = &cfg.aer_merge;
        let layout = PortLayout::from_contract(&contract(p));
        let pins = MergePins::new(&layout, p.inputs).expect("the layout is the merge contract's");
        let mut m = Self {
            layout,
            pins,
            depth: p.fifo_depth as usize,
            mask: if p.addr_bits >= 64 {
                u64::MAX
            } else {
                (1 << p.addr_bits) - 1
            },
            fifos: vec![VecDeque::new(); p.inputs as usize],
            out_full: false,
            out_data: 0,
            last: 0,
        };
        m.reset();
        m
    }

    fn reset(&mut self) {
        for f in &mut self.fifos {
            f.clear();
        }
        self.out_full = false;
        self.out_data = 0;
        self.last = self.fifos.len();
    }

    /// The input granted at this edge: the highest non-empty input below
    /// the last granted one, else the highest non-empty input.
    fn grant(&self) -> Option<usize> {
        let nonempty = |i: &usize| !self.fifos[*i].is_empty();
        (0..self.last.min(self.fifos.len()))
            .rev()
            .find(nonempty)
            .or_else(|| (0..self.fifos.len()).rev().find(nonempty))
    }
}

impl CycleModel for AerMergeModel {
    fn layout(&self) -> &PortLayout {
        &self.layout
    }

    fn tick(&mut self, v: &[u64]) {
        if !self.pins.rst_n.is_high(v) {
            self.reset();
            return;
        }
        // Decisions on the pre-edge state.
        let space = !self.out_full || self.pins.out.ready.is_high(v);
        let full: Vec<bool> = self.fifos.iter().map(|f| f.len() >= self.depth).collect();
        if space {
            match self.grant() {
                Some(g) => {
                    self.out_data = self.fifos[g].pop_front().unwrap_or(0);
                    self.out_full = true;
                    self.last = g;
                }
                None => self.out_full = false,
            }
        }
        for (i, link) in self.pins.inputs.iter().enumerate() {
            if link.valid.is_high(v) && !full[i] {
                self.fifos[i].push_back(link.addr.get(v) & self.mask);
            }
        }
    }

    fn outputs(&self, v: &mut [u64]) {
        for (link, f) in self.pins.inputs.iter().zip(&self.fifos) {
            link.ready.set(v, u64::from(f.len() < self.depth));
        }
        self.pins.out.valid.set(v, u64::from(self.out_full));
        self.pins.out.addr.set(v, self.out_data);
    }
}

/// What the merge traffic exercised.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MergeCoverage {
    pub cycles: u64,
    pub resets: u64,
    /// Events taken by the merge, per input.
    pub taken_per_input: Vec<u64>,
    /// Events delivered at the output, per input they came from (the
    /// merge's grants that reached the sink).
    pub grants_per_input: Vec<u64>,
    /// Cycles an input offered an event and was refused.
    pub input_backpressure_cycles: u64,
    /// Cycles the merge offered an event and the sink refused it.
    pub output_backpressure_cycles: u64,
    /// Delivered events the scoreboard did not expect (lost, duplicated,
    /// reordered or corrupted): always 0 for a correct merge.
    pub scoreboard_errors: u64,
}

/// Seeded traffic for the merge: random sources on every input, a random
/// sink on the output, resets about every 8,192 cycles. Each event carries
/// its input's number in its low 4 bits (the rest random), so the
/// scoreboard knows where a delivered event came from.
pub struct MergeTraffic {
    rng: Bits,
    pins: MergePins,
    sources: Vec<AerSource>,
    sink: AerSink,
    mask: u64,
    reset_left: u32,
    /// Per input: events taken and not yet delivered, oldest first.
    expected: Vec<VecDeque<u64>>,
    cov: Rc<RefCell<MergeCoverage>>,
}

impl MergeTraffic {
    pub fn new(cfg: &AerMergeConfig, layout: &PortLayout, seed: u64) -> Result<Self, MissingPort> {
        let p = &cfg.aer_merge;
        let pins = MergePins::new(layout, p.inputs)?;
        let n = p.inputs as usize;
        Ok(Self {
            rng: Bits::new(seed),
            sources: pins.inputs.iter().map(|&l| AerSource::new(l)).collect(),
            sink: AerSink::new(pins.out),
            pins,
            mask: (1u64 << p.addr_bits) - 1,
            reset_left: 3,
            expected: vec![VecDeque::new(); n],
            cov: Rc::new(RefCell::new(MergeCoverage {
                taken_per_input: vec![0; n],
                grants_per_input: vec![0; n],
                ..Default::default()
            })),
        })
    }

    /// The counters (live).
    pub fn coverage(&self) -> Rc<RefCell<MergeCoverage>> {
        Rc::clone(&self.cov)
    }
}

impl Stimulus for MergeTraffic {
    fn drive(&mut self, cycle: u64, v: &mut [u64]) {
        let mut cov = self.cov.borrow_mut();
        cov.cycles += 1;
        let w = self.rng.word();
        if self.reset_left == 0 && cycle > 0 && field_below(w, 16, 8192) == 0 {
            self.reset_left = 1 + field_below(w >> 16, 8, 3) as u32;
            cov.resets += 1;
        }
        let in_reset = self.reset_left > 0;
        self.reset_left = self.reset_left.saturating_sub(1);
        self.pins.rst_n.set(v, u64::from(!in_reset));
        if in_reset {
            // Whatever the merge holds is lost with the reset.
            for (e, s) in self.expected.iter_mut().zip(&mut self.sources) {
                e.clear();
                s.abort();
            }
        }
        // The sink first: an event it takes now left the merge before any
        // event taken at this edge can.
        let delivered = self.sink.drive(&mut self.rng, v);
        cov.output_backpressure_cycles = self.sink.backpressured;
        if let Some(e) = delivered.filter(|_| !in_reset) {
            let src = (e & 0xf) as usize;
            match self.expected.get_mut(src).and_then(|q| q.pop_front()) {
                Some(want) if want == e => cov.grants_per_input[src] += 1,
                _ => cov.scoreboard_errors += 1,
            }
        }
        let mask = self.mask;
        let mut backpressured = 0;
        for (i, s) in self.sources.iter_mut().enumerate() {
            let taken = s.drive(cycle, &mut self.rng, v, |r| {
                (r.word() << 4 | i as u64) & mask
            });
            if let Some(e) = taken.filter(|_| !in_reset) {
                self.expected[i].push_back(e);
                cov.taken_per_input[i] += 1;
            }
            backpressured += s.backpressured;
        }
        cov.input_backpressure_cycles = backpressured;
    }
}
