//! The iterative solver: conjugate gradient on the crossbar's conductance
//! matrix, preconditioned by the wire lines.
//!
//! Why this converges fast: the conductance matrix `G` of a crossbar is the
//! row and column wire lines (segments of a few ohms, tied to the drivers
//! and sense amplifiers) coupled only through the devices (kilo- to
//! mega-ohms). Dropping the devices' off-diagonal couplings (keeping their
//! conductance on the diagonal) leaves `M`: independent lines, each a path
//! (1T1R: a path with one access-switch branch per cell), i.e. a forest.
//! `M - G` is the devices' coupling, small next to the wires, so the
//! eigenvalues of `M^{-1} G` cluster near 1 and CG needs few iterations
//! (about 10 to 25 from 32x32 to 512x512 with the default parasitics;
//! docs/analog.md has the figures).
//!
//! The pieces: the iteration is textbook preconditioned CG (Saad,
//! "Iterative Methods for Sparse Linear Systems", 2nd ed., Alg. 9.1),
//! stopped when every node's residual is small next to its own currents
//! (`TOLERANCE`) and then checked once more against the true residual
//! `b - G x`.
//! `G` is a diagonal plus one conductance per coupling (a product is one
//! pass over the elements) and `M` a forest, whose `LDL^T` factor in a
//! children-first order has no fill: one pivot and one ratio per node, a
//! forward and a backward sweep per solve.
//!
//! Why not faer for these parts (tried first, same iteration counts): at
//! 64x64 faer's sparse Cholesky of the forest and its CSC product cost 120
//! and 43 µs per call and 1.3 ms of symbolic analysis, and its matrix-free
//! CG is block CG, whose dense kernels (packing, pivoted Cholesky of the
//! 1x1 block) took about 30 % of a solve with one right-hand side. A solve
//! was then as slow as the direct Cholesky solver (2.6 ms); the shaped
//! kernels do the same arithmetic in a few microseconds (measurements in
//! docs/analog.md). The direct solver (`cholesky.rs`, faer) stays the
//! reference: the tests hold this one to it, and `linear = "auto"` falls
//! back to it when CG does not converge.

use super::ordering::spanning_forest;
use super::pattern::Ends;
use super::solver::SolveError;

/// Marks a missing parent or slot.
const NONE: u32 = u32::MAX;

/// CG stops when every node's residual current is small next to the
/// currents that meet there: `|r_i| <= TOLERANCE (G_ii |x|_inf + |b_i|)`
/// (a componentwise backward error in the spirit of Oettli and Prager, with
/// `G_ii |x|_inf` bounding the node's own terms of `G x`). A test on `|r|`
/// relative to `|b|` alone fails both ways: a 0.01 Ω driver pushes 20 A
/// into its row node, so `1e-14 |b|` would excuse 1e-13 A of error at a
/// 1 µS cell's node, and a row floating through 1 TΩ makes `|b|` so small
/// that no rounded product reaches it. Column currents then agree with the
/// direct solver to 1e-10 or better (`sim/tests/analog_props.rs`, the
/// solver's unit tests) and with ngspice to about 1e-13 (docs/analog.md).
const TOLERANCE: f64 = 64.0 * f64::EPSILON;

/// The true residual `b - G x` may exceed the recursively updated one
/// (rounding); a solution is accepted when it is within this many times the
/// bound.
const TRUE_RESIDUAL_SLACK: f64 = 10.0;

/// `max |v_i|`.
fn amax(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

/// `a . b` with eight partial sums, so the additions pipeline (a single
/// running sum is one long dependency chain). Deterministic.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (a, b) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += a[k] * b[k];
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// `G`: the diagonal and, per row, its off-diagonal conductances (CSR,
/// both triangles, stored as positive `g`: the entry is `-g`). A product
/// is a gather per row, with no dependency between rows.
#[derive(Clone, Copy)]
struct Conductance<'a> {
    diag: &'a [f64],
    row_ptr: &'a [u32],
    col: &'a [u32],
    g: &'a [f64],
}

impl Conductance<'_> {
    fn product(&self, y: &mut [f64], x: &[f64]) {
        let rows = self.row_ptr.windows(2).zip(self.diag.iter().zip(x));
        for (y, (w, (d, xi))) in y.iter_mut().zip(rows) {
            let (lo, hi) = (w[0] as usize, w[1] as usize);
            let mut acc = d * xi;
            for (&c, &g) in self.col[lo..hi].iter().zip(&self.g[lo..hi]) {
                acc -= g * x[c as usize];
            }
            *y = acc;
        }
    }
}

/// `M^{-1}`: the forest's `LDL^T` factor in
/// children-first order (node `v`'s parent `parent[v] > v`), stored as `1 / D[v]` and
/// `ratio[v] = w[v] / D[v]` (`w[v]`: conductance to the parent).
#[derive(Clone, Copy)]
struct LineSolve<'a> {
    parent: &'a [u32],
    inv_pivot: &'a [f64],
    ratio: &'a [f64],
}

impl LineSolve<'_> {
    /// `z = M^{-1} r`: `L y = r` (children push into parents), `D`,
    /// then `L^T z = D^{-1} y` (parents pull into children).
    fn solve(&self, z: &mut [f64], r: &[f64]) {
        z.copy_from_slice(r);
        for v in 0..z.len() {
            let p = self.parent[v];
            if p != NONE {
                z[p as usize] += self.ratio[v] * z[v];
            }
        }
        for v in (0..z.len()).rev() {
            let p = self.parent[v];
            z[v] *= self.inv_pivot[v];
            if p != NONE {
                z[v] += self.ratio[v] * z[p as usize];
            }
        }
    }
}

/// The outcome of one iterative solve.
#[derive(Clone, Debug, PartialEq)]
pub enum PcgOutcome {
    /// Node voltages (netlist numbering) and the iterations it took.
    Converged { x: Vec<f64>, iterations: usize },
    /// The tolerance was not reached; the caller falls back to Cholesky.
    NotConverged {
        iterations: usize,
        rel_residual: f64,
    },
}

/// A line-preconditioned CG solver for one netlist topology. Everything is
/// numbered in the line forest's level order (children before parents).
pub struct LinePcg {
    n: usize,
    /// `pos[node]`: the place of netlist unknown `node`.
    pos: Vec<usize>,
    /// Per element: its two places (`NONE` for a source terminal).
    end_a: Vec<u32>,
    end_b: Vec<u32>,
    /// Per element: its two entries in `G`'s CSR, (a, b) and (b, a)
    /// (`NONE`: none, a source terminal).
    slot_ab: Vec<u32>,
    slot_ba: Vec<u32>,
    /// Per element: whether it joins a node to its forest parent (so its
    /// conductance is part of `M`'s off-diagonal).
    in_forest: Vec<bool>,
    /// `G`: off-diagonal CSR (places) and values; the diagonal.
    row_ptr: Vec<u32>,
    col: Vec<u32>,
    off_g: Vec<f64>,
    diag: Vec<f64>,
    /// `M`: parents, conductance to the parent, factor.
    parent: Vec<u32>,
    w: Vec<f64>,
    inv_pivot: Vec<f64>,
    ratio: Vec<f64>,
    /// CG's vectors (right-hand side, solution, residual, preconditioned
    /// residual, direction, `G` times direction).
    b: Vec<f64>,
    x: Vec<f64>,
    r: Vec<f64>,
    z: Vec<f64>,
    p: Vec<f64>,
    q: Vec<f64>,
    max_iter: usize,
}

impl LinePcg {
    /// Numbers the unknowns along the line forest and lays out the
    /// couplings. `ends[k]`: the unknowns element `k` joins;
    /// `is_device[k]`: whether it is a device (kept out of `M`). `n` must
    /// be at least 1.
    pub fn new(
        n: usize,
        ends: &[Ends],
        is_device: &[bool],
        max_iter: usize,
    ) -> Result<Self, SolveError> {
        if u32::try_from(n).is_err() {
            return Err(SolveError::Factor(format!(
                "{n} unknowns exceed the iterative solver's 32-bit indices"
            )));
        }
        let line_edges: Vec<(usize, usize)> = ends
            .iter()
            .zip(is_device)
            .filter_map(|(e, &dev)| match *e {
                (Some(a), Some(b)) if a != b && !dev => Some((a, b)),
                _ => None,
            })
            .collect();
        let forest = spanning_forest(n, &line_edges);
        let pos = forest.place;
        let mut parent = vec![NONE; n];
        for (node, p) in forest.parent.iter().enumerate() {
            if let Some(p) = p {
                parent[pos[node]] = pos[*p] as u32;
            }
        }
        let place = |t: Option<usize>| t.map_or(NONE, |k| pos[k] as u32);
        let end_a: Vec<u32> = ends.iter().map(|e| place(e.0)).collect();
        let end_b: Vec<u32> = ends.iter().map(|e| place(e.1)).collect();
        let coupled = |k: usize| end_a[k] != NONE && end_b[k] != NONE && end_a[k] != end_b[k];
        // CSR of the couplings: count per row, prefix sums, fill.
        let mut row_ptr = vec![0u32; n + 1];
        for k in (0..ends.len()).filter(|&k| coupled(k)) {
            row_ptr[end_a[k] as usize + 1] += 1;
            row_ptr[end_b[k] as usize + 1] += 1;
        }
        for i in 0..n {
            row_ptr[i + 1] += row_ptr[i];
        }
        let mut next: Vec<u32> = row_ptr[..n].to_vec();
        let mut col = vec![0u32; row_ptr[n] as usize];
        let (mut slot_ab, mut slot_ba) = (vec![NONE; ends.len()], vec![NONE; ends.len()]);
        let mut in_forest = vec![false; ends.len()];
        for k in (0..ends.len()).filter(|&k| coupled(k)) {
            let (a, b) = (end_a[k], end_b[k]);
            slot_ab[k] = next[a as usize];
            col[next[a as usize] as usize] = b;
            next[a as usize] += 1;
            slot_ba[k] = next[b as usize];
            col[next[b as usize] as usize] = a;
            next[b as usize] += 1;
            in_forest[k] = !is_device[k] && (parent[a as usize] == b || parent[b as usize] == a);
        }
        Ok(LinePcg {
            off_g: vec![0.0; col.len()],
            n,
            pos,
            end_a,
            end_b,
            slot_ab,
            slot_ba,
            in_forest,
            row_ptr,
            col,
            diag: vec![0.0; n],
            parent,
            w: vec![0.0; n],
            inv_pivot: vec![0.0; n],
            ratio: vec![0.0; n],
            b: vec![0.0; n],
            x: vec![0.0; n],
            r: vec![0.0; n],
            z: vec![0.0; n],
            p: vec![0.0; n],
            q: vec![0.0; n],
            max_iter,
        })
    }

    /// Assembles `G` and `M` from the element conductances `g`
    /// (`keep_off(k)` false drops element `k`'s coupling from `G`, never
    /// from `M`) and factorises `M`. A non-positive pivot (`M` not positive
    /// definite) is an error, which `auto` answers with Cholesky.
    fn assemble(&mut self, g: &[f64], keep_off: impl Fn(usize) -> bool) -> Result<(), SolveError> {
        self.diag.iter_mut().for_each(|d| *d = 0.0);
        self.w.iter_mut().for_each(|w| *w = 0.0);
        for (k, &gk) in g.iter().enumerate() {
            let (a, b) = (self.end_a[k], self.end_b[k]);
            if a != NONE {
                self.diag[a as usize] += gk;
            }
            if b != NONE {
                self.diag[b as usize] += gk;
            }
            let (ab, ba) = (self.slot_ab[k], self.slot_ba[k]);
            if ab != NONE {
                let off = if keep_off(k) { gk } else { 0.0 };
                self.off_g[ab as usize] = off;
                self.off_g[ba as usize] = off;
                if self.in_forest[k] {
                    let child = if self.parent[a as usize] == b { a } else { b };
                    self.w[child as usize] += gk;
                }
            }
        }
        let mut pivot = self.diag.clone();
        for v in 0..self.n {
            if !(pivot[v] > 0.0 && pivot[v].is_finite()) {
                return Err(SolveError::Factor(format!(
                    "wire-line pivot {} at unknown {v} (lines not positive definite)",
                    pivot[v]
                )));
            }
            self.inv_pivot[v] = 1.0 / pivot[v];
            self.ratio[v] = self.w[v] * self.inv_pivot[v];
            let p = self.parent[v];
            if p != NONE {
                pivot[p as usize] -= self.w[v] * self.ratio[v];
            }
        }
        Ok(())
    }

    /// Solves `G x = rhs` (netlist numbering) by CG from `guess` (or
    /// zero), for the element conductances `g`.
    pub fn solve(
        &mut self,
        g: &[f64],
        keep_off: impl Fn(usize) -> bool,
        rhs: &[f64],
        guess: Option<&[f64]>,
    ) -> Result<PcgOutcome, SolveError> {
        self.assemble(g, keep_off)?;
        let n = self.n;
        let guess = guess.filter(|v| v.len() == n);
        for (node, &place) in self.pos.iter().enumerate() {
            self.b[place] = rhs[node];
            self.x[place] = guess.map_or(0.0, |v| v[node]);
        }
        match self.iterate()? {
            Some(iterations) => Ok(PcgOutcome::Converged {
                x: self.pos.iter().map(|&place| self.x[place]).collect(),
                iterations,
            }),
            None => {
                let rel_residual = amax(&self.r) / amax(&self.b);
                Ok(PcgOutcome::NotConverged {
                    iterations: self.max_iter,
                    rel_residual,
                })
            }
        }
    }

    /// Preconditioned CG on `G x = b` from the `x` in place: the
    /// iterations it took, or `None` past `max_iter`.
    fn iterate(&mut self) -> Result<Option<usize>, SolveError> {
        let op = Conductance {
            diag: &self.diag,
            row_ptr: &self.row_ptr,
            col: &self.col,
            g: &self.off_g,
        };
        let m = LineSolve {
            parent: &self.parent,
            inv_pivot: &self.inv_pivot,
            ratio: &self.ratio,
        };
        let (x, r, z, p, q, b) = (
            &mut self.x,
            &mut self.r,
            &mut self.z,
            &mut self.p,
            &mut self.q,
            &self.b,
        );
        let b_norm = amax(b);
        if b_norm == 0.0 {
            x.iter_mut().for_each(|v| *v = 0.0);
            return Ok(Some(0));
        }
        let diag = &self.diag;
        // The largest `|r_i| / (G_ii |x| + |b_i|)`, to hold under TOLERANCE.
        let scaled = |r: &[f64], x: &[f64]| {
            let xmax = amax(x);
            r.iter()
                .zip(diag.iter().zip(b.iter()))
                .fold(0.0f64, |m, (r, (d, b))| {
                    m.max(r.abs() / (d * xmax + b.abs()))
                })
        };
        op.product(q, x);
        for ((r, b), q) in r.iter_mut().zip(b.iter()).zip(q.iter()) {
            *r = b - q;
        }
        if scaled(r, x) <= TOLERANCE {
            return Ok(Some(0));
        }
        m.solve(z, r);
        p.copy_from_slice(z);
        let mut rz = dot(r, z);
        for iteration in 1..=self.max_iter {
            op.product(q, p);
            let pq = dot(p, q);
            if !(pq > 0.0 && pq.is_finite()) {
                return Err(SolveError::Factor(format!(
                    "conjugate gradient: p'Gp = {pq:e} (matrix not positive definite)"
                )));
            }
            let alpha = rz / pq;
            for ((x, r), (p, q)) in x.iter_mut().zip(r.iter_mut()).zip(p.iter().zip(q.iter())) {
                *x += alpha * p;
                *r -= alpha * q;
            }
            if scaled(r, x) <= TOLERANCE {
                // Confirm on the true residual (rounding can make the
                // updated one optimistic).
                op.product(q, x);
                for (z, (b, q)) in z.iter_mut().zip(b.iter().zip(q.iter())) {
                    *z = b - q;
                }
                if scaled(z, x) <= TRUE_RESIDUAL_SLACK * TOLERANCE {
                    return Ok(Some(iteration));
                }
                r.copy_from_slice(z);
            }
            m.solve(z, r);
            let rz_next = dot(r, z);
            let beta = rz_next / rz;
            rz = rz_next;
            for (p, z) in p.iter_mut().zip(z.iter()) {
                *p = z + beta * *p;
            }
        }
        Ok(None)
    }

    /// Stored entries of the solver's matrices (diagonal, couplings, the
    /// forest's factor): its memory is linear in the array.
    pub fn factor_nnz(&self) -> usize {
        self.n * 3 + self.off_g.len()
    }
}

impl std::fmt::Debug for LinePcg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinePcg")
            .field("unknowns", &self.n)
            .field("couplings", &(self.off_g.len() / 2))
            .field("max_iter", &self.max_iter)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 4-node system: path 0-1-2 (lines), a device 2-3, 3 grounded.
    fn small() -> (Vec<Ends>, Vec<bool>, Vec<f64>) {
        let ends = vec![
            (None, Some(0)),    // driver
            (Some(0), Some(1)), // wire
            (Some(1), Some(2)), // wire
            (Some(2), Some(3)), // device
            (Some(3), None),    // sense
        ];
        let dev = vec![false, false, false, true, false];
        let g = vec![0.1, 1.0, 1.0, 1e-3, 0.1];
        (ends, dev, g)
    }

    /// Dense `G` of `small()` in netlist numbering.
    fn dense(g: &[f64]) -> [[f64; 4]; 4] {
        [
            [g[0] + g[1], -g[1], 0.0, 0.0],
            [-g[1], g[1] + g[2], -g[2], 0.0],
            [0.0, -g[2], g[2] + g[3], -g[3]],
            [0.0, 0.0, -g[3], g[3] + g[4]],
        ]
    }

    #[test]
    fn solves_a_small_system_to_its_residual() {
        let (ends, dev, g) = small();
        let mut s = LinePcg::new(4, &ends, &dev, 50).unwrap();
        let rhs = [0.02, 0.0, 0.0, 0.0];
        let PcgOutcome::Converged { x, .. } = s.solve(&g, |_| true, &rhs, None).unwrap() else {
            panic!("no convergence");
        };
        let m = dense(&g);
        for i in 0..4 {
            let ax: f64 = (0..4).map(|j| m[i][j] * x[j]).sum();
            assert!((ax - rhs[i]).abs() < 1e-15, "row {i}: {ax} vs {}", rhs[i]);
        }
    }

    #[test]
    fn the_forest_factor_inverts_the_lines_exactly() {
        let (ends, dev, g) = small();
        let mut s = LinePcg::new(4, &ends, &dev, 50).unwrap();
        s.assemble(&g, |_| true).unwrap();
        // M = G without the device's off-diagonal, in place numbering.
        let mut m = dense(&g);
        m[2][3] = 0.0;
        m[3][2] = 0.0;
        let r_nodes = [0.3, -0.2, 0.5, 0.7];
        let mut r = [0.0; 4];
        for node in 0..4 {
            r[s.pos[node]] = r_nodes[node];
        }
        let mut z = [0.0; 4];
        LineSolve {
            parent: &s.parent,
            inv_pivot: &s.inv_pivot,
            ratio: &s.ratio,
        }
        .solve(&mut z, &r);
        for i in 0..4 {
            let mz: f64 = (0..4).map(|j| m[i][j] * z[s.pos[j]]).sum();
            assert!((mz - r_nodes[i]).abs() < 1e-14, "row {i}: {mz}");
        }
    }

    #[test]
    fn a_non_positive_line_is_an_error() {
        let (ends, dev, mut g) = small();
        g[0] = -5.0;
        let mut s = LinePcg::new(4, &ends, &dev, 50).unwrap();
        assert!(matches!(
            s.solve(&g, |_| true, &[0.0; 4], None),
            Err(SolveError::Factor(_))
        ));
    }

    #[test]
    fn the_iteration_limit_is_reported() {
        let (ends, dev, g) = small();
        let mut s = LinePcg::new(4, &ends, &dev, 1).unwrap();
        // The device couples the lines, so one iteration is not enough.
        let out = s.solve(&g, |_| true, &[0.02, 0.0, 0.0, 0.0], None).unwrap();
        assert!(matches!(
            out,
            PcgOutcome::NotConverged { iterations: 1, .. }
        ));
    }
}
