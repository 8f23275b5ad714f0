//! `memforge bench map`: time and peak memory of mapping a random
//! 2048-neuron network onto 8x8 Mosaic tiles of 32 neurons (issue #15
//! part 2's figure: < 1 s). The array is the Mosaic example resized (8x8
//! tiles, 32x32 crossbars, `channels` lines per direction); the network is
//! Mosaic-shaped: the first `senders` neurons of every tile send to all 32
//! neurons of a tile picked at random among itself and its eight
//! neighbours (at most `channels` sources per tile, the bridge's limit),
//! plus 2 inputs into each first-row tile, weights normal-ish random. Timed:
//! [`map::map`] (placement, routing, quantization), the output files in
//! memory (Wishbone sequence, JSON image, text, C header) and their atomic
//! write to a scratch folder; best of `--repeat`, peak RSS of the first run.

use super::memory::{peak_rss_kib, reset_peak};
use crate::map::{self, Encoding, Options, Routing};
use crate::outcome::{CheckFailed, Report};
use anyhow::{Context, Result};
use memforge_hdl::emit::write_design;
use memforge_sim::weights::WeightMatrix;
use memforge_spec::blocks::array::{self, ArrayConfig};
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Mosaic config to resize.
    #[arg(long, default_value = "examples/array-mosaic-2x2.toml")]
    pub config: PathBuf,
    /// Tiles per side.
    #[arg(long, default_value_t = 8)]
    pub side: u32,
    /// Neurons per tile (= crossbar columns and rows).
    #[arg(long, default_value_t = 32)]
    pub neurons_per_tile: u32,
    /// Spike lines per direction of every routing tile (1, 2, 4, 8).
    #[arg(long, default_value_t = 8)]
    pub channels: u32,
    /// Neurons per tile with off-tile targets (<= channels).
    #[arg(long, default_value_t = 4)]
    pub senders: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, default_value_t = 3)]
    pub repeat: u32,
    /// Largest time (s) and peak memory (MiB) allowed.
    #[arg(long, default_value_t = 1.0)]
    pub max_seconds: f64,
    #[arg(long, default_value_t = 1024.0)]
    pub max_mib: f64,
}

/// The random network (see the module doc).
pub fn network(cfg: &ArrayConfig, per_tile: u32, senders: u32, seed: u64) -> map::network::Network {
    let (rows, cols) = (cfg.array.rows as i64, cfg.array.cols as i64);
    let n = (rows * cols) as usize * per_tile as usize;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut w = || -> f64 { (0..4).map(|_| rng.gen_range(-0.5..0.5)).sum::<f64>() };
    let ch = cfg.array.channels as usize;
    let mut incoming = vec![0usize; (rows * cols) as usize];
    let inputs = 2 * cols as usize;
    let mut inp = vec![0.0; inputs * n];
    for k in 0..inputs {
        let t = k / 2;
        incoming[t] += 1;
        for j in 0..per_tile as usize {
            inp[k * n + t * per_tile as usize + j] = w();
        }
    }
    let mut rec = vec![0.0; n * n];
    let mut pick = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x9e37_79b9);
    for t in 0..(rows * cols) {
        let (r, c) = (t / cols, t % cols);
        for s in 0..senders as usize {
            let i = t as usize * per_tile as usize + s;
            // A tile among itself and its neighbours with a free line.
            for _ in 0..32 {
                let (dr, dc) = (pick.gen_range(-1..=1), pick.gen_range(-1..=1));
                let (rr, cc) = (r + dr, c + dc);
                if rr < 0 || cc < 0 || rr >= rows || cc >= cols {
                    continue;
                }
                let d = (rr * cols + cc) as usize;
                if incoming[d] >= ch {
                    continue;
                }
                incoming[d] += 1;
                for j in 0..per_tile as usize {
                    rec[i * n + d * per_tile as usize + j] = w();
                }
                break;
            }
        }
    }
    map::network::Network::new(
        WeightMatrix {
            rows: n,
            cols: n,
            values: rec,
        },
        Some(WeightMatrix {
            rows: inputs,
            cols: n,
            values: inp,
        }),
    )
    .expect("square by construction")
}

pub fn run(args: &Args) -> Result<Report> {
    let mut cfg: ArrayConfig = memforge_spec::load::load_with(&args.config, array::validate)?;
    cfg.array.rows = args.side;
    cfg.array.cols = args.side;
    cfg.array.channels = args.channels;
    cfg.tile.rows = args.neurons_per_tile;
    cfg.tile.cols = args.neurons_per_tile;
    cfg.design.name = format!("bench_map{}", args.side);
    if let Some(p) = array::validate(&cfg).first() {
        anyhow::bail!("{} = {}: {}", p.path, p.value, p.rule);
    }
    let net = network(&cfg, args.neurons_per_tile, args.senders, args.seed);
    let opts = Options {
        encoding: Encoding::Offset,
        neurons_per_tile: None,
        outputs: Vec::new(),
    };
    let tmp = tempfile::tempdir().context("creating a scratch folder")?;
    let out = tmp.path().join("map");
    let (mut best, mut best_map, mut best_files, mut peak) =
        (f64::INFINITY, f64::INFINITY, f64::INFINITY, 0);
    let mut shape = json!({});
    for run in 0..args.repeat.max(1) {
        if run == 0 {
            reset_peak();
        }
        let t = Instant::now();
        let m = map::map(&net, &cfg, &opts)?;
        let mapped = t.elapsed().as_secs_f64();
        let files = map::program::files(&m);
        best_files = best_files.min(t.elapsed().as_secs_f64() - mapped);
        write_design(&out, &files)?;
        best = best.min(t.elapsed().as_secs_f64());
        best_map = best_map.min(mapped);
        if run == 0 {
            peak = peak_rss_kib().unwrap_or(0);
            let devices: usize = match &m.routing {
                Routing::Mosaic(r) => r.iter().map(|x| x.routes.len()).sum(),
                Routing::Mesh(r) => r.iter().map(|x| x.entries.len()).sum(),
            };
            let bytes: usize = files.iter().map(|(_, c)| c.len()).sum();
            let ops = files
                .iter()
                .find(|(p, _)| p == "program.wb")
                .map_or(0, |(_, t)| {
                    t.lines().filter(|l| !l.starts_with('#')).count()
                });
            shape = json!({
                "neurons": m.neurons, "inputs": m.inputs, "tiles": m.tiles.len(),
                "routers": cfg.routers().len(),
                "cells": m.tiles.iter().map(|t| t.cells.len()).sum::<usize>(),
                "routes": m.routes, "routing_devices_on": devices,
                "bus_operations": ops, "output_mib": bytes as f64 / (1 << 20) as f64,
            });
        }
    }
    let mib = peak as f64 / 1024.0;
    let human = format!(
        "bench map: {} neurons + {} inputs onto {s}x{s} Mosaic tiles x {} neurons ({} lines per direction): {} cells, {} routes, {} routing devices on (of {} routers), {} bus operations, {:.1} MiB of output\n  map (place, route, quantize): {best_map:.3} s; files in memory (sequence, image, text, C header, hashes): {best_files:.3} s; map + files + atomic write: {best:.3} s (best of {}); peak RSS {mib:.0} MiB\n",
        shape["neurons"], shape["inputs"], args.neurons_per_tile, args.channels,
        shape["cells"], shape["routes"], shape["routing_devices_on"], shape["routers"],
        shape["bus_operations"], shape["output_mib"].as_f64().unwrap_or(0.0), args.repeat,
        s = args.side,
    );
    let mut json = shape;
    json["seconds_map"] = best_map.into();
    json["seconds_files"] = best_files.into();
    json["seconds"] = best.into();
    json["peak_rss_mib"] = mib.into();
    if best > args.max_seconds || mib > args.max_mib {
        return Err(CheckFailed {
            summary: format!(
                "over the budget ({} s, {} MiB): {best:.3} s, {mib:.0} MiB",
                args.max_seconds, args.max_mib
            ),
            details: json,
        }
        .into());
    }
    Ok(Report { human, json })
}
