//! The lower-triangular CSC sparsity pattern of a crossbar's conductance
//! matrix, as faer's sparse Cholesky reads it, and the slots each element
//! stamps into (so re-stamping is one pass with no searching).

/// Marks a slot that does not exist (the terminal is a source, or the
/// element is left out of this pattern).
pub const NONE: usize = usize::MAX;

/// The unknowns an element joins (`None`: a terminal that is a source).
pub type Ends = (Option<usize>, Option<usize>);

/// A square CSC sparsity pattern with sorted, unique row indices.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub n: usize,
    pub col_ptr: Vec<usize>,
    pub row_idx: Vec<usize>,
}

/// Where one two-terminal element stamps its conductance `g`: `+g` at
/// `diag_a` and `diag_b`, `-g` at `off`.
#[derive(Clone, Copy, Debug)]
pub struct Slots {
    pub diag_a: usize,
    pub diag_b: usize,
    pub off: usize,
}

impl Pattern {
    /// The lower triangle of an `n x n` symmetric matrix with a full
    /// diagonal and one off-diagonal entry per element joining two distinct
    /// unknowns, plus every element's slots. Built in O(nnz): count, fill,
    /// then sort and dedup each column's handful of rows.
    ///
    /// `ends[k]`: the unknowns (already renumbered) element `k` joins.
    pub fn build(n: usize, ends: &[Ends]) -> (Pattern, Vec<Slots>) {
        let pair = |k: usize| match ends[k] {
            (Some(a), Some(b)) if a != b => Some((a.max(b), a.min(b))),
            _ => None,
        };
        // (row, col) entries beyond the diagonal, per column.
        let mut count = vec![1usize; n];
        for k in 0..ends.len() {
            if let Some((_, lo)) = pair(k) {
                count[lo] += 1;
            }
        }
        let mut start = vec![0usize; n + 1];
        for c in 0..n {
            start[c + 1] = start[c] + count[c];
        }
        let mut rows_of = vec![0usize; start[n]];
        let mut fill = start.clone();
        for c in 0..n {
            rows_of[fill[c]] = c;
            fill[c] += 1;
        }
        for k in 0..ends.len() {
            if let Some((hi, lo)) = pair(k) {
                rows_of[fill[lo]] = hi;
                fill[lo] += 1;
            }
        }
        let mut col_ptr = vec![0usize; n + 1];
        let mut row_idx = Vec::with_capacity(rows_of.len());
        for c in 0..n {
            let col = &mut rows_of[start[c]..start[c + 1]];
            col.sort_unstable();
            let before = row_idx.len();
            for (m, &r) in col.iter().enumerate() {
                if m == 0 || col[m - 1] != r {
                    row_idx.push(r);
                }
            }
            col_ptr[c + 1] = col_ptr[c] + (row_idx.len() - before);
        }
        let pattern = Pattern {
            n,
            col_ptr,
            row_idx,
        };
        let slots = (0..ends.len())
            .map(|k| {
                let (a, b) = ends[k];
                let diag = |t: Option<usize>| t.map_or(NONE, |i| pattern.find(i, i));
                Slots {
                    diag_a: diag(a),
                    diag_b: diag(b),
                    off: pair(k).map_or(NONE, |(hi, lo)| pattern.find(lo, hi)),
                }
            })
            .collect();
        (pattern, slots)
    }

    /// Position of entry (`row`, `col`) in the value array. Only called for
    /// entries the builder put in, so the search always succeeds.
    fn find(&self, col: usize, row: usize) -> usize {
        let start = self.col_ptr[col];
        let range = &self.row_idx[start..self.col_ptr[col + 1]];
        start + range.binary_search(&row).unwrap_or(0)
    }

    /// Stored entries.
    pub fn nnz(&self) -> usize {
        self.row_idx.len()
    }

    /// The transpose of this pattern (sorted columns too).
    pub fn transpose(&self) -> Pattern {
        let n = self.n;
        let mut ptr = vec![0usize; n + 1];
        for &r in &self.row_idx {
            ptr[r + 1] += 1;
        }
        for k in 0..n {
            ptr[k + 1] += ptr[k];
        }
        let mut fill = ptr.clone();
        let mut idx = vec![0usize; self.row_idx.len()];
        for c in 0..n {
            for &r in &self.row_idx[self.col_ptr[c]..self.col_ptr[c + 1]] {
                idx[fill[r]] = c;
                fill[r] += 1;
            }
        }
        Pattern {
            n,
            col_ptr: ptr,
            row_idx: idx,
        }
    }
}

/// Adds each element's conductance `g[k]` at its slots; `keep_off(k)`
/// false leaves element `k`'s off-diagonal entries out (the diagonal keeps
/// it). `values` is zeroed first.
pub fn assemble(values: &mut [f64], slots: &[Slots], g: &[f64], keep_off: impl Fn(usize) -> bool) {
    values.iter_mut().for_each(|x| *x = 0.0);
    for (k, (s, &g)) in slots.iter().zip(g).enumerate() {
        if s.diag_a != NONE {
            values[s.diag_a] += g;
        }
        if s.diag_b != NONE {
            values[s.diag_b] += g;
        }
        if s.off != NONE && keep_off(k) {
            values[s.off] -= g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dense matrix from a pattern and its values.
    fn dense(p: &Pattern, v: &[f64]) -> Vec<Vec<f64>> {
        let mut m = vec![vec![0.0; p.n]; p.n];
        for (c, w) in p.col_ptr.windows(2).enumerate() {
            for e in w[0]..w[1] {
                m[p.row_idx[e]][c] += v[e];
            }
        }
        m
    }

    #[test]
    fn the_lower_triangle_holds_the_matrix() {
        // 0 -- 1 -- 2, a source at 0, a parallel pair 1 -- 2.
        let ends = [
            (None, Some(0)),
            (Some(0), Some(1)),
            (Some(1), Some(2)),
            (Some(2), Some(1)),
        ];
        let g = [1.0, 2.0, 3.0, 5.0];
        let (lower, slots) = Pattern::build(3, &ends);
        let mut v = vec![0.0; lower.nnz()];
        assemble(&mut v, &slots, &g, |_| true);
        let l = dense(&lower, &v);
        let expect = [[3.0, -2.0, 0.0], [-2.0, 10.0, -8.0], [0.0, -8.0, 8.0]];
        for i in 0..3 {
            for j in 0..3 {
                let want = if i >= j { expect[i][j] } else { 0.0 };
                assert_eq!(l[i][j], want, "({i},{j})");
            }
        }
        // Dropping element 1's coupling keeps its diagonal.
        assemble(&mut v, &slots, &g, |k| k != 1);
        let d = dense(&lower, &v);
        assert_eq!((d[1][0], d[0][0], d[1][1]), (0.0, 3.0, 10.0));
        let t = lower.transpose();
        assert_eq!(t.col_ptr, vec![0, 1, 3, 5]);
        assert_eq!(t.row_idx, vec![0, 0, 1, 1, 2]);
    }
}
