//! Issue #2: the register bank of examples/tile-8x8.toml, emitted on its own
//! and Verilated, runs >= 100,000 cycles of random Wishbone traffic in lock
//! step with its golden model (`RegFileModel`) with zero mismatches; and a
//! deliberately broken model is caught. Fails (never skips) without
//! Verilator.

use crate::common;

use memforge::blocks::regbank::{self, RegBankDesign};
use memforge::cosim::design::write_rtl;
use memforge::tools::{find, Tool};
use memforge_sim::cosim::{self, CosimOptions, VcdWindow};
use memforge_sim::cycle::{CycleModel, PortLayout};
use memforge_sim::regbank_ports::RegBankPorts;
use memforge_sim::regfile::RegFileModel;
use memforge_sim::stimulus::Stimulus;
use memforge_sim::verilator::{BuildOptions, VerilatedLibrary};
use memforge_spec::{DesignConfig, RegisterMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const SEED: u64 = 0x5eed_0002;

fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("regfile_cosim")
}

/// The config and the Verilated bank, built once for all tests here.
fn setup() -> &'static (DesignConfig, VerilatedLibrary) {
    static SETUP: OnceLock<(DesignConfig, VerilatedLibrary)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let verilator = find(Tool::Verilator)
            .unwrap_or_else(|e| panic!("this test needs Verilator (it does not skip): {e:#}"));
        let cfg = memforge_spec::load_file(&common::root().join("examples/tile-8x8.toml")).unwrap();
        let design = write_rtl(&RegBankDesign(cfg.clone()), &tmp().join("design")).unwrap();
        // `target/memforge-verilator`, beside the test's own temp dir.
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .unwrap()
            .join("memforge-verilator");
        let lib = VerilatedLibrary::build(&design, &BuildOptions::new(verilator.path, cache))
            .unwrap_or_else(|e| panic!("{e}"));
        (cfg, lib)
    })
}

fn options(cycles: u64, vcd: Option<&str>) -> CosimOptions {
    CosimOptions {
        clock: memforge_spec::blocks::regbank::CLOCK.into(),
        cycles,
        seed: SEED,
        vcd: vcd.map(|name| VcdWindow {
            path: tmp().join(name),
            cycles: 64,
        }),
    }
}

/// Counts what the traffic exercised, to show the zero-mismatch run is not
/// vacuous.
#[derive(Default)]
struct Seen {
    resets: u64,
    writes: u64,
    partial_writes: u64,
    reads_nonzero: u64,
    strobes: u64,
}

/// The golden model, counting events at its ports on the way through.
struct Observed {
    inner: RegBankPorts,
    seen: Seen,
    ack_pending: bool,
}

impl Observed {
    fn step(&mut self, values: &mut [u64]) {
        let layout = self.inner.layout().clone();
        let l = |v: &[u64], n: &str| layout.pin(n).unwrap().get(v);
        let request = l(values, "wbs_stb_i") == 1 && l(values, "wbs_cyc_i") == 1;
        if l(values, "rst_n") == 0 {
            self.seen.resets += 1;
        } else if request && !self.ack_pending && l(values, "wbs_we_i") == 1 {
            self.seen.writes += 1;
            let sel = l(values, "wbs_sel_i");
            if sel != 0xf && sel != 0 {
                self.seen.partial_writes += 1;
            }
        }
        self.inner.tick(values);
        self.inner.outputs(values);
        self.ack_pending = l(values, "wbs_ack_o") == 1;
        if self.ack_pending && l(values, "wbs_dat_o") != 0 {
            self.seen.reads_nonzero += 1;
        }
        if l(values, "cmd") != 0 {
            self.seen.strobes += 1;
        }
    }
}

#[test]
fn regbank_rtl_matches_its_golden_model_for_100k_random_cycles() {
    let (cfg, lib) = setup();
    let report = cosim::run(
        lib,
        |seed| {
            let model = regbank::model(cfg);
            let traffic = regbank::traffic(cfg, &model, seed).unwrap();
            (model, traffic)
        },
        &options(100_000, None),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    if let Some(m) = &report.mismatch {
        panic!("{m}");
    }
    assert_eq!(report.cycles, 100_000);
    assert!(report.cycles_per_second() > 0.0);
}

/// The same traffic as the lock-step run (same seed; the outputs it reacts
/// to are the model's, equal to the RTL's there).
#[test]
fn the_traffic_covers_resets_partial_writes_reads_and_strobes() {
    let (cfg, _) = setup();
    let inner = regbank::model(cfg);
    let mut traffic = regbank::traffic(cfg, &inner, SEED).unwrap();
    let mut values = vec![0u64; inner.layout().total_words()];
    inner.outputs(&mut values);
    let mut obs = Observed {
        inner,
        seen: Seen::default(),
        ack_pending: false,
    };
    for cycle in 0..100_000 {
        traffic.drive(cycle, &mut values);
        obs.step(&mut values);
    }
    let s = &obs.seen;
    assert!(s.resets >= 10, "resets: {}", s.resets);
    assert!(s.writes >= 5_000, "writes: {}", s.writes);
    assert!(
        s.partial_writes >= 2_000,
        "partial writes: {}",
        s.partial_writes
    );
    assert!(
        s.reads_nonzero >= 2_000,
        "non-zero reads: {}",
        s.reads_nonzero
    );
    assert!(s.strobes >= 50, "cmd strobes: {}", s.strobes);
}

#[test]
fn a_wrong_reset_value_in_the_model_is_caught_with_a_vcd() {
    let (cfg, lib) = setup();
    let mut map = RegisterMap::for_design(cfg);
    let threshold = map
        .registers
        .iter_mut()
        .find(|r| r.name == "threshold")
        .unwrap();
    threshold.reset ^= 0x4;
    let report = cosim::run(
        lib,
        |seed| {
            let model = RegBankPorts::new(RegFileModel::new(&map));
            let traffic = regbank::traffic(cfg, &model, seed).unwrap();
            (model, traffic)
        },
        &options(100_000, Some("reset_mutant.vcd")),
    )
    .unwrap();
    let m = report.mismatch.expect("the broken model must be caught");
    assert_eq!(m.signals[0].signal, "threshold", "{m}");
    assert_eq!(m.seed, SEED);
    assert!(m.cycle < 10, "caught at the first reset: {m}");
    assert_eq!(m.reproduced, Some(true), "{m}");
    let vcd = std::fs::read_to_string(m.vcd.as_ref().unwrap()).unwrap();
    assert!(
        vcd.contains("threshold") && vcd.contains("wbs_adr_i"),
        "the VCD has the ports"
    );
    let text = m.to_string();
    assert!(
        text.contains("cycle") && text.contains("threshold") && text.contains("seed"),
        "{text}"
    );
}

/// The golden model with byte lanes ignored (every write is a full word).
struct LanesIgnored {
    inner: RegBankPorts,
    scratch: Vec<u64>,
    sel: usize,
}

impl CycleModel for LanesIgnored {
    fn layout(&self) -> &PortLayout {
        self.inner.layout()
    }
    fn tick(&mut self, values: &[u64]) {
        self.scratch.copy_from_slice(values);
        self.scratch[self.sel] = 0xf;
        self.inner.tick(&self.scratch);
    }
    fn outputs(&self, values: &mut [u64]) {
        self.inner.outputs(values);
    }
}

#[test]
fn a_model_that_ignores_byte_lanes_is_caught() {
    let (cfg, lib) = setup();
    let report = cosim::run(
        lib,
        |seed| {
            let inner = regbank::model(cfg);
            let traffic = regbank::traffic(cfg, &inner, seed).unwrap();
            let l = inner.layout();
            let sel = l.range(l.index_of("wbs_sel_i").unwrap()).start;
            let scratch = vec![0; l.total_words()];
            (
                LanesIgnored {
                    inner,
                    scratch,
                    sel,
                },
                traffic,
            )
        },
        &options(100_000, None),
    )
    .unwrap();
    let m = report.mismatch.expect("ignoring byte lanes must be caught");
    // Shows on a written register's hardware port or on read-back data.
    let map = RegisterMap::for_design(cfg);
    let signal = m.signals[0].signal.as_str();
    let register = map.get(signal).is_some_and(|r| r.hw_port);
    assert!(register || signal == "wbs_dat_o", "{m}");
    assert_ne!(m.signals[0].expected, m.signals[0].actual);
    assert_eq!(report.cycles, m.cycle + 1);
}
