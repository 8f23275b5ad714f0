//! `memforge bench analog`: memforge's crossbar solver against ngspice on
//! the same deck, linear (ohmic cells, wire resistance everywhere) and
//! nonlinear (Stanford-PKU sinh cells), at growing sizes.
//!
//! What is timed, so the ratio is honest:
//! - memforge "cold": everything a new array's first read does in-process
//!   (solver set-up, the netlist when the element-wise solvers need one,
//!   the solve); "warm": a second read of the same array (set-up reused);
//! - ngspice: the wall-clock time of `ngspice -b -r out.raw deck.sp` (start-up
//!   and parsing included, which is what a user pays), plus its own "Total
//!   analysis time". The deck saves only the column currents, writes a
//!   binary raw file and runs one `.op`. Debian's ngspice 39 is built
//!   without KLU (`strings $(which ngspice) | grep -ci klu` prints 0), so it
//!   uses its built-in Sparse 1.3 solver.

use super::super::analog::check::{dc_check_array_solves, DcCheck};
use super::super::analog::pattern::{ReadPattern, Solve};
use crate::outcome::{Report, UsageError};
use anyhow::Result;
use memforge_sim::analog::SolvedBy;
use memforge_spec::analog::{AnalogSection, DeviceKind, LinearSolver};
use serde_json::{json, Value};
use std::fmt::Write;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Square crossbar sizes to measure.
    #[arg(long, value_delimiter = ',', default_value = "32,64,128,256,512")]
    pub sizes: Vec<usize>,
    /// Largest size also run in ngspice.
    #[arg(long, default_value_t = 128)]
    pub spice_max: usize,
    /// Seconds ngspice may take per deck before it is stopped.
    #[arg(long, default_value_t = 600)]
    pub spice_timeout: u64,
    /// Timed repetitions of the memforge solve (the fastest is reported).
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// The linear solver to measure (`analog.solver.linear`).
    #[arg(long, value_enum, default_value_t = Linear::Auto)]
    pub linear: Linear,
    /// Largest size also solved by the same CG in scipy (ohmic cells only;
    /// skipped when `python3` cannot import scipy).
    #[arg(long, default_value_t = 1024)]
    pub scipy_max: usize,
    /// The read: `all` (every row at the read voltage) or `row:N` (the
    /// tile's READ of row N, the others grounded; N below every size).
    #[arg(long, value_name = "PATTERN", default_value = "all")]
    pub read: ReadPattern,
}

/// `analog.solver.linear`, as a command-line value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Linear {
    Auto,
    Pcg,
    Cholesky,
}

impl From<Linear> for LinearSolver {
    fn from(l: Linear) -> Self {
        match l {
            Linear::Auto => LinearSolver::Auto,
            Linear::Pcg => LinearSolver::Pcg,
            Linear::Cholesky => LinearSolver::Cholesky,
        }
    }
}

fn config(kind: DeviceKind, linear: Linear) -> AnalogSection {
    let mut a = AnalogSection {
        device: kind,
        ..AnalogSection::default()
    };
    a.solver.linear = linear.into();
    a
}

/// The one solve of `--read` on an `n x n` array.
fn solve_of(read: &ReadPattern, a: &AnalogSection, n: usize) -> Solve {
    let mut volts = vec![0.0; n];
    match read {
        ReadPattern::Row(r) => volts[*r] = a.read_voltage,
        _ => volts.iter_mut().for_each(|v| *v = a.read_voltage),
    }
    Solve { volts, weight: 1.0 }
}

fn measure(a: &AnalogSection, n: usize, args: &Args) -> Result<(DcCheck, Option<u64>)> {
    let spice = (n <= args.spice_max).then(|| Duration::from_secs(args.spice_timeout));
    super::memory::reset_peak();
    let solves = [solve_of(&args.read, a, n)];
    let mut best = dc_check_array_solves(a, n, n, spice, &solves)?;
    // The table needs no per-cell results: free them before the repeats.
    for v in [
        &mut best.read.ir_drop,
        &mut best.read.row_node_volts,
        &mut best.read.col_node_volts,
    ] {
        *v = Vec::new();
    }
    for _ in 1..args.repeat {
        let again = dc_check_array_solves(a, n, n, None, &solves)?;
        best.memforge_seconds = best.memforge_seconds.min(again.memforge_seconds);
        best.memforge_warm_seconds = best.memforge_warm_seconds.min(again.memforge_warm_seconds);
    }
    Ok((best, super::memory::peak_rss_kib()))
}

/// The solver column: `pcg (N it)` or `cholesky`.
fn solver_label(by: SolvedBy, iterations: usize) -> String {
    match by {
        SolvedBy::Pcg => format!("pcg ({iterations} it)"),
        other => other.name().to_string(),
    }
}

pub fn run(args: &Args) -> Result<Report> {
    if args.sizes.is_empty() || args.sizes.iter().any(|n| *n == 0 || *n > 2048) {
        return Err(UsageError("--sizes must list sizes in 1..=2048".into()).into());
    }
    if args.repeat == 0 {
        // Zero timed runs would print the untimed first run's figures.
        return Err(UsageError("--repeat must be at least 1 (timed runs per size)".into()).into());
    }
    let mut sizes = args.sizes.clone();
    sizes.sort_unstable();
    sizes.dedup();
    match args.read {
        ReadPattern::All => {}
        ReadPattern::Row(r) if r < sizes[0] => {}
        ReadPattern::Row(r) => {
            return Err(UsageError(format!(
                "--read row:{r} must be below the smallest size ({})",
                sizes[0]
            ))
            .into())
        }
        _ => {
            return Err(UsageError(
                "bench analog --read takes all or row:N (vectors and codes depend on the size)"
                    .into(),
            )
            .into())
        }
    }
    let mut rows: Vec<Value> = Vec::new();
    let mut human = String::from(
        "| size | cells | unknowns | solver | memforge cold | memforge warm | solver memory | memforge peak RSS | scipy (same CG) | scipy peak RSS | vs scipy | ngspice wall | ngspice analysis | ngspice peak RSS | speedup | max rel error |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    let scipy = super::analog_scipy::available();
    for kind in [DeviceKind::Linear, DeviceKind::RramSinh] {
        let a = config(kind, args.linear);
        for &n in &sizes {
            let (dc, rss) = measure(&a, n, args)?;
            let sp = match (&scipy, kind, n <= args.scipy_max) {
                (Some(_), DeviceKind::Linear, true) => Some(super::analog_scipy::run(
                    &a,
                    n,
                    &solve_of(&args.read, &a, n),
                    Duration::from_secs(args.spice_timeout),
                )?),
                _ => None,
            };
            let vs_scipy = sp
                .as_ref()
                .map(|s| s.seconds / dc.memforge_seconds.max(1e-9));
            let label = if kind == DeviceKind::Linear {
                "linear"
            } else {
                "sinh"
            };
            let spice = dc.spice.as_ref();
            let speedup = spice.map(|s| s.run.wall_seconds / dc.memforge_seconds.max(1e-9));
            let _ = writeln!(
                human,
                "| {n}x{n} | {label} | {} | {} | {:.3} ms | {:.3} ms | {:.1} MiB | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                dc.unknowns,
                solver_label(dc.solved_by, dc.pcg_iterations),
                dc.memforge_seconds * 1e3,
                dc.memforge_warm_seconds * 1e3,
                dc.factor_nnz as f64 * 8.0 / 1048576.0,
                rss.map_or("?".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0)),
                sp.as_ref().map_or("-".into(), |s| format!(
                    "{:.3} ms ({} it{})",
                    s.seconds * 1e3,
                    s.iterations,
                    if s.converged { "" } else { ", not converged" }
                )),
                sp.as_ref()
                    .and_then(|s| s.peak_rss_kib)
                    .map_or("-".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0)),
                vs_scipy.map_or("-".into(), |x| format!("{x:.1}x")),
                spice.map_or("-".into(), |s| format!("{:.3} s", s.run.wall_seconds)),
                spice
                    .and_then(|s| s.run.analysis_seconds)
                    .map_or("-".into(), |t| format!("{t:.3} s")),
                spice
                    .and_then(|s| s.run.peak_rss_kib)
                    .map_or("-".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0)),
                speedup.map_or("-".into(), |x| format!("{x:.0}x")),
                spice.map_or("-".into(), |s| format!("{:.1e}", s.agreement.max_rel_error)),
            );
            rows.push(json!({
                "size": n,
                "device": label,
                "unknowns": dc.unknowns,
                "factor_nnz": dc.factor_nnz,
                "linear_solver": dc.solved_by.name(),
                "pcg_iterations": dc.pcg_iterations,
                "newton_iterations": dc.read.iterations,
                "memforge_seconds": dc.memforge_seconds,
                "memforge_warm_seconds": dc.memforge_warm_seconds,
                "memforge_peak_rss_kib": rss,
                "scipy_seconds": sp.as_ref().map(|s| s.seconds),
                "scipy_setup_seconds": sp.as_ref().map(|s| s.setup_seconds),
                "scipy_solve_seconds": sp.as_ref().map(|s| s.solve_seconds),
                "scipy_iterations": sp.as_ref().map(|s| s.iterations),
                "scipy_converged": sp.as_ref().map(|s| s.converged),
                "scipy_peak_rss_kib": sp.as_ref().and_then(|s| s.peak_rss_kib),
                "scipy_max_rel_diff": sp.as_ref().map(|s| s.max_rel_diff),
                "vs_scipy": vs_scipy,
                "ngspice_seconds": spice.map(|s| s.run.wall_seconds),
                "ngspice_analysis_seconds": spice.and_then(|s| s.run.analysis_seconds),
                "ngspice_peak_rss_kib": spice.and_then(|s| s.run.peak_rss_kib),
                "speedup": speedup,
                "max_abs_error": spice.map(|s| s.agreement.max_abs_error),
                "max_rel_error": spice.map(|s| s.agreement.max_rel_error),
            }));
        }
    }
    let version = crate::tools::find(crate::tools::Tool::Ngspice)
        .map(|f| crate::spice::short_version(&f.version))
        .unwrap_or_default();
    let _ = writeln!(
        human,
        "\nngspice: {version}; batch `-b`, binary raw, `.save` of column currents only, one `.op` (no KLU in this build).\n\
         scipy: {}.\n\
         read: {}.\n\
         memforge cold = solver set-up (with the netlist when the element-wise solvers need it) + solve; warm = repeat read on the same array (set-up reused); best of {}.\n\
         solver: the linear solver of the cold solve (pcg: line-preconditioned CG on the column lines' Schur complement, its iterations summed over Newton steps; cholesky: sparse Cholesky).\n\
         solver memory: the solver's stored entries at 8 bytes each (crossbar-shaped CG: ten per cell; element-wise CG: diagonal, couplings, line factor; Cholesky: its factor).\n\
         memforge peak RSS: the process high-water mark over that row's runs alone (freed memory returned and the mark reset before each row; ngspice and scipy run in their own processes).",
        scipy.as_ref().map_or(
            "absent (python3 cannot import scipy), column skipped".to_string(),
            |v| format!("scipy {v}, the same line-preconditioned CG (src/cmd/bench/analog_scipy.py: CSR G, SuperLU of the wire lines, scipy.sparse.linalg.cg to relative residual 1e-13) on the same linear system, ohmic cells only; timed inside Python (assembly from the element list + factorisation + CG, no interpreter start-up), one run per size; vs scipy = scipy / memforge cold")
        ),
        match args.read {
            ReadPattern::Row(r) => format!("row {r} alone at the read voltage, the other rows grounded (`--read row:{r}`)"),
            _ => "every row at the read voltage (`--read all`)".to_string(),
        },
        args.repeat
    );
    Ok(Report {
        human,
        json: json!({"ok": true, "ngspice": version, "scipy": scipy, "read": format!("{:?}", args.read), "rows": rows}),
    })
}
