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
//! When the devices join only lines of two different colours (row lines
//! and column lines, the crossbar's usual case), one colour is eliminated
//! exactly in every step by its own lines' factor and CG runs on the
//! other colour's Schur complement (`LinePcg::iterate_schur`): about half
//! the iterations for about the same work per iteration. Otherwise (merged
//! nodes, wire cycles) CG runs on the whole system.
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
pub(crate) const TOLERANCE: f64 = 64.0 * f64::EPSILON;

/// The true residual `b - G x` may exceed the recursively updated one
/// (rounding); a solution is accepted when it is within this many times the
/// bound.
pub(crate) const TRUE_RESIDUAL_SLACK: f64 = 10.0;

/// `max |v_i|`.
pub(crate) fn amax(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

/// `a . b` with eight partial sums, so the additions pipeline (a single
/// running sum is one long dependency chain). Deterministic.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
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

/// The blocks of `G` between two colours (first: places `0..split`):
/// `G = [[A, -C], [-C^T, B]]` with `C` the devices' conductances.
#[derive(Clone, Copy)]
struct Blocks<'a> {
    op: Conductance<'a>,
    row_mid: &'a [u32],
    split: usize,
}

impl Blocks<'_> {
    /// `y_A = C x_B`: `y_a` is places `0..split`, `x_b` places `split..`.
    fn c(&self, y_a: &mut [f64], x_b: &[f64]) {
        for (i, y) in y_a.iter_mut().enumerate() {
            let (lo, hi) = (self.row_mid[i] as usize, self.op.row_ptr[i + 1] as usize);
            let mut acc = 0.0;
            for (&c, &g) in self.op.col[lo..hi].iter().zip(&self.op.g[lo..hi]) {
                acc += g * x_b[c as usize - self.split];
            }
            *y = acc;
        }
    }

    /// `y_B = B x_B - C^T w_A`: the Schur complement's product once
    /// `w_A = A^{-1} C x_B` (`y_b`, `x_b`: places `split..`; `w_a`:
    /// places `0..split`).
    fn schur(&self, y_b: &mut [f64], x_b: &[f64], w_a: &[f64]) {
        let n = self.op.diag.len();
        for i in self.split..n {
            let (lo, mid, hi) = (
                self.op.row_ptr[i] as usize,
                self.row_mid[i] as usize,
                self.op.row_ptr[i + 1] as usize,
            );
            let mut acc = self.op.diag[i] * x_b[i - self.split];
            for (&c, &g) in self.op.col[mid..hi].iter().zip(&self.op.g[mid..hi]) {
                acc -= g * x_b[c as usize - self.split];
            }
            for (&c, &g) in self.op.col[lo..mid].iter().zip(&self.op.g[lo..mid]) {
                acc -= g * w_a[c as usize];
            }
            y_b[i - self.split] = acc;
        }
    }
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
    /// `z = M^{-1} z` on places `lo..hi`, a union of whole lines.
    fn solve_range(&self, z: &mut [f64], lo: usize, hi: usize) {
        for v in lo..hi {
            let p = self.parent[v];
            if p != NONE {
                z[p as usize] += self.ratio[v] * z[v];
            }
        }
        for v in (lo..hi).rev() {
            let p = self.parent[v];
            z[v] *= self.inv_pivot[v];
            if p != NONE {
                z[v] += self.ratio[v] * z[p as usize];
            }
        }
    }

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

/// When every device joins lines of two different colours (row lines and
/// column lines; in 1T1R the access branches belong to their row line) and
/// every other coupling is a line's own wire: per place, whether it is of
/// the larger colour (the one eliminated). `None` otherwise (merged nodes,
/// wire cycles), and the plain line-preconditioned CG is used.
fn two_colours(
    n: usize,
    ends: &[Ends],
    is_device: &[bool],
    parent: &[u32],
    pos: &[usize],
) -> Option<Vec<bool>> {
    // The line (tree) of every place: parents come after children.
    let mut tree = vec![0u32; n];
    for v in (0..n).rev() {
        tree[v] = match parent[v] {
            NONE => v as u32,
            p => tree[p as usize],
        };
    }
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (e, &dev) in ends.iter().zip(is_device) {
        let (Some(a), Some(b)) = *e else { continue };
        let (pa, pb) = (pos[a], pos[b]);
        if pa == pb {
            continue;
        }
        if dev {
            let (ta, tb) = (tree[pa], tree[pb]);
            if ta == tb {
                return None;
            }
            pairs.push((ta, tb));
        } else if parent[pa] != pb as u32 && parent[pb] != pa as u32 {
            return None;
        }
    }
    // Breadth-first colouring of the lines over the devices.
    let mut start = vec![0u32; n + 1];
    for &(a, b) in &pairs {
        start[a as usize + 1] += 1;
        start[b as usize + 1] += 1;
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    let mut fill = start.clone();
    let mut adj = vec![0u32; start[n] as usize];
    for &(a, b) in &pairs {
        adj[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
        adj[fill[b as usize] as usize] = a;
        fill[b as usize] += 1;
    }
    drop(pairs);
    const UNSET: u8 = 2;
    let mut colour = vec![UNSET; n];
    let mut queue = Vec::new();
    for root in 0..n {
        if tree[root] as usize != root || colour[root] != UNSET {
            continue;
        }
        colour[root] = 0;
        queue.push(root as u32);
        while let Some(t) = queue.pop() {
            let c = colour[t as usize];
            for &u in &adj[start[t as usize] as usize..start[t as usize + 1] as usize] {
                match colour[u as usize] {
                    UNSET => {
                        colour[u as usize] = 1 - c;
                        queue.push(u);
                    }
                    cu if cu == c => return None,
                    _ => {}
                }
            }
        }
    }
    let zeros = (0..n).filter(|&v| colour[tree[v] as usize] == 0).count();
    let first = u8::from(zeros * 2 < n);
    Some((0..n).map(|v| colour[tree[v] as usize] == first).collect())
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
    /// With two-coloured lines: the number of unknowns of the first
    /// colour (places `0..n_first`), eliminated exactly in every CG step.
    n_first: Option<usize>,
    /// Per row, where its couplings to the second colour start.
    row_mid: Vec<u32>,
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
        let mut pos = forest.place;
        let mut parent = vec![NONE; n];
        for (node, p) in forest.parent.iter().enumerate() {
            if let Some(p) = p {
                parent[pos[node]] = pos[*p] as u32;
            }
        }
        // Two-colour the lines when the devices only join lines of
        // different colours (row lines and column lines): then the rows
        // can be eliminated exactly and CG runs on the columns' Schur
        // complement. Renumber so the first colour comes first (each
        // colour keeps the children-first level order).
        let n_first = match two_colours(n, ends, is_device, &parent, &pos) {
            Some(first) => {
                let n_first = first.iter().filter(|f| **f).count();
                let mut new_place = vec![0usize; n];
                let (mut a, mut b) = (0, n_first);
                for (old, f) in first.iter().enumerate() {
                    let slot = if *f { &mut a } else { &mut b };
                    new_place[old] = *slot;
                    *slot += 1;
                }
                let mut new_parent = vec![NONE; n];
                for (old, p) in parent.iter().enumerate() {
                    if *p != NONE {
                        new_parent[new_place[old]] = new_place[*p as usize] as u32;
                    }
                }
                parent = new_parent;
                pos.iter_mut().for_each(|p| *p = new_place[*p]);
                Some(n_first)
            }
            None => None,
        };
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
        // Per row, couplings to the first colour, then to the second
        // (`row_mid` between them), so the Schur products read ranges.
        let split = n_first.unwrap_or(n) as u32;
        let mut row_mid = vec![0u32; n];
        for first_pass in [true, false] {
            for k in (0..ends.len()).filter(|&k| coupled(k)) {
                let (a, b) = (end_a[k], end_b[k]);
                if (b < split) == first_pass {
                    slot_ab[k] = next[a as usize];
                    col[next[a as usize] as usize] = b;
                    next[a as usize] += 1;
                }
                if (a < split) == first_pass {
                    slot_ba[k] = next[b as usize];
                    col[next[b as usize] as usize] = a;
                    next[b as usize] += 1;
                }
                in_forest[k] =
                    !is_device[k] && (parent[a as usize] == b || parent[b as usize] == a);
            }
            if first_pass {
                row_mid.copy_from_slice(&next);
            }
        }
        Ok(LinePcg {
            off_g: vec![0.0; col.len()],
            n,
            n_first,
            row_mid,
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
        // A deliberately dropped coupling (tests) makes G differ from the
        // lines inside a colour, which the Schur elimination assumes.
        let exact_lines = (0..g.len()).all(&keep_off);
        self.assemble(g, keep_off)?;
        let n = self.n;
        let guess = guess.filter(|v| v.len() == n);
        for (node, &place) in self.pos.iter().enumerate() {
            self.b[place] = rhs[node];
            self.x[place] = guess.map_or(0.0, |v| v[node]);
        }
        let outcome = match self.n_first {
            Some(n_first) if exact_lines && n_first > 0 && n_first < n => {
                self.iterate_schur(n_first)?
            }
            _ => self.iterate()?,
        };
        match outcome {
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

    /// CG on the Schur complement `S = B - C^T A^{-1} C` of the second
    /// colour (column lines), the first (row lines) eliminated exactly by
    /// their forest factor in every step, preconditioned by the second
    /// colour's lines. For a two-coloured `G` the Jacobi-type line
    /// preconditioner has eigenvalues `1 +- mu`, the Schur complement
    /// `1 - mu^2`: about half the iterations (11, 15, 22, 35 -> 6, 9, 12,
    /// 18 from 64x64 to 512x512, a scipy prototype on the same systems)
    /// for about the same work per iteration. Stops on the same test as
    /// [`LinePcg::iterate`], confirmed on the full system's true residual.
    fn iterate_schur(&mut self, split: usize) -> Result<Option<usize>, SolveError> {
        let op = Conductance {
            diag: &self.diag,
            row_ptr: &self.row_ptr,
            col: &self.col,
            g: &self.off_g,
        };
        let blocks = Blocks {
            op,
            row_mid: &self.row_mid,
            split,
        };
        let m = LineSolve {
            parent: &self.parent,
            inv_pivot: &self.inv_pivot,
            ratio: &self.ratio,
        };
        let n = self.n;
        let (x, r, z, p, q, b) = (
            &mut self.x,
            &mut self.r,
            &mut self.z,
            &mut self.p,
            &mut self.q,
            &self.b,
        );
        if amax(b) == 0.0 {
            x.iter_mut().for_each(|v| *v = 0.0);
            return Ok(Some(0));
        }
        let diag = &self.diag;
        let scaled = |r: &[f64], x: &[f64], lo: usize| {
            let xmax = amax(x);
            r[lo..]
                .iter()
                .zip(diag[lo..].iter().zip(b[lo..].iter()))
                .fold(0.0f64, |m, (r, (d, b))| {
                    m.max(r.abs() / (d * xmax + b.abs()))
                })
        };
        // x_A = A^{-1} (b_A + C x_B).
        let eliminate = |x: &mut [f64]| {
            let (xa, xb) = x.split_at_mut(split);
            blocks.c(xa, xb);
            for (xa, b) in xa.iter_mut().zip(b.iter()) {
                *xa += b;
            }
            m.solve_range(xa, 0, split);
        };
        eliminate(x);
        op.product(q, x);
        for ((r, b), q) in r.iter_mut().zip(b.iter()).zip(q.iter()) {
            *r = b - q;
        }
        if scaled(r, x, 0) <= TOLERANCE {
            return Ok(Some(0));
        }
        z[split..].copy_from_slice(&r[split..]);
        m.solve_range(z, split, n);
        p[split..].copy_from_slice(&z[split..]);
        let mut rz = dot(&r[split..], &z[split..]);
        for iteration in 1..=self.max_iter {
            {
                let (qa, qb) = q.split_at_mut(split);
                blocks.c(qa, &p[split..]);
                m.solve_range(qa, 0, split);
                blocks.schur(qb, &p[split..], qa);
            }
            let pq = dot(&p[split..], &q[split..]);
            if !(pq > 0.0 && pq.is_finite()) {
                return Err(SolveError::Factor(format!(
                    "conjugate gradient: p'Sp = {pq:e} (matrix not positive definite)"
                )));
            }
            let alpha = rz / pq;
            for ((x, r), (p, q)) in x[split..]
                .iter_mut()
                .zip(r[split..].iter_mut())
                .zip(p[split..].iter().zip(q[split..].iter()))
            {
                *x += alpha * p;
                *r -= alpha * q;
            }
            if scaled(r, x, split) <= TOLERANCE {
                // The rows follow the columns; confirm on the whole
                // system's true residual.
                eliminate(x);
                op.product(q, x);
                for (z, (b, q)) in z.iter_mut().zip(b.iter().zip(q.iter())) {
                    *z = b - q;
                }
                if scaled(z, x, 0) <= TRUE_RESIDUAL_SLACK * TOLERANCE {
                    return Ok(Some(iteration));
                }
                r[split..].copy_from_slice(&z[split..]);
            }
            z[split..].copy_from_slice(&r[split..]);
            m.solve_range(z, split, n);
            let rz_next = dot(&r[split..], &z[split..]);
            let beta = rz_next / rz;
            rz = rz_next;
            for (p, z) in p[split..].iter_mut().zip(z[split..].iter()) {
                *p = z + beta * *p;
            }
        }
        eliminate(x);
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

    /// `small()` plus a device inside the line (0-2): the lines cannot be
    /// two-coloured, so the plain line-preconditioned CG runs.
    fn one_colour() -> (Vec<Ends>, Vec<bool>, Vec<f64>) {
        let (mut ends, mut dev, mut g) = small();
        ends.push((Some(0), Some(2)));
        dev.push(true);
        g.push(2e-3);
        (ends, dev, g)
    }

    #[test]
    fn lines_are_two_coloured_only_when_devices_join_different_lines() {
        let (ends, dev, _) = small();
        let s = LinePcg::new(4, &ends, &dev, 50).unwrap();
        // The larger colour (the line 0-1-2) is eliminated.
        assert_eq!(s.n_first, Some(3));
        let (ends, dev, _) = one_colour();
        assert_eq!(LinePcg::new(4, &ends, &dev, 50).unwrap().n_first, None);
    }

    #[test]
    fn the_plain_path_solves_to_its_residual() {
        let (ends, dev, g) = one_colour();
        let mut s = LinePcg::new(4, &ends, &dev, 50).unwrap();
        let rhs = [0.02, 0.0, 0.0, 0.0];
        let PcgOutcome::Converged { x, .. } = s.solve(&g, |_| true, &rhs, None).unwrap() else {
            panic!("no convergence");
        };
        let mut m = dense(&g);
        m[0][0] += g[5];
        m[2][2] += g[5];
        m[0][2] -= g[5];
        m[2][0] -= g[5];
        for i in 0..4 {
            let ax: f64 = (0..4).map(|j| m[i][j] * x[j]).sum();
            assert!((ax - rhs[i]).abs() < 1e-15, "row {i}: {ax} vs {}", rhs[i]);
        }
    }

    #[test]
    fn the_iteration_limit_is_reported() {
        let (ends, dev, g) = one_colour();
        let mut s = LinePcg::new(4, &ends, &dev, 1).unwrap();
        // The devices couple the lines, so one iteration is not enough.
        let out = s.solve(&g, |_| true, &[0.02, 0.0, 0.0, 0.0], None).unwrap();
        assert!(matches!(
            out,
            PcgOutcome::NotConverged { iterations: 1, .. }
        ));
        // Two-coloured, the Schur complement here is one unknown: exact
        // after one step.
        let (ends, dev, g) = small();
        let mut s = LinePcg::new(4, &ends, &dev, 1).unwrap();
        let out = s.solve(&g, |_| true, &[0.02, 0.0, 0.0, 0.0], None).unwrap();
        assert!(
            matches!(out, PcgOutcome::Converged { iterations: 1, .. }),
            "{out:?}"
        );
    }
}
