//! The direct solver: faer's sparse Cholesky (`LL^T`) of the whole
//! conductance matrix.
//!
//! The sparsity pattern depends only on the netlist, so the symbolic
//! factorisation (nested-dissection ordering from `ordering`, applied to
//! the unknowns' numbering so faer never permutes the matrix, or AMD when a
//! zero wire resistance breaks the grid; then elimination tree and
//! supernodes, always supernodal: see `symbolic_params`) is computed once
//! and reused by every numeric factorisation.

use super::netlist::Netlist;
use super::ordering::nested_dissection;
use super::pattern::{assemble, Ends, Pattern, Slots};
use super::solver::SolveError;
use faer::dyn_stack::{MemBuffer, MemStack};
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

/// A Cholesky solver for one netlist topology.
pub struct Cholesky {
    pattern: Pattern,
    slots: Vec<Slots>,
    symbolic: SymbolicCholesky<usize>,
    values: Vec<f64>,
    l_values: Vec<f64>,
    mem: MemBuffer,
    /// `pos[node]`: the place of unknown `node` in the ordered system.
    pos: Vec<usize>,
    x: Vec<f64>,
}

impl Cholesky {
    /// Builds the pattern (in elimination order) and the symbolic
    /// factorisation. `n_free` must be at least 1.
    pub fn new(net: &Netlist, ends: &[Ends]) -> Result<Self, SolveError> {
        let n = net.n_free;
        // The nested-dissection order is applied to the unknowns'
        // numbering, so faer sees an already ordered matrix (identity
        // ordering) and does not permute the matrix on every numeric
        // factorisation. `pos[node] = place` in the ordered system.
        let nd = nested_dissection(net);
        let pos: Vec<usize> = match &nd {
            Some((_, inv)) => inv.clone(),
            None => (0..n).collect(),
        };
        let ordered: Vec<_> = ends
            .iter()
            .map(|&(a, b)| (a.map(|k| pos[k]), b.map(|k| pos[k])))
            .collect();
        let (pattern, slots) = Pattern::build(n, &ordered);
        // With the identity ordering faer's symbolic analysis reads the
        // upper triangle, so it gets the transposed pattern (the numeric
        // phase reads the lower one as stored).
        let upper = pattern.transpose();
        let (analysed, side, ordering) = match nd {
            Some(_) => (&upper, Side::Upper, SymmetricOrdering::Identity),
            None => (&pattern, Side::Lower, SymmetricOrdering::Amd),
        };
        let symbolic = factorize_symbolic_cholesky(
            SymbolicSparseColMatRef::new_checked(n, n, &analysed.col_ptr, None, &analysed.row_idx),
            side,
            ordering,
            symbolic_params(),
        )
        .map_err(|e| SolveError::Factor(format!("{e:?}")))?;
        let req = symbolic
            .factorize_numeric_llt_scratch::<f64>(Par::Seq, Default::default())
            .or(symbolic.solve_in_place_scratch::<f64>(1, Par::Seq));
        let mem =
            MemBuffer::try_new(req).map_err(|_| SolveError::Factor("out of memory".into()))?;
        Ok(Cholesky {
            values: vec![0.0; pattern.nnz()],
            l_values: vec![0.0; symbolic.len_val()],
            x: vec![0.0; n],
            pattern,
            slots,
            symbolic,
            mem,
            pos,
        })
    }

    /// Non-zeros of the Cholesky factor.
    pub fn factor_nnz(&self) -> usize {
        self.l_values.len()
    }

    /// Assembles `G` from the element conductances `g` (`keep_off(k)`
    /// false drops element `k`'s coupling), factorises it and solves
    /// `G x = rhs` (`rhs` and the result in netlist numbering).
    pub fn solve(
        &mut self,
        g: &[f64],
        keep_off: impl Fn(usize) -> bool,
        rhs: &[f64],
    ) -> Result<Vec<f64>, SolveError> {
        assemble(&mut self.values, &self.slots, g, keep_off);
        let n = self.pattern.n;
        let pattern = SymbolicSparseColMatRef::new_checked(
            n,
            n,
            &self.pattern.col_ptr,
            None,
            &self.pattern.row_idx,
        );
        let llt = self
            .symbolic
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
        for (node, &place) in self.pos.iter().enumerate() {
            self.x[place] = rhs[node];
        }
        llt.solve_in_place_with_conj(
            Conj::No,
            MatMut::from_column_major_slice_mut(&mut self.x, n, 1),
            Par::Seq,
            MemStack::new(&mut self.mem),
        );
        Ok(self.pos.iter().map(|&k| self.x[k]).collect())
    }
}

impl std::fmt::Debug for Cholesky {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cholesky")
            .field("nnz_lower", &self.pattern.nnz())
            .field("nnz_factor", &self.l_values.len())
            .finish()
    }
}
