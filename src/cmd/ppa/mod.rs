//! `memforge ppa CONFIG`: power, performance and area of a tile on its demo
//! workload, and the energy per synaptic operation with its breakdown.
//!
//! - area and fmax: Yosys + OpenSTA, as `memforge synth`;
//! - digital power: OpenSTA `report_power` at the liberty's corner (sky130
//!   tt), with every input port's switching activity measured in a lock-step
//!   co-simulation and set with `set_power_activity -input_ports`. The
//!   workload is the demo's (`memforge demo`: program the example weights
//!   with write-verify, configure, stream input spikes), measured per phase:
//!   inference (the stream) gives pJ/SOP and the energy per inference,
//!   programming its own power and energy; or the block's verification
//!   traffic (`--workload traffic`, what `memforge cosim` runs);
//! - analog: the crossbar's row reads through the circuit solver (V x I x
//!   t) and NeuroSim's 130 nm SAR ADC fit per conversion;
//! - pJ/SOP: all of it over the synaptic operations of the run, shown next
//!   to published chips with the technology caveat.

mod activity;
mod energy;
pub mod workload;

use crate::blocks::{self, tile::TileDesign};
use crate::flows::design_dir::DesignDir;
use crate::flows::yosys::Strategy;
use crate::flows::{asic, liberty, power};
use crate::outcome::{Report, UsageError};
use anyhow::{Context, Result};
use memforge_hdl::emit::write_design;
use serde_json::json;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Tile design config (TOML), e.g. examples/tile-8x8.toml.
    pub config: PathBuf,
    /// What the tile runs while its activity is measured.
    #[arg(long, value_enum, default_value_t = workload::Kind::Demo)]
    pub workload: workload::Kind,
    /// Cycles of `--workload traffic` (default 20000; the demo runs its
    /// script to the end).
    #[arg(long)]
    pub cycles: Option<u64>,
    /// Seed of `--workload traffic`.
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
    if !(args.activity_scale.is_finite() && args.activity_scale >= 0.0) {
        return Err(UsageError("--activity-scale must be a finite number >= 0".into()).into());
    }
    let cycles = match (args.workload, args.cycles) {
        (_, Some(0)) => return Err(UsageError("--cycles must be at least 1".into()).into()),
        (workload::Kind::Demo, Some(_)) => return Err(UsageError(
            "--cycles applies to --workload traffic; the demo workload runs its script to the end"
                .into(),
        )
        .into()),
        (_, c) => c.unwrap_or(workload::TRAFFIC_CYCLES),
    };
    let family = blocks::family_of(&args.config, None)?.name();
    if family != "tile" {
        return Err(UsageError(format!(
            "ppa measures energy per synaptic operation, which needs a crossbar tile; {} is a `{family}`",
            args.config.display(),
        ))
        .into());
    }
    let cfg = memforge_spec::load::load_file(&args.config)?;
    crate::blocks::seed_tile::require_lif(&cfg, "memforge ppa")?;
    let lib = liberty::locate(args.liberty.as_deref(), None)?.ok_or_else(|| {
        UsageError("no sky130 liberty found: pass --liberty FILE or set PDK_ROOT".into())
    })?;

    // The design, generated and synthesized.
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| tmp.path().join("design"));
    let (emitted, files) = blocks::generate_files(&TileDesign(cfg.clone()))?;
    write_design(&out, &files).with_context(|| format!("writing {}", out.display()))?;
    let design = DesignDir::open(&out)?;
    let qor = crate::progress::busy("synthesizing", json, || {
        asic::run(&design, Some(&lib), Strategy::Area, false)
    })?;
    let timing = qor.timing.clone().context("no timing from OpenSTA")?;

    // The workload's input activity, from a lock-step run.
    let m = crate::progress::busy("co-simulating the workload", json, || {
        workload::measure(
            args.workload,
            &args.config,
            &cfg,
            (&emitted, &out),
            (cycles, args.seed),
        )
    })?;
    let power_of = |counts: &activity::Counts, dir: &str| -> Result<power::Power> {
        let acts: Vec<power::Activity> = counts
            .activities(&m.layout)
            .into_iter()
            .map(|a| power::Activity {
                port: a.port,
                activity: a.activity * args.activity_scale,
                duty: a.duty,
            })
            .collect();
        let work = design.build_dir(dir)?;
        power::analyze(
            &lib.path,
            &qor.synthesis.netlist,
            &design.name,
            &design.sdc()?,
            &acts,
            &work,
        )
    };
    let pw = power_of(&m.window, "power")?;

    // Energy per synaptic operation.
    let period_s = timing.period_ns * 1e-9;
    let read = energy::crossbar_read(&cfg)?;
    let r_col = cfg.analog.read_voltage.abs() / read.mean_column_current_a.max(1e-15);
    let b = energy::breakdown(&energy::Run {
        digital_w: pw.total.total_w,
        cycles: m.window.cycles(),
        period_s,
        conversions: m.conversions,
        cols: u64::from(cfg.tile.cols),
        read: &read,
        adc_bits: cfg.tile.adc_bits,
        r_col,
    });
    let programming = match &m.programming {
        Some(p) => {
            let ppw = power_of(&p.window, "power_programming")?;
            Some(energy::programming(
                &cfg,
                ppw.total.total_w,
                p.window.cycles() as f64 * period_s,
                p.pulses,
                p.cells,
            ))
        }
        None => None,
    };
    let inference_j = (args.workload == workload::Kind::Demo).then_some(b.total_j);
    let record = json!({
        "ok": true,
        "design": design.name,
        "liberty": lib.path,
        "workload": format!("{:?}", args.workload).to_lowercase(),
        "area_um2": qor.synthesis.area_um2,
        "area_per_column_um2": qor.synthesis.area_um2.map(|a| a / f64::from(cfg.tile.cols)),
        "fmax_mhz": timing.fmax_mhz,
        "period_ns": timing.period_ns,
        "cycles": m.window.cycles(),
        "activity_scale": args.activity_scale,
        "power_w": pw,
        "crossbar": read,
        "adc_r_col_ohm": r_col,
        "energy": b,
        "energy_pj_per_sop": b.total_pj_per_sop,
        "energy_per_inference_j": inference_j,
        "programming": programming,
        "references_pj_per_sop": energy::REFERENCES.iter().map(|(n, v, t)| json!({"chip": n, "pj_per_sop": v, "technology": t})).collect::<Vec<_>>(),
        "input_activity": m.window.activities(&m.layout),
        "run": m.details,
    });
    let head = match args.workload {
        workload::Kind::Demo => format!(
            "{}: PPA on the demo workload (inference: {} cycles, {} input events, {} output spikes{})",
            design.name,
            m.window.cycles(),
            m.details["events_sent"],
            m.details["output_spikes"],
            scale_note(args.activity_scale)
        ),
        workload::Kind::Traffic => format!(
            "{}: PPA on the verification traffic ({cycles} cycles, seed {}{})",
            design.name,
            args.seed,
            scale_note(args.activity_scale)
        ),
    };
    Ok(Report {
        human: human(
            &head,
            &qor,
            &timing,
            &pw,
            &b,
            inference_j,
            programming.as_ref(),
        ),
        json: record,
    })
}

fn scale_note(scale: f64) -> String {
    if scale == 1.0 {
        String::new()
    } else {
        format!(", activity x{scale}")
    }
}

fn human(
    head: &str,
    qor: &asic::AsicQor,
    timing: &crate::flows::sta::Timing,
    pw: &power::Power,
    b: &energy::Breakdown,
    inference_j: Option<f64>,
    programming: Option<&energy::ProgrammingEnergy>,
) -> String {
    let mut h = String::new();
    let _ = writeln!(h, "{head}");
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
    if let Some(j) = inference_j {
        let _ = writeln!(
            h,
            "  inference      {:.3} nJ per inference (the demo's {}-step input stream, every part above)",
            j * 1e9,
            crate::cmd::demo::inference::STEPS
        );
    }
    if let Some(p) = programming {
        let _ = writeln!(
            h,
            "  programming    {:.3} nJ for {} cells ({:.1} pJ per cell): digital {:.3} nJ ({:.3} mW over {:.1} us), {} pulses x {:.2} pJ",
            p.total_j * 1e9,
            p.cells,
            p.per_cell_j * 1e12,
            p.digital_j * 1e9,
            p.digital_w * 1e3,
            p.seconds * 1e6,
            p.pulses,
            p.pulse_j * 1e12
        );
    }
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
