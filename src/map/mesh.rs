//! Mesh routing: table entries that fan each neuron's spikes out to its
//! destination tiles as a tree the router's turn rule allows.
//!
//! What the generated array does (docs/array.md, "Mesh layout"): neuron
//! `a`'s spike leaves tile (r, c) as the packet `{x = c, y = r, pad = 0, a}`;
//! a router with no matching entry sends it by XY towards its own
//! coordinates, i.e. straight back into its own tile; a packet leaving a
//! router's local link becomes an event on crossbar row `a`. So:
//! - a neuron whose targets are all in its own tile needs no entry (and a
//!   neuron without targets comes back too: its row is programmed with
//!   zero weights);
//! - any other neuron gets one exact-match entry (key: its packet; mask:
//!   the x, y and address fields) in every router of its tree: along its
//!   row east and west, then from each column that holds destinations
//!   north and south, local where a destination is; east/west first,
//!   north/south after, as the turn rule requires;
//! - every destination tile receives the neuron on row `a`, so two
//!   sources with the same spike column cannot reach the same tile;
//! - external inputs enter first-row tile (0, c) as packets
//!   `{c, 0, 0, row}` on `north_in_data__c` (XY delivers them locally),
//!   on a row no other source and no entry of that router uses.
//!
//! A router asked for more entries than `array.table_entries` is a
//! violation; any violation makes the network unroutable.

use super::{EdgeInput, Entry, MapError, Routed, RouterTable, Routing, Source, Violation};
use memforge_spec::blocks::aer_router::{port_bit, EAST, LOCAL, NORTH, SOUTH, WEST};
use memforge_spec::blocks::array::ArrayConfig;
use std::collections::{BTreeMap, BTreeSet};

/// The tree of a source at (`xs`, `ys`) to `dests` (x, y): the output set
/// of every router on it.
pub fn tree(xs: u32, ys: u32, dests: &BTreeSet<(u32, u32)>) -> BTreeMap<(u32, u32), u32> {
    let mut out = BTreeMap::new();
    let bit = |p: usize| u32::from(port_bit(p));
    // The vertical part of column x, from the router at (x, ys) on.
    let column = |x: u32, out: &mut BTreeMap<(u32, u32), u32>| {
        let ys_in: Vec<u32> = dests.iter().filter(|d| d.0 == x).map(|d| d.1).collect();
        if let Some(&top) = ys_in.iter().min() {
            for y in (top..ys).rev() {
                let mut set = 0;
                if dests.contains(&(x, y)) {
                    set |= bit(LOCAL);
                }
                if top < y {
                    set |= bit(NORTH);
                }
                out.insert((x, y), set);
            }
        }
        if let Some(&bottom) = ys_in.iter().max() {
            for y in ys + 1..=bottom {
                let mut set = 0;
                if dests.contains(&(x, y)) {
                    set |= bit(LOCAL);
                }
                if bottom > y {
                    set |= bit(SOUTH);
                }
                out.insert((x, y), set);
            }
        }
    };
    let row_set = |x: u32| {
        let mut set = 0;
        if dests.contains(&(x, ys)) {
            set |= bit(LOCAL);
        }
        if dests.iter().any(|d| d.0 == x && d.1 < ys) {
            set |= bit(NORTH);
        }
        if dests.iter().any(|d| d.0 == x && d.1 > ys) {
            set |= bit(SOUTH);
        }
        set
    };
    let max_x = dests.iter().map(|d| d.0).max().unwrap_or(xs);
    let min_x = dests.iter().map(|d| d.0).min().unwrap_or(xs);
    for x in min_x.min(xs)..=max_x.max(xs) {
        let mut set = row_set(x);
        if x >= xs && max_x > x {
            set |= bit(EAST);
        }
        if x <= xs && min_x < x {
            set |= bit(WEST);
        }
        out.insert((x, ys), set);
        column(x, &mut out);
    }
    out
}

/// Routes every source (see the module doc).
pub fn route(
    cfg: &ArrayConfig,
    placement: &[[u32; 3]],
    dests: &BTreeMap<Source, Vec<u32>>,
    tile_rows: u32,
) -> Result<Routed, MapError> {
    let cols = cfg.array.cols;
    let tiles = cfg.tiles();
    let layout = cfg.link_params().layout();
    let ones = |b: u32| (1u64 << b) - 1;
    let mask = layout.pack(
        ones(layout.x_bits),
        ones(layout.y_bits),
        0,
        ones(layout.addr_bits),
    );
    let mut tables: Vec<Vec<Entry>> = vec![Vec::new(); tiles as usize];
    let mut owner: Vec<BTreeMap<u32, Source>> = vec![BTreeMap::new(); tiles as usize];
    let mut rows = BTreeMap::new();
    let mut routes = 0;
    let name = |t: u32| format!("tile ({}, {})", t / cols, t % cols);
    let land = |t: u32,
                row: u32,
                src: Source,
                owner: &mut Vec<BTreeMap<u32, Source>>,
                rows: &mut BTreeMap<(u32, Source), u32>| {
        if row >= tile_rows {
            return Err(MapError::Unroutable(format!(
                "{src} arrives at {} on row {row} (the mesh delivers a packet's address, the source's spike column, as the row) but the tile has {tile_rows} rows",
                name(t)
            )));
        }
        if let Some(other) = owner[t as usize].insert(row, src) {
            return Err(MapError::Unroutable(format!(
                "{other} and {src} both arrive at {} on row {row} (the mesh delivers a packet's address, the source's spike column, as the row)",
                name(t)
            )));
        }
        rows.insert((t, src), row);
        Ok(())
    };
    for (i, p) in placement.iter().enumerate() {
        let src = Source::Neuron(i as u32);
        let own = p[0] * cols + p[1];
        let d: &[u32] = dests.get(&src).map_or(&[], |v| v.as_slice());
        let remote: BTreeSet<(u32, u32)> = d.iter().map(|&t| (t % cols, t / cols)).collect();
        if d.iter().all(|&t| t == own) {
            // Back into its own tile by XY, targets or not.
            if p[2] < tile_rows {
                land(own, p[2], src, &mut owner, &mut rows)?;
            }
            continue;
        }
        let key = layout.pack(p[1].into(), p[0].into(), 0, p[2].into()) as u32;
        for ((x, y), route) in tree(p[1], p[0], &remote) {
            let t = y * cols + x;
            let e = tables[t as usize].len() as u32;
            tables[t as usize].push(Entry {
                entry: e,
                key,
                mask: mask as u32,
                route,
                source: src,
            });
        }
        for &t in d {
            land(t, p[2], src, &mut owner, &mut rows)?;
            routes += 1;
        }
    }
    let mut edge_inputs = Vec::new();
    for (&src, d) in dests {
        let Source::Input(k) = src else { continue };
        for &t in d {
            let taken = |r: u32| {
                owner[t as usize].contains_key(&r)
                    || tables[t as usize]
                        .iter()
                        .any(|e| u64::from(e.key) & ones(layout.addr_bits) == u64::from(r))
            };
            let Some(row) = (0..tile_rows).find(|&r| !taken(r)) else {
                return Err(MapError::Unroutable(format!(
                    "input {k}: {} has no free row left (every row is a neuron's spike column or an entry's key); --neurons-per-tile below the tile's rows leaves rows for inputs",
                    name(t)
                )));
            };
            land(t, row, src, &mut owner, &mut rows)?;
            edge_inputs.push(EdgeInput {
                input: k,
                tile: [0, t],
                port: format!("north_in_data__{t}"),
                value: layout.pack(t.into(), 0, 0, row.into()),
                row,
            });
            routes += 1;
        }
    }
    let violations: Vec<Violation> = tables
        .iter()
        .enumerate()
        .filter(|(_, t)| t.len() as u32 > cfg.array.table_entries)
        .map(|(t, e)| Violation {
            at: format!("router ({}, {})", t as u32 % cols, t as u32 / cols),
            port: "table entries".into(),
            used: e.len() as u32,
            capacity: cfg.array.table_entries,
        })
        .collect();
    if !violations.is_empty() {
        return Err(MapError::Violations(violations));
    }
    let routers = tables
        .into_iter()
        .enumerate()
        .map(|(t, entries)| RouterTable {
            router: [t as u32 % cols, t as u32 / cols],
            slot: tiles + t as u32,
            entries,
        })
        .collect();
    Ok(Routed {
        rows,
        routing: Routing::Mesh(routers),
        edge_inputs,
        edge_outputs: Vec::new(),
        routes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use memforge_spec::blocks::aer_router::turn_allowed;

    /// Every tree, followed from the source's local port, obeys the turn
    /// rule at every router and reaches exactly its destinations.
    #[test]
    fn trees_obey_the_turn_rule_and_reach_every_destination() {
        let all: Vec<(u32, u32)> = (0..4).flat_map(|x| (0..3).map(move |y| (x, y))).collect();
        for (k, &(xs, ys)) in all.iter().enumerate() {
            for mask in [
                0b1u32,
                0b1010_0101,
                0b1111_1111_1111,
                0b1000_0000_0001 << (k % 2),
            ] {
                let dests: BTreeSet<(u32, u32)> = all
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask >> i & 1 == 1)
                    .map(|(_, &d)| d)
                    .collect();
                let t = tree(xs, ys, &dests);
                let mut reached = BTreeSet::new();
                let mut todo = vec![(xs, ys, LOCAL)];
                let mut visits = 0;
                while let Some((x, y, from)) = todo.pop() {
                    visits += 1;
                    let set = t[&(x, y)];
                    assert_eq!(
                        set & !u32::from(turn_allowed(from)),
                        0,
                        "({x}, {y}) from {from}"
                    );
                    for o in 0..5 {
                        if set >> o & 1 == 0 {
                            continue;
                        }
                        match o {
                            LOCAL => assert!(reached.insert((x, y))),
                            NORTH => todo.push((x, y - 1, SOUTH)),
                            SOUTH => todo.push((x, y + 1, NORTH)),
                            EAST => todo.push((x + 1, y, WEST)),
                            _ => todo.push((x - 1, y, EAST)),
                        }
                    }
                }
                assert_eq!(reached, dests);
                assert_eq!(visits, t.len(), "every router of the tree is on it once");
            }
        }
    }
}
