//! `memforge map`: a trained network onto an array (issue #15, part 2).
//!
//! Neurons go to tiles in Mosaic's order (neuron `i` to tile
//! `i / neurons_per_tile`, tiles row-major), each weight to the cell(s) of
//! the row its source arrives on and the column(s) of its neuron, quantized
//! to the tile's ADC codes (the level write-verify programs), and every
//! connection to a route: Mosaic routing-tile devices under the one-turn
//! rule ([`mosaic`]) or mesh router table entries ([`mesh`]). The result is
//! a [`Mapping`], which [`program`] turns into the programming image, the
//! Wishbone write sequence and the C header. Spec: `docs/mapping.md`.

pub mod mesh;
pub mod mosaic;
pub mod network;
pub mod program;

use memforge_spec::blocks::array::{ArrayConfig, Interconnect};
use memforge_spec::Derived;
use network::Network;
use serde::Serialize;
use std::collections::BTreeMap;

/// How a signed weight becomes cell levels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// One column per neuron, weight 0 at the middle level: every column is
    /// one of the tile's LIF neurons and its spike address, as the tile is
    /// built today; the offset (`zero_level` per active row) is the
    /// neuron's to cancel (threshold or a reference column).
    #[default]
    Offset,
    /// Two columns per neuron (`2k` positive, `2k + 1` negative), weight 0
    /// at level 0 on both: exact sign and no offset current, half the
    /// neurons per tile; the subtraction of the pair is a periphery change
    /// the tile does not have yet (the neuron's spike address is `2k`).
    Differential,
}

impl Encoding {
    pub fn columns_per_neuron(self) -> u32 {
        match self {
            Encoding::Offset => 1,
            Encoding::Differential => 2,
        }
    }
}

/// Where a spike comes from: a neuron of the network or an external input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Neuron(u32),
    Input(u32),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Neuron(n) => write!(f, "n{n}"),
            Source::Input(k) => write!(f, "in{k}"),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A router port over its capacity (routing-aware training's "violation").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// `R_0 (i, j)`, `R_1 (i, j)`, `tile (r, c)`, `router (x, y)`.
    pub at: String,
    /// `out N`, `in lines`, `table`, ...
    pub port: String,
    pub used: u32,
    pub capacity: u32,
}

/// Bad input: exit code 2, nothing written.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error(transparent)]
    Weights(#[from] memforge_sim::weights::WeightError),
    #[error("{0}")]
    Network(String),
    #[error("shape mismatch: {0}")]
    Shape(String),
    #[error("network too large: {neurons} neurons, the array holds {capacity} ({tiles} tiles x {per_tile} neurons, {encoding:?} encoding on {cols} columns)")]
    TooLarge {
        neurons: usize,
        capacity: usize,
        tiles: u32,
        per_tile: u32,
        encoding: Encoding,
        cols: u32,
    },
    #[error("cannot route: {0}")]
    Unroutable(String),
    #[error("cannot route: {} router port(s) over capacity: {}", .0.len(), summary(.0))]
    Violations(Vec<Violation>),
}

fn summary(v: &[Violation]) -> String {
    let mut s: Vec<String> = v
        .iter()
        .take(6)
        .map(|x| format!("{} {} uses {} of {}", x.at, x.port, x.used, x.capacity))
        .collect();
    if v.len() > 6 {
        s.push(format!("and {} more (--json lists them)", v.len() - 6));
    }
    s.join("; ")
}

/// One tile's share of the image.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TileImage {
    pub tile: [u32; 2],
    /// Register slot on the array bus.
    pub slot: u32,
    /// The source whose spikes arrive on each crossbar row (`None`: unused).
    pub rows: Vec<Option<Source>>,
    /// The neuron on each column (`None`: unused; differential: both columns).
    pub columns: Vec<Option<u32>>,
    /// Programmed cells, row-major: (row, column, level).
    pub cells: Vec<(u16, u16, u16)>,
}

/// A Mosaic router's routing devices (every other device blocks).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouterDevices {
    /// Grid cell (i, j).
    pub cell: [u32; 2],
    pub kind: &'static str,
    pub slot: u32,
    /// (input line, output line, source): crossbar lines `d * channels + i`,
    /// directions N, E, S, W, L.
    pub routes: Vec<(u16, u16, Source)>,
}

/// One mesh table entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub entry: u32,
    pub key: u32,
    pub mask: u32,
    /// Output set, bit per link N, E, S, W, local.
    pub route: u32,
    pub source: Source,
}

/// A mesh router's table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouterTable {
    pub router: [u32; 2],
    pub slot: u32,
    pub entries: Vec<Entry>,
}

/// Where an external input enters the array for one destination tile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EdgeInput {
    pub input: u32,
    pub tile: [u32; 2],
    /// The top-level port.
    pub port: String,
    /// Mosaic: the bit of `port` to pulse; mesh: the packet to send.
    pub value: u64,
    pub row: u32,
}

/// Where an output neuron's spikes leave the array (Mosaic: the south
/// edge, as Mosaic's output neurons do).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EdgeOutput {
    pub neuron: u32,
    /// The top-level port.
    pub port: String,
    /// The bit of `port` that pulses when the neuron spikes.
    pub value: u64,
}

/// The interconnect's share of the image.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Routing {
    Mosaic(Vec<RouterDevices>),
    Mesh(Vec<RouterTable>),
}

/// A network mapped onto an array.
#[derive(Clone, Debug, Serialize)]
pub struct Mapping {
    #[serde(skip)]
    pub cfg: ArrayConfig,
    pub design: String,
    pub interconnect: Interconnect,
    pub encoding: Encoding,
    pub neurons: usize,
    pub inputs: usize,
    pub neurons_per_tile: u32,
    /// Largest level (ADC code) of a cell.
    pub max_level: u16,
    /// The weight that maps to full scale (largest |w|).
    pub w_max: f64,
    /// Neuron `i` -> (tile row, tile column, spike column).
    pub placement: Vec<[u32; 3]>,
    pub tiles: Vec<TileImage>,
    pub routing: Routing,
    pub edge_inputs: Vec<EdgeInput>,
    /// The output neurons' south edge bits (`Options::outputs`).
    pub edge_outputs: Vec<EdgeOutput>,
    /// Connections between tiles (source, destination tile) routed.
    pub routes: usize,
}

/// What routing hands back to the mapper: the row each (tile, source)
/// arrives on, the routers' state and the edge inputs.
pub struct Routed {
    pub rows: BTreeMap<(u32, Source), u32>,
    pub routing: Routing,
    pub edge_inputs: Vec<EdgeInput>,
    pub edge_outputs: Vec<EdgeOutput>,
    pub routes: usize,
}

/// The level(s) of weight `w` under `enc`: (positive column, negative
/// column) for differential, (level, 0) for offset.
pub fn quantize(w: f64, w_max: f64, max_level: u16, enc: Encoding) -> (u16, u16) {
    let l = f64::from(max_level);
    let x = if w_max > 0.0 { w / w_max } else { 0.0 };
    match enc {
        Encoding::Offset => (((x + 1.0) / 2.0 * l).round() as u16, 0),
        Encoding::Differential => (
            (x.max(0.0) * l).round() as u16,
            ((-x).max(0.0) * l).round() as u16,
        ),
    }
}

/// How to map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub encoding: Encoding,
    /// Neurons per tile (default: as many as the tile's columns hold);
    /// fewer leave rows free for inputs on a mesh, as Mosaic's 32 neurons
    /// per tile do.
    pub neurons_per_tile: Option<u32>,
    /// Output neurons, routed off the array at the south edge (Mosaic),
    /// each on its own `south_out` bit.
    pub outputs: Vec<u32>,
}

/// Maps `net` onto the array `cfg`.
/// The tiles a weight row reaches: the tile (`tile_of` the target index)
/// of every non-zero weight, in target order, each once (targets of a tile
/// are contiguous).
fn dest_tiles(row: &[f64], tile_of: impl Fn(usize) -> u32) -> Vec<u32> {
    let mut d: Vec<u32> = Vec::new();
    for (j, &w) in row.iter().enumerate() {
        if w != 0.0 {
            let t = tile_of(j);
            if d.last() != Some(&t) {
                d.push(t);
            }
        }
    }
    d
}

pub fn map(net: &Network, cfg: &ArrayConfig, opts: &Options) -> Result<Mapping, MapError> {
    let enc = opts.encoding;
    let tile = cfg.tile_config();
    let (rows, cols) = (tile.tile.rows, tile.tile.cols);
    let fits = cols / enc.columns_per_neuron();
    let per_tile = opts.neurons_per_tile.unwrap_or(fits);
    if per_tile > fits || per_tile == 0 {
        return Err(MapError::Network(format!(
            "--neurons-per-tile {per_tile}: a tile of {cols} columns holds 1 to {fits} neurons with {enc:?} encoding"
        )));
    }
    let tiles = cfg.tiles();
    let n = net.neurons();
    let capacity = (tiles * per_tile) as usize;
    if n > capacity || per_tile == 0 {
        return Err(MapError::TooLarge {
            neurons: n,
            capacity,
            tiles,
            per_tile,
            encoding: enc,
            cols,
        });
    }
    if let Some(&o) = opts.outputs.iter().find(|&&o| o as usize >= n) {
        return Err(MapError::Network(format!(
            "output neuron {o}: the network has {n} neurons (0..{n})"
        )));
    }
    if !opts.outputs.is_empty() && cfg.array.interconnect == Interconnect::Mesh {
        return Err(MapError::Network(
            "output neurons (--outputs) leave the array at the south edge of a Mosaic array; the mesh mapping does not route them".into(),
        ));
    }
    let tile_of = |i: usize| (i / per_tile as usize) as u32;
    // Destination tiles of every source (sorted, deduplicated).
    let mut dests: BTreeMap<Source, Vec<u32>> = BTreeMap::new();
    let rec = &net.recurrent;
    for i in 0..n {
        let d = dest_tiles(&rec.values[i * n..(i + 1) * n], tile_of);
        if !d.is_empty() {
            dests.insert(Source::Neuron(i as u32), d);
        }
    }
    if let Some(inp) = &net.input {
        for k in 0..inp.rows {
            let d = dest_tiles(&inp.values[k * n..(k + 1) * n], tile_of);
            if let Some(&t) = d.iter().find(|&&t| t >= cfg.array.cols) {
                return Err(MapError::Unroutable(format!(
                    "input {k} reaches neuron(s) of tile ({}, {}): inputs enter at the north edge and reach the first row of tiles only (Mosaic's input tiles); place input neurons in the first {} neurons",
                    t / cfg.array.cols,
                    t % cfg.array.cols,
                    cfg.array.cols * per_tile
                )));
            }
            if !d.is_empty() {
                dests.insert(Source::Input(k as u32), d);
            }
        }
    }
    // Slots within a tile: Mosaic sends a tile's spikes off-tile on its
    // spike bridge's lines, which carry spike columns 0..channels only, so
    // neurons with any target come first; the mesh keeps Mosaic's order.
    let mut placement = vec![[0u32; 3]; n];
    let cpn = enc.columns_per_neuron();
    for t in 0..tiles {
        let lo = (t * per_tile) as usize;
        let hi = (lo + per_tile as usize).min(n);
        let mut order: Vec<usize> = (lo..hi).collect();
        if cfg.array.interconnect == Interconnect::Mosaic {
            order.sort_by_key(|&i| {
                !dests.contains_key(&Source::Neuron(i as u32))
                    && !opts.outputs.contains(&(i as u32))
            });
        }
        for (slot, &i) in order.iter().enumerate() {
            placement[i] = [t / cfg.array.cols, t % cfg.array.cols, slot as u32 * cpn];
        }
    }
    let routed = match cfg.array.interconnect {
        Interconnect::Mosaic => mosaic::route(cfg, &placement, &dests, rows, &opts.outputs)?,
        Interconnect::Mesh => mesh::route(cfg, &placement, &dests, rows)?,
    };
    let max_level = Derived::of(&tile).adc_max as u16;
    let w_max = net.w_max();
    let mut images: Vec<TileImage> = (0..tiles)
        .map(|t| TileImage {
            tile: [t / cfg.array.cols, t % cfg.array.cols],
            slot: t,
            rows: vec![None; rows as usize],
            columns: vec![None; cols as usize],
            cells: Vec::new(),
        })
        .collect();
    for (i, p) in placement.iter().enumerate() {
        let im = &mut images[(p[0] * cfg.array.cols + p[1]) as usize];
        for k in 0..cpn {
            im.columns[(p[2] + k) as usize] = Some(i as u32);
        }
    }
    for (&(t, s), &r) in &routed.rows {
        images[t as usize].rows[r as usize] = Some(s);
    }
    for im in &mut images {
        for (r, src) in im.rows.iter().enumerate() {
            let Some(src) = src else { continue };
            let weights = match *src {
                Source::Neuron(i) => &rec.values[i as usize * n..(i as usize + 1) * n],
                Source::Input(k) => {
                    let m = net
                        .input
                        .as_ref()
                        .expect("inputs are sources only with an input matrix");
                    &m.values[k as usize * n..(k as usize + 1) * n]
                }
            };
            for (c, col) in im.columns.iter().enumerate() {
                let Some(j) = col else { continue };
                let is_pos = (c as u32).is_multiple_of(cpn);
                let (pos, neg) = quantize(weights[*j as usize], w_max, max_level, enc);
                let level = if is_pos { pos } else { neg };
                im.cells.push((r as u16, c as u16, level));
            }
        }
    }
    Ok(Mapping {
        design: cfg.design.name.clone(),
        cfg: cfg.clone(),
        interconnect: cfg.array.interconnect,
        encoding: enc,
        neurons: n,
        inputs: net.inputs(),
        neurons_per_tile: per_tile,
        max_level,
        w_max,
        placement,
        tiles: images,
        routing: routed.routing,
        edge_inputs: routed.edge_inputs,
        edge_outputs: routed.edge_outputs,
        routes: routed.routes,
    })
}
