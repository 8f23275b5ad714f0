//! Caravel's `user_project_wrapper` around a tile (`[caravel]` in the tile
//! config): the structural top from `constraints/caravel_wrapper.v.j2`, its
//! OpenLane 2 / LibreLane 3 configs (the tile and its crossbar as macros in
//! the 2920 x 3520 µm user area) and the pad table. Every connection comes
//! from the tile's port contract and the resolved pad map
//! (`memforge_spec::caravel::pad_map`), never from a copied port list.

use super::constraints::environment;
use anyhow::{anyhow, Context, Result};
use memforge_spec::caravel::{self, PadMap, Site, IO_PADS, LA_BITS, USER_AREA_UM};
use memforge_spec::{DesignConfig, Dir, PortContract, ResetStyle, Role};
use minijinja::context;
use serde_json::json;

/// The wrapper's Verilog, relative to the design directory.
pub const WRAPPER: &str = "caravel/user_project_wrapper.v";
/// The wrapper's top module (Caravel's name).
pub const TOP: &str = "user_project_wrapper";
/// Instance names inside the wrapper (the MACROS and PDN entries use them).
pub const TILE_INSTANCE: &str = "mprj";
pub const XBAR_INSTANCE: &str = "xbar";
pub const OPENLANE_CONFIG: &str = "caravel/openlane/config.json";
pub const LIBRELANE_CONFIG: &str = "caravel/librelane/config.json";
/// The pad table (Markdown), as docs/caravel.md shows it.
pub const PAD_TABLE: &str = "caravel/pads.md";

/// The crossbar macro's module: the blackbox stub `macro/<design>_xbar.v`.
pub fn xbar_module(design: &str) -> String {
    format!("{design}_xbar")
}

/// The resolved pad map of a config with `[caravel]` (`None` without).
pub fn pad_map(cfg: &DesignConfig, contract: &PortContract) -> Result<Option<PadMap>> {
    match caravel::pad_map(cfg, contract) {
        None => Ok(None),
        Some(Ok(m)) => Ok(Some(m)),
        Some(Err(p)) => Err(anyhow!(
            "{}",
            p.iter()
                .map(|p| format!("{} = {}: {}", p.path, p.value, p.rule))
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}

/// The wrapper files of `cfg` (empty without `[caravel]`).
pub fn render(cfg: &DesignConfig, contract: &PortContract) -> Result<Vec<(String, String)>> {
    let Some(map) = pad_map(cfg, contract)? else {
        return Ok(Vec::new());
    };
    let env = environment()?;
    let design = cfg.design.name.as_str();
    let wrapper = env
        .get_template("caravel_wrapper.v")?
        .render(wrapper_context(cfg, contract, &map))
        .with_context(|| format!("rendering the Caravel wrapper of {design}"))?;
    let flow = env
        .get_template("caravel.json")?
        .render(flow_context(cfg))
        .with_context(|| format!("rendering the Caravel flow config of {design}"))?;
    Ok(vec![
        (WRAPPER.to_string(), wrapper),
        (OPENLANE_CONFIG.to_string(), flow.clone()),
        (LIBRELANE_CONFIG.to_string(), flow),
        (PAD_TABLE.to_string(), pad_table(&map)),
    ])
}

fn range(width: u32) -> String {
    if width > 1 {
        format!("[{}:0] ", width - 1)
    } else {
        String::new()
    }
}

/// `{hi piece, ..., lo piece}` of a `total`-bit bus from `(lo, width,
/// expr)` pieces, the gaps filled with `fill` (one bit, `0` or `1`).
fn concat(total: u32, mut pieces: Vec<(u32, u32, String)>, fill: char) -> String {
    pieces.sort_by_key(|p| std::cmp::Reverse(p.0));
    let mut out = Vec::new();
    let mut top = total;
    let gap = |n: u32| -> String {
        if fill == '0' {
            format!("{n}'d0")
        } else {
            format!("{{{n}{{1'b1}}}}")
        }
    };
    for (lo, width, expr) in pieces {
        if lo + width < top {
            out.push(gap(top - lo - width));
        }
        out.push(expr);
        top = lo;
    }
    if top > 0 {
        out.push(gap(top));
    }
    format!("{{{}}}", out.join(", "))
}

/// `N'b...` with the bits in `ones` set.
fn bits_literal(total: u32, ones: &[u32]) -> String {
    let digits: String = (0..total)
        .rev()
        .map(|b| if ones.contains(&b) { '1' } else { '0' })
        .collect();
    format!("{total}'b{digits}")
}

fn slice(bus: &str, lo: u32, width: u32) -> String {
    if width == 1 {
        format!("{bus}[{lo}]")
    } else {
        format!("{bus}[{}:{lo}]", lo + width - 1)
    }
}

fn wrapper_context(cfg: &DesignConfig, contract: &PortContract, map: &PadMap) -> minijinja::Value {
    let design = cfg.design.name.as_str();
    let macro_ports: Vec<&memforge_spec::PortDecl> = contract
        .ports
        .iter()
        .filter(|p| p.role == Role::Macro)
        .collect();
    let mut wires: Vec<minijinja::Value> = map
        .ports
        .iter()
        .map(|a| context! { name => a.port, range => range(a.width) })
        .collect();
    wires.extend(
        macro_ports
            .iter()
            .map(|p| context! { name => p.name, range => range(p.width) }),
    );
    let inputs: Vec<minijinja::Value> = map
        .ports
        .iter()
        .filter(|a| a.dir == Dir::In)
        .map(|a| {
            let expr = match a.site {
                Site::Io(lo) => slice("io_in", lo, a.width),
                Site::La(lo) => format!(
                    "{} & ~{}",
                    slice("la_data_in", lo, a.width),
                    slice("la_oenb", lo, a.width)
                ),
            };
            context! { port => a.port, expr }
        })
        .collect();
    let outs = |io: bool| -> Vec<(u32, u32, String)> {
        map.ports
            .iter()
            .filter(|a| a.dir == Dir::Out)
            .filter_map(|a| match (a.site, io) {
                (Site::Io(lo), true) | (Site::La(lo), false) => Some((lo, a.width, a.port.clone())),
                _ => None,
            })
            .collect()
    };
    let driven: Vec<u32> = outs(true)
        .iter()
        .flat_map(|(lo, w, _)| *lo..lo + w)
        .collect();
    // io_oeb: 1 (input) on every pad the wrapper does not drive.
    let oeb_ones: Vec<u32> = (0..IO_PADS).filter(|b| !driven.contains(b)).collect();
    let irq: Vec<(u32, u32, String)> = map
        .irq
        .iter()
        .enumerate()
        .map(|(i, p)| (i as u32, 1, p.clone()))
        .collect();
    let pad_lines: Vec<String> = map
        .ports
        .iter()
        .map(|a| {
            format!(
                "{:<14} {:<3} {:<22} {}",
                a.port,
                if a.dir == Dir::In { "in" } else { "out" },
                a.pins(),
                a.doc
            )
        })
        .chain(
            map.irq
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{p:<14} out user_irq[{i}]")),
        )
        .collect();
    context! {
        version => env!("CARGO_PKG_VERSION"),
        design,
        xbar => xbar_module(design),
        base => format!("0x{:08x}", cfg.bus.base_address),
        io_pads => IO_PADS,
        pad_lines,
        wires,
        inputs,
        io_out => concat(IO_PADS, outs(true), '0'),
        io_oeb => bits_literal(IO_PADS, &oeb_ones),
        la_out => concat(LA_BITS, outs(false), '0'),
        user_irq => concat(caravel::IRQ_LINES as u32, irq, '0'),
        sync_reset => cfg.design.reset == ResetStyle::Sync,
        tile_conns => contract.ports.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        xbar_conns => macro_ports.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
    }
}

/// A path relative to `caravel/`, as a config in `caravel/<tool>/` reads it.
fn from_caravel(rel: &str) -> String {
    format!("dir::../{rel}")
}

/// A path relative to the design directory (or absolute), as a config in
/// `caravel/<tool>/` reads it.
fn from_design(rel: &str) -> String {
    if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("dir::../../{rel}")
    }
}

fn flow_context(cfg: &DesignConfig) -> minijinja::Value {
    let design = cfg.design.name.as_str();
    let sec = cfg.caravel.clone().unwrap_or_default();
    let xbar = xbar_module(design);
    let instance = |[x, y]: [f64; 2]| json!({ "location": [x, y], "orientation": "N" });
    // The hardened periphery's views, where docs/caravel.md says to put them.
    let tile = json!({
        "gds": [from_caravel(&format!("macros/{design}.gds"))],
        "lef": [from_caravel(&format!("macros/{design}.lef"))],
        "nl": [from_caravel(&format!("macros/{design}.nl.v"))],
        "instances": { TILE_INSTANCE: instance(sec.periphery_location_um) },
    });
    let (xlef, xgds) = match &cfg.flow.xbar_macro {
        Some(m) => (from_design(&m.lef), from_design(&m.gds)),
        None => (
            from_caravel(&format!("macros/{xbar}.lef")),
            from_caravel(&format!("macros/{xbar}.gds")),
        ),
    };
    let xbar_entry = json!({
        "gds": [xgds],
        "lef": [xlef],
        "instances": { XBAR_INSTANCE: instance(sec.xbar_location_um) },
    });
    let macros = json!({ design: tile, xbar.clone(): xbar_entry });
    context! {
        verilog_files => vec![from_caravel("user_project_wrapper.v")],
        clock_port => memforge_spec::blocks::tile::CLOCK,
        period_ns => cfg.flow.clock_period_ns,
        die_area => format!("0 0 {} {}", USER_AREA_UM[0], USER_AREA_UM[1]),
        vdd_nets => ["vccd1", "vccd2", "vdda1", "vdda2"],
        gnd_nets => ["vssd1", "vssd2", "vssa1", "vssa2"],
        macros => minijinja::Value::from_serialize(&macros),
        pdn => [
            format!("{TILE_INSTANCE} vccd1 vssd1 vccd1 vssd1"),
            format!("{XBAR_INSTANCE} vccd1 vssd1 vccd1 vssd1"),
        ],
    }
}

/// The pad map as a Markdown table.
pub fn pad_table(map: &PadMap) -> String {
    let mut t =
        String::from("| tile port | dir | wrapper pins | io_oeb | what |\n|---|---|---|---|---|\n");
    for a in &map.ports {
        let (dir, oeb) = match (a.dir, a.site) {
            (Dir::In, Site::Io(_)) => ("in", "1 (input)"),
            (Dir::Out, Site::Io(_)) => ("out", "0 (driven)"),
            (Dir::In, Site::La(_)) => ("in", "- (gated by `la_oenb`)"),
            (Dir::Out, Site::La(_)) => ("out", "-"),
        };
        t += &format!(
            "| `{}` | {dir} | `{}` | {oeb} | {} |\n",
            a.port,
            a.pins(),
            a.doc
        );
    }
    for (i, p) in map.irq.iter().enumerate() {
        t += &format!("| `{p}` | out | `user_irq[{i}]` | - | interrupt |\n");
    }
    t
}

/// The wrapper's pin values of one cycle from the tile's (both packed as
/// their layouts): what a pin-level testbench drives and expects. Inputs
/// on LA bits are driven with `la_oenb` low; `io_oeb` is the constant the
/// pad map implies.
pub fn tile_to_pins(
    map: &PadMap,
    tile: &memforge_sim::cycle::PortLayout,
    pins: &memforge_sim::cycle::PortLayout,
    tile_values: &[u64],
    pin_values: &mut [u64],
) -> Result<()> {
    let get_bit = |layout: &memforge_sim::cycle::PortLayout, v: &[u64], port: &str, bit: u32| {
        let i = layout
            .index_of(port)
            .ok_or_else(|| anyhow!("no port `{port}`"))?;
        let w = &v[layout.range(i)];
        Ok::<bool, anyhow::Error>((w[bit as usize / 64] >> (bit % 64)) & 1 == 1)
    };
    let set_bit = |layout: &memforge_sim::cycle::PortLayout,
                   v: &mut [u64],
                   port: &str,
                   bit: u32,
                   on: bool|
     -> Result<()> {
        let i = layout
            .index_of(port)
            .ok_or_else(|| anyhow!("no port `{port}`"))?;
        let r = layout.range(i);
        let w = &mut v[r];
        let mask = 1u64 << (bit % 64);
        if on {
            w[bit as usize / 64] |= mask;
        } else {
            w[bit as usize / 64] &= !mask;
        }
        Ok(())
    };
    pin_values.iter_mut().for_each(|w| *w = 0);
    // Clock-domain pins that pass straight through.
    for p in &tile.ports {
        if pins.index_of(&p.name).is_some() {
            for b in 0..p.width {
                let on = get_bit(tile, tile_values, &p.name, b)?;
                set_bit(pins, pin_values, &p.name, b, on)?;
            }
        }
    }
    for b in 0..IO_PADS {
        set_bit(pins, pin_values, "io_oeb", b, true)?;
    }
    for b in 0..LA_BITS {
        set_bit(pins, pin_values, "la_oenb", b, true)?;
    }
    for a in &map.ports {
        for b in 0..a.width {
            let on = get_bit(tile, tile_values, &a.port, b)?;
            match (a.site, a.dir) {
                (Site::Io(lo), Dir::In) => set_bit(pins, pin_values, "io_in", lo + b, on)?,
                (Site::Io(lo), Dir::Out) => {
                    set_bit(pins, pin_values, "io_out", lo + b, on)?;
                    set_bit(pins, pin_values, "io_oeb", lo + b, false)?;
                }
                (Site::La(lo), Dir::In) => {
                    set_bit(pins, pin_values, "la_data_in", lo + b, on)?;
                    set_bit(pins, pin_values, "la_oenb", lo + b, false)?;
                }
                (Site::La(lo), Dir::Out) => set_bit(pins, pin_values, "la_data_out", lo + b, on)?,
            }
        }
    }
    for (i, p) in map.irq.iter().enumerate() {
        let on = get_bit(tile, tile_values, p, 0)?;
        set_bit(pins, pin_values, "user_irq", i as u32, on)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_fills_the_gaps() {
        assert_eq!(
            concat(8, vec![(2, 3, "a".into()), (6, 1, "b".into())], '0'),
            "{1'd0, b, 1'd0, a, 2'd0}"
        );
        assert_eq!(concat(3, vec![], '0'), "{3'd0}");
        assert_eq!(bits_literal(4, &[0, 3]), "4'b1001");
    }
}
