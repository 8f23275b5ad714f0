//! `[caravel]`: the tile inside Caravel's `user_project_wrapper`. Which
//! tile port sits on which user I/O pad (`io_in`/`io_out`/`io_oeb`) or
//! logic-analyzer bit (`la_data_in`/`la_data_out`), which outputs raise
//! `user_irq`, and where the macros sit in the 2920 x 3520 µm user area.
//!
//! The assignment is resolved here once ([`pad_map`]) from the tile's port
//! contract, so the wrapper's Verilog, its pin-level test and the pad table
//! in the docs all read the same list; a bad assignment is a [`Problem`]
//! naming the `caravel.pins.<port>` entry.

use crate::config::DesignConfig;
use crate::error::Problem;
use crate::ports::{Dir, PortContract, Role};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Caravel's user I/O pads (`MPRJ_IO_PADS` in caravel's `defines.v`).
pub const IO_PADS: u32 = 38;
/// Pads 0..=4 are Caravel's own at power-up (JTAG, SDO, SDI, CSB, SCK of the
/// housekeeping SPI): the wrapper never drives them.
pub const RESERVED_PADS: u32 = 5;
/// Logic-analyzer bits each way.
pub const LA_BITS: u32 = 128;
/// `user_irq` lines.
pub const IRQ_LINES: usize = 3;
/// The user area of a sky130 Caravel, µm.
pub const USER_AREA_UM: [f64; 2] = [2920.0, 3520.0];

/// The `[caravel]` section; present means `memforge generate` also writes
/// `caravel/user_project_wrapper.v` and its OpenLane 2 / LibreLane 3 configs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CaravelSection {
    /// Tile port -> `"io:N"` (bit `i` of the port on pad `N + i`) or
    /// `"la:N"` (on logic-analyzer bit `N + i`). Ports not listed take the
    /// next free pads from 5 up, in port order, then logic-analyzer bits.
    pub pins: BTreeMap<String, String>,
    /// One-bit tile outputs driving `user_irq[0]`, `[1]`, `[2]` (unlisted
    /// lines are tied low).
    pub irq: Vec<String>,
    /// Lower-left corner of the periphery macro (instance `mprj`), µm.
    pub periphery_location_um: [f64; 2],
    /// Lower-left corner of the crossbar macro (instance `xbar`), µm.
    pub xbar_location_um: [f64; 2],
}

impl Default for CaravelSection {
    fn default() -> Self {
        Self {
            pins: BTreeMap::new(),
            irq: vec!["aer_out_valid".into()],
            periphery_location_um: [60.0, 15.0],
            xbar_location_um: [1460.0, 1760.0],
        }
    }
}

/// Where a port's bit 0 goes; bit `i` goes to `base + i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "base", rename_all = "lowercase")]
pub enum Site {
    Io(u32),
    La(u32),
}

impl Site {
    fn parse(text: &str) -> Option<Site> {
        let (kind, n) = text.trim().split_once(':')?;
        let n: u32 = n.trim().parse().ok()?;
        match kind.trim() {
            "io" => Some(Site::Io(n)),
            "la" => Some(Site::La(n)),
            _ => None,
        }
    }

    /// `io:5` / `la:0`, as the config writes it.
    pub fn text(self) -> String {
        match self {
            Site::Io(n) => format!("io:{n}"),
            Site::La(n) => format!("la:{n}"),
        }
    }

    fn limit(self) -> u32 {
        match self {
            Site::Io(_) => IO_PADS,
            Site::La(_) => LA_BITS,
        }
    }

    fn base(self) -> u32 {
        match self {
            Site::Io(n) | Site::La(n) => n,
        }
    }
}

/// One tile port on the pads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub port: String,
    pub dir: Dir,
    pub width: u32,
    pub site: Site,
    pub doc: String,
}

impl Assignment {
    /// `io_in[12:5]`-style name of the wrapper bits the port occupies.
    pub fn pins(&self) -> String {
        let (inp, out) = match self.site {
            Site::Io(_) => ("io_in", "io_out"),
            Site::La(_) => ("la_data_in", "la_data_out"),
        };
        let bus = if self.dir == Dir::In { inp } else { out };
        let lo = self.site.base();
        if self.width == 1 {
            format!("{bus}[{lo}]")
        } else {
            format!("{bus}[{}:{lo}]", lo + self.width - 1)
        }
    }
}

/// The resolved assignment of a design with a `[caravel]` section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PadMap {
    /// In the tile's port order.
    pub ports: Vec<Assignment>,
    /// `user_irq[i]` <- tile output `irq[i]`.
    pub irq: Vec<String>,
}

impl PadMap {
    pub fn get(&self, port: &str) -> Option<&Assignment> {
        self.ports.iter().find(|a| a.port == port)
    }
}

/// The tile ports that go to pads: the AER links (the clock, reset and
/// Wishbone bus meet Caravel's own, the macro ports the crossbar macro).
fn padded(contract: &PortContract) -> impl Iterator<Item = &crate::ports::PortDecl> {
    contract
        .ports
        .iter()
        .filter(|p| matches!(p.role, Role::AerIn | Role::AerOut))
}

/// The pad map of `cfg` (whose tile ports are `contract`), or every
/// problem of its `[caravel]` section. `None` without the section.
pub fn pad_map(
    cfg: &DesignConfig,
    contract: &PortContract,
) -> Option<Result<PadMap, Vec<Problem>>> {
    let sec = cfg.caravel.as_ref()?;
    let mut problems = Vec::new();
    let mut fail = |path: String, value: String, rule: String| {
        problems.push(Problem { path, value, rule });
    };
    let ports: Vec<_> = padded(contract).collect();
    for name in sec.pins.keys() {
        if !ports.iter().any(|p| &p.name == name) {
            let known: Vec<&str> = ports.iter().map(|p| p.name.as_str()).collect();
            fail(
                format!("caravel.pins.{name}"),
                name.clone(),
                format!(
                    "is not a tile port that goes to pads (those are: {})",
                    known.join(", ")
                ),
            );
        }
    }
    // Bits taken so far: (is io, index) -> port.
    let mut taken: BTreeMap<(bool, u32), String> = BTreeMap::new();
    let claim = |site: Site, width: u32, port: &str, taken: &mut BTreeMap<_, _>| {
        let io = matches!(site, Site::Io(_));
        for i in 0..width {
            taken.insert((io, site.base() + i), port.to_string());
        }
    };
    let mut sites: BTreeMap<String, Site> = BTreeMap::new();
    for p in &ports {
        let Some(text) = sec.pins.get(&p.name) else {
            continue;
        };
        let path = format!("caravel.pins.{}", p.name);
        let Some(site) = Site::parse(text) else {
            fail(
                path,
                text.clone(),
                "must be \"io:N\" (user I/O pad N) or \"la:N\" (logic-analyzer bit N)".into(),
            );
            continue;
        };
        let (lo, hi) = (site.base(), site.base() + p.width - 1);
        if hi >= site.limit() {
            fail(
                path,
                text.clone(),
                format!(
                    "{} bits from {lo} need up to {hi}, past the last {} ({})",
                    p.width,
                    if matches!(site, Site::Io(_)) {
                        "user I/O pad"
                    } else {
                        "logic-analyzer bit"
                    },
                    site.limit() - 1
                ),
            );
            continue;
        }
        if matches!(site, Site::Io(_)) && lo < RESERVED_PADS {
            fail(
                path,
                text.clone(),
                format!(
                    "pads 0..={} are Caravel's (JTAG and the housekeeping SPI); use pads {RESERVED_PADS}..={}",
                    RESERVED_PADS - 1,
                    IO_PADS - 1
                ),
            );
            continue;
        }
        let io = matches!(site, Site::Io(_));
        if let Some(other) = (lo..=hi).find_map(|b| taken.get(&(io, b))) {
            fail(
                path,
                text.clone(),
                format!("overlaps the bits of `{other}`"),
            );
            continue;
        }
        claim(site, p.width, &p.name, &mut taken);
        sites.insert(p.name.clone(), site);
    }
    // The rest: the first free run of pads, then of logic-analyzer bits.
    for p in &ports {
        if sec.pins.contains_key(&p.name) {
            continue;
        }
        let free = |io: bool, lo: u32, limit: u32| {
            (lo..=limit.saturating_sub(p.width))
                .find(|&b| (b..b + p.width).all(|i| !taken.contains_key(&(io, i))))
        };
        let site = free(true, RESERVED_PADS, IO_PADS)
            .map(Site::Io)
            .or_else(|| free(false, 0, LA_BITS).map(Site::La));
        match site {
            Some(site) => {
                claim(site, p.width, &p.name, &mut taken);
                sites.insert(p.name.clone(), site);
            }
            None => fail(
                format!("caravel.pins.{}", p.name),
                "(unassigned)".into(),
                format!(
                    "no free run of {} pads or logic-analyzer bits is left; assign it explicitly",
                    p.width
                ),
            ),
        }
    }
    if sec.irq.len() > IRQ_LINES {
        fail(
            "caravel.irq".into(),
            format!("{:?}", sec.irq),
            format!("Caravel has {IRQ_LINES} user_irq lines"),
        );
    }
    for (i, name) in sec.irq.iter().enumerate() {
        let ok = contract
            .ports
            .iter()
            .any(|p| &p.name == name && p.dir == Dir::Out && p.width == 1 && p.role != Role::Macro);
        if !ok {
            fail(
                format!("caravel.irq[{i}]"),
                name.clone(),
                "must name a one-bit tile output (e.g. aer_out_valid)".into(),
            );
        }
    }
    for (key, [x, y]) in [
        ("periphery_location_um", sec.periphery_location_um),
        ("xbar_location_um", sec.xbar_location_um),
    ] {
        if !(0.0..USER_AREA_UM[0]).contains(&x) || !(0.0..USER_AREA_UM[1]).contains(&y) {
            fail(
                format!("caravel.{key}"),
                format!("[{x}, {y}]"),
                format!(
                    "must lie inside the user area (0..{} x 0..{} µm)",
                    USER_AREA_UM[0], USER_AREA_UM[1]
                ),
            );
        }
    }
    if !problems.is_empty() {
        return Some(Err(problems));
    }
    let ports = ports
        .iter()
        .map(|p| Assignment {
            port: p.name.clone(),
            dir: p.dir,
            width: p.width,
            site: sites[&p.name],
            doc: p.doc.clone(),
        })
        .collect();
    Some(Ok(PadMap {
        ports,
        irq: sec.irq.clone(),
    }))
}

/// The problems of the `[caravel]` section of a tile config (none without it).
pub fn validate_caravel(cfg: &DesignConfig, problems: &mut Vec<Problem>) {
    let contract = crate::blocks::tile::contract(cfg);
    if let Some(Err(p)) = pad_map(cfg, &contract) {
        problems.extend(p);
    }
}

/// The in/out ports of Caravel's `user_project_wrapper` (caravel_user_project
/// `verilog/rtl/user_project_wrapper.v`), in its order, without the power
/// pins (`USE_POWER_PINS`) and `analog_io` (inout): the pins a pin-level
/// test drives and watches.
pub fn wrapper_contract() -> PortContract {
    use Dir::{In, Out};
    let pads = IO_PADS;
    PortContract::new()
        .port(
            "wb_clk_i",
            In,
            1,
            Role::Clock,
            "Wishbone clock; clocks the tile",
        )
        .port(
            "wb_rst_i",
            In,
            1,
            Role::ResetRequest,
            "Wishbone reset, active high; the tile's reset request",
        )
        .wishbone_slave()
        .port(
            "la_data_in",
            In,
            LA_BITS,
            Role::Pad,
            "logic analyzer, management to user",
        )
        .port(
            "la_data_out",
            Out,
            LA_BITS,
            Role::Pad,
            "logic analyzer, user to management",
        )
        .port(
            "la_oenb",
            In,
            LA_BITS,
            Role::Pad,
            "logic analyzer: low where the management core drives `la_data_in`",
        )
        .port("io_in", In, pads, Role::Pad, "user I/O pads, in")
        .port("io_out", Out, pads, Role::Pad, "user I/O pads, out")
        .port(
            "io_oeb",
            Out,
            pads,
            Role::Pad,
            "user I/O pads: output enable, active low",
        )
        .port(
            "user_clock2",
            In,
            1,
            Role::Pad,
            "second user clock (unused)",
        )
        .port(
            "user_irq",
            Out,
            IRQ_LINES as u32,
            Role::Pad,
            "user interrupts",
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(extra: &str) -> DesignConfig {
        crate::parse_str(
            &format!("[design]\nname = \"t\"\n[caravel]\n{extra}"),
            "t.toml",
        )
        .unwrap()
    }

    fn map(extra: &str) -> Result<PadMap, Vec<Problem>> {
        let c = cfg(extra);
        pad_map(&c, &crate::blocks::tile::contract(&c)).unwrap()
    }

    /// The problems loading reports (validation runs the pad map).
    fn paths(extra: &str) -> Vec<String> {
        match crate::parse_str(
            &format!("[design]\nname = \"t\"\n[caravel]\n{extra}"),
            "t.toml",
        ) {
            Err(crate::ConfigError::Invalid { problems, .. }) => {
                problems.into_iter().map(|p| p.path).collect()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_fill_pads_from_5_in_port_order() {
        let m = map("").unwrap();
        let at: Vec<(String, Site)> = m.ports.iter().map(|a| (a.port.clone(), a.site)).collect();
        assert_eq!(
            at,
            [
                ("aer_in_addr", Site::Io(5)),
                ("aer_in_value", Site::Io(13)),
                ("aer_in_valid", Site::Io(21)),
                ("aer_in_ready", Site::Io(22)),
                ("aer_out_addr", Site::Io(23)),
                ("aer_out_valid", Site::Io(31)),
                ("aer_out_ready", Site::Io(32)),
            ]
            .map(|(p, s)| (p.to_string(), s))
        );
        assert_eq!(m.get("aer_in_addr").unwrap().pins(), "io_in[12:5]");
        assert_eq!(m.irq, ["aer_out_valid"]);
    }

    #[test]
    fn explicit_sites_are_kept_and_the_rest_flow_around_them() {
        let m = map("[caravel.pins]\naer_in_value = \"la:0\"\naer_in_addr = \"io:30\"\n").unwrap();
        assert_eq!(m.get("aer_in_value").unwrap().site, Site::La(0));
        assert_eq!(m.get("aer_in_value").unwrap().pins(), "la_data_in[7:0]");
        assert_eq!(m.get("aer_in_addr").unwrap().site, Site::Io(30));
        assert_eq!(m.get("aer_in_valid").unwrap().site, Site::Io(5));
        // aer_out_addr needs 8 free pads in a row: 7..=14.
        assert_eq!(m.get("aer_out_addr").unwrap().site, Site::Io(7));
    }

    #[test]
    fn bad_assignments_name_the_entry() {
        assert_eq!(
            paths("[caravel.pins]\naer_in_valid = \"io:2\"\n"),
            ["caravel.pins.aer_in_valid"]
        );
        assert_eq!(
            paths("[caravel.pins]\naer_in_addr = \"io:31\"\n"),
            ["caravel.pins.aer_in_addr"]
        );
        assert_eq!(
            paths("[caravel.pins]\naer_in_addr = \"la:121\"\n"),
            ["caravel.pins.aer_in_addr"]
        );
        assert_eq!(
            paths("[caravel.pins]\naer_in_addr = \"io:5\"\naer_out_addr = \"io:12\"\n"),
            ["caravel.pins.aer_out_addr"]
        );
        assert_eq!(
            paths("[caravel.pins]\naer_in_addr = \"pad 5\"\n"),
            ["caravel.pins.aer_in_addr"]
        );
        assert_eq!(
            paths("[caravel.pins]\nxbar_op = \"io:5\"\n"),
            ["caravel.pins.xbar_op"]
        );
        assert_eq!(paths("irq = [\"aer_out_addr\"]\n"), ["caravel.irq[0]"]);
        assert_eq!(
            paths("periphery_location_um = [3000, 10]\n"),
            ["caravel.periphery_location_um"]
        );
    }

    #[test]
    fn a_port_without_a_run_of_free_pads_falls_back_to_the_la() {
        // Pads 5..=37 fragmented so no 8 consecutive pads are left.
        let m = map(
            "[caravel.pins]\naer_in_addr = \"io:6\"\naer_in_value = \"io:15\"\naer_in_valid = \"io:24\"\naer_in_ready = \"io:26\"\naer_out_valid = \"io:28\"\naer_out_ready = \"io:30\"\n",
        )
        .unwrap();
        assert_eq!(m.get("aer_out_addr").unwrap().site, Site::La(0));
    }
}
