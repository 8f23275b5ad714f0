//! The common start of `memforge cosim` and `memforge bench cosim`: the
//! block's config loaded through the registry, Verilator found, the design
//! emitted into a temporary directory and Verilated (or taken from the
//! build cache).

use super::cache::cache_root;
use super::design::write_rtl;
use crate::blocks::{self, BlockDesign};
use crate::tools::{find, Tool};
use anyhow::{Context, Result};
use memforge_sim::verilator::{BuildOptions, OptLevel, RtlDesign, VerilatedLibrary};
use std::path::Path;
use std::time::Instant;

pub struct Session {
    pub block: Box<dyn BlockDesign>,
    /// The block's clock port (from its contract).
    pub clock: String,
    pub design: RtlDesign,
    pub lib: VerilatedLibrary,
    pub opts: BuildOptions,
    pub build_seconds: f64,
    /// Holds the emitted RTL for the session's lifetime.
    pub workdir: tempfile::TempDir,
}

impl Session {
    /// Emits and Verilates the block of `config` (`family` chosen with
    /// `--block`, else the config's). `trace` compiles VCD support in (a
    /// separate cache entry).
    pub fn open(config: &Path, family: Option<&str>, trace: bool) -> Result<Self> {
        let block = blocks::load(config, family)?;
        let clock = blocks::clock(block.as_ref())?;
        let verilator = find(Tool::Verilator)?;
        let workdir = tempfile::Builder::new()
            .prefix("memforge-cosim-")
            .tempdir()
            .context("creating a temporary directory")?;
        let design = write_rtl(block.as_ref(), &workdir.path().join("design"))?;
        let mut opts = BuildOptions::new(verilator.path, cache_root());
        opts.opt = OptLevel::Fast;
        opts.trace = trace;
        let start = Instant::now();
        let lib = VerilatedLibrary::build(&design, &opts)
            .with_context(|| format!("Verilating `{}`", design.top))?;
        Ok(Self {
            block,
            clock,
            design,
            lib,
            opts,
            build_seconds: start.elapsed().as_secs_f64(),
            workdir,
        })
    }
}
