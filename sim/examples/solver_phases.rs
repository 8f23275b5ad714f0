//! Times the phases of one crossbar solve (netlist, symbolic, numeric,
//! solve): `cargo run --release -p memforge-sim --example solver_phases -- 512`.

use memforge_sim::analog::{CrossbarArray, Drive, Netlist, NewtonSettings, Solver};
use memforge_spec::analog::AnalogSection;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(128);
    let a = AnalogSection::default();
    let mut x = CrossbarArray::new(&a, n, n).expect("array");
    x.program_random_levels().expect("levels");
    let laws = x.read_laws();
    let volts = vec![0.2; n];
    let sel = vec![true; n];
    let (mut t_net, mut t_sym, mut t_num) = (f64::MAX, f64::MAX, f64::MAX);
    let mut result = None;
    let reps: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    for _ in 0..reps {
        let t = Instant::now();
        let net = Netlist::build(&x.solver().netlist().geometry).expect("netlist");
        t_net = t_net.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let mut s = Solver::new(net).expect("solver");
        t_sym = t_sym.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let sol = s
            .solve(
                &Drive {
                    row_volts: &volts,
                    selected: &sel,
                },
                &laws,
                &NewtonSettings::default(),
            )
            .expect("solve");
        t_num = t_num.min(t.elapsed().as_secs_f64());
        result = Some((s, sol));
    }
    let (s, sol) = result.expect("ran");
    println!(
        "{n}x{n} (best of {reps}): netlist {:.3} ms, pattern+symbolic {:.3} ms, stamp+numeric+solve {:.3} ms; factor nnz {} ({:.1} per unknown); I0 = {:e}; {} by {} ({} CG iterations)",
        t_net * 1e3,
        t_sym * 1e3,
        t_num * 1e3,
        s.factor_nnz(),
        s.factor_nnz() as f64 / s.netlist().n_free as f64,
        sol.column_currents[0],
        s.netlist().n_free,
        sol.solved_by.name(),
        sol.pcg_iterations
    );
}
