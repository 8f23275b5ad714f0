//! The lock-step harness the learning-rule tests share: a learning tile
//! of an example, Verilated as generated or with a mutation edited into
//! its Verilog, run against its golden model on the tile's random traffic
//! (Verilator), its recorded run replayed in Icarus, and the golden model
//! alone on the same traffic (to count what the controller did).

use memforge::blocks::tile::TileDesign;
use memforge::blocks::BlockDesign;
use memforge::cosim::design::{write_rtl, write_rtl_edited};
use memforge_sim::cosim::binding::bind;
use memforge_sim::cosim::dut::{Dut, VerilatedDut};
use memforge_sim::cosim::{self, icarus, CosimOptions, CosimReport};
use memforge_sim::cycle::{CycleModel, PortLayout};
use memforge_sim::stimulus::{Stimulus, TileTraffic};
use memforge_sim::tile::TileModel;
use memforge_sim::verilator::VerilatedLibrary;
use memforge_spec::DesignConfig;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// A learning tile under test.
pub struct RuleTile {
    pub cfg: DesignConfig,
    /// The traffic's seed.
    pub seed: u64,
    dir: PathBuf,
}

impl RuleTile {
    /// The tile of `examples/EXAMPLE`, its files below the tests' scratch
    /// directory `dir`.
    pub fn new(example: &str, dir: &str, seed: u64) -> Self {
        Self::from_config(super::learning::example(example), dir, seed)
    }

    /// The tile of `cfg` (an example changed by the test).
    pub fn from_config(cfg: DesignConfig, dir: &str, seed: u64) -> Self {
        Self {
            cfg,
            seed,
            dir: Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir),
        }
    }

    /// The tile's RTL with `edit` applied to its files, Verilated.
    pub fn verilate(&self, name: &str, edit: impl Fn(&str, String) -> String) -> VerilatedLibrary {
        let design = write_rtl_edited(&TileDesign(self.cfg.clone()), &self.dir.join(name), edit)
            .unwrap_or_else(|e| panic!("{e:#}"));
        super::verilate(&design)
    }

    /// `run` against the tile's RTL with `edit` applied (Verilated, see
    /// [`Self::verilate`]), given the tile's port layout and one rising
    /// edge of the RTL (packed inputs in, outputs out); a Verilator error
    /// fails the test.
    pub fn on_rtl<T>(
        &self,
        name: &str,
        edit: impl Fn(&str, String) -> String,
        run: impl FnOnce(&PortLayout, &mut dyn FnMut(&[u64], &mut [u64])) -> T,
    ) -> T {
        let lib = self.verilate(name, edit);
        let layout = TileModel::new(&self.cfg).layout().clone();
        let binding = bind(&layout, lib.ports(), memforge_spec::blocks::tile::CLOCK).unwrap();
        let mut dut = VerilatedDut {
            rtl: lib.instantiate(false).unwrap(),
            binding,
        };
        run(&layout, &mut |v, out| dut.cycle(v, out).unwrap())
    }

    /// `lib` against the golden model on the traffic for `cycles` cycles.
    pub fn cosim(&self, lib: &VerilatedLibrary, cycles: u64) -> CosimReport {
        let cfg = &self.cfg;
        cosim::run(
            lib,
            |seed| {
                let model = TileModel::new(cfg);
                let traffic = TileTraffic::new(cfg, model.layout(), seed).unwrap();
                (model, traffic)
            },
            &CosimOptions {
                clock: memforge_spec::blocks::tile::CLOCK.into(),
                cycles,
                seed: self.seed,
                vcd: None,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The generated RTL in lock step for `cycles` cycles, no mismatch.
    pub fn assert_lock_step(&self, cycles: u64) {
        let report = self.cosim(&self.verilate("design", |_, text| text), cycles);
        if let Some(m) = &report.mismatch {
            panic!("{m}");
        }
        assert_eq!(report.cycles, cycles);
    }

    /// The golden model alone on the same traffic: `each` sees the model
    /// and the port values after every edge.
    pub fn model_run(&self, cycles: u64, mut each: impl FnMut(&TileModel, &[u64])) {
        let mut model = TileModel::new(&self.cfg);
        let mut traffic = TileTraffic::new(&self.cfg, model.layout(), self.seed).unwrap();
        let mut v = vec![0u64; model.layout().total_words()];
        model.outputs(&mut v);
        for c in 0..cycles {
            traffic.drive(c, &mut v);
            model.tick(&v);
            model.outputs(&mut v);
            each(&model, &v);
        }
    }

    /// Applies the first of `edits` (file suffix, from, to) whose site is
    /// present, exactly once, and expects a mismatch within `cycles`.
    pub fn assert_mutant_caught(&self, name: &str, edits: &[(&str, &str, &str)], cycles: u64) {
        let applied = Mutex::new(0);
        let lib = self.verilate(name, |path, text| {
            let mut n = applied.lock().unwrap();
            match edits
                .iter()
                .find(|(file, from, _)| *n == 0 && path.ends_with(file) && text.contains(from))
            {
                Some((_, from, to)) => {
                    *n += 1;
                    text.replacen(from, to, 1)
                }
                None => text,
            }
        });
        assert_eq!(*applied.lock().unwrap(), 1, "no mutation site of {edits:?}");
        let report = self.cosim(&lib, cycles);
        let m = report
            .mismatch
            .unwrap_or_else(|| panic!("mutant `{name}` survived {cycles} cycles"));
        println!("{name} caught: {m}");
        assert_ne!(m.signals[0].expected, m.signals[0].actual);
    }

    /// The same RTL under Icarus (an event-driven simulator) against the
    /// golden model's recorded run of `cycles` cycles (asynchronous reset:
    /// compared from cycle 0).
    pub fn assert_icarus_agrees(&self, cycles: u64) {
        use memforge::tools::{find, Tool};
        let design = TileDesign(self.cfg.clone());
        let rtl = write_rtl(&design, &self.dir.join("icarus")).unwrap_or_else(|e| panic!("{e:#}"));
        let memforge::blocks::Testbench {
            mut model,
            mut stimulus,
            ..
        } = design.testbench(self.seed).unwrap();
        let layout = model.layout().clone();
        let mut rec = icarus::record(&mut model, &mut stimulus, cycles);
        rec.compare_from = 0;
        let iverilog = find(Tool::Iverilog)
            .unwrap_or_else(|e| panic!("this test needs Icarus Verilog (it does not skip): {e:#}"));
        let opts = icarus::IcarusOptions::new(
            iverilog.path,
            icarus::work_dir(&self.dir, "icarus"),
            Duration::from_secs(600),
        );
        let clock = memforge::blocks::clock(&design).unwrap();
        let report =
            icarus::replay(&rtl, &clock, &layout, &rec, &opts).unwrap_or_else(|e| panic!("{e}"));
        if let Some(m) = &report.mismatch {
            panic!("{m}");
        }
        assert_eq!(report.cycles, cycles);
        println!(
            "{}: {cycles} cycles under Icarus in {:.1} s, 0 mismatches",
            design.top(),
            report.seconds
        );
    }
}
