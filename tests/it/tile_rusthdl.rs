//! Lock-step test: rust-hdl's own simulation of the generated tile against
//! its golden model (`TileModel`), every output port compared after every
//! rising clock edge, through the one lock-step harness every block shares
//! (`memforge_sim::cosim::run_dut`, with rust-hdl's simulator as the device
//! under test): on the tile's random traffic (AER events including rows
//! out of range and output backpressure, Wishbone reads and writes,
//! programming requests, unanswered crossbar reads, resets mid-run, the
//! harness playing the macro), and on two directed scenarios.

use memforge::blocks::tile::TileDesign;
use memforge::blocks::{self, BlockDesign, Testbench};
use memforge_sim::cosim::run_dut;
use memforge_sim::cycle::{CycleModel, PortLayout};
use memforge_sim::stimulus::Stimulus;
use memforge_sim::tile::xbar::{IdealXbar, XbarMacro};
use memforge_sim::tile::{TileModel, TilePins};
use memforge_spec::{parse_str, DesignConfig};

fn design(toml: &str) -> TileDesign {
    TileDesign(parse_str(toml, "t").unwrap())
}

fn lockstep(toml: &str, seed: u64, cycles: u64) {
    let design = design(toml);
    // The model's port list is the emitted top's, in order (the contract the
    // Verilator bridge relies on); emitting also checks the contract.
    let emitted = design.emit().expect("generates");
    let rtl_ports: Vec<(String, bool, u32)> = emitted
        .ports
        .iter()
        .filter(|p| p.name != "wb_clk_i")
        .map(|p| {
            (
                p.name.clone(),
                p.dir == memforge_hdl::emit::PortDir::Input,
                p.width,
            )
        })
        .collect();
    let model_ports: Vec<(String, bool, u32)> = blocks::layout(&design)
        .ports
        .into_iter()
        .map(|p| (p.name, p.input, p.width))
        .collect();
    assert_eq!(rtl_ports, model_ports);

    let Testbench {
        mut model,
        mut stimulus,
        coverage,
    } = design.testbench(seed).unwrap();
    let mut dut = design
        .rust_hdl()
        .unwrap()
        .expect("the tile has a rust-hdl top");
    let report = run_dut(&mut dut, &mut model, &mut stimulus, cycles, seed).unwrap();
    assert!(report.mismatch.is_none(), "{}", report.mismatch.unwrap());
    assert_eq!(report.cycles, cycles);
    // The traffic must have exercised the tile.
    let c = coverage();
    println!("{cycles} cycles: {c:?}");
    let n = |k: &str| c[k].as_u64().unwrap();
    assert!(
        n("spikes_out") > 0,
        "no spike left the tile in {cycles} cycles"
    );
    assert!(
        n("xbar_reads") > 0 && n("xbar_sets") + n("xbar_resets") > 0,
        "no reads or no pulses"
    );
    assert!(
        n("input_backpressure_cycles") > 0,
        "the input FIFO never filled"
    );
}

#[test]
fn tile_8x8_spike_async() {
    lockstep(include_str!("../../examples/tile-8x8.toml"), 1, 6000);
}

#[test]
fn tile_small_pwm_sync_shared_adc() {
    let toml = "[design]\nname = \"t\"\nreset = \"sync\"\n[tile]\nrows = 5\ncols = 7\ninput_encoding = \"pwm\"\ninput_bits = 3\nadc_bits = 4\nadc_share = 3\nin_fifo_depth = 4\nout_fifo_depth = 2\n[neuron]\nthreshold = 40\nreset = \"subtract\"\n";
    lockstep(toml, 2, 6000);
}

#[test]
fn tile_24x40_pwm_sync() {
    lockstep(include_str!("../../examples/tile-24x40.toml"), 3, 2500);
}

fn set(l: &PortLayout, v: &mut [u64], name: &str, x: u64) {
    l.pin(name).unwrap().set(v, x);
}

fn get(l: &PortLayout, v: &[u64], name: &str) -> u64 {
    l.pin(name).unwrap().get(v)
}

/// A directed stimulus: `f(cycle, layout, inputs)` sets the non-macro
/// inputs, `xbar` plays the macro, and the outputs after every edge are
/// kept (`trace[i]`: after the edge ending cycle `i`).
struct Directed<'a, F> {
    layout: PortLayout,
    pins: TilePins,
    xbar: &'a mut IdealXbar,
    f: F,
    /// The command the tile showed last cycle (the macro's next edge).
    last: memforge_sim::tile::sequencer::XbarCmd,
    trace: Vec<Vec<u64>>,
}

impl<F: FnMut(u64, &PortLayout, &mut [u64])> Stimulus for Directed<'_, F> {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        if cycle > 0 {
            self.trace.push(values.to_vec());
            // The macro's edge with the command shown in the last cycle.
            self.xbar.clock(&self.last);
        }
        self.last = self.pins.command(values);
        (self.f)(cycle, &self.layout, values);
        self.xbar.drive(&self.pins, values);
    }
}

/// Runs the tile's rust-hdl simulation and its model in lock step for
/// `cycles` cycles of a directed stimulus; returns the outputs after every
/// edge but the last.
fn directed(
    cfg: &DesignConfig,
    cycles: u64,
    xbar: &mut IdealXbar,
    f: impl FnMut(u64, &PortLayout, &mut [u64]),
) -> Vec<Vec<u64>> {
    let design = TileDesign(cfg.clone());
    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    let mut stim = Directed {
        pins: TilePins::new(&layout).unwrap(),
        layout,
        xbar,
        f,
        last: Default::default(),
        trace: Vec::new(),
    };
    let mut dut = design.rust_hdl().unwrap().unwrap();
    let report = run_dut(&mut dut, &mut model, &mut stim, cycles + 1, 0).unwrap();
    assert!(report.mismatch.is_none(), "{}", report.mismatch.unwrap());
    stim.trace
}

/// A Wishbone write request held for two cycles starting at `at`.
fn wb_write(l: &PortLayout, v: &mut [u64], cycle: u64, at: u64, adr: u32, dat: u32) {
    if cycle == at || cycle == at + 1 {
        set(l, v, "wbs_stb_i", u64::from(cycle == at));
        set(l, v, "wbs_cyc_i", u64::from(cycle == at));
        set(l, v, "wbs_we_i", 1);
        set(l, v, "wbs_sel_i", 0xf);
        set(l, v, "wbs_adr_i", u64::from(adr));
        set(l, v, "wbs_dat_i", u64::from(dat));
    }
}

#[test]
fn write_verify_reaches_the_target() {
    let cfg = parse_str(include_str!("../../examples/tile-32x32.toml"), "t").unwrap();
    let mut xbar = IdealXbar::new(&cfg, 2);
    xbar.set_level(5, 13, 200);
    let b = cfg.bus.base_address;
    let trace = directed(&cfg, 400, &mut xbar, |c, l, v| {
        set(l, v, "wb_rst_i", u64::from(c < 2));
        wb_write(l, v, c, 4, b + 0x2c, 5 | 13 << 8); // prog_addr
        wb_write(l, v, c, 6, b + 0x30, 190); // prog_target
        wb_write(l, v, c, 8, b + 0x3c, 8 | 2 << 8); // prog_pulse: width 2
        wb_write(l, v, c, 10, b + 0x24, 2); // cmd[1]: start
    });
    // 200 -> 192 (tolerance 2): 8 RESET pulses, then in band.
    assert_eq!(xbar.level(5, 13), 192);
    let l = blocks::layout(&TileDesign(cfg));
    let resets = trace.iter().filter(|o| get(&l, o, "xbar_op") == 3).count();
    assert_eq!(resets, 8);
}

#[test]
fn event_timing_matches_the_documented_diagram() {
    // docs/tile.md, "Sequencer: one input event": adc_share = 2, latency 1.
    let toml = "[design]\nname = \"t\"\n[tile]\nrows = 4\ncols = 4\nadc_share = 2\n[neuron]\nthreshold = 5\nrefractory = 0\n";
    let cfg = parse_str(toml, "t").unwrap();
    let mut xbar = IdealXbar::new(&cfg, 1);
    xbar.set_level(2, 3, 9);
    let b = cfg.bus.base_address;
    let t0 = 10; // cycle 0 of the diagram
    let trace = directed(&cfg, 40, &mut xbar, |c, l, v| {
        set(l, v, "wb_rst_i", u64::from(c < 2));
        wb_write(l, v, c, 4, b + 0x08, 1); // ctrl: enable
        set(l, v, "aer_in_valid", u64::from(c == t0));
        set(l, v, "aer_in_addr", 2);
        set(l, v, "aer_in_value", 1);
        set(l, v, "aer_out_ready", 0);
    });
    let l = blocks::layout(&TileDesign(cfg));
    // trace[i] holds the outputs after the edge ending cycle i, i.e. the
    // values seen during cycle i + 1.
    let at = |k: u64, n: &str| get(&l, &trace[(t0 + k - 1) as usize], n);
    let reads: Vec<u64> = (1..20).filter(|&k| at(k, "xbar_op") == 1).collect();
    assert_eq!(reads, vec![4, 7]);
    assert_eq!((at(4, "xbar_sel"), at(7, "xbar_sel")), (0, 1));
    let first_valid = (1..20).find(|&k| at(k, "aer_out_valid") == 1);
    assert_eq!(first_valid, Some(15));
    assert_eq!(at(15, "aer_out_addr"), 3);
}

#[test]
fn a_misspelled_port_in_a_stimulus_is_a_typed_error() {
    let design = design(include_str!("../../examples/tile-8x8.toml"));
    let layout = blocks::layout(&design);
    let err = layout.pin("aer_in_vald").unwrap_err();
    assert_eq!(err.port, "aer_in_vald");
    assert!(err.to_string().contains("no port `aer_in_vald`"));
    assert!(err.known.iter().any(|k| k == "aer_in_valid"));
}
