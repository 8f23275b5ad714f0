//! Nodal analysis of a crossbar netlist.
//!
//! Every element is a two-terminal conductance between unknown nodes and
//! ideal sources, so the system `G v = b` is symmetric, and positive
//! definite because every unknown reaches a source through positive
//! conductances. We solve it with faer's sparse Cholesky (`LL^T`):
//!
//! - the sparsity pattern depends only on the netlist, so the symbolic
//!   factorisation (nested-dissection ordering from `ordering`, applied to
//!   the unknowns' numbering so faer never permutes the matrix, or AMD;
//!   then elimination tree and supernodes, always supernodal: see
//!   `symbolic_params`) is computed
//!   once in [`Solver::new`] and reused by every solve, Newton iteration and
//!   transient step;
//! - each element knows the slots of the lower-triangular value array it
//!   stamps, so re-stamping is a linear pass with no searching;
//! - nonlinear devices (sinh) are solved by Newton's method on the same
//!   pattern: each iteration stamps the companion model `g_d = dI/dV` and
//!   `I_eq = I(V0) - g_d V0`. `dI/dV > 0` keeps the Jacobian positive
//!   definite, so Cholesky remains valid.

use super::device::IvLaw;
use super::netlist::{Element, Kind, Netlist, Term};
use super::ordering::nested_dissection;
use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::linalg::cholesky::llt::factor::LltRegularization;
use faer::sparse::linalg::cholesky::{
    factorize_symbolic_cholesky, CholeskySymbolicParams, SymbolicCholesky, SymmetricOrdering,
};
use faer::sparse::linalg::SupernodalThreshold;
use faer::sparse::{SparseColMatRef, SymbolicSparseColMatRef};
use faer::{Conj, MatMut, Par, Side};

/// faer's symbolic settings for a crossbar.
///
/// faer picks the simplicial (up-looking, column by column) factorisation
/// when its flop estimate per factor entry is low, which it is for
/// crossbars up to about 128x128 with the nested-dissection order; the
/// numeric phase then spends most of its time in per-row reach
/// computations. The supernodal variant runs the separators (whole rows or
/// columns of the array: dense blocks of 64 to 512 unknowns) through dense
/// kernels instead. Measured best of 5 on the 2-core project machine
/// (`cargo run --release -p memforge-sim --example solver_phases -- N`,
/// stamp + numeric + solve): 64x64 3.3 ms simplicial vs 3.1 ms supernodal,
/// 128x128 23-37 ms vs 13-15 ms; 512x512 was supernodal already. faer's
/// default supernode relaxation was kept: tighter merging (fewer explicit
/// zeros, 19.2 M vs 21.2 M factor entries at 512x512) made more, smaller
/// supernodes and was slower at 512x512 (0.74-0.84 s vs 0.65 s).
fn symbolic_params() -> CholeskySymbolicParams<'static> {
    CholeskySymbolicParams {
        supernodal_flop_ratio_threshold: SupernodalThreshold::FORCE_SUPERNODAL,
        ..CholeskySymbolicParams::default()
    }
}

/// The transpose of an `n x n` CSC pattern with sorted columns (sorted too).
fn transpose_pattern(n: usize, col_ptr: &[usize], row_idx: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let mut ptr = vec![0usize; n + 1];
    for &r in row_idx {
        ptr[r + 1] += 1;
    }
    for k in 0..n {
        ptr[k + 1] += ptr[k];
    }
    let mut fill = ptr.clone();
    let mut idx = vec![0usize; row_idx.len()];
    for c in 0..n {
        for &r in &row_idx[col_ptr[c]..col_ptr[c + 1]] {
            idx[fill[r]] = c;
            fill[r] += 1;
        }
    }
    (ptr, idx)
}

/// Errors of a solve; none of them panics.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SolveError {
    #[error("expected {expected} {what}, got {got}")]
    Shape {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("sparse factorisation failed: {0}")]
    Factor(String),
    #[error("Newton did not converge in {iterations} iterations (last step {last_step:.3e} V)")]
    NoConvergence { iterations: u32, last_step: f64 },
    #[error("the solution is not finite (check device parameters)")]
    NotFinite,
}

/// A deliberately wrong stamp, to prove that the ngspice comparison catches
/// solver bugs. Hidden from the docs: never use it outside tests.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StampFault {
    /// Leave out the off-diagonal entries of wire segments (the matrix stays
    /// positive definite, so only the comparison can notice).
    DropWireCoupling,
}

/// How the rows are driven in one solve.
#[derive(Clone, Copy, Debug)]
pub struct Drive<'a> {
    /// Source voltage of each row (V).
    pub row_volts: &'a [f64],
    /// Whether each row is selected (1T1R access on; floating rows driven).
    pub selected: &'a [bool],
}

/// Newton settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NewtonSettings {
    pub vtol: f64,
    pub reltol: f64,
    pub max_iter: u32,
}

impl Default for NewtonSettings {
    fn default() -> Self {
        NewtonSettings {
            vtol: 1e-12,
            reltol: 1e-10,
            max_iter: 50,
        }
    }
}

/// The result of one DC solve.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// Unknown node voltages (V), indexed like [`Term::Free`].
    pub node_volts: Vec<f64>,
    /// Current into each column's virtual ground (A).
    pub column_currents: Vec<f64>,
    /// Newton iterations (0 for a linear circuit).
    pub iterations: u32,
}

/// Slot of an element in the lower-triangular value array (`NONE` if the
/// terminal is a source).
#[derive(Clone, Copy, Debug)]
struct Slots {
    diag_a: usize,
    diag_b: usize,
    off: usize,
}

const NONE: usize = usize::MAX;

/// A reusable solver for one netlist topology.
pub struct Solver {
    net: Netlist,
    col_ptr: Vec<usize>,
    row_idx: Vec<usize>,
    slots: Vec<Slots>,
    symbolic: Option<SymbolicCholesky<usize>>,
    values: Vec<f64>,
    l_values: Vec<f64>,
    mem: MemBuffer,
    rhs: Vec<f64>,
    /// `pos[node]`: the place of unknown `node` in the ordered system.
    pos: Vec<usize>,
    fault: Option<StampFault>,
}

impl std::fmt::Debug for Solver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Solver")
            .field("unknowns", &self.net.n_free)
            .field("nnz_lower", &self.row_idx.len())
            .field("nnz_factor", &self.l_values.len())
            .finish()
    }
}

impl Solver {
    /// Builds the sparsity pattern and the symbolic factorisation.
    pub fn new(net: Netlist) -> Result<Solver, SolveError> {
        let n = net.n_free;
        // The nested-dissection order is applied here, to the unknowns'
        // numbering, so faer sees an already ordered matrix (identity
        // ordering) and does not permute the matrix on every numeric
        // factorisation. `pos[node] = place` in the ordered system.
        let nd = if n == 0 {
            None
        } else {
            nested_dissection(&net)
        };
        let pos: Vec<usize> = match &nd {
            Some((_, inv)) => inv.clone(),
            None => (0..n).collect(),
        };
        let p = |t: Term| match t {
            Term::Free(k) => Term::Free(pos[k]),
            other => other,
        };
        // Lower-triangular CSC pattern, built in O(nnz): count the entries
        // of each column (diagonal + one per coupling element), fill, then
        // sort and dedup each column's handful of rows.
        let mut count = vec![1usize; n];
        for e in &net.elements {
            if let (Term::Free(a), Term::Free(b)) = (p(e.a), p(e.b)) {
                count[a.min(b)] += 1;
            }
        }
        let mut start = vec![0usize; n + 1];
        for k in 0..n {
            start[k + 1] = start[k] + count[k];
        }
        let mut rows_of = vec![0usize; start[n]];
        let mut fill = start.clone();
        for k in 0..n {
            rows_of[fill[k]] = k;
            fill[k] += 1;
        }
        for e in &net.elements {
            if let (Term::Free(a), Term::Free(b)) = (p(e.a), p(e.b)) {
                let c = a.min(b);
                rows_of[fill[c]] = a.max(b);
                fill[c] += 1;
            }
        }
        let mut col_ptr = vec![0usize; n + 1];
        let mut row_idx = Vec::with_capacity(rows_of.len());
        for k in 0..n {
            let col = &mut rows_of[start[k]..start[k + 1]];
            col.sort_unstable();
            let before = row_idx.len();
            for (m, &r) in col.iter().enumerate() {
                if m == 0 || col[m - 1] != r {
                    row_idx.push(r);
                }
            }
            col_ptr[k + 1] = col_ptr[k] + (row_idx.len() - before);
        }
        let find = |col: usize, row: usize| -> usize {
            let start = col_ptr[col];
            let range = &row_idx[start..col_ptr[col + 1]];
            start + range.binary_search(&row).unwrap_or(0)
        };
        let slots = net
            .elements
            .iter()
            .map(|e| {
                let diag = |t: Term| match t {
                    Term::Free(k) => find(k, k),
                    _ => NONE,
                };
                let off = match (p(e.a), p(e.b)) {
                    (Term::Free(a), Term::Free(b)) => find(a.min(b), a.max(b)),
                    _ => NONE,
                };
                Slots {
                    diag_a: diag(p(e.a)),
                    diag_b: diag(p(e.b)),
                    off,
                }
            })
            .collect();

        let (symbolic, l_len, req) = if n == 0 {
            (None, 0, StackReq::EMPTY)
        } else {
            let pattern = SymbolicSparseColMatRef::new_checked(n, n, &col_ptr, None, &row_idx);
            let ordering = match &nd {
                Some(_) => SymmetricOrdering::Identity,
                None => SymmetricOrdering::Amd,
            };
            // With the identity ordering faer's symbolic analysis reads the
            // upper triangle, so it gets the transposed pattern (the numeric
            // phase reads the lower one as stored).
            let (up_ptr, up_idx) = transpose_pattern(n, &col_ptr, &row_idx);
            let (pattern, side) = match ordering {
                SymmetricOrdering::Identity => (
                    SymbolicSparseColMatRef::new_checked(n, n, &up_ptr, None, &up_idx),
                    Side::Upper,
                ),
                _ => (pattern, Side::Lower),
            };
            let symbolic = factorize_symbolic_cholesky(pattern, side, ordering, symbolic_params())
                .map_err(|e| SolveError::Factor(format!("{e:?}")))?;
            let req = symbolic
                .factorize_numeric_llt_scratch::<f64>(Par::Seq, Default::default())
                .or(symbolic.solve_in_place_scratch::<f64>(1, Par::Seq));
            let l_len = symbolic.len_val();
            (Some(symbolic), l_len, req)
        };
        let mem =
            MemBuffer::try_new(req).map_err(|_| SolveError::Factor("out of memory".into()))?;
        Ok(Solver {
            values: vec![0.0; row_idx.len()],
            l_values: vec![0.0; l_len],
            rhs: vec![0.0; n],
            pos,
            net,
            col_ptr,
            row_idx,
            slots,
            symbolic,
            mem,
            fault: None,
        })
    }

    /// The netlist this solver was built for.
    pub fn netlist(&self) -> &Netlist {
        &self.net
    }

    /// Non-zeros of the Cholesky factor (a measure of the solver's memory).
    pub fn factor_nnz(&self) -> usize {
        self.l_values.len()
    }

    /// Test-only: make the stamping code deliberately wrong.
    #[doc(hidden)]
    pub fn inject_stamp_fault(&mut self, fault: Option<StampFault>) {
        self.fault = fault;
    }

    /// Conductance of a non-device element in this drive (S).
    fn fixed_conductance(&self, kind: Kind, drive: &Drive) -> f64 {
        let g = &self.net.geometry;
        match kind {
            Kind::Wire { r } => 1.0 / r,
            Kind::Driver { row } => match g.floating {
                Some(r_float) if !drive.selected[row] => 1.0 / r_float,
                _ => 1.0 / g.r_driver,
            },
            Kind::Sense { .. } => 1.0 / g.r_sense,
            Kind::Access { row } => {
                let (on, off) = g.access.unwrap_or((1.0, 1.0));
                if drive.selected[row] {
                    1.0 / on
                } else {
                    1.0 / off
                }
            }
            Kind::Cell { .. } => 0.0,
        }
    }

    fn term_volts(t: Term, v: &[f64], drive: &Drive) -> f64 {
        match t {
            // `get`: a mismatched vector gives NaN (caught as not finite),
            // never a panic.
            Term::Free(k) => v.get(k).copied().unwrap_or(f64::NAN),
            Term::Driver(i) => drive.row_volts.get(i).copied().unwrap_or(f64::NAN),
            Term::Sense(_) => 0.0,
        }
    }

    /// Current from `a` to `b` of element `e` at node voltages `v` (A).
    fn element_current(&self, e: &Element, v: &[f64], drive: &Drive, laws: &[IvLaw]) -> f64 {
        let vd = Self::term_volts(e.a, v, drive) - Self::term_volts(e.b, v, drive);
        match e.kind {
            Kind::Cell { cell } => laws[cell].current(vd),
            kind => self.fixed_conductance(kind, drive) * vd,
        }
    }

    /// Stamps every element linearised at `v` (companion models for
    /// nonlinear devices) into `values` and `rhs`.
    fn stamp(&mut self, v: &[f64], drive: &Drive, laws: &[IvLaw]) {
        self.values.iter_mut().for_each(|x| *x = 0.0);
        self.rhs.iter_mut().for_each(|x| *x = 0.0);
        for (k, e) in self.net.elements.iter().enumerate() {
            let (g, ieq) = match e.kind {
                Kind::Cell { cell } => {
                    let law = &laws[cell];
                    if law.is_linear() {
                        (law.slope(0.0), 0.0)
                    } else {
                        let vd = Self::term_volts(e.a, v, drive) - Self::term_volts(e.b, v, drive);
                        let gd = law.slope(vd);
                        (gd, law.current(vd) - gd * vd)
                    }
                }
                kind => (self.fixed_conductance(kind, drive), 0.0),
            };
            let s = self.slots[k];
            // KCL, currents leaving a node positive: a sees +g(va - vb) + ieq.
            if let Term::Free(a) = e.a {
                self.values[s.diag_a] += g;
                self.rhs[self.pos[a]] -= ieq;
                if !matches!(e.b, Term::Free(_)) {
                    self.rhs[self.pos[a]] += g * Self::term_volts(e.b, v, drive);
                }
            }
            if let Term::Free(b) = e.b {
                self.values[s.diag_b] += g;
                self.rhs[self.pos[b]] += ieq;
                if !matches!(e.a, Term::Free(_)) {
                    self.rhs[self.pos[b]] += g * Self::term_volts(e.a, v, drive);
                }
            }
            if s.off != NONE {
                let wrong = self.fault == Some(StampFault::DropWireCoupling)
                    && matches!(e.kind, Kind::Wire { .. });
                if !wrong {
                    self.values[s.off] -= g;
                }
            }
        }
    }

    /// Factorises the stamped matrix and solves for the node voltages.
    fn factor_solve(&mut self) -> Result<Vec<f64>, SolveError> {
        let n = self.net.n_free;
        let Some(symbolic) = &self.symbolic else {
            return Ok(Vec::new());
        };
        let pattern =
            SymbolicSparseColMatRef::new_checked(n, n, &self.col_ptr, None, &self.row_idx);
        let llt = symbolic
            .factorize_numeric_llt(
                &mut self.l_values,
                SparseColMatRef::new(pattern, &self.values),
                Side::Lower,
                LltRegularization::default(),
                Par::Seq,
                MemStack::new(&mut self.mem),
                Default::default(),
            )
            .map_err(|e| SolveError::Factor(format!("{e:?} (matrix not positive definite)")))?;
        let mut x = self.rhs.clone();
        llt.solve_in_place_with_conj(
            Conj::No,
            MatMut::from_column_major_slice_mut(&mut x, n, 1),
            Par::Seq,
            MemStack::new(&mut self.mem),
        );
        if x.iter().all(|v| v.is_finite()) {
            Ok(self.pos.iter().map(|&k| x[k]).collect())
        } else {
            Err(SolveError::NotFinite)
        }
    }

    /// Solves the DC operating point for `drive` with one law per cell.
    pub fn solve(
        &mut self,
        drive: &Drive,
        laws: &[IvLaw],
        newton: &NewtonSettings,
    ) -> Result<Solution, SolveError> {
        let geo = &self.net.geometry;
        let cells = geo.rows * geo.cols;
        for (what, expected, got) in [
            ("row voltages", geo.rows, drive.row_volts.len()),
            ("row selections", geo.rows, drive.selected.len()),
            ("device laws", cells, laws.len()),
        ] {
            if expected != got {
                return Err(SolveError::Shape {
                    what,
                    expected,
                    got,
                });
            }
        }
        let nonlinear = laws.iter().any(|l| !l.is_linear());
        let mut iterations = 0;
        let v = if !nonlinear {
            let zero = vec![0.0; self.net.n_free];
            self.stamp(&zero, drive, laws);
            self.factor_solve()?
        } else {
            // Start from the small-signal (V = 0) conductances.
            let small: Vec<IvLaw> = laws
                .iter()
                .map(|l| IvLaw::Linear { g: l.slope(0.0) })
                .collect();
            let zero = vec![0.0; self.net.n_free];
            self.stamp(&zero, drive, &small);
            let mut v = self.factor_solve()?;
            loop {
                iterations += 1;
                self.stamp(&v, drive, laws);
                let next = self.factor_solve()?;
                let mut step = 0.0f64;
                let mut scale = 0.0f64;
                for (a, b) in next.iter().zip(&v) {
                    step = step.max((a - b).abs());
                    scale = scale.max(a.abs());
                }
                v = next;
                if step <= newton.vtol + newton.reltol * scale {
                    break;
                }
                if iterations >= newton.max_iter {
                    return Err(SolveError::NoConvergence {
                        iterations,
                        last_step: step,
                    });
                }
            }
            v
        };
        let column_currents = self.column_currents(&v, drive, laws);
        Ok(Solution {
            node_volts: v,
            column_currents,
            iterations,
        })
    }

    /// Current into each column's virtual ground at node voltages `v`.
    /// NaN for every column when the shapes do not match the netlist.
    pub fn column_currents(&self, v: &[f64], drive: &Drive, laws: &[IvLaw]) -> Vec<f64> {
        let mut out = vec![0.0; self.net.geometry.cols];
        if !self.shapes_match(v, drive, laws) {
            return vec![f64::NAN; out.len()];
        }
        for e in &self.net.elements {
            if let Term::Sense(j) = e.b {
                out[j] += self.element_current(e, v, drive, laws);
            }
            if let Term::Sense(j) = e.a {
                out[j] -= self.element_current(e, v, drive, laws);
            }
        }
        out
    }

    /// Largest KCL imbalance over the unknown nodes (A), for checks.
    /// Infinite when the shapes do not match the netlist.
    pub fn kcl_residual(&self, v: &[f64], drive: &Drive, laws: &[IvLaw]) -> f64 {
        if !self.shapes_match(v, drive, laws) {
            return f64::INFINITY;
        }
        let mut sum = vec![0.0; self.net.n_free];
        for e in &self.net.elements {
            let i = self.element_current(e, v, drive, laws);
            if let Term::Free(a) = e.a {
                sum[a] -= i;
            }
            if let Term::Free(b) = e.b {
                sum[b] += i;
            }
        }
        sum.iter().fold(0.0f64, |m, x| m.max(x.abs()))
    }

    fn shapes_match(&self, v: &[f64], drive: &Drive, laws: &[IvLaw]) -> bool {
        let g = &self.net.geometry;
        v.len() == self.net.n_free
            && drive.row_volts.len() == g.rows
            && drive.selected.len() == g.rows
            && laws.len() == g.rows * g.cols
    }

    /// Voltage of a node in a solution (V).
    pub fn volts(t: Term, v: &[f64], drive: &Drive) -> f64 {
        Self::term_volts(t, v, drive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analog::netlist::Geometry;

    fn laws(n: usize, g: f64) -> Vec<IvLaw> {
        vec![IvLaw::Linear { g }; n]
    }

    #[test]
    fn single_cell_is_a_voltage_divider() {
        let mut geo = Geometry::ideal(1, 1);
        geo.r_driver = 1000.0;
        geo.r_sense = 1000.0;
        let mut s = Solver::new(Netlist::build(&geo).unwrap()).unwrap();
        let drive = Drive {
            row_volts: &[1.0],
            selected: &[true],
        };
        let sol = s
            .solve(&drive, &laws(1, 1e-3), &NewtonSettings::default())
            .unwrap();
        assert!((sol.column_currents[0] - 1.0 / 3000.0).abs() < 1e-15);
    }

    #[test]
    fn nonlinear_single_cell_satisfies_its_equation() {
        let mut geo = Geometry::ideal(1, 1);
        geo.r_sense = 5000.0;
        let mut s = Solver::new(Netlist::build(&geo).unwrap()).unwrap();
        let law = IvLaw::Sinh { a: 2e-5, v0: 0.25 };
        let drive = Drive {
            row_volts: &[0.5],
            selected: &[true],
        };
        let sol = s.solve(&drive, &[law], &NewtonSettings::default()).unwrap();
        let i = sol.column_currents[0];
        // i flows through the device (0.5 - i R) and the sense resistor.
        assert!((law.current(0.5 - i * 5000.0) - i).abs() < 1e-15);
        assert!(sol.iterations > 1);
    }

    #[test]
    fn shape_errors_are_reported() {
        let mut s = Solver::new(Netlist::build(&Geometry::ideal(2, 2)).unwrap()).unwrap();
        let drive = Drive {
            row_volts: &[1.0],
            selected: &[true, true],
        };
        let err = s
            .solve(&drive, &laws(4, 1e-5), &NewtonSettings::default())
            .unwrap_err();
        assert_eq!(
            err,
            SolveError::Shape {
                what: "row voltages",
                expected: 2,
                got: 1
            }
        );
    }

    #[test]
    fn newton_limit_is_an_error() {
        let mut geo = Geometry::ideal(2, 2);
        geo.r_wire_row = 10.0;
        geo.r_sense = 10.0;
        let mut s = Solver::new(Netlist::build(&geo).unwrap()).unwrap();
        let law = IvLaw::Sinh { a: 1e-5, v0: 0.1 };
        let drive = Drive {
            row_volts: &[0.5, 0.5],
            selected: &[true, true],
        };
        let tight = NewtonSettings {
            vtol: 0.0,
            reltol: 0.0,
            max_iter: 1,
        };
        assert!(matches!(
            s.solve(&drive, &[law; 4], &tight),
            Err(SolveError::NoConvergence { .. })
        ));
    }
}
