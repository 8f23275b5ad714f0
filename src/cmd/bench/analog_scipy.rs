//! The scipy leg of `memforge bench analog`: the same line-preconditioned
//! CG written in scipy (`analog_scipy.py`, shipped inside the binary), run
//! on the very linear system memforge solves, so the ratio compares
//! implementations of one method. Optional: without `python3` and scipy the
//! column reads "-" and the footer says why.

use super::super::analog::check::prepared;
use super::super::analog::pattern::Solve;
use anyhow::{bail, Context, Result};
use memforge_sim::analog::{Drive, LinearSettings, Netlist, NewtonSettings, Solver};
use memforge_spec::analog::AnalogSection;
use serde::Deserialize;
use std::io::Write;
use std::process::Command;
use std::time::Duration;

const SCRIPT: &str = include_str!("analog_scipy.py");

/// What the scipy leg measured on one array.
#[derive(Debug, Deserialize)]
pub struct ScipyRun {
    pub converged: bool,
    pub setup_seconds: f64,
    pub solve_seconds: f64,
    /// Set-up + solve (assembly from the element list, SuperLU of the
    /// lines, CG), timed inside Python.
    pub seconds: f64,
    pub iterations: usize,
    /// Largest difference from memforge's node voltages, relative to the
    /// largest node voltage.
    pub max_rel_diff: f64,
    /// Peak RSS of the Python process (KiB).
    #[serde(skip)]
    pub peak_rss_kib: Option<u64>,
}

/// scipy's version when `python3` can import it.
pub fn available() -> Option<String> {
    python_module_version("scipy")
}

/// The version of Python module `module` when `python3` can import it
/// (the optional Python legs of the benchmarks).
pub fn python_module_version(module: &str) -> Option<String> {
    let out = Command::new("python3")
        .args([
            "-c",
            &format!("import {module}; print({module}.__version__)"),
        ])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn write(path: &std::path::Path, bytes: impl Iterator<Item = u8>) -> Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    f.write_all(&bytes.collect::<Vec<u8>>())?;
    Ok(f.flush()?)
}

/// Runs the scipy CG on the linear system of `solve` on the seeded `n x n`
/// array of `a` (ohmic cells only: for sinh cells the method would include
/// Newton, which the script does not).
pub fn run(a: &AnalogSection, n: usize, solve: &Solve, timeout: Duration) -> Result<ScipyRun> {
    let (array, _, laws) = prepared(a, n, n, None)?;
    if laws.iter().any(|l| !l.is_linear()) {
        bail!("the scipy leg solves ohmic cells only");
    }
    let net = Netlist::build(&array.solver().netlist().geometry)?;
    let mut solver = Solver::with_settings(net, LinearSettings::from_config(&a.solver))?;
    let selected: Vec<bool> = solve.volts.iter().map(|v| *v != 0.0).collect();
    let drive = Drive {
        row_volts: &solve.volts,
        selected: &selected,
    };
    let ours = solver.solve(&drive, &laws, &NewtonSettings::from_config(&a.solver))?;
    let sys = solver.linear_system(&drive, &laws);
    drop(solver);
    drop(array);

    let dir = tempfile::tempdir()?;
    let p = dir.path();
    let end = |e: Option<usize>| e.map_or(-1i32, |k| k as i32);
    write(
        &p.join("ia.i32"),
        sys.ends.iter().flat_map(|e| end(e.0).to_le_bytes()),
    )?;
    write(
        &p.join("ib.i32"),
        sys.ends.iter().flat_map(|e| end(e.1).to_le_bytes()),
    )?;
    write(&p.join("g.f64"), sys.g.iter().flat_map(|x| x.to_le_bytes()))?;
    write(
        &p.join("dev.u8"),
        sys.is_device.iter().map(|d| u8::from(*d)),
    )?;
    write(
        &p.join("b.f64"),
        sys.rhs.iter().flat_map(|x| x.to_le_bytes()),
    )?;
    write(
        &p.join("x.f64"),
        ours.node_volts.iter().flat_map(|x| x.to_le_bytes()),
    )?;
    drop(sys);
    let script = p.join("analog_scipy.py");
    std::fs::write(&script, SCRIPT)?;
    let done = memforge_sim::process::run(Command::new("python3").arg(&script).arg(p), timeout)
        .context("running python3 for the scipy leg")?;
    if done.status.map(|s| s.success()) != Some(true) {
        bail!(
            "the scipy leg failed: {}",
            String::from_utf8_lossy(&done.stderr).trim()
        );
    }
    let mut r: ScipyRun = serde_json::from_slice(&done.stdout).with_context(|| {
        format!(
            "scipy leg output: {}",
            String::from_utf8_lossy(&done.stdout)
        )
    })?;
    r.peak_rss_kib = done.peak_rss_kib;
    Ok(r)
}
