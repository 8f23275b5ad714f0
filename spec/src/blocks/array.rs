//! The array: `rows x cols` neuron tiles (one tile config for all) joined
//! by an interconnect, in one generated top with one Wishbone decoder.
//! Its config schema, validation, layout (which block sits where, which
//! register slot it answers at) and port contract. Spec: `docs/array.md`.
//!
//! Two interconnects:
//! - `mosaic`: the Mosaic layout (Dalgaty et al. 2024; EIS-Hub
//!   routing-aware_training `MOSAIC.py`): a `(2 rows + 1) x (2 cols + 1)`
//!   grid with neuron tile (r, c) at grid cell (2r+1, 2c+1), edge routers
//!   (`R_1`) where one coordinate is odd, corner routers (`R_0`) where both
//!   are even. Every cell talks to its four grid neighbours through its
//!   N/E/S/W spike lines; a neuron tile through a spike bridge.
//! - `mesh`: one AER mesh router per tile, tile (r, c) on router x = c,
//!   y = r's local link.

use super::aer_router::{self, LinkParams};
use super::routing_tile::{RoutingParams, RoutingTileConfig, CHANNELS};
use super::spike_bridge::{SpikeBridgeConfig, SpikeBridgeParams};
use crate::analog::AnalogSection;
use crate::config::{
    BusSection, DesignConfig, DesignSection, FlowSection, NeuronSection, ProgramSection,
    TileSection,
};
use crate::derived::{index_bits, Derived, AER_ADDR_BITS};
use crate::error::Problem;
use crate::ports::{Dir, PortContract, Role};
use crate::regmap::RegisterMap;
use crate::validate::{check_range, validate_design_section, validate_flow_section};
use serde::{Deserialize, Serialize};

/// The array's clock (Caravel's Wishbone clock, as the tile's).
pub const CLOCK: &str = "wb_clk_i";
/// The array's active-high reset request (synchronized inside).
pub const RESET: &str = "wb_rst_i";
/// The base address every sub-block is generated with; the decoder hands
/// each one `SUB_BASE | offset` (the offset inside its slot).
pub const SUB_BASE: u32 = 0x3000_0000;
/// Bytes of address space the array may span (slots x stride, rounded up
/// to a power of two): 1 MiB, so the rest of Caravel's user space stays
/// free for other slaves.
pub const ADDRESS_SPACE: u64 = 1 << 20;
/// Largest grid side.
pub const MAX_SIDE: u32 = 64;
/// Words of the decoder's own info region before the per-tile bridge words.
pub const INFO_HEADER_WORDS: u32 = 3;
/// The info slot's word 0: "MF" and the array map version.
pub const INFO_ID: u32 = 0x4d46_a001;

/// An array config file: `[design]` (with `block = "array"`), `[array]`,
/// and the sections of the one neuron-tile config every tile shares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrayConfig {
    pub design: DesignSection,
    pub array: ArrayParams,
    #[serde(default)]
    pub tile: TileSection,
    #[serde(default)]
    pub neuron: NeuronSection,
    #[serde(default)]
    pub program: ProgramSection,
    #[serde(default)]
    pub analog: AnalogSection,
    #[serde(default)]
    pub flow: FlowSection,
}

/// How the tiles are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interconnect {
    Mosaic,
    Mesh,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrayParams {
    /// Neuron-tile rows (row 0 is the north edge), 1..=64.
    pub rows: u32,
    /// Neuron-tile columns (column 0 is the west edge), 1..=64.
    pub cols: u32,
    pub interconnect: Interconnect,
    /// Mosaic: spike lines per direction of every routing tile (and of
    /// every spike bridge).
    #[serde(default = "default_channels")]
    pub channels: u32,
    /// Mesh: entries of each router input FIFO.
    #[serde(default = "default_fifo_depth")]
    pub fifo_depth: u32,
    /// Mesh: multicast table entries per router.
    #[serde(default = "default_table_entries")]
    pub table_entries: u32,
    /// Byte address of slot 0; aligned to the array's span.
    #[serde(default = "default_base")]
    pub base_address: u32,
}

fn default_channels() -> u32 {
    2
}
fn default_fifo_depth() -> u32 {
    2
}
fn default_table_entries() -> u32 {
    2
}
fn default_base() -> u32 {
    0x3000_0000
}

/// What a cell of the Mosaic grid holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Neuron tile (r, c).
    Neuron(u32, u32),
    /// Edge router (`R_1`): one coordinate odd.
    Edge,
    /// Corner router (`R_0`): both coordinates even.
    Corner,
}

impl ArrayConfig {
    /// The neuron tile every array position holds, as a tile config.
    pub fn tile_config(&self) -> DesignConfig {
        DesignConfig {
            design: DesignSection {
                name: format!("{}_nt", self.design.name),
                target: self.design.target,
                reset: self.design.reset,
                block: None,
            },
            bus: BusSection {
                base_address: SUB_BASE,
            },
            tile: self.tile.clone(),
            neuron: self.neuron.clone(),
            program: self.program.clone(),
            // The array's flow settings apply to the array top; only clock
            // gating shapes the tile's RTL.
            flow: FlowSection {
                clock_gating: self.flow.clock_gating,
                ..FlowSection::default()
            },
            analog: self.analog.clone(),
            learning: Default::default(),
            // The array's Caravel wrapper (a later part) wraps the array
            // top, not each tile.
            caravel: None,
        }
    }

    /// The routing tile every Mosaic router is (one module for all).
    pub fn routing_config(&self) -> RoutingTileConfig {
        RoutingTileConfig {
            design: DesignSection {
                name: format!("{}_rt", self.design.name),
                target: self.design.target,
                reset: self.design.reset,
                block: Some("routing_tile".into()),
            },
            routing: RoutingParams {
                channels: self.array.channels,
                macro_latency: 2,
            },
            analog: self.analog.clone(),
            bus: BusSection {
                base_address: SUB_BASE,
            },
            flow: FlowSection::default(),
        }
    }

    /// The spike bridge between a neuron tile and its routers (every tile's
    /// neurons `0..channels` leave on the lines, pulses become rows
    /// `0..channels`; per-tile bases are the mapping's, issue #15 part 2).
    pub fn bridge_config(&self) -> SpikeBridgeConfig {
        SpikeBridgeConfig {
            design: DesignSection {
                name: format!("{}_br", self.design.name),
                target: self.design.target,
                reset: self.design.reset,
                block: Some("spike_bridge".into()),
            },
            spike_bridge: SpikeBridgeParams {
                channels: self.array.channels,
                neuron_base: 0,
                row_base: 0,
            },
            flow: FlowSection::default(),
        }
    }

    /// The mesh's link parameters: the tile's 8-bit neuron address, and a
    /// timestamp field that only pads the packet to a generated width.
    pub fn link_params(&self) -> LinkParams {
        let mut p = LinkParams {
            cols: self.array.cols,
            rows: self.array.rows,
            addr_bits: AER_ADDR_BITS,
            timestamp_bits: 0,
            fifo_depth: self.array.fifo_depth,
            table_entries: self.array.table_entries,
            base_address: SUB_BASE,
        };
        let bits = p.packet_bits();
        p.timestamp_bits = bits.div_ceil(4) * 4 - bits;
        p
    }

    /// Grid rows of the Mosaic layout (`2 rows + 1`).
    pub fn grid_rows(&self) -> u32 {
        2 * self.array.rows + 1
    }

    /// Grid columns of the Mosaic layout (`2 cols + 1`).
    pub fn grid_cols(&self) -> u32 {
        2 * self.array.cols + 1
    }

    /// What grid cell (`i`, `j`) of the Mosaic layout holds.
    pub fn cell(&self, i: u32, j: u32) -> Cell {
        match (i % 2, j % 2) {
            (1, 1) => Cell::Neuron(i / 2, j / 2),
            (0, 0) => Cell::Corner,
            _ => Cell::Edge,
        }
    }

    /// The routers, in slot order: Mosaic grid cells (`i`, `j`) in
    /// row-major order skipping neuron tiles; mesh routers (x = c, y = r)
    /// in tile order.
    pub fn routers(&self) -> Vec<(u32, u32)> {
        match self.array.interconnect {
            Interconnect::Mosaic => (0..self.grid_rows())
                .flat_map(|i| (0..self.grid_cols()).map(move |j| (i, j)))
                .filter(|&(i, j)| !matches!(self.cell(i, j), Cell::Neuron(..)))
                .collect(),
            Interconnect::Mesh => (0..self.array.rows)
                .flat_map(|r| (0..self.array.cols).map(move |c| (r, c)))
                .collect(),
        }
    }

    /// Neuron tiles.
    pub fn tiles(&self) -> u32 {
        self.array.rows * self.array.cols
    }

    /// Sub-blocks on the bus: every tile, then every router.
    pub fn blocks(&self) -> u32 {
        self.tiles() + self.routers().len() as u32
    }

    /// Words of the decoder's own info region.
    pub fn info_words(&self) -> u32 {
        INFO_HEADER_WORDS + self.info_bridge_words()
    }

    /// Slots the info region takes (after the sub-blocks' slots).
    pub fn info_slots(&self) -> u32 {
        (4 * self.info_words()).div_ceil(self.stride())
    }

    /// Register slots on the bus: every tile, every router, then the
    /// decoder's own info region.
    pub fn slots(&self) -> u32 {
        self.blocks() + self.info_slots()
    }

    /// The window of one sub-block kind's registers.
    fn windows(&self) -> Vec<u32> {
        let mut w = vec![RegisterMap::for_design(&self.tile_config()).window_bytes()];
        match self.array.interconnect {
            Interconnect::Mosaic => {
                w.push(super::routing_tile::register_map(&self.routing_config()).window_bytes())
            }
            Interconnect::Mesh => w.push(
                aer_router::register_map(
                    &super::aer_mesh::router(&self.link_params(), 0, 0),
                    SUB_BASE,
                )
                .window_bytes(),
            ),
        }
        w
    }

    /// Bytes between two slots: the largest sub-block register window (a
    /// power of two), so every block's window fits its slot.
    pub fn stride(&self) -> u32 {
        self.windows()
            .into_iter()
            .max()
            .unwrap_or(4)
            .next_power_of_two()
    }

    /// Bytes the slots span, rounded up to a power of two (the base is
    /// aligned to it).
    pub fn span(&self) -> u64 {
        (u64::from(self.slots()) * u64::from(self.stride())).next_power_of_two()
    }

    /// Slot of neuron tile (r, c).
    pub fn tile_slot(&self, r: u32, c: u32) -> u32 {
        r * self.array.cols + c
    }

    /// The first slot of the decoder's info region (after the routers).
    pub fn info_slot(&self) -> u32 {
        self.blocks()
    }

    /// Info words holding the bridges' counters (Mosaic: one per tile).
    pub fn info_bridge_words(&self) -> u32 {
        match self.array.interconnect {
            Interconnect::Mosaic => self.tiles(),
            Interconnect::Mesh => 0,
        }
    }

    /// Byte address of slot `s`.
    pub fn slot_address(&self, s: u32) -> u64 {
        u64::from(self.array.base_address) + u64::from(s) * u64::from(self.stride())
    }

    /// The geometry word of the info slot (word 1).
    pub fn geometry_word(&self) -> u32 {
        let ic = match self.array.interconnect {
            Interconnect::Mosaic => 0,
            Interconnect::Mesh => 1,
        };
        (self.array.cols & 0xff)
            | (self.array.rows & 0xff) << 8
            | ic << 16
            | (self.array.channels & 0xff) << 24
    }
}

/// Every problem of `cfg`; empty when valid.
pub fn validate(cfg: &ArrayConfig) -> Vec<Problem> {
    let mut problems = validate_design_section(&cfg.design);
    problems.extend(validate_flow_section(&cfg.flow));
    aer_router::validate_block(&cfg.design, "array", &mut problems);
    let a = &cfg.array;
    check_range(
        &mut problems,
        "array.rows",
        a.rows.into(),
        1,
        MAX_SIDE.into(),
    );
    check_range(
        &mut problems,
        "array.cols",
        a.cols.into(),
        1,
        MAX_SIDE.into(),
    );
    // The tile every position holds (its problems keep their paths:
    // `tile.rows`, `neuron.threshold`, ...; its name is derived).
    problems.extend(
        crate::validate::validate(&cfg.tile_config())
            .into_iter()
            .filter(|p| !p.path.starts_with("design.")),
    );
    match a.interconnect {
        Interconnect::Mosaic => {
            if !CHANNELS.contains(&a.channels) {
                problems.push(Problem {
                    path: "array.channels".into(),
                    value: a.channels.to_string(),
                    rule: format!("must be one of {CHANNELS:?}"),
                });
            }
        }
        Interconnect::Mesh => {
            if a.rows <= 16 && a.cols <= 16 && a.rows * a.cols >= 1 {
                aer_router::validate_link("array", &cfg.link_params(), &mut problems);
            } else if a.rows >= 1 && a.cols >= 1 {
                problems.push(Problem {
                    path: "array.rows".into(),
                    value: format!("{} x {}", a.rows, a.cols),
                    rule: "a mesh array has at most 16 rows and 16 columns (the router's coordinate fields)".into(),
                });
            }
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    let span = cfg.span();
    if span > ADDRESS_SPACE {
        problems.push(Problem {
            path: "array.rows".into(),
            value: format!("{} x {}", a.rows, a.cols),
            rule: format!(
                "{} register slots of {:#x} bytes span {span:#x} bytes, more than the array's address space ({ADDRESS_SPACE:#x}): use fewer tiles",
                cfg.slots(),
                cfg.stride()
            ),
        });
    } else if !u64::from(a.base_address).is_multiple_of(span) {
        problems.push(Problem {
            path: "array.base_address".into(),
            value: format!("{:#010x}", a.base_address),
            rule: format!("must be aligned to the array's span ({span:#x} bytes)"),
        });
    }
    problems
}

/// Prefix of neuron tile (r, c)'s top-level ports (its crossbar macro).
pub fn tile_prefix(r: u32, c: u32) -> String {
    format!("nt_{r}_{c}_")
}

/// Prefix of Mosaic router (grid cell `i`, `j`)'s top-level ports.
pub fn router_prefix(i: u32, j: u32) -> String {
    format!("rt_{i}_{j}_")
}

/// The Mosaic edges' spike-line ports: (name, direction, routers along the
/// edge). `north_in` enters the north routers' `in_n` lines, and so on.
pub fn mosaic_edges(cfg: &ArrayConfig) -> Vec<(&'static str, Dir, u32)> {
    let (gr, gc) = (cfg.grid_rows(), cfg.grid_cols());
    vec![
        ("north_in", Dir::In, gc),
        ("north_out", Dir::Out, gc),
        ("south_in", Dir::In, gc),
        ("south_out", Dir::Out, gc),
        ("west_in", Dir::In, gr),
        ("west_out", Dir::Out, gr),
        ("east_in", Dir::In, gr),
        ("east_out", Dir::Out, gr),
    ]
}

/// The array's ports in RTL order: clock, reset request, the Wishbone
/// slave, the edges, then every tile's crossbar macro interface
/// (`nt_<r>_<c>_xbar_*`) and, Mosaic, every router's (`rt_<i>_<j>_xbar_*`).
pub fn contract(cfg: &ArrayConfig) -> PortContract {
    let mut c = PortContract::new()
        .port(CLOCK, Dir::In, 1, Role::Clock, "clock of every block")
        .port(
            RESET,
            Dir::In,
            1,
            Role::ResetRequest,
            "active-high reset request; each tile synchronizes it, the interconnect and the decoder share one synchronizer",
        )
        .wishbone_slave();
    match cfg.array.interconnect {
        Interconnect::Mosaic => {
            let ch = cfg.array.channels;
            for (name, dir, n) in mosaic_edges(cfg) {
                let role = if dir == Dir::In {
                    Role::AerIn
                } else {
                    Role::AerOut
                };
                c = c.port(
                    name,
                    dir,
                    n * ch,
                    role,
                    &format!("spike lines of the {n} edge routers along this edge, `channels` each, router 0 (north/west end) in the low bits"),
                );
            }
        }
        Interconnect::Mesh => {
            let w = cfg.link_params().packet_bits();
            for col in 0..cfg.array.cols {
                for edge in ["north", "south"] {
                    for (field, dir, width, doc) in [
                        ("in_data", Dir::In, w, "packet entering the array"),
                        ("in_valid", Dir::In, 1, "a packet is offered"),
                        (
                            "in_ready",
                            Dir::Out,
                            1,
                            "the packet is taken at an edge where `valid & ready`",
                        ),
                        (
                            "out_data",
                            Dir::Out,
                            w,
                            "packet leaving the array (routed here by a table entry)",
                        ),
                        ("out_valid", Dir::Out, 1, "a packet is offered"),
                        (
                            "out_ready",
                            Dir::In,
                            1,
                            "the receiver takes the packet at an edge where `valid & ready`",
                        ),
                    ] {
                        let role = if field.starts_with("in_") {
                            Role::AerIn
                        } else {
                            Role::AerOut
                        };
                        c = c.port(
                            &format!("{edge}_{field}__{col}"),
                            dir,
                            width,
                            role,
                            &format!("{edge} link of column {col}'s edge router: {doc}"),
                        );
                    }
                }
            }
        }
    }
    let tile = super::tile::contract(&cfg.tile_config());
    for r in 0..cfg.array.rows {
        for col in 0..cfg.array.cols {
            for p in tile.ports.iter().filter(|p| p.role == Role::Macro) {
                c = c.port(
                    &format!("{}{}", tile_prefix(r, col), p.name),
                    p.dir,
                    p.width,
                    Role::Macro,
                    &format!("tile ({r}, {col}): {}", p.doc),
                );
            }
        }
    }
    if cfg.array.interconnect == Interconnect::Mosaic {
        let rt = super::routing_tile::contract(&cfg.routing_config().routing);
        for (i, j) in cfg.routers() {
            for p in rt.ports.iter().filter(|p| p.role == Role::Macro) {
                c = c.port(
                    &format!("{}{}", router_prefix(i, j), p.name),
                    p.dir,
                    p.width,
                    Role::Macro,
                    &format!("router ({i}, {j}): {}", p.doc),
                );
            }
        }
    }
    c
}

/// Neuron-tile ADC code ports per tile (for the docs).
pub fn adc_ports(cfg: &ArrayConfig) -> u32 {
    Derived::of(&cfg.tile_config()).adc_count
}

/// Bits of a slot index.
pub fn slot_bits(cfg: &ArrayConfig) -> u32 {
    index_bits(cfg.slots())
}
