//! `memforge bench netsim`: synaptic events per second of the network
//! simulator vs a vectorised numpy implementation of the same mapped
//! network (`netsim_numpy.py`, shipped inside the binary) on the same
//! input spikes: the digits task, all held-out samples, ideal devices.
//! The numpy leg is optional (python3 + numpy); its spike counts must
//! equal the simulator's, or the bench fails.

use crate::netsim::task::Task;
use crate::netsim::CellModel;
use crate::outcome::Report;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const SCRIPT: &str = include_str!("netsim_numpy.py");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The task whose mapped network is simulated.
    #[arg(long, default_value = "examples/digits/task.toml")]
    pub task: PathBuf,
    /// Timed repetitions of each leg (the best is kept).
    #[arg(long, default_value_t = 5)]
    pub repeat: usize,
    /// Presentations of the data set per Rust repetition (the numpy leg
    /// runs it once, vectorised over the samples).
    #[arg(long, default_value_t = 20)]
    pub passes: usize,
    /// Threads of the parallel Rust leg (samples split between simulators;
    /// default: every core). The single-thread leg always runs too.
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct NumpyRun {
    seconds: f64,
    synaptic_events: u64,
    counts: Vec<u64>,
    numpy: String,
}

fn raw<T: Copy>(path: PathBuf, xs: &[T], bytes: fn(T) -> Vec<u8>) -> Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for &x in xs {
        f.write_all(&bytes(x))?;
    }
    Ok(f.flush()?)
}

/// Writes the network and the inputs for the numpy leg and runs it.
fn numpy(task: &Task, sim: &crate::netsim::NetSim, repeat: usize) -> Result<NumpyRun> {
    let dir = tempfile::tempdir()?;
    let p = dir.path();
    let m = &task.mapping;
    let th = &task.file.thresholds;
    let tiles: Vec<_> = m
        .tiles
        .iter()
        .zip(th)
        .map(|(t, &h)| json!([t.rows.len(), t.columns.len(), h]))
        .collect();
    let reset = match m.cfg.neuron.reset {
        memforge_spec::NeuronReset::Zero => "zero",
        memforge_spec::NeuronReset::Subtract => "subtract",
    };
    let n = task.labels.len();
    let meta = json!({
        "tiles": tiles, "reset": reset, "steps": task.file.steps, "drain": task.drain(),
        "samples": n, "inputs": m.inputs, "neurons": m.neurons,
    });
    std::fs::write(p.join("meta.json"), meta.to_string())?;
    for (t, im) in m.tiles.iter().enumerate() {
        let cols = im.columns.len();
        let mut lv = vec![0u16; im.rows.len() * cols];
        for &(r, c, l) in &im.cells {
            lv[usize::from(r) * cols + usize::from(c)] = l;
        }
        raw(p.join(format!("levels_{t}.u16")), &lv, |x| {
            x.to_le_bytes().to_vec()
        })?;
        let cn: Vec<i32> = im
            .columns
            .iter()
            .map(|c| c.map_or(-1, |x| x as i32))
            .collect();
        raw(p.join(format!("col_neuron_{t}.i32")), &cn, |x| {
            x.to_le_bytes().to_vec()
        })?;
    }
    let d = sim.deliveries();
    let (mut src, mut til, mut row) = (Vec::new(), Vec::new(), Vec::new());
    let all = d.neurons.iter().chain(d.inputs.iter()).enumerate();
    for (s, f) in all {
        for &(t, r) in &f.rows {
            src.push(s as i32);
            til.push(t as i32);
            row.push(i32::from(r));
        }
    }
    let le = |x: i32| x.to_le_bytes().to_vec();
    raw(p.join("fan_src.i32"), &src, le)?;
    raw(p.join("fan_tile.i32"), &til, le)?;
    raw(p.join("fan_row.i32"), &row, le)?;
    let steps = task.file.steps as usize;
    let mut spikes = vec![0u8; n * steps * m.inputs];
    for i in 0..n {
        for (s, ks) in task.spikes(i).iter().enumerate() {
            for &k in ks {
                spikes[(i * steps + s) * m.inputs + k as usize] = 1;
            }
        }
    }
    std::fs::write(p.join("spikes.u8"), &spikes)?;
    std::fs::write(p.join("bench.py"), SCRIPT)?;
    let out = Command::new("python3")
        .arg(p.join("bench.py"))
        .arg(p)
        .arg(repeat.to_string())
        .output()
        .context("running python3")?;
    if !out.status.success() {
        bail!(
            "the numpy leg failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    serde_json::from_slice(&out.stdout).context("reading the numpy leg's JSON")
}

/// Best seconds per pass over `repeat` timings of `passes` passes; `pass`
/// runs one pass and returns its synaptic events, which must be `syn`
/// (`leg` names the leg in the error).
fn best_seconds_per_pass(
    leg: &str,
    repeat: usize,
    passes: usize,
    syn: u64,
    mut pass: impl FnMut() -> Result<u64>,
) -> Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..repeat {
        let t0 = Instant::now();
        let mut check = 0u64;
        for _ in 0..passes {
            check += pass()?;
        }
        best = best.min(t0.elapsed().as_secs_f64() / passes as f64);
        if check != syn * passes as u64 {
            bail!("the {leg} disagrees with the first run ({check} vs {syn} events per pass)");
        }
    }
    Ok(best)
}

pub fn run(args: &Args) -> Result<Report> {
    let task = Task::load(&args.task)?;
    let mut sim = task.simulator(&CellModel::Ideal)?;
    let n = task.labels.len();
    let inputs: Vec<Vec<Vec<u32>>> = (0..n).map(|i| task.spikes(i)).collect();
    let drain = task.drain();
    let mut counts = vec![0u64; task.mapping.neurons];
    let mut syn = 0u64;
    for x in &inputs {
        let o = sim.run(x, drain, false);
        syn += o.synaptic_events;
        for (c, k) in counts.iter_mut().zip(&o.counts) {
            *c += u64::from(*k);
        }
    }
    let (passes, repeat) = (args.passes.max(1), args.repeat.max(1));
    let best = best_seconds_per_pass("simulator", repeat, passes, syn, || {
        Ok(inputs
            .iter()
            .map(|x| sim.run(x, drain, false).synaptic_events)
            .sum())
    })?;
    let rust_rate = syn as f64 / best;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let mut sims = (0..threads)
        .map(|_| task.simulator(&CellModel::Ideal))
        .collect::<Result<Vec<_>>>()?;
    let par = best_seconds_per_pass("parallel simulator", repeat, passes, syn, || {
        let outs = crate::netsim::parallel::run_samples(&mut sims, &inputs, drain)?;
        Ok(outs.iter().map(|o| o.synaptic_events).sum())
    })?;
    let par_rate = syn as f64 / par;
    let mut human = format!(
        "network simulator on {} ({} samples, ideal devices): {} synaptic events\n  Rust, 1 thread:   {:.4} s per pass, {:.1} M synaptic events/s\n  Rust, {threads} threads: {:.4} s per pass, {:.1} M synaptic events/s (samples split between simulators)\n",
        args.task.display(),
        n,
        syn,
        best,
        rust_rate / 1e6,
        par,
        par_rate / 1e6
    );
    let mut json = json!({
        "ok": true, "task": args.task.display().to_string(), "samples": n,
        "synaptic_events": syn, "rust_seconds": best, "rust_events_per_second": rust_rate,
        "threads": threads, "rust_parallel_seconds": par,
        "rust_parallel_events_per_second": par_rate,
    });
    match super::analog_scipy::python_module_version("numpy") {
        None => {
            human +=
                "  numpy: not run (python3 with numpy not found: `pip install --user numpy`)\n";
            json["numpy"] = serde_json::Value::Null;
        }
        Some(_) => {
            let np = numpy(&task, &sim, args.repeat.max(1))?;
            if np.synaptic_events != syn || np.counts != counts {
                bail!(
                    "the numpy leg disagrees: {} events, counts {:?}; the simulator: {} events, counts {:?}",
                    np.synaptic_events,
                    np.counts,
                    syn,
                    counts
                );
            }
            let np_rate = syn as f64 / np.seconds;
            human += &format!(
                "  numpy {}: {:.4} s, {:.1} M synaptic events/s (same spike counts; its BLAS may use every core)\n  ratio, 1 thread: {:.1}x; {threads} threads: {:.1}x (target >= 20x)\n",
                np.numpy,
                np.seconds,
                np_rate / 1e6,
                rust_rate / np_rate,
                par_rate / np_rate
            );
            json["numpy"] = json!({
                "version": np.numpy, "seconds": np.seconds, "events_per_second": np_rate,
            });
            json["ratio"] = json!(rust_rate / np_rate);
            json["ratio_parallel"] = json!(par_rate / np_rate);
        }
    }
    Ok(Report { human, json })
}
