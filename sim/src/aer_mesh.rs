//! Golden model of the AER mesh: one [`RouterCore`] per router, linked as
//! `docs/aer_mesh.md` says (south to the north of the router below, east
//! to the west of the router to the right; an edge link looped back into
//! its own router), the shared bus ORed. Traffic and scoreboard:
//! `crate::stimulus::mesh_traffic`.

use crate::aer_router::{LinkInputs, RouterCore, LINKS};
use crate::cycle::{CycleModel, MissingPort, Pin, PortLayout};
use crate::pins::{LinkPins, WishbonePins};
use memforge_spec::blocks::aer_mesh::{contract, router, router_base, AerMeshConfig};
use memforge_spec::blocks::aer_router::{link_port, EAST, LOCAL, NORTH, RESET, SOUTH, WEST};

/// The mesh's pins: reset, bus and every router's local link.
#[derive(Clone, Debug)]
pub struct MeshPins {
    pub rst_n: Pin,
    pub wb: WishbonePins,
    /// Into router `i`'s local port.
    pub inputs: Vec<LinkPins>,
    /// Out of router `i`'s local port.
    pub outputs: Vec<LinkPins>,
}

impl MeshPins {
    pub fn new(layout: &PortLayout, routers: usize) -> Result<Self, MissingPort> {
        let link = |v: &str, d: &str, r: &str, i: usize| {
            LinkPins::new(layout, &link_port(v, i), &link_port(d, i), &link_port(r, i))
        };
        Ok(Self {
            rst_n: layout.pin(RESET)?,
            wb: WishbonePins::new(layout)?,
            inputs: (0..routers)
                .map(|i| link("in_valid", "in_data", "in_ready", i))
                .collect::<Result<_, _>>()?,
            outputs: (0..routers)
                .map(|i| link("out_valid", "out_data", "out_ready", i))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// The mesh at its ports, cycle-accurate.
#[derive(Clone, Debug)]
pub struct AerMeshModel {
    layout: PortLayout,
    pins: MeshPins,
    cols: usize,
    rows: usize,
    routers: Vec<RouterCore>,
}

impl AerMeshModel {
    pub fn new(cfg: &AerMeshConfig) -> Self {
        let p = &cfg.mesh;
        let layout = PortLayout::from_contract(&contract(p));
        let n = (p.cols * p.rows) as usize;
        let pins = MeshPins::new(&layout, n).expect("the layout is the mesh contract's");
        let routers = (0..n)
            .map(|i| {
                let (x, y) = (i as u32 % p.cols, i as u32 / p.cols);
                RouterCore::new(&router(p, x, y), router_base(p, i))
            })
            .collect();
        Self {
            layout,
            pins,
            cols: p.cols as usize,
            rows: p.rows as usize,
            routers,
        }
    }

    /// The router at index `i` (`y * cols + x`).
    pub fn router(&self, i: usize) -> &RouterCore {
        &self.routers[i]
    }

    /// The neighbour of router `i` through link `dir`, and the link it
    /// uses back.
    fn neighbour(&self, i: usize, dir: usize) -> Option<(usize, usize)> {
        let (x, y) = (i % self.cols, i / self.cols);
        match dir {
            NORTH if y > 0 => Some((i - self.cols, SOUTH)),
            SOUTH if y + 1 < self.rows => Some((i + self.cols, NORTH)),
            WEST if x > 0 => Some((i - 1, EAST)),
            EAST if x + 1 < self.cols => Some((i + 1, WEST)),
            _ => None,
        }
    }
}

impl CycleModel for AerMeshModel {
    fn layout(&self) -> &PortLayout {
        &self.layout
    }

    fn tick(&mut self, v: &[u64]) {
        if !self.pins.rst_n.is_high(v) {
            for r in &mut self.routers {
                r.reset();
            }
            return;
        }
        // Every router's inputs from the state before the edge.
        let io: Vec<LinkInputs> = (0..self.routers.len())
            .map(|i| {
                let mut io = LinkInputs::default();
                for d in 0..LINKS {
                    if d == LOCAL {
                        io.in_valid[d] = self.pins.inputs[i].valid.is_high(v);
                        io.in_data[d] = self.pins.inputs[i].addr.get(v);
                        io.out_ready[d] = self.pins.outputs[i].ready.is_high(v);
                    } else {
                        // An edge link loops back into its own router.
                        let (j, back) = self.neighbour(i, d).unwrap_or((i, d));
                        let r = &self.routers[j];
                        io.in_valid[d] = r.out_valid()[back];
                        io.in_data[d] = r.out_data()[back];
                        io.out_ready[d] = r.in_ready()[back];
                    }
                }
                io
            })
            .collect();
        let bus = self.pins.wb.request(v);
        for (r, io) in self.routers.iter_mut().zip(&io) {
            r.tick(io, &bus);
        }
    }

    fn outputs(&self, v: &mut [u64]) {
        let (mut ack, mut dat) = (false, 0);
        for (i, r) in self.routers.iter().enumerate() {
            self.pins.inputs[i]
                .ready
                .set(v, u64::from(r.in_ready()[LOCAL]));
            self.pins.outputs[i]
                .valid
                .set(v, u64::from(r.out_valid()[LOCAL]));
            self.pins.outputs[i].addr.set(v, r.out_data()[LOCAL]);
            ack |= r.bus_ack();
            dat |= r.bus_rdata();
        }
        self.pins.wb.ack.set(v, u64::from(ack));
        self.pins.wb.dat_o.set(v, u64::from(dat));
    }
}
