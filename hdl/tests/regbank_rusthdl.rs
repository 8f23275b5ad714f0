//! The register bank simulated by rust-hdl's own engine, in lock step with
//! the golden model (`memforge_sim::regfile`, written from the register map,
//! not from the RTL), on random Wishbone traffic: byte-select writes,
//! unmapped, unaligned and out-of-window addresses, reset pulses.

use memforge_hdl::design::reg_style;
use memforge_hdl::regfile::RegBank;
use memforge_sim::regfile::{RegFileModel, WbIn};
use memforge_spec::{parse_str, Register, RegisterMap};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::*;

fn settle(b: &mut RegBank) {
    for _ in 0..1000 {
        b.update_all();
        if !b.has_changed() {
            return;
        }
    }
    panic!("rust-hdl simulation did not settle");
}

fn edge(b: &mut RegBank) {
    b.clock.next = Clock::from(true);
    settle(b);
    b.clock.next = Clock::from(false);
    settle(b);
}

/// Random bus cycle, biased towards mapped registers.
fn random_bus(rng: &mut ChaCha8Rng, map: &RegisterMap) -> WbIn {
    let adr = match rng.gen_range(0..10) {
        0 => rng.gen(),
        1 => map.base_address + rng.gen_range(0..map.window_bytes()),
        2 => map.base_address + map.window_bytes() + 4 * rng.gen_range(0..8u32),
        _ => map.base_address + map.registers[rng.gen_range(0..map.registers.len())].offset,
    };
    WbIn {
        stb: rng.gen_bool(0.7),
        cyc: rng.gen_bool(0.9),
        we: rng.gen_bool(0.5),
        sel: rng.gen_range(0..16),
        adr,
        dat: rng.gen(),
    }
}

/// Runs `cycles` cycles; returns the number of mismatching cycles.
fn run(model_reset_fix: Option<(&str, u32)>, cycles: usize, seed: u64) -> usize {
    let cfg = parse_str("[design]\nname = \"t\"\n", "t").unwrap();
    let map = RegisterMap::for_design(&cfg);
    let mut rtl = RegBank::new(&map, reg_style(&cfg)).unwrap();
    rtl.connect_all();
    let mut model_map = map.clone();
    if let Some((name, value)) = model_reset_fix {
        model_map
            .registers
            .iter_mut()
            .find(|r| r.name == name)
            .unwrap()
            .reset = value;
    }
    let mut model = RegFileModel::new(&model_map);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    // Reset both.
    rtl.rst_n.next = false;
    settle(&mut rtl);
    edge(&mut rtl);
    rtl.rst_n.next = true;
    settle(&mut rtl);

    let mut mismatches = 0;
    for cycle in 0..cycles {
        let bus = random_bus(&mut rng, &map);
        let reset = rng.gen_ratio(1, 500);
        let (status, dropped): (u8, u16) = (rng.gen(), rng.gen());
        rtl.wbs_stb_i.next = bus.stb;
        rtl.wbs_cyc_i.next = bus.cyc;
        rtl.wbs_we_i.next = bus.we;
        rtl.wbs_sel_i.next = (bus.sel as u64).to_bits();
        rtl.wbs_adr_i.next = (bus.adr as u64).to_bits();
        rtl.wbs_dat_i.next = (bus.dat as u64).to_bits();
        rtl.status.next = (status as u64).to_bits();
        rtl.dropped.next = (dropped as u64).to_bits();
        rtl.rst_n.next = !reset;
        settle(&mut rtl);
        edge(&mut rtl);
        if reset {
            model.reset();
        } else {
            let ro = |r: &Register| match r.name {
                "status" => status as u32,
                "dropped" => dropped as u32,
                _ => 0,
            };
            model.clock(&bus, &ro);
        }
        let got = (
            rtl.wbs_ack_o.val(),
            rtl.wbs_dat_o.val().index() as u32,
            rtl.threshold.val().index() as u32,
            rtl.leak.val().index() as u32,
            rtl.cmd.val().index() as u32,
        );
        let want = (
            model.ack(),
            model.rdata(),
            model.hw_value("threshold"),
            model.hw_value("leak"),
            model.hw_value("cmd"),
        );
        if got != want {
            if mismatches == 0 {
                eprintln!(
                    "cycle {cycle} (seed {seed}): rtl {got:x?} model {want:x?} after {bus:x?}"
                );
            }
            mismatches += 1;
        }
    }
    mismatches
}

#[test]
fn rust_hdl_register_bank_matches_the_model() {
    assert_eq!(run(None, 100_000, 1), 0);
}

#[test]
fn a_broken_model_is_caught() {
    // The model believes `threshold` resets to 65 instead of the config's 64.
    assert!(run(Some(("threshold", 65)), 20_000, 2) > 0);
    // ... or `leak` to 0.
    assert!(run(Some(("leak", 0)), 20_000, 3) > 0);
}
