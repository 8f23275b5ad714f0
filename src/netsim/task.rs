//! A mapped classification task: a TOML file naming an array config, a
//! trained network, a held-out data set (pixel intensities as `.npy`) and
//! the readout; loaded, mapped with `crate::map` and scored on
//! [`NetSim`](super::NetSim). Format: `docs/network_sim.md`.

use super::cells::CellModel;
use super::sim::{NetSim, Outcome, TileParams};
use crate::map::{self, network::Network, Mapping, Source};
use crate::outcome::UsageError;
use anyhow::{Context, Result};
use memforge_sim::weights::parse_npy;
use memforge_spec::blocks::array::{self, ArrayConfig};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The task file (paths relative to it).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFile {
    pub array: PathBuf,
    pub network: PathBuf,
    pub pixels: PathBuf,
    pub labels: PathBuf,
    /// Steps of the rate code: a pixel of value p (0..=steps) spikes p
    /// times, at the steps where floor((s + 1) p / steps) grows.
    pub steps: u32,
    /// Threshold per tile, row-major.
    pub thresholds: Vec<u16>,
    /// Neuron of each class; the prediction is the class whose neuron
    /// spiked most (the lowest class on a tie).
    pub classes: Vec<u32>,
}

/// A loaded, mapped task.
pub struct Task {
    pub file: TaskFile,
    pub cfg: ArrayConfig,
    pub net: Network,
    pub mapping: Mapping,
    /// One row of input intensities per sample.
    pub pixels: Vec<Vec<u32>>,
    pub labels: Vec<u32>,
}

fn bad(msg: String) -> anyhow::Error {
    UsageError(msg).into()
}

fn npy(path: &Path) -> Result<memforge_sim::weights::WeightMatrix> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(parse_npy(&bytes, &path.display().to_string())?)
}

impl Task {
    pub fn load(path: &Path) -> Result<Task> {
        let text =
            std::fs::read_to_string(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
        let file: TaskFile =
            toml::from_str(&text).map_err(|e| bad(format!("{}: {e}", path.display())))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let cfg: ArrayConfig =
            memforge_spec::load::load_with(&dir.join(&file.array), array::validate)?;
        let net = map::network::load(&dir.join(&file.network))?;
        let mapping = map::map(
            &net,
            &cfg,
            &map::Options {
                encoding: map::Encoding::Offset,
                neurons_per_tile: None,
                outputs: file.classes.clone(),
            },
        )?;
        let px = npy(&dir.join(&file.pixels))?;
        let lb = npy(&dir.join(&file.labels))?;
        if px.cols != net.inputs() {
            return Err(bad(format!(
                "{}: {} values per sample, the network has {} inputs",
                file.pixels.display(),
                px.cols,
                net.inputs()
            )));
        }
        if lb.rows * lb.cols != px.rows {
            return Err(bad(format!(
                "{} labels for {} samples",
                lb.rows * lb.cols,
                px.rows
            )));
        }
        if file.thresholds.len() != mapping.tiles.len() {
            return Err(bad(format!(
                "thresholds: {} values for {} tiles",
                file.thresholds.len(),
                mapping.tiles.len()
            )));
        }
        if file.steps == 0 {
            return Err(bad("steps must be at least 1".into()));
        }
        if let Some(c) = file.classes.iter().find(|&&c| c as usize >= net.neurons()) {
            return Err(bad(format!(
                "classes: neuron {c} does not exist ({} neurons)",
                net.neurons()
            )));
        }
        let max = f64::from(file.steps);
        let pixels = px
            .values
            .chunks(px.cols.max(1))
            .map(|r| r.iter().map(|&v| v.clamp(0.0, max) as u32).collect())
            .collect();
        let labels = lb.values.iter().map(|&v| v as u32).collect();
        Ok(Task {
            file,
            cfg,
            net,
            mapping,
            pixels,
            labels,
        })
    }

    /// Sample `i`'s input spikes per step (the deterministic rate code).
    pub fn spikes(&self, i: usize) -> Vec<Vec<u32>> {
        rate_code(&self.pixels[i], self.file.steps)
    }

    /// A source's weight row.
    pub fn weights(&self) -> impl Fn(Source) -> Vec<f64> + '_ {
        move |s| {
            let n = self.net.neurons();
            match s {
                Source::Neuron(i) => {
                    self.net.recurrent.values[i as usize * n..(i as usize + 1) * n].to_vec()
                }
                Source::Input(k) => self.net.input.as_ref().map_or(vec![0.0; n], |m| {
                    m.values[k as usize * n..(k as usize + 1) * n].to_vec()
                }),
            }
        }
    }

    pub fn params(&self) -> Vec<TileParams> {
        self.file
            .thresholds
            .iter()
            .map(|&threshold| TileParams { threshold })
            .collect()
    }

    pub fn simulator(&self, model: &CellModel) -> Result<NetSim> {
        NetSim::new(&self.mapping, &self.params(), model, &self.weights()).map_err(bad)
    }

    /// The predicted class of an outcome.
    pub fn predict(&self, o: &Outcome) -> u32 {
        let mut best = 0;
        for (k, &n) in self.file.classes.iter().enumerate() {
            if o.counts[n as usize] > o.counts[self.file.classes[best] as usize] {
                best = k;
            }
        }
        best as u32
    }

    /// Steps run after the inputs so that every spike reaches the readout.
    pub fn drain(&self) -> usize {
        self.mapping.tiles.len() + 1
    }
}

/// The rate code of the digits (moved to the simulator crate, which the
/// e-prop learning demo shares it with).
pub use memforge_sim::learning::rate_code;

/// Accuracy and per-sample outcomes of `sim` on the first `n` samples;
/// `tick` after each.
pub fn score(task: &Task, sim: &mut NetSim, n: usize, tick: &dyn Fn()) -> (f64, Vec<Outcome>) {
    let mut right = 0;
    let mut outs = Vec::with_capacity(n);
    for i in 0..n {
        let o = sim.run(&task.spikes(i), task.drain(), false);
        if task.predict(&o) == task.labels[i] {
            right += 1;
        }
        outs.push(o);
        tick();
    }
    (right as f64 / n.max(1) as f64, outs)
}
