//! `memforge synth DIR`: Yosys synthesis to sky130 cells and OpenSTA timing
//! of a generated design, reported as a table or JSON.

use crate::flows::asic::{self, AsicQor};
use crate::flows::design_dir::DesignDir;
use crate::flows::liberty;
use crate::flows::yosys::Strategy;
use crate::outcome::Report;
use anyhow::Result;
use serde_json::json;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design directory written by `memforge generate`.
    pub dir: PathBuf,
    /// Liberty file to map to (default: sky130 HD tt from the PDK root).
    #[arg(long, conflicts_with = "pdk_root")]
    pub liberty: Option<PathBuf>,
    /// PDK root holding sky130A (default: $PDK_ROOT).
    #[arg(long)]
    pub pdk_root: Option<PathBuf>,
    /// ABC strategy (OpenLane's AREA 0 or DELAY 0, both timing-driven).
    #[arg(long, value_enum, default_value_t = Strategy::Area)]
    pub strategy: Strategy,
    /// Also report the area by module, from a second synthesis that keeps
    /// the module hierarchy (about three times the run time in all).
    #[arg(long)]
    pub by_module: bool,
}

pub fn run(args: &Args, json: bool) -> Result<Report> {
    let design = DesignDir::open(&args.dir)?;
    let lib = liberty::locate(args.liberty.as_deref(), args.pdk_root.as_deref())?;
    let qor = crate::progress::busy("synthesizing (Yosys, OpenSTA)", json, || {
        asic::run(&design, lib.as_ref(), args.strategy, args.by_module)
    })?;
    Ok(Report {
        human: human(&qor),
        json: to_json(&qor),
    })
}

const GENERIC_NOTE: &str = "no sky130 liberty found (pass --liberty FILE or --pdk-root DIR, or set PDK_ROOT): mapped to Yosys generic gates, so there is no area and no timing";

/// The machine-readable record (also what `bench qor` tabulates).
pub fn to_json(q: &AsicQor) -> serde_json::Value {
    let t = q.timing.as_ref();
    json!({
        "ok": true,
        "design": q.design,
        "liberty": q.liberty,
        "area_um2": q.synthesis.area_um2,
        "cells": q.synthesis.cells,
        "cell_count": q.synthesis.cell_count,
        "flops": q.synthesis.flops,
        "period_ns": t.map(|t| t.period_ns),
        "wns_ns": t.map(|t| t.wns_ns),
        "worst_slack_ns": t.map(|t| t.worst_slack_ns),
        "fmax_mhz": t.and_then(|t| t.fmax_mhz),
        "reset_recovery_slack_ns": t.and_then(|t| t.reset_recovery_slack_ns),
        "sta_warnings": t.map(|t| t.warnings.clone()).unwrap_or_default(),
        "dont_use_removed": q.dont_use_removed,
        "strategy": q.strategy,
        "area_by_module": q.synthesis.breakdown,
        "note": if q.liberty.is_none() { Some(GENERIC_NOTE) } else { None },
        "netlist": q.synthesis.netlist,
        "log": q.synthesis.log,
    })
}

fn human(q: &AsicQor) -> String {
    let s = &q.synthesis;
    let mut h = String::new();
    let _ = writeln!(h, "{}: synthesized with Yosys", q.design);
    match &q.liberty {
        Some(lib) => {
            let _ = writeln!(
                h,
                "  liberty      {lib} ({} dont_use cells left out)",
                q.dont_use_removed
            );
            let _ = writeln!(
                h,
                "  mapping      ABC, OpenLane-style {} strategy, timing-driven at the clock period",
                match q.strategy {
                    Strategy::Area => "AREA 0",
                    Strategy::Delay => "DELAY 0",
                }
            );
        }
        None => {
            let _ = writeln!(h, "  note         {GENERIC_NOTE}");
        }
    }
    if let Some(a) = s.area_um2 {
        let _ = writeln!(h, "  area         {a:.1} um^2");
    }
    let _ = writeln!(h, "  cells        {}", s.cell_count);
    let _ = writeln!(h, "  flip-flops   {}", s.flops);
    if let Some(t) = &q.timing {
        let _ = writeln!(
            h,
            "  worst slack  {:.3} ns setup at a {:.3} ns clock (WNS {:.3} ns)",
            t.worst_slack_ns, t.period_ns, t.wns_ns
        );
        match t.fmax_mhz {
            Some(f) => {
                let _ = writeln!(
                    h,
                    "  fmax         {f:.1} MHz (register to register, OpenSTA)"
                );
            }
            None => {
                let _ = writeln!(h, "  fmax         n/a (no register-to-register path)");
            }
        }
        if let Some(r) = t.reset_recovery_slack_ns {
            let _ = writeln!(
                h,
                "  reset        {r:.3} ns recovery slack (async reset net, unbuffered until place and route)"
            );
        }
        for w in &t.warnings {
            let _ = writeln!(h, "  sta warning  {w}");
        }
    }
    if let Some(b) = &s.breakdown {
        let _ = writeln!(
            h,
            "area by module (hierarchical synthesis, {:.1} um^2 in all; own cells x instances):",
            b.total_um2
        );
        for m in &b.modules {
            let _ = writeln!(
                h,
                "  {:<32} {:>4} x {:>9.1} = {:>9.1} um^2 ({:>4.1} %; {:.1} with submodules)",
                m.module,
                m.instances,
                m.own_um2,
                m.total_um2,
                100.0 * m.total_um2 / b.total_um2,
                m.with_submodules_um2
            );
        }
    }
    let _ = writeln!(h, "cells by type:");
    for (cell, n) in &s.cells {
        let _ = writeln!(h, "  {cell:<40} {n:>6}");
    }
    let _ = writeln!(
        h,
        "netlist and logs: {}",
        s.netlist.parent().unwrap_or(&s.netlist).display()
    );
    h
}
