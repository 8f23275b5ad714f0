//! Emitting a rust-hdl block as a design directory the Verilator bridge can
//! build, and translating the emitter's port list into the bridge's.

use anyhow::{Context, Result};
use memforge_hdl::emit::{self, write::design_files, write_design, Port, PortDir};
use memforge_sim::cycle::PortSpec;
use memforge_sim::verilator::RtlDesign;
use memforge_spec::{DesignConfig, Target};
use rust_hdl::prelude::Block;
use std::path::Path;

/// The emitter's ports as the bridge's.
pub fn port_specs(ports: &[Port]) -> Vec<PortSpec> {
    ports
        .iter()
        .map(|p| PortSpec {
            name: p.name.clone(),
            input: p.dir == PortDir::Input,
            width: p.width,
        })
        .collect()
}

/// Emits `block` (connected) as design `name` into `dir`, with the same
/// checks and layout as `memforge generate`.
pub fn write_standalone<B: Block>(
    block: &B,
    name: &str,
    cfg: &DesignConfig,
    dir: &Path,
) -> Result<RtlDesign> {
    let emitted = emit::emit(block, name, cfg.design.target == Target::Fpga)
        .with_context(|| format!("emitting `{name}`"))?;
    let config = serde_json::to_value(cfg).context("serializing the config")?;
    let files = design_files(&emitted, config, Vec::new());
    write_design(dir, &files).with_context(|| format!("writing {}", dir.display()))?;
    Ok(RtlDesign::from_dir(dir, name, port_specs(&emitted.ports))?)
}
