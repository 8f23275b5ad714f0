//! Golden model of the AER mesh router, written from `docs/aer_router.md`
//! (not from the RTL). [`RouterCore`] is the router on plain values, so the
//! mesh model (`crate::aer_mesh`) composes it; [`AerRouterModel`] puts it
//! at the router's ports. Traffic and scoreboard:
//! `crate::stimulus::router_traffic`.

use crate::cycle::{CycleModel, MissingPort, Pin, PortLayout};
use crate::pins::{LinkPins, WishbonePins};
use crate::regfile::{RegFileModel, WbIn};
use memforge_spec::blocks::aer_router::{
    contract, existing_outputs, register_map, router_port, turn_allowed, AerRouterConfig,
    AerRouterParams, PacketLayout, LOCAL, RESET,
};
use std::collections::VecDeque;

/// Links of a router.
pub const LINKS: usize = 5;

/// What the links present to a router in one cycle.
#[derive(Clone, Copy, Debug, Default)]
pub struct LinkInputs {
    pub in_valid: [bool; LINKS],
    pub in_data: [u64; LINKS],
    pub out_ready: [bool; LINKS],
}

/// The router's state and its cycle.
#[derive(Clone, Debug)]
pub struct RouterCore {
    x: u64,
    y: u64,
    cols: u64,
    rows: u64,
    pk: PacketLayout,
    depth: usize,
    /// Per input: the outputs it may use here (turn rule and mesh edges).
    permit: [u8; LINKS],
    /// Per input: (packet, its route), oldest first.
    fifos: [VecDeque<(u64, u8)>; LINKS],
    out_full: [bool; LINKS],
    out_data: [u64; LINKS],
    /// Per output: the input granted last (5 after reset).
    last: [usize; LINKS],
    /// The fork master that fired last (5 after reset).
    mc_last: usize,
    dropped: u32,
    regs: RegFileModel,
    /// Register indices of each table entry's key, mask and route.
    table: Vec<(usize, usize, usize)>,
}

/// The entry with rotating priority: the highest `i` with `want(i)` below
/// `last`, else the highest `i` with `want(i)`.
fn rotate(last: usize, want: impl Fn(usize) -> bool) -> Option<usize> {
    (0..last.min(LINKS))
        .rev()
        .find(|&i| want(i))
        .or_else(|| (0..LINKS).rev().find(|&i| want(i)))
}

impl RouterCore {
    /// The router of `p`, its registers at `base_address`, after reset.
    pub fn new(p: &AerRouterParams, base_address: u32) -> Self {
        let l = &p.link;
        let map = register_map(p, base_address);
        let regs = RegFileModel::new(&map);
        let idx = |n: String| regs.index(&n).expect("the map has every entry");
        let table = (0..l.table_entries)
            .map(|e| {
                (
                    idx(format!("key{e}")),
                    idx(format!("mask{e}")),
                    idx(format!("route{e}")),
                )
            })
            .collect();
        let exists = existing_outputs(p.x, p.y, l.cols, l.rows);
        let mut c = Self {
            x: p.x.into(),
            y: p.y.into(),
            cols: l.cols.into(),
            rows: l.rows.into(),
            pk: l.layout(),
            depth: l.fifo_depth as usize,
            permit: std::array::from_fn(|i| turn_allowed(i) & exists),
            fifos: Default::default(),
            out_full: [false; LINKS],
            out_data: [0; LINKS],
            last: [LINKS; LINKS],
            mc_last: LINKS,
            dropped: 0,
            regs,
            table,
        };
        c.reset();
        c
    }

    pub fn reset(&mut self) {
        for f in &mut self.fifos {
            f.clear();
        }
        self.out_full = [false; LINKS];
        self.out_data = [0; LINKS];
        self.last = [LINKS; LINKS];
        self.mc_last = LINKS;
        self.dropped = 0;
        self.regs.reset();
    }

    /// The outputs a packet arriving on `from` will ask for (empty:
    /// dropped), with the table as it is now.
    pub fn route(&self, from: usize, packet: u64) -> u8 {
        let mut hit = None;
        for &(k, m, r) in &self.table {
            let route = self.regs.value(r) as u8 & 0x1f;
            let (key, mask) = (u64::from(self.regs.value(k)), u64::from(self.regs.value(m)));
            if route != 0 && (packet ^ key) & mask == 0 {
                hit = Some(route); // the highest-numbered match wins
            }
        }
        let set = hit.unwrap_or_else(|| self.xy(packet));
        set & self.permit[from]
    }

    /// Dimension-order routing: x first, then y; 0 outside the mesh.
    fn xy(&self, packet: u64) -> u8 {
        let (dx, dy) = (self.pk.x(packet), self.pk.y(packet));
        if dx >= self.cols || dy >= self.rows {
            0
        } else if dx > self.x {
            1 << 1
        } else if dx < self.x {
            1 << 3
        } else if dy > self.y {
            1 << 2
        } else if dy < self.y {
            1
        } else {
            1 << LOCAL
        }
    }

    /// `in_ready` of every link.
    pub fn in_ready(&self) -> [bool; LINKS] {
        std::array::from_fn(|i| self.fifos[i].len() < self.depth)
    }

    pub fn out_valid(&self) -> [bool; LINKS] {
        self.out_full
    }

    pub fn out_data(&self) -> [u64; LINKS] {
        self.out_data
    }

    pub fn bus_ack(&self) -> bool {
        self.regs.ack()
    }

    pub fn bus_rdata(&self) -> u32 {
        self.regs.rdata()
    }

    /// The `dropped` counter.
    pub fn dropped(&self) -> u32 {
        self.dropped
    }

    /// One rising edge.
    pub fn tick(&mut self, io: &LinkInputs, bus: &WbIn) {
        // Every decision on the state before the edge. A packet's route
        // was decided as it entered.
        let route: [u8; LINKS] = std::array::from_fn(|p| self.fifos[p].front().map_or(0, |e| e.1));
        let mask = (1u64 << self.pk.bits()) - 1;
        let arriving: [(u64, u8); LINKS] = std::array::from_fn(|p| {
            let packet = io.in_data[p] & mask;
            (packet, self.route(p, packet))
        });
        let nonempty: [bool; LINKS] = std::array::from_fn(|p| !self.fifos[p].is_empty());
        let fork = |p: usize| route[p].count_ones() >= 2;
        let single = |p: usize| route[p].count_ones() == 1;
        let space: [bool; LINKS] = std::array::from_fn(|o| !self.out_full[o] || io.out_ready[o]);
        // The master: among the forks whose outputs all have space.
        let free: u8 = (0..LINKS).filter(|&o| space[o]).map(|o| 1 << o).sum();
        let master = rotate(self.mc_last, |p| fork(p) && route[p] & !free == 0);
        let mset = master.map_or(0, |m| route[m]);
        let mfire = master.is_some();
        let mut popped = [false; LINKS];
        for (o, &space) in space.iter().enumerate() {
            let src = if mset & (1 << o) != 0 && mfire {
                master
            } else {
                rotate(self.last[o], |p| single(p) && route[p] & (1 << o) != 0)
            };
            if !space {
                continue;
            }
            self.out_full[o] = src.is_some();
            if let Some(p) = src {
                self.out_data[o] = self.fifos[p].front().expect("a source has a head").0;
                self.last[o] = p;
                popped[p] = true;
            }
        }
        if let Some(m) = master.filter(|_| mfire) {
            self.mc_last = m;
        }
        let full: [bool; LINKS] = std::array::from_fn(|p| self.fifos[p].len() >= self.depth);
        let mut drops = 0;
        for p in 0..LINKS {
            if nonempty[p] && route[p] == 0 {
                popped[p] = true;
                drops += 1;
            }
            if popped[p] {
                self.fifos[p].pop_front();
            }
        }
        let dropped = self.dropped;
        self.regs.clock_indexed(bus, |_| dropped);
        self.dropped = (self.dropped + drops).min(0xffff);
        for (p, fifo) in self.fifos.iter_mut().enumerate() {
            if io.in_valid[p] && !full[p] {
                fifo.push_back(arriving[p]);
            }
        }
    }
}

/// The pins of one router link.
#[derive(Clone, Copy, Debug)]
pub struct RouterLinkPins {
    /// The link into the router (`<dir>_in_valid`, `_in_data`, `_in_ready`).
    pub input: LinkPins,
    /// The link out of it (`<dir>_out_valid`, `_out_data`, `_out_ready`).
    pub output: LinkPins,
}

/// The router's pins.
#[derive(Clone, Debug)]
pub struct RouterPins {
    pub rst_n: Pin,
    pub wb: WishbonePins,
    pub links: [RouterLinkPins; LINKS],
}

impl RouterPins {
    pub fn new(layout: &PortLayout) -> Result<Self, MissingPort> {
        let link = |d: usize| -> Result<RouterLinkPins, MissingPort> {
            let n = |f: &str| router_port(d, f);
            Ok(RouterLinkPins {
                input: LinkPins::new(layout, &n("in_valid"), &n("in_data"), &n("in_ready"))?,
                output: LinkPins::new(layout, &n("out_valid"), &n("out_data"), &n("out_ready"))?,
            })
        };
        Ok(Self {
            rst_n: layout.pin(RESET)?,
            wb: WishbonePins::new(layout)?,
            links: [link(0)?, link(1)?, link(2)?, link(3)?, link(4)?],
        })
    }
}

/// The router at its ports, cycle-accurate.
#[derive(Clone, Debug)]
pub struct AerRouterModel {
    layout: PortLayout,
    pins: RouterPins,
    core: RouterCore,
}

impl AerRouterModel {
    pub fn new(cfg: &AerRouterConfig) -> Self {
        let p = cfg.params();
        let layout = PortLayout::from_contract(&contract(&p));
        let pins = RouterPins::new(&layout).expect("the layout is the router contract's");
        Self {
            layout,
            pins,
            core: RouterCore::new(&p, p.link.base_address),
        }
    }

    pub fn core(&self) -> &RouterCore {
        &self.core
    }
}

impl CycleModel for AerRouterModel {
    fn layout(&self) -> &PortLayout {
        &self.layout
    }

    fn tick(&mut self, v: &[u64]) {
        if !self.pins.rst_n.is_high(v) {
            self.core.reset();
            return;
        }
        let l = &self.pins.links;
        let io = LinkInputs {
            in_valid: std::array::from_fn(|i| l[i].input.valid.is_high(v)),
            in_data: std::array::from_fn(|i| l[i].input.addr.get(v)),
            out_ready: std::array::from_fn(|i| l[i].output.ready.is_high(v)),
        };
        self.core.tick(&io, &self.pins.wb.request(v));
    }

    fn outputs(&self, v: &mut [u64]) {
        let (ready, valid, data) = (
            self.core.in_ready(),
            self.core.out_valid(),
            self.core.out_data(),
        );
        for (i, l) in self.pins.links.iter().enumerate() {
            l.input.ready.set(v, u64::from(ready[i]));
            l.output.valid.set(v, u64::from(valid[i]));
            l.output.addr.set(v, data[i]);
        }
        self.pins.wb.ack.set(v, u64::from(self.core.bus_ack()));
        self.pins.wb.dat_o.set(v, u64::from(self.core.bus_rdata()));
    }
}
