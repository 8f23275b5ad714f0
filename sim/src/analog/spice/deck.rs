//! Writes ngspice decks for exactly the netlist the Rust solver stamps.
//!
//! - linear cells, wires, drivers, senses and access switches: resistors;
//! - sinh cells: `B` current sources `I = a*sinh(V(p,n)/v0)`;
//! - VTEAM cells (transient): a subcircuit whose state `w` is the voltage of
//!   an integrating capacitor charged by a `B` source equal to `C dw/dt`,
//!   and whose current is a `B` source `V/R(w)` (no Verilog-A needed);
//! - each row: an ideal source `Vd<i>` (DC or PWL); each column: a 0 V
//!   ammeter `Vs<j>` from the sense node to ground, whose current is the
//!   column current.
//!
//! Numbers are written with 17 significant digits so ngspice reads back the
//! same doubles the Rust solver used.

use crate::analog::device::IvLaw;
use crate::analog::netlist::{Kind, Netlist, Term};
use crate::analog::transient::Pwl;
use memforge_spec::analog::{VteamResistance, VteamSection};
use std::fmt::Write;

/// Capacitance of a VTEAM state node (F): the B-source current is
/// `STATE_CAP * dw/dt`, keeping currents in ngspice's usual range.
pub const STATE_CAP: f64 = 1e-9;

/// Settings of a deck.
#[derive(Clone, Debug, PartialEq)]
pub struct DeckOptions {
    /// Relative tolerance for ngspice's Newton and timestep control.
    pub reltol: f64,
    /// Save every node voltage (otherwise only column currents and states).
    pub save_nodes: bool,
}

impl Default for DeckOptions {
    fn default() -> Self {
        DeckOptions {
            reltol: 1e-6,
            save_nodes: false,
        }
    }
}

/// The vector name ngspice gives the current of column `j`'s ammeter.
pub fn column_vector(j: usize) -> String {
    format!("i(vs{j})")
}

/// The vector name of a VTEAM cell's state.
pub fn state_vector(row: usize, col: usize) -> String {
    format!("v(xc{row}_{col}.w)")
}

fn node(t: Term) -> String {
    match t {
        Term::Free(k) => format!("n{k}"),
        Term::Driver(i) => format!("d{i}"),
        Term::Sense(j) => format!("s{j}"),
    }
}

fn num(x: f64) -> String {
    format!("{x:.16e}")
}

/// The crossbar's elements, with static laws for the cells; `vteam` cells
/// (transient decks) become subcircuit instances with their initial state.
fn body(
    out: &mut String,
    net: &Netlist,
    selected: &[bool],
    laws: &[IvLaw],
    vteam_w0: Option<&[f64]>,
) {
    let g = &net.geometry;
    for (k, e) in net.elements.iter().enumerate() {
        let (a, b) = (node(e.a), node(e.b));
        let r = match e.kind {
            Kind::Wire { r } => r,
            Kind::Driver { row } => match g.floating {
                Some(r_float) if !selected[row] => r_float,
                _ => g.r_driver,
            },
            Kind::Sense { .. } => g.r_sense,
            Kind::Access { row } => {
                let (on, off) = g.access.unwrap_or((1.0, 1.0));
                if selected[row] {
                    on
                } else {
                    off
                }
            }
            Kind::Cell { cell } => {
                let (i, j) = (cell / g.cols, cell % g.cols);
                if let Some(w0) = vteam_w0 {
                    let _ = writeln!(out, "xc{i}_{j} {a} {b} vteam w0={}", num(w0[cell]));
                    continue;
                }
                match laws[cell] {
                    // A cell that conducts nothing is an open circuit; as a
                    // resistor it would be `1/0 = inf` Ω, which ngspice
                    // reads as a model name ("can't find model 'inf'").
                    // The solver stamps the same zero, so both solve the
                    // same circuit.
                    IvLaw::Linear { g: 0.0 } => {
                        let _ = writeln!(out, "* rc{i}_{j} {a} {b}: open (0 S)");
                    }
                    IvLaw::Linear { g } => {
                        let _ = writeln!(out, "rc{i}_{j} {a} {b} {}", num(1.0 / g));
                    }
                    IvLaw::Sinh { a: amp, v0 } => {
                        let _ = writeln!(
                            out,
                            "bc{i}_{j} {a} {b} i={}*sinh(v({a},{b})/{})",
                            num(amp),
                            num(v0)
                        );
                    }
                }
                continue;
            }
        };
        let _ = writeln!(out, "r{k} {a} {b} {}", num(r));
    }
    for j in 0..g.cols {
        let _ = writeln!(out, "vs{j} s{j} 0 0");
    }
}

fn saves(out: &mut String, net: &Netlist, states: bool, opts: &DeckOptions) {
    let g = &net.geometry;
    let mut names: Vec<String> = (0..g.cols).map(column_vector).collect();
    if states {
        for i in 0..g.rows {
            for j in 0..g.cols {
                names.push(state_vector(i, j));
            }
        }
    }
    if opts.save_nodes {
        names.extend((0..net.n_free).map(|k| format!("v(n{k})")));
    }
    for chunk in names.chunks(8) {
        let _ = writeln!(out, ".save {}", chunk.join(" "));
    }
}

/// A `.op` deck: rows at `row_volts`, cells with `laws`.
pub fn op_deck(net: &Netlist, row_volts: &[f64], laws: &[IvLaw], opts: &DeckOptions) -> String {
    let g = &net.geometry;
    let selected: Vec<bool> = row_volts.iter().map(|v| *v != 0.0).collect();
    let mut out = format!(
        "* memforge crossbar {}x{} (DC operating point)\n.options reltol={} abstol=1e-15 vntol=1e-12\n",
        g.rows,
        g.cols,
        num(opts.reltol)
    );
    body(&mut out, net, &selected, laws, None);
    for (i, v) in row_volts.iter().enumerate() {
        let _ = writeln!(out, "vd{i} d{i} 0 {}", num(*v));
    }
    saves(&mut out, net, false, opts);
    out.push_str(".op\n.end\n");
    out
}

/// The VTEAM subcircuit with parameters `p` (state `w` on node `w`).
pub fn vteam_subckt(p: &VteamSection) -> String {
    let v = "v(p,n)";
    let two_p = 2 * p.window_p;
    let r = match p.resistance {
        VteamResistance::Linear => format!("({}+{}*v(w))", num(p.r_on), num(p.r_off - p.r_on)),
        VteamResistance::Exponential => {
            format!(
                "({}*exp({}*v(w)))",
                num(p.r_on),
                num((p.r_off / p.r_on).ln())
            )
        }
    };
    let off = format!(
        "{}*pow({v}/{}-1,{})*(1-pow(v(w),{two_p}))",
        num(p.k_off),
        num(p.v_off),
        num(p.alpha_off)
    );
    let on = format!(
        "{}*pow({v}/{}-1,{})*(1-pow(1-v(w),{two_p}))",
        num(p.k_on),
        num(p.v_on),
        num(p.alpha_on)
    );
    format!(
        ".subckt vteam p n params: w0=0.5\n\
         cw w 0 {cap} ic={{w0}}\n\
         bw 0 w i={cap}*(({v}>{voff}) ? {off} : (({v}<{von}) ? {on} : 0))\n\
         bd p n i={v}/{r}\n\
         .ends vteam\n",
        cap = num(STATE_CAP),
        voff = num(p.v_off),
        von = num(p.v_on),
    )
}

/// A `.tran` deck: every row driven by its PWL source, all access switches
/// on, VTEAM cells starting from `w0` (one per cell, row-major).
pub fn tran_deck(
    net: &Netlist,
    vteam: &VteamSection,
    w0: &[f64],
    rows: &[Pwl],
    t_stop: f64,
    t_step: f64,
    opts: &DeckOptions,
) -> String {
    let g = &net.geometry;
    let selected = vec![true; g.rows];
    let mut out = format!(
        "* memforge crossbar {}x{} (VTEAM transient)\n.options reltol={} abstol=1e-15 vntol=1e-12 chgtol=1e-20 method=gear maxord=2\n",
        g.rows,
        g.cols,
        num(opts.reltol)
    );
    out.push_str(&vteam_subckt(vteam));
    body(&mut out, net, &selected, &[], Some(w0));
    for (i, p) in rows.iter().enumerate() {
        let pts: Vec<String> = p
            .points
            .iter()
            .map(|(t, v)| format!("{} {}", num(*t), num(*v)))
            .collect();
        let _ = writeln!(out, "vd{i} d{i} 0 pwl({})", pts.join(" "));
    }
    saves(&mut out, net, true, opts);
    // ngspice's own truncation error at a 1x-sample maximum step was about
    // 2 % on cancelling column currents; a tenth of it brings gear-2 and
    // trapezoidal within 0.3 % of each other (docs/analog.md).
    let _ = writeln!(
        out,
        ".tran {} {} 0 {} uic",
        num(t_step),
        num(t_stop),
        num(t_step / 10.0)
    );
    out.push_str(".end\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analog::netlist::Geometry;

    #[test]
    fn op_deck_has_one_element_per_netlist_element() {
        let mut geo = Geometry::ideal(2, 3);
        geo.r_wire_row = 2.5;
        geo.r_sense = 10.0;
        let net = Netlist::build(&geo).unwrap();
        let laws = vec![IvLaw::Linear { g: 1e-4 }; 6];
        let deck = op_deck(&net, &[0.2, 0.0], &laws, &DeckOptions::default());
        let elements = deck.lines().filter(|l| l.starts_with('r')).count();
        assert_eq!(elements, net.elements.len());
        assert!(deck.contains("rc1_2 "));
        assert!(deck.contains("vd0 d0 0 2.0000000000000001e-1"));
        assert!(deck.contains(".save i(vs0) i(vs1) i(vs2)"));
        assert!(deck.ends_with(".op\n.end\n"));
    }

    #[test]
    fn a_cell_of_zero_conductance_is_left_open_not_infinite() {
        let mut geo = Geometry::ideal(1, 2);
        geo.r_sense = 10.0;
        let net = Netlist::build(&geo).unwrap();
        let laws = [IvLaw::Linear { g: 0.0 }, IvLaw::Linear { g: 1e-6 }];
        let deck = op_deck(&net, &[0.2], &laws, &DeckOptions::default());
        assert!(!deck.to_lowercase().contains("inf"), "{deck}");
        assert!(deck.contains("* rc0_0 "), "{deck}");
        assert!(deck.contains("rc0_1 d0 n1 "), "{deck}");
    }

    #[test]
    fn sinh_cells_become_b_sources() {
        let net = Netlist::build(&Geometry::ideal(1, 1)).unwrap();
        let deck = op_deck(
            &net,
            &[0.2],
            &[IvLaw::Sinh { a: 2e-5, v0: 0.25 }],
            &DeckOptions::default(),
        );
        assert!(
            deck.contains(
                "bc0_0 d0 s0 i=2.0000000000000002e-5*sinh(v(d0,s0)/2.5000000000000000e-1)"
            ),
            "{deck}"
        );
    }

    #[test]
    fn tran_deck_instantiates_the_subcircuit() {
        let net = Netlist::build(&Geometry::ideal(1, 2)).unwrap();
        let pwl = Pwl::pulse_train(1.0, 1e-7, 1e-9, 2e-7, 1, 0.0);
        let deck = tran_deck(
            &net,
            &VteamSection::default(),
            &[0.5, 0.25],
            &[pwl],
            2e-7,
            1e-9,
            &DeckOptions::default(),
        );
        assert!(deck.contains(".subckt vteam p n params: w0=0.5"));
        assert!(deck.contains("xc0_1 d0 s1 vteam w0=2.5000000000000000e-1"));
        assert!(deck.contains(".save i(vs0) i(vs1) v(xc0_0.w) v(xc0_1.w)"));
        assert!(deck.contains(" uic\n"));
    }
}
