//! `memforge learn CONFIG`: the STDP demo of issue #13 (a repeated input
//! pattern hidden in Poisson noise, `memforge_sim::learning::pattern`) on
//! the golden model of a tile with `[learning] rule = "stdp"`; with `--rtl`
//! also on the Verilated RTL, whose learning curve must equal the model's
//! bit for bit. Prints the learning curve and writes it, with the
//! conductance histogram before/after, as SVG files into `--out`.

mod plot;

use crate::cosim::session::Session;
use crate::outcome::{CheckFailed, Report, UsageError};
use anyhow::{Context, Result};
use memforge_sim::cosim::{bind, Dut, VerilatedDut};
use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::{run_pattern_task, PatternCurve, PatternTask};
use memforge_sim::tile::TileModel;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design config (TOML) with `[learning] rule = "stdp"`, e.g.
    /// examples/stdp-8x8.toml.
    pub config: PathBuf,
    /// Directory for learning_curve.svg and conductance_histogram.svg.
    #[arg(long, default_value = "learn-out")]
    pub out: PathBuf,
    /// Training windows (400 cycles each).
    #[arg(long, default_value_t = 600)]
    pub windows: usize,
    /// Seed of the task (noise, pattern times, initial levels).
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    /// Also run the Verilated RTL and compare its learning curve with the
    /// golden model's, bit for bit.
    #[arg(long)]
    pub rtl: bool,
    /// Print machine-readable JSON on stdout instead of a human summary.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> Result<Report> {
    let cfg = memforge_spec::load_file(&args.config)?;
    if !cfg.learning.active() {
        return Err(UsageError(format!(
            "{}: `[learning] rule` is \"none\"; the demo needs a learning rule (e.g. examples/stdp-8x8.toml)",
            args.config.display()
        ))
        .into());
    }
    if args.windows == 0 {
        return Err(UsageError("--windows must be at least 1".into()).into());
    }
    let task = PatternTask {
        seed: args.seed,
        windows: args.windows,
        epoch: (args.windows / 12).max(1),
        ..PatternTask::default_for(cfg.tile.rows)
    };
    let mut model = TileModel::new(&cfg);
    let layout = model.layout().clone();
    let golden = run_pattern_task(&cfg, &layout, &task, |v, out| {
        model.tick(v);
        model.outputs(out);
    })
    .map_err(anyhow::Error::msg)?;

    let rtl_equal = if args.rtl {
        let session = Session::open(&args.config, Some("tile"), false)?;
        let binding = bind(&layout, session.lib.ports(), &session.clock)?;
        let mut dut = VerilatedDut {
            rtl: session.lib.instantiate(false)?,
            binding,
        };
        let mut err = None;
        let rtl = run_pattern_task(&cfg, &layout, &task, |v, out| {
            if let Err(e) = dut.cycle(v, out) {
                err.get_or_insert(e);
            }
        })
        .map_err(anyhow::Error::msg)?;
        if let Some(e) = err {
            return Err(e.into());
        }
        Some(rtl == golden)
    } else {
        None
    };

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let curve_svg = args.out.join("learning_curve.svg");
    let hist_svg = args.out.join("conductance_histogram.svg");
    plot::curve(&golden, &curve_svg)?;
    plot::histogram(&golden, &cfg, &task, &hist_svg)?;

    let human = summary(&golden, &task, rtl_equal, &[&curve_svg, &hist_svg]);
    if rtl_equal == Some(false) {
        return Err(CheckFailed {
            summary: human,
            details: serde_json::Value::Null,
        }
        .into());
    }
    let json = serde_json::json!({
        "config": args.config,
        "windows": task.windows,
        "window_cycles": task.window,
        "cycles": golden.cycles,
        "pattern_rows": task.pattern,
        "sets": golden.sets,
        "resets": golden.resets,
        "rtl_curve_equal": rtl_equal,
        "curve": golden.points.iter().map(|p| serde_json::json!({
            "window": p.window,
            "pattern_mean": p.pattern_mean(),
            "noise_mean": p.noise_mean(),
            "hit_rate": p.hit_rate(),
            "false_alarm_rate": p.false_alarm_rate(),
        })).collect::<Vec<_>>(),
        "plots": [curve_svg, hist_svg],
    });
    Ok(Report { human, json })
}

fn summary(
    c: &PatternCurve,
    task: &PatternTask,
    rtl: Option<bool>,
    plots: &[&std::path::Path],
) -> String {
    let mut s = format!(
        "STDP pattern-in-noise demo: {} windows x {} cycles, pattern rows {:?}, {} SET / {} RESET pulses\n",
        task.windows, task.window, task.pattern, c.sets, c.resets
    );
    s.push_str("  window  pattern G  noise G  hits  false alarms  (G: mean cell level, ADC codes; column 0's response)\n");
    for p in &c.points {
        let _ = writeln!(
            s,
            "  {:6}  {:9.2}  {:7.2}  {:4.2}  {:12.2}",
            p.window,
            p.pattern_mean(),
            p.noise_mean(),
            p.hit_rate(),
            p.false_alarm_rate()
        );
    }
    if let (Some(first), Some(last)) = (c.points.get(1), c.points.last()) {
        let _ = writeln!(
            s,
            "  selectivity (hits - false alarms): first epoch {:.2}, last epoch {:.2}",
            first.hit_rate() - first.false_alarm_rate(),
            last.hit_rate() - last.false_alarm_rate()
        );
    }
    match rtl {
        Some(true) => s.push_str(
            "  RTL (Verilated) learning curve: equal to the golden model's, bit for bit\n",
        ),
        Some(false) => {
            s.push_str("  RTL (Verilated) learning curve: DIFFERS from the golden model's\n")
        }
        None => {}
    }
    for p in plots {
        let _ = writeln!(s, "  wrote {}", p.display());
    }
    s
}
