//! Seeded network traffic for the AER mesh: every router's local port
//! injects packets for one pattern at a time (uniform random, transpose,
//! hot spot), with random backpressure on every local output; then the
//! injection stops, every local output becomes ready, and the mesh must
//! drain within [`drain_bound`]. A scoreboard independent of the model
//! checks that every packet arrives exactly once, at exactly its
//! destination, in order per source-destination pair, and records the
//! latency of each.

use super::aer_link::{AerSink, AerSource};
use super::bits::{field_below, Bits};
use super::bus_script::BusScript;
use super::router_traffic::Routing;
use super::Stimulus;
use crate::aer_mesh::MeshPins;
use crate::cycle::{MissingPort, PortLayout};
use memforge_spec::blocks::aer_mesh::{router, router_base, AerMeshConfig};
use memforge_spec::blocks::aer_router::{
    entry_offset, LinkParams, PacketLayout, EAST, LOCAL, NORTH, SOUTH, WEST,
};
use memforge_spec::derived::index_bits;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Cycles of injection per pattern.
pub const INJECT_CYCLES: u64 = 4000;
/// The traffic patterns, in the order they take turns.
pub const PATTERNS: [&str; 3] = ["uniform", "transpose", "hotspot"];

/// Cycles within which a mesh with every local output ready empties once
/// injection stops: every buffer slot (an input FIFO entry or an output
/// register per link, plus a packet held by each source) holds at most one
/// packet, each packet makes at most `cols + rows - 1` moves (hops plus
/// the local output), and while packets remain at least one moves every
/// cycle (docs/aer_mesh.md, "Drain").
pub fn drain_bound(p: &LinkParams) -> u64 {
    let n = u64::from(p.cols * p.rows);
    let slots = n * 5 * (u64::from(p.fifo_depth) + 1) + n;
    slots * u64::from(p.cols + p.rows - 1)
}

/// What the mesh traffic exercised.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MeshCoverage {
    pub cycles: u64,
    /// Packets injected per pattern (`PATTERNS` order).
    pub injected_per_pattern: Vec<u64>,
    pub injected: u64,
    pub delivered: u64,
    /// Packets delivered per router's local output.
    pub delivered_per_node: Vec<u64>,
    pub max_latency: u64,
    /// Sum of latencies (mean = latency_sum / delivered).
    pub latency_sum: u64,
    pub drains: u64,
    pub max_drain_cycles: u64,
    /// [`drain_bound`]; in multicast mode times the routers (a packet
    /// makes up to one move per router of its tree).
    pub drain_bound: u64,
    pub input_backpressure_cycles: u64,
    pub output_backpressure_cycles: u64,
    /// `id` registers read back right (the shared bus reaches every router).
    pub bus_reads_ok: u64,
    /// Multicast mode: deliveries beyond the first of a packet (its tree's
    /// extra leaves), and branches of trees dropped by the turn rule.
    pub multicast_copies: u64,
    pub multicast_branch_drops: u64,
    /// Lost, duplicated, misdelivered or reordered packets, drains over the
    /// bound, wrong bus reads: always 0 for a correct mesh.
    pub scoreboard_errors: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Reset,
    Inject { pattern: usize, start: u64 },
    Drain { pattern: usize, start: u64 },
}

pub struct MeshTraffic {
    rng: Bits,
    pins: MeshPins,
    link: LinkParams,
    pk: PacketLayout,
    src_bits: u32,
    sources: Vec<AerSource>,
    sinks: Vec<AerSink>,
    bus: BusScript,
    phase: Phase,
    /// Per source, per destination: (packet, cycle taken), oldest first.
    expected: Vec<Vec<VecDeque<(u64, u64)>>>,
    /// Per source: the next sequence number.
    seq: Vec<u64>,
    /// The hot spot's router index.
    hotspot: usize,
    /// Multicast mode: every router's table, as written.
    tables: Option<Vec<Routing>>,
    cov: Rc<RefCell<MeshCoverage>>,
}

impl MeshTraffic {
    pub fn new(cfg: &AerMeshConfig, layout: &PortLayout, seed: u64) -> Result<Self, MissingPort> {
        let p = &cfg.mesh;
        let n = (p.cols * p.rows) as usize;
        let pins = MeshPins::new(layout, n)?;
        let mut bus = BusScript::new(pins.wb);
        for i in 0..n {
            bus.read(router_base(p, i));
        }
        Ok(Self {
            rng: Bits::new(seed),
            sources: pins.inputs.iter().map(|&l| AerSource::new(l)).collect(),
            sinks: pins.outputs.iter().map(|&l| AerSink::new(l)).collect(),
            bus,
            pins,
            link: p.clone(),
            pk: p.layout(),
            src_bits: index_bits(n as u32),
            phase: Phase::Reset,
            expected: vec![vec![VecDeque::new(); n]; n],
            seq: vec![0; n],
            hotspot: (p.rows / 2 * p.cols + p.cols / 2) as usize,
            tables: None,
            cov: Rc::new(RefCell::new(MeshCoverage {
                injected_per_pattern: vec![0; PATTERNS.len()],
                delivered_per_node: vec![0; n],
                drain_bound: drain_bound(p),
                ..Default::default()
            })),
        })
    }

    /// Multicast mode: before any traffic, every router's table is written
    /// over the shared bus: entry `e` matches the packets whose source
    /// index has its top bit equal to `e` (so every source's packets follow
    /// one tree, and arrive in order) and names a random set of two to five
    /// outputs. A packet then goes to every local port its tree reaches
    /// (turn rule and edges applied at each router); the scoreboard walks
    /// the trees with its own copy of the tables.
    pub fn with_multicast(mut self) -> Self {
        let p = self.link.clone();
        let n = (p.cols * p.rows) as usize;
        let top = 1u64 << (self.src_bits - 1);
        let mut tables = Vec::with_capacity(n);
        for i in 0..n {
            let mut r = Routing::new(router(&p, i as u32 % p.cols, i as u32 / p.cols));
            for e in 0..r.table.len() {
                let w = self.rng.word();
                let key = if e % 2 == 1 { top } else { 0 };
                let route = (w as u8 & 0x1f) | 0b1_0000 | (1 << ((w >> 8) % 4));
                let at = router_base(&p, i) + entry_offset(e as u32);
                self.bus.write(at, key as u32);
                self.bus.write(at + 4, top as u32);
                self.bus.write(at + 8, u32::from(route));
                r.table[e] = (key, top, route);
            }
            tables.push(r);
        }
        self.tables = Some(tables);
        self.cov.borrow_mut().drain_bound *= n as u64;
        self
    }

    /// The local ports a packet injected at `src` reaches, walking the
    /// routers' tables (or XY on a miss), and how many branches die.
    fn leaves(&self, tables: &[Routing], src: usize, pkt: u64) -> (Vec<usize>, u64) {
        let (cols, rows) = (self.link.cols as usize, self.link.rows as usize);
        let (mut leaves, mut dead) = (Vec::new(), 0);
        let mut todo = vec![(src, LOCAL)];
        while let Some((r, from)) = todo.pop() {
            let (set, _) = tables[r].outputs(from, pkt);
            if set == 0 {
                dead += 1;
            }
            for o in 0..5 {
                if set & (1 << o) == 0 {
                    continue;
                }
                let (x, y) = (r % cols, r / cols);
                match o {
                    LOCAL => leaves.push(r),
                    NORTH if y > 0 => todo.push((r - cols, SOUTH)),
                    SOUTH if y + 1 < rows => todo.push((r + cols, NORTH)),
                    WEST if x > 0 => todo.push((r - 1, EAST)),
                    EAST if x + 1 < cols => todo.push((r + 1, WEST)),
                    _ => dead += 1,
                }
            }
        }
        (leaves, dead)
    }

    /// The counters (live).
    pub fn coverage(&self) -> Rc<RefCell<MeshCoverage>> {
        Rc::clone(&self.cov)
    }

    /// The destination of a packet from `src` under `pattern`.
    fn destination(&self, w: u64, pattern: usize, src: usize) -> usize {
        let (cols, rows) = (self.link.cols as usize, self.link.rows as usize);
        let n = cols * rows;
        let uniform = field_below(w, 16, n as u64) as usize;
        match pattern {
            1 => {
                let (x, y) = (src % cols, src / cols);
                (x % rows) * cols + (y % cols)
            }
            2 if field_below(w >> 16, 8, 4) == 0 => self.hotspot,
            _ => uniform,
        }
    }

    fn idle(&self) -> bool {
        self.expected.iter().flatten().all(VecDeque::is_empty)
            && !self.sources.iter().any(AerSource::holding)
    }
}

impl Stimulus for MeshTraffic {
    fn drive(&mut self, cycle: u64, v: &mut [u64]) {
        let in_reset = cycle < 2;
        self.pins.rst_n.set(v, u64::from(!in_reset));
        let n = self.sources.len();
        // The bus: read every router's `id` once (and, in multicast mode,
        // write the tables).
        if let Some((req, data)) = self.bus.drive(v).filter(|(r, _)| !r.we) {
            let i = req.adr.wrapping_sub(self.link.base_address) / 0x400;
            let (x, y) = (i % self.link.cols, i / self.link.cols);
            let want = x | y << 8 | (self.link.cols & 0xff) << 16 | (self.link.rows & 0xff) << 24;
            let mut c = self.cov.borrow_mut();
            if data == want {
                c.bus_reads_ok += 1;
            } else {
                c.scoreboard_errors += 1;
            }
        }
        // A multicast packet makes up to one move per router of its tree.
        let bound = match self.tables {
            None => drain_bound(&self.link),
            Some(_) => drain_bound(&self.link) * u64::from(self.link.cols * self.link.rows),
        };
        let idle = self.idle();
        self.phase = match self.phase {
            Phase::Reset if in_reset || (self.tables.is_some() && !self.bus.idle()) => Phase::Reset,
            Phase::Reset => Phase::Inject {
                pattern: 0,
                start: cycle,
            },
            Phase::Inject { pattern, start } if cycle - start >= INJECT_CYCLES => Phase::Drain {
                pattern,
                start: cycle,
            },
            Phase::Drain { pattern, start } if idle || cycle - start > bound => {
                let mut c = self.cov.borrow_mut();
                if !idle {
                    c.scoreboard_errors += 1;
                    for q in self.expected.iter_mut().flatten() {
                        q.clear();
                    }
                }
                c.drains += 1;
                c.max_drain_cycles = c.max_drain_cycles.max(cycle - start);
                Phase::Inject {
                    pattern: (pattern + 1) % PATTERNS.len(),
                    start: cycle,
                }
            }
            other => other,
        };
        let (draining, pattern) = match self.phase {
            Phase::Inject { pattern, .. } => (false, pattern),
            Phase::Drain { pattern, .. } => (true, pattern),
            Phase::Reset => (true, 0),
        };
        let mut cov = self.cov.borrow_mut();
        cov.cycles += 1;
        // The sinks first: what they take now left before anything taken
        // at this edge.
        let src_mask = (1u64 << self.src_bits) - 1;
        let mut out_bp = 0;
        for (d, sink) in self.sinks.iter_mut().enumerate() {
            sink.always_ready = draining;
            let delivered = sink.drive(&mut self.rng, v);
            out_bp += sink.backpressured;
            let Some(pkt) = delivered.filter(|_| !in_reset) else {
                continue;
            };
            let src = (pkt & src_mask) as usize;
            let at = self.pk.y(pkt) as usize * self.link.cols as usize + self.pk.x(pkt) as usize;
            let want = self.expected.get_mut(src).and_then(|q| q[d].pop_front());
            let multicast = self.tables.is_some();
            match want {
                Some((w, t)) if w == pkt && (at == d || multicast) => {
                    cov.delivered += 1;
                    cov.delivered_per_node[d] += 1;
                    cov.max_latency = cov.max_latency.max(cycle - t);
                    cov.latency_sum += cycle - t;
                }
                _ => cov.scoreboard_errors += 1,
            }
        }
        cov.output_backpressure_cycles = out_bp;
        let mut in_bp = 0;
        for s in 0..n {
            self.sources[s].paused = draining;
            let w = self.rng.word();
            let d = self.destination(w, pattern, s);
            let cols = self.link.cols as usize;
            let pkt = self.pk.pack(
                (d % cols) as u64,
                (d / cols) as u64,
                cycle,
                self.seq[s] << self.src_bits | s as u64,
            );
            let taken = self.sources[s].drive(cycle, &mut self.rng, v, |_| pkt);
            in_bp += self.sources[s].backpressured;
            if let Some(pkt) = taken.filter(|_| !in_reset) {
                // The destination of the packet taken (made earlier, maybe
                // under the same pattern but another draw): from its fields.
                let d = self.pk.y(pkt) as usize * cols + self.pk.x(pkt) as usize;
                match &self.tables {
                    None => self.expected[s][d].push_back((pkt, cycle)),
                    Some(tables) => {
                        let (leaves, dead) = self.leaves(tables, s, pkt);
                        cov.multicast_copies += leaves.len().saturating_sub(1) as u64;
                        cov.multicast_branch_drops += dead;
                        for leaf in leaves {
                            self.expected[s][leaf].push_back((pkt, cycle));
                        }
                    }
                }
                self.seq[s] += 1;
                cov.injected += 1;
                cov.injected_per_pattern[pattern] += 1;
            }
        }
        cov.input_backpressure_cycles = in_bp;
    }
}
