//! The crossbar's own iterative solver: the line-preconditioned CG on the
//! column lines' Schur complement (`line_pcg.rs`), written for the
//! crossbar's fixed shape instead of a general graph.
//!
//! Why a second implementation of the same method: `LinePcg` takes any
//! element list, so it stores per element its ends, stamp slots and a CSR
//! of the couplings, and numbers nodes through a spanning-forest ordering.
//! At 1024x1024 that set-up took most of a cold solve and its arrays most
//! of the memory (issue #17: 1.66 GiB peak for 96 MiB of solver state).
//! When every parasitic is a real resistance (no node merged into
//! another), the crossbar's matrix is known from its geometry alone:
//!
//! ```text
//!   [ A   -D ] [r]   [b_A]     A: the row lines (tridiagonal per row) + D
//!   [ -D   B ] [c] = [b_B]     B: the column lines (tridiagonal per column) + D
//!                              D: diag(cell conductance), r/c: row/column nodes
//! ```
//!
//! so nothing but one conductance per cell and one pivot per node is stored.
//! The rows are eliminated exactly (`r = A^{-1} (b_A + D c)`, one
//! tridiagonal sweep per row) and CG runs on `S = B - D A^{-1} D`,
//! preconditioned by `B` (one sweep per column, all columns side by side,
//! so the sweeps vectorise). A 1T1R cell's access switch and device are in
//! series through a node that touches nothing else, so that node is
//! eliminated exactly too (the cell becomes one conductance and one
//! companion current) and recovered after the solve.
//!
//! Every vector is stored row-major (`i * cols + j`). The stopping test is
//! `line_pcg`'s: every node's residual small next to the currents that meet
//! there, confirmed once on the true residual of the whole system.

use super::line_pcg::{amax, dot, TOLERANCE, TRUE_RESIDUAL_SLACK};
use super::solver::SolveError;

/// The fixed conductances of one read (S), from the geometry and drive.
#[derive(Clone, Debug, PartialEq)]
pub struct GridConductances {
    /// Row wire segment.
    pub row_wire: f64,
    /// Column wire segment.
    pub col_wire: f64,
    /// Sense amplifier input, per column end.
    pub sense: f64,
    /// Driver (or floating-row leak) of each row.
    pub driver: Vec<f64>,
    /// 1T1R: the access switch of each row's cells (on or off by row).
    pub access: Option<Vec<f64>>,
}

/// What CG did on one linear solve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GridOutcome {
    Converged { iterations: usize },
    NotConverged { iterations: usize },
}

/// The solver's state for one `rows x cols` crossbar.
pub struct GridPcg {
    rows: usize,
    cols: usize,
    max_iter: usize,
    /// Per cell: the branch conductance (device, or access + device in
    /// series) and companion current (A, row side to column side).
    ge: Vec<f64>,
    ieq: Vec<f64>,
    /// `1 / D` of the row lines' and column lines' `LDL^T` factors.
    row_inv: Vec<f64>,
    col_inv: Vec<f64>,
    /// The Schur system's right-hand side (the column equations' own,
    /// `b_B`, is `ieq`, or zero for a linear solve).
    b_schur: Vec<f64>,
    /// The solution: row-node and column-node voltages.
    pub row_v: Vec<f64>,
    pub col_v: Vec<f64>,
    // CG work vectors (column space); `z` is also the row-space scratch
    // of the Schur product and the residual checks, which never overlap
    // with its use as the preconditioned residual.
    r: Vec<f64>,
    z: Vec<f64>,
    p: Vec<f64>,
    q: Vec<f64>,
}

impl std::fmt::Debug for GridPcg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GridPcg")
            .field("rows", &self.rows)
            .field("cols", &self.cols)
            .field("max_iter", &self.max_iter)
            .finish()
    }
}

impl GridPcg {
    /// The solver of a `rows x cols` crossbar; its vectors are allocated
    /// by the first solve (an array that is never read costs nothing).
    pub fn new(rows: usize, cols: usize, max_iter: usize) -> GridPcg {
        GridPcg {
            rows,
            cols,
            max_iter,
            ge: Vec::new(),
            ieq: Vec::new(),
            row_inv: Vec::new(),
            col_inv: Vec::new(),
            b_schur: Vec::new(),
            row_v: Vec::new(),
            col_v: Vec::new(),
            r: Vec::new(),
            z: Vec::new(),
            p: Vec::new(),
            q: Vec::new(),
        }
    }

    /// The per-cell vectors every solve uses.
    fn vectors(&mut self) -> [&mut Vec<f64>; 10] {
        [
            &mut self.ge,
            &mut self.row_inv,
            &mut self.col_inv,
            &mut self.b_schur,
            &mut self.row_v,
            &mut self.col_v,
            &mut self.r,
            &mut self.z,
            &mut self.p,
            &mut self.q,
        ]
    }

    /// Stored `f64`s (the solver's memory is eight bytes each): ten per
    /// cell once used, and the companion currents of a nonlinear solve.
    pub fn stored(&self) -> usize {
        10 * self.ge.len() + self.ieq.len()
    }

    /// Sets the cells' branches from device conductances `g(k)` with no
    /// companion currents (a linear solve), without a per-cell vector.
    pub fn set_cells_with(&mut self, g: impl Fn(usize) -> f64, fixed: &GridConductances) {
        let (cols, n) = (self.cols, self.rows * self.cols);
        for v in self.vectors() {
            v.resize(n, 0.0);
        }
        self.ieq.clear();
        for (k, ge) in self.ge.iter_mut().enumerate() {
            let gk = g(k);
            *ge = match &fixed.access {
                None => gk,
                Some(ga) => {
                    let a = ga[k / cols];
                    a * gk / (a + gk)
                }
            };
        }
    }

    /// Sets the cells' branches from per-cell device conductance `g` and
    /// companion current `ieq` (empty: none), folding in a 1T1R access
    /// switch in series.
    pub fn set_cells(&mut self, g: &[f64], ieq: &[f64], fixed: &GridConductances) {
        self.set_cells_with(|k| g[k], fixed);
        if ieq.is_empty() {
            return;
        }
        self.ieq.resize(g.len(), 0.0);
        match &fixed.access {
            None => self.ieq.copy_from_slice(ieq),
            Some(ga) => {
                let cols = self.cols;
                for (k, (out, (g, i))) in self.ieq.iter_mut().zip(g.iter().zip(ieq)).enumerate() {
                    let a = ga[k / cols];
                    *out = i * a / (a + g);
                }
            }
        }
    }

    /// Voltage of each 1T1R cell's middle node (between switch and
    /// device) at the current solution, for the device conductance `g` and
    /// companion current `ieq` the solve used.
    pub fn mid_volts(&self, g: &[f64], ieq: &[f64], access: &[f64]) -> Vec<f64> {
        (0..g.len())
            .map(|k| {
                let a = access[k / self.cols];
                let i = ieq.get(k).copied().unwrap_or(0.0);
                (a * self.row_v[k] + g[k] * self.col_v[k] - i) / (a + g[k])
            })
            .collect()
    }

    /// Factorises the row and column lines (pivots only: the off-diagonals
    /// are the constant wire conductances). A non-positive pivot is an
    /// error (the caller falls back to Cholesky).
    fn factor(&mut self, fixed: &GridConductances) -> Result<(), SolveError> {
        let (rows, cols) = (self.rows, self.cols);
        let (gr, gc) = (fixed.row_wire, fixed.col_wire);
        for i in 0..rows {
            let base = i * cols;
            let mut prev_inv = 0.0;
            for j in 0..cols {
                let nb = usize::from(j > 0) + usize::from(j + 1 < cols);
                let mut d = self.ge[base + j] + gr * nb as f64;
                if j == 0 {
                    d += fixed.driver[i];
                }
                d -= gr * gr * prev_inv;
                prev_inv = 1.0 / d;
                self.row_inv[base + j] = prev_inv;
            }
        }
        for i in 0..rows {
            let nb = (usize::from(i > 0) + usize::from(i + 1 < rows)) as f64;
            let sense = if i + 1 == rows { fixed.sense } else { 0.0 };
            let (done, rest) = self.col_inv.split_at_mut(i * cols);
            let prev = if i > 0 {
                Some(&done[(i - 1) * cols..])
            } else {
                None
            };
            for (j, inv) in rest[..cols].iter_mut().enumerate() {
                let mut d = self.ge[i * cols + j] + gc * nb + sense;
                if let Some(prev) = prev {
                    d -= gc * gc * prev[j];
                }
                *inv = 1.0 / d;
            }
        }
        let bad = |v: &[f64]| v.iter().any(|x| !(x.is_finite() && *x > 0.0));
        if bad(&self.row_inv) || bad(&self.col_inv) {
            return Err(SolveError::Factor(
                "a wire line's pivot is not positive (check device parameters)".into(),
            ));
        }
        Ok(())
    }

    /// `v = A^{-1} v` on row-space `v`: one tridiagonal sweep per row.
    /// A sweep is one long dependency chain, so four rows go side by side
    /// (independent chains the core overlaps).
    fn row_solve(&self, v: &mut [f64], gr: f64) {
        let cols = self.cols;
        let mut lines = v.chunks_exact_mut(4 * cols);
        let mut pivots = self.row_inv.chunks_exact(4 * cols);
        for (four, inv) in (&mut lines).zip(&mut pivots) {
            let (a, rest) = four.split_at_mut(cols);
            let (b, rest) = rest.split_at_mut(cols);
            let (c, d) = rest.split_at_mut(cols);
            let (ia, rest) = inv.split_at(cols);
            let (ib, rest) = rest.split_at(cols);
            let (ic, id) = rest.split_at(cols);
            for j in 1..cols {
                a[j] += gr * ia[j - 1] * a[j - 1];
                b[j] += gr * ib[j - 1] * b[j - 1];
                c[j] += gr * ic[j - 1] * c[j - 1];
                d[j] += gr * id[j - 1] * d[j - 1];
            }
            let l = cols - 1;
            a[l] *= ia[l];
            b[l] *= ib[l];
            c[l] *= ic[l];
            d[l] *= id[l];
            for j in (0..l).rev() {
                a[j] = (a[j] + gr * a[j + 1]) * ia[j];
                b[j] = (b[j] + gr * b[j + 1]) * ib[j];
                c[j] = (c[j] + gr * c[j + 1]) * ic[j];
                d[j] = (d[j] + gr * d[j + 1]) * id[j];
            }
        }
        let rest = lines.into_remainder();
        let rest_inv = pivots.remainder();
        for (line, inv) in rest.chunks_exact_mut(cols).zip(rest_inv.chunks_exact(cols)) {
            for j in 1..cols {
                line[j] += gr * inv[j - 1] * line[j - 1];
            }
            line[cols - 1] *= inv[cols - 1];
            for j in (0..cols - 1).rev() {
                line[j] = (line[j] + gr * line[j + 1]) * inv[j];
            }
        }
    }

    /// `v = B^{-1} v` on column-space `v`: the columns' sweeps side by side.
    fn col_solve(col_inv: &[f64], cols: usize, v: &mut [f64], gc: f64) {
        let rows = v.len() / cols;
        for i in 1..rows {
            let (done, rest) = v.split_at_mut(i * cols);
            let prev = &done[(i - 1) * cols..];
            let inv = &col_inv[(i - 1) * cols..i * cols];
            for ((x, p), d) in rest[..cols].iter_mut().zip(prev).zip(inv) {
                *x += gc * d * p;
            }
        }
        let last = (rows - 1) * cols;
        for (x, d) in v[last..].iter_mut().zip(&col_inv[last..]) {
            *x *= d;
        }
        for i in (0..rows - 1).rev() {
            let (head, tail) = v.split_at_mut((i + 1) * cols);
            let next = &tail[..cols];
            let inv = &col_inv[i * cols..(i + 1) * cols];
            for ((x, n), d) in head[i * cols..].iter_mut().zip(next).zip(inv) {
                *x = (*x + gc * n) * d;
            }
        }
    }

    /// `y = B x` on column space (column lines + sense + cells' diagonal).
    fn col_product(&self, y: &mut [f64], x: &[f64], fixed: &GridConductances) {
        let (rows, cols, gc) = (self.rows, self.cols, fixed.col_wire);
        for i in 0..rows {
            let nb = (usize::from(i > 0) + usize::from(i + 1 < rows)) as f64;
            let sense = if i + 1 == rows { fixed.sense } else { 0.0 };
            let base = i * cols;
            for j in 0..cols {
                let k = base + j;
                let mut acc = (self.ge[k] + gc * nb + sense) * x[k];
                if i > 0 {
                    acc -= gc * x[k - cols];
                }
                if i + 1 < rows {
                    acc -= gc * x[k + cols];
                }
                y[k] = acc;
            }
        }
    }

    /// The row equations' right-hand side `b_A` into `out`.
    fn row_rhs(&self, out: &mut [f64], row_volts: &[f64], fixed: &GridConductances) {
        if self.ieq.is_empty() {
            out.iter_mut().for_each(|x| *x = 0.0);
        } else {
            for (o, i) in out.iter_mut().zip(&self.ieq) {
                *o = -i;
            }
        }
        for (i, v) in row_volts.iter().enumerate() {
            out[i * self.cols] += fixed.driver[i] * v;
        }
    }

    /// Largest scaled residual of the row and column equations at
    /// `(row_v, col_v)`.
    fn scaled_residual(&mut self, row_volts: &[f64], fixed: &GridConductances) -> f64 {
        let (rows, cols) = (self.rows, self.cols);
        let (gr, gc) = (fixed.row_wire, fixed.col_wire);
        let xmax = amax(&self.row_v).max(amax(&self.col_v));
        let mut worst = 0.0f64;
        // Row equations.
        let mut t = std::mem::take(&mut self.z);
        self.row_rhs(&mut t, row_volts, fixed);
        for i in 0..rows {
            for j in 0..cols {
                let k = i * cols + j;
                let nb = usize::from(j > 0) + usize::from(j + 1 < cols);
                let mut d = self.ge[k] + gr * nb as f64;
                if j == 0 {
                    d += fixed.driver[i];
                }
                let mut acc = d * self.row_v[k] - self.ge[k] * self.col_v[k];
                if j > 0 {
                    acc -= gr * self.row_v[k - 1];
                }
                if j + 1 < cols {
                    acc -= gr * self.row_v[k + 1];
                }
                worst = worst.max((t[k] - acc).abs() / (d * xmax + t[k].abs()));
            }
        }
        self.z = t;
        // Column equations.
        let mut q = std::mem::take(&mut self.q);
        self.col_product(&mut q, &self.col_v, fixed);
        for i in 0..rows {
            let nb = (usize::from(i > 0) + usize::from(i + 1 < rows)) as f64;
            let sense = if i + 1 == rows { fixed.sense } else { 0.0 };
            for j in 0..cols {
                let k = i * cols + j;
                let b = self.ieq.get(k).copied().unwrap_or(0.0);
                let res = b - (q[k] - self.ge[k] * self.row_v[k]);
                let d = self.ge[k] + gc * nb + sense;
                worst = worst.max(res.abs() / (d * xmax + b.abs()));
            }
        }
        self.q = q;
        worst
    }

    /// `row_v = A^{-1} (b_A + D col_v)`.
    fn eliminate_rows(&mut self, row_volts: &[f64], fixed: &GridConductances) {
        let mut rv = std::mem::take(&mut self.row_v);
        self.row_rhs(&mut rv, row_volts, fixed);
        for ((r, g), c) in rv.iter_mut().zip(&self.ge).zip(&self.col_v) {
            *r += g * c;
        }
        self.row_solve(&mut rv, fixed.row_wire);
        self.row_v = rv;
    }

    /// Solves the read for the cells set by [`set_cells`](Self::set_cells),
    /// from the current `col_v` (zeroed first unless `warm`).
    pub fn solve(
        &mut self,
        row_volts: &[f64],
        fixed: &GridConductances,
        warm: bool,
    ) -> Result<GridOutcome, SolveError> {
        self.factor(fixed)?;
        let (cols, gr, gc) = (self.cols, fixed.row_wire, fixed.col_wire);
        if !warm {
            self.col_v.iter_mut().for_each(|x| *x = 0.0);
        }
        // b_S = b_B + D A^{-1} b_A.
        let mut t = std::mem::take(&mut self.z);
        self.row_rhs(&mut t, row_volts, fixed);
        self.row_solve(&mut t, gr);
        for (k, (s, (g, a))) in self
            .b_schur
            .iter_mut()
            .zip(self.ge.iter().zip(&t))
            .enumerate()
        {
            *s = self.ieq.get(k).copied().unwrap_or(0.0) + g * a;
        }
        self.z = t;
        if amax(&self.b_schur) == 0.0 && amax(row_volts) == 0.0 && self.ieq.is_empty() {
            self.col_v.iter_mut().for_each(|x| *x = 0.0);
            self.row_v.iter_mut().for_each(|x| *x = 0.0);
            return Ok(GridOutcome::Converged { iterations: 0 });
        }
        // r = b_S - S x.
        self.true_residual(fixed);
        self.eliminate_rows(row_volts, fixed);
        if self.scaled_residual(row_volts, fixed) <= TOLERANCE {
            return Ok(GridOutcome::Converged { iterations: 0 });
        }
        self.z.copy_from_slice(&self.r);
        Self::col_solve(&self.col_inv, cols, &mut self.z, gc);
        self.p.copy_from_slice(&self.z);
        let mut rz = dot(&self.r, &self.z);
        for iteration in 1..=self.max_iter {
            let mut q = std::mem::take(&mut self.q);
            let p = std::mem::take(&mut self.p);
            self.schur_product(&mut q, &p, fixed);
            let pq = dot(&p, &q);
            if !(pq > 0.0 && pq.is_finite()) {
                return Err(SolveError::Factor(format!(
                    "conjugate gradient: p'Sp = {pq:e} (matrix not positive definite)"
                )));
            }
            let alpha = rz / pq;
            for ((x, r), (p, q)) in self
                .col_v
                .iter_mut()
                .zip(self.r.iter_mut())
                .zip(p.iter().zip(q.iter()))
            {
                *x += alpha * p;
                *r -= alpha * q;
            }
            self.q = q;
            self.p = p;
            if self.column_test(fixed) {
                // The rows follow the columns; confirm on the whole
                // system's true residual.
                self.eliminate_rows(row_volts, fixed);
                if self.scaled_residual(row_volts, fixed) <= TRUE_RESIDUAL_SLACK * TOLERANCE {
                    return Ok(GridOutcome::Converged {
                        iterations: iteration,
                    });
                }
                self.true_residual(fixed);
            }
            self.z.copy_from_slice(&self.r);
            Self::col_solve(&self.col_inv, cols, &mut self.z, gc);
            let rz_next = dot(&self.r, &self.z);
            let beta = rz_next / rz;
            rz = rz_next;
            for (p, z) in self.p.iter_mut().zip(&self.z) {
                *p = z + beta * *p;
            }
        }
        self.eliminate_rows(row_volts, fixed);
        Ok(GridOutcome::NotConverged {
            iterations: self.max_iter,
        })
    }

    /// Whether the recursive residual passes the stopping test (column
    /// equations), the cheap test run every iteration: it stops at the
    /// first node that fails, which is nearly always an early one.
    fn column_test(&self, fixed: &GridConductances) -> bool {
        let xmax = amax(&self.col_v).max(amax(&self.row_v));
        let (rows, cols, gc) = (self.rows, self.cols, fixed.col_wire);
        for i in 0..rows {
            let nb = (usize::from(i > 0) + usize::from(i + 1 < rows)) as f64;
            let sense = if i + 1 == rows { fixed.sense } else { 0.0 };
            for j in 0..cols {
                let k = i * cols + j;
                let d = self.ge[k] + gc * nb + sense;
                let b = self.ieq.get(k).copied().unwrap_or(0.0);
                if self.r[k].abs() > TOLERANCE * (d * xmax + b.abs()) {
                    return false;
                }
            }
        }
        true
    }

    /// The CG residual relative to the right-hand side (for the error of a
    /// solve that did not converge).
    pub fn rel_residual(&self) -> f64 {
        amax(&self.r) / amax(&self.b_schur)
    }

    /// `r = b_S - S col_v`.
    fn true_residual(&mut self, fixed: &GridConductances) {
        let mut q = std::mem::take(&mut self.q);
        let x = std::mem::take(&mut self.col_v);
        self.schur_product(&mut q, &x, fixed);
        self.col_v = x;
        for ((r, b), q) in self.r.iter_mut().zip(&self.b_schur).zip(&q) {
            *r = b - q;
        }
        self.q = q;
    }

    /// `y = S x = B x - D A^{-1} D x`.
    fn schur_product(&mut self, y: &mut [f64], x: &[f64], fixed: &GridConductances) {
        let mut t = std::mem::take(&mut self.z);
        for ((t, g), x) in t.iter_mut().zip(&self.ge).zip(x) {
            *t = g * x;
        }
        self.row_solve(&mut t, fixed.row_wire);
        self.col_product(y, x, fixed);
        for ((y, g), t) in y.iter_mut().zip(&self.ge).zip(&t) {
            *y -= g * t;
        }
        self.z = t;
    }
}
