//! Issue #3: the full tile's Verilated RTL runs in lock step with its golden
//! model (`TileModel`) on random traffic (AER in/out with backpressure,
//! Wishbone configuration, programming, resets, the harness playing the
//! analog macro) with zero mismatches; and a one-character change to the
//! generated RTL is caught within the CLI's default run. Fails (never
//! skips) without Verilator.

use crate::common;

use memforge::blocks::tile::TileDesign;
use memforge::cosim::design::write_rtl_edited;
use memforge::tools::{find, Tool};
use memforge_sim::cosim::{self, CosimOptions, CosimReport, VcdWindow};
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::CoverageProbe;
use memforge_sim::stimulus::TileTraffic;
use memforge_sim::tile::TileModel;
use memforge_sim::verilator::{BuildOptions, VerilatedLibrary};
use memforge_spec::DesignConfig;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const SEED: u64 = 0x5eed_0003;
/// `memforge cosim`'s default `--cycles`.
const CLI_DEFAULT_CYCLES: u64 = 100_000;

fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("tile_cosim")
}

fn config() -> &'static DesignConfig {
    static CFG: OnceLock<DesignConfig> = OnceLock::new();
    CFG.get_or_init(|| {
        memforge_spec::load_file(&common::root().join("examples/tile-8x8.toml")).unwrap()
    })
}

/// Emits the 8x8 tile into `name` with `edit` applied to its files and
/// Verilates it (`-O1`, tracing on) into `target/memforge-verilator`.
fn verilate(name: &str, edit: impl Fn(&str, String) -> String) -> VerilatedLibrary {
    let verilator = find(Tool::Verilator)
        .unwrap_or_else(|e| panic!("this test needs Verilator (it does not skip): {e:#}"));
    let design = write_rtl_edited(&TileDesign(config().clone()), &tmp().join(name), edit)
        .unwrap_or_else(|e| panic!("{e:#}"));
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("memforge-verilator");
    VerilatedLibrary::build(&design, &BuildOptions::new(verilator.path, cache))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the tile's lock-step co-simulation; returns the report and the
/// main run's coverage counters.
fn cosim(lib: &VerilatedLibrary, cycles: u64, vcd: Option<&str>) -> (CosimReport, CoverageProbe) {
    let cfg = config();
    let mut probe = None;
    let report = cosim::run(
        lib,
        |seed| {
            let model = TileModel::new(cfg);
            let traffic = TileTraffic::new(cfg, model.layout(), seed).unwrap();
            probe.get_or_insert_with(|| traffic.coverage());
            (model, traffic)
        },
        &CosimOptions {
            clock: memforge_spec::blocks::tile::CLOCK.into(),
            cycles,
            seed: SEED,
            vcd: vcd.map(|name| VcdWindow {
                path: tmp().join(name),
                cycles: 32,
            }),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (report, probe.unwrap())
}

#[test]
fn tile_rtl_matches_its_golden_model_for_50k_random_cycles() {
    let lib = verilate("design", |_, text| text);
    let (report, probe) = cosim(&lib, 50_000, None);
    if let Some(m) = &report.mismatch {
        panic!("{m}");
    }
    assert_eq!(report.cycles, 50_000);
    // The run is only evidence if the traffic exercised the tile.
    let c = probe.snapshot();
    assert_eq!(c.cycles, 50_000);
    for (what, n, at_least) in [
        ("events in", c.events_in, 500),
        ("out-of-range events", c.events_out_of_range, 20),
        (
            "input backpressure cycles",
            c.input_backpressure_cycles,
            1_000,
        ),
        ("spikes out", c.spikes_out, 500),
        (
            "output backpressure cycles",
            c.output_backpressure_cycles,
            1_000,
        ),
        ("crossbar reads", c.xbar_reads, 1_000),
        ("SET pulses", c.xbar_sets, 100),
        ("RESET pulses", c.xbar_resets, 100),
        ("spurious ADC strobes", c.spurious_adc_strobes, 20),
        ("deaf macro cycles", c.deaf_cycles, 200),
        ("bus writes", c.wb_writes, 1_000),
        ("non-zero bus reads", c.wb_reads_nonzero, 200),
        ("programming requests", c.prog_requests, 50),
        ("resets", c.resets, 3),
    ] {
        assert!(n >= at_least, "{what}: {n} < {at_least} ({c:?})");
    }
}

/// One textual change to a generated file: in the file whose path ends in
/// `.0`, `.1` becomes `.2`.
type Edit = (&'static str, &'static str, &'static str);

/// Verilates the tile with the first of `edits` whose text is present
/// applied (alternatives spell the same bug for different emitter
/// versions: the generated text changes as the RTL is optimized), runs the
/// CLI's default co-simulation and returns what it found.
fn mutant(name: &str, edits: &[Edit]) -> cosim::Mismatch {
    let applied = std::sync::Mutex::new(Vec::new());
    let lib = verilate(name, |path, text| {
        let mut done = applied.lock().unwrap();
        match edits
            .iter()
            .find(|(file, from, _)| done.is_empty() && path.ends_with(file) && text.contains(from))
        {
            Some((_, from, to)) => {
                done.push(path.to_string());
                text.replacen(from, to, 1)
            }
            None => text,
        }
    });
    assert_eq!(
        applied.lock().unwrap().len(),
        1,
        "no mutation site of {edits:?} is in the generated RTL any more"
    );
    let vcd = format!("{name}.vcd");
    let (report, _) = cosim(&lib, CLI_DEFAULT_CYCLES, Some(&vcd));
    let m = report
        .mismatch
        .unwrap_or_else(|| panic!("mutant `{name}` survived {CLI_DEFAULT_CYCLES} cycles"));
    println!("{name} caught: {m}");
    assert_eq!(m.seed, SEED);
    assert_eq!(report.cycles, m.cycle + 1);
    assert_ne!(m.signals[0].expected, m.signals[0].actual);
    assert_eq!(m.reproduced, Some(true), "{m}");
    let trace = std::fs::read_to_string(m.vcd.as_ref().unwrap()).unwrap();
    assert!(
        trace.contains("aer_out_valid") && trace.contains("xbar_op"),
        "the VCD has the ports"
    );
    let text = m.to_string();
    assert!(text.contains("cycle") && text.contains("seed"), "{text}");
    m
}

/// The neuron fires at `v >= threshold`; `>` only differs when the potential
/// equals the threshold exactly at a commit, a corner the traffic must hit.
#[test]
fn a_threshold_comparison_mutant_is_caught_with_a_vcd() {
    let m = mutant(
        "mutant_threshold",
        &[
            ("_neuron.v", "(v__q >= threshold)", "(v__q > threshold)"),
            // The lane computes `v - threshold` in the neuron's adder and
            // fires on its carry; one less makes it `v > threshold` (and
            // the leak one more).
            (
                "_lane.v",
                "opnd = 17'h10000 - sub;",
                "opnd = 17'h0ffff - sub;",
            ),
            // Since the carry select: `v + !x + cin` with cin = 1.
            ("_lane.v", "cin = 9'h1;", "cin = 9'h0;"),
        ],
    );
    // Seen as a spike too few (or too many) on the AER output.
    assert!(m.signals[0].signal.starts_with("aer_out"), "{m}");
}

/// Off by one in the AER input's row check: events for the last row are
/// dropped. Only visible through the `dropped` register and missing
/// reads and spikes, so the traffic must drive the last row.
#[test]
fn an_input_row_check_mutant_is_caught() {
    mutant(
        "mutant_row_check",
        &[
            ("_aer_in.v", "if (addr > last_row)", "if (addr >= last_row)"),
            // Nine bits wide since issue 11 (256 rows lint clean).
            (
                "_aer_in.v",
                "if ({1'd0, addr} > last_row)",
                "if ({1'd0, addr} >= last_row)",
            ),
        ],
    );
}
