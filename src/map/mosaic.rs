//! Mosaic routing: every source's spikes reach each destination tile on a
//! one-turn path (EIS-Hub routing-aware_training `MOSAIC_routing.py`,
//! re-derived here): to an adjacent tile through the one router between
//! them; within a grid column out of the tile's west router, down or up that
//! router column, into the destination from the west; otherwise out of the
//! tile's north or south router (towards the destination), along that
//! router row to the column beside the destination, along that router
//! column to its row, into it sideways. A connection to the source's own
//! tile turns around in its west router (the generated tile has no
//! internal feedback: its spikes leave only on its spike bridge).
//!
//! Unlike the Python, which only counts usage, every hop gets a concrete
//! line, because the routing tile's devices are programmed per line pair:
//! - a tile's spike bridge puts spike column `a` (< channels) on line `a`
//!   of all four sides, and turns a pulse on its line `j` from any side into
//!   crossbar row `j`: so a tile receives at most `channels` sources, each
//!   on its own line, which is its row;
//! - every router output direction has `channels` lines, one per source
//!   (a tree sharing a link uses one line), chosen lowest first;
//! - external inputs enter a first-row tile from the north edge router
//!   above it (`north_in` bit `(2c + 1) * channels + line`);
//! - output neurons leave the array at the south edge, as Mosaic's do: a
//!   bottom-row tile's straight through the edge router below it, any
//!   other's out of its west router and down that router column to the
//!   corner router on the edge; each on its own line of the edge router's
//!   south port (`south_out` bit `j * channels + line`, `j` the router's
//!   grid column).
//!
//! A port asked for more lines than it has is a violation (counted per
//! router and port as routing-aware training counts them); any violation
//! makes the network unroutable.

use super::{EdgeInput, EdgeOutput, MapError, Routed, RouterDevices, Routing, Source, Violation};
use memforge_spec::blocks::array::ArrayConfig;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const N: usize = 0;
pub const E: usize = 1;
pub const S: usize = 2;
pub const W: usize = 3;
pub const L: usize = 4;
const DIR: [&str; 5] = ["N", "E", "S", "W", "L"];

/// The grid step of direction `d` (N, E, S, W).
pub fn step(d: usize) -> (i64, i64) {
    [(-1, 0), (0, 1), (1, 0), (0, -1)][d]
}

pub fn opposite(d: usize) -> usize {
    (d + 2) % 4
}

fn toward(from: (i64, i64), to: (i64, i64)) -> usize {
    (0..4)
        .find(|&d| {
            let (di, dj) = step(d);
            ((to.0 - from.0).signum(), (to.1 - from.1).signum()) == (di, dj)
        })
        .expect("cells on one grid line")
}

/// One router on a path: its grid cell, the side the spike arrives from and
/// the side it leaves by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    pub cell: (i64, i64),
    pub from: usize,
    pub to: usize,
}

/// The one-turn path from the tile at grid cell `s` to the one at `d`.
pub fn path(s: (i64, i64), d: (i64, i64)) -> Vec<Hop> {
    if s == d {
        return vec![Hop {
            cell: (s.0, s.1 - 1),
            from: E,
            to: E,
        }];
    }
    if (s.0 - d.0).abs() + (s.1 - d.1).abs() == 2 {
        let m = ((s.0 + d.0) / 2, (s.1 + d.1) / 2);
        return vec![Hop {
            cell: m,
            from: toward(m, s),
            to: toward(m, d),
        }];
    }
    let start = if s.1 == d.1 {
        (s.0, s.1 - 1)
    } else if d.0 > s.0 {
        (s.0 + 1, s.1)
    } else {
        (s.0 - 1, s.1)
    };
    let mut cells = vec![start];
    let mut cur = start;
    if s.1 != d.1 {
        let stop = if s.1 > d.1 { d.1 + 1 } else { d.1 - 1 };
        while cur.1 != stop {
            cur.1 += (stop - cur.1).signum();
            cells.push(cur);
        }
    }
    while cur.0 != d.0 {
        cur.0 += (d.0 - cur.0).signum();
        cells.push(cur);
    }
    (0..cells.len())
        .map(|m| Hop {
            cell: cells[m],
            from: if m == 0 {
                toward(cells[0], s)
            } else {
                toward(cells[m], cells[m - 1])
            },
            to: if m + 1 < cells.len() {
                toward(cells[m], cells[m + 1])
            } else {
                toward(cells[m], d)
            },
        })
        .collect()
}

/// The grid cell of tile index `t`.
fn tile_cell(cfg: &ArrayConfig, t: u32) -> (i64, i64) {
    let (r, c) = (t / cfg.array.cols, t % cfg.array.cols);
    (2 * r as i64 + 1, 2 * c as i64 + 1)
}

fn router_name(i: i64, j: i64) -> String {
    let kind = if i % 2 == 0 && j % 2 == 0 {
        "R_0"
    } else {
        "R_1"
    };
    format!("{kind} ({i}, {j})")
}

/// Routes every source to its destination tiles (see the module doc).
pub fn route(
    cfg: &ArrayConfig,
    placement: &[[u32; 3]],
    dests: &BTreeMap<Source, Vec<u32>>,
    tile_rows: u32,
    outputs: &[u32],
) -> Result<Routed, MapError> {
    let ch = cfg.array.channels as usize;
    let gc = cfg.grid_cols() as i64;
    let idx = |c: (i64, i64)| (c.0 * gc + c.1) as usize;
    let cells = (cfg.grid_rows() as i64 * gc) as usize;
    // Lines of every (cell, out direction), tiles' in-lines, north edge lines.
    let mut used: Vec<[Vec<Option<Source>>; 5]> =
        vec![std::array::from_fn(|_| vec![None; ch]); cells];
    let mut demand: Vec<[u32; 5]> = vec![[0; 5]; cells];
    let nt_lines = ch.min(tile_rows as usize);
    let mut nt_in: Vec<Vec<Option<Source>>> = vec![vec![None; nt_lines]; cfg.tiles() as usize];
    let mut nt_demand = vec![0u32; cfg.tiles() as usize];
    let mut north: Vec<Vec<Option<Source>>> = vec![vec![None; ch]; cfg.array.cols as usize];
    let mut north_demand = vec![0u32; cfg.array.cols as usize];
    let mut devices: Vec<BTreeSet<(u16, u16, Source)>> = vec![BTreeSet::new(); cells];
    let mut rows = BTreeMap::new();
    let mut edge_inputs = Vec::new();
    let mut routes = 0;
    let free = |v: &[Option<Source>]| v.iter().position(Option::is_none);
    for (&src, dsts) in dests {
        let mut line_at: HashMap<(usize, usize), usize> = HashMap::new();
        for &t in dsts {
            let dcell = tile_cell(cfg, t);
            // The source's first hop and the line it arrives on there.
            let (hops, mut line) = match src {
                Source::Neuron(i) => {
                    let p = placement[i as usize];
                    let col = p[2] as usize;
                    if col >= ch {
                        let tile = p[0] * cfg.array.cols + p[1];
                        let senders = dests
                            .keys()
                            .filter(|s| matches!(s, Source::Neuron(k) if placement[*k as usize][0] * cfg.array.cols + placement[*k as usize][1] == tile))
                            .count();
                        return Err(MapError::Unroutable(format!(
                            "tile ({}, {}): {senders} neurons have targets, but its spike bridge carries spike columns 0..{ch} only (array.channels = {ch}); neuron {i} is on column {col}",
                            p[0], p[1]
                        )));
                    }
                    let s = tile_cell(cfg, p[0] * cfg.array.cols + p[1]);
                    (path(s, dcell), col)
                }
                Source::Input(_) => {
                    let c = t as usize;
                    north_demand[c] += 1;
                    let Some(l) = free(&north[c]) else { continue };
                    north[c][l] = Some(src);
                    let hop = Hop {
                        cell: (0, dcell.1),
                        from: N,
                        to: S,
                    };
                    (vec![hop], l)
                }
            };
            nt_demand[t as usize] += 1;
            let Some(row) = free(&nt_in[t as usize]) else {
                continue;
            };
            nt_in[t as usize][row] = Some(src);
            if let Source::Input(k) = src {
                edge_inputs.push(EdgeInput {
                    input: k,
                    tile: [0, t],
                    port: "north_in".into(),
                    value: (dcell.1 as u64) * ch as u64 + line as u64,
                    row: row as u32,
                });
            }
            let mut ok = true;
            for (m, h) in hops.iter().enumerate() {
                let c = idx(h.cell);
                let out = if m + 1 == hops.len() {
                    demand[c][h.to] += 1;
                    row
                } else if let Some(&l) = line_at.get(&(c, h.to)) {
                    l
                } else {
                    demand[c][h.to] += 1;
                    match free(&used[c][h.to]) {
                        Some(l) => {
                            line_at.insert((c, h.to), l);
                            l
                        }
                        None => {
                            ok = false;
                            break;
                        }
                    }
                };
                used[c][h.to][out] = Some(src);
                devices[c].insert(((h.from * ch + line) as u16, (h.to * ch + out) as u16, src));
                line = out;
            }
            if ok {
                rows.insert((t, src), row as u32);
                routes += 1;
            }
        }
    }
    let gr = cfg.grid_rows() as i64;
    let mut edge_outputs = Vec::new();
    let outputs: BTreeSet<u32> = outputs.iter().copied().collect();
    for &o in &outputs {
        let p = placement[o as usize];
        let col = p[2] as usize;
        if col >= ch {
            return Err(MapError::Unroutable(format!(
                "output neuron {o} is on spike column {col} of tile ({}, {}), but the spike bridge carries spike columns 0..{ch} only (array.channels = {ch})",
                p[0], p[1]
            )));
        }
        let s = tile_cell(cfg, p[0] * cfg.array.cols + p[1]);
        let hops: Vec<Hop> = if s.0 + 2 == gr {
            vec![Hop {
                cell: (s.0 + 1, s.1),
                from: N,
                to: S,
            }]
        } else {
            let j = s.1 - 1;
            std::iter::once(Hop {
                cell: (s.0, j),
                from: E,
                to: S,
            })
            .chain((s.0 + 1..gr).map(|i| Hop {
                cell: (i, j),
                from: N,
                to: S,
            }))
            .collect()
        };
        let src = Source::Neuron(o);
        let mut line = col;
        let mut ok = true;
        for h in &hops {
            let c = idx(h.cell);
            demand[c][S] += 1;
            let Some(l) = free(&used[c][S]) else {
                ok = false;
                break;
            };
            used[c][S][l] = Some(src);
            devices[c].insert(((h.from * ch + line) as u16, (S * ch + l) as u16, src));
            line = l;
        }
        if ok {
            let j = hops[hops.len() - 1].cell.1;
            edge_outputs.push(EdgeOutput {
                neuron: o,
                port: "south_out".into(),
                value: j as u64 * ch as u64 + line as u64,
            });
        }
    }
    let mut violations = Vec::new();
    for (c, d) in demand.iter().enumerate() {
        for (dir, &n) in d.iter().enumerate() {
            if n as usize > ch {
                violations.push(super::Violation {
                    at: router_name(c as i64 / gc, c as i64 % gc),
                    port: format!("out {}", DIR[dir]),
                    used: n,
                    capacity: ch as u32,
                });
            }
        }
    }
    for (t, &n) in nt_demand.iter().enumerate() {
        if n as usize > nt_lines {
            violations.push(Violation {
                at: format!(
                    "tile ({}, {})",
                    t as u32 / cfg.array.cols,
                    t as u32 % cfg.array.cols
                ),
                port: "in lines (spike bridge rows)".into(),
                used: n,
                capacity: nt_lines as u32,
            });
        }
    }
    for (c, &n) in north_demand.iter().enumerate() {
        if n as usize > ch {
            violations.push(Violation {
                at: router_name(0, 2 * c as i64 + 1),
                port: "in N (north edge)".into(),
                used: n,
                capacity: ch as u32,
            });
        }
    }
    if !violations.is_empty() {
        return Err(MapError::Violations(violations));
    }
    let tiles = cfg.tiles();
    let routers = cfg
        .routers()
        .into_iter()
        .enumerate()
        .map(|(k, (i, j))| RouterDevices {
            cell: [i, j],
            kind: if i % 2 == 0 && j % 2 == 0 {
                "R_0"
            } else {
                "R_1"
            },
            slot: tiles + k as u32,
            routes: devices[idx((i64::from(i), i64::from(j)))]
                .iter()
                .copied()
                .collect(),
        })
        .collect();
    Ok(Routed {
        rows,
        routing: Routing::Mosaic(routers),
        edge_inputs,
        edge_outputs,
        routes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In a 4x4 array, every path starts beside its source, moves one grid
    /// cell per hop through routers only, ends beside its destination,
    /// enters each router from the side it came from, and turns at most
    /// once between router hops.
    #[test]
    fn paths_are_connected_router_only_and_turn_at_most_once() {
        let tiles: Vec<(i64, i64)> = (0..4)
            .flat_map(|r| (0..4).map(move |c| (2 * r + 1, 2 * c + 1)))
            .collect();
        for &s in &tiles {
            for &d in &tiles {
                let p = path(s, d);
                let first = p[0];
                let (di, dj) = step(first.from);
                assert_eq!((first.cell.0 + di, first.cell.1 + dj), s, "{s:?} -> {d:?}");
                for h in &p {
                    assert!(
                        h.cell.0 % 2 == 0 || h.cell.1 % 2 == 0,
                        "{s:?} -> {d:?}: {h:?} is a tile"
                    );
                    assert!(h.cell.0 >= 0 && h.cell.1 >= 0 && h.cell.0 <= 8 && h.cell.1 <= 8);
                }
                for w in p.windows(2) {
                    let (di, dj) = step(w[0].to);
                    assert_eq!((w[0].cell.0 + di, w[0].cell.1 + dj), w[1].cell);
                    assert_eq!(w[1].from, opposite(w[0].to));
                }
                let last = p[p.len() - 1];
                let (di, dj) = step(last.to);
                assert_eq!((last.cell.0 + di, last.cell.1 + dj), d, "{s:?} -> {d:?}");
                let axes: Vec<bool> = p.windows(2).map(|w| w[0].to % 2 == 0).collect();
                let turns = axes.windows(2).filter(|a| a[0] != a[1]).count();
                assert!(turns <= 1, "{s:?} -> {d:?} turns {turns} times");
            }
        }
    }
}
