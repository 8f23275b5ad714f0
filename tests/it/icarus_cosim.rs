//! Issue 10: the fourth leg of the verification. The lock-step stimulus of
//! each block (the full tile on several configs, odd shapes and both reset
//! styles; the register bank) is recorded against the golden model alone and
//! replayed into the same generated RTL under Icarus Verilog, an
//! event-driven simulator, every output compared every cycle. Also: the
//! input-FIFO livelock scenario runs to completion, and a broken model is
//! caught. Fails (never skips) without Icarus.

use crate::common;

use memforge::blocks::regbank::{self, RegBankDesign};
use memforge::blocks::tile::TileDesign;
use memforge::blocks::BlockDesign;
use memforge::cosim::design::{write_rtl, write_rtl_edited};
use memforge::tools::{find, Tool};
use memforge_sim::cosim::icarus::{self, IcarusOptions, IcarusReport};
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::TileTraffic;
use memforge_sim::stimulus::{applies, CoverageProbe, Stimulus};
use memforge_sim::tile::TileModel;
use memforge_spec::{DesignConfig, InputEncoding, ResetStyle};
use std::path::{Path, PathBuf};
use std::time::Duration;

const SEED: u64 = 0x5eed_0010;

fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("icarus_cosim")
}

fn options(name: &str, timeout_s: u64) -> IcarusOptions {
    let iverilog = find(Tool::Iverilog)
        .unwrap_or_else(|e| panic!("this test needs Icarus Verilog (it does not skip): {e:#}"));
    IcarusOptions::new(
        iverilog.path,
        icarus::work_dir(&tmp(), name),
        Duration::from_secs(timeout_s),
    )
}

fn example(name: &str) -> DesignConfig {
    memforge_spec::load_file(&common::root().join(format!("examples/{name}.toml"))).unwrap()
}

/// A config derived from the 8x8 example.
fn shape(
    name: &str,
    rows: u32,
    cols: u32,
    pwm_bits: Option<u32>,
    share: u32,
    reset: ResetStyle,
) -> DesignConfig {
    let mut cfg = example("tile-8x8");
    cfg.design.name = name.into();
    cfg.design.reset = reset;
    cfg.tile.rows = rows;
    cfg.tile.cols = cols;
    cfg.tile.adc_share = share;
    if let Some(bits) = pwm_bits {
        cfg.tile.input_encoding = InputEncoding::Pwm;
        cfg.tile.input_bits = bits;
    }
    let problems = memforge_spec::validate::validate(&cfg);
    assert!(problems.is_empty(), "{problems:?}");
    cfg
}

/// Outputs are compared once a reset has reached every flip-flop: at once
/// (async style: the synchroniser clears asynchronously), after the first
/// edge (sync style: the synchroniser's own flip-flops reset at edge 0).
fn compare_from(cfg: &DesignConfig) -> u64 {
    match cfg.design.reset {
        ResetStyle::Async => 0,
        ResetStyle::Sync => 1,
    }
}

fn tile_run(cfg: &DesignConfig, cycles: u64) -> (IcarusReport, CoverageProbe) {
    let name = cfg.design.name.clone();
    let design =
        write_rtl(&TileDesign(cfg.clone()), &tmp().join(&name)).unwrap_or_else(|e| panic!("{e:#}"));
    let mut model = TileModel::new(cfg);
    let mut traffic = TileTraffic::new(cfg, model.layout(), SEED).unwrap();
    let probe = traffic.coverage();
    let layout = model.layout().clone();
    let mut rec = icarus::record(&mut model, &mut traffic, cycles);
    rec.compare_from = compare_from(cfg);
    let report = icarus::replay(
        &design,
        memforge_spec::blocks::tile::CLOCK,
        &layout,
        &rec,
        &options(&name, 1200),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (report, probe)
}

fn assert_clean(name: &str, report: &IcarusReport, cycles: u64) {
    if let Some(m) = &report.mismatch {
        panic!("{name}: {m}");
    }
    assert_eq!(report.cycles, cycles, "{name}");
    println!(
        "{name}: {cycles} cycles under Icarus in {:.1} s, 0 mismatches",
        report.seconds
    );
}

/// Every coverage counter of the tile traffic that applies to the tile of
/// `cfg` is non-zero.
fn assert_covered(cfg: &DesignConfig, probe: &CoverageProbe) {
    let name = &cfg.design.name;
    let c = probe.snapshot();
    let json = serde_json::to_value(c).unwrap();
    for (counter, n) in json.as_object().unwrap() {
        if !applies(counter, cfg) {
            continue;
        }
        assert!(
            n.as_u64().unwrap() > 0,
            "{name}: coverage counter `{counter}` is 0 ({c:?})"
        );
    }
}

fn tile_case(cfg: DesignConfig, cycles: u64) {
    let (report, probe) = tile_run(&cfg, cycles);
    assert_clean(&cfg.design.name, &report, cycles);
    assert_covered(&cfg, &probe);
}

#[test]
fn icarus_tile_8x8_spike_async() {
    tile_case(example("tile-8x8"), 50_000);
}

#[test]
fn icarus_tile_13x7_pwm_shared_by_3_sync() {
    tile_case(shape("t13x7", 13, 7, Some(3), 3, ResetStyle::Sync), 50_000);
}

#[test]
fn icarus_tile_5x11_spike_sync() {
    tile_case(shape("t5x11", 5, 11, None, 1, ResetStyle::Sync), 50_000);
}

#[test]
fn icarus_tile_3x4_pwm_async() {
    tile_case(shape("t3x4", 3, 4, Some(2), 2, ResetStyle::Async), 50_000);
}

/// Icarus cycles for a design of `rtl_bytes` of Verilog: 10,000, fewer
/// for a large design (an event-driven simulator's time per cycle grows
/// with the design), so that each example costs about what a 250 kB design
/// does at 10,000, and never fewer than 4,000. The replay shows that an
/// event-driven simulator runs the generated Verilog as Verilator does
/// (no races, no X leaking out of reset); the long lock-step runs are
/// Verilator's. Halved from 20,000 when the examples grew past 30 (this
/// test was the CI's longest, above 120 s).
fn icarus_cycles(rtl_bytes: u64) -> u64 {
    (10_000 * 250_000 / rtl_bytes.max(1)).clamp(4_000, 10_000)
}

/// Every example that is not a sweep point of its family (those replay in
/// Icarus in `tests/it/blocks.rs`, 4,000 cycles each), up to 10,000 cycles
/// of its own stimulus through the registry ([`icarus_cycles`]): between the
/// two, every example runs in Icarus once.
#[test]
fn icarus_every_example_design() {
    let swept: Vec<PathBuf> = memforge::blocks::REGISTRY
        .iter()
        .flat_map(|f| f.sweep().iter().map(|p| common::root().join(p)))
        .collect();
    let rest: Vec<PathBuf> = common::examples()
        .into_iter()
        .filter(|p| !swept.contains(p))
        .collect();
    assert!(!rest.is_empty(), "every example is a sweep point");
    for path in rest {
        let design = memforge::blocks::load(&path, None).unwrap();
        let name = design.top();
        let rtl = write_rtl(design.as_ref(), &tmp().join(&name)).unwrap();
        let bytes: u64 = rtl
            .files
            .iter()
            .map(|f| std::fs::metadata(f).unwrap().len())
            .sum();
        let cycles = icarus_cycles(bytes);
        let memforge::blocks::Testbench {
            mut model,
            mut stimulus,
            ..
        } = design.testbench(SEED).unwrap();
        let layout = model.layout().clone();
        let mut rec = icarus::record(&mut model, &mut stimulus, cycles);
        rec.compare_from = match design.reset_style() {
            ResetStyle::Async => 0,
            ResetStyle::Sync => 1,
        };
        let clock = memforge::blocks::clock(design.as_ref()).unwrap();
        let report = icarus::replay(&rtl, &clock, &layout, &rec, &options(&name, 1200))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_clean(&name, &report, cycles);
        println!("{name}: {bytes} bytes of RTL, {cycles} cycles clean");
    }
}

#[test]
fn icarus_register_bank() {
    for reset in [ResetStyle::Async, ResetStyle::Sync] {
        let mut cfg = example("tile-8x8");
        cfg.design.reset = reset;
        let name = format!("regbank_{reset:?}").to_lowercase();
        let dir = tmp().join(&name);
        write_rtl(&RegBankDesign(cfg.clone()), &dir).unwrap();
        let mut model = regbank::model(&cfg);
        let mut traffic = regbank::traffic(&cfg, &model, SEED).unwrap();
        let layout = model.layout().clone();
        let mut rec = icarus::record(&mut model, &mut traffic, 30_000);
        rec.compare_from = compare_from(&cfg);
        // Through the design directory, as a block registry would call it.
        let top = RegBankDesign(cfg.clone()).top();
        let report = icarus::replay_dir(
            &dir,
            &top,
            memforge_spec::blocks::regbank::CLOCK,
            &layout,
            &rec,
            &options(&name, 600),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_clean(&name, &report, 30_000);
    }
}

/// The livelock of issue 10: with `ctrl = 0` (inference off) two in-range
/// AER events enter the input FIFO; the old RTL's input block and FIFO woke
/// each other forever with transient writes and `vvp` stopped advancing
/// time at the second push. Now the run completes (a livelock would be a
/// timeout error) and matches the model.
#[test]
fn icarus_two_events_into_the_input_fifo_do_not_livelock() {
    struct TwoEvents {
        layout: memforge_sim::cycle::PortLayout,
    }
    impl Stimulus for TwoEvents {
        fn drive(&mut self, cycle: u64, v: &mut [u64]) {
            let l = &self.layout;
            l.pin("wb_rst_i").unwrap().set(v, u64::from(cycle < 3));
            let event = cycle == 8 || cycle == 10;
            l.pin("aer_in_valid").unwrap().set(v, u64::from(event));
            l.pin("aer_in_addr")
                .unwrap()
                .set(v, if event { 1 + cycle / 10 } else { 0 });
            l.pin("aer_in_value").unwrap().set(v, u64::from(event));
            l.pin("aer_out_ready").unwrap().set(v, 1);
        }
        fn finished(&self) -> bool {
            false
        }
    }
    for cfg in [
        example("tile-8x8"),
        shape("t13x7_fifo", 13, 7, Some(3), 3, ResetStyle::Sync),
    ] {
        let name = format!("{}_two_events", cfg.design.name);
        let design = write_rtl(&TileDesign(cfg.clone()), &tmp().join(&name)).unwrap();
        let mut model = TileModel::new(&cfg);
        let layout = model.layout().clone();
        let mut stim = TwoEvents {
            layout: layout.clone(),
        };
        let mut rec = icarus::record(&mut model, &mut stim, 200);
        rec.compare_from = compare_from(&cfg);
        let report = icarus::replay(
            &design,
            memforge_spec::blocks::tile::CLOCK,
            &layout,
            &rec,
            &options(&name, 60),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_clean(&name, &report, 200);
        // Both events are in the FIFO (status[0] not empty; ready still high).
        let last = (rec.cycles as usize - 1) * layout.total_words();
        assert_eq!(
            layout
                .pin("aer_in_ready")
                .unwrap()
                .get(&rec.outputs[last..]),
            1
        );
    }
}

/// A broken golden model (one output bit flipped after the edge of cycle 20,000 on) is
/// caught by the Icarus run at exactly that cycle and port.
#[test]
fn icarus_catches_a_broken_model() {
    struct Broken(memforge_sim::tile::TileModel, u64);
    impl CycleModel for Broken {
        fn layout(&self) -> &memforge_sim::cycle::PortLayout {
            self.0.layout()
        }
        fn tick(&mut self, values: &[u64]) {
            self.1 += 1;
            self.0.tick(values)
        }
        fn outputs(&self, values: &mut [u64]) {
            self.0.outputs(values);
            if self.1 > 20_000 {
                let l = self.0.layout();
                let pin = l.pin("aer_in_ready").unwrap();
                let v = pin.get(values);
                pin.set(values, v ^ 1);
            }
        }
    }
    let cfg = shape("t5x11_broken", 5, 11, None, 1, ResetStyle::Async);
    let design = write_rtl(&TileDesign(cfg.clone()), &tmp().join("broken")).unwrap();
    let inner = TileModel::new(&cfg);
    let mut traffic = TileTraffic::new(&cfg, inner.layout(), SEED).unwrap();
    let mut model = Broken(inner, 0);
    let layout = model.layout().clone();
    let rec = icarus::record(&mut model, &mut traffic, 25_000);
    let report = icarus::replay(
        &design,
        memforge_spec::blocks::tile::CLOCK,
        &layout,
        &rec,
        &options("broken", 600),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let m = report.mismatch.expect("the broken model must be caught");
    assert_eq!(m.cycle, 20_000, "{m}");
    assert_eq!(m.ports.len(), 1, "{m}");
    assert_eq!(m.ports[0].port, "aer_in_ready", "{m}");
    assert_eq!(report.cycles, 20_001);
}

/// A one-character RTL mutant (events for the last row dropped) is caught.
#[test]
fn icarus_catches_an_rtl_mutant() {
    let cfg = example("tile-8x8");
    let design = write_rtl_edited(
        &TileDesign(cfg.clone()),
        &tmp().join("mutant"),
        |path, text| {
            if path.ends_with("_aer_in.v") {
                let mutated = text.replacen(
                    "if ({1'd0, addr} > last_row)",
                    "if ({1'd0, addr} >= last_row)",
                    1,
                );
                assert_ne!(mutated, text, "the mutation site is gone");
                mutated
            } else {
                text
            }
        },
    )
    .unwrap();
    let mut model = TileModel::new(&cfg);
    let mut traffic = TileTraffic::new(&cfg, model.layout(), SEED).unwrap();
    let layout = model.layout().clone();
    let rec = icarus::record(&mut model, &mut traffic, 50_000);
    let report = icarus::replay(
        &design,
        memforge_spec::blocks::tile::CLOCK,
        &layout,
        &rec,
        &options("mutant", 600),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let m = report.mismatch.expect("the mutant must be caught");
    println!("mutant caught: {m}");
}
