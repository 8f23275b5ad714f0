//! Issue 17: tiny (but non-zero) wire resistance made the nodal system too
//! stiff for doubles and the currents silently wrong (8.9 % at 1e-9 Ω).
//! Such wires are now refused below `MIN_R_TIMES_G / g_min`
//! (`memforge_spec::analog`); this checks the accuracy the docs claim at
//! that limit against an independent reference: the currents are smooth
//! in the wire resistance, so `I(r) = I(0) + r/r2 (I(r2) - I(0))` up to a
//! second-order term, with `I(0)` from the merged (ideal-wire) netlist and
//! `I(r2)` at a well-conditioned `r2 = 100 r`.

use memforge_sim::analog::CrossbarArray;
use memforge_spec::analog::{
    lowest_conductance_us, validate_analog, AnalogSection, LinearSolver, MIN_R_TIMES_G,
};

fn currents(a: &AnalogSection, n: usize, r: f64) -> Vec<f64> {
    let mut a = a.clone();
    a.parasitics.r_wire_row = r;
    a.parasitics.r_wire_col = r;
    let mut problems = Vec::new();
    validate_analog(&a, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    let mut x = CrossbarArray::new(&a, n, n).unwrap();
    x.program_random_levels().unwrap();
    x.read_columns(&vec![true; n]).unwrap()
}

#[test]
fn at_the_smallest_accepted_wire_the_currents_hold_their_bound() {
    for linear in [LinearSolver::Auto, LinearSolver::Cholesky] {
        let mut a = AnalogSection::default();
        a.solver.linear = linear;
        let r = MIN_R_TIMES_G / (lowest_conductance_us(&a) * 1e-6);
        for n in [8, 32] {
            let zero = currents(&a, n, 0.0);
            let far = currents(&a, n, 100.0 * r);
            let got = currents(&a, n, r);
            for j in 0..n {
                let want = zero[j] + (far[j] - zero[j]) / 100.0;
                let err = (got[j] - want).abs() / want.abs();
                assert!(
                    err <= 1e-8,
                    "{linear:?} {n}x{n} column {j}: {:e} vs {:e} ({err:e})",
                    got[j],
                    want
                );
            }
            // The wires matter at 100 r, so the reference is not trivial.
            let effect = (far[0] - zero[0]).abs() / zero[0].abs();
            assert!(effect > 1e-9, "{effect:e}");
        }
    }
}

#[test]
fn below_it_the_setting_is_named() {
    let mut a = AnalogSection::default();
    a.parasitics.r_wire_row = 1e-9;
    let mut problems = Vec::new();
    validate_analog(&a, &mut problems);
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|p| p.starts_with("analog.parasitics.r_wire_row = 1e-9")),
        "{text:?}"
    );
}
