//! `memforge map NETWORK ARRAY --out DIR`: a trained network onto an array
//! config (issue #15, part 2). The work is in `crate::map`; this file loads,
//! writes atomically (nothing is written on any error) and summarizes.

use crate::map::{self, Encoding, Routing};
use crate::outcome::Report;
use anyhow::{Context, Result};
use memforge_hdl::emit::write_design;
use memforge_spec::blocks::array::{self, ArrayConfig};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Trained weights, `[pre, post]`: a `.safetensors` file (tensors
    /// `recurrent`/`rec_weight`, optional `input`/`inp_weight`), a `.npy`
    /// file (the recurrent matrix), or a directory of `.npy` files of those
    /// names.
    pub network: PathBuf,
    /// Array config (TOML, `block = "array"`), e.g. examples/array-mosaic-2x2.toml.
    pub array: PathBuf,
    /// Output directory (image.json, program.wb, <design>_map.h,
    /// manifest.json); a previous `memforge map` output there is replaced
    /// atomically.
    #[arg(long)]
    pub out: PathBuf,
    /// How a signed weight becomes cell levels.
    #[arg(long, value_enum, default_value_t = Encoding::Offset)]
    pub encoding: Encoding,
    /// Neurons per tile (default: as many as the tile's columns hold).
    #[arg(long)]
    pub neurons_per_tile: Option<u32>,
    /// Output neurons (comma-separated indices), routed off the array at
    /// the south edge (Mosaic), each on its own `south_out` bit (listed in
    /// image.json's `edge_outputs`).
    #[arg(long, value_delimiter = ',')]
    pub outputs: Vec<u32>,
}

pub fn run(args: &Args) -> Result<Report> {
    let cfg: ArrayConfig = memforge_spec::load::load_with(&args.array, array::validate)?;
    let net = map::network::load(&args.network)?;
    let opts = map::Options {
        encoding: args.encoding,
        neurons_per_tile: args.neurons_per_tile,
        outputs: args.outputs.clone(),
    };
    let m = map::map(&net, &cfg, &opts)?;
    let files = map::program::files(&m);
    write_design(&args.out, &files).with_context(|| format!("writing {}", args.out.display()))?;
    let ops = files
        .iter()
        .find(|(p, _)| p == "program.wb")
        .map_or(0, |(_, t)| {
            t.lines().filter(|l| !l.starts_with('#')).count()
        });
    let cells: usize = m.tiles.iter().map(|t| t.cells.len()).sum();
    let used = m.tiles.iter().filter(|t| !t.cells.is_empty()).count();
    let (what, n) = match &m.routing {
        Routing::Mosaic(r) => (
            "routing devices set",
            r.iter().map(|x| x.routes.len()).sum::<usize>(),
        ),
        Routing::Mesh(r) => ("table entries", r.iter().map(|x| x.entries.len()).sum()),
    };
    let human = format!(
        "mapped {} neurons and {} inputs onto `{}` ({:?}, {:?} encoding, {} neurons per tile): {} of {} tiles, {} cells, {} routes, {} {}, {} bus operations; files in {}\n",
        m.neurons,
        m.inputs,
        m.design,
        m.interconnect,
        m.encoding,
        m.neurons_per_tile,
        used,
        m.tiles.len(),
        cells,
        m.routes,
        n,
        what,
        ops,
        args.out.display()
    );
    let json = json!({
        "ok": true,
        "design": m.design,
        "neurons": m.neurons,
        "inputs": m.inputs,
        "encoding": m.encoding,
        "tiles_used": used,
        "cells": cells,
        "routes": m.routes,
        "bus_operations": ops,
        "out": args.out,
        "files": files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
    });
    Ok(Report { human, json })
}
