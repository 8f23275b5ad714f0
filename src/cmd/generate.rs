//! `memforge generate CONFIG --out DIR`: config in, design directory out,
//! for any block family of the registry (`crate::blocks`).

use crate::blocks::{self, tile::TileDesign};
use crate::cmd::cosim::block_parser;
use crate::outcome::Report;
use anyhow::{Context, Result};
use memforge_hdl::emit::{write_design, Emitted};
use memforge_spec::DesignConfig;
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design config (TOML), e.g. examples/tile-8x8.toml.
    pub config: PathBuf,
    /// Output directory; a previous memforge output there is replaced
    /// atomically (files memforge did not write are kept), any other
    /// non-empty directory or a file is refused (exit 2).
    #[arg(long)]
    pub out: PathBuf,
    /// The block family to generate (default: the config's `[design]
    /// block`, else `tile`).
    #[arg(long, value_parser = block_parser())]
    pub block: Option<String>,
}

pub fn run(args: &Args) -> Result<Report> {
    let design = blocks::load(&args.config, args.block.as_deref())?;
    let (emitted, files) = blocks::generate_files(design.as_ref())?;
    write_design(&args.out, &files).with_context(|| format!("writing {}", args.out.display()))?;
    Ok(summary(&emitted, &files, &args.out))
}

/// Generates every file of the design directory of the tile `cfg`, in
/// memory.
pub fn generate_files(cfg: &DesignConfig) -> Result<(Emitted, Vec<(String, String)>)> {
    blocks::generate_files(&TileDesign(cfg.clone()))
}

fn summary(emitted: &Emitted, files: &[(String, String)], out: &Path) -> Report {
    let human = format!(
        "generated design `{}`: {} modules, {} files in {}\n",
        emitted.design,
        emitted.modules.len(),
        files.len(),
        out.display()
    );
    let json = json!({
        "ok": true,
        "design": emitted.design,
        "out": out,
        "modules": emitted.modules.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
        "files": files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        "ports": emitted.ports,
    });
    Report { human, json }
}
