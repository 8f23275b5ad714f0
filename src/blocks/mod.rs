//! The registry of block families: the one list the CLI (`generate`,
//! `cosim --block`, `bench cosim`, `regmap`), the docs renderer and the
//! tests iterate over.
//!
//! A family declares once, in its own files: its parameters and port
//! contract (`spec/src/blocks/<family>.rs`), its RTL builder
//! (`hdl/src/...`), its golden model (`sim/src/...`), and here its
//! [`BlockFamily`] entry: how a config file becomes a [`BlockDesign`], the
//! stimulus its co-simulation runs, and the parameter points its tests
//! sweep. Everything else (emitting, the contract check, writing the design
//! directory, Verilating, the lock-step harness, the benchmarks, the doc
//! tables) is generic and lives outside the family. Adding a family means
//! its own files plus one line in [`REGISTRY`] (see docs/architecture.md,
//! "Adding a block").

pub mod aer_merge;
pub mod aer_mesh;
pub mod aer_router;
pub mod array;
pub mod docs;
pub mod regbank;
pub mod routing_tile;
pub mod seed_tile;
pub mod spike_bridge;
pub mod tile;

use anyhow::{Context, Result};
use memforge_hdl::emit::{write::design_files, Emitted};
use memforge_hdl::HdlPorts;
use memforge_sim::cosim::Dut;
use memforge_sim::cycle::{CycleModel, PortLayout};
use memforge_sim::stimulus::Stimulus;
use memforge_spec::{DesignSection, FlowSection, PortContract, RegisterMap, ResetStyle};
use serde_json::{Map, Value};
use std::path::Path;

/// Every block family memforge generates, in the order the help lists them.
pub static REGISTRY: &[&dyn BlockFamily] = &[
    &tile::Tile,
    &regbank::RegBank,
    &aer_merge::AerMerge,
    &aer_router::AerRouter,
    &aer_mesh::AerMesh,
    &routing_tile::RoutingTile,
    &spike_bridge::SpikeBridge,
    &array::Array,
];

/// A family of blocks: the same RTL builder, model and stimulus, sized by
/// a config.
pub trait BlockFamily: Sync {
    /// The name users type (`--block NAME`, `[design] block = "NAME"`).
    fn name(&self) -> &'static str;
    /// One line for `--help` and the docs index.
    fn summary(&self) -> &'static str;
    /// The block's doc page (its port table is rendered from the contract
    /// and checked by a test).
    fn doc_page(&self) -> &'static str;
    /// Example configs (paths from the repository root) whose generated RTL
    /// is committed under `rtl-out/` and whose lock-step runs the tests
    /// sweep: the family's parameter points.
    fn sweep(&self) -> &'static [&'static str];
    /// Reads, validates and sizes a config file of this family.
    fn load(&self, path: &Path) -> Result<Box<dyn BlockDesign>>;
    /// The block of a config echoed in a design's `manifest.json`
    /// (validated again: a manifest is input like any other).
    fn load_json(&self, config: Value) -> Result<Box<dyn BlockDesign>>;
}

/// One block of a family, sized by its config.
pub trait BlockDesign {
    /// The family's name.
    fn family(&self) -> &'static str;
    /// The config's `[design]` section (name, target, reset style).
    fn design_section(&self) -> &DesignSection;
    /// The top module's name (and the prefix of every module).
    fn top(&self) -> String {
        self.design_section().name.clone()
    }
    /// The ports, derived from the parameters.
    fn contract(&self) -> PortContract;
    /// How the block's flip-flops are reset (an event-driven simulator sees
    /// sync-reset flip-flops as unknown until the first edge).
    fn reset_style(&self) -> ResetStyle {
        self.design_section().reset
    }
    /// The block's registers, if it has a register file.
    fn registers(&self) -> Option<RegisterMap> {
        None
    }
    /// The RTL, already checked against [`Self::contract`].
    fn emit(&self) -> Result<Emitted>;
    /// The config as echoed in `manifest.json`.
    fn config_json(&self) -> Result<Value>;
    /// The `[flow]` settings (clock period, I/O budget, floorplan) the
    /// constraint files are rendered from.
    fn flow(&self) -> FlowSection {
        FlowSection::default()
    }
    /// Files rendered beside the RTL: SDC, OpenLane/LibreLane configs, pin
    /// order, iCE40 pins (from [`Self::flow`] and the contract's roles).
    fn extra_files(&self) -> Result<Vec<(String, String)>> {
        crate::flows::constraints::render(&self.top(), &self.flow(), &self.contract())
    }
    /// Whether the family has a golden model and stimulus (the lock-step
    /// tests skip one that has none yet; [`Self::testbench`] then says so).
    fn modelled(&self) -> bool {
        true
    }
    /// A fresh golden model (in its power-up state) and the seeded stimulus
    /// that exercises it, with live coverage counters.
    fn testbench(&self, seed: u64) -> Result<Testbench>;
    /// The block's rust-hdl top as a device under test (rust-hdl's own
    /// simulator), if the family has one.
    fn rust_hdl(&self) -> Result<Option<Box<dyn Dut>>> {
        Ok(None)
    }
}

/// What one co-simulation run of a block needs besides the RTL.
pub struct Testbench {
    pub model: Box<dyn CycleModel>,
    pub stimulus: Box<dyn Stimulus>,
    /// The counters of what the stimulus exercised so far (live).
    pub coverage: Box<dyn Fn() -> Map<String, Value>>,
}

/// The family called `name`.
pub fn family(name: &str) -> Result<&'static dyn BlockFamily> {
    REGISTRY
        .iter()
        .copied()
        .find(|f| f.name() == name)
        .ok_or_else(|| {
            anyhow::Error::new(crate::outcome::UsageError(format!(
                "no block family `{name}` (the families are: {})",
                names().join(", ")
            )))
        })
}

/// The names of every family, in registry order.
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|f| f.name()).collect()
}

/// The family a config file is for: `explicit` if given (`--block`), else
/// its `[design] block`, else `tile`. A file that cannot be read or parsed
/// goes to the tile's loader, which reports the problem with its line.
pub fn family_of(path: &Path, explicit: Option<&str>) -> Result<&'static dyn BlockFamily> {
    if let Some(name) = explicit {
        return family(name);
    }
    // The bounded reader: a path like /dev/zero must not be read forever.
    let declared = memforge_spec::load::read_text(path)
        .ok()
        .and_then(|(_, text)| text.parse::<toml::Table>().ok())
        .and_then(|t| t.get("design")?.get("block")?.as_str().map(str::to_string));
    family(declared.as_deref().unwrap_or(tile::Tile.name()))
}

/// The block a generated design directory's manifest records: its family
/// from the config's `[design] block` (else `tile`).
pub fn from_manifest_config(config: Value) -> Result<Box<dyn BlockDesign>> {
    let name = config["design"]["block"]
        .as_str()
        .unwrap_or("tile")
        .to_string();
    family(&name)?.load_json(config)
}

/// Parses `config` as the schema `T` and validates it with `check`; a
/// problem is a usage error naming the field.
pub fn config_from_json<T: serde::de::DeserializeOwned>(
    config: Value,
    check: impl Fn(&T) -> Vec<memforge_spec::Problem>,
) -> Result<T> {
    let cfg: T = serde_json::from_value(config).map_err(|e| {
        crate::outcome::UsageError(format!("the recorded config does not parse: {e}"))
    })?;
    if let Some(p) = check(&cfg).first() {
        return Err(crate::outcome::UsageError(format!(
            "the recorded config is invalid: {} = {}: {}",
            p.path, p.value, p.rule
        ))
        .into());
    }
    Ok(cfg)
}

/// Loads the block design of the config at `path`.
pub fn load(path: &Path, explicit: Option<&str>) -> Result<Box<dyn BlockDesign>> {
    family_of(path, explicit)?.load(path)
}

/// Every file of the design directory of `design`, in memory: the RTL
/// (checked against the contract), aux files, extra files, the filelist
/// and the manifest.
pub fn generate_files(design: &dyn BlockDesign) -> Result<(Emitted, Vec<(String, String)>)> {
    let emitted = design.emit()?;
    let extra = design
        .extra_files()
        .with_context(|| format!("rendering the constraints of `{}`", design.top()))?;
    let files = design_files(&emitted, design.config_json()?, extra);
    Ok((emitted, files))
}

/// The model's port layout of `design` (its contract without the clock).
pub fn layout(design: &dyn BlockDesign) -> PortLayout {
    PortLayout::from_contract(&design.contract())
}

/// The clock port of `design` (its contract's).
pub fn clock(design: &dyn BlockDesign) -> Result<String> {
    design
        .contract()
        .clock()
        .map(str::to_string)
        .with_context(|| format!("the contract of `{}` has no clock port", design.top()))
}

/// Coverage counters as one human line.
pub fn coverage_line(c: &Map<String, Value>) -> String {
    let parts: Vec<String> = c.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!("  coverage: {}\n", parts.join(", "))
}

/// A rust-hdl top as a [`Dut`] (see [`crate::cosim::rusthdl`]).
pub fn rust_hdl_dut<B: HdlPorts + 'static>(top: B, layout: PortLayout) -> Box<dyn Dut> {
    Box::new(crate::cosim::rusthdl::RustHdlDut::new(top, layout))
}

/// A serializable snapshot of coverage counters as a counter map.
pub fn counters<T: serde::Serialize>(snapshot: &T) -> Map<String, Value> {
    match serde_json::to_value(snapshot) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}
