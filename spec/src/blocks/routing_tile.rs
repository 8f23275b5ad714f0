//! The Mosaic routing tile (Dalgaty et al. 2024): a crossbar of routing
//! devices between the spike lines of the four neighbours and the local
//! neuron tile. Its config schema, validation, register map and port
//! contract.

use crate::analog::{validate_analog, AnalogSection};
use crate::config::{BusSection, DesignSection, FlowSection};
use crate::error::Problem;
use crate::ports::{Dir, PortContract, Role};
use crate::regmap::{Access, Register, RegisterMap, ID_MAGIC};
use crate::validate::{check_range, validate_design_section, validate_flow_section};
use serde::{Deserialize, Serialize};

/// The routing tile's clock.
pub const CLOCK: &str = "clock";
/// Its active-low reset (synchronized by the parent, like the AER merge's).
pub const RESET: &str = "rst_n";
/// Generated channel counts (rust-hdl widths are types: one instantiation
/// each).
pub const CHANNELS: [u32; 4] = [1, 2, 4, 8];
/// The routing tile's register-map version, in the low half of `id`; bit
/// 15 tells a routing tile from a neuron tile.
pub const REGMAP_VERSION: u32 = 0x8001;
/// Bits of `status`.
pub mod status {
    /// A routing read is captured or awaiting its answer.
    pub const ROUTE_BUSY: u32 = 0;
    /// A programming request is running.
    pub const PROG_BUSY: u32 = 1;
    /// Sticky: routing reads went unanswered for `READ_TIMEOUT` cycles and
    /// were given up.
    pub const TIMEOUT: u32 = 2;
    /// Sticky: a macro answer arrived that no read was waiting for.
    pub const STALE: u32 = 3;
}

/// The directions of a routing tile's spike lines, in line order: rows
/// `d * channels .. (d + 1) * channels` of the crossbar are the lines
/// coming in from direction `d`, and the same columns the lines going out.
pub const DIRECTIONS: [&str; 5] = ["n", "e", "s", "w", "l"];

/// A routing-tile config: `[design]` (with `block = "routing_tile"`),
/// `[routing]`, and `[analog]` for the routing crossbar's devices and
/// parasitics (a routing device is either at `g_max_us`, routing, or at
/// `g_min_us`, blocking).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingTileConfig {
    pub design: DesignSection,
    pub routing: RoutingParams,
    #[serde(default)]
    pub analog: AnalogSection,
    #[serde(default)]
    pub bus: BusSection,
    #[serde(default)]
    pub flow: FlowSection,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingParams {
    /// Spike lines per direction (one of [`CHANNELS`]), the same for N,
    /// E, S, W and the local neuron tile.
    pub channels: u32,
    /// Edges from a routing read to the comparators' answer, as the
    /// co-simulation's macro model plays it (1..=16); the RTL waits for
    /// `xbar_valid` whatever the latency.
    #[serde(default = "default_latency")]
    pub macro_latency: u32,
}

fn default_latency() -> u32 {
    2
}

impl RoutingParams {
    /// Rows (and columns) of the routing crossbar: `5 * channels`.
    pub fn lines(&self) -> usize {
        DIRECTIONS.len() * self.channels as usize
    }
}

/// Every problem of `cfg`; empty when valid.
pub fn validate(cfg: &RoutingTileConfig) -> Vec<Problem> {
    let mut problems = validate_design_section(&cfg.design);
    problems.extend(validate_flow_section(&cfg.flow));
    if !CHANNELS.contains(&cfg.routing.channels) {
        problems.push(Problem {
            path: "routing.channels".into(),
            value: cfg.routing.channels.to_string(),
            rule: format!("must be one of {CHANNELS:?}"),
        });
    }
    check_range(
        &mut problems,
        "routing.macro_latency",
        cfg.routing.macro_latency.into(),
        1,
        16,
    );
    let window = register_map(cfg).window_bytes();
    if !cfg.bus.base_address.is_multiple_of(window) {
        problems.push(Problem {
            path: "bus.base_address".into(),
            value: format!("0x{:08x}", cfg.bus.base_address),
            rule: format!("must be aligned to the register window (0x{window:x} bytes)"),
        });
    }
    validate_analog(&cfg.analog, &mut problems);
    match cfg.design.block.as_deref() {
        Some("routing_tile") | None => {}
        Some(other) => problems.push(Problem {
            path: "design.block".into(),
            value: format!("\"{other}\""),
            rule: "must be \"routing_tile\" in a routing-tile config".into(),
        }),
    }
    problems
}

/// The name of direction `d`'s input (`in_n`) or output (`out_n`) lines.
pub fn line_port(side: &str, d: &str) -> String {
    format!("{side}_{d}")
}

fn reg(
    name: &'static str,
    offset: u32,
    access: Access,
    width: u32,
    reset: u32,
    doc: &'static str,
) -> Register {
    Register::new(name, offset, access, width, reset, doc)
}

/// The routing tile's registers (`docs/routing.md`).
pub fn register_map(cfg: &RoutingTileConfig) -> RegisterMap {
    let counters = [
        (
            "count_n",
            "output pulses sent north (cycles with any north line firing), wrapping",
        ),
        ("count_e", "output pulses sent east, wrapping"),
        ("count_s", "output pulses sent south, wrapping"),
        ("count_w", "output pulses sent west, wrapping"),
        (
            "count_l",
            "output pulses sent to the local neuron tile, wrapping",
        ),
    ];
    let mut registers = vec![
        reg("id", 0x00, Access::Const, 32, ID_MAGIC | REGMAP_VERSION, "\"MF\" and the routing-tile register-map version"),
        reg("geometry", 0x04, Access::Const, 32, cfg.routing.channels, "channels per direction"),
        reg("ctrl", 0x08, Access::Rw, 1, 0, "bit 0: route (spikes arriving while clear, or while programming, are dropped and counted)"),
        reg("vth", 0x0c, Access::Rw, 8, 128, "comparator threshold code, passed to the macro on `xbar_vth`"),
        reg("scratch", 0x10, Access::Rw, 32, 0, "free for software"),
        reg("status", 0x14, Access::Ro, 4, 0, "0 route busy, 1 programming busy, 2 timeout (sticky), 3 stale answer (sticky)"),
        reg("dropped", 0x18, Access::Ro, 16, 0, "cycles in which arriving spikes were dropped, wrapping"),
        reg("cmd", 0x1c, Access::Pulse, 2, 0, "bit 0: clear counters and sticky bits; bit 1: start programming"),
        reg("prog_addr", 0x20, Access::Rw, 16, 0, "device to program: input line [7:0], output line [15:8]"),
        reg("prog_target", 0x24, Access::Rw, 12, 1, "1: route (high conductance), 0: block"),
        reg("prog_tolerance", 0x28, Access::Rw, 12, 0, "accepted distance from the target (0 for a routing device)"),
        reg("prog_max_pulses", 0x2c, Access::Rw, 8, 16, "SET/RESET pulses before the request fails"),
        reg("prog_pulse", 0x30, Access::Rw, 16, 0x0408, "pulse amplitude code [7:0], width code [15:8]"),
        reg("prog_status", 0x34, Access::Ro, 16, 0, "0 busy, 1 done, 2 failed, 3 timed out, 4 invalid request, [15:8] pulses"),
    ];
    for (i, (name, doc)) in counters.into_iter().enumerate() {
        registers.push(reg(name, 0x38 + 4 * i as u32, Access::Ro, 16, 0, doc));
    }
    RegisterMap {
        base_address: cfg.bus.base_address,
        registers,
    }
}

/// The routing tile's ports in RTL order.
pub fn contract(p: &RoutingParams) -> PortContract {
    let (c, l) = (p.channels, p.lines() as u32);
    let mut k = PortContract::new()
        .port(CLOCK, Dir::In, 1, Role::Clock, "clock")
        .port(RESET, Dir::In, 1, Role::Reset, "active-low reset")
        .wishbone_slave();
    for d in DIRECTIONS {
        let doc = format!("spike lines arriving from `{d}`: a 1 for one cycle is a spike");
        k = k.port(&line_port("in", d), Dir::In, c, Role::AerIn, &doc);
    }
    for d in DIRECTIONS {
        let doc = format!("spike lines leaving towards `{d}`: one-cycle pulses, registered");
        k = k.port(&line_port("out", d), Dir::Out, c, Role::AerOut, &doc);
    }
    let macro_ports: [(&str, Dir, u32, &str); 10] = [
        ("xbar_op", Dir::Out, 2, "0 idle, 1 READ (pulse the `xbar_lines` rows, answer on `xbar_cmp`), 2 SET, 3 RESET (`xbar_row`, `xbar_col`)"),
        ("xbar_lines", Dir::Out, l, "rows pulsed by a READ: bit `d * channels + i` is line `i` from direction `d`"),
        ("xbar_row", Dir::Out, 8, "row of a SET/RESET (and of a verify READ)"),
        ("xbar_col", Dir::Out, 8, "column of a SET/RESET"),
        ("xbar_sel", Dir::Out, 8, "ADC slot of a verify READ: always 0 (kept so the tile's programmer drives the macro unchanged)"),
        ("xbar_amp", Dir::Out, 8, "SET/RESET pulse amplitude code"),
        ("xbar_width", Dir::Out, 8, "SET/RESET pulse width code"),
        ("xbar_vth", Dir::Out, 8, "comparator threshold code (register `vth`)"),
        ("xbar_cmp", Dir::In, l, "comparator outputs of a READ's answer, one per column (output line)"),
        ("xbar_valid", Dir::In, 1, "`xbar_cmp` answers the oldest unanswered READ (one cycle)"),
    ];
    for (name, dir, width, doc) in macro_ports {
        k = k.port(name, dir, width, Role::Macro, doc);
    }
    k
}
