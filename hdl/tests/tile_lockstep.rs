//! Lock-step test: the rust-hdl simulation of the generated tile against
//! its golden model (`memforge_sim::tile::TileModel`), every output port
//! compared after every rising clock edge, on random traffic: AER events
//! (including rows out of range and output backpressure), Wishbone reads and
//! writes, programming requests, unanswered crossbar reads, resets mid-run.
//! The analog macro is played by `IdealXbar` (plus spurious ADC strobes and
//! out-of-range codes) and drives both sides identically.

use memforge_hdl::design::{build, TileTop};
use memforge_hdl::emit::PortDir;
use memforge_sim::cycle::{CycleModel, PortLayout};
use memforge_sim::tile::xbar::{command, IdealXbar, XbarMacro};
use memforge_sim::tile::{tile_ports, TileModel};
use memforge_spec::{parse_str, DesignConfig, RegisterMap};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::*;

fn settle(top: &mut TileTop) {
    for _ in 0..1000 {
        top.update_all();
        if !top.has_changed() {
            return;
        }
    }
    panic!("rust-hdl simulation did not settle");
}

/// Applies the input ports of `v` to the rust-hdl top.
fn apply(top: &mut TileTop, l: &PortLayout, v: &[u64]) {
    let g = |n: &str| l.get(v, n);
    top.wb_rst_i.next = g("wb_rst_i") != 0;
    top.wbs_stb_i.next = g("wbs_stb_i") != 0;
    top.wbs_cyc_i.next = g("wbs_cyc_i") != 0;
    top.wbs_we_i.next = g("wbs_we_i") != 0;
    top.wbs_sel_i.next = g("wbs_sel_i").to_bits();
    top.wbs_dat_i.next = g("wbs_dat_i").to_bits();
    top.wbs_adr_i.next = g("wbs_adr_i").to_bits();
    top.aer_in_addr.next = g("aer_in_addr").to_bits();
    top.aer_in_value.next = g("aer_in_value").to_bits();
    top.aer_in_valid.next = g("aer_in_valid") != 0;
    top.aer_out_ready.next = g("aer_out_ready") != 0;
    top.xbar_adc_valid.next = g("xbar_adc_valid") != 0;
    for (a, p) in top.xbar_adc_code.iter_mut().enumerate() {
        p.next = g(&format!("xbar_adc_code__{a}")).to_bits();
    }
}

/// Reads the output ports of the rust-hdl top into `v`.
fn observe(top: &TileTop, l: &PortLayout, v: &mut [u64]) {
    l.set(v, "wbs_ack_o", top.wbs_ack_o.val() as u64);
    l.set(v, "wbs_dat_o", top.wbs_dat_o.val().index() as u64);
    l.set(v, "aer_in_ready", top.aer_in_ready.val() as u64);
    l.set(v, "aer_out_addr", top.aer_out_addr.val().index() as u64);
    l.set(v, "aer_out_valid", top.aer_out_valid.val() as u64);
    l.set(v, "xbar_op", top.xbar_op.val().index() as u64);
    l.set(v, "xbar_row", top.xbar_row.val().index() as u64);
    l.set(v, "xbar_col", top.xbar_col.val().index() as u64);
    l.set(v, "xbar_sel", top.xbar_sel.val().index() as u64);
    l.set(v, "xbar_amp", top.xbar_amp.val().index() as u64);
    l.set(v, "xbar_width", top.xbar_width.val().index() as u64);
}

/// A random Wishbone master that mostly configures and exercises the tile.
struct Master {
    busy: u32,
    stb: bool,
    we: bool,
    adr: u32,
    dat: u32,
    sel: u8,
}

impl Master {
    fn next(&mut self, rng: &mut ChaCha8Rng, map: &RegisterMap, rows: u32, cols: u32) {
        if self.busy > 0 {
            self.busy -= 1;
            self.stb = self.busy > 0;
            return;
        }
        self.stb = false;
        if !rng.gen_bool(0.08) {
            return;
        }
        let base = map.base_address;
        let off = |n: &str| map.get(n).map_or(0, |r| r.offset);
        let (adr, dat, we) = match rng.gen_range(0..14) {
            0 | 1 => (
                off("ctrl"),
                if rng.gen_bool(0.9) {
                    1 | rng.gen_range(0..2) << 1
                } else {
                    0
                },
                true,
            ),
            2 => (off("threshold"), rng.gen_range(1..80), true),
            3 => (off("leak"), rng.gen_range(0..4), true),
            4 => (off("refractory"), rng.gen_range(0..5), true),
            5 => (off("leak_period"), rng.gen_range(0..40), true),
            6 => {
                let row = if rng.gen_bool(0.9) {
                    rng.gen_range(0..rows)
                } else {
                    rng.gen_range(0..256)
                };
                let col = if rng.gen_bool(0.9) {
                    rng.gen_range(0..cols)
                } else {
                    rng.gen_range(0..256)
                };
                (off("prog_addr"), row | col << 8, true)
            }
            7 => (off("prog_target"), rng.gen_range(0..16), true),
            8 => (off("prog_max_pulses"), rng.gen_range(0..12), true),
            9 => (off("prog_pulse"), rng.gen_range(0..0x400), true),
            10 => (off("cmd"), rng.gen_range(0..4), true),
            11 => (off("prog_tolerance"), rng.gen_range(0..3), true),
            12 => (rng.gen_range(0..32) * 4, rng.gen(), rng.gen_bool(0.2)),
            _ => (
                [off("status"), off("dropped"), off("prog_status")][rng.gen_range(0..3)],
                0,
                false,
            ),
        };
        self.adr = base + adr;
        self.dat = dat;
        self.we = we;
        self.sel = if rng.gen_bool(0.9) {
            0xf
        } else {
            rng.gen_range(0..16)
        };
        self.stb = true;
        self.busy = 2;
    }
}

fn lockstep(toml: &str, seed: u64, cycles: usize) {
    let cfg: DesignConfig = parse_str(toml, "t").unwrap();
    let map = RegisterMap::for_design(&cfg);
    // The model's port list is the emitted top's, in order (the contract the
    // Verilator bridge relies on); generating also runs rust-hdl's checks.
    let emitted = memforge_hdl::generate(&cfg).expect("generates");
    let rtl_ports: Vec<(String, bool, u32)> = emitted
        .ports
        .iter()
        .filter(|p| p.name != "wb_clk_i")
        .map(|p| (p.name.clone(), p.dir == PortDir::Input, p.width))
        .collect();
    let model_ports: Vec<(String, bool, u32)> = tile_ports(&cfg)
        .into_iter()
        .map(|p| (p.name, p.input, p.width))
        .collect();
    assert_eq!(rtl_ports, model_ports);
    let mut top = build(&cfg).unwrap();
    let mut model = TileModel::new(&cfg);
    let layout = model.layout().clone();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut xbar = IdealXbar::new(&cfg, rng.gen_range(1..4));
    let adc_max = (1u16 << cfg.tile.adc_bits) - 1;
    for r in 0..cfg.tile.rows as usize {
        for c in 0..cfg.tile.cols as usize {
            xbar.set_level(r, c, rng.gen_range(0..=adc_max));
        }
    }
    let (rows, cols) = (cfg.tile.rows, cfg.tile.cols);
    let mut master = Master {
        busy: 0,
        stb: false,
        we: false,
        adr: 0,
        dat: 0,
        sel: 0,
    };
    let mut inputs = vec![0u64; layout.total_words()];
    let mut got = vec![0u64; layout.total_words()];
    let mut want = vec![0u64; layout.total_words()];
    let mut reset_left = 3u32;
    let mut stall = 0u32;
    let mut deaf = 0u32;
    let mut spikes = 0usize;
    let mut seen = [0usize; 4];
    let mut programmed = 0usize;
    let mut backpressured = 0usize;
    settle(&mut top);
    for cycle in 0..cycles {
        // Stimulus for this cycle.
        if reset_left == 0 && rng.gen_bool(0.002) {
            reset_left = rng.gen_range(1..4);
        }
        layout.set(&mut inputs, "wb_rst_i", u64::from(reset_left > 0));
        reset_left = reset_left.saturating_sub(1);
        master.next(&mut rng, &map, rows, cols);
        layout.set(&mut inputs, "wbs_stb_i", u64::from(master.stb));
        layout.set(
            &mut inputs,
            "wbs_cyc_i",
            u64::from(master.stb || rng.gen_bool(0.05)),
        );
        layout.set(&mut inputs, "wbs_we_i", u64::from(master.we));
        layout.set(&mut inputs, "wbs_adr_i", u64::from(master.adr));
        layout.set(&mut inputs, "wbs_dat_i", u64::from(master.dat));
        layout.set(&mut inputs, "wbs_sel_i", u64::from(master.sel));
        let addr = if rng.gen_bool(0.9) {
            rng.gen_range(0..rows)
        } else {
            rng.gen_range(0..256)
        };
        layout.set(&mut inputs, "aer_in_addr", u64::from(addr));
        layout.set(&mut inputs, "aer_in_value", rng.gen_range(0..256));
        layout.set(&mut inputs, "aer_in_valid", u64::from(rng.gen_bool(0.3)));
        if stall == 0 && rng.gen_bool(0.01) {
            stall = rng.gen_range(10..200);
        }
        stall = stall.saturating_sub(1);
        layout.set(
            &mut inputs,
            "aer_out_ready",
            u64::from(stall == 0 && rng.gen_bool(0.7)),
        );
        if deaf == 0 && rng.gen_bool(0.0005) {
            deaf = rng.gen_range(50..150);
        }
        deaf = deaf.saturating_sub(1);
        xbar.drive(&layout, &mut inputs);
        if deaf > 0 {
            layout.set(&mut inputs, "xbar_adc_valid", 0);
        }
        if !xbar.adc_valid() {
            // Garbage on the codes when not valid, the odd spurious strobe.
            for a in 0..xbar.adc_codes().len() {
                layout.set(
                    &mut inputs,
                    &format!("xbar_adc_code__{a}"),
                    rng.gen_range(0..4096),
                );
            }
            if rng.gen_bool(0.003) {
                layout.set(&mut inputs, "xbar_adc_valid", 1);
            }
        }

        // The crossbar sees the command presented before this edge.
        observe(&top, &layout, &mut got);
        let cmd = command(&layout, &got);

        // One clock cycle on both sides.
        apply(&mut top, &layout, &inputs);
        settle(&mut top);
        top.wb_clk_i.next = true.into();
        settle(&mut top);
        model.tick(&inputs);
        xbar.clock(&cmd);
        observe(&top, &layout, &mut got);
        model.outputs(&mut want);
        top.wb_clk_i.next = false.into();
        settle(&mut top);

        for (i, p) in layout.ports.iter().enumerate() {
            if p.input {
                continue;
            }
            let r = layout.range(i);
            assert_eq!(
                got[r.clone()],
                want[r],
                "seed {seed}, cycle {cycle}: port {} differs (rtl vs model)\nseq {:?} prog {:?}",
                p.name,
                model.seq.state,
                model.prog.state
            );
        }
        if layout.get(&got, "aer_out_valid") != 0 && layout.get(&inputs, "aer_out_ready") != 0 {
            spikes += 1;
        }
        seen[cmd.op as usize] += 1;
        if model.prog.done && !model.prog.failed {
            programmed += 1;
        }
        if layout.get(&inputs, "aer_in_valid") != 0 && layout.get(&got, "aer_in_ready") == 0 {
            backpressured += 1;
        }
    }
    // The traffic must have exercised the tile.
    println!(
        "{cycles} cycles: {spikes} spikes out, ops read/set/reset {:?}, {programmed} cycles with a successful request shown, {backpressured} backpressured cycles",
        &seen[1..]
    );
    assert!(spikes > 0, "no spike left the tile in {cycles} cycles");
    assert!(
        seen[1] > 0 && seen[2] + seen[3] > 0,
        "no reads or no pulses"
    );
    assert!(backpressured > 0, "the input FIFO never filled");
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

/// Drives the tile (RTL and model in lock-step) with `IdealXbar` as macro;
/// `stim(cycle, inputs)` sets the non-macro inputs. Returns the outputs of
/// every cycle and the final macro.
fn directed(
    cfg: &DesignConfig,
    cycles: usize,
    xbar: &mut IdealXbar,
    mut stim: impl FnMut(usize, &PortLayout, &mut Vec<u64>),
) -> Vec<Vec<u64>> {
    let mut top = build(cfg).unwrap();
    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    let mut inputs = vec![0u64; layout.total_words()];
    let mut got = vec![0u64; layout.total_words()];
    let mut want = vec![0u64; layout.total_words()];
    let mut trace = Vec::new();
    settle(&mut top);
    for cycle in 0..cycles {
        stim(cycle, &layout, &mut inputs);
        xbar.drive(&layout, &mut inputs);
        observe(&top, &layout, &mut got);
        let cmd = command(&layout, &got);
        apply(&mut top, &layout, &inputs);
        settle(&mut top);
        top.wb_clk_i.next = true.into();
        settle(&mut top);
        model.tick(&inputs);
        xbar.clock(&cmd);
        observe(&top, &layout, &mut got);
        model.outputs(&mut want);
        top.wb_clk_i.next = false.into();
        settle(&mut top);
        assert_eq!(got, want, "cycle {cycle}");
        trace.push(got.clone());
    }
    trace
}

/// A Wishbone write request held for two cycles starting at `at`.
fn wb_write(l: &PortLayout, v: &mut [u64], cycle: usize, at: usize, adr: u32, dat: u32) {
    if cycle == at || cycle == at + 1 {
        l.set(v, "wbs_stb_i", u64::from(cycle == at));
        l.set(v, "wbs_cyc_i", u64::from(cycle == at));
        l.set(v, "wbs_we_i", 1);
        l.set(v, "wbs_sel_i", 0xf);
        l.set(v, "wbs_adr_i", u64::from(adr));
        l.set(v, "wbs_dat_i", u64::from(dat));
    }
}

#[test]
fn write_verify_reaches_the_target() {
    let cfg = parse_str(include_str!("../../examples/tile-32x32.toml"), "t").unwrap();
    let mut xbar = IdealXbar::new(&cfg, 2);
    xbar.set_level(5, 13, 200);
    let b = cfg.bus.base_address;
    let trace = directed(&cfg, 400, &mut xbar, |c, l, v| {
        l.set(v, "wb_rst_i", u64::from(c < 2));
        wb_write(l, v, c, 4, b + 0x2c, 5 | 13 << 8); // prog_addr
        wb_write(l, v, c, 6, b + 0x30, 190); // prog_target
        wb_write(l, v, c, 8, b + 0x3c, 8 | 2 << 8); // prog_pulse: width 2
        wb_write(l, v, c, 10, b + 0x24, 2); // cmd[1]: start
    });
    // 200 -> 192 (tolerance 2): 8 RESET pulses, then in band.
    assert_eq!(xbar.level(5, 13), 192);
    let l = PortLayout::new(tile_ports(&cfg));
    let resets = trace.iter().filter(|o| l.get(o, "xbar_op") == 3).count();
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
        l.set(v, "wb_rst_i", u64::from(c < 2));
        wb_write(l, v, c, 4, b + 0x08, 1); // ctrl: enable
        l.set(v, "aer_in_valid", u64::from(c == t0));
        l.set(v, "aer_in_addr", 2);
        l.set(v, "aer_in_value", 1);
        l.set(v, "aer_out_ready", 0);
    });
    let l = PortLayout::new(tile_ports(&cfg));
    // trace[i] holds the outputs after the edge ending cycle i, i.e. the
    // values seen during cycle i + 1.
    let at = |k: usize, n: &str| l.get(&trace[t0 + k - 1], n);
    let reads: Vec<usize> = (1..20).filter(|&k| at(k, "xbar_op") == 1).collect();
    assert_eq!(reads, vec![4, 7]);
    assert_eq!((at(4, "xbar_sel"), at(7, "xbar_sel")), (0, 1));
    let first_valid = (1..20).find(|&k| at(k, "aer_out_valid") == 1);
    assert_eq!(first_valid, Some(15));
    assert_eq!(at(15, "aer_out_addr"), 3);
}
