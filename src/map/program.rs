//! A [`Mapping`] as files: the programming image (`image.json`), the
//! Wishbone sequence that programs it (`program.wb`, replayable), and the
//! same sequence as a C header for Caravel firmware.
//!
//! Addresses are the array's own map (`slot_address(slot) + offset`), the
//! offsets those of each block's register map in `memforge_spec`, so the
//! sequence follows any change of a register layout. Every cell and every
//! routing device goes through the block's write-verify programmer
//! (`prog_addr`, `prog_target`, `cmd[1]`), then `prog_status` is polled
//! until not busy and must read "done"; a register is written only when
//! its value changes. Mosaic routers: routing off (`ctrl = 0`) while every
//! device of the crossbar is programmed (blocking ones first, so a stale
//! route never survives), then on. Mesh routers: every table entry written,
//! unused ones with route 0 (disabled).

use super::{Mapping, Routing};
use memforge_spec::blocks::array::SUB_BASE;
use memforge_spec::blocks::{aer_mesh, aer_router, routing_tile};
use memforge_spec::RegisterMap;
use serde::Serialize;

/// One bus operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum WbOp {
    /// Write `data` to `addr`.
    Write { addr: u32, data: u32 },
    /// Read `addr` until `(data & mask) == value`.
    Poll { addr: u32, mask: u32, value: u32 },
    /// Read `addr` once; `(data & mask)` must equal `value`.
    Expect { addr: u32, mask: u32, value: u32 },
}

/// `prog_status`: bit 0 busy; bits 1..4 done, failed, timed out, invalid.
const STATUS_BUSY: u32 = 0x1;
const STATUS_MASK: u32 = 0x1f;
const STATUS_DONE: u32 = 0x2;

/// The registers a mapping writes, by index into [`Offsets`].
#[derive(Clone, Copy)]
enum Reg {
    ProgAddr,
    ProgTarget,
    Cmd,
    ProgStatus,
    ProgTolerance,
    ProgMaxPulses,
    Ctrl,
}

/// Byte offsets of the [`Reg`]s in one block kind's register map, looked
/// up once (the sequence has millions of operations at 8x8 tiles).
struct Offsets([u32; 7]);

impl Offsets {
    fn of(map: &RegisterMap) -> Self {
        let names = [
            "prog_addr",
            "prog_target",
            "cmd",
            "prog_status",
            "prog_tolerance",
            "prog_max_pulses",
            "ctrl",
        ];
        Offsets(names.map(|n| {
            map.offset_of(n)
                .unwrap_or_else(|e| panic!("register map without `{n}`: {e}"))
        }))
    }
}

/// Writes to one block, skipping a register already holding the value.
struct Block<'a> {
    ops: &'a mut Vec<WbOp>,
    off: &'a Offsets,
    base: u32,
    shadow: [Option<u32>; 7],
}

impl Block<'_> {
    fn addr(&self, reg: Reg) -> u32 {
        self.base + self.off.0[reg as usize]
    }

    fn write(&mut self, reg: Reg, data: u32) {
        if self.shadow[reg as usize] == Some(data) {
            return;
        }
        self.shadow[reg as usize] = Some(data);
        let addr = self.addr(reg);
        self.ops.push(WbOp::Write { addr, data });
    }

    /// One write-verify request and its completion check (`cmd` is a
    /// strobe: written every time).
    fn program(&mut self, prog_addr: u32, target: u32) {
        self.write(Reg::ProgAddr, prog_addr);
        self.write(Reg::ProgTarget, target);
        let cmd = self.addr(Reg::Cmd);
        self.ops.push(WbOp::Write {
            addr: cmd,
            data: 0x2,
        });
        let addr = self.addr(Reg::ProgStatus);
        self.ops.push(WbOp::Poll {
            addr,
            mask: STATUS_BUSY,
            value: 0,
        });
        self.ops.push(WbOp::Expect {
            addr,
            mask: STATUS_MASK,
            value: STATUS_DONE,
        });
    }
}

/// The Wishbone sequence that programs `m` (see the module doc).
pub fn sequence(m: &Mapping) -> Vec<WbOp> {
    let cfg = &m.cfg;
    let mut ops = Vec::new();
    let slot_base = |s: u32| cfg.slot_address(s) as u32 - SUB_BASE;
    let tile_map = RegisterMap::for_design(&cfg.tile_config());
    let tile_off = Offsets::of(&tile_map);
    for t in m.tiles.iter().filter(|t| !t.cells.is_empty()) {
        let mut b = Block {
            ops: &mut ops,
            off: &tile_off,
            base: slot_base(t.slot) + tile_map.base_address,
            shadow: [None; 7],
        };
        b.write(Reg::ProgTolerance, cfg.program.tolerance);
        b.write(Reg::ProgMaxPulses, cfg.program.max_pulses);
        for &(r, c, level) in &t.cells {
            b.program(u32::from(r) | u32::from(c) << 8, u32::from(level));
        }
    }
    match &m.routing {
        Routing::Mosaic(routers) => {
            let map = routing_tile::register_map(&cfg.routing_config());
            let lines = 5 * cfg.array.channels as u16;
            let off = Offsets::of(&map);
            let max_pulses = map.get("prog_max_pulses").map_or(16, |r| r.reset);
            for r in routers {
                let mut b = Block {
                    ops: &mut ops,
                    off: &off,
                    base: slot_base(r.slot) + map.base_address,
                    shadow: [None; 7],
                };
                b.write(Reg::Ctrl, 0);
                b.write(Reg::ProgTolerance, 0);
                b.write(Reg::ProgMaxPulses, max_pulses);
                let routes: std::collections::BTreeSet<(u16, u16)> =
                    r.routes.iter().map(|&(i, o, _)| (i, o)).collect();
                for target in [0, 1] {
                    for i in 0..lines {
                        for o in 0..lines {
                            if routes.contains(&(i, o)) == (target == 1) {
                                b.program(u32::from(i) | u32::from(o) << 8, target);
                            }
                        }
                    }
                }
                b.write(Reg::Ctrl, 1);
            }
        }
        Routing::Mesh(routers) => {
            let link = cfg.link_params();
            for r in routers {
                let map = aer_router::register_map(
                    &aer_mesh::router(&link, r.router[0], r.router[1]),
                    SUB_BASE,
                );
                let base = slot_base(r.slot) + SUB_BASE;
                for e in 0..cfg.array.table_entries {
                    let entry = r.entries.iter().find(|x| x.entry == e);
                    let (key, mask, route) = entry.map_or((0, 0, 0), |x| (x.key, x.mask, x.route));
                    let off = aer_router::entry_offset(e);
                    debug_assert_eq!(map.offset_of(&format!("key{e}")).ok(), Some(off));
                    for (o, data) in [(off, key), (off + 4, mask), (off + 8, route)] {
                        ops.push(WbOp::Write {
                            addr: base + o,
                            data,
                        });
                    }
                }
            }
        }
    }
    ops
}

/// Appends `0x` and `v` as 8 lower-case hex digits (the text outputs have
/// millions of numbers; `format!` was most of their time).
fn hex8(s: &mut Vec<u8>, v: u32) {
    const D: &[u8; 16] = b"0123456789abcdef";
    let mut b = *b"0x00000000";
    for k in 0..8 {
        b[9 - k] = D[((v >> (4 * k)) & 0xf) as usize];
    }
    s.extend_from_slice(&b);
}

/// The text built as bytes (only ASCII is ever pushed).
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("ASCII")
}

/// `program.wb`: one operation per line.
pub fn wb_text(m: &Mapping, ops: &[WbOp]) -> String {
    let s = format!(
        "# memforge map: design `{}`, {} operations\n# W addr data        write\n# P addr mask value  read until (data & mask) == value\n# E addr mask value  read once: (data & mask) must equal value\n",
        m.design,
        ops.len()
    );
    let mut s = s.into_bytes();
    s.reserve(ops.len() * 36);
    for op in ops {
        let (k, fields) = match *op {
            WbOp::Write { addr, data } => ("W ", [addr, data, 0]),
            WbOp::Poll { addr, mask, value } => ("P ", [addr, mask, value]),
            WbOp::Expect { addr, mask, value } => ("E ", [addr, mask, value]),
        };
        s.extend_from_slice(k.as_bytes());
        let n = if k == "W " { 2 } else { 3 };
        for (i, f) in fields[..n].iter().enumerate() {
            if i > 0 {
                s.push(b' ');
            }
            hex8(&mut s, *f);
        }
        s.push(b'\n');
    }
    text(s)
}

/// Parses `program.wb` back (for replay tools and tests).
pub fn parse_wb(text: &str) -> Result<Vec<WbOp>, String> {
    let hex = |t: Option<&str>, n: usize| -> Result<u32, String> {
        let t = t.ok_or(format!("line {n}: missing field"))?;
        u32::from_str_radix(t.trim_start_matches("0x"), 16)
            .map_err(|e| format!("line {n}: {t}: {e}"))
    };
    let mut ops = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut f = line.split_whitespace();
        let op = match f.next() {
            None => continue,
            Some(c) if c.starts_with('#') => continue,
            Some("W") => WbOp::Write {
                addr: hex(f.next(), n + 1)?,
                data: hex(f.next(), n + 1)?,
            },
            Some(k @ ("P" | "E")) => {
                let (addr, mask, value) = (
                    hex(f.next(), n + 1)?,
                    hex(f.next(), n + 1)?,
                    hex(f.next(), n + 1)?,
                );
                if k == "P" {
                    WbOp::Poll { addr, mask, value }
                } else {
                    WbOp::Expect { addr, mask, value }
                }
            }
            Some(other) => return Err(format!("line {}: unknown operation {other}", n + 1)),
        };
        ops.push(op);
    }
    Ok(ops)
}

/// The C header: the sequence as a table and a replay function.
pub fn c_header(m: &Mapping, ops: &[WbOp]) -> String {
    let id = m.design.to_ascii_lowercase();
    let guard = format!("{}_MAP_H", id.to_ascii_uppercase());
    let s = format!(
        "/* Generated by memforge {} (`memforge map`) for the array `{}`:\n * {} neurons, {} encoding, {} bus operations. Do not edit. */\n#ifndef {guard}\n#define {guard}\n\n#include <stdint.h>\n\n#define {up}_MAP_WRITE 0u  /* write data to addr */\n#define {up}_MAP_POLL 1u   /* read addr until (value & mask) == data */\n#define {up}_MAP_EXPECT 2u /* read addr once: (value & mask) must equal data */\n#define {up}_MAP_OPS {}u\n\ntypedef struct {{\n    uint32_t op;\n    uint32_t addr;\n    uint32_t data;\n    uint32_t mask;\n}} {id}_map_op_t;\n\nstatic const {id}_map_op_t {id}_map_ops[{up}_MAP_OPS] = {{\n",
        env!("CARGO_PKG_VERSION"),
        m.design,
        m.neurons,
        match m.encoding {
            super::Encoding::Offset => "offset",
            super::Encoding::Differential => "differential",
        },
        ops.len(),
        ops.len(),
        up = id.to_ascii_uppercase(),
    );
    let mut s = s.into_bytes();
    s.reserve(ops.len() * 48);
    for op in ops {
        let (k, fields) = match *op {
            WbOp::Write { addr, data } => (b"    {0u, ", [addr, data, 0]),
            WbOp::Poll { addr, mask, value } => (b"    {1u, ", [addr, value, mask]),
            WbOp::Expect { addr, mask, value } => (b"    {2u, ", [addr, value, mask]),
        };
        s.extend_from_slice(k);
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                s.extend_from_slice(b", ");
            }
            hex8(&mut s, *f);
            s.push(b'u');
        }
        s.extend_from_slice(b"},\n");
    }
    let mut s = text(s);
    s.push_str(&format!(
        "}};\n\n/* Replays the table on the memory-mapped Wishbone bus. Returns -1 when\n * every check held, else the index of the first failing operation (a POLL\n * gives up after max_polls reads). */\nstatic inline long {id}_map_replay(unsigned long max_polls)\n{{\n    for (unsigned long i = 0; i < {up}_MAP_OPS; i++) {{\n        const {id}_map_op_t *o = &{id}_map_ops[i];\n        volatile uint32_t *reg = (volatile uint32_t *)(uintptr_t)o->addr;\n        if (o->op == {up}_MAP_WRITE) {{\n            *reg = o->data;\n        }} else if (o->op == {up}_MAP_POLL) {{\n            unsigned long n = 0;\n            while ((*reg & o->mask) != o->data) {{\n                if (++n >= max_polls) return (long)i;\n            }}\n        }} else if ((*reg & o->mask) != o->data) {{\n            return (long)i;\n        }}\n    }}\n    return -1;\n}}\n\n#endif /* {guard} */\n",
        up = id.to_ascii_uppercase()
    ));
    s
}

/// The JSON image: the mapping and a count of the sequence's operations.
pub fn image_json(m: &Mapping, ops: &[WbOp]) -> serde_json::Value {
    let mut v = serde_json::to_value(m).unwrap_or_default();
    v["format"] = "memforge-map".into();
    v["version"] = 1.into();
    v["base_address"] = format!("{:#010x}", m.cfg.array.base_address).into();
    v["stride"] = m.cfg.stride().into();
    v["bus_operations"] = ops.len().into();
    v
}

/// Every output file, as (relative path, contents), manifest last (so
/// `write_design` replaces a previous `memforge map` output atomically).
pub fn files(m: &Mapping) -> Vec<(String, String)> {
    use sha2::{Digest, Sha256};
    let ops = sequence(m);
    let image = serde_json::to_string(&image_json(m, &ops)).unwrap_or_default() + "\n";
    let mut files = vec![
        ("image.json".to_string(), image),
        ("program.wb".to_string(), wb_text(m, &ops)),
        (
            format!("{}_map.h", m.design.to_ascii_lowercase()),
            c_header(m, &ops),
        ),
    ];
    let hashes: serde_json::Map<String, serde_json::Value> = files
        .iter()
        .map(|(p, c)| {
            let h: String = Sha256::digest(c.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            (p.clone(), h.into())
        })
        .collect();
    let manifest = serde_json::json!({
        "generator": "memforge",
        "memforge_version": env!("CARGO_PKG_VERSION"),
        "command": "map",
        "design": m.design,
        "files": hashes,
    });
    files.push((
        "manifest.json".into(),
        serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n",
    ));
    files
}
