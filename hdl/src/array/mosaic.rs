//! The Mosaic interconnect's top: a `(2 rows + 1) x (2 cols + 1)` grid,
//! neuron tile (r, c) at cell (2r+1, 2c+1), a routing tile at every other
//! cell (EIS-Hub routing-aware_training `MOSAIC.py`: `R_0 | R_1` over
//! `X | N_t`).
//!
//! Every cell talks to its four grid neighbours: cell (i, j)'s `in_s`
//! lines are cell (i+1, j)'s `out_n` lines, its `in_e` lines cell
//! (i, j+1)'s `out_w`, and so on. A neuron tile's side of a link is its
//! spike bridge: the bridge's `lines_out` leave on all four sides (each
//! neighbouring router sees them; its routing program decides which one
//! takes them), and its `lines_in` are the OR of the four neighbours'
//! lines towards it. The grid's outer lines are the top's edge ports
//! (`north_in`, `north_out`, ... ; inputs meant to enter the north edge
//! and outputs to leave the south edge, as in Mosaic). A router's local
//! port has no neuron tile in this layout: its output lines are looped
//! back into its input (idle unless a routing program routes to it), as
//! the AER mesh loops its edge links, so every port is driven and read.

use super::{slice, Parts};
use memforge_spec::blocks::array::{router_prefix, Cell};
use memforge_spec::blocks::routing_tile::contract as rt_contract;
use memforge_spec::Role;

/// Where a grid cell's lines towards direction `d` come from.
fn out_lines(p: &Parts, i: u32, j: u32, d: char) -> String {
    match p.cfg.cell(i, j) {
        Cell::Neuron(..) => format!("g_{i}_{j}_lines"),
        _ => format!("g_{i}_{j}_o{d}"),
    }
}

/// The lines arriving at cell (i, j) from direction `d`: the neighbour's
/// lines towards it, or the edge port's slice.
fn in_lines(p: &Parts, i: u32, j: u32, d: char) -> String {
    let ch = p.cfg.array.channels;
    let (gr, gc) = (p.cfg.grid_rows(), p.cfg.grid_cols());
    match d {
        'n' if i == 0 => slice("north_in", j * ch, ch),
        'n' => out_lines(p, i - 1, j, 's'),
        's' if i + 1 == gr => slice("south_in", j * ch, ch),
        's' => out_lines(p, i + 1, j, 'n'),
        'w' if j == 0 => slice("west_in", i * ch, ch),
        'w' => out_lines(p, i, j - 1, 'e'),
        'e' if j + 1 == gc => slice("east_in", i * ch, ch),
        _ => out_lines(p, i, j + 1, 'w'),
    }
}

/// The top module's text.
pub fn top(p: &Parts, rt_module: &str, br_module: &str) -> String {
    let cfg = p.cfg;
    let ch = cfg.array.channels;
    let (gr, gc) = (cfg.grid_rows(), cfg.grid_cols());
    let mut top = p.begin();
    let routers = cfg.routers();
    top.comment("every cell's outgoing lines");
    for i in 0..gr {
        for j in 0..gc {
            match cfg.cell(i, j) {
                Cell::Neuron(..) => top.wire(&format!("g_{i}_{j}_lines"), ch),
                _ => {
                    for d in ['n', 'e', 's', 'w', 'l'] {
                        top.wire(&format!("g_{i}_{j}_o{d}"), ch);
                    }
                }
            }
        }
    }
    top.comment("the edges");
    for j in 0..gc {
        top.assign(&slice("north_out", j * ch, ch), &format!("g_0_{j}_on"));
        top.assign(
            &slice("south_out", j * ch, ch),
            &format!("g_{}_{j}_os", gr - 1),
        );
    }
    for i in 0..gr {
        top.assign(&slice("west_out", i * ch, ch), &format!("g_{i}_0_ow"));
        top.assign(
            &slice("east_out", i * ch, ch),
            &format!("g_{i}_{}_oe", gc - 1),
        );
    }
    top.comment("neuron tiles and their spike bridges");
    for r in 0..cfg.array.rows {
        for c in 0..cfg.array.cols {
            let (i, j) = (2 * r + 1, 2 * c + 1);
            let t = cfg.tile_slot(r, c);
            let w = |s: &str| format!("nt_{r}_{c}_{s}");
            for (s, width) in [
                ("out_addr", 8),
                ("out_valid", 1),
                ("out_ready", 1),
                ("in_addr", 8),
                ("in_valid", 1),
                ("in_ready", 1),
                ("misrouted", 16),
                ("overruns", 16),
            ] {
                top.wire(&w(s), width);
            }
            let aer = |port: &str| match port {
                "aer_in_addr" => w("in_addr"),
                "aer_in_value" => "8'd1".into(),
                "aer_in_valid" => w("in_valid"),
                "aer_in_ready" => w("in_ready"),
                "aer_out_addr" => w("out_addr"),
                "aer_out_valid" => w("out_valid"),
                _ => w("out_ready"),
            };
            let conns = p.tile_conns(r, c, &aer);
            top.instance(&p.tile_module, &[], &format!("nt_{r}_{c}"), &conns);
            let lines_in = format!(
                "{} | {} | {} | {}",
                in_lines(p, i, j, 'n'),
                in_lines(p, i, j, 'e'),
                in_lines(p, i, j, 's'),
                in_lines(p, i, j, 'w')
            );
            top.instance(
                br_module,
                &[],
                &format!("br_{r}_{c}"),
                &[
                    ("clock", "wb_clk_i".into()),
                    ("rst_n", "rst_n".into()),
                    ("aer_in_addr", w("out_addr")),
                    ("aer_in_valid", w("out_valid")),
                    ("aer_in_ready", w("out_ready")),
                    ("lines_out", format!("g_{i}_{j}_lines")),
                    ("lines_in", lines_in),
                    ("aer_out_addr", w("in_addr")),
                    ("aer_out_valid", w("in_valid")),
                    ("aer_out_ready", w("in_ready")),
                    ("misrouted", w("misrouted")),
                    ("overruns", w("overruns")),
                ],
            );
            top.assign(
                &slice("info", t * 32, 32),
                &format!("{{{}, {}}}", w("overruns"), w("misrouted")),
            );
        }
    }
    top.comment("routing tiles (grid cells with an even coordinate)");
    let rtc = rt_contract(&cfg.routing_config().routing);
    let first = cfg.tiles();
    for (k, &(i, j)) in routers.iter().enumerate() {
        let prefix = router_prefix(i, j);
        let bus = p.bus(first + k as u32);
        let conns: Vec<(&str, String)> = rtc
            .ports
            .iter()
            .map(|q| {
                let n = q.name.as_str();
                let e = match q.role {
                    Role::Clock => "wb_clk_i".to_string(),
                    Role::Reset => "rst_n".into(),
                    Role::Bus => bus
                        .iter()
                        .find(|(b, _)| *b == n)
                        .map(|(_, e)| e.clone())
                        .unwrap_or_default(),
                    Role::Macro => format!("{prefix}{n}"),
                    _ => match n {
                        "in_l" => format!("g_{i}_{j}_ol"),
                        _ if n.starts_with("in_") => {
                            in_lines(p, i, j, n.chars().last().unwrap_or('n'))
                        }
                        _ => format!("g_{i}_{j}_o{}", n.chars().last().unwrap_or('n')),
                    },
                };
                (n, e)
            })
            .collect();
        top.instance(rt_module, &[], &format!("rt_{i}_{j}"), &conns);
    }
    top.finish()
}
