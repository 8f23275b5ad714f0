//! `memforge analog CONFIG [--compare-spice] [--transient]`: reads the
//! design's crossbar with the Rust circuit solver and, on request, checks it
//! against ngspice on a deck written from the same netlist.

pub mod check;
pub mod pattern;

use crate::outcome::{CheckFailed, Report};
use check::{dc_check_pattern, transient_check, DcCheck, TranCheck, TRANSIENT_TOLERANCE};
use memforge_sim::analog::SolvedBy;
use pattern::ReadPattern;
use serde_json::{json, Value};
use std::fmt::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design config (TOML); `[tile]` gives the size, `[analog]` the models.
    pub config: PathBuf,
    /// Solve the same crossbar in ngspice and compare column currents.
    #[arg(long)]
    pub compare_spice: bool,
    /// Also compare a VTEAM pulse-train transient with ngspice
    /// (needs `analog.device = "vteam"`).
    #[arg(long)]
    pub transient: bool,
    /// Seconds ngspice may run before it is stopped.
    #[arg(long, default_value_t = 600)]
    pub spice_timeout: u64,
    /// Trained weights to program into the crossbar instead of the seeded
    /// random levels: a 2-D `.npy` or `.safetensors` array (rows x columns,
    /// at most the tile's size), mapped linearly onto `analog.levels`.
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// The tensor to use from a `.safetensors` file holding several.
    #[arg(long, value_name = "NAME", requires = "weights")]
    pub tensor: Option<String>,
    /// Which rows are driven: `all` (every row at `analog.read_voltage`),
    /// `row:N` (the tile's READ: row N alone, the others unselected as
    /// `analog.unselected_rows` says), `vector:V0,V1,...` or `vector:FILE`
    /// (row voltages, all at once; 0 V = unselected), `pwm:C0,C1,...` or
    /// `pwm:FILE` (codes of `tile.input_bits`, read one row at a time and
    /// shift-added, as the tile's sequencer does). With `--compare-spice`
    /// every solve is also run in ngspice.
    #[arg(long, value_name = "PATTERN", default_value = "all")]
    pub read: ReadPattern,
}

pub fn run(args: &Args) -> anyhow::Result<Report> {
    let design = memforge_spec::load_file(&args.config)?;
    crate::blocks::seed_tile::require_lif(&design, "memforge analog")?;
    if args.transient && design.analog.device != memforge_spec::analog::DeviceKind::Vteam {
        // Refused before any work, as bad input.
        return Err(crate::outcome::UsageError(format!(
            "--transient needs analog.device = \"vteam\" (this design has \"{}\"); see examples/analog-vteam-4x4.toml",
            spelling(&design.analog.device)
        ))
        .into());
    }
    // Any number of seconds is accepted; one too large for the clock means
    // no limit (the runner saturates the deadline).
    let timeout = Duration::from_secs(args.spice_timeout);
    let levels = match &args.weights {
        Some(path) => {
            let m = memforge_sim::weights::load_weights(path, args.tensor.as_deref())?;
            m.check_fits(design.tile.rows as usize, design.tile.cols as usize)?;
            let top = design.analog.levels.clamp(2, u32::from(u16::MAX) + 1) - 1;
            Some(m.to_levels(top as u16))
        }
        None => None,
    };
    let plan = args.read.plan(&design)?;
    let dc = dc_check_pattern(
        &design,
        args.compare_spice.then_some(timeout),
        levels.as_ref(),
        &plan.solves,
    )?;
    let tran = if args.transient {
        Some(transient_check(&design, timeout)?)
    } else {
        None
    };

    let a = &design.analog;
    let mut human = String::new();
    let _ = writeln!(
        human,
        "analog: {}x{} {} crossbar, {}, {} read path, {} ({} unknowns)",
        dc.rows,
        dc.cols,
        spelling(&a.device),
        spelling(&a.access),
        spelling(&a.read_path),
        plan.words,
        dc.unknowns
    );
    if let (Some(path), Some(l)) = (&args.weights, &levels) {
        let _ = writeln!(
            human,
            "  weights: {} ({}x{}) mapped onto levels 0..={}, {} negative weights clipped",
            path.display(),
            l.rows,
            l.cols,
            a.levels.saturating_sub(1),
            l.clipped_negative
        );
    }
    let (mut json, failures) = describe(&dc, tran.as_ref(), &mut human);
    json["weights"] = json!(args.weights);
    json["read"] = plan.json;
    if failures.is_empty() {
        Ok(Report { human, json })
    } else {
        eprint!("{human}");
        Err(CheckFailed {
            summary: failures.join("; "),
            details: json,
        }
        .into())
    }
}

/// A config enum as the user spells it in TOML.
pub(crate) fn spelling<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn stats(xs: &[f64]) -> (f64, f64, f64) {
    let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min, max, xs.iter().sum())
}

/// Human lines, the JSON record and the list of failed checks.
fn describe(dc: &DcCheck, tran: Option<&TranCheck>, human: &mut String) -> (Value, Vec<String>) {
    let r = &dc.read;
    let (min, max, sum) = stats(&r.column_currents);
    let deviation =
        memforge_sim::analog::spice::agreement(&r.column_currents, &r.ideal_currents, 1e-15);
    let max_ir = r.ir_drop.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let _ = writeln!(
        human,
        "  column currents: min {:.4} µA, max {:.4} µA, sum {:.4} µA",
        min * 1e6,
        max * 1e6,
        sum * 1e6
    );
    let _ = writeln!(
        human,
        "  vs the ideal product: up to {:.3} % lower; largest IR drop {:.3} mV",
        deviation.max_rel_error * 100.0,
        max_ir * 1e3
    );
    let solver = match dc.solved_by {
        SolvedBy::Pcg => format!("line-preconditioned CG, {} iterations", dc.pcg_iterations),
        SolvedBy::Cholesky if dc.pcg_iterations > 0 => format!(
            "sparse Cholesky after CG gave up at {} iterations",
            dc.pcg_iterations
        ),
        other => other.name().replace("cholesky", "sparse Cholesky"),
    };
    let _ = writeln!(
        human,
        "  memforge ({solver}): {:.3} ms cold (netlist, set-up, solve), {:.3} ms warm read{}",
        dc.memforge_seconds * 1e3,
        dc.memforge_warm_seconds * 1e3,
        if r.iterations > 0 {
            format!(", {} Newton iterations", r.iterations)
        } else {
            String::new()
        }
    );
    let mut json = json!({
        "ok": true,
        "rows": dc.rows,
        "cols": dc.cols,
        "unknowns": dc.unknowns,
        "nonlinear": dc.nonlinear,
        "newton_iterations": r.iterations,
        "linear_solver": dc.solved_by.name(),
        "pcg_iterations": dc.pcg_iterations,
        "column_currents": r.column_currents,
        "ideal_currents": r.ideal_currents,
        "max_ir_drop": max_ir,
        "memforge_seconds": dc.memforge_seconds,
        "memforge_warm_seconds": dc.memforge_warm_seconds,
    });
    let mut failures = Vec::new();
    if let Some(s) = &dc.spice {
        let ag = &s.agreement;
        let speedup = s.run.wall_seconds / dc.memforge_seconds.max(1e-9);
        let pass = ag.max_rel_error <= dc.tolerance();
        let _ = writeln!(
            human,
            "  ngspice ({}): {:.3} ms wall ({} analysis); max abs error {:.3e} A, max rel error {:.3e} (tolerance {:.0e}): {}",
            s.run.version,
            s.run.wall_seconds * 1e3,
            s.run.analysis_seconds.map_or("?".into(), |a| format!("{:.3} ms", a * 1e3)),
            ag.max_abs_error,
            ag.max_rel_error,
            dc.tolerance(),
            if pass { "PASS" } else { "FAIL" }
        );
        let _ = writeln!(
            human,
            "  speedup (ngspice wall / memforge cold): {speedup:.0}x"
        );
        if !pass {
            failures.push(format!(
                "column {} differs from ngspice by {:.3e} (relative), above {:.0e}",
                ag.worst,
                ag.max_rel_error,
                dc.tolerance()
            ));
        }
        json["spice_currents"] = json!(s.currents);
        json["max_abs_error"] = json!(ag.max_abs_error);
        json["max_rel_error"] = json!(ag.max_rel_error);
        json["tolerance"] = json!(dc.tolerance());
        json["ngspice_seconds"] = json!(s.run.wall_seconds);
        json["ngspice_analysis_seconds"] = json!(s.run.analysis_seconds);
        json["ngspice_peak_rss_kib"] = json!(s.run.peak_rss_kib);
        json["ngspice_version"] = json!(s.run.version);
        json["speedup"] = json!(speedup);
    }
    if let Some(t) = tran {
        let pass = t.state.max_rel_error <= TRANSIENT_TOLERANCE
            && t.current.max_rel_error <= TRANSIENT_TOLERANCE;
        let _ = writeln!(
            human,
            "  transient ({} samples): state rel error {:.3e}, current rel error {:.3e} (tolerance {:.0e}): {}; memforge {:.1} ms, ngspice {:.1} ms",
            t.samples,
            t.state.max_rel_error,
            t.current.max_rel_error,
            TRANSIENT_TOLERANCE,
            if pass { "PASS" } else { "FAIL" },
            t.memforge_seconds * 1e3,
            t.run.wall_seconds * 1e3
        );
        if !pass {
            failures.push("VTEAM transient differs from ngspice by more than 1 %".into());
        }
        json["transient"] = json!({
            "samples": t.samples,
            "state": t.state,
            "current": t.current,
            "tolerance": TRANSIENT_TOLERANCE,
            "memforge_seconds": t.memforge_seconds,
            "ngspice_seconds": t.run.wall_seconds,
        });
    }
    json["ok"] = json!(failures.is_empty());
    (json, failures)
}
