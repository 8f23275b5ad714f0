//! `memforge generate CONFIG --out DIR`: config in, design directory out.

use crate::outcome::Report;
use anyhow::{Context, Result};
use memforge_hdl::emit::{write::design_files, write_design, Emitted};
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
}

pub fn run(args: &Args) -> Result<Report> {
    let cfg = memforge_spec::load_file(&args.config)?;
    let (emitted, files) = generate_files(&cfg)?;
    write_design(&args.out, &files).with_context(|| format!("writing {}", args.out.display()))?;
    Ok(summary(&emitted, &files, &args.out))
}

/// Generates every file of the design directory of `cfg`, in memory.
pub fn generate_files(cfg: &DesignConfig) -> Result<(Emitted, Vec<(String, String)>)> {
    let emitted = memforge_hdl::generate(cfg)
        .with_context(|| format!("generating design `{}`", cfg.design.name))?;
    let config = serde_json::to_value(cfg).context("serializing the config")?;
    let extra = extra_files(cfg, &emitted)?;
    let files = design_files(&emitted, config, extra);
    Ok((emitted, files))
}

/// Files rendered beside the RTL (constraints, flow configs).
fn extra_files(cfg: &DesignConfig, emitted: &Emitted) -> Result<Vec<(String, String)>> {
    crate::flows::constraints::render(cfg, &emitted.ports)
        .with_context(|| format!("rendering the constraints of `{}`", cfg.design.name))
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
