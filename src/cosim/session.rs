//! The common start of `memforge cosim` and `memforge bench cosim`: config
//! loaded, Verilator found, the design emitted into a temporary directory
//! and Verilated (or taken from the build cache).

use super::{cache::cache_root, regbank, tile};
use crate::tools::{find, Tool};
use anyhow::{Context, Result};
use memforge_sim::verilator::{BuildOptions, OptLevel, RtlDesign, VerilatedLibrary};
use memforge_spec::DesignConfig;
use std::path::Path;
use std::time::Instant;

/// Which part of the design is co-simulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Block {
    /// The whole tile (`TileTop` against `TileModel`, the harness playing
    /// the analog macro).
    Tile,
    /// The Wishbone register bank alone (`RegBank` against `RegFileModel`).
    Regbank,
}

impl Block {
    pub fn name(self) -> &'static str {
        match self {
            Block::Tile => "tile",
            Block::Regbank => "regbank",
        }
    }

    /// The RTL clock port.
    pub fn clock(self) -> &'static str {
        match self {
            Block::Tile => tile::CLOCK,
            Block::Regbank => regbank::CLOCK,
        }
    }
}

pub struct Session {
    pub cfg: DesignConfig,
    pub block: Block,
    pub design: RtlDesign,
    pub lib: VerilatedLibrary,
    pub opts: BuildOptions,
    pub build_seconds: f64,
    /// Holds the emitted RTL for the session's lifetime.
    pub workdir: tempfile::TempDir,
}

impl Session {
    /// Emits and Verilates `block` of the design in `config`. `trace`
    /// compiles VCD support in (a separate cache entry).
    pub fn open(config: &Path, block: Block, trace: bool) -> Result<Self> {
        let cfg = memforge_spec::load_file(config)?;
        let verilator = find(Tool::Verilator)?;
        let workdir = tempfile::Builder::new()
            .prefix("memforge-cosim-")
            .tempdir()
            .context("creating a temporary directory")?;
        let dir = workdir.path().join("design");
        let design = match block {
            Block::Tile => tile::write_design(&cfg, &dir)?,
            Block::Regbank => regbank::write_design(&cfg, &dir)?,
        };
        let mut opts = BuildOptions::new(verilator.path, cache_root());
        opts.opt = OptLevel::Fast;
        opts.trace = trace;
        let start = Instant::now();
        let lib = VerilatedLibrary::build(&design, &opts)
            .with_context(|| format!("Verilating `{}`", design.top))?;
        Ok(Self {
            cfg,
            block,
            design,
            lib,
            opts,
            build_seconds: start.elapsed().as_secs_f64(),
            workdir,
        })
    }
}
