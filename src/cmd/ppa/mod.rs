//! `memforge ppa CONFIG`: power, performance and area of a tile on its demo
//! workload, and the energy per synaptic operation with its breakdown.
//!
//! - area and fmax: Yosys + OpenSTA, as `memforge synth`;
//! - digital power: OpenSTA `report_power` at the liberty's corner (sky130
//!   tt), with every input port's switching activity measured in a lock-step
//!   co-simulation of the block's own stimulus (the workload `memforge
//!   cosim` runs) and set with `set_power_activity -input_ports`;
//! - analog: the crossbar's row reads through the circuit solver (V x I x
//!   t) and NeuroSim's 130 nm SAR ADC fit per conversion;
//! - pJ/SOP: all of it over the synaptic operations of the run, shown next
//!   to published chips with the technology caveat.

mod activity;
mod energy;

use crate::blocks::{self, tile::TileDesign};
use crate::cosim::run::run_block_wrapped;
use crate::cosim::session::Session;
use crate::flows::design_dir::DesignDir;
use crate::flows::yosys::Strategy;
use crate::flows::{asic, liberty, power};
use crate::outcome::{Report, UsageError};
use activity::{Toggles, Toggling};
use anyhow::{Context, Result};
use memforge_hdl::emit::write_design;
use memforge_sim::cosim::CosimOptions;
use serde_json::json;
use std::cell::RefCell;
use std::fmt::Write;
use std::path::PathBuf;
use std::rc::Rc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Tile design config (TOML), e.g. examples/tile-8x8.toml.
    pub config: PathBuf,
    /// Cycles of the workload that measures the activity.
    #[arg(long, default_value_t = 20_000)]
    pub cycles: u64,
    /// Workload seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Liberty file (default: as `memforge synth` finds it).
    #[arg(long)]
    pub liberty: Option<PathBuf>,
    /// Keep the generated design and the tool runs here (default: a
    /// temporary folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Scale every measured input activity by this factor (what-if: a
    /// busier or quieter workload than the demo's).
    #[arg(long, default_value_t = 1.0)]
    pub activity_scale: f64,
}

pub fn run(args: &Args, json: bool) -> Result<Report> {
    if args.cycles == 0 || !(args.activity_scale.is_finite() && args.activity_scale >= 0.0) {
        return Err(UsageError(
            "--cycles must be at least 1 and --activity-scale a finite number >= 0".into(),
        )
        .into());
    }
    let family = blocks::family_of(&args.config, None)?.name();
    if family != "tile" {
        return Err(UsageError(format!(
            "ppa measures energy per synaptic operation, which needs a crossbar tile; {} is a `{family}`",
            args.config.display(),
        ))
        .into());
    }
    let cfg = memforge_spec::load::load_file(&args.config)?;
    let lib = liberty::locate(args.liberty.as_deref(), None)?.ok_or_else(|| {
        UsageError("no sky130 liberty found: pass --liberty FILE or set PDK_ROOT".into())
    })?;

    // The design, generated and synthesized.
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| tmp.path().join("design"));
    let (_, files) = blocks::generate_files(&TileDesign(cfg.clone()))?;
    write_design(&out, &files).with_context(|| format!("writing {}", out.display()))?;
    let design = DesignDir::open(&out)?;
    let qor = crate::progress::busy("synthesizing", json, || {
        asic::run(&design, Some(&lib), Strategy::Area)
    })?;
    let timing = qor.timing.clone().context("no timing from OpenSTA")?;

    // The workload's input activity, from a lock-step run.
    let (toggles, coverage, layout) =
        crate::progress::busy("co-simulating the workload", json, || {
            measure_activity(args)
        })?;
    let acts: Vec<power::Activity> = toggles
        .activities(&layout)
        .into_iter()
        .map(|a| power::Activity {
            port: a.port,
            activity: a.activity * args.activity_scale,
            duty: a.duty,
        })
        .collect();
    let work = design.build_dir("power")?;
    let pw = power::analyze(
        &lib.path,
        &qor.synthesis.netlist,
        &design.name,
        &design.sdc()?,
        &acts,
        &work,
    )?;

    // Energy per synaptic operation.
    let read = energy::crossbar_read(&cfg)?;
    let answers = coverage
        .get("adc_answers")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    let lanes = u64::from(cfg.tile.cols.div_ceil(cfg.tile.adc_share));
    let r_col = cfg.analog.read_voltage.abs() / read.mean_column_current_a.max(1e-15);
    let b = energy::breakdown(&energy::Run {
        digital_w: pw.total.total_w,
        cycles: toggles.cycles(),
        period_s: timing.period_ns * 1e-9,
        conversions: answers * lanes,
        cols: u64::from(cfg.tile.cols),
        read: &read,
        adc_bits: cfg.tile.adc_bits,
        r_col,
    });
    let record = json!({
        "ok": true,
        "design": design.name,
        "liberty": lib.path,
        "area_um2": qor.synthesis.area_um2,
        "area_per_column_um2": qor.synthesis.area_um2.map(|a| a / f64::from(cfg.tile.cols)),
        "fmax_mhz": timing.fmax_mhz,
        "period_ns": timing.period_ns,
        "cycles": toggles.cycles(),
        "activity_scale": args.activity_scale,
        "power_w": pw,
        "crossbar": read,
        "adc_r_col_ohm": r_col,
        "energy": b,
        "energy_pj_per_sop": b.total_pj_per_sop,
        "references_pj_per_sop": energy::REFERENCES.iter().map(|(n, v, t)| json!({"chip": n, "pj_per_sop": v, "technology": t})).collect::<Vec<_>>(),
        "input_activity": toggles.activities(&layout),
        "coverage": coverage,
    });
    Ok(Report {
        human: human(&design.name, &qor, &timing, &pw, &b, args),
        json: record,
    })
}

type Measured = (
    Toggles,
    serde_json::Map<String, serde_json::Value>,
    memforge_sim::cycle::PortLayout,
);

fn measure_activity(args: &Args) -> Result<Measured> {
    let session = Session::open(&args.config, None, false)?;
    let layout = blocks::layout(session.block.as_ref());
    let toggles = Rc::new(RefCell::new(Toggles::default()));
    let opts = CosimOptions {
        clock: session.clock.clone(),
        cycles: args.cycles,
        seed: args.seed,
        vcd: None,
    };
    let run = run_block_wrapped(session.block.as_ref(), &session.lib, &opts, &|s| {
        Box::new(Toggling::new(s, &layout, Rc::clone(&toggles)))
    })?;
    if let Some(m) = &run.report.mismatch {
        anyhow::bail!(
            "the workload's co-simulation mismatched, so its activity is not the RTL's: {m}"
        );
    }
    let t = toggles.borrow().clone();
    Ok((t, run.coverage, layout))
}

fn human(
    name: &str,
    qor: &asic::AsicQor,
    timing: &crate::flows::sta::Timing,
    pw: &power::Power,
    b: &energy::Breakdown,
    args: &Args,
) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "{name}: PPA on the co-simulated workload ({} cycles, seed {}{})",
        args.cycles,
        args.seed,
        if args.activity_scale == 1.0 {
            String::new()
        } else {
            format!(", activity x{}", args.activity_scale)
        }
    );
    if let Some(a) = qor.synthesis.area_um2 {
        let _ = writeln!(h, "  area           {a:.1} um^2 (synthesis, sky130 HD)");
    }
    if let Some(f) = timing.fmax_mhz {
        let _ = writeln!(h, "  fmax           {f:.1} MHz");
    }
    let _ = writeln!(h, "  power          {:.3} mW at {:.1} ns (internal {:.3}, switching {:.3}, leakage {:.6} mW; sequential {:.3} mW)",
        pw.total.total_w * 1e3, timing.period_ns, pw.total.internal_w * 1e3, pw.total.switching_w * 1e3, pw.total.leakage_w * 1e3, pw.sequential.total_w * 1e3);
    let _ = writeln!(
        h,
        "  operations     {} synaptic operations ({} row reads)",
        b.synaptic_ops, b.row_reads
    );
    let _ = writeln!(
        h,
        "  energy/SOP     {:.2} pJ = digital {:.2} + crossbar {:.4} + ADC {:.3}",
        b.total_pj_per_sop, b.digital_pj_per_sop, b.crossbar_pj_per_sop, b.adc_pj_per_sop
    );
    let _ = writeln!(
        h,
        "  published      {} pJ/SOP",
        energy::REFERENCES
            .iter()
            .map(|(n, v, t)| format!("{n} {v} ({t})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(h, "  caveat         sky130 (130 nm) synthesis-level estimate: no clock tree, wires or pads; the others are measured silicon in 28 nm and 14 nm");
    h
}
