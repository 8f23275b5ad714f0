//! Golden model of the AER merge, written from `docs/aer_merge.md`. Its
//! traffic and scoreboard: `crate::stimulus::merge_traffic`.

use crate::cycle::{CycleModel, MissingPort, Pin, PortLayout};
use crate::pins::LinkPins;
use memforge_spec::blocks::aer_merge::{contract, input_port, AerMergeConfig, RESET};
use std::collections::VecDeque;

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
