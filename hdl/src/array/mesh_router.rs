//! The mesh interconnect's router, emitted once and made a parameterized
//! module. An AER router's RTL differs by position only in five
//! constants: its coordinates (`my_x`, `my_y`, packet-field aligned), the
//! outputs each input may use (`permit__0..4`, the turn rule and the mesh
//! edges), and its `id` register's value. Emitting one router per
//! position through rust-hdl would take seconds per 16 routers; instead
//! the router at (0, 0) is emitted once and those constants become
//! Verilog parameters (`localparam` -> `parameter`, the `id` value passed
//! down to its register slot), each instance overriding them. The values
//! come from the same spec functions the router's constructor uses
//! (`turn_allowed`, `existing_outputs`, the packet layout, the register
//! map); `tests/array_gen.rs` reads every router's `id` over the bus.

use crate::aer_router::{self, RouterError};
use crate::emit::Emitted;
use memforge_spec::blocks::aer_router::{
    existing_outputs, port_bit, register_map, turn_allowed, AerRouterConfig, AerRouterParams,
    RouterPlace, NORTH, SOUTH,
};
use memforge_spec::blocks::array::{ArrayConfig, SUB_BASE};
use memforge_spec::{DesignSection, FlowSection};

/// The router module's name for the array `design`.
pub fn module_name(design: &str) -> String {
    format!("{design}_mr")
}

/// The parameterization failed: the emitted router no longer has the
/// constants this file rewrites (the router's RTL changed).
#[derive(Debug, thiserror::Error)]
pub enum ParamError {
    #[error(transparent)]
    Router(#[from] RouterError),
    #[error("module `{module}`: expected exactly one `{what}`, found {found} (hdl/src/array/mesh_router.rs must follow the router's RTL)")]
    Shape {
        module: String,
        what: String,
        found: usize,
    },
}

/// Emits the parameterized router (its modules, named `<design>_mr*`).
pub fn emit(cfg: &ArrayConfig) -> Result<Emitted, ParamError> {
    let name = module_name(&cfg.design.name);
    let rc = AerRouterConfig {
        design: DesignSection {
            name: name.clone(),
            target: cfg.design.target,
            reset: cfg.design.reset,
            block: Some("aer_router".into()),
        },
        mesh: cfg.link_params(),
        aer_router: RouterPlace { x: 0, y: 0 },
        flow: FlowSection::default(),
    };
    let mut e = aer_router::generate(&rc)?;
    let top = e
        .modules
        .iter()
        .position(|m| m.name == name)
        .expect("the emitted design has its top");
    let mut text = e.modules[top].text.clone();
    for p in (0..5)
        .map(|i| format!("permit__{i}"))
        .chain(["my_x".into(), "my_y".into()])
    {
        text = promote(&name, &text, &p)?;
    }
    // The id register's slot: its value becomes a parameter passed down.
    let re = regex::Regex::new(r"(?m)^(\s*)(\w+_r_id) r_id\(").expect("static regex");
    let found: Vec<String> = re.captures_iter(&text).map(|c| c[2].to_string()).collect();
    if found.len() != 1 {
        return Err(shape(&name, "instance `r_id`", found.len()));
    }
    let slot = found[0].clone();
    let id0 = id_value(cfg, 0, 0);
    text = re
        .replace(&text, format!("${{1}}{slot} #(.value(id_value)) r_id("))
        .into_owned();
    text = text.replacen(
        "    parameter  my_y",
        &format!("    parameter  id_value = 32'h{id0:x};\n    parameter  my_y"),
        1,
    );
    e.modules[top].text = text;
    let s = e
        .modules
        .iter()
        .position(|m| m.name == slot)
        .ok_or_else(|| shape(&slot, "module", 0))?;
    e.modules[s].text = promote(&slot, &e.modules[s].text, "value")?;
    Ok(e)
}

fn shape(module: &str, what: &str, found: usize) -> ParamError {
    ParamError::Shape {
        module: module.to_string(),
        what: what.to_string(),
        found,
    }
}

/// `localparam  NAME = ...;` -> `parameter  NAME = ...;`, exactly once.
fn promote(module: &str, text: &str, name: &str) -> Result<String, ParamError> {
    let re =
        regex::Regex::new(&format!(r"(?m)^(\s*)localparam(\s+{name}\s*=)")).expect("escaped name");
    let n = re.find_iter(text).count();
    if n != 1 {
        return Err(shape(module, &format!("localparam {name}"), n));
    }
    Ok(re.replace(text, "${1}parameter${2}").into_owned())
}

fn place(cfg: &ArrayConfig, x: u32, y: u32) -> AerRouterParams {
    AerRouterParams {
        x,
        y,
        link: cfg.link_params(),
    }
}

/// The `id` register value of the router at (`x`, `y`).
pub fn id_value(cfg: &ArrayConfig, x: u32, y: u32) -> u32 {
    register_map(&place(cfg, x, y), SUB_BASE)
        .get("id")
        .map_or(0, |r| r.reset)
}

/// The outputs of router (`x`, `y`) that lead somewhere: its mesh
/// neighbours and local port, and the array's north (top row) and south
/// (bottom row) edge links, which only a table entry routes to (XY
/// routing never leaves the mesh).
pub fn array_outputs(cfg: &ArrayConfig, x: u32, y: u32) -> u8 {
    let (cols, rows) = (cfg.array.cols, cfg.array.rows);
    let mut set = existing_outputs(x, y, cols, rows);
    if y == 0 {
        set |= port_bit(NORTH);
    }
    if y + 1 == rows {
        set |= port_bit(SOUTH);
    }
    set
}

/// The parameter overrides of the router at (`x`, `y`).
pub fn overrides(cfg: &ArrayConfig, x: u32, y: u32) -> Vec<(&'static str, String)> {
    const PERMIT: [&str; 5] = [
        "permit__0",
        "permit__1",
        "permit__2",
        "permit__3",
        "permit__4",
    ];
    let lp = cfg.link_params();
    let pk = lp.layout();
    let w = lp.packet_bits();
    let exists = array_outputs(cfg, x, y);
    let mut v: Vec<(&'static str, String)> = PERMIT
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, format!("5'b{:05b}", turn_allowed(i) & exists)))
        .collect();
    let field = |lsb: u32, bits: u32, val: u32| (u64::from(val) & ((1u64 << bits) - 1)) << lsb;
    v.push((
        "my_x",
        format!("{w}'h{:x}", field(pk.x_lsb(), pk.x_bits, x)),
    ));
    v.push((
        "my_y",
        format!("{w}'h{:x}", field(pk.y_lsb(), pk.y_bits, y)),
    ));
    v.push(("id_value", format!("32'h{:x}", id_value(cfg, x, y))));
    v
}
