//! Seeded traffic for the AER merge: one [`AerSource`] per input, one
//! [`AerSink`] on the output, resets now and then, and a scoreboard that
//! checks, independently of the golden model, that every event taken by the
//! merge leaves it exactly once and in order per input.

use super::aer_link::{AerSink, AerSource};
use super::bits::{field_below, Bits};
use super::Stimulus;
use crate::aer_merge::MergePins;
use crate::cycle::{MissingPort, PortLayout};
use memforge_spec::blocks::aer_merge::AerMergeConfig;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

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
