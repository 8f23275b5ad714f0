//! The network simulator (issue #15 part 3), checked against independent
//! computations:
//! - one tile of the simulator against the cycle-accurate tile golden model
//!   (`TileModel` driven by a scripted session, `IdealXbar` preloaded) on
//!   random weights, thresholds, reset modes, ADC sharing and event
//!   sequences: the same columns fire in the same order;
//! - the digits task: the simulator's spike counts of the ten class neurons
//!   on all 400 held-out digits equal `expected_counts.npy`, computed by
//!   the training script's own numpy model (route masks from the weights,
//!   floor(total / threshold) per layer), and the accuracies are the
//!   script's;
//! - the traced Mosaic routing lands every source on the rows the mapping
//!   assigned (and on no other tile), and the output neurons on the
//!   `south_out` bits it assigned;
//! - the step loop's two outputs: spikes counted per source (what a run
//!   without a raster takes, the throughput path) and spikes listed per
//!   event (the raster, and the golden-model comparison) agree on every
//!   digit;
//! - `memforge task` end to end: report, plots, quiet `--json`, exit 2 on a
//!   bad task file.

use crate::common;
use memforge::netsim::task::Task;
use memforge::netsim::{tile_spikes, CellModel};
use memforge_sim::cosim::session::{AerEvent, Script, Session};
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::Stimulus;
use memforge_sim::tile::{IdealXbar, TileModel};
use memforge_sim::weights::parse_npy;
use memforge_spec::NeuronReset;
use rand::{Rng, SeedableRng};
use std::process::Command;

fn digits() -> Task {
    Task::load(&common::root().join("examples/digits/task.toml")).unwrap()
}

/// Columns the golden model's tile emits for `events` (value 1 each).
pub(crate) fn golden(
    cfg: &memforge_spec::DesignConfig,
    levels: &[u16],
    threshold: u16,
    events: &[u16],
) -> Vec<u16> {
    let (rows, cols) = (cfg.tile.rows as usize, cfg.tile.cols as usize);
    let mut xbar = IdealXbar::new(cfg, 2);
    for r in 0..rows {
        for c in 0..cols {
            xbar.set_level(r, c, levels[r * cols + c]);
        }
    }
    let script = Script::new()
        .write("threshold", u32::from(threshold))
        .write("refractory", 0)
        .write("leak", 0)
        .write("ctrl", 1)
        .send(
            events
                .iter()
                .map(|&r| AerEvent {
                    row: r as u8,
                    value: 1,
                })
                .collect(),
        )
        .wait_idle()
        .wait(50);
    let mut model = TileModel::new(cfg);
    let mut s = Session::new(cfg, model.layout(), &script, xbar).unwrap();
    let mut values = vec![0u64; model.layout().total_words()];
    model.outputs(&mut values);
    for cycle in 0..200_000 {
        if s.finished() {
            break;
        }
        s.drive(cycle, &mut values);
        model.tick(&values);
        model.outputs(&mut values);
    }
    assert!(s.finished() && s.log.completed(), "{:?}", s.log);
    s.log.spikes.iter().map(|sp| u16::from(sp.col)).collect()
}

#[test]
fn tile_matches_the_golden_model_on_random_inputs() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(15);
    let mut spikes = 0;
    for case in 0..24 {
        let (rows, cols) = [(8, 8), (4, 6), (8, 16)][case % 3];
        let share = [1, 2, 3][case % 3 / 2 + case % 2];
        let reset = if case % 4 < 2 { "zero" } else { "subtract" };
        let adc_bits = [6, 4][case % 2];
        let cfg = memforge_spec::parse_str(
            &format!(
                "[design]\nname = \"t\"\n[tile]\nrows = {rows}\ncols = {cols}\nadc_share = {share}\nadc_bits = {adc_bits}\nout_fifo_depth = 2\n[neuron]\nreset = \"{reset}\"\n"
            ),
            "t",
        )
        .unwrap();
        let max = (1u16 << adc_bits) - 1;
        let levels: Vec<u16> = (0..rows * cols).map(|_| rng.gen_range(0..=max)).collect();
        // Thresholds both below one read (a neuron fires on every event)
        // and far above it (integration over many events).
        let threshold = if case % 3 == 0 {
            rng.gen_range(1..max)
        } else {
            rng.gen_range(max..6 * max)
        };
        let events: Vec<u16> = (0..rng.gen_range(10..40))
            .map(|_| rng.gen_range(0..rows as u16))
            .collect();
        let want = golden(&cfg, &levels, threshold, &events);
        let r = match reset {
            "zero" => NeuronReset::Zero,
            _ => NeuronReset::Subtract,
        };
        let got = tile_spikes(rows, cols, &levels, threshold, r, &events);
        assert_eq!(
            got, want,
            "case {case}: {rows}x{cols} share {share} {reset} threshold {threshold} events {events:?}"
        );
        spikes += want.len();
    }
    assert!(spikes > 200, "the cases should fire ({spikes} spikes)");
}

#[test]
fn digits_counts_equal_the_training_scripts_model() {
    let task = digits();
    let bytes = std::fs::read(common::root().join("examples/digits/expected_counts.npy")).unwrap();
    let want = parse_npy(&bytes, "expected_counts.npy").unwrap();
    assert_eq!((want.rows, want.cols), (400, 10));
    let mut sim = task.simulator(&CellModel::Ideal).unwrap();
    let mut right = 0;
    for i in 0..task.labels.len() {
        let o = sim.run(&task.spikes(i), task.drain(), false);
        let got: Vec<f64> = task
            .file
            .classes
            .iter()
            .map(|&n| f64::from(o.counts[n as usize]))
            .collect();
        assert_eq!(got, want.values[i * 10..(i + 1) * 10], "sample {i}");
        right += usize::from(task.predict(&o) == task.labels[i]);
    }
    // training.json: quantized 0.855, float 0.8525.
    assert_eq!(right, 342);
    let mut float = task.simulator(&CellModel::Float).unwrap();
    let right_f = (0..task.labels.len())
        .filter(|&i| {
            task.predict(&float.run(&task.spikes(i), task.drain(), false)) == task.labels[i]
        })
        .count();
    assert_eq!(right_f, 341);
}

/// A run counts a step's spikes per source (per column in the 8-column
/// fast path) and lists them per event only for the raster: on all 400
/// digits both give the same counts, events and router usage, and the
/// listed raster holds each neuron as many times as it was counted.
#[test]
fn counted_and_listed_spikes_agree_on_every_digit() {
    let task = digits();
    let mut sim = task.simulator(&CellModel::Ideal).unwrap();
    let mut spikes = 0;
    for i in 0..task.labels.len() {
        let x = task.spikes(i);
        let counted = sim.run(&x, task.drain(), false);
        let mut listed = sim.run(&x, task.drain(), true);
        let mut from_raster = vec![0u32; counted.counts.len()];
        for &(_, n) in &listed.raster {
            from_raster[n as usize] += 1;
        }
        assert_eq!(from_raster, counted.counts, "sample {i}: raster vs counts");
        assert!(listed.raster.windows(2).all(|w| w[0].0 <= w[1].0));
        listed.raster.clear();
        assert_eq!(listed, counted, "sample {i}");
        spikes += counted.counts.iter().sum::<u32>();
    }
    assert!(spikes > 10_000, "{spikes}");
}

#[test]
fn traced_routes_land_on_the_mapped_rows() {
    let task = digits();
    let m = &task.mapping;
    let sim = task.simulator(&CellModel::Ideal).unwrap();
    let d = sim.deliveries();
    let mut want_n = vec![Vec::new(); m.neurons];
    let mut want_i = vec![Vec::new(); m.inputs];
    for (t, im) in m.tiles.iter().enumerate() {
        for (r, s) in im.rows.iter().enumerate() {
            match s {
                Some(memforge::map::Source::Neuron(n)) => {
                    want_n[*n as usize].push((t as u32, r as u16))
                }
                Some(memforge::map::Source::Input(k)) => {
                    want_i[*k as usize].push((t as u32, r as u16))
                }
                None => {}
            }
        }
    }
    let got_n: Vec<_> = d.neurons.iter().map(|f| f.rows.clone()).collect();
    let got_i: Vec<_> = d.inputs.iter().map(|f| f.rows.clone()).collect();
    assert_eq!(got_n, want_n);
    assert_eq!(got_i, want_i);
    // 8 hidden neurons reach both output tiles, 16 inputs one tile each.
    assert_eq!(got_n.iter().filter(|r| r.len() == 2).count(), 8);
    assert_eq!(got_i.iter().filter(|r| r.len() == 1).count(), 16);
    // A hidden neuron reaches its output tiles through three routers.
    assert!(d.neurons.iter().any(|f| f.routers.len() == 3));
    // The class neurons (the task's outputs) leave the array at the south
    // edge, each on the bit the mapping assigned, traced through the
    // programmed devices; no other source leaves it.
    let classes = &task.file.classes;
    assert_eq!(m.edge_outputs.len(), classes.len());
    for (n, f) in d.neurons.iter().enumerate() {
        let want: Vec<(&str, u64)> = m
            .edge_outputs
            .iter()
            .filter(|e| e.neuron == n as u32)
            .map(|e| (e.port.as_str(), e.value))
            .collect();
        assert_eq!(f.exits, want, "neuron {n}");
        assert_eq!(want.len(), usize::from(classes.contains(&(n as u32))));
    }
    assert!(d.inputs.iter().all(|f| f.exits.is_empty()));
    let bits: std::collections::BTreeSet<u64> = m.edge_outputs.iter().map(|e| e.value).collect();
    assert_eq!(bits.len(), classes.len(), "one south_out bit per output");
    // An output in the first row (hidden neuron 0, tile (0, 0)) goes down
    // the router column west of its tile: traced, it leaves by the bit the
    // mapping assigned, on corner router (4, 0). One of tile (0, 1) would
    // go down router column 2, whose corner router (2, 2) already carries
    // 8 hidden lines south: a violation, reported per router and port.
    let with = |extra: &[u32]| {
        let mut outputs = classes.clone();
        outputs.extend(extra);
        memforge::map::map(
            &task.net,
            &task.cfg,
            &memforge::map::Options {
                outputs,
                ..Default::default()
            },
        )
    };
    let m2 = with(&[0]).unwrap();
    let d2 = memforge::netsim::deliver::Deliveries::of(&m2);
    for e in &m2.edge_outputs {
        assert_eq!(
            d2.neurons[e.neuron as usize].exits,
            vec![(e.port.as_str(), e.value)],
            "neuron {}",
            e.neuron
        );
    }
    let ch = u64::from(task.cfg.array.channels);
    let e0 = m2.edge_outputs.iter().find(|e| e.neuron == 0).unwrap();
    assert_eq!(e0.value / ch, 0, "router column 0");
    assert!(d2.neurons[0].routers.contains(&(4, 0)));
    let err = with(&[0, 9]).unwrap_err().to_string();
    assert!(err.contains("R_0 (2, 2) out S uses 9 of 8"), "{err}");
    // An output that is not a neuron: a clear error, no mapping.
    let err = memforge::map::map(
        &task.net,
        &task.cfg,
        &memforge::map::Options {
            outputs: vec![3, 32],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "output neuron 32: the network has 32 neurons (0..32)"
    );
}

/// Mesh: the rows reached by walking every neuron's and input's packet
/// through the image's table entries (the router's rules) are the rows the
/// mapping assigned; the network of `map_network`'s mesh test (remote,
/// diagonal and stay-at-home neurons, inputs on free rows).
#[test]
fn mesh_packets_land_on_the_mapped_rows() {
    use memforge::map::{self, Source};
    let edges = vec![
        (0, 18..24),
        (18, 0..6),
        (1, 0..6),
        (7, 6..12),
        (13, 12..15),
        (24, 0..3),
        (25, 6..12),
    ];
    let (rec, inp) = super::map_network::network(24, 2, &edges, 0x5eed_0216);
    let net = map::network::Network::new(rec, Some(inp)).unwrap();
    let cfg = super::map_network::config("mesh");
    let opts = map::Options {
        neurons_per_tile: Some(6),
        ..Default::default()
    };
    let m = map::map(&net, &cfg, &opts).unwrap();
    let d = memforge::netsim::deliver::Deliveries::of(&m);
    let mut want_n = vec![Vec::new(); m.neurons];
    let mut want_i = vec![Vec::new(); m.inputs];
    for (t, im) in m.tiles.iter().enumerate() {
        for (r, s) in im.rows.iter().enumerate() {
            match s {
                Some(Source::Neuron(n)) => want_n[*n as usize].push((t as u32, r as u16)),
                Some(Source::Input(k)) => want_i[*k as usize].push((t as u32, r as u16)),
                None => {}
            }
        }
    }
    let got_n: Vec<_> = d.neurons.iter().map(|f| f.rows.clone()).collect();
    let got_i: Vec<_> = d.inputs.iter().map(|f| f.rows.clone()).collect();
    assert_eq!(got_n, want_n);
    assert_eq!(got_i, want_i);
    // Neuron 0 (tile (0, 0)) reaches tile (1, 1) through three routers,
    // neuron 1 stays home (its own router only).
    assert_eq!(got_n[0], vec![(3, 0)]);
    assert_eq!(d.neurons[1].routers, vec![(1, 1)]);
    assert!(
        d.neurons[0].routers.len() >= 3,
        "{:?}",
        d.neurons[0].routers
    );
}

#[test]
fn task_command_reports_and_plots() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
        .args(["--json", "task"])
        .arg(common::root().join("examples/digits/task.toml"))
        .args([
            "--samples",
            "40",
            "--sigmas",
            "0,0.2",
            "--seeds",
            "1",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "--json is quiet: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["samples"], 40);
    assert!(v["accuracy"]["ideal"].as_f64().unwrap() > 0.7, "{v}");
    assert_eq!(
        v["accuracy"]["linear_variability"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    for f in [
        "raster.svg",
        "routing_usage.svg",
        "accuracy_vs_variability.svg",
        "report.json",
    ] {
        let text = std::fs::read_to_string(dir.path().join(f)).unwrap();
        assert!(text.len() > 500, "{f}");
    }
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "array = \"x.toml\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
        .arg("task")
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing field"));
}
