//! The full tile as a co-simulation design: the generated top (exactly what
//! `memforge generate` writes, RTL filelist and all), its golden model
//! (`TileModel`) and its seeded traffic (`TileTraffic`, which plays the
//! analog macro with an `IdealXbar`).

use super::design::port_specs;
use anyhow::{Context, Result};
use memforge_hdl::emit::{write::design_files, write_design as write_files};
use memforge_sim::cosim::TileTraffic;
use memforge_sim::cycle::CycleModel;
use memforge_sim::tile::TileModel;
use memforge_sim::verilator::RtlDesign;
use memforge_spec::DesignConfig;
use std::path::Path;

/// The tile's clock port (Caravel's name).
pub const CLOCK: &str = "wb_clk_i";

/// Emits the tile of `cfg` into `dir` and describes it for the Verilator
/// bridge.
pub fn write_design(cfg: &DesignConfig, dir: &Path) -> Result<RtlDesign> {
    write_design_edited(cfg, dir, |_, text| text)
}

/// [`write_design`] with every generated file passed through `edit(path,
/// text)` before it is written: the hook mutation tests use to break the
/// RTL on purpose (the build cache keys on the file bytes, so an edited
/// design is never confused with the real one).
pub fn write_design_edited(
    cfg: &DesignConfig,
    dir: &Path,
    edit: impl Fn(&str, String) -> String,
) -> Result<RtlDesign> {
    let emitted = memforge_hdl::generate(cfg)
        .with_context(|| format!("generating design `{}`", cfg.design.name))?;
    let config = serde_json::to_value(cfg).context("serializing the config")?;
    let files: Vec<(String, String)> = design_files(&emitted, config, Vec::new())
        .into_iter()
        .map(|(path, text)| {
            let text = edit(&path, text);
            (path, text)
        })
        .collect();
    write_files(dir, &files).with_context(|| format!("writing {}", dir.display()))?;
    Ok(RtlDesign::from_dir(
        dir,
        &emitted.design,
        port_specs(&emitted.ports),
    )?)
}

/// The golden model in its power-up state.
pub fn model(cfg: &DesignConfig) -> TileModel {
    TileModel::new(cfg)
}

/// The seeded traffic (macro included) for `model`'s ports.
pub fn traffic(cfg: &DesignConfig, model: &TileModel, seed: u64) -> Result<TileTraffic> {
    Ok(TileTraffic::new(cfg, model.layout(), seed)?)
}
