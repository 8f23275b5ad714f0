//! The sweep file (`SWEEP.toml`): which design config to start from, which
//! parameters to vary over which values, which seeds, and what to measure at
//! each point; and its expansion into points, each with a stable id.
//!
//! A point's id is a hash of everything that decides its result (the base
//! config's text, the parameter values, the seed, the measurements and
//! their options), so re-running a sweep finds the points it already
//! finished, and a changed sweep file never mixes stale results in.

use crate::outcome::UsageError;
use anyhow::{Context, Result};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a point measures, in the order given.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// `memforge generate` (implied by lint and synth, which read its output).
    Generate,
    /// `memforge lint`: Verilator, Icarus, Yosys, the event-driven rule.
    Lint,
    /// `memforge synth`: sky130 area and OpenSTA fmax.
    Synth,
    /// `memforge cosim`: lock-step RTL vs golden model, the point's seed.
    Cosim,
    /// `memforge ppa`: area, fmax, power and energy per synaptic operation
    /// on the co-simulated workload (`cosim_cycles`, the point's seed).
    Ppa,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Generate => "generate",
            Measure::Lint => "lint",
            Measure::Synth => "synth",
            Measure::Cosim => "cosim",
            Measure::Ppa => "ppa",
        }
    }
}

/// A random sample of the grid instead of all of it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomSample {
    /// Grid points to draw (all of them when the grid is smaller).
    pub samples: usize,
    /// Seed of the draw, so a sample is reproducible.
    #[serde(default)]
    pub seed: u64,
}

/// The sweep file as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// The design config every point starts from (relative to the sweep
    /// file).
    pub base: PathBuf,
    /// Measurements per point.
    #[serde(default = "default_measure")]
    pub measure: Vec<Measure>,
    /// Stimulus seeds: every grid point runs once per seed.
    #[serde(default = "default_seeds")]
    pub seeds: Vec<u64>,
    /// Lock-step cycles of the cosim measurement.
    #[serde(default = "default_cycles")]
    pub cosim_cycles: u64,
    /// Liberty file for synth (relative to the sweep file); `--liberty`
    /// overrides it; default: what `memforge synth` finds ($PDK_ROOT).
    pub liberty: Option<PathBuf>,
    /// Parameter (dotted config key, e.g. `"tile.rows"`) -> values.
    pub grid: BTreeMap<String, Vec<toml::Value>>,
    /// Draw a sample of the grid instead of taking every combination.
    pub random: Option<RandomSample>,
}

fn default_measure() -> Vec<Measure> {
    vec![Measure::Generate, Measure::Lint, Measure::Synth]
}
fn default_seeds() -> Vec<u64> {
    vec![1]
}
fn default_cycles() -> u64 {
    20_000
}

/// One point of the sweep: a full design config and what to run on it.
#[derive(Clone, Debug)]
pub struct Point {
    /// Stable id (hex), also the name of its folder.
    pub id: String,
    /// Position in the expansion (the order of the results table).
    pub index: usize,
    /// The varied parameters' values at this point.
    pub params: BTreeMap<String, toml::Value>,
    pub seed: u64,
    /// The point's design config, as TOML text.
    pub config: String,
}

/// A loaded sweep: the file, where it lives, and its points.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub file: SweepFile,
    /// The base config and the liberty, resolved against the sweep file.
    pub base: PathBuf,
    pub liberty: Option<PathBuf>,
    pub points: Vec<Point>,
}

impl Sweep {
    /// Reads and expands `path`; every problem is a usage error (exit 2)
    /// that names the file and the key.
    pub fn load(path: &Path, liberty: Option<&Path>) -> Result<Sweep> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| UsageError(format!("cannot read sweep file {}: {e}", path.display())))?;
        let file: SweepFile = toml::from_str(&text)
            .map_err(|e| UsageError(format!("sweep file {}: {e}", path.display())))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let base = dir.join(&file.base);
        let base_text = std::fs::read_to_string(&base).map_err(|e| {
            UsageError(format!(
                "sweep file {}: base config {}: {e}",
                path.display(),
                base.display()
            ))
        })?;
        let liberty = liberty
            .map(Path::to_path_buf)
            .or_else(|| file.liberty.as_ref().map(|l| dir.join(l)));
        check(&file).map_err(|m| UsageError(format!("sweep file {}: {m}", path.display())))?;
        let base_table: toml::Table = toml::from_str(&base_text)
            .map_err(|e| UsageError(format!("base config {}: {e}", base.display())))?;
        let points = expand(&file, &base_table, &base_text, liberty.as_deref())
            .with_context(|| format!("sweep file {}", path.display()))?;
        Ok(Sweep {
            file,
            base,
            liberty,
            points,
        })
    }

    /// The varied parameters, in table order.
    pub fn keys(&self) -> Vec<String> {
        self.file.grid.keys().cloned().collect()
    }
}

fn check(f: &SweepFile) -> Result<(), String> {
    if f.grid.is_empty() {
        return Err("[grid] names no parameter to vary".into());
    }
    for (key, values) in &f.grid {
        if values.is_empty() {
            return Err(format!("[grid] \"{key}\" has no values"));
        }
        if key.split('.').any(str::is_empty) {
            return Err(format!(
                "[grid] \"{key}\" is not a dotted config key like \"tile.rows\""
            ));
        }
    }
    if f.seeds.is_empty() {
        return Err("seeds is empty".into());
    }
    if f.measure.is_empty() {
        return Err("measure is empty".into());
    }
    if f.cosim_cycles == 0 {
        return Err("cosim_cycles must be at least 1".into());
    }
    if f.random.as_ref().is_some_and(|r| r.samples == 0) {
        return Err("[random] samples must be at least 1".into());
    }
    Ok(())
}

/// Every combination of the grid (or the random sample of them), times
/// every seed.
fn expand(
    f: &SweepFile,
    base: &toml::Table,
    base_text: &str,
    liberty: Option<&Path>,
) -> Result<Vec<Point>> {
    let keys: Vec<&String> = f.grid.keys().collect();
    let mut combos: Vec<Vec<&toml::Value>> = vec![vec![]];
    for key in &keys {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                f.grid[*key].iter().map(move |v| {
                    let mut c = c.clone();
                    c.push(v);
                    c
                })
            })
            .collect();
    }
    if let Some(r) = &f.random {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(r.seed);
        combos.shuffle(&mut rng);
        combos.truncate(r.samples);
    }
    let mut points = Vec::new();
    for combo in combos {
        let params: BTreeMap<String, toml::Value> = keys
            .iter()
            .map(|k| (k.to_string(), ()))
            .zip(combo)
            .map(|((k, ()), v)| (k, v.clone()))
            .collect();
        let mut table = base.clone();
        for (key, value) in &params {
            set_key(&mut table, key, value.clone())?;
        }
        let config = toml::to_string(&table).context("writing a point's config")?;
        for &seed in &f.seeds {
            let id = point_id(f, base_text, &params, seed, liberty);
            points.push(Point {
                id,
                index: points.len(),
                params: params.clone(),
                seed,
                config: config.clone(),
            });
        }
    }
    Ok(points)
}

/// Sets `a.b.c = value` in `table`, creating missing tables (a sweep may
/// switch on a section the base config leaves out, e.g. `learning.rule`).
fn set_key(table: &mut toml::Table, key: &str, value: toml::Value) -> Result<()> {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap_or(key);
    let mut at = table;
    for part in parts {
        let entry = at
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        at = entry.as_table_mut().ok_or_else(|| {
            UsageError(format!(
                "[grid] \"{key}\": `{part}` is a value in the base config, not a section"
            ))
        })?;
    }
    at.insert(last.to_string(), value);
    Ok(())
}

fn point_id(
    f: &SweepFile,
    base_text: &str,
    params: &BTreeMap<String, toml::Value>,
    seed: u64,
    liberty: Option<&Path>,
) -> String {
    let record = serde_json::json!({
        "base": base_text,
        "params": params,
        "seed": seed,
        "measure": f.measure,
        "cosim_cycles": f.cosim_cycles,
        "liberty": liberty,
    });
    let digest = Sha256::digest(record.to_string().as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// `--shard i/n`: this machine's share of the points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not i/n (e.g. 0/4)"))?;
        let index: usize = i
            .trim()
            .parse()
            .map_err(|_| format!("`{i}` is not a shard index"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` is not a shard count"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "shard {index}/{count}: the index must be below the count (0/{count}..{}/{count})",
                count.max(1) - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Round-robin, so every shard gets a mix of small and large points.
    pub fn owns(&self, point: &Point) -> bool {
        point.index % self.count == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(grid: &str, extra: &str) -> SweepFile {
        // `extra` may open a table ([random]), so the grid goes last.
        toml::from_str(&format!("base = \"b.toml\"\n{extra}\n[grid]\n{grid}")).unwrap()
    }

    fn base() -> (toml::Table, String) {
        let text = "[design]\nname = \"t\"\n[tile]\nrows = 8\n".to_string();
        (toml::from_str(&text).unwrap(), text)
    }

    #[test]
    fn the_grid_expands_to_every_combination_times_every_seed() {
        let f = file(
            "\"tile.rows\" = [2, 3, 4]\n\"learning.rule\" = [\"none\", \"stdp\"]\n",
            "seeds = [1, 2]",
        );
        let (b, text) = base();
        let pts = expand(&f, &b, &text, None).unwrap();
        assert_eq!(pts.len(), 3 * 2 * 2);
        let ids: std::collections::BTreeSet<&String> = pts.iter().map(|p| &p.id).collect();
        assert_eq!(ids.len(), pts.len(), "ids are distinct");
        let p = &pts[5];
        let cfg: toml::Table = toml::from_str(&p.config).unwrap();
        assert_eq!(cfg["tile"]["rows"], p.params["tile.rows"]);
        assert_eq!(
            cfg["learning"]["rule"], p.params["learning.rule"],
            "a missing section is created"
        );
        assert_eq!(
            cfg["design"]["name"].as_str(),
            Some("t"),
            "the rest is the base"
        );
        // Stable: the same file gives the same ids; another seed list does not.
        let again = expand(&f, &b, &text, None).unwrap();
        assert_eq!(pts[7].id, again[7].id);
        let other = expand(
            &file(
                "\"tile.rows\" = [2, 3, 4]\n\"learning.rule\" = [\"none\", \"stdp\"]\n",
                "seeds = [1, 3]",
            ),
            &b,
            &text,
            None,
        )
        .unwrap();
        assert_ne!(pts[1].id, other[1].id);
        assert_eq!(pts[0].id, other[0].id, "seed 1 points are the same points");
    }

    #[test]
    fn a_random_sample_is_reproducible_and_distinct() {
        let grid = "\"tile.rows\" = [1, 2, 3, 4, 5, 6]\n\"tile.cols\" = [1, 2, 3, 4]\n";
        let (b, text) = base();
        let draw = |seed: u64| {
            let f = file(grid, &format!("[random]\nsamples = 7\nseed = {seed}\n"));
            expand(&f, &b, &text, None).unwrap()
        };
        let (a, again, other) = (draw(7), draw(7), draw(8));
        assert_eq!(a.len(), 7);
        let ids = |v: &[Point]| v.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&again));
        assert_ne!(ids(&a), ids(&other));
        let distinct: std::collections::BTreeSet<String> = ids(&a).into_iter().collect();
        assert_eq!(distinct.len(), 7);
    }

    #[test]
    fn shards_split_the_points_without_overlap() {
        let f = file("\"tile.rows\" = [1, 2, 3, 4, 5]\n", "");
        let (b, text) = base();
        let pts = expand(&f, &b, &text, None).unwrap();
        let shards: Vec<Shard> = (0..3).map(|i| format!("{i}/3").parse().unwrap()).collect();
        for p in &pts {
            assert_eq!(shards.iter().filter(|s| s.owns(p)).count(), 1);
        }
        assert!("3/3".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }
}
