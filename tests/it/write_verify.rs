//! Issue #3, write-verify acceptance: a seeded random 32x32 weight matrix is
//! programmed into the modeled crossbar of examples/tile-32x32.toml through
//! the register file (prog_* registers, cmd[1], prog_status polled), with
//! the Verilated RTL in lock step with the golden model the whole time; every
//! cell must end within one level of its target. A cell that never verifies
//! (stuck) must end with the failed flag after `prog_max_pulses`, not hang.
//! Fails (never skips) without Verilator.

use crate::common;

use memforge::blocks::tile::TileDesign;
use memforge::cosim::design::write_rtl;
use memforge::tools::{find, Tool};
use memforge_sim::cosim::session::{run_session, Script, SessionRun};
use memforge_sim::cosim::CosimOptions;
use memforge_sim::tile::{IdealXbar, StuckCells};
use memforge_sim::verilator::{BuildOptions, VerilatedLibrary};
use memforge_sim::weights::WeightMatrix;
use memforge_spec::{Derived, DesignConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::sync::OnceLock;

const SEED: u64 = 0x3_5eed;
/// Macro read latency (cycles from READ to the ADC codes).
const LATENCY: usize = 2;

/// The config and the Verilated 32x32 tile, built once for both tests.
fn setup() -> &'static (DesignConfig, VerilatedLibrary) {
    static SETUP: OnceLock<(DesignConfig, VerilatedLibrary)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let verilator = find(Tool::Verilator)
            .unwrap_or_else(|e| panic!("this test needs Verilator (it does not skip): {e:#}"));
        let cfg =
            memforge_spec::load_file(&common::root().join("examples/tile-32x32.toml")).unwrap();
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let design = write_rtl(
            &TileDesign(cfg.clone()),
            &tmp.join("write_verify").join("design"),
        )
        .unwrap_or_else(|e| panic!("{e:#}"));
        let cache = tmp.parent().unwrap().join("memforge-verilator");
        let lib = VerilatedLibrary::build(&design, &BuildOptions::new(verilator.path, cache))
            .unwrap_or_else(|e| panic!("{e}"));
        (cfg, lib)
    })
}

fn options(cycles: u64) -> CosimOptions {
    CosimOptions {
        clock: memforge_spec::blocks::tile::CLOCK.into(),
        cycles,
        seed: SEED,
        vcd: None,
    }
}

/// Fails the test with the reason if RTL and model disagreed or the script
/// did not run to its end.
fn check_run<X>(run: &SessionRun<X>) {
    if let Some(problem) = run.problem() {
        panic!("{problem}");
    }
    assert!(run.report.mismatch.is_none());
    assert!(run.report.cycles > 0);
}

#[test]
fn random_32x32_matrix_programs_within_one_level() {
    let (cfg, lib) = setup();
    let (rows, cols) = (cfg.tile.rows as usize, cfg.tile.cols as usize);
    let adc_max = Derived::of(cfg).adc_max as u16;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let weights = WeightMatrix {
        rows,
        cols,
        values: (0..rows * cols).map(|_| rng.gen_range(0.0..1.0)).collect(),
    };
    let levels = weights.to_levels(adc_max);
    // As fabricated: every cell somewhere in its range, so that both SET
    // and RESET pulses are needed.
    let initial: Vec<u16> = (0..rows * cols)
        .map(|_| rng.gen_range(0..=adc_max))
        .collect();
    let make_xbar = || {
        let mut x = IdealXbar::new(cfg, LATENCY);
        for (i, &l) in initial.iter().enumerate() {
            x.set_level(i / cols, i % cols, l);
        }
        x
    };
    // Accept band of one level; enough pulses to cross the whole range.
    let mut script = Script::new()
        .write("prog_tolerance", 1)
        .write("prog_max_pulses", 255);
    for r in 0..rows {
        for c in 0..cols {
            script = script.program(r as u8, c as u8, levels.get(r, c));
        }
    }
    let started = std::time::Instant::now();
    let run = run_session(lib, cfg, &script, make_xbar, &options(5_000_000)).unwrap();
    check_run(&run);

    let log = run.log();
    let stats = log.pulse_stats();
    println!(
        "32x32 write-verify: {} cells, pulses total {} mean {:.1} min {} max {}, {} failed; {} lock-step cycles, 0 mismatches, {:.1} s",
        stats.cells,
        stats.total,
        stats.mean(),
        stats.min,
        stats.max,
        stats.failed,
        run.report.cycles,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(log.programs.len(), rows * cols);
    assert_eq!(stats.failed, 0);
    let xbar = run.session.xbar();
    for p in &log.programs {
        let (r, c) = (p.row as usize, p.col as usize);
        let (got, want) = (xbar.level(r, c), p.target);
        assert!(
            got.abs_diff(want) <= 1,
            "cell ({r}, {c}): level {got}, target {want}, status {:#x}",
            p.status
        );
        // The ideal macro moves one level per pulse and write-verify never
        // overshoots: the pulses used are exactly the distance travelled.
        let start = initial[r * cols + c];
        assert_eq!(
            p.pulses(),
            u32::from(got.abs_diff(start)),
            "cell ({r}, {c})"
        );
    }
    assert!(stats.total > 0);
}

#[test]
fn a_cell_that_never_verifies_fails_after_max_pulses() {
    let (cfg, lib) = setup();
    let max_pulses = cfg.program.max_pulses;
    let stuck = (7u8, 21u8);
    let make_xbar = || StuckCells::new(IdealXbar::new(cfg, LATENCY), vec![stuck]);
    // A healthy neighbour before and after: the controller must go on
    // working after a failed request.
    let script = Script::new()
        .program(7, 20, 30)
        .program(stuck.0, stuck.1, 200)
        .program(7, 22, 30)
        .read("prog_status");
    let run = run_session(lib, cfg, &script, make_xbar, &options(200_000)).unwrap();
    check_run(&run);
    let log = run.log();
    let results: Vec<String> = log
        .programs
        .iter()
        .map(|p| {
            format!(
                "({}, {}): status {:#06x}, {} pulses",
                p.row,
                p.col,
                p.status,
                p.pulses()
            )
        })
        .collect();
    println!(
        "stuck cell case, {} cycles: {}",
        run.report.cycles,
        results.join("; ")
    );
    let [before, bad, after] = log.programs[..] else {
        panic!("expected 3 requests, got {:?}", log.programs);
    };
    assert!(bad.done() && bad.failed(), "{bad:?}");
    assert!(!bad.timed_out() && !bad.invalid(), "{bad:?}");
    assert_eq!(bad.pulses(), max_pulses);
    assert_eq!(run.session.xbar().ignored_pulses, u64::from(max_pulses));
    assert!(before.passed() && after.passed(), "{before:?} {after:?}");
    assert_eq!(log.last_read("prog_status"), Some(after.status));
    assert_eq!(run.session.xbar().inner.level(7, 21), 0);
}
