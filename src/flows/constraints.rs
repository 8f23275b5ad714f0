//! Renders the constraint and flow files of a design from the minijinja
//! templates in `constraints/`. The templates are compiled into the binary,
//! so an installed `memforge` writes the same bytes as a checkout; every
//! number they print is computed here, from the design's `[flow]` section.

use super::sides::{self, Side};
use super::{fpga_wrap, ice40_pins};
use anyhow::{bail, Context, Result};
use memforge_hdl::emit::{Port, PortDir};
use memforge_spec::{Dir, FlowSection, PortContract, PortDecl, Role, XbarMacro};
use minijinja::{context, AutoEscape, Environment, UndefinedBehavior, Value};
use serde_json::json;

/// Where the OpenLane 2 design directory lives inside a generated design.
pub const OPENLANE_CONFIG: &str = "openlane/config.json";
/// Where the LibreLane 3 design directory lives inside a generated design.
pub const LIBRELANE_CONFIG: &str = "librelane/config.json";
/// The pin-order file, shared by both flows.
pub const PIN_ORDER: &str = "pin_order.cfg";

/// The SDC of `design`, relative to the design directory.
pub fn sdc_path(design: &str) -> String {
    format!("constraints/{design}.sdc")
}

/// The iCE40 pin constraints of `design`, relative to the design directory.
pub fn pcf_path(design: &str) -> String {
    format!("fpga/{design}.pcf")
}

/// The iCE40 wrapper of a design too wide for the package (see `fpga_wrap`).
pub fn fpga_wrapper_path(design: &str) -> String {
    format!("fpga/{design}_fpga.v")
}

const TEMPLATES: [(&str, &str); 8] = [
    (
        "caravel_wrapper.v",
        include_str!("../../constraints/caravel_wrapper.v.j2"),
    ),
    (
        "caravel.json",
        include_str!("../../constraints/caravel.config.json.j2"),
    ),
    (
        "design.sdc",
        include_str!("../../constraints/design.sdc.j2"),
    ),
    (
        "openlane2.json",
        include_str!("../../constraints/openlane2.config.json.j2"),
    ),
    (
        "librelane3.json",
        include_str!("../../constraints/librelane3.config.json.j2"),
    ),
    (
        "pin_order.cfg",
        include_str!("../../constraints/pin_order.cfg.j2"),
    ),
    ("ice40.pcf", include_str!("../../constraints/ice40.pcf.j2")),
    (
        "ice40_wrapper.v",
        include_str!("../../constraints/ice40_wrapper.v.j2"),
    ),
];

/// The constraint and flow files of a design, as (path relative to the
/// design directory, contents). A design with more I/O bits than the iCE40
/// package has pins gets a wrapper that takes its macro interface off the
/// pins (and the PCF of the wrapper); if even that does not fit, no FPGA files.
pub fn render(
    design: &str,
    flow: &FlowSection,
    contract: &PortContract,
) -> Result<Vec<(String, String)>> {
    let ports: Vec<Port> = contract.ports.iter().map(port_of).collect();
    let ports = ports.as_slice();
    let Some(clock) = contract.clock() else {
        bail!("design {design} has no clock input in its port contract: its constraints need the clock");
    };
    // Only a reset request that enters a synchronizer is a false path; a
    // synchronous reset is timed like any input.
    let reset = contract.input_with(Role::ResetRequest);
    let io = Io { clock, reset };
    let env = environment()?;
    let draw = |name: &str, ctx: Value| -> Result<String> {
        env.get_template(name)?
            .render(ctx)
            .with_context(|| format!("rendering constraints/{name} for {design}"))
    };
    let flow_ctx = flow_context(design, flow, clock);
    let mut files = vec![
        (
            sdc_path(design),
            draw("design.sdc", sdc_context(design, flow, ports, &io))?,
        ),
        (
            OPENLANE_CONFIG.to_string(),
            draw("openlane2.json", flow_ctx.clone())?,
        ),
        (
            LIBRELANE_CONFIG.to_string(),
            draw("librelane3.json", flow_ctx)?,
        ),
        (
            PIN_ORDER.to_string(),
            draw("pin_order.cfg", pin_order_context(contract))?,
        ),
    ];
    let (device, package) = (ice40_pins::DEVICE, ice40_pins::PACKAGE);
    let fpga = match pcf_assignments(ports, clock) {
        Some(ios) => Some((ios, None)),
        None => fpga_wrap::wrap(design, contract, clock, device, package)
            .and_then(|(pins, wrapper)| Some((pcf_assignments(&pins, clock)?, Some(wrapper)))),
    };
    if let Some((ios, wrapper)) = fpga {
        let ctx = context! {
            design, ios, device, package,
            clock_pin => ice40_pins::CLOCK_PIN,
        };
        files.push((pcf_path(design), draw("ice40.pcf", ctx)?));
        if let Some(w) = wrapper {
            files.push((fpga_wrapper_path(design), draw("ice40_wrapper.v", w)?));
        }
    }
    Ok(files)
}

/// The template environment (strict: a misspelt variable is an error).
pub fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    // A misspelt variable is an error, not an empty string in a tapeout file.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.add_filter("tojson", |v: &Value| -> Result<Value, minijinja::Error> {
        serde_json::to_string(v)
            .map(Value::from_safe_string)
            .map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
            })
    });
    for (name, text) in TEMPLATES {
        env.add_template(name, text)?;
    }
    Ok(env)
}

/// How SDC commands name a port: a bus by all of its bits.
fn sdc_name(p: &Port) -> String {
    if p.width > 1 {
        format!("{}[*]", p.name)
    } else {
        p.name.clone()
    }
}

/// The clock and reset inputs of a design (from its contract's roles).
struct Io<'a> {
    clock: &'a str,
    reset: Option<&'a str>,
}

fn sdc_context(design: &str, f: &FlowSection, ports: &[Port], io: &Io) -> Value {
    let named = |dir: PortDir| -> Vec<String> {
        ports
            .iter()
            .filter(|p| p.dir == dir && p.name != io.clock)
            .map(sdc_name)
            .collect()
    };
    context! {
        design,
        clock_port => io.clock,
        reset_port => io.reset,
        period => format!("{:.3}", f.clock_period_ns),
        uncertainty => format!("{:.3}", f.clock_uncertainty_ns),
        transition => format!("{:.3}", f.input_transition_ns),
        io_delay_pct => format!("{}", f.io_delay_pct),
        io_delay => format!("{:.3}", f.clock_period_ns * f.io_delay_pct / 100.0),
        // The liberty's capacitance unit is pF; the config speaks fF like OpenLane.
        load_pf => format!("{:.6}", f.output_load_ff / 1000.0),
        inputs => named(PortDir::Input),
        outputs => named(PortDir::Output),
    }
}

/// A path as OpenLane reads it from a config in `<design>/openlane/`:
/// `dir::` is the config's own directory, one level below the design.
fn flow_path(rel_to_design: &str) -> String {
    if rel_to_design.starts_with('/') {
        rel_to_design.to_string()
    } else {
        format!("dir::../{rel_to_design}")
    }
}

fn flow_context(design: &str, f: &FlowSection, clock: &str) -> Value {
    let die_area = f
        .die_area_um
        .map(|[x0, y0, x1, y1]| format!("{x0} {y0} {x1} {y1}"));
    context! {
        design,
        // One module per file in rtl/, so the glob is exactly the design.
        verilog_files => vec![flow_path("rtl/*.v")],
        clock_port => clock,
        period_ns => f.clock_period_ns,
        sizing => if die_area.is_some() { "absolute" } else { "relative" },
        die_area,
        core_util_pct => f.core_util_pct,
        sdc => flow_path(&sdc_path(design)),
        pin_order => flow_path(PIN_ORDER),
        macro => f.xbar_macro.as_ref().map(|m| Value::from_serialize(macro_entry(m))),
    }
}

/// One `MACROS` entry (OpenLane 2 and LibreLane 3 share the format).
fn macro_entry(m: &XbarMacro) -> serde_json::Value {
    let mut entry = json!({
        "gds": [flow_path(&m.gds)],
        "lef": [flow_path(&m.lef)],
    });
    if let Some(lib) = &m.lib {
        entry["lib"] = json!({ "*": [flow_path(lib)] });
    }
    if let (Some(name), Some([x, y])) = (&m.instance, m.location_um) {
        entry["instances"] = json!({ name: { "location": [x, y], "orientation": m.orientation } });
    }
    json!({ m.module.clone(): entry })
}

/// A contract's port as the emitter names it.
pub fn port_of(p: &PortDecl) -> Port {
    Port {
        name: p.name.clone(),
        dir: match p.dir {
            Dir::In => PortDir::Input,
            Dir::Out => PortDir::Output,
        },
        width: p.width,
    }
}

/// One regex per port: a bus matches each of its bits.
fn pin_regex(p: &PortDecl) -> String {
    if p.width > 1 {
        format!("{}\\[\\d+\\]", p.name)
    } else {
        p.name.clone()
    }
}

fn pin_order_context(contract: &PortContract) -> Value {
    let sides: Vec<Value> = Side::ALL
        .iter()
        .map(|&s| (s, sides::ports_on(contract, s)))
        .filter(|(_, on)| !on.is_empty())
        .map(|(s, on)| {
            let pins: Vec<String> = on.into_iter().map(pin_regex).collect();
            context! { letter => s.letter(), pins }
        })
        .collect();
    context! { sides }
}

/// `(bit name, package pin)` for every I/O bit, the clock on the global
/// buffer pin; `None` if the design has more bits than the package has pins.
fn pcf_assignments(ports: &[Port], clock: &str) -> Option<Vec<Value>> {
    let bits: Vec<String> = ports
        .iter()
        .filter(|p| p.name != clock)
        .flat_map(|p| {
            (0..p.width).map(move |i| {
                if p.width > 1 {
                    format!("{}[{i}]", p.name)
                } else {
                    p.name.clone()
                }
            })
        })
        .collect();
    let free = ice40_pins::PINS
        .iter()
        .filter(|&&pin| pin != ice40_pins::CLOCK_PIN);
    if bits.len() > free.clone().count() {
        return None;
    }
    let clock = context! { name => clock, pin => ice40_pins::CLOCK_PIN };
    let rest = bits
        .into_iter()
        .zip(free)
        .map(|(name, pin)| context! { name, pin });
    Some(std::iter::once(clock).chain(rest).collect())
}

#[cfg(test)]
mod tests;
