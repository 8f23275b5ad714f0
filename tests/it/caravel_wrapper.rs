//! Issue 16, part 1: the Caravel `user_project_wrapper` through its pins
//! only. A scripted session (Wishbone programs a cell with write-verify,
//! configures the neurons, spikes go in on the AER pads, output spikes are
//! collected) runs on the golden model (`TileModel`, the ideal macro with
//! latency 1 playing the crossbar); every cycle's tile-level inputs and
//! outputs are mapped onto the wrapper's pins by the pad map (wb_*, io_in,
//! la_data_in/la_oenb driven; wbs_*, io_out, io_oeb, la_data_out, user_irq
//! compared) and replayed into `user_project_wrapper` under Icarus, with
//! the crossbar played by its behavioral model (`sim/<design>_xbar_model.v`,
//! which matches `IdealXbar` with latency 1). No internal signal is read.
//! Fails (never skips) without Icarus.

use crate::common;

use memforge::blocks::tile::TileDesign;
use memforge::cosim::design::write_rtl_edited;
use memforge::flows::caravel::{self as wrapper, tile_to_pins};
use memforge::tools::{find, Tool};
use memforge_sim::cosim::icarus::{self, IcarusOptions, IcarusRecording, IcarusReport};
use memforge_sim::cosim::session::script::{AerEvent, Script};
use memforge_sim::cosim::session::{Session, SessionLog};
use memforge_sim::cycle::{CycleModel, PortLayout, PortSpec};
use memforge_sim::tile::{IdealXbar, TileModel};
use memforge_sim::verilator::RtlDesign;
use memforge_spec::caravel::wrapper_contract;
use memforge_spec::DesignConfig;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("caravel_wrapper")
}

fn example(name: &str) -> DesignConfig {
    memforge_spec::load_file(&common::root().join(format!("examples/{name}.toml"))).unwrap()
}

/// Program cells (2, 3) and (2, 5) to and above the threshold, fire row 2
/// three times, wait until the tile is quiet, then every row once.
fn script() -> Script {
    let spike = AerEvent { row: 2, value: 1 };
    Script::new()
        .program(2, 3, 17)
        .program(2, 5, 20)
        .write("threshold", 17)
        .write("refractory", 0)
        .write("leak", 0)
        .write("ctrl", 1)
        .send(vec![spike; 3])
        .wait_idle()
        .read("status")
        // Every row once (rows past 8 in the 32x32 tile stay silent),
        // back to back, so the input FIFO's ready is exercised at the pads.
        .send((0..12).map(|row| AerEvent { row, value: 1 }).collect())
        .wait_idle()
        .read("status")
}

/// The golden run, recorded at the tile's ports, and its log.
fn golden(cfg: &DesignConfig) -> (PortLayout, IcarusRecording, SessionLog) {
    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    let xbar = IdealXbar::new(cfg, 1);
    let mut session = Session::new(cfg, &layout, &script(), xbar).unwrap();
    let rec = icarus::record(&mut model, &mut session, 20_000);
    let log = session.log.clone();
    assert!(log.completed(), "{}: {log:?}", cfg.design.name);
    (layout, rec, log)
}

/// The same run at the wrapper's pins.
fn at_pins(
    cfg: &DesignConfig,
    tile: &PortLayout,
    rec: &IcarusRecording,
) -> (PortLayout, IcarusRecording) {
    let contract = memforge_spec::blocks::tile::contract(cfg);
    let map = wrapper::pad_map(cfg, &contract)
        .unwrap()
        .expect("[caravel]");
    let pins = PortLayout::from_contract(&wrapper_contract());
    let (tw, pw) = (tile.total_words(), pins.total_words());
    let mut out = IcarusRecording {
        cycles: rec.cycles,
        compare_from: rec.compare_from,
        ..Default::default()
    };
    let mut buf = vec![0u64; pw];
    for c in 0..rec.cycles as usize {
        tile_to_pins(
            &map,
            tile,
            &pins,
            &rec.inputs[c * tw..(c + 1) * tw],
            &mut buf,
        )
        .unwrap();
        out.inputs.extend_from_slice(&buf);
        tile_to_pins(
            &map,
            tile,
            &pins,
            &rec.outputs[c * tw..(c + 1) * tw],
            &mut buf,
        )
        .unwrap();
        out.outputs.extend_from_slice(&buf);
    }
    (pins, out)
}

/// Writes the design (wrapper file through `edit`), the crossbar model
/// under the macro's module name, and replays the pin-level recording.
fn replay(
    cfg: &DesignConfig,
    tag: &str,
    pins: &PortLayout,
    rec: &IcarusRecording,
    edit: impl Fn(&str, String) -> String,
) -> IcarusReport {
    let name = format!("{}_{tag}", cfg.design.name);
    let dir = tmp().join(&name);
    let tile = write_rtl_edited(&TileDesign(cfg.clone()), &dir, edit).unwrap();
    let design = &cfg.design.name;
    let model = std::fs::read_to_string(dir.join(format!("sim/{design}_xbar_model.v"))).unwrap();
    let macro_model = dir.join("xbar_as_macro.v");
    std::fs::write(
        &macro_model,
        model.replace(
            &format!("module {design}_xbar_model("),
            &format!("module {design}_xbar("),
        ),
    )
    .unwrap();
    let mut files = tile.files.clone();
    files.push(macro_model);
    files.push(dir.join(wrapper::WRAPPER));
    let mut ports = vec![PortSpec {
        name: "wb_clk_i".into(),
        input: true,
        width: 1,
    }];
    ports.extend(pins.ports.iter().cloned());
    let rtl = RtlDesign {
        top: wrapper::TOP.into(),
        files,
        ports,
    };
    let iverilog = find(Tool::Iverilog)
        .unwrap_or_else(|e| panic!("this test needs Icarus Verilog (it does not skip): {e:#}"));
    let opts = IcarusOptions::new(
        iverilog.path,
        icarus::work_dir(&tmp(), &name),
        Duration::from_secs(300),
    );
    icarus::replay(&rtl, "wb_clk_i", pins, rec, &opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Output spikes seen at the pins: cycles where the expected `io_out` bit
/// of `aer_out_valid` is high (an independent read of the recording).
fn spikes_at_pins(cfg: &DesignConfig, pins: &PortLayout, rec: &IcarusRecording) -> usize {
    let contract = memforge_spec::blocks::tile::contract(cfg);
    let map = wrapper::pad_map(cfg, &contract).unwrap().unwrap();
    let memforge_spec::caravel::Site::Io(pad) = map.get("aer_out_valid").unwrap().site else {
        panic!("aer_out_valid is not on a pad");
    };
    let i = pins.index_of("io_out").unwrap();
    let w = pins.total_words();
    (0..rec.cycles as usize)
        .filter(|&c| {
            let words = &rec.outputs[c * w..(c + 1) * w][pins.range(i)];
            (words[pad as usize / 64] >> (pad % 64)) & 1 == 1
        })
        .count()
}

fn case(cfg: DesignConfig, tag: &str) {
    let (tile, rec, log) = golden(&cfg);
    assert!(
        log.programs.len() == 2 && log.programs.iter().all(|p| p.passed()),
        "{:?}",
        log.programs
    );
    let cols: Vec<u8> = log.spikes.iter().map(|s| s.col).collect();
    // Column 5 (level 20 >= 17) fires on every event; column 3 (level 17
    // within the write-verify tolerance) on some.
    assert_eq!(cols.iter().filter(|c| **c == 5).count(), 4, "{cols:?}");
    assert!(cols.iter().all(|c| *c == 3 || *c == 5), "{cols:?}");
    let (pins, prec) = at_pins(&cfg, &tile, &rec);
    assert!(spikes_at_pins(&cfg, &pins, &prec) >= 1);
    let report = replay(&cfg, tag, &pins, &prec, |_, t| t);
    if let Some(m) = &report.mismatch {
        panic!(
            "{}: the wrapper differs from the golden model at its pins: {m}",
            cfg.design.name
        );
    }
    assert_eq!(report.cycles, rec.cycles);
    println!(
        "{} ({tag}): {} cycles at the wrapper's pins under Icarus in {:.1} s, spikes {cols:?}",
        cfg.design.name, report.cycles, report.seconds
    );
}

#[test]
fn wrapper_8x8_programs_a_cell_and_spikes_through_the_pads() {
    case(example("tile-8x8"), "io");
}

#[test]
fn wrapper_32x32_programs_a_cell_and_spikes_through_the_pads() {
    case(example("tile-32x32"), "io");
}

/// Inputs on logic-analyzer bits (gated by `la_oenb`), the sync reset style.
#[test]
fn wrapper_with_la_inputs_and_sync_reset() {
    let mut cfg = example("tile-8x8");
    cfg.design.name = "cv_la".into();
    cfg.design.reset = memforge_spec::ResetStyle::Sync;
    let sec = cfg.caravel.as_mut().unwrap();
    sec.pins.insert("aer_in_value".into(), "la:40".into());
    sec.pins.insert("aer_out_addr".into(), "la:100".into());
    assert!(memforge_spec::validate::validate(&cfg).is_empty());
    let (tile, mut rec, _) = golden(&cfg);
    // Sync style: the flip-flops are unknown until the first edge.
    rec.compare_from = 1;
    let (pins, prec) = at_pins(&cfg, &tile, &rec);
    let report = replay(&cfg, "la", &pins, &prec, |_, t| t);
    assert!(report.mismatch.is_none(), "{:?}", report.mismatch);
}

/// The wrapper file of the 8x8 example with `mutate` applied to it,
/// replayed against the unmutated golden run: must mismatch.
fn assert_caught(tag: &str, mutate: impl Fn(String) -> String) {
    let cfg = example("tile-8x8");
    let (tile, rec, _) = golden(&cfg);
    let (pins, prec) = at_pins(&cfg, &tile, &rec);
    let report = replay(&cfg, tag, &pins, &prec, |path, text| {
        if path == wrapper::WRAPPER {
            let mutated = mutate(text.clone());
            assert_ne!(mutated, text, "{tag}: the mutation did not apply");
            mutated
        } else {
            text
        }
    });
    let m = report
        .mismatch
        .unwrap_or_else(|| panic!("{tag}: the mutated wrapper went unnoticed"));
    println!("{tag}: caught: {m}");
}

/// Mutation: two address pads swapped inside the wrapper.
#[test]
fn swapped_pads_are_caught() {
    assert_caught("swapped", |text| {
        text.replace(
            "assign aer_in_addr = io_in[12:5];",
            "assign aer_in_addr = {io_in[12:7], io_in[5], io_in[6]};",
        )
    });
}

/// Mutation: the pad of `aer_out_valid` (31) left as an input (`io_oeb`
/// high), so the spike flag never leaves the chip.
#[test]
fn an_output_pad_left_undriven_is_caught() {
    assert_caught("oeb", |text| {
        let at = text.find("assign io_oeb = 38'b").unwrap() + "assign io_oeb = 38'b".len();
        let digit = at + (38 - 1 - 31);
        assert_eq!(&text[digit..digit + 1], "0");
        format!("{}1{}", &text[..digit], &text[digit + 1..])
    });
}

/// docs/caravel.md shows the 8x8 example's pad table as the generator
/// renders it (and rtl-out holds the same table).
#[test]
fn the_doc_shows_the_rendered_pad_table() {
    let cfg = example("tile-8x8");
    let contract = memforge_spec::blocks::tile::contract(&cfg);
    let map = wrapper::pad_map(&cfg, &contract).unwrap().unwrap();
    let table = wrapper::pad_table(&map);
    let doc = std::fs::read_to_string(common::root().join("docs/caravel.md")).unwrap();
    assert!(doc.contains(&table), "docs/caravel.md: paste\n{table}");
    let committed = std::fs::read_to_string(
        common::root()
            .join("rtl-out/tile8x8")
            .join(wrapper::PAD_TABLE),
    )
    .unwrap();
    assert_eq!(committed, table);
}
