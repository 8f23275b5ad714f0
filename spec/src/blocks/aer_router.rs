//! The AER mesh router: five valid/ready links (north, east, south, west,
//! local), XY routing for unicast, a key/mask table (programmed over
//! Wishbone) for multicast. Its config schema, validation, packet layout,
//! register map and port contract; the mesh of routers
//! (`super::aer_mesh`) shares the packet and table parameters.

use crate::config::{DesignSection, FlowSection};
use crate::derived::index_bits;
use crate::error::Problem;
use crate::ports::{Dir, PortContract, Role};
use crate::regmap::{Access, Register, RegisterMap};
use crate::validate::{check_range, validate_design_section, validate_flow_section};
use serde::{Deserialize, Serialize};

/// The router's clock.
pub const CLOCK: &str = "clock";
/// The router's active-low reset (synchronous to the clock, as the merge's).
pub const RESET: &str = "rst_n";
/// Packet widths the generator supports (rust-hdl widths are types, so
/// each is one instantiation).
pub const PACKET_BITS: [u32; 7] = [8, 12, 16, 20, 24, 28, 32];
/// Link ports, in the order of the port vectors: `in_data__0` is north.
pub const PORTS: [&str; 5] = ["north", "east", "south", "west", "local"];
pub const NORTH: usize = 0;
pub const EAST: usize = 1;
pub const SOUTH: usize = 2;
pub const WEST: usize = 3;
pub const LOCAL: usize = 4;
/// Most table entries a router can have.
pub const MAX_TABLE_ENTRIES: u32 = 8;
/// Register windows are 1 KiB aligned (the Wishbone front end decodes
/// `adr[9:2]` as the word index).
pub const WINDOW_ALIGN: u32 = 0x400;

/// A router config file: `[design]` (with `block = "aer_router"`),
/// `[mesh]` (what every router of the mesh shares) and `[aer_router]`
/// (where this router sits).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AerRouterConfig {
    pub design: DesignSection,
    pub mesh: LinkParams,
    pub aer_router: RouterPlace,
    #[serde(default)]
    pub flow: FlowSection,
}

/// What every router of a mesh shares: the mesh size, the packet fields,
/// the buffers and the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkParams {
    /// Mesh columns (x = 0 is the west edge), 1..=16.
    pub cols: u32,
    /// Mesh rows (y = 0 is the north edge), 1..=16.
    pub rows: u32,
    /// Bits of a packet's neuron/axon address, 1..=24.
    #[serde(default = "default_addr_bits")]
    pub addr_bits: u32,
    /// Bits of a packet's timestamp (carried, not interpreted), 0..=16.
    #[serde(default)]
    pub timestamp_bits: u32,
    /// Entries of each input FIFO, 2..=16.
    #[serde(default = "default_fifo_depth")]
    pub fifo_depth: u32,
    /// Multicast table entries per router, 0..=8.
    #[serde(default = "default_table_entries")]
    pub table_entries: u32,
    /// Byte address of the (first) router's registers; 1 KiB aligned.
    #[serde(default = "default_base")]
    pub base_address: u32,
}

/// Where a router sits in its mesh (generation parameters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouterPlace {
    /// This router's column.
    pub x: u32,
    /// This router's row.
    pub y: u32,
}

/// Everything a router's RTL and model are built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AerRouterParams {
    pub x: u32,
    pub y: u32,
    pub link: LinkParams,
}

impl AerRouterConfig {
    /// The router's parameters.
    pub fn params(&self) -> AerRouterParams {
        AerRouterParams {
            x: self.aer_router.x,
            y: self.aer_router.y,
            link: self.mesh.clone(),
        }
    }
}

fn default_addr_bits() -> u32 {
    8
}
fn default_fifo_depth() -> u32 {
    2
}
fn default_table_entries() -> u32 {
    4
}
fn default_base() -> u32 {
    0x3000_0000
}

impl LinkParams {
    /// Bits of a destination column.
    pub fn x_bits(&self) -> u32 {
        index_bits(self.cols)
    }
    /// Bits of a destination row.
    pub fn y_bits(&self) -> u32 {
        index_bits(self.rows)
    }
    /// The whole packet: `{x, y, timestamp, addr}` (addr in the low bits).
    pub fn packet_bits(&self) -> u32 {
        self.x_bits() + self.y_bits() + self.timestamp_bits + self.addr_bits
    }
    /// The packet layout.
    pub fn layout(&self) -> PacketLayout {
        PacketLayout {
            addr_bits: self.addr_bits,
            timestamp_bits: self.timestamp_bits,
            x_bits: self.x_bits(),
            y_bits: self.y_bits(),
        }
    }
}

/// Where a packet's fields sit: addr `[A-1:0]`, timestamp above it, then
/// the destination row y, then the destination column x at the top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketLayout {
    pub addr_bits: u32,
    pub timestamp_bits: u32,
    pub x_bits: u32,
    pub y_bits: u32,
}

impl PacketLayout {
    pub fn bits(&self) -> u32 {
        self.addr_bits + self.timestamp_bits + self.x_bits + self.y_bits
    }
    /// Lowest bit of the y field.
    pub fn y_lsb(&self) -> u32 {
        self.addr_bits + self.timestamp_bits
    }
    /// Lowest bit of the x field.
    pub fn x_lsb(&self) -> u32 {
        self.y_lsb() + self.y_bits
    }
    pub fn x(&self, packet: u64) -> u64 {
        (packet >> self.x_lsb()) & ((1 << self.x_bits) - 1)
    }
    pub fn y(&self, packet: u64) -> u64 {
        (packet >> self.y_lsb()) & ((1 << self.y_bits) - 1)
    }
    /// A packet from its fields (each masked to its width).
    pub fn pack(&self, x: u64, y: u64, timestamp: u64, addr: u64) -> u64 {
        let m = |v: u64, b: u32| v & ((1u64 << b) - 1);
        m(addr, self.addr_bits)
            | m(timestamp, self.timestamp_bits) << self.addr_bits
            | m(y, self.y_bits) << self.y_lsb()
            | m(x, self.x_bits) << self.x_lsb()
    }
}

/// Problems of the shared link parameters, under `section`.
pub fn validate_link(section: &str, p: &LinkParams, problems: &mut Vec<Problem>) {
    let path = |f: &str| format!("{section}.{f}");
    let before = problems.len();
    check_range(problems, &path("cols"), p.cols.into(), 1, 16);
    check_range(problems, &path("rows"), p.rows.into(), 1, 16);
    check_range(problems, &path("addr_bits"), p.addr_bits.into(), 1, 24);
    check_range(
        problems,
        &path("timestamp_bits"),
        p.timestamp_bits.into(),
        0,
        16,
    );
    check_range(problems, &path("fifo_depth"), p.fifo_depth.into(), 2, 16);
    check_range(
        problems,
        &path("table_entries"),
        p.table_entries.into(),
        0,
        MAX_TABLE_ENTRIES.into(),
    );
    if !p.base_address.is_multiple_of(WINDOW_ALIGN) {
        problems.push(Problem {
            path: path("base_address"),
            value: format!("{:#x}", p.base_address),
            rule: format!("must be a multiple of {WINDOW_ALIGN:#x}"),
        });
    }
    let bits = p.packet_bits();
    if problems.len() == before && !PACKET_BITS.contains(&bits) {
        problems.push(Problem {
            path: path("addr_bits"),
            value: p.addr_bits.to_string(),
            rule: format!(
                "the packet (x {} + y {} + timestamp_bits {} + addr_bits {} = {bits} bits) must be one of {PACKET_BITS:?} bits",
                p.x_bits(),
                p.y_bits(),
                p.timestamp_bits,
                p.addr_bits
            ),
        });
    }
}

/// Problems of `[design] block`, which must be `family`.
pub fn validate_block(design: &DesignSection, family: &str, problems: &mut Vec<Problem>) {
    match design.block.as_deref() {
        Some(b) if b == family => {}
        other => problems.push(Problem {
            path: "design.block".into(),
            value: other.map_or("(absent)".into(), |o| format!("\"{o}\"")),
            rule: format!("must be \"{family}\" in this config"),
        }),
    }
}

/// Every problem of `cfg`; empty when valid.
pub fn validate(cfg: &AerRouterConfig) -> Vec<Problem> {
    let mut problems = validate_design_section(&cfg.design);
    problems.extend(validate_flow_section(&cfg.flow));
    validate_block(&cfg.design, "aer_router", &mut problems);
    validate_link("mesh", &cfg.mesh, &mut problems);
    let p = cfg.params();
    if p.x >= p.link.cols {
        problems.push(Problem {
            path: "aer_router.x".into(),
            value: p.x.to_string(),
            rule: format!("must be below mesh.cols = {}", p.link.cols),
        });
    }
    if p.y >= p.link.rows {
        problems.push(Problem {
            path: "aer_router.y".into(),
            value: p.y.to_string(),
            rule: format!("must be below mesh.rows = {}", p.link.rows),
        });
    }
    problems
}

/// Bit of port `p` in a set of ports.
pub const fn port_bit(p: usize) -> u8 {
    1 << p
}

/// The outputs a packet that arrived on input `from` may leave by, before
/// the mesh edges are taken into account: the dimension-order turn rule
/// (see docs/aer_router.md, "Deadlock"). Never back where it came from;
/// once moving north or south, never east or west again. A packet from
/// the local port may go anywhere.
pub const fn turn_allowed(from: usize) -> u8 {
    let n = port_bit(NORTH);
    let e = port_bit(EAST);
    let s = port_bit(SOUTH);
    let w = port_bit(WEST);
    let l = port_bit(LOCAL);
    match from {
        // Arrived from the north neighbour: travelling south.
        NORTH => s | l,
        SOUTH => n | l,
        // Arrived from the east neighbour: travelling west.
        EAST => w | n | s | l,
        WEST => e | n | s | l,
        _ => n | e | s | w | l,
    }
}

/// The outputs of the router at (`x`, `y`) that lead to a neighbour (or
/// the local port).
pub fn existing_outputs(x: u32, y: u32, cols: u32, rows: u32) -> u8 {
    let mut set = port_bit(LOCAL);
    if y > 0 {
        set |= port_bit(NORTH);
    }
    if x + 1 < cols {
        set |= port_bit(EAST);
    }
    if y + 1 < rows {
        set |= port_bit(SOUTH);
    }
    if x > 0 {
        set |= port_bit(WEST);
    }
    set
}

const KEY: [&str; 8] = [
    "key0", "key1", "key2", "key3", "key4", "key5", "key6", "key7",
];
const MASK: [&str; 8] = [
    "mask0", "mask1", "mask2", "mask3", "mask4", "mask5", "mask6", "mask7",
];
const ROUTE: [&str; 8] = [
    "route0", "route1", "route2", "route3", "route4", "route5", "route6", "route7",
];

/// Byte offset of table entry `e`'s key (its mask and route follow).
pub fn entry_offset(e: u32) -> u32 {
    0x10 + 0x10 * e
}

/// The router's registers: `id`, `dropped`, `scratch`, then per table entry `key`,
/// `mask` and `route`.
pub fn register_map(p: &AerRouterParams, base_address: u32) -> RegisterMap {
    let l = &p.link;
    let w = l.packet_bits();
    let mut registers = vec![
        Register {
            name: "id",
            offset: 0x00,
            access: Access::Const,
            width: 32,
            reset: (p.x & 0xff) | (p.y & 0xff) << 8 | (l.cols & 0xff) << 16 | (l.rows & 0xff) << 24,
            hw_port: false,
            doc: "This router's column x [7:0] and row y [15:8]; the mesh's cols [23:16] and rows [31:24].",
        },
        Register {
            name: "dropped",
            offset: 0x04,
            access: Access::Ro,
            width: 16,
            reset: 0,
            hw_port: true,
            doc: "Packets dropped (saturating): addressed outside the mesh, or routed to no permitted output.",
        },
        Register {
            name: "scratch",
            offset: 0x08,
            access: Access::Rw,
            width: 32,
            reset: 0,
            hw_port: false,
            doc: "Free for software (bus bring-up: every router of a mesh has its own).",
        },
    ];
    for e in 0..l.table_entries.min(MAX_TABLE_ENTRIES) {
        let at = entry_offset(e);
        let i = e as usize;
        registers.push(Register {
            name: KEY[i],
            offset: at,
            access: Access::Rw,
            width: w,
            reset: 0,
            hw_port: true,
            doc: "Table entry key: a packet matches when (packet ^ key) & mask == 0.",
        });
        registers.push(Register {
            name: MASK[i],
            offset: at + 4,
            access: Access::Rw,
            width: w,
            reset: 0,
            hw_port: true,
            doc: "Table entry mask: the packet bits the key compares.",
        });
        registers.push(Register {
            name: ROUTE[i],
            offset: at + 8,
            access: Access::Rw,
            width: 5,
            reset: 0,
            hw_port: true,
            doc: "Table entry outputs: [0] north, [1] east, [2] south, [3] west, [4] local; 0 disables the entry.",
        });
    }
    RegisterMap {
        base_address,
        registers,
    }
}

/// The Wishbone ports and reset every router-family top starts with.
pub fn bus_ports() -> PortContract {
    PortContract::new()
        .port(CLOCK, Dir::In, 1, Role::Clock, "clock")
        .port(RESET, Dir::In, 1, Role::Reset, "active-low reset")
        .wishbone_slave()
}

/// The name of link `i`'s port `field` (`in_data__3`).
pub fn link_port(field: &str, i: usize) -> String {
    format!("{field}__{i}")
}

/// The six ports of a link (`in_*` from the neighbour, `out_*` to it).
fn link_fields(w: u32) -> [(&'static str, Dir, u32, Role, &'static str); 6] {
    [
        (
            "in_data",
            Dir::In,
            w,
            Role::AerIn,
            "packet offered to the router",
        ),
        (
            "in_valid",
            Dir::In,
            1,
            Role::AerIn,
            "a packet is offered to the router",
        ),
        (
            "in_ready",
            Dir::Out,
            1,
            Role::AerIn,
            "input FIFO not full (a register; taken at an edge with `valid & ready`)",
        ),
        (
            "out_data",
            Dir::Out,
            w,
            Role::AerOut,
            "packet offered by the router (a register)",
        ),
        (
            "out_valid",
            Dir::Out,
            1,
            Role::AerOut,
            "a packet is offered by the router (a register)",
        ),
        (
            "out_ready",
            Dir::In,
            1,
            Role::AerOut,
            "the receiver takes the packet at an edge with `valid & ready`",
        ),
    ]
}

/// Adds `n` links as port vectors (`in_data__<i>`, ...), field by field,
/// named by `what(i)` in the docs (the mesh's local links).
pub fn links(
    mut c: PortContract,
    w: u32,
    n: usize,
    what: &dyn Fn(usize) -> String,
) -> PortContract {
    for (field, dir, width, role, doc) in link_fields(w) {
        for i in 0..n {
            c = c.port(
                &link_port(field, i),
                dir,
                width,
                role,
                &format!("{doc}, {}", what(i)),
            );
        }
    }
    c
}

/// The name of port `field` of the router's link `dir` (`east_in_data`).
pub fn router_port(dir: usize, field: &str) -> String {
    format!("{}_{field}", PORTS[dir])
}

/// The router's ports in RTL order: the bus, then per link (north, east,
/// south, west, local) its input and output halves.
pub fn contract(p: &AerRouterParams) -> PortContract {
    let w = p.link.packet_bits();
    let mut c = bus_ports();
    for (d, name) in PORTS.iter().enumerate() {
        for (field, dir, width, role, doc) in link_fields(w) {
            c = c.port(
                &router_port(d, field),
                dir,
                width,
                role,
                &format!("{doc} ({name})"),
            );
        }
    }
    c
}
