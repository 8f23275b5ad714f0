//! Where every source's spikes land, read from a [`Mapping`]'s routing
//! state rather than from what the mapper meant: Mosaic spikes are traced
//! line by line through the programmed routing devices (the device list of
//! every router, nothing else), as the hardware would carry them; the mesh
//! uses the rows the mapping assigned (its tables are checked by
//! `tests/it/map_network.rs`, a packet-level walk is not repeated here).
//!
//! The result also lists the routers each source's spikes cross, which
//! the simulator counts per spike for the routing-usage heat map, and the
//! edge port bits they leave the array by (the output neurons' `south_out`
//! bits, checked against the mapping's `edge_outputs` and observed at the
//! RTL's `south_out` by `tests/it/netsim_rtl.rs`).

use crate::map::mosaic::{opposite, step, L, N, S};
use crate::map::{Mapping, Routing, Source};
use std::collections::{BTreeMap, BTreeSet};

/// One source's fan-out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fanout {
    /// (tile index, crossbar row) per destination tile, sorted.
    pub rows: Vec<(u32, u16)>,
    /// Grid cells (i, j) of the routers crossed (Mosaic), each once.
    pub routers: Vec<(u32, u32)>,
    /// Edge ports the spikes leave the array by (Mosaic): (port, bit),
    /// e.g. `("south_out", j * channels + line)`, sorted.
    pub exits: Vec<(&'static str, u64)>,
}

/// Fan-outs of every neuron and every input of a mapping.
#[derive(Clone, Debug)]
pub struct Deliveries {
    pub neurons: Vec<Fanout>,
    pub inputs: Vec<Fanout>,
}

/// A line on its way: (grid cell of a router, side it arrives from, line).
type Arrival = ((i64, i64), usize, u32);

impl Deliveries {
    pub fn of(m: &Mapping) -> Deliveries {
        let mut d = Deliveries {
            neurons: vec![Fanout::default(); m.neurons],
            inputs: vec![Fanout::default(); m.inputs],
        };
        match &m.routing {
            Routing::Mosaic(routers) => d.trace_mosaic(m, routers),
            Routing::Mesh(_) => {
                for (t, im) in m.tiles.iter().enumerate() {
                    for (r, src) in im.rows.iter().enumerate() {
                        if let Some(s) = src {
                            d.fanout(*s).rows.push((t as u32, r as u16));
                        }
                    }
                }
            }
        }
        for f in d.neurons.iter_mut().chain(d.inputs.iter_mut()) {
            f.rows.sort_unstable();
            f.rows.dedup();
            f.routers.sort_unstable();
            f.routers.dedup();
            f.exits.sort_unstable();
            f.exits.dedup();
        }
        d
    }

    fn fanout(&mut self, s: Source) -> &mut Fanout {
        match s {
            Source::Neuron(i) => &mut self.neurons[i as usize],
            Source::Input(k) => &mut self.inputs[k as usize],
        }
    }

    fn trace_mosaic(&mut self, m: &Mapping, routers: &[crate::map::RouterDevices]) {
        let ch = m.cfg.array.channels;
        let (gr, gc) = (i64::from(m.cfg.grid_rows()), i64::from(m.cfg.grid_cols()));
        // in-line -> out-lines per router cell.
        let mut table: BTreeMap<(i64, i64), BTreeMap<u32, Vec<u32>>> = BTreeMap::new();
        for r in routers {
            let t = table
                .entry((i64::from(r.cell[0]), i64::from(r.cell[1])))
                .or_default();
            for &(i, o, _) in &r.routes {
                t.entry(u32::from(i)).or_default().push(u32::from(o));
            }
        }
        let inside = |c: (i64, i64)| c.0 >= 0 && c.1 >= 0 && c.0 < gr && c.1 < gc;
        let cols = i64::from(m.cfg.array.cols);
        let walk = |start: Vec<Arrival>| -> Fanout {
            let mut f = Fanout::default();
            let mut seen: BTreeSet<Arrival> = BTreeSet::new();
            let mut rows: BTreeSet<(u32, u16)> = BTreeSet::new();
            let mut used: BTreeSet<(u32, u32)> = BTreeSet::new();
            let mut exits: BTreeSet<(&'static str, u64)> = BTreeSet::new();
            let mut todo = start;
            while let Some(a) = todo.pop() {
                let (cell, from, line) = a;
                if !inside(cell) || !seen.insert(a) {
                    continue;
                }
                let Some(outs) = table
                    .get(&cell)
                    .and_then(|t| t.get(&(from as u32 * ch + line)))
                else {
                    continue;
                };
                used.insert((cell.0 as u32, cell.1 as u32));
                for &o in outs {
                    let (d, l) = ((o / ch) as usize, o % ch);
                    if d == L {
                        todo.push((cell, L, l));
                        continue;
                    }
                    let (di, dj) = step(d);
                    let next = (cell.0 + di, cell.1 + dj);
                    if !inside(next) {
                        // Leaves the array at an edge port: bit `k *
                        // channels + line` of router `k` along that edge.
                        let k = if d == N || d == S { cell.1 } else { cell.0 };
                        let port = ["north_out", "east_out", "south_out", "west_out"][d];
                        exits.insert((port, k as u64 * u64::from(ch) + u64::from(l)));
                        continue;
                    }
                    if next.0 % 2 == 1 && next.1 % 2 == 1 {
                        let t = ((next.0 / 2) * cols + next.1 / 2) as u32;
                        rows.insert((t, l as u16));
                    } else {
                        todo.push((next, opposite(d), l));
                    }
                }
            }
            f.rows = rows.into_iter().collect();
            f.routers = used.into_iter().collect();
            f.exits = exits.into_iter().collect();
            f
        };
        for (n, p) in m.placement.iter().enumerate() {
            let a = p[2];
            if a >= ch {
                continue; // the spike bridge does not carry this column
            }
            let cell = (2 * i64::from(p[0]) + 1, 2 * i64::from(p[1]) + 1);
            let start = (0..4)
                .map(|d| {
                    let (di, dj) = step(d);
                    ((cell.0 + di, cell.1 + dj), opposite(d), a)
                })
                .collect();
            self.neurons[n] = walk(start);
        }
        for e in &m.edge_inputs {
            let bit = e.value as u32;
            let start = vec![((0, i64::from(bit / ch)), crate::map::mosaic::N, bit % ch)];
            let f = walk(start);
            let dst = &mut self.inputs[e.input as usize];
            dst.rows.extend(f.rows);
            dst.routers.extend(f.routers);
            dst.exits.extend(f.exits);
        }
    }
}
