//! The network-level simulator: every tile as its golden model defines it
//! at the level of input events, every spike delivered as mapped.
//!
//! Time is in steps. In step `s`, each tile takes the spikes addressed to
//! it (external inputs of step `s`, neuron spikes of step `s - 1`) in
//! crossbar-row order; per spike (an input event of value 1) the sequencer
//! reads that row and every neuron adds its column's ADC code
//! (saturating at 16 bits, `LifModel`'s `Add`), then the commit fires every
//! neuron at or above the tile's threshold (reset to 0 or by subtraction,
//! `[neuron] reset`), and the scan queues them in column order. Leak and
//! refractory time are cycle-timed in the tile (the leak timer, a
//! refractory count in clock cycles), so a mapped network runs with both
//! at 0; [`NetSim::new`] refuses anything else.
//!
//! The float reference runs the same schedule on `f64` potentials with the
//! unrounded weights.

use super::cells::{CellModel, Cells};
use super::deliver::Deliveries;
use crate::map::{Mapping, Source};
use memforge_spec::NeuronReset;

/// Per-tile neuron registers of a mapped network.
#[derive(Clone, Debug, PartialEq)]
pub struct TileParams {
    pub threshold: u16,
}

struct SimTile {
    rows: usize,
    cols: usize,
    cells: Cells,
    threshold: u16,
    /// Spike id of each column: its neuron, or the simulator's sink id
    /// (a source without fan-out, never counted) for a column without one.
    id: Vec<u32>,
    v: Vec<u16>,
    vf: Vec<f64>,
    /// Where its rows start in the simulator's `pending`.
    base: usize,
    codes: Vec<u16>,
}

/// One simulated presentation's outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Spikes per neuron.
    pub counts: Vec<u32>,
    /// (step, neuron) of every spike, when recording.
    pub raster: Vec<(u32, u32)>,
    /// Synaptic events: spikes delivered times neurons in the tile.
    pub synaptic_events: u64,
    /// Spikes through each router grid cell (Mosaic), row-major over the grid.
    pub router_spikes: Vec<u64>,
}

pub struct NetSim {
    tiles: Vec<SimTile>,
    deliveries: Deliveries,
    reset: NeuronReset,
    float: bool,
    grid_cols: usize,
    grid_cells: usize,
    neurons: usize,
    /// This step's spikes per source (`fired[s]`, neurons then inputs then
    /// the sink) and the sources with a nonzero count (`active`), delivered
    /// next step: a source's spikes of one step go to the same rows, so
    /// they are delivered once with their count, not once per spike.
    fired: Vec<u32>,
    active: Vec<u32>,
    /// The previous step's `active`, being delivered.
    delivering: Vec<u32>,
    /// The spikes of the step in the tiles' output order (per tile, per
    /// event, column order) when recording the raster; scratch otherwise.
    list: Vec<u32>,
    inputs: usize,
    /// Fan-out rows of source `s` (neurons, then inputs):
    /// `fan_rows[fan_start[s]..fan_start[s + 1]]`, as indices into
    /// `pending` (a tile's `base` + its row: one add per delivery).
    fan_start: Vec<u32>,
    fan_rows: Vec<u32>,
    /// Spikes waiting for this step, per row of every tile (tile `t`'s at
    /// `tiles[t].base..`).
    pending: Vec<u32>,
    /// Spikes sent per source in the current presentation.
    sent: Vec<u64>,
}

impl NetSim {
    /// A simulator of `m` with `params` per tile (tile index order) and
    /// cells read as `model`. `weights(source)` gives a source's weight
    /// row (only the float model uses it).
    pub fn new(
        m: &Mapping,
        params: &[TileParams],
        model: &CellModel,
        weights: &dyn Fn(Source) -> Vec<f64>,
    ) -> Result<NetSim, String> {
        if params.len() != m.tiles.len() {
            return Err(format!(
                "{} tile parameter sets for an array of {} tiles",
                params.len(),
                m.tiles.len()
            ));
        }
        let tc = m.cfg.tile_config();
        if tc.tile.input_bits != 1 {
            return Err(format!(
                "tile.input_bits = {}: spikes arrive as events of value 1; the network simulator models 1-bit inputs",
                tc.tile.input_bits
            ));
        }
        let sink = (m.neurons + m.inputs) as u32;
        let mut base = 0;
        let tiles: Vec<SimTile> = m
            .tiles
            .iter()
            .zip(params)
            .enumerate()
            .map(|(t, (im, p))| {
                let (rows, cols) = (im.rows.len(), im.columns.len());
                base += rows;
                SimTile {
                    rows,
                    cols,
                    cells: model.cells(m, t, weights),
                    threshold: p.threshold,
                    id: im.columns.iter().map(|n| n.unwrap_or(sink)).collect(),
                    v: vec![0; cols],
                    vf: vec![0.0; cols],
                    base: base - rows,
                    codes: vec![0; cols],
                }
            })
            .collect();
        let deliveries = Deliveries::of(m);
        let mut fan_start = vec![0u32];
        let mut fan_rows = Vec::new();
        for f in deliveries.neurons.iter().chain(&deliveries.inputs) {
            fan_rows.extend(
                f.rows
                    .iter()
                    .map(|&(t, r)| (tiles[t as usize].base + usize::from(r)) as u32),
            );
            fan_start.push(fan_rows.len() as u32);
        }
        fan_start.push(fan_rows.len() as u32); // the sink: no fan-out
        Ok(NetSim {
            tiles,
            inputs: m.inputs,
            sent: vec![0; fan_start.len() - 1],
            fan_start,
            fan_rows,
            pending: vec![0; base],
            deliveries,
            reset: tc.neuron.reset,
            float: matches!(model, CellModel::Float),
            grid_cols: m.cfg.grid_cols() as usize,
            grid_cells: (m.cfg.grid_rows() * m.cfg.grid_cols()) as usize,
            neurons: m.neurons,
            fired: vec![0; m.neurons + m.inputs + 1],
            active: Vec::new(),
            delivering: Vec::new(),
            list: Vec::new(),
        })
    }

    /// Whether any tile reads its cells through device models.
    pub fn has_analog_cells(&self) -> bool {
        self.tiles
            .iter()
            .any(|t| matches!(t.cells, Cells::Analog(_)))
    }

    pub fn deliveries(&self) -> &Deliveries {
        &self.deliveries
    }

    /// Sets the time since programming of analog cells (PCM drift).
    pub fn set_time(&mut self, seconds: f64) {
        for t in &mut self.tiles {
            if let Cells::Analog(a) = &mut t.cells {
                a.time_s = seconds;
            }
        }
    }

    /// Runs one presentation from rest: `inputs[s]` lists the inputs that
    /// spike in step `s`; after them the network runs until no spike is in
    /// flight (at most `drain` more steps). `record`: keep the raster.
    pub fn run(&mut self, inputs: &[Vec<u32>], drain: usize, record: bool) -> Outcome {
        let mut out = Outcome::default();
        let mut counts = vec![0u32; self.neurons + self.inputs + 1];
        // Spikes sent per source (neurons, then inputs): the routers'
        // usage follows from it once at the end, not per spike.
        self.sent.iter_mut().for_each(|x| *x = 0);
        for t in &mut self.tiles {
            t.v.iter_mut().for_each(|v| *v = 0);
            t.vf.iter_mut().for_each(|v| *v = 0.0);
        }
        self.fired.iter_mut().for_each(|x| *x = 0);
        self.active.clear();
        let n = self.neurons;
        let sink = (self.neurons + self.inputs) as u32;
        let mut step = 0usize;
        while step < inputs.len() + drain && (step < inputs.len() || !self.active.is_empty()) {
            // Deliver: previous step's neuron spikes (each source once,
            // with its count), this step's inputs.
            // Plain slices, so the loops keep them in registers.
            let (start, rows) = (&self.fan_start[..], &self.fan_rows[..]);
            let pending = &mut self.pending[..];
            let sent = &mut self.sent[..];
            let mut deliver = |s: usize, k: u32| {
                sent[s] += u64::from(k);
                for &g in &rows[start[s] as usize..start[s + 1] as usize] {
                    pending[g as usize] += k;
                }
            };
            std::mem::swap(&mut self.active, &mut self.delivering);
            let fired = &mut self.fired[..];
            for &s in &self.delivering {
                let k = std::mem::take(&mut fired[s as usize]);
                counts[s as usize] += k;
                deliver(s as usize, k);
            }
            self.delivering.clear();
            if let Some(ins) = inputs.get(step) {
                for &k in ins {
                    if (k as usize) < self.inputs {
                        deliver(n + k as usize, 1);
                    }
                }
            }
            self.list.clear();
            let mut spikes = StepSpikes {
                fired: &mut self.fired,
                active: &mut self.active,
                list: &mut self.list,
                record,
            };
            for t in self.tiles.iter_mut() {
                let pending = &mut self.pending[t.base..t.base + t.rows];
                let queued: u32 = pending.iter().sum();
                if queued == 0 {
                    continue;
                }
                out.synaptic_events += u64::from(queued) * t.cols as u64;
                // Columns without a neuron fire too, as the sink.
                t.process(self.reset, self.float, pending, &mut spikes);
            }
            if record {
                out.raster.extend(
                    self.list
                        .iter()
                        .filter(|&&k| k != sink)
                        .map(|&k| (step as u32, k)),
                );
            }
            step += 1;
        }
        // Spikes of the last step (not delivered: the drain ran out).
        for &s in &self.active {
            counts[s as usize] += std::mem::take(&mut self.fired[s as usize]);
        }
        self.active.clear();
        counts.truncate(self.neurons);
        out.counts = counts;
        out.router_spikes = vec![0; self.grid_cells];
        let d = &self.deliveries;
        for (f, &k) in d.neurons.iter().chain(&d.inputs).zip(&self.sent) {
            for &(i, j) in &f.routers {
                out.router_spikes[i as usize * self.grid_cols + j as usize] += k;
            }
        }
        out
    }
}

/// Where a step's spikes go: counted per source id (`fired`, the ids with a
/// nonzero count in `active`), and, when `record`, listed in the tiles'
/// output order (`list`, per event in column order, as the tile's FIFO).
struct StepSpikes<'a> {
    fired: &'a mut [u32],
    active: &'a mut Vec<u32>,
    list: &'a mut Vec<u32>,
    record: bool,
}

impl StepSpikes<'_> {
    #[inline]
    fn count(&mut self, id: u32, k: u32) {
        let f = &mut self.fired[id as usize];
        if *f == 0 {
            self.active.push(id);
        }
        *f += k;
    }
}

/// One tile of ideal cells (`levels` row-major, `rows x cols`) on its own:
/// the columns that fire for each event of `events` (rows, value 1, in
/// order, one per event, not re-sorted), as the network simulator computes
/// them. For the comparison with the cycle-accurate tile model.
pub fn tile_spikes(
    rows: usize,
    cols: usize,
    levels: &[u16],
    threshold: u16,
    reset: NeuronReset,
    events: &[u16],
) -> Vec<u16> {
    let mut t = SimTile {
        rows,
        cols,
        cells: Cells::Ideal(levels.to_vec()),
        threshold,
        id: (0..cols as u32).collect(),
        v: vec![0; cols],
        vf: vec![0.0; cols],
        base: 0,
        codes: vec![0; cols],
    };
    let mut pending = vec![0u32; rows];
    let mut fired = vec![0u32; cols];
    let (mut active, mut list) = (Vec::new(), Vec::new());
    let mut out = StepSpikes {
        fired: &mut fired,
        active: &mut active,
        list: &mut list,
        record: true,
    };
    for &e in events {
        if usize::from(e) < rows {
            pending[usize::from(e)] += 1;
        }
        t.process(reset, false, &mut pending, &mut out);
    }
    list.into_iter().map(|c| c as u16).collect()
}

impl SimTile {
    /// This step's events, in row order; the columns that fire, per event
    /// in column order (the tile's output FIFO order), counted in `out`
    /// (and listed when it records).
    fn process(
        &mut self,
        reset: NeuronReset,
        float: bool,
        pending: &mut [u32],
        out: &mut StepSpikes,
    ) {
        if !float && self.cols == 8 {
            if let Cells::Ideal(_) = self.cells {
                return if out.record {
                    self.process_ideal8::<true>(reset, pending, out)
                } else {
                    self.process_ideal8::<false>(reset, pending, out)
                };
            }
        }
        let from = out.list.len();
        for (r, p) in pending.iter_mut().enumerate() {
            for _ in 0..std::mem::take(p) {
                self.event(r, reset, float, out.list);
            }
        }
        for i in from..out.list.len() {
            let id = out.list[i];
            out.count(id, 1);
        }
        if !out.record {
            out.list.truncate(from);
        }
    }

    /// [`Self::process`] for ideal cells and 8 columns (the Mosaic tiles
    /// of the digits task), the throughput bench's case: the potentials in
    /// a fixed-size array the compiler keeps in one vector register, the
    /// row's levels loaded once per row, the reset mode matched once, the
    /// spikes counted per column in a register and handed to `out` once
    /// per step (listed per event only when `LIST`, for the raster). The
    /// same arithmetic and order as [`Self::event`] (the tests compare the
    /// two through the golden model and the training script's counts).
    fn process_ideal8<const LIST: bool>(
        &mut self,
        reset: NeuronReset,
        pending: &mut [u32],
        out: &mut StepSpikes,
    ) {
        let Cells::Ideal(levels) = &self.cells else {
            unreachable!()
        };
        let th = self.threshold;
        let mut v = [0u16; 8];
        v.copy_from_slice(&self.v);
        let mut id = [0u32; 8];
        id.copy_from_slice(&self.id);
        let sub = matches!(reset, NeuronReset::Subtract);
        let mut acc = [0u32; 8];
        for (r, p) in pending.iter_mut().enumerate() {
            let times = std::mem::take(p);
            if times == 0 {
                continue;
            }
            let mut x = [0u16; 8];
            x.copy_from_slice(&levels[r * 8..r * 8 + 8]);
            for _ in 0..times {
                // Branch-free: which neurons fire depends on the data, so
                // a loop over the set bits mispredicts; instead every
                // column is written (and counted by its bit).
                let mut fire = [false; 8];
                for c in 0..8 {
                    v[c] = v[c].saturating_add(x[c]);
                    fire[c] = v[c] >= th;
                }
                for c in 0..8 {
                    let after = if sub { v[c].wrapping_sub(th) } else { 0 };
                    v[c] = if fire[c] { after } else { v[c] };
                    acc[c] += u32::from(fire[c]);
                }
                if LIST {
                    let mut ids = [0u32; 8];
                    let mut n = 0;
                    for c in 0..8 {
                        ids[n & 7] = id[c];
                        n += usize::from(fire[c]);
                    }
                    out.list.extend_from_slice(&ids[..n]);
                }
            }
        }
        self.v.copy_from_slice(&v);
        for c in 0..8 {
            if acc[c] > 0 {
                out.count(id[c], acc[c]);
            }
        }
    }

    /// One spike on row `r`: the read, the additions, the commit.
    #[inline]
    fn event(&mut self, r: usize, reset: NeuronReset, float: bool, fired: &mut Vec<u32>) {
        let (cols, th) = (self.cols, self.threshold);
        {
            if float {
                let Cells::Float(w) = &self.cells else {
                    unreachable!()
                };
                let thf = f64::from(th);
                for (c, v) in self.vf.iter_mut().enumerate() {
                    *v = (*v + w[r * cols + c]).min(65535.0);
                    if *v >= thf {
                        fired.push(self.id[c]);
                        *v = match reset {
                            NeuronReset::Zero => 0.0,
                            NeuronReset::Subtract => *v - thf,
                        };
                    }
                }
                return;
            }
            let codes: &[u16] = match &mut self.cells {
                Cells::Ideal(l) => &l[r * cols..(r + 1) * cols],
                Cells::Analog(a) => {
                    a.read_row(r, &mut self.codes);
                    &self.codes
                }
                Cells::Float(_) => unreachable!(),
            };
            if cols <= 64 {
                // The common case: the firing columns as a bit mask, then
                // only those visited (in column order, the scan's order).
                let mut mask = 0u64;
                for (c, (v, &x)) in self.v.iter_mut().zip(codes).enumerate() {
                    *v = v.saturating_add(x);
                    mask |= u64::from(*v >= th) << c;
                }
                while mask != 0 {
                    let c = mask.trailing_zeros() as usize;
                    mask &= mask - 1;
                    fired.push(self.id[c]);
                    let v = &mut self.v[c];
                    *v = match reset {
                        NeuronReset::Zero => 0,
                        NeuronReset::Subtract => *v - th,
                    };
                }
                return;
            }
            let mut any = false;
            for (v, &x) in self.v.iter_mut().zip(codes) {
                *v = v.saturating_add(x);
                any |= *v >= th;
            }
            if any {
                for (v, &id) in self.v.iter_mut().zip(&self.id) {
                    if *v >= th {
                        fired.push(id);
                        *v = match reset {
                            NeuronReset::Zero => 0,
                            NeuronReset::Subtract => *v - th,
                        };
                    }
                }
            }
        }
    }
}
