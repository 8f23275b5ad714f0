//! AER mesh: `cols x rows` routers ([`AerRouter`]) wired into one top.
//! Router (x, y) is `router[y * cols + x]`; its south link meets the north
//! link of the router below, its east link the west link of the router to
//! its right. A link at the mesh's edge is looped back into its own router
//! (output to input): a router never routes a packet there (its edge mask,
//! `existing_outputs`), so the loop is idle, and every port stays driven
//! and read (lint-clean without waivers). The top's ports are every router's local
//! link (`in_data__<index>`, ...) and one Wishbone slave shared by all
//! routers, router `i` answering at `base_address + i * 0x400` (every
//! router acknowledges every request in the same cycle, and a router reads
//! 0 outside its window, so acknowledges and read data are ORed).
//! Spec: `docs/aer_mesh.md`; golden model:
//! `memforge_sim::aer_mesh::AerMeshModel` (composed router models).

use crate::aer_router::{style_of, AerRouter, RouterError};
use crate::emit::{self, Emitted};
use crate::param::Param;
use memforge_spec::blocks::aer_mesh::{contract, router, router_base, AerMeshConfig};
use memforge_spec::blocks::aer_router::link_port;
use memforge_spec::Target;
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct AerMesh<const W: usize> {
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
    /// Router `i`'s local link (emitted as `in_data__<i>`, ...).
    pub in_data: Vec<Signal<In, Bits<W>>>,
    pub in_valid: Vec<Signal<In, Bit>>,
    pub in_ready: Vec<Signal<Out, Bit>>,
    pub out_data: Vec<Signal<Out, Bits<W>>>,
    pub out_valid: Vec<Signal<Out, Bit>>,
    pub out_ready: Vec<Signal<In, Bit>>,
    router: Vec<AerRouter<W>>,
    /// Acknowledge and read data ORed over routers `0..i`.
    ack: Vec<Signal<Local, Bit>>,
    dat: Vec<Signal<Local, Bits<32>>>,
    cols: Param<usize>,
    rows: Param<usize>,
    routers: Param<usize>,
    /// Routers with a neighbour below (`routers - cols`).
    vertical: Param<usize>,
}

impl<const W: usize> AerMesh<W> {
    pub fn new(cfg: &AerMeshConfig) -> Self {
        let p = &cfg.mesh;
        let style = style_of(&cfg.design);
        let n = (p.cols * p.rows) as usize;
        let locals = |k: usize| (0..k).map(|_| Default::default()).collect::<Vec<_>>();
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
            in_data: (0..n).map(|_| Default::default()).collect(),
            in_valid: (0..n).map(|_| Default::default()).collect(),
            in_ready: (0..n).map(|_| Default::default()).collect(),
            out_data: (0..n).map(|_| Default::default()).collect(),
            out_valid: (0..n).map(|_| Default::default()).collect(),
            out_ready: (0..n).map(|_| Default::default()).collect(),
            router: (0..n)
                .map(|i| {
                    let (x, y) = (i as u32 % p.cols, i as u32 / p.cols);
                    AerRouter::new(&router(p, x, y), router_base(p, i), style)
                })
                .collect(),
            ack: locals(n + 1),
            dat: (0..=n).map(|_| Default::default()).collect(),
            cols: Param(p.cols as usize),
            rows: Param(p.rows as usize),
            routers: Param(n),
            vertical: Param(n - p.cols as usize),
        }
    }
}

impl<const W: usize> Logic for AerMesh<W> {
    #[hdl_gen]
    fn update(&mut self) {
        // Clock, reset, the shared bus and the local links.
        self.ack[0].next = false;
        self.dat[0].next = bits::<32>(0);
        for i in 0..self.routers.0 {
            self.router[i].clock.next = self.clock.val();
            self.router[i].rst_n.next = self.rst_n.val();
            self.router[i].wbs_stb_i.next = self.wbs_stb_i.val();
            self.router[i].wbs_cyc_i.next = self.wbs_cyc_i.val();
            self.router[i].wbs_we_i.next = self.wbs_we_i.val();
            self.router[i].wbs_sel_i.next = self.wbs_sel_i.val();
            self.router[i].wbs_dat_i.next = self.wbs_dat_i.val();
            self.router[i].wbs_adr_i.next = self.wbs_adr_i.val();
            self.ack[i + 1].next = self.ack[i].val() | self.router[i].wbs_ack_o.val();
            self.dat[i + 1].next = self.dat[i].val() | self.router[i].wbs_dat_o.val();
            self.router[i].local_in_data.next = self.in_data[i].val();
            self.router[i].local_in_valid.next = self.in_valid[i].val();
            self.in_ready[i].next = self.router[i].local_in_ready.val();
            self.out_data[i].next = self.router[i].local_out_data.val();
            self.out_valid[i].next = self.router[i].local_out_valid.val();
            self.router[i].local_out_ready.next = self.out_ready[i].val();
        }
        // One iteration (n = routers): rust-hdl indexes only by loop
        // variables.
        for n in self.routers.0..(self.routers.0 + 1) {
            self.wbs_ack_o.next = self.ack[n].val();
            self.wbs_dat_o.next = self.dat[n].val();
        }

        // North-south links: router a's south to router a + cols's north.
        for c in self.cols.0..(self.cols.0 + 1) {
            for a in 0..self.vertical.0 {
                self.router[a + c].north_in_data.next = self.router[a].south_out_data.val();
                self.router[a + c].north_in_valid.next = self.router[a].south_out_valid.val();
                self.router[a].south_out_ready.next = self.router[a + c].north_in_ready.val();
                self.router[a].south_in_data.next = self.router[a + c].north_out_data.val();
                self.router[a].south_in_valid.next = self.router[a + c].north_out_valid.val();
                self.router[a + c].north_out_ready.next = self.router[a].south_in_ready.val();
            }
            // East-west links: router (x, y)'s east to (x + 1, y)'s west.
            for y in 0..self.rows.0 {
                for x in 0..(self.cols.0 - 1) {
                    self.router[y * c + x + 1].west_in_data.next =
                        self.router[y * c + x].east_out_data.val();
                    self.router[y * c + x + 1].west_in_valid.next =
                        self.router[y * c + x].east_out_valid.val();
                    self.router[y * c + x].east_out_ready.next =
                        self.router[y * c + x + 1].west_in_ready.val();
                    self.router[y * c + x].east_in_data.next =
                        self.router[y * c + x + 1].west_out_data.val();
                    self.router[y * c + x].east_in_valid.next =
                        self.router[y * c + x + 1].west_out_valid.val();
                    self.router[y * c + x + 1].west_out_ready.next =
                        self.router[y * c + x].east_in_ready.val();
                }
            }
        }
        // The mesh's edges: each link looped back into its own router.
        // Nothing is ever routed there (the edge masks), so the loop stays
        // idle; it keeps every router port driven and read.
        for a in 0..self.cols.0 {
            self.router[a].north_in_data.next = self.router[a].north_out_data.val();
            self.router[a].north_in_valid.next = self.router[a].north_out_valid.val();
            self.router[a].north_out_ready.next = self.router[a].north_in_ready.val();
        }
        for b in self.vertical.0..(self.vertical.0 + 1) {
            for a in 0..self.cols.0 {
                self.router[a + b].south_in_data.next = self.router[a + b].south_out_data.val();
                self.router[a + b].south_in_valid.next = self.router[a + b].south_out_valid.val();
                self.router[a + b].south_out_ready.next = self.router[a + b].south_in_ready.val();
            }
        }
        for c in self.cols.0..(self.cols.0 + 1) {
            for y in 0..self.rows.0 {
                self.router[y * c].west_in_data.next = self.router[y * c].west_out_data.val();
                self.router[y * c].west_in_valid.next = self.router[y * c].west_out_valid.val();
                self.router[y * c].west_out_ready.next = self.router[y * c].west_in_ready.val();
            }
            for m in (self.cols.0 - 1)..self.cols.0 {
                for y in 0..self.rows.0 {
                    self.router[y * c + m].east_in_data.next =
                        self.router[y * c + m].east_out_data.val();
                    self.router[y * c + m].east_in_valid.next =
                        self.router[y * c + m].east_out_valid.val();
                    self.router[y * c + m].east_out_ready.next =
                        self.router[y * c + m].east_in_ready.val();
                }
            }
        }
    }
}

impl<const W: usize> crate::HdlPorts for AerMesh<W> {
    fn clock_mut(&mut self) -> &mut Signal<In, Clock> {
        &mut self.clock
    }

    fn drive(&mut self, g: &dyn Fn(&str) -> u64) {
        self.rst_n.next = g("rst_n") != 0;
        crate::drive_wishbone!(self, g);
        for i in 0..self.in_data.len() {
            self.in_data[i].next = g(&link_port("in_data", i)).to_bits();
            self.in_valid[i].next = g(&link_port("in_valid", i)) != 0;
            self.out_ready[i].next = g(&link_port("out_ready", i)) != 0;
        }
    }

    fn sample(&self, put: &mut dyn FnMut(&str, u64)) {
        crate::sample_wishbone!(self, put);
        for i in 0..self.in_data.len() {
            put(&link_port("in_ready", i), self.in_ready[i].val() as u64);
            put(
                &link_port("out_data", i),
                self.out_data[i].val().index() as u64,
            );
            put(&link_port("out_valid", i), self.out_valid[i].val() as u64);
        }
    }
}

/// The mesh of `cfg`, connected (for emitting or simulating).
pub fn build<const W: usize>(cfg: &AerMeshConfig) -> AerMesh<W> {
    let mut m = AerMesh::<W>::new(cfg);
    m.connect_all();
    m
}

/// Builds, emits and checks the mesh of `cfg` against its contract.
pub fn generate(cfg: &AerMeshConfig) -> Result<Emitted, RouterError> {
    let fpga = cfg.design.target == Target::Fpga;
    let name = &cfg.design.name;
    let bits = cfg.mesh.packet_bits();
    let emitted = crate::with_packet_width!(bits, W => emit::emit(&build::<W>(cfg), name, fpga))
        .ok_or(RouterError::Unsupported(bits))??;
    crate::check_contract(&emitted, &contract(&cfg.mesh))?;
    Ok(emitted)
}
