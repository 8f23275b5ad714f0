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
use crate::map::{Entry, Mapping, RouterTable, Routing};
use memforge_spec::blocks::aer_router::{
    existing_outputs, port_bit, turn_allowed, EAST, LOCAL, NORTH, SOUTH, WEST,
};
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
            Routing::Mesh(tables) => d.trace_mesh(m, tables),
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

    /// Mesh: every neuron's packet `{x, y, 0, a}` from its tile's router's
    /// local input, every input's packet from its `north_in_data__c` port,
    /// walked through the tables. A packet leaving a local link is an event
    /// on crossbar row `packet[7:0]` of that router's tile. Routers are
    /// listed at their tile's grid cell `(2y + 1, 2x + 1)` (the routing
    /// usage map shares the Mosaic grid).
    fn trace_mesh(&mut self, m: &Mapping, tables: &[RouterTable]) {
        let (cols, rows) = (m.cfg.array.cols, m.cfg.array.rows);
        let layout = m.cfg.link_params().layout();
        // Entries per router (x, y), highest-numbered first.
        let mut by: BTreeMap<(u32, u32), Vec<&Entry>> = BTreeMap::new();
        for t in tables {
            let e = by.entry((t.router[0], t.router[1])).or_default();
            e.extend(t.entries.iter().filter(|e| e.route != 0));
            e.sort_by_key(|e| std::cmp::Reverse(e.entry));
        }
        let walk = |x0: u32, y0: u32, from0: usize, packet: u64| -> Fanout {
            let mut f = Fanout::default();
            let mut seen = BTreeSet::new();
            let mut todo = vec![(x0, y0, from0)];
            let (px, py) = (layout.x(packet) as u32, layout.y(packet) as u32);
            while let Some(a) = todo.pop() {
                let (x, y, from) = a;
                if !seen.insert(a) {
                    continue;
                }
                f.routers.push((2 * y + 1, 2 * x + 1));
                let hit = by.get(&(x, y)).and_then(|es| {
                    es.iter()
                        .find(|e| (packet ^ u64::from(e.key)) & u64::from(e.mask) == 0)
                });
                let set = match hit {
                    Some(e) => e.route as u8,
                    None if px >= cols || py >= rows => 0,
                    None => port_bit(if px > x {
                        EAST
                    } else if px < x {
                        WEST
                    } else if py > y {
                        SOUTH
                    } else if py < y {
                        NORTH
                    } else {
                        LOCAL
                    }),
                } & turn_allowed(from)
                    & existing_outputs(x, y, cols, rows);
                for o in [NORTH, EAST, SOUTH, WEST, LOCAL] {
                    if set & port_bit(o) == 0 {
                        continue;
                    }
                    match o {
                        LOCAL => f.rows.push((y * cols + x, (packet & 0xff) as u16)),
                        NORTH => todo.push((x, y - 1, SOUTH)),
                        SOUTH => todo.push((x, y + 1, NORTH)),
                        EAST => todo.push((x + 1, y, WEST)),
                        _ => todo.push((x - 1, y, EAST)),
                    }
                }
            }
            f
        };
        for (n, p) in m.placement.iter().enumerate() {
            let packet = layout.pack(p[1].into(), p[0].into(), 0, p[2].into());
            self.neurons[n] = walk(p[1], p[0], LOCAL, packet);
        }
        for e in &m.edge_inputs {
            let f = walk(e.tile[1], 0, NORTH, e.value);
            let dst = &mut self.inputs[e.input as usize];
            dst.rows.extend(f.rows);
            dst.routers.extend(f.routers);
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
