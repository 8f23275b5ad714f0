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
    /// Neuron of each column (`u32::MAX`: none).
    neuron: Vec<u32>,
    v: Vec<u16>,
    vf: Vec<f64>,
    /// Spikes waiting for this step, as rows.
    events: Vec<u16>,
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
    /// Spikes of the current step (neuron ids), delivered next step.
    spikes: Vec<u32>,
    next: Vec<u32>,
    fired: Vec<u16>,
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
        let tiles = m
            .tiles
            .iter()
            .zip(params)
            .enumerate()
            .map(|(t, (im, p))| {
                let (rows, cols) = (im.rows.len(), im.columns.len());
                SimTile {
                    rows,
                    cols,
                    cells: model.cells(m, t, weights),
                    threshold: p.threshold,
                    neuron: im.columns.iter().map(|n| n.unwrap_or(u32::MAX)).collect(),
                    v: vec![0; cols],
                    vf: vec![0.0; cols],
                    events: Vec::new(),
                    codes: vec![0; cols],
                }
            })
            .collect();
        Ok(NetSim {
            tiles,
            deliveries: Deliveries::of(m),
            reset: tc.neuron.reset,
            float: matches!(model, CellModel::Float),
            grid_cols: m.cfg.grid_cols() as usize,
            grid_cells: (m.cfg.grid_rows() * m.cfg.grid_cols()) as usize,
            neurons: m.neurons,
            spikes: Vec::new(),
            next: Vec::new(),
            fired: Vec::new(),
        })
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
        let mut out = Outcome {
            counts: vec![0; self.neurons],
            router_spikes: vec![0; self.grid_cells],
            ..Default::default()
        };
        for t in &mut self.tiles {
            t.v.iter_mut().for_each(|v| *v = 0);
            t.vf.iter_mut().for_each(|v| *v = 0.0);
        }
        self.spikes.clear();
        let mut step = 0usize;
        while step < inputs.len() + drain && (step < inputs.len() || !self.spikes.is_empty()) {
            // Deliver: previous step's neuron spikes, this step's inputs.
            let d = &self.deliveries;
            let tiles = &mut self.tiles;
            let gc = self.grid_cols;
            let mut deliver = |f: &super::deliver::Fanout, rs: &mut Vec<u64>| {
                for &(t, r) in &f.rows {
                    tiles[t as usize].events.push(r);
                }
                for &(i, j) in &f.routers {
                    rs[i as usize * gc + j as usize] += 1;
                }
            };
            for &n in &self.spikes {
                deliver(&d.neurons[n as usize], &mut out.router_spikes);
            }
            if let Some(ins) = inputs.get(step) {
                for &k in ins {
                    if let Some(f) = d.inputs.get(k as usize) {
                        deliver(f, &mut out.router_spikes);
                    }
                }
            }
            self.next.clear();
            for t in self.tiles.iter_mut() {
                out.synaptic_events += (t.events.len() * t.cols) as u64;
                self.fired.clear();
                t.process(self.reset, self.float, &mut self.fired);
                // Columns without a neuron may fire too; nothing routes them.
                self.next.extend(
                    self.fired
                        .iter()
                        .map(|&c| t.neuron[usize::from(c)])
                        .filter(|&n| n != u32::MAX),
                );
            }
            for &n in &self.next {
                out.counts[n as usize] += 1;
                if record {
                    out.raster.push((step as u32, n));
                }
            }
            std::mem::swap(&mut self.spikes, &mut self.next);
            step += 1;
        }
        out
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
        neuron: vec![u32::MAX; cols],
        v: vec![0; cols],
        vf: vec![0.0; cols],
        events: Vec::new(),
        codes: vec![0; cols],
    };
    let mut fired = Vec::new();
    for &e in events {
        t.events.push(e);
        t.process(reset, false, &mut fired);
    }
    fired
}

impl SimTile {
    /// This step's events, in row order; the columns that fire, per event
    /// in column order (the tile's output FIFO order), appended to `fired`.
    fn process(&mut self, reset: NeuronReset, float: bool, fired: &mut Vec<u16>) {
        if self.events.is_empty() {
            return;
        }
        self.events.sort_unstable();
        let cols = self.cols;
        let th = self.threshold;
        for k in 0..self.events.len() {
            let r = usize::from(self.events[k]);
            if r >= self.rows {
                continue; // the AER port drops it (counted in `dropped`)
            }
            if float {
                let Cells::Float(w) = &self.cells else {
                    unreachable!()
                };
                let thf = f64::from(th);
                for (c, v) in self.vf.iter_mut().enumerate() {
                    *v = (*v + w[r * cols + c]).min(65535.0);
                    if *v >= thf {
                        fired.push(c as u16);
                        *v = match reset {
                            NeuronReset::Zero => 0.0,
                            NeuronReset::Subtract => *v - thf,
                        };
                    }
                }
                continue;
            }
            let codes: &[u16] = match &mut self.cells {
                Cells::Ideal(l) => &l[r * cols..(r + 1) * cols],
                Cells::Analog(a) => {
                    a.read_row(r, &mut self.codes);
                    &self.codes
                }
                Cells::Float(_) => unreachable!(),
            };
            let mut any = false;
            for (v, &x) in self.v.iter_mut().zip(codes) {
                *v = v.saturating_add(x);
                any |= *v >= th;
            }
            if any {
                for (c, v) in self.v.iter_mut().enumerate() {
                    if *v >= th {
                        fired.push(c as u16);
                        *v = match reset {
                            NeuronReset::Zero => 0,
                            NeuronReset::Subtract => *v - th,
                        };
                    }
                }
            }
        }
        self.events.clear();
    }
}
