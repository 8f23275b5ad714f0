//! AER mesh router: five valid/ready links (north, east, south, west,
//! local), an input FIFO per link, one registered output per link, XY
//! routing for unicast and a key/mask table (Wishbone registers) for
//! multicast. Spec: `docs/aer_router.md`; golden model:
//! `memforge_sim::aer_router::AerRouterModel`.
//!
//! A packet's route is decided as it enters its FIFO and stored beside it
//! (a second FIFO of 5 bits), so the arbitration starts from registers:
//! the highest-numbered table entry it matches (`(packet ^ key) & mask ==
//! 0`, `route != 0`) gives a set of outputs, else XY on its destination;
//! the set is then masked by the turn rule and the mesh edges
//! (`spec::blocks::aer_router::turn_allowed`, `existing_outputs`).
//!
//! Per cycle, on registered state only (FIFO flags, heads and routes,
//! output registers) plus the outputs' `ready`:
//! - a head whose route is empty is dropped (and counted);
//! - a set of two or more outputs is a fork. Among the forks whose outputs
//!   all have space, one, the master (rotating priority among inputs),
//!   moves into all of them at one edge, before any other packet; a fork
//!   that cannot move holds nothing (holding outputs or the master's turn
//!   adds waits the turn rule does not order: `tests/it/aer_mesh.rs` found
//!   such a deadlock);
//! - every other output grants, round-robin, one of the single-output
//!   packets asking for it.

use crate::emit::{self, Emitted};
use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use crate::regfile::front::WbFront;
use crate::regfile::slots::{ConstSlot, RoSlot, RwSlot, StoreSlot};
use crate::tile::fifo::ShiftFifo;
use memforge_spec::blocks::aer_router::{
    contract, existing_outputs, register_map, turn_allowed, AerRouterConfig, AerRouterParams, PORTS,
};
use memforge_spec::{RegisterMap, Target};
use rust_hdl::prelude::*;

/// Links of a router.
const N: usize = PORTS.len();

#[derive(Clone, Debug, LogicBlock)]
pub struct AerRouter<const W: usize> {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub wbs_stb_i: Signal<In, Bit>,
    pub wbs_cyc_i: Signal<In, Bit>,
    pub wbs_we_i: Signal<In, Bit>,
    pub wbs_sel_i: Signal<In, Bits<4>>,
    pub wbs_dat_i: Signal<In, Bits<32>>,
    pub wbs_adr_i: Signal<In, Bits<32>>,
    pub wbs_ack_o: Signal<Out, Bit>,
    pub wbs_dat_o: Signal<Out, Bits<32>>,
    // The links, one named group each (a parent indexes `router[i].north_in_data`:
    // rust-hdl resolves one index per name).
    pub north_in_data: Signal<In, Bits<W>>,
    pub north_in_valid: Signal<In, Bit>,
    pub north_in_ready: Signal<Out, Bit>,
    pub north_out_data: Signal<Out, Bits<W>>,
    pub north_out_valid: Signal<Out, Bit>,
    pub north_out_ready: Signal<In, Bit>,
    pub east_in_data: Signal<In, Bits<W>>,
    pub east_in_valid: Signal<In, Bit>,
    pub east_in_ready: Signal<Out, Bit>,
    pub east_out_data: Signal<Out, Bits<W>>,
    pub east_out_valid: Signal<Out, Bit>,
    pub east_out_ready: Signal<In, Bit>,
    pub south_in_data: Signal<In, Bits<W>>,
    pub south_in_valid: Signal<In, Bit>,
    pub south_in_ready: Signal<Out, Bit>,
    pub south_out_data: Signal<Out, Bits<W>>,
    pub south_out_valid: Signal<Out, Bit>,
    pub south_out_ready: Signal<In, Bit>,
    pub west_in_data: Signal<In, Bits<W>>,
    pub west_in_valid: Signal<In, Bit>,
    pub west_in_ready: Signal<Out, Bit>,
    pub west_out_data: Signal<Out, Bits<W>>,
    pub west_out_valid: Signal<Out, Bit>,
    pub west_out_ready: Signal<In, Bit>,
    pub local_in_data: Signal<In, Bits<W>>,
    pub local_in_valid: Signal<In, Bit>,
    pub local_in_ready: Signal<Out, Bit>,
    pub local_out_data: Signal<Out, Bits<W>>,
    pub local_out_valid: Signal<Out, Bit>,
    pub local_out_ready: Signal<In, Bit>,
    /// The links as vectors (index: 0 north, 1 east, 2 south, 3 west,
    /// 4 local), copied from and to the named ports.
    in_data: Vec<Signal<Local, Bits<W>>>,
    in_valid: Vec<Signal<Local, Bit>>,
    in_ready: Vec<Signal<Local, Bit>>,
    out_data: Vec<Signal<Local, Bits<W>>>,
    out_valid: Vec<Signal<Local, Bit>>,
    out_ready: Vec<Signal<Local, Bit>>,
    fifo: Vec<ShiftFifo<W>>,
    /// Beside each packet: its route, decided as it enters (same push and
    /// pop as `fifo`).
    rfifo: Vec<ShiftFifo<5>>,
    out_full: Vec<Reg<Bit>>,
    out_reg: Vec<Reg<Bits<W>>>,
    /// Per output: the input granted last (round-robin rotates below it).
    last: Vec<Reg<Bits<3>>>,
    /// The fork master fired last.
    mc_last: Reg<Bits<3>>,
    dropped: Reg<Bits<16>>,
    front: WbFront,
    rdata: Reg<Bits<32>>,
    r_id: ConstSlot,
    r_dropped: RoSlot<16>,
    /// 32 bits of storage for software (it also reads every data bit of the bus).
    r_scratch: StoreSlot<32>,
    r_key: Vec<RwSlot<W>>,
    r_mask: Vec<RwSlot<W>>,
    r_route: Vec<RwSlot<5>>,
    /// Read data of the slots so far (`rd[e + 1]` adds entry `e`).
    rd: Vec<Signal<Local, Bits<32>>>,
    id: Vec<Constant<Bits<3>>>,
    /// One-hot bit of output `o`.
    obit: Vec<Constant<Bits<5>>>,
    /// Per input: the outputs a packet from it may take here.
    permit: Vec<Constant<Bits<5>>>,
    x_mask: Constant<Bits<W>>,
    y_mask: Constant<Bits<W>>,
    my_x: Constant<Bits<W>>,
    my_y: Constant<Bits<W>>,
    max_x: Constant<Bits<W>>,
    max_y: Constant<Bits<W>>,
    dx: Vec<Signal<Local, Bits<W>>>,
    dy: Vec<Signal<Local, Bits<W>>>,
    xy: Vec<Signal<Local, Bits<5>>>,
    hit: Vec<Signal<Local, Bit>>,
    hroute: Vec<Signal<Local, Bits<5>>>,
    /// Per input: the outputs the arriving packet will ask for.
    inroute: Vec<Signal<Local, Bits<5>>>,
    /// Per input: the outputs its head asks for (0 when empty or dropped).
    route: Vec<Signal<Local, Bits<5>>>,
    fork: Vec<Signal<Local, Bit>>,
    uni: Vec<Signal<Local, Bit>>,
    drop: Vec<Signal<Local, Bit>>,
    drop17: Vec<Signal<Local, Bits<17>>>,
    count17: Signal<Local, Bits<17>>,
    m_below: Signal<Local, Bit>,
    m_grant_below: Signal<Local, Bits<3>>,
    m_any: Signal<Local, Bit>,
    m_grant_any: Signal<Local, Bits<3>>,
    master: Signal<Local, Bits<3>>,
    mset: Signal<Local, Bits<5>>,
    sbit: Vec<Signal<Local, Bits<5>>>,
    spacevec: Signal<Local, Bits<5>>,
    firable: Vec<Signal<Local, Bit>>,
    mfire: Signal<Local, Bit>,
    space: Vec<Signal<Local, Bit>>,
    reserved: Vec<Signal<Local, Bit>>,
    below: Vec<Signal<Local, Bit>>,
    grant_below: Vec<Signal<Local, Bits<3>>>,
    any: Vec<Signal<Local, Bit>>,
    grant_any: Vec<Signal<Local, Bits<3>>>,
    want: Vec<Signal<Local, Bit>>,
    src: Vec<Signal<Local, Bits<3>>>,
    load: Vec<Signal<Local, Bit>>,
    sel_head: Vec<Signal<Local, Bits<W>>>,
    pop: Vec<Signal<Local, Bit>>,
    entries: Param<usize>,
}

fn locals<T: Default>(n: usize) -> Vec<T> {
    (0..n).map(|_| T::default()).collect()
}

impl<const W: usize> AerRouter<W> {
    /// The router of `p` with its registers at `base_address`.
    pub fn new(p: &AerRouterParams, base_address: u32, style: RegStyle) -> Self {
        let l = &p.link;
        let pk = l.layout();
        let map = register_map(p, base_address);
        let word = |name: &str| map.get(name).map_or(0, |r| r.offset / 4);
        let entries = l.table_entries as usize;
        let field = |lsb: u32, bits: u32, v: u64| {
            Constant::new((v << lsb & ((1u64 << bits) - 1) << lsb).to_bits())
        };
        let exists = existing_outputs(p.x, p.y, l.cols, l.rows);
        let key = |e: usize, k: &str| word(&format!("{k}{e}"));
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            wbs_stb_i: Default::default(),
            wbs_cyc_i: Default::default(),
            wbs_we_i: Default::default(),
            wbs_sel_i: Default::default(),
            wbs_dat_i: Default::default(),
            wbs_adr_i: Default::default(),
            wbs_ack_o: Default::default(),
            wbs_dat_o: Default::default(),
            north_in_data: Default::default(),
            north_in_valid: Default::default(),
            north_in_ready: Default::default(),
            north_out_data: Default::default(),
            north_out_valid: Default::default(),
            north_out_ready: Default::default(),
            east_in_data: Default::default(),
            east_in_valid: Default::default(),
            east_in_ready: Default::default(),
            east_out_data: Default::default(),
            east_out_valid: Default::default(),
            east_out_ready: Default::default(),
            south_in_data: Default::default(),
            south_in_valid: Default::default(),
            south_in_ready: Default::default(),
            south_out_data: Default::default(),
            south_out_valid: Default::default(),
            south_out_ready: Default::default(),
            west_in_data: Default::default(),
            west_in_valid: Default::default(),
            west_in_ready: Default::default(),
            west_out_data: Default::default(),
            west_out_valid: Default::default(),
            west_out_ready: Default::default(),
            local_in_data: Default::default(),
            local_in_valid: Default::default(),
            local_in_ready: Default::default(),
            local_out_data: Default::default(),
            local_out_valid: Default::default(),
            local_out_ready: Default::default(),
            in_data: locals(N),
            in_valid: locals(N),
            in_ready: locals(N),
            out_data: locals(N),
            out_valid: locals(N),
            out_ready: locals(N),
            fifo: (0..N)
                .map(|_| ShiftFifo::new(l.fifo_depth as usize, style))
                .collect(),
            rfifo: (0..N)
                .map(|_| ShiftFifo::new(l.fifo_depth as usize, style))
                .collect(),
            out_full: (0..N).map(|_| Reg::new(false, style)).collect(),
            out_reg: (0..N)
                .map(|_| Reg::new(Bits::<W>::default(), style))
                .collect(),
            // Reset to "after input 4", so input 4 ranks first.
            last: (0..N).map(|_| Reg::new(5u64.to_bits(), style)).collect(),
            mc_last: Reg::new(5u64.to_bits(), style),
            dropped: Reg::new(0u64.to_bits(), style),
            front: WbFront::new(map.base_address, map.window_bytes(), style),
            rdata: Reg::new(0u32.to_bits(), style),
            r_id: ConstSlot::new(word("id"), map.get("id").map_or(0, |r| r.reset)),
            r_dropped: RoSlot::new(word("dropped")),
            r_scratch: StoreSlot::new(word("scratch"), 0, style),
            r_key: (0..entries)
                .map(|e| RwSlot::new(key(e, "key"), 0, style))
                .collect(),
            r_mask: (0..entries)
                .map(|e| RwSlot::new(key(e, "mask"), 0, style))
                .collect(),
            r_route: (0..entries)
                .map(|e| RwSlot::new(key(e, "route"), 0, style))
                .collect(),
            rd: locals(entries + 1),
            id: (0..N)
                .map(|i| Constant::new((i as u64).to_bits()))
                .collect(),
            obit: (0..N)
                .map(|o| Constant::new((1u64 << o).to_bits()))
                .collect(),
            permit: (0..N)
                .map(|i| Constant::new(u64::from(turn_allowed(i) & exists).to_bits()))
                .collect(),
            x_mask: field(pk.x_lsb(), pk.x_bits, u64::MAX),
            y_mask: field(pk.y_lsb(), pk.y_bits, u64::MAX),
            my_x: field(pk.x_lsb(), pk.x_bits, p.x.into()),
            my_y: field(pk.y_lsb(), pk.y_bits, p.y.into()),
            max_x: field(pk.x_lsb(), pk.x_bits, (l.cols - 1).into()),
            max_y: field(pk.y_lsb(), pk.y_bits, (l.rows - 1).into()),
            dx: locals(N),
            dy: locals(N),
            xy: locals(N),
            hit: locals(N),
            hroute: locals(N),
            inroute: locals(N),
            route: locals(N),
            fork: locals(N),
            uni: locals(N),
            drop: locals(N),
            drop17: locals(N),
            count17: Default::default(),
            m_below: Default::default(),
            m_grant_below: Default::default(),
            m_any: Default::default(),
            m_grant_any: Default::default(),
            master: Default::default(),
            mset: Default::default(),
            sbit: locals(N),
            spacevec: Default::default(),
            firable: locals(N),
            mfire: Default::default(),
            space: locals(N),
            reserved: locals(N),
            below: locals(N),
            grant_below: locals(N),
            any: locals(N),
            grant_any: locals(N),
            want: locals(N),
            src: locals(N),
            load: locals(N),
            sel_head: locals(N),
            pop: locals(N),
            entries: Param(entries),
        }
    }
}

impl<const W: usize> Logic for AerRouter<W> {
    #[hdl_gen]
    fn update(&mut self) {
        // Register bank: the Wishbone front end and one slot per register.
        self.front.clock.next = self.clock.val();
        self.front.rst_n.next = self.rst_n.val();
        self.front.stb.next = self.wbs_stb_i.val();
        self.front.cyc.next = self.wbs_cyc_i.val();
        self.front.we.next = self.wbs_we_i.val();
        self.front.sel.next = self.wbs_sel_i.val();
        self.front.adr.next = self.wbs_adr_i.val();
        self.wbs_ack_o.next = self.front.ack.val();
        self.r_id.valid.next = self.front.valid.val();
        self.r_id.word.next = self.front.word.val();
        self.r_dropped.valid.next = self.front.valid.val();
        self.r_dropped.word.next = self.front.word.val();
        self.r_dropped.d.next = self.dropped.q.val();
        self.r_scratch.clock.next = self.clock.val();
        self.r_scratch.rst_n.next = self.rst_n.val();
        self.r_scratch.wr.next = self.front.wr.val();
        self.r_scratch.valid.next = self.front.valid.val();
        self.r_scratch.word.next = self.front.word.val();
        self.r_scratch.dat.next = self.wbs_dat_i.val();
        self.r_scratch.wmask.next = self.front.wmask.val();
        self.rd[0].next =
            self.r_id.rdata.val() | self.r_dropped.rdata.val() | self.r_scratch.rdata.val();
        for e in 0..self.entries.0 {
            self.r_key[e].clock.next = self.clock.val();
            self.r_key[e].rst_n.next = self.rst_n.val();
            self.r_key[e].wr.next = self.front.wr.val();
            self.r_key[e].valid.next = self.front.valid.val();
            self.r_key[e].word.next = self.front.word.val();
            self.r_key[e].dat.next = bit_cast::<W, 32>(self.wbs_dat_i.val());
            self.r_key[e].wmask.next = bit_cast::<W, 32>(self.front.wmask.val());
            self.r_mask[e].clock.next = self.clock.val();
            self.r_mask[e].rst_n.next = self.rst_n.val();
            self.r_mask[e].wr.next = self.front.wr.val();
            self.r_mask[e].valid.next = self.front.valid.val();
            self.r_mask[e].word.next = self.front.word.val();
            self.r_mask[e].dat.next = bit_cast::<W, 32>(self.wbs_dat_i.val());
            self.r_mask[e].wmask.next = bit_cast::<W, 32>(self.front.wmask.val());
            self.r_route[e].clock.next = self.clock.val();
            self.r_route[e].rst_n.next = self.rst_n.val();
            self.r_route[e].wr.next = self.front.wr.val();
            self.r_route[e].valid.next = self.front.valid.val();
            self.r_route[e].word.next = self.front.word.val();
            self.r_route[e].dat.next = bit_cast::<5, 32>(self.wbs_dat_i.val());
            self.r_route[e].wmask.next = bit_cast::<5, 32>(self.front.wmask.val());
            self.rd[e + 1].next = self.rd[e].val()
                | self.r_key[e].rdata.val()
                | self.r_mask[e].rdata.val()
                | self.r_route[e].rdata.val();
        }
        self.rdata.clock.next = self.clock.val();
        self.rdata.rst_n.next = self.rst_n.val();
        self.rdata.d.next = self.rdata.q.val();
        // One iteration (e = entries): rust-hdl indexes only by loop
        // variables.
        for e in self.entries.0..(self.entries.0 + 1) {
            if self.front.req.val() {
                self.rdata.d.next = bits::<32>(0);
                if !self.wbs_we_i.val() {
                    self.rdata.d.next = self.rd[e].val();
                }
            }
        }
        self.wbs_dat_o.next = self.rdata.q.val();

        // The named link ports, as vectors.
        self.in_data[0].next = self.north_in_data.val();
        self.in_valid[0].next = self.north_in_valid.val();
        self.out_ready[0].next = self.north_out_ready.val();
        self.in_data[1].next = self.east_in_data.val();
        self.in_valid[1].next = self.east_in_valid.val();
        self.out_ready[1].next = self.east_out_ready.val();
        self.in_data[2].next = self.south_in_data.val();
        self.in_valid[2].next = self.south_in_valid.val();
        self.out_ready[2].next = self.south_out_ready.val();
        self.in_data[3].next = self.west_in_data.val();
        self.in_valid[3].next = self.west_in_valid.val();
        self.out_ready[3].next = self.west_out_ready.val();
        self.in_data[4].next = self.local_in_data.val();
        self.in_valid[4].next = self.local_in_valid.val();
        self.out_ready[4].next = self.local_out_ready.val();
        self.north_in_ready.next = self.in_ready[0].val();
        self.north_out_data.next = self.out_data[0].val();
        self.north_out_valid.next = self.out_valid[0].val();
        self.east_in_ready.next = self.in_ready[1].val();
        self.east_out_data.next = self.out_data[1].val();
        self.east_out_valid.next = self.out_valid[1].val();
        self.south_in_ready.next = self.in_ready[2].val();
        self.south_out_data.next = self.out_data[2].val();
        self.south_out_valid.next = self.out_valid[2].val();
        self.west_in_ready.next = self.in_ready[3].val();
        self.west_out_data.next = self.out_data[3].val();
        self.west_out_valid.next = self.out_valid[3].val();
        self.local_in_ready.next = self.in_ready[4].val();
        self.local_out_data.next = self.out_data[4].val();
        self.local_out_valid.next = self.out_valid[4].val();

        // Flip-flop clocks.
        self.mc_last.clock.next = self.clock.val();
        self.mc_last.rst_n.next = self.rst_n.val();
        self.dropped.clock.next = self.clock.val();
        self.dropped.rst_n.next = self.rst_n.val();
        for o in 0..5 {
            self.out_full[o].clock.next = self.clock.val();
            self.out_full[o].rst_n.next = self.rst_n.val();
            self.out_reg[o].clock.next = self.clock.val();
            self.out_reg[o].rst_n.next = self.rst_n.val();
            self.last[o].clock.next = self.clock.val();
            self.last[o].rst_n.next = self.rst_n.val();
            self.space[o].next = !self.out_full[o].q.val() | self.out_ready[o].val();
        }

        // Routes of the packets arriving (stored beside them, so the
        // arbitration starts from a register).
        for p in 0..5 {
            self.dx[p].next = self.in_data[p].val() & self.x_mask.val();
            self.dy[p].next = self.in_data[p].val() & self.y_mask.val();
            // "Not equal and not greater" for "less": a `<` against a
            // coordinate 0 is a constant Verilator reports.
            self.xy[p].next = self.obit[4].val();
            if self.dy[p].val() != self.my_y.val() {
                self.xy[p].next = self.obit[0].val();
            }
            if self.dy[p].val() > self.my_y.val() {
                self.xy[p].next = self.obit[2].val();
            }
            if self.dx[p].val() != self.my_x.val() {
                self.xy[p].next = self.obit[3].val();
            }
            if self.dx[p].val() > self.my_x.val() {
                self.xy[p].next = self.obit[1].val();
            }
            if (self.dx[p].val() > self.max_x.val()) | (self.dy[p].val() > self.max_y.val()) {
                self.xy[p].next = bits::<5>(0);
            }
            self.hit[p].next = false;
            self.hroute[p].next = bits::<5>(0);
            for e in 0..self.entries.0 {
                if (((self.in_data[p].val() ^ self.r_key[e].q.val()) & self.r_mask[e].q.val())
                    == bits::<W>(0))
                    & (self.r_route[e].q.val() != bits::<5>(0))
                {
                    self.hit[p].next = true;
                    self.hroute[p].next = self.r_route[e].q.val();
                }
            }
            self.inroute[p].next = self.xy[p].val() & self.permit[p].val();
            if self.hit[p].val() {
                self.inroute[p].next = self.hroute[p].val() & self.permit[p].val();
            }
            // The head's route, from the route FIFO.
            self.route[p].next = self.rfifo[p].head.val();
            // The two FIFOs move together; reading both flags keeps every
            // port of both used.
            self.drop[p].next = self.fifo[p].nonempty.val()
                & self.rfifo[p].nonempty.val()
                & (self.route[p].val() == bits::<5>(0));
            self.fork[p].next =
                (self.route[p].val() & (self.route[p].val() - bits::<5>(1))) != bits::<5>(0);
            self.uni[p].next = (self.route[p].val() != bits::<5>(0)) & !self.fork[p].val();
            self.drop17[p].next = bits::<17>(0);
            if self.drop[p].val() {
                self.drop17[p].next = bits::<17>(1);
            }
        }

        // Forks that can move now: all their outputs have space.
        for o in 0..5 {
            self.sbit[o].next = bits::<5>(0);
            if self.space[o].val() {
                self.sbit[o].next = self.obit[o].val();
            }
        }
        self.spacevec.next = self.sbit[0].val()
            | self.sbit[1].val()
            | self.sbit[2].val()
            | self.sbit[3].val()
            | self.sbit[4].val();
        for p in 0..5 {
            self.firable[p].next =
                self.fork[p].val() & ((self.route[p].val() & !self.spacevec.val()) == bits::<5>(0));
        }
        // The fork master: among the forks that can move, the
        // highest-numbered below the last master, else the highest-numbered.
        // A fork that cannot move holds nothing (no output, no turn).
        self.m_below.next = false;
        self.m_grant_below.next = bits::<3>(0);
        self.m_any.next = false;
        self.m_grant_any.next = bits::<3>(0);
        for p in 0..5 {
            if self.firable[p].val() {
                self.m_any.next = true;
                self.m_grant_any.next = self.id[p].val();
                if self.id[p].val() < self.mc_last.q.val() {
                    self.m_below.next = true;
                    self.m_grant_below.next = self.id[p].val();
                }
            }
        }
        self.master.next = self.m_grant_any.val();
        if self.m_below.val() {
            self.master.next = self.m_grant_below.val();
        }
        self.mset.next = bits::<5>(0);
        for p in 0..5 {
            if self.m_any.val() & (self.master.val() == self.id[p].val()) {
                self.mset.next = self.route[p].val();
            }
        }
        for o in 0..5 {
            self.reserved[o].next = (self.mset.val() & self.obit[o].val()) != bits::<5>(0);
        }
        self.mfire.next = self.m_any.val();

        // Per output: the master if it moves now, else round-robin among the
        // single-output packets asking for it.
        for o in 0..5 {
            self.below[o].next = false;
            self.grant_below[o].next = bits::<3>(0);
            self.any[o].next = false;
            self.grant_any[o].next = bits::<3>(0);
            for p in 0..5 {
                if self.uni[p].val() & ((self.route[p].val() & self.obit[o].val()) != bits::<5>(0))
                {
                    self.any[o].next = true;
                    self.grant_any[o].next = self.id[p].val();
                    if self.id[p].val() < self.last[o].q.val() {
                        self.below[o].next = true;
                        self.grant_below[o].next = self.id[p].val();
                    }
                }
            }
            self.want[o].next = self.any[o].val();
            self.src[o].next = self.grant_any[o].val();
            if self.below[o].val() {
                self.src[o].next = self.grant_below[o].val();
            }
            // The master takes all its outputs before any other packet.
            if self.reserved[o].val() & self.mfire.val() {
                self.want[o].next = true;
                self.src[o].next = self.master.val();
            }
            self.load[o].next = self.space[o].val() & self.want[o].val();
            self.sel_head[o].next = bits::<W>(0);
            for p in 0..5 {
                if self.src[o].val() == self.id[p].val() {
                    self.sel_head[o].next = self.fifo[p].head.val();
                }
            }
            self.out_full[o].d.next = self.out_full[o].q.val();
            self.out_reg[o].d.next = self.out_reg[o].q.val();
            self.last[o].d.next = self.last[o].q.val();
            if self.space[o].val() {
                self.out_full[o].d.next = self.want[o].val();
                if self.want[o].val() {
                    self.out_reg[o].d.next = self.sel_head[o].val();
                    self.last[o].d.next = self.src[o].val();
                }
            }
            self.out_valid[o].next = self.out_full[o].q.val();
            self.out_data[o].next = self.out_reg[o].q.val();
        }
        self.mc_last.d.next = self.mc_last.q.val();
        if self.mfire.val() {
            self.mc_last.d.next = self.master.val();
        }

        // Inputs: push while not full; pop what left or was dropped.
        for p in 0..5 {
            self.pop[p].next = self.drop[p].val();
            for o in 0..5 {
                if self.load[o].val()
                    & ((self.route[p].val() & self.obit[o].val()) != bits::<5>(0))
                    & (self.src[o].val() == self.id[p].val())
                {
                    self.pop[p].next = true;
                }
            }
            self.fifo[p].clock.next = self.clock.val();
            self.fifo[p].rst_n.next = self.rst_n.val();
            self.fifo[p].din.next = self.in_data[p].val();
            self.fifo[p].push.next =
                self.in_valid[p].val() & !self.fifo[p].full.val() & !self.rfifo[p].full.val();
            self.fifo[p].pop.next = self.pop[p].val();
            self.rfifo[p].clock.next = self.clock.val();
            self.rfifo[p].rst_n.next = self.rst_n.val();
            self.rfifo[p].din.next = self.inroute[p].val();
            self.rfifo[p].push.next =
                self.in_valid[p].val() & !self.fifo[p].full.val() & !self.rfifo[p].full.val();
            self.rfifo[p].pop.next = self.pop[p].val();
            self.in_ready[p].next = !self.fifo[p].full.val() & !self.rfifo[p].full.val();
        }

        // Dropped packets, counted saturating.
        self.count17.next = bit_cast::<17, 16>(self.dropped.q.val())
            + self.drop17[0].val()
            + self.drop17[1].val()
            + self.drop17[2].val()
            + self.drop17[3].val()
            + self.drop17[4].val();
        self.dropped.d.next = bit_cast::<16, 17>(self.count17.val());
        if self.count17.val().get_bit(16) {
            self.dropped.d.next = bits::<16>(0xffff);
        }
    }
}

impl<const W: usize> crate::HdlPorts for AerRouter<W> {
    fn clock_mut(&mut self) -> &mut Signal<In, Clock> {
        &mut self.clock
    }

    fn drive(&mut self, g: &dyn Fn(&str) -> u64) {
        self.rst_n.next = g("rst_n") != 0;
        crate::drive_wishbone!(self, g);
        self.north_in_data.next = g("north_in_data").to_bits();
        self.north_in_valid.next = g("north_in_valid") != 0;
        self.north_out_ready.next = g("north_out_ready") != 0;
        self.east_in_data.next = g("east_in_data").to_bits();
        self.east_in_valid.next = g("east_in_valid") != 0;
        self.east_out_ready.next = g("east_out_ready") != 0;
        self.south_in_data.next = g("south_in_data").to_bits();
        self.south_in_valid.next = g("south_in_valid") != 0;
        self.south_out_ready.next = g("south_out_ready") != 0;
        self.west_in_data.next = g("west_in_data").to_bits();
        self.west_in_valid.next = g("west_in_valid") != 0;
        self.west_out_ready.next = g("west_out_ready") != 0;
        self.local_in_data.next = g("local_in_data").to_bits();
        self.local_in_valid.next = g("local_in_valid") != 0;
        self.local_out_ready.next = g("local_out_ready") != 0;
    }

    fn sample(&self, put: &mut dyn FnMut(&str, u64)) {
        crate::sample_wishbone!(self, put);
        put("north_in_ready", self.north_in_ready.val() as u64);
        put("north_out_data", self.north_out_data.val().index() as u64);
        put("north_out_valid", self.north_out_valid.val() as u64);
        put("east_in_ready", self.east_in_ready.val() as u64);
        put("east_out_data", self.east_out_data.val().index() as u64);
        put("east_out_valid", self.east_out_valid.val() as u64);
        put("south_in_ready", self.south_in_ready.val() as u64);
        put("south_out_data", self.south_out_data.val().index() as u64);
        put("south_out_valid", self.south_out_valid.val() as u64);
        put("west_in_ready", self.west_in_ready.val() as u64);
        put("west_out_data", self.west_out_data.val().index() as u64);
        put("west_out_valid", self.west_out_valid.val() as u64);
        put("local_in_ready", self.local_in_ready.val() as u64);
        put("local_out_data", self.local_out_data.val().index() as u64);
        put("local_out_valid", self.local_out_valid.val() as u64);
    }
}

/// Calls `$body` with `$W` bound to the const packet width `$bits` (one of
/// `memforge_spec::blocks::aer_router::PACKET_BITS`); `None` otherwise
/// (the config validation refuses those first).
#[macro_export]
macro_rules! with_packet_width {
    ($bits:expr, $W:ident => $body:expr) => {
        match $bits {
            8 => {
                const $W: usize = 8;
                Some($body)
            }
            12 => {
                const $W: usize = 12;
                Some($body)
            }
            16 => {
                const $W: usize = 16;
                Some($body)
            }
            20 => {
                const $W: usize = 20;
                Some($body)
            }
            24 => {
                const $W: usize = 24;
                Some($body)
            }
            28 => {
                const $W: usize = 28;
                Some($body)
            }
            32 => {
                const $W: usize = 32;
                Some($body)
            }
            _ => None,
        }
    };
}

/// The style every flip-flop of a router uses.
pub fn style_of(design: &memforge_spec::DesignSection) -> RegStyle {
    RegStyle {
        reset: design.reset,
        target: design.target,
        clock_gating: false,
    }
}

/// The router of `cfg`, connected (for emitting or simulating).
pub fn build<const W: usize>(cfg: &AerRouterConfig) -> AerRouter<W> {
    let p = cfg.params();
    let mut r = AerRouter::<W>::new(&p, p.link.base_address, style_of(&cfg.design));
    r.connect_all();
    r
}

/// The register map of the router of `cfg`.
pub fn registers(cfg: &AerRouterConfig) -> RegisterMap {
    register_map(&cfg.params(), cfg.mesh.base_address)
}

/// A router or mesh could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum RouterError {
    #[error("a packet of {0} bits is not a generated width")]
    Unsupported(u32),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    #[error(transparent)]
    Contract(#[from] memforge_spec::ContractError),
}

/// Builds, emits and checks the router of `cfg` against its contract.
pub fn generate(cfg: &AerRouterConfig) -> Result<Emitted, RouterError> {
    let fpga = cfg.design.target == Target::Fpga;
    let name = &cfg.design.name;
    let bits = cfg.mesh.packet_bits();
    let emitted = with_packet_width!(bits, W => emit::emit(&build::<W>(cfg), name, fpga))
        .ok_or(RouterError::Unsupported(bits))??;
    crate::check_contract(&emitted, &contract(&cfg.params()))?;
    Ok(emitted)
}
