//! `memforge fpga DIR`: the design on an iCE40-HX8K (Yosys `synth_ice40`,
//! nextpnr-ice40, icepack): LUTs, flip-flops and fmax.

use crate::flows::design_dir::DesignDir;
use crate::flows::ice40::{self, FpgaResult};
use crate::outcome::Report;
use anyhow::Result;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design directory written by `memforge generate`.
    pub dir: PathBuf,
}

pub fn run(args: &Args, json: bool) -> Result<Report> {
    let design = DesignDir::open(&args.dir)?;
    // Aim at the design's own clock; a corrupt manifest is bad input, as in
    // `synth` and `flow`.
    let (block, _) = design.manifest()?;
    let target = Some(1000.0 / block.flow().clock_period_ns);
    let work = design.build_dir("fpga")?;
    let r = crate::progress::busy("place and route (Yosys, nextpnr-ice40)", json, || {
        ice40::implement(&design, target, &work)
    })?;
    Ok(Report {
        human: human(&design.name, &r),
        json: to_json(&design.name, &r),
    })
}

/// The machine-readable record (also what `bench qor` tabulates).
pub fn to_json(design: &str, r: &FpgaResult) -> serde_json::Value {
    json!({
        "ok": true,
        "design": design,
        "device": r.device,
        "luts": r.luts,
        "flops": r.flops,
        "logic_cells": r.logic_cells,
        "logic_cells_available": r.logic_cells_available,
        "fmax_mhz": r.fmax_mhz,
        "pcf": r.pcf,
        "wrapper": r.wrapper,
        "wrapper_flops": r.wrapper_flops,
        "bitstream": r.bitstream,
        "logs": r.logs,
    })
}

fn human(design: &str, r: &FpgaResult) -> String {
    let pins = match &r.pcf {
        Some(p) => format!("pins from {}", p.display()),
        None => "I/O placed by nextpnr (the design has more I/O than the package)".into(),
    };
    let pins = match &r.wrapper {
        Some(w) => format!(
            "{pins}\n  wrapper      {} (macro interface off the pins; adds {} flip-flops)",
            w.display(),
            r.wrapper_flops
        ),
        None => pins,
    };
    let fmax = r.fmax_mhz.map_or("n/a".into(), |f| format!("{f:.1} MHz"));
    format!(
        "{design} on {}:\n  LUTs         {}\n  flip-flops   {}\n  logic cells  {} of {}\n  fmax         {fmax} (nextpnr, after routing)\n  {pins}\n  bitstream    {}\n",
        r.device,
        r.luts,
        r.flops,
        r.logic_cells,
        r.logic_cells_available,
        r.bitstream.display()
    )
}
