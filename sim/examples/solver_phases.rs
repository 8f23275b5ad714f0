//! Times the phases of one crossbar solve (netlist, symbolic, numeric,
//! solve): `cargo run --release -p memforge-sim --example solver_phases -- 512`.

use memforge_sim::analog::{CrossbarArray, Drive, Netlist, NewtonSettings, Solver};
use memforge_spec::analog::AnalogSection;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(128);
    let a = AnalogSection::default();
    let mut x = CrossbarArray::new(&a, n, n).expect("array");
    x.program_random_levels().expect("levels");
    let laws = x.read_laws();
    let volts = vec![0.2; n];
    let sel = vec![true; n];
    let t = Instant::now();
    let net = Netlist::build(&x.solver().netlist().geometry).expect("netlist");
    let t_net = t.elapsed();
    let t = Instant::now();
    let mut s = Solver::new(net).expect("solver");
    let t_sym = t.elapsed();
    let t = Instant::now();
    let sol = s.solve(&Drive { row_volts: &volts, selected: &sel }, &laws, &NewtonSettings::default()).expect("solve");
    let t_num = t.elapsed();
    println!(
        "{n}x{n}: netlist {:?}, pattern+symbolic {:?}, stamp+numeric+solve {:?}; factor nnz {} ({:.1} per unknown); I0 = {:e}",
        t_net,
        t_sym,
        t_num,
        s.factor_nnz(),
        s.factor_nnz() as f64 / s.netlist().n_free as f64,
        sol.column_currents[0]
    );
}
