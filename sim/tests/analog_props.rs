//! Properties of the crossbar solver on random circuits: Kirchhoff's current
//! law at every node (with either linear solver), the two linear solvers
//! agreeing, and the ideal product when every parasitic is zero.

use memforge_sim::analog::netlist::{Geometry, Netlist};
use memforge_sim::analog::{
    ideal_product, Drive, IvLaw, LinearSettings, NewtonSettings, SolvedBy, Solver,
};
use memforge_spec::analog::LinearSolver;
use proptest::prelude::*;

fn solver(geo: &Geometry, linear: LinearSolver, pcg_max_iter: usize) -> Solver {
    let settings = LinearSettings {
        solver: linear,
        pcg_max_iter,
    };
    Solver::with_settings(Netlist::build(geo).unwrap(), settings).unwrap()
}

/// The largest current any cell could carry at 1 V (A).
fn current_scale(laws: &[IvLaw]) -> f64 {
    laws.iter()
        .map(|l| l.current(1.0).abs())
        .fold(1e-12, f64::max)
}

fn law_strategy(nonlinear: bool) -> BoxedStrategy<IvLaw> {
    if nonlinear {
        (1e-7f64..1e-4, 0.1f64..0.5)
            .prop_map(|(a, v0)| IvLaw::Sinh { a, v0 })
            .boxed()
    } else {
        (1e-6f64..2e-4).prop_map(|g| IvLaw::Linear { g }).boxed()
    }
}

/// A random crossbar: geometry, row voltages, selections and cell laws.
fn circuit() -> impl Strategy<Value = (Geometry, Vec<f64>, Vec<bool>, Vec<IvLaw>)> {
    (
        1usize..7,
        1usize..7,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_flat_map(|(rows, cols, nonlinear, access, floating)| {
            let n = rows * cols;
            (
                Just((rows, cols, access, floating)),
                prop::collection::vec(prop_oneof![Just(0.0), 0.01f64..30.0], 4),
                prop::collection::vec(-0.5f64..0.5, rows),
                prop::collection::vec(any::<bool>(), rows),
                prop::collection::vec(law_strategy(nonlinear), n),
            )
        })
        .prop_map(|((rows, cols, access, floating), r, volts, sel, laws)| {
            let geo = Geometry {
                rows,
                cols,
                r_wire_row: r[0],
                r_wire_col: r[1],
                r_driver: if floating { r[2].max(1.0) } else { r[2] },
                r_sense: r[3],
                access: access.then_some((1700.0, 5e9)),
                floating: floating.then_some(1e12),
            };
            (geo, volts, sel, laws)
        })
}

/// A random crossbar whose parasitics are all real resistances (no node
/// merged): the case the crossbar-shaped CG (`grid_pcg`) serves.
fn regular_circuit() -> impl Strategy<Value = (Geometry, Vec<f64>, Vec<bool>, Vec<IvLaw>)> {
    (circuit(), prop::collection::vec(0.01f64..30.0, 4)).prop_map(|((mut geo, v, s, l), r)| {
        geo.r_wire_row = r[0];
        geo.r_wire_col = r[1];
        geo.r_driver = if geo.floating.is_some() {
            r[2].max(1.0)
        } else {
            r[2]
        };
        geo.r_sense = r[3];
        (geo, v, s, l)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_crossbar_shaped_cg_agrees_with_cholesky((geo, volts, selected, laws) in regular_circuit()) {
        prop_assert!(geo.is_regular());
        let drive = Drive { row_volts: &volts, selected: &selected };
        let newton = NewtonSettings::default();
        let settings = LinearSettings { solver: LinearSolver::Pcg, pcg_max_iter: 5000 };
        // Built from the geometry alone: the lean path large arrays take.
        let mut grid = Solver::for_geometry(geo.clone(), settings).unwrap();
        let by_grid = grid.solve(&drive, &laws, &newton).unwrap();
        prop_assert_eq!(by_grid.solved_by, SolvedBy::Pcg);
        let mut direct = solver(&geo, LinearSolver::Cholesky, 1);
        let by_cholesky = direct.solve(&drive, &laws, &newton).unwrap();
        let scale = current_scale(&laws);
        for (a, b) in by_grid.column_currents.iter().zip(&by_cholesky.column_currents) {
            prop_assert!((a - b).abs() <= 1e-9 * scale, "column current {a:e} vs {b:e} A");
        }
        // Node voltages come back in the netlist's numbering: KCL on the
        // netlist checks the numbering and the 1T1R middle nodes too.
        let residual = grid.kcl_residual(&by_grid.node_volts, &drive, &laws);
        prop_assert!(residual <= 1e-9 * scale, "KCL residual {residual:e} A");
    }

    #[test]
    fn kcl_holds_at_every_node((geo, volts, selected, laws) in circuit()) {
        let drive = Drive { row_volts: &volts, selected: &selected };
        let scale = current_scale(&laws);
        for linear in [LinearSolver::Auto, LinearSolver::Cholesky] {
            let mut solver = solver(&geo, linear, 200);
            let sol = solver.solve(&drive, &laws, &NewtonSettings::default()).unwrap();
            let residual = solver.kcl_residual(&sol.node_volts, &drive, &laws);
            prop_assert!(
                residual <= 1e-9 * scale,
                "{linear:?} ({:?}): KCL residual {residual:e} A (scale {scale:e})",
                sol.solved_by
            );
        }
    }

    #[test]
    fn conjugate_gradient_agrees_with_cholesky((geo, volts, selected, laws) in circuit()) {
        let drive = Drive { row_volts: &volts, selected: &selected };
        let newton = NewtonSettings::default();
        // Strict CG (no fallback) with room to converge on any of these
        // small circuits, against the direct solver.
        let mut pcg = solver(&geo, LinearSolver::Pcg, 5000);
        let by_pcg = pcg.solve(&drive, &laws, &newton).unwrap();
        let mut direct = solver(&geo, LinearSolver::Cholesky, 1);
        let by_cholesky = direct.solve(&drive, &laws, &newton).unwrap();
        if !by_pcg.node_volts.is_empty() {
            prop_assert_eq!(by_pcg.solved_by, SolvedBy::Pcg);
        }
        // Column currents are what the solvers are for; node voltages of
        // floating rows (1 TΩ drivers) are ill-conditioned and agree only
        // to what their conditioning allows, so they are not compared.
        let scale = current_scale(&laws);
        for (a, b) in by_pcg.column_currents.iter().zip(&by_cholesky.column_currents) {
            prop_assert!((a - b).abs() <= 1e-9 * scale, "column current {a:e} vs {b:e} A");
        }
        let residual = pcg.kcl_residual(&by_pcg.node_volts, &drive, &laws);
        prop_assert!(residual <= 1e-9 * scale, "KCL residual {residual:e} A");
    }

    #[test]
    fn zero_parasitics_equal_the_ideal_product(
        (rows, cols) in (1usize..9, 1usize..9),
        seed_laws in prop::collection::vec(law_strategy(false), 64),
        volts in prop::collection::vec(-0.5f64..0.5, 8),
    ) {
        let laws = &seed_laws[..rows * cols];
        let volts = &volts[..rows];
        let mut solver = Solver::new(Netlist::build(&Geometry::ideal(rows, cols)).unwrap()).unwrap();
        let selected = vec![true; rows];
        let sol = solver.solve(&Drive { row_volts: volts, selected: &selected }, laws, &NewtonSettings::default()).unwrap();
        let ideal = ideal_product(volts, laws, cols);
        for (a, b) in sol.column_currents.iter().zip(&ideal) {
            prop_assert!((a - b).abs() <= 1e-15 + 1e-12 * b.abs(), "{a} vs {b}");
        }
    }

    #[test]
    fn tiny_wire_resistance_approaches_the_ideal_product(
        (rows, cols) in (1usize..7, 1usize..7),
        laws in prop::collection::vec(law_strategy(true), 36),
    ) {
        // Continuity at zero: 1 µΩ wires change currents by ~1e-9 relative.
        let laws = &laws[..rows * cols];
        let mut geo = Geometry::ideal(rows, cols);
        geo.r_wire_row = 1e-6;
        geo.r_wire_col = 1e-6;
        let volts = vec![0.2; rows];
        let selected = vec![true; rows];
        let mut solver = Solver::new(Netlist::build(&geo).unwrap()).unwrap();
        let sol = solver.solve(&Drive { row_volts: &volts, selected: &selected }, laws, &NewtonSettings::default()).unwrap();
        let ideal = ideal_product(&volts, laws, cols);
        for (a, b) in sol.column_currents.iter().zip(&ideal) {
            prop_assert!((a - b).abs() <= 1e-6 * b.abs() + 1e-18, "{a} vs {b}");
        }
    }
}
