//! The register banks simulated by rust-hdl's own engine. `register_bank!`:
//! a bank declared as a list is checked against its
//! register map (every disagreement is an error naming the register), and
//! any declared bank runs in lock step with the golden register-file model
//! (`memforge_sim::regfile`, written from the map alone) through its
//! generated port adapter, by register name.

use memforge_hdl::design::reg_style;
use memforge_hdl::reg::RegStyle;
use memforge_hdl::regfile::{ClaimError, RegBank};
use memforge_hdl::HdlPorts;
use memforge_sim::regfile::{RegFileModel, WbIn};
use memforge_spec::{parse_str, Access, Register, RegisterMap};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::*;
use std::collections::BTreeMap;

/// The register style of a default design config.
fn style() -> RegStyle {
    reg_style(&parse_str("[design]\nname = \"t\"\n", "t").unwrap())
}

/// A small map unlike the tile's: a gap in the offsets, a 32-bit `rw`, a
/// software-only register and a one-bit strobe.
fn probe_map() -> RegisterMap {
    RegisterMap {
        base_address: 0x3000_1000,
        registers: vec![
            Register::new("id", 0x00, Access::Const, 32, 0x1234_5678, ""),
            Register::new("mode", 0x04, Access::Rw, 3, 5, ""),
            Register::new("scratch", 0x08, Access::Rw, 8, 0xa5, ""),
            Register::new("level", 0x10, Access::Ro, 5, 0, ""),
            Register::new("go", 0x14, Access::Pulse, 1, 0, ""),
            Register::new("span", 0x18, Access::Rw, 32, 0xdead_beef, ""),
        ],
    }
}

memforge_hdl::register_bank! {
    /// The probe map's bank, as a new block would declare it.
    pub struct ProbeBank {
        id: const,
        mode: rw 3,
        scratch: store 8,
        level: ro 5,
        go: pulse 1,
        span: rw 32,
    }
}

memforge_hdl::register_bank! {
    /// Leaves out `span`.
    pub struct ShortBank {
        id: const,
        mode: rw 3,
        scratch: store 8,
        level: ro 5,
        go: pulse 1,
    }
}

memforge_hdl::register_bank! {
    /// `mode` one bit too wide.
    pub struct WideBank {
        id: const,
        mode: rw 4,
        scratch: store 8,
        level: ro 5,
        go: pulse 1,
        span: rw 32,
    }
}

memforge_hdl::register_bank! {
    /// Shows the software-only `scratch` to the hardware.
    pub struct SeenBank {
        id: const,
        mode: rw 3,
        scratch: rw 8,
        level: ro 5,
        go: pulse 1,
        span: rw 32,
    }
}

memforge_hdl::register_bank! {
    /// Implements a register the map does not describe.
    pub struct ExtraBank {
        id: const,
        mode: rw 3,
        scratch: store 8,
        level: ro 5,
        go: pulse 1,
        span: rw 32,
        spare: rw 4,
    }
}

#[test]
fn a_list_that_disagrees_with_the_map_names_the_register() {
    let map = probe_map();
    let style = style();
    assert!(ProbeBank::new(&map, style).is_ok());
    assert_eq!(
        ShortBank::new(&map, style).unwrap_err(),
        ClaimError::Unimplemented("span".into())
    );
    let wide = WideBank::new(&map, style).unwrap_err();
    assert!(
        matches!(&wide, ClaimError::Mismatch { name, .. } if name == "mode"),
        "{wide}"
    );
    let seen = SeenBank::new(&map, style).unwrap_err();
    assert!(
        matches!(&seen, ClaimError::Mismatch { name, .. } if name == "scratch"),
        "{seen}"
    );
    assert!(seen.to_string().contains("software only"), "{seen}");
    assert_eq!(
        ExtraBank::new(&map, style).unwrap_err(),
        ClaimError::Missing("spare".into())
    );
}

fn settle<B: Block>(b: &mut B) {
    for _ in 0..1000 {
        b.update_all();
        if !b.has_changed() {
            return;
        }
    }
    panic!("rust-hdl simulation did not settle");
}

fn edge<B: HdlPorts>(b: &mut B) {
    b.clock_mut().next = Clock::from(true);
    settle(b);
    b.clock_mut().next = Clock::from(false);
    settle(b);
}

/// Drives `bank` and the model with the same random Wishbone traffic
/// (byte-select writes, unmapped, unaligned and out-of-window addresses,
/// biased towards mapped registers) and random read-only inputs and reset pulses, every port by name; returns the mismatching
/// cycles (ack, read data, and every hardware-side output).
fn lockstep<B: HdlPorts>(mut bank: B, map: &RegisterMap, cycles: usize, seed: u64) -> usize {
    bank.connect_all();
    let mut model = RegFileModel::new(map);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut inputs: BTreeMap<String, u64> = BTreeMap::new();
    let drive = |bank: &mut B, inputs: &BTreeMap<String, u64>| {
        bank.drive(&|name| inputs.get(name).copied().unwrap_or(0));
        settle(bank);
    };
    inputs.insert("rst_n".into(), 0);
    drive(&mut bank, &inputs);
    edge(&mut bank);
    inputs.insert("rst_n".into(), 1);

    let mut mismatches = 0;
    for cycle in 0..cycles {
        let adr = match rng.gen_range(0..8) {
            0 => rng.gen(),
            1 => map.base_address + rng.gen_range(0..map.window_bytes()),
            _ => map.base_address + map.registers[rng.gen_range(0..map.registers.len())].offset,
        };
        let bus = WbIn {
            stb: rng.gen_bool(0.7),
            cyc: rng.gen_bool(0.9),
            we: rng.gen_bool(0.5),
            sel: rng.gen_range(0..16),
            adr,
            dat: rng.gen(),
        };
        let ro: BTreeMap<&str, u32> = map
            .registers
            .iter()
            .filter(|r| r.access == Access::Ro)
            .map(|r| (r.name, rng.gen::<u32>() & r.mask()))
            .collect();
        for (name, value) in [
            ("wbs_stb_i", bus.stb as u64),
            ("wbs_cyc_i", bus.cyc as u64),
            ("wbs_we_i", bus.we as u64),
            ("wbs_sel_i", bus.sel as u64),
            ("wbs_adr_i", bus.adr as u64),
            ("wbs_dat_i", bus.dat as u64),
        ] {
            inputs.insert(name.into(), value);
        }
        for (name, value) in &ro {
            inputs.insert((*name).into(), *value as u64);
        }
        let reset = rng.gen_ratio(1, 500);
        inputs.insert("rst_n".into(), !reset as u64);
        drive(&mut bank, &inputs);
        edge(&mut bank);
        if reset {
            model.reset();
        } else {
            model.clock(&bus, &|r: &Register| ro.get(r.name).copied().unwrap_or(0));
        }

        let mut got = BTreeMap::new();
        bank.sample(&mut |name, value| {
            got.insert(name.to_string(), value);
        });
        let mut want = BTreeMap::new();
        want.insert("wbs_ack_o".to_string(), model.ack() as u64);
        want.insert("wbs_dat_o".to_string(), model.rdata() as u64);
        for r in map
            .registers
            .iter()
            .filter(|r| r.hw_port && r.access != Access::Ro)
        {
            want.insert(r.name.to_string(), model.hw_value(r.name) as u64);
        }
        if got != want {
            if mismatches == 0 {
                eprintln!("cycle {cycle} (seed {seed}): rtl {got:x?} model {want:x?}");
            }
            mismatches += 1;
        }
    }
    mismatches
}

#[test]
fn a_declared_bank_matches_the_model_of_its_map() {
    let map = probe_map();
    assert_eq!(
        lockstep(ProbeBank::new(&map, style()).unwrap(), &map, 20_000, 7),
        0
    );
}

/// The tile's bank against a model of `map` with `reset_fix` applied.
fn tile_lockstep(reset_fix: Option<(&str, u32)>, cycles: usize, seed: u64) -> usize {
    let cfg = parse_str("[design]\nname = \"t\"\n", "t").unwrap();
    let map = RegisterMap::for_design(&cfg);
    let bank = RegBank::new(&map, reg_style(&cfg)).unwrap();
    let mut model_map = map.clone();
    if let Some((name, value)) = reset_fix {
        let r = model_map
            .registers
            .iter_mut()
            .find(|r| r.name == name)
            .unwrap();
        r.reset = value;
    }
    lockstep(bank, &model_map, cycles, seed)
}

#[test]
fn the_tile_bank_matches_the_model_by_name() {
    assert_eq!(tile_lockstep(None, 100_000, 1), 0);
}

#[test]
fn a_broken_tile_model_is_caught() {
    // The model believes `threshold` resets to 65 instead of the config's 64.
    assert!(tile_lockstep(Some(("threshold", 65)), 20_000, 2) > 0);
    // ... or `leak` to 0.
    assert!(tile_lockstep(Some(("leak", 0)), 20_000, 3) > 0);
}

#[test]
fn a_model_with_another_reset_value_is_caught() {
    let map = probe_map();
    let bank = ProbeBank::new(&map, style()).unwrap();
    let mut wrong = map.clone();
    wrong.registers[1].reset = 4; // `mode` resets to 5 in the bank.
    assert!(lockstep(bank, &wrong, 2_000, 9) > 0);
}
