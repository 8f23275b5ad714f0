//! Seeded traffic for one AER router: rounds of (reset now and then,
//! program the multicast table over Wishbone, random traffic on all five
//! inputs with random backpressure on all five outputs, drain, read back
//! `dropped`). A scoreboard independent of the golden model checks that
//! every packet taken leaves exactly once by exactly the outputs its route
//! names (in order per input-output pair), or is dropped and counted.
//!
//! The scoreboard computes each packet's route from what it wrote into the
//! table (its own code, from `docs/aer_router.md`); the table only changes
//! between rounds, when the router is empty.

use super::aer_link::{AerSink, AerSource};
use super::bits::{field_below, Bits};
use super::bus_script::BusScript;
use super::Stimulus;
use crate::aer_router::{RouterPins, LINKS};
use crate::cycle::{MissingPort, PortLayout};
use memforge_spec::blocks::aer_router::{
    entry_offset, existing_outputs, turn_allowed, AerRouterConfig, AerRouterParams,
};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Cycles of traffic per round.
const TRAFFIC_CYCLES: u64 = 3000;
/// A drain that takes longer is a scoreboard error (a packet stuck).
const DRAIN_LIMIT: u64 = 20_000;

/// What the router traffic exercised.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RouterCoverage {
    pub cycles: u64,
    pub rounds: u64,
    pub resets: u64,
    pub table_writes: u64,
    /// Packets taken by the router, per input.
    pub taken_per_input: Vec<u64>,
    /// Packets delivered, per output (its grants that reached the sink).
    pub grants_per_output: Vec<u64>,
    /// Packets that matched a table entry.
    pub table_hits: u64,
    /// Packets sent to two or more outputs at once.
    pub multicast_forks: u64,
    /// Packets dropped (outside the mesh or no permitted output), as the
    /// scoreboard expects them.
    pub drops: u64,
    /// `dropped` read back at the end of a round equal to the expected
    /// count.
    pub dropped_reads_ok: u64,
    pub input_backpressure_cycles: u64,
    pub output_backpressure_cycles: u64,
    /// Longest drain (cycles from the end of injection to empty).
    pub max_drain_cycles: u64,
    /// Lost, duplicated, misrouted or reordered packets, drains over the
    /// limit, wrong `dropped` reads: always 0 for a correct router.
    pub scoreboard_errors: u64,
}

/// A scoreboard's own picture of one router's table and place (the mesh
/// traffic keeps one per router).
#[derive(Clone, Debug)]
pub(crate) struct Routing {
    pub(crate) p: AerRouterParams,
    width_mask: u64,
    /// (key, mask, route) per entry, as written (masked to their widths).
    pub(crate) table: Vec<(u64, u64, u8)>,
}

impl Routing {
    /// The router of `p` with an empty table.
    pub(crate) fn new(p: AerRouterParams) -> Self {
        Self {
            width_mask: (1u64 << p.link.packet_bits()) - 1,
            table: vec![(0, 0, 0); p.link.table_entries as usize],
            p,
        }
    }

    /// The outputs a packet arriving on `from` leaves by (empty: dropped),
    /// and whether it matched a table entry.
    pub(crate) fn outputs(&self, from: usize, pkt: u64) -> (u8, bool) {
        let l = self.p.link.layout();
        let hit = self
            .table
            .iter()
            .rev()
            .find(|(k, m, r)| *r != 0 && (pkt ^ k) & m == 0)
            .map(|e| e.2);
        let (x, y) = (l.x(pkt), l.y(pkt));
        let (mx, my) = (u64::from(self.p.x), u64::from(self.p.y));
        let unicast = if x >= self.p.link.cols.into() || y >= self.p.link.rows.into() {
            0
        } else if x != mx {
            if x > mx {
                0b00010
            } else {
                0b01000
            }
        } else if y != my {
            if y > my {
                0b00100
            } else {
                0b00001
            }
        } else {
            0b10000
        };
        let l = &self.p.link;
        let permit = turn_allowed(from) & existing_outputs(self.p.x, self.p.y, l.cols, l.rows);
        (hit.unwrap_or(unicast) & permit, hit.is_some())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Program,
    Traffic(u64),
    Drain(u64),
    ReadBack,
}

pub struct RouterTraffic {
    rng: Bits,
    pins: RouterPins,
    sources: Vec<AerSource>,
    sinks: Vec<AerSink>,
    bus: BusScript,
    routing: Routing,
    phase: Phase,
    reset_left: u32,
    /// Per input, per output: packets expected there, oldest first.
    expected: Vec<Vec<VecDeque<u64>>>,
    /// Drops since the last reset.
    drops_since_reset: u64,
    /// Tables whose entries match every packet and fork it (the deadlock
    /// test's stress).
    forking: bool,
    cov: Rc<RefCell<RouterCoverage>>,
}

impl RouterTraffic {
    pub fn new(cfg: &AerRouterConfig, layout: &PortLayout, seed: u64) -> Result<Self, MissingPort> {
        let p = cfg.params();
        let pins = RouterPins::new(layout)?;
        Ok(Self {
            rng: Bits::new(seed),
            sources: pins.links.iter().map(|l| AerSource::new(l.input)).collect(),
            sinks: pins.links.iter().map(|l| AerSink::new(l.output)).collect(),
            bus: BusScript::new(pins.wb),
            pins,
            routing: Routing::new(p),
            phase: Phase::Program,
            reset_left: 2,
            expected: vec![vec![VecDeque::new(); LINKS]; LINKS],
            drops_since_reset: 0,
            forking: false,
            cov: Rc::new(RefCell::new(RouterCoverage {
                taken_per_input: vec![0; LINKS],
                grants_per_output: vec![0; LINKS],
                ..Default::default()
            })),
        })
    }

    /// Every round's table matches every packet (mask 0) and names two or
    /// more outputs (all five half of the time): nearly every packet forks,
    /// from every input at once.
    pub fn forking_tables(mut self) -> Self {
        self.forking = true;
        self
    }

    /// The counters (live).
    pub fn coverage(&self) -> Rc<RefCell<RouterCoverage>> {
        Rc::clone(&self.cov)
    }

    /// Writes a fresh random table: each entry compares a few address bits
    /// above the input tag (so about one packet in four to sixteen hits),
    /// sometimes a destination bit, and names a random set of outputs.
    fn program(&mut self) {
        let l = self.routing.p.link.layout();
        let base = self.routing.p.link.base_address;
        for e in 0..self.routing.table.len() {
            let w = self.rng.word();
            let mut mask = 0u64;
            for k in 0..1 + field_below(w, 8, 3) {
                let span = u64::from(l.addr_bits.saturating_sub(3).max(1));
                let bit = 3 + field_below(w >> (8 + 8 * k), 8, span);
                mask |= 1 << bit.min(u64::from(l.bits()) - 1);
            }
            if field_below(w >> 40, 8, 4) == 0 {
                mask |= 1 << l.x_lsb();
            }
            let key = (w >> 20) & self.routing.width_mask;
            let mut mask = mask & self.routing.width_mask;
            let mut route = if field_below(w >> 48, 8, 8) == 0 {
                0
            } else {
                (w >> 56) as u8 & 0x1f
            };
            if self.forking {
                mask = 0;
                route = if w >> 63 == 1 {
                    0x1f
                } else {
                    (w >> 56) as u8 & 0x1f | 0b10001
                };
            }
            let at = base + entry_offset(e as u32);
            self.bus.write(at, key as u32);
            self.bus.write(at + 4, mask as u32);
            self.bus.write(at + 8, u32::from(route));
            self.routing.table[e] = (key, mask, route);
            self.cov.borrow_mut().table_writes += 3;
        }
        self.bus.read(base);
    }

    fn in_flight(&self) -> bool {
        self.expected.iter().flatten().any(|q| !q.is_empty())
    }

    /// A packet for input `i`: mostly inside the mesh, its low address
    /// bits the input (so the scoreboard knows where it came from).
    fn packet(rng: &mut Bits, p: &AerRouterParams, i: usize) -> u64 {
        let l = p.link.layout();
        let w = rng.word();
        let coord = |field: u64, n: u32, bits: u32| {
            if field_below(field, 8, 12) == 0 {
                field >> 8 & ((1 << bits) - 1)
            } else {
                field_below(field >> 8, 16, n.into())
            }
        };
        let x = coord(w, p.link.cols, l.x_bits);
        let y = coord(w >> 24, p.link.rows, l.y_bits);
        l.pack(x, y, w >> 48, rng.word() << 3 | i as u64)
    }
}

impl Stimulus for RouterTraffic {
    fn drive(&mut self, cycle: u64, v: &mut [u64]) {
        self.cov.borrow_mut().cycles += 1;
        let in_reset = self.reset_left > 0;
        self.reset_left = self.reset_left.saturating_sub(1);
        self.pins.rst_n.set(v, u64::from(!in_reset));
        if in_reset {
            self.bus.abort();
            for s in &mut self.sources {
                s.abort();
            }
            self.drops_since_reset = 0;
            for t in &mut self.routing.table {
                *t = (0, 0, 0);
            }
        }
        // The bus: program, or read `dropped` back.
        if let Some((req, data)) = self.bus.drive(v).filter(|_| !in_reset) {
            let base = self.routing.p.link.base_address;
            if !req.we && req.adr == base + 4 {
                let want = self.drops_since_reset.min(0xffff) as u32;
                let mut c = self.cov.borrow_mut();
                if data == want {
                    c.dropped_reads_ok += 1;
                } else {
                    c.scoreboard_errors += 1;
                }
            }
        }
        // The phase machine.
        let paused = !matches!(self.phase, Phase::Traffic(_));
        self.phase = match self.phase {
            Phase::Program if in_reset => Phase::Program,
            Phase::Program => {
                self.program();
                Phase::Traffic(cycle)
            }
            Phase::Traffic(start) if self.bus.idle() && cycle - start >= TRAFFIC_CYCLES => {
                Phase::Drain(cycle)
            }
            Phase::Drain(start) => {
                // Packets to be dropped are never expected anywhere: give
                // them a FIFO's depth of cycles to reach a head.
                let settle = u64::from(self.routing.p.link.fifo_depth) + 4;
                let held = self.sources.iter().any(AerSource::holding);
                if !self.in_flight() && !held && cycle - start > settle {
                    let mut c = self.cov.borrow_mut();
                    c.max_drain_cycles = c.max_drain_cycles.max(cycle - start);
                    self.bus.read(self.routing.p.link.base_address + 4);
                    Phase::ReadBack
                } else if cycle - start > DRAIN_LIMIT {
                    self.cov.borrow_mut().scoreboard_errors += 1;
                    for q in self.expected.iter_mut().flatten() {
                        q.clear();
                    }
                    Phase::ReadBack
                } else {
                    Phase::Drain(start)
                }
            }
            Phase::ReadBack if self.bus.idle() => {
                let mut c = self.cov.borrow_mut();
                c.rounds += 1;
                if field_below(self.rng.word(), 8, 3) == 0 {
                    self.reset_left = 1 + field_below(self.rng.word(), 8, 2) as u32;
                    c.resets += 1;
                }
                Phase::Program
            }
            other => other,
        };
        // No traffic while the table is being written.
        let paused = paused || !self.bus.idle();
        for s in &mut self.sources {
            s.paused = paused;
        }
        // The sinks first: what they take now left before anything taken
        // at this edge.
        let mut cov = self.cov.borrow_mut();
        let mut out_bp = 0;
        for (o, sink) in self.sinks.iter_mut().enumerate() {
            let delivered = sink.drive(&mut self.rng, v);
            out_bp += sink.backpressured;
            if let Some(pkt) = delivered.filter(|_| !in_reset) {
                let from = (pkt & 7) as usize;
                match self.expected.get_mut(from).and_then(|q| q[o].pop_front()) {
                    Some(want) if want == pkt => cov.grants_per_output[o] += 1,
                    _ => cov.scoreboard_errors += 1,
                }
            }
        }
        cov.output_backpressure_cycles = out_bp;
        let mut in_bp = 0;
        let p = self.routing.p.clone();
        for (i, s) in self.sources.iter_mut().enumerate() {
            let taken = s.drive(cycle, &mut self.rng, v, |r| Self::packet(r, &p, i));
            in_bp += s.backpressured;
            if let Some(pkt) = taken.filter(|_| !in_reset) {
                let pkt = pkt & self.routing.width_mask;
                cov.taken_per_input[i] += 1;
                let (set, hit) = self.routing.outputs(i, pkt);
                cov.table_hits += u64::from(hit);
                if set == 0 {
                    cov.drops += 1;
                    self.drops_since_reset += 1;
                }
                if set.count_ones() >= 2 {
                    cov.multicast_forks += 1;
                }
                for o in 0..LINKS {
                    if set & (1 << o) != 0 {
                        self.expected[i][o].push_back(pkt);
                    }
                }
            }
        }
        cov.input_backpressure_cycles = in_bp;
    }
}
