//! The mesh interconnect's top: router (x = c, y = r) beside neuron tile
//! (r, c), linked to its grid neighbours as in the AER mesh
//! (`hdl/src/aer_mesh.rs`): a router's south link meets the north link
//! of the router below, its east link the west link of the router to its
//! right; the west and east edge links are looped back into their own
//! router (never routed to: the edge masks). The north links of the top
//! row and the south links of the bottom row are the top's edge ports:
//! packets enter there, and leave there when a table entry routes them
//! (XY routing never leaves the mesh).
//!
//! A tile's output spike becomes the packet `{x, y, 0, neuron}` with its
//! own router's coordinates (the tables, programmed by the mapping, fan it
//! out; without a matching entry it returns to the tile); a packet leaving
//! a router's local link becomes an input event for crossbar row
//! `packet[7:0]` with value 1.

use super::Parts;
use memforge_spec::blocks::aer_router::PORTS;

/// The top module's text.
pub fn top(p: &Parts, mr_module: &str) -> String {
    let cfg = p.cfg;
    let (rows, cols) = (cfg.array.rows, cfg.array.cols);
    let lp = cfg.link_params();
    let w = lp.packet_bits();
    let pk = lp.layout();
    let mut top = p.begin();
    let m = |r: u32, c: u32, s: &str| format!("m_{r}_{c}_{s}");
    top.comment("every router's outgoing link signals");
    for r in 0..rows {
        for c in 0..cols {
            for d in PORTS {
                if d == "local" {
                    // Only the neuron address [7:0] of a delivered packet
                    // reaches the tile; its coordinates have arrived.
                    top.raw("    /* verilator lint_off UNUSEDSIGNAL */\n");
                    top.wire(&m(r, c, &format!("{d}_out_data")), w);
                    top.raw("    /* verilator lint_on UNUSEDSIGNAL */\n");
                } else {
                    top.wire(&m(r, c, &format!("{d}_out_data")), w);
                }
                top.wire(&m(r, c, &format!("{d}_out_valid")), 1);
                top.wire(&m(r, c, &format!("{d}_in_ready")), 1);
            }
            for s in ["aer_out_addr", "aer_out_valid", "aer_in_ready"] {
                top.wire(&m(r, c, s), if s == "aer_out_addr" { 8 } else { 1 });
            }
        }
    }
    top.comment("neuron tiles");
    let pad = w - pk.addr_bits - pk.x_bits - pk.y_bits;
    for r in 0..rows {
        for c in 0..cols {
            let aer = |port: &str| match port {
                "aer_in_addr" => format!("{}[7:0]", m(r, c, "local_out_data")),
                "aer_in_value" => "8'd1".into(),
                "aer_in_valid" => m(r, c, "local_out_valid"),
                "aer_in_ready" => m(r, c, "aer_in_ready"),
                "aer_out_addr" => m(r, c, "aer_out_addr"),
                "aer_out_valid" => m(r, c, "aer_out_valid"),
                _ => m(r, c, "local_in_ready"),
            };
            let conns = p.tile_conns(r, c, &aer);
            top.instance(&p.tile_module, &[], &format!("nt_{r}_{c}"), &conns);
        }
    }
    top.comment("routers");
    for r in 0..rows {
        for c in 0..cols {
            // The neighbour across direction d and its facing direction,
            // or the edge port / loop back.
            let across = |d: &str| -> Option<(u32, u32, &'static str)> {
                match d {
                    "north" if r > 0 => Some((r - 1, c, "south")),
                    "south" if r + 1 < rows => Some((r + 1, c, "north")),
                    "west" if c > 0 => Some((r, c - 1, "east")),
                    "east" if c + 1 < cols => Some((r, c + 1, "west")),
                    _ => None,
                }
            };
            let mut conns: Vec<(String, String)> = vec![
                ("clock".into(), "wb_clk_i".into()),
                ("rst_n".into(), "rst_n".into()),
            ];
            for (k, e) in p.bus(cfg.tiles() + cfg.tile_slot(r, c)) {
                conns.push((k.to_string(), e));
            }
            for d in PORTS {
                let (data, valid, ready) = match (d, across(d)) {
                    ("local", _) => (
                        format!(
                            "{{{}'d{c}, {}'d{r}, {}, {}}}",
                            pk.x_bits,
                            pk.y_bits,
                            if pad > 0 {
                                format!("{pad}'d0")
                            } else {
                                String::new()
                            },
                            m(r, c, "aer_out_addr")
                        )
                        .replace(", , ", ", "),
                        m(r, c, "aer_out_valid"),
                        m(r, c, "aer_in_ready"),
                    ),
                    (_, Some((nr, nc, f))) => (
                        m(nr, nc, &format!("{f}_out_data")),
                        m(nr, nc, &format!("{f}_out_valid")),
                        m(nr, nc, &format!("{f}_in_ready")),
                    ),
                    ("north" | "south", None) => (
                        format!("{d}_in_data__{c}"),
                        format!("{d}_in_valid__{c}"),
                        format!("{d}_out_ready__{c}"),
                    ),
                    (_, None) => (
                        m(r, c, &format!("{d}_out_data")),
                        m(r, c, &format!("{d}_out_valid")),
                        m(r, c, &format!("{d}_in_ready")),
                    ),
                };
                conns.push((format!("{d}_in_data"), data));
                conns.push((format!("{d}_in_valid"), valid));
                conns.push((format!("{d}_in_ready"), m(r, c, &format!("{d}_in_ready"))));
                conns.push((format!("{d}_out_data"), m(r, c, &format!("{d}_out_data"))));
                conns.push((format!("{d}_out_valid"), m(r, c, &format!("{d}_out_valid"))));
                conns.push((format!("{d}_out_ready"), ready));
            }
            let conns: Vec<(&str, String)> =
                conns.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
            let params = super::mesh_router::overrides(cfg, c, r);
            top.instance(mr_module, &params, &format!("mr_{r}_{c}"), &conns);
        }
    }
    top.comment("the north and south edge links");
    for c in 0..cols {
        for (d, r) in [("north", 0), ("south", rows - 1)] {
            top.assign(
                &format!("{d}_in_ready__{c}"),
                &m(r, c, &format!("{d}_in_ready")),
            );
            top.assign(
                &format!("{d}_out_data__{c}"),
                &m(r, c, &format!("{d}_out_data")),
            );
            top.assign(
                &format!("{d}_out_valid__{c}"),
                &m(r, c, &format!("{d}_out_valid")),
            );
        }
    }
    top.finish()
}
