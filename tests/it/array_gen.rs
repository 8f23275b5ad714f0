//! The array generator (issue #15 part 1): 2x2 and 4x4 arrays of both
//! interconnects generate deterministically and pass Verilator -Wall and
//! Icarus; bad configs are clear errors; and over Wishbone (Icarus, the
//! generated RTL), every tile's and router's registers answer at the
//! documented stride, each in its own block, while unmapped addresses are
//! acknowledged with zero. The expected values come from the spec's
//! register maps and layout, not from the RTL. Fails (never skips)
//! without Verilator or Icarus. The 2x2 examples also run the generic
//! gates (tests/lint_gates.rs, tests/generate_outputs.rs, tests/blocks.rs).

use crate::common;

use memforge::blocks;
use memforge::lint::{event_driven, iverilog, verilator, DesignDir};
use memforge_hdl::emit::write_design;
use memforge_spec::blocks::aer_router::{self, AerRouterParams};
use memforge_spec::blocks::array::{ArrayConfig, Interconnect, INFO_ID, SUB_BASE};
use memforge_spec::blocks::routing_tile;
use memforge_spec::{Dir, RegisterMap, Role};
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn example(ic: &str) -> PathBuf {
    common::root().join(format!("examples/array-{ic}-2x2.toml"))
}

/// The example config of `ic`, resized to `n x n` and renamed.
fn sized(ic: &str, n: u32) -> ArrayConfig {
    let mut cfg: ArrayConfig =
        memforge_spec::load::load_with(&example(ic), memforge_spec::blocks::array::validate)
            .unwrap();
    cfg.array.rows = n;
    cfg.array.cols = n;
    cfg.design.name = format!("arr_{ic}{n}");
    cfg
}

fn design(cfg: &ArrayConfig) -> memforge::blocks::array::ArrayDesign {
    memforge::blocks::array::ArrayDesign(cfg.clone())
}

fn write(cfg: &ArrayConfig, dir: &Path) -> Vec<(String, String)> {
    let (_, files) = blocks::generate_files(&design(cfg)).unwrap();
    write_design(dir, &files).unwrap();
    files
}

#[test]
fn arrays_4x4_of_both_interconnects_pass_verilator_and_icarus() {
    let tmp = tempfile::tempdir().unwrap();
    for ic in ["mosaic", "mesh"] {
        let cfg = sized(ic, 4);
        let out = tmp.path().join(ic);
        write(&cfg, &out);
        let d = DesignDir::open(&out).unwrap();
        for r in [verilator(&d), iverilog(&d), event_driven(&d)] {
            let r = r.expect("lint tools must be installed (./dev setup)");
            assert!(
                r.passed,
                "{} on {ic} 4x4:\n{}",
                r.tool,
                r.messages.join("\n")
            );
        }
    }
}

#[test]
fn generation_is_deterministic_and_one_module_per_kind() {
    for ic in ["mosaic", "mesh"] {
        for n in [2, 4] {
            let cfg = sized(ic, n);
            let (e, a) = blocks::generate_files(&design(&cfg)).unwrap();
            let (_, b) = blocks::generate_files(&design(&cfg)).unwrap();
            assert!(a == b, "{ic} {n}x{n}: two generations differ");
            // The module count does not grow with the array: every tile,
            // router and bridge instance shares its module.
            let (_, small) = blocks::generate_files(&design(&sized(ic, 2))).unwrap();
            let rtl =
                |f: &[(String, String)]| f.iter().filter(|(p, _)| p.starts_with("rtl/")).count();
            assert_eq!(rtl(&a), rtl(&small), "{ic} {n}x{n}: module count grew");
            let top = e.top().unwrap();
            let instances = top
                .text
                .matches(&format!("{}_nt nt_", cfg.design.name))
                .count();
            assert_eq!(instances as u32, n * n, "{ic} {n}x{n}: tile instances");
        }
    }
}

/// The error of loading `text` as a config.
fn load_error(text: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("bad.toml");
    std::fs::write(&p, text).unwrap();
    match blocks::load(&p, None) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => format!("{e:#}"),
    }
}

fn config(rows: u32, cols: u32, ic: &str, extra: &str) -> String {
    format!(
        "[design]\nname = \"bad\"\nblock = \"array\"\n[array]\nrows = {rows}\ncols = {cols}\ninterconnect = \"{ic}\"\n{extra}\n[tile]\nrows = 8\ncols = 8\n"
    )
}

#[test]
fn bad_configs_are_clear_errors() {
    let e = load_error(&config(0, 2, "mosaic", ""));
    assert!(e.contains("array.rows") && e.contains("1..=64"), "{e}");
    let e = load_error(&config(2, 2, "torus", ""));
    assert!(
        e.contains("torus") && e.contains("mosaic") && e.contains("mesh"),
        "{e}"
    );
    // 64 x 64 Mosaic: 129 x 129 grid cells, 16641 blocks of 0x80 bytes
    // and the info region: over the 1 MiB address space.
    let e = load_error(&config(64, 64, "mosaic", ""));
    assert!(
        e.contains("address space") && e.contains("register slots"),
        "{e}"
    );
    let e = load_error(&config(17, 2, "mesh", ""));
    assert!(e.contains("at most 16"), "{e}");
    let e = load_error(&config(2, 2, "mosaic", "channels = 3"));
    assert!(e.contains("array.channels"), "{e}");
    let e = load_error(&config(2, 2, "mosaic", "base_address = 0x30000100"));
    assert!(e.contains("array.base_address"), "{e}");
    // The CLI: exit code 2, the problem named, no panic.
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("bad.toml");
    std::fs::write(&p, config(0, 2, "mosaic", "")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_memforge"))
        .arg("generate")
        .arg(&p)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("array.rows"));
}

/// One bus transfer and what the spec says it must return (also used by
/// `map_network.rs`, which replays a mapping's writes on the RTL).
pub(crate) struct Op {
    pub(crate) write: bool,
    pub(crate) addr: u64,
    pub(crate) data: u32,
    /// Expected read data (writes: `None`).
    pub(crate) expect: Option<u32>,
}

pub(crate) fn read(addr: u64, expect: u32) -> Op {
    Op {
        write: false,
        addr,
        data: 0,
        expect: Some(expect),
    }
}

/// The transfers: every slot's `id` and `scratch` (written with a value
/// unique to the slot, read back after all writes), the info slot's
/// words, and unmapped addresses (past the slots, outside the span, a
/// write to nowhere), all expected to be acknowledged.
fn script(cfg: &ArrayConfig) -> Vec<Op> {
    let tile = RegisterMap::for_design(&cfg.tile_config());
    let rt = routing_tile::register_map(&cfg.routing_config());
    let mut kinds: Vec<(u32, u32)> = Vec::new(); // (id, scratch offset) per slot
    for _ in 0..cfg.tiles() {
        kinds.push((
            tile.get("id").unwrap().reset,
            tile.offset_of("scratch").unwrap(),
        ));
    }
    for (a, b) in cfg.routers() {
        kinds.push(match cfg.array.interconnect {
            Interconnect::Mosaic => (
                rt.get("id").unwrap().reset,
                rt.offset_of("scratch").unwrap(),
            ),
            Interconnect::Mesh => {
                let (r, c) = (a, b);
                let map = aer_router::register_map(
                    &AerRouterParams {
                        x: c,
                        y: r,
                        link: cfg.link_params(),
                    },
                    SUB_BASE,
                );
                (
                    map.get("id").unwrap().reset,
                    map.offset_of("scratch").unwrap(),
                )
            }
        });
    }
    let mut ops = Vec::new();
    let val = |s: usize| 0x5a00_0000 | (s as u32) << 4 | 0x3;
    for (s, &(_, scratch)) in kinds.iter().enumerate() {
        ops.push(Op {
            write: true,
            addr: cfg.slot_address(s as u32) + u64::from(scratch),
            data: val(s),
            expect: None,
        });
    }
    for (s, &(id, scratch)) in kinds.iter().enumerate() {
        let base = cfg.slot_address(s as u32);
        ops.push(read(base, id));
        ops.push(read(base + u64::from(scratch), val(s)));
    }
    let info = cfg.slot_address(cfg.info_slot());
    ops.push(read(info, INFO_ID));
    ops.push(read(info + 4, cfg.geometry_word()));
    ops.push(read(info + 8, cfg.stride()));
    for t in 0..cfg.info_bridge_words() {
        ops.push(read(info + 12 + 4 * u64::from(t), 0));
    }
    ops.push(read(info + u64::from(cfg.stride()) - 4, 0));
    let past = cfg.slot_address(cfg.slots());
    if past < u64::from(cfg.array.base_address) + cfg.span() {
        ops.push(read(past, 0));
    }
    ops.push(read(0x2000_0000, 0));
    ops.push(Op {
        write: true,
        addr: 0x2000_0004,
        data: 0xdead_beef,
        expect: None,
    });
    ops.push(read(0x2000_0004, 0));
    ops
}

/// An Icarus bench: the array with every non-bus input tied to 0, a
/// Wishbone master running `ops`, one line per transfer
/// (`ACK <we> <addr> <data>` or `HANG <addr>`).
fn bench(cfg: &ArrayConfig, ops: &[Op]) -> String {
    let mut conns = Vec::new();
    for p in &memforge_spec::blocks::array::contract(cfg).ports {
        let e = match (p.name.as_str(), p.role, p.dir) {
            ("wb_clk_i", ..) => "clk".to_string(),
            ("wb_rst_i", ..) => "rst".into(),
            ("wbs_stb_i", ..) => "stb".into(),
            ("wbs_cyc_i", ..) => "stb".into(),
            ("wbs_we_i", ..) => "we".into(),
            ("wbs_sel_i", ..) => "4'hf".into(),
            ("wbs_dat_i", ..) => "wdat".into(),
            ("wbs_adr_i", ..) => "adr".into(),
            ("wbs_ack_o", ..) => "ack".into(),
            ("wbs_dat_o", ..) => "rdat".into(),
            (_, Role::Macro | Role::AerIn | Role::AerOut, Dir::In) => format!("{}'d0", p.width),
            _ => String::new(),
        };
        conns.push(format!("        .{}({e})", p.name));
    }
    let mut v = String::new();
    let _ = write!(
        v,
        "`timescale 1ns/1ps\nmodule tb;\n    reg clk = 1'b0;\n    reg rst = 1'b1;\n    reg stb = 1'b0;\n    reg we = 1'b0;\n    reg [31:0] adr = 32'h0;\n    reg [31:0] wdat = 32'h0;\n    wire ack;\n    wire [31:0] rdat;\n    integer n;\n    always #5 clk = ~clk;\n    {} dut (\n{}\n    );\n",
        cfg.design.name,
        conns.join(",\n")
    );
    v.push_str(
        "    task xfer(input w, input [31:0] a, input [31:0] d);\n    begin\n        @(negedge clk);\n        adr = a; wdat = d; we = w; stb = 1'b1;\n        n = 0;\n        @(negedge clk);\n        while (!ack && n < 20) begin @(negedge clk); n = n + 1; end\n        if (ack) $display(\"ACK %0d %h %h\", w, a, rdat);\n        else $display(\"HANG %h\", a);\n        stb = 1'b0; we = 1'b0;\n    end\n    endtask\n    initial begin\n        repeat (4) @(negedge clk);\n        rst = 1'b0;\n        repeat (6) @(negedge clk);\n",
    );
    for op in ops {
        let _ = writeln!(
            v,
            "        xfer(1'b{}, 32'h{:08x}, 32'h{:08x});",
            u8::from(op.write),
            op.addr,
            op.data
        );
    }
    v.push_str("        $finish;\n    end\nendmodule\n");
    v
}

/// Runs `ops` on the array of `cfg` in Icarus; the transcript lines.
pub(crate) fn run_icarus(cfg: &ArrayConfig, ops: &[Op], dir: &Path) -> Vec<String> {
    let files = write(cfg, &dir.join("rtl"));
    let tb = dir.join("tb.v");
    std::fs::write(&tb, bench(cfg, ops)).unwrap();
    let iv = memforge::tools::find(memforge::tools::Tool::Iverilog)
        .unwrap_or_else(|e| panic!("this test needs Icarus Verilog (it does not skip): {e:#}"));
    let mut cmd = std::process::Command::new(&iv.path);
    cmd.arg("-g2005")
        .arg("-o")
        .arg(dir.join("sim.vvp"))
        .arg(&tb);
    for (p, _) in files.iter().filter(|(p, _)| p.starts_with("rtl/")) {
        cmd.arg(dir.join("rtl").join(p));
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let vvp = iv.path.with_file_name("vvp");
    let out = std::process::Command::new(vvp)
        .arg(dir.join("sim.vvp"))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("ACK") || l.starts_with("HANG"))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_slot_answers_at_its_stride_and_unmapped_addresses_ack_zero() {
    let tmp = tempfile::tempdir().unwrap();
    for ic in ["mosaic", "mesh"] {
        let cfg = sized(ic, 2);
        let ops = script(&cfg);
        let lines = run_icarus(&cfg, &ops, &tmp.path().join(ic));
        assert_eq!(lines.len(), ops.len(), "{ic}: {lines:?}");
        for (op, line) in ops.iter().zip(&lines) {
            let f: Vec<&str> = line.split(' ').collect();
            assert_eq!(f[0], "ACK", "{ic}: the bus hung at {:#x}", op.addr);
            if let Some(want) = op.expect {
                let got = u32::from_str_radix(f[3], 16).unwrap();
                assert_eq!(
                    got, want,
                    "{ic}: read {:#x}: got {got:#x}, want {want:#x}",
                    op.addr
                );
            }
        }
    }
}
