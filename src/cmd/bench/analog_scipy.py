"""The same line-preconditioned CG as memforge's, in scipy: the outside
reference of `memforge bench analog` (a strong Python user's version).

Input (a folder from memforge): the linear system of one read, element by
element: ia.i32, ib.i32 (the unknowns an element joins, -1 for a source
terminal), g.f64 (conductances), dev.u8 (1 for a device), b.f64 (the
right-hand side) and x.f64 (memforge's solution, only compared).

Method (memforge's): G assembled as CSR; M = G without the devices'
couplings (their conductance stays on the diagonal): the wire lines, a
forest, factorised by SuperLU with a minimum-degree order (no fill on a
forest). When the devices join only lines of two colours (row and column
lines), the larger colour A is eliminated exactly in every step and
conjugate gradient runs on the Schur complement S = B - C^T A^-1 C of the
other, preconditioned by its lines; otherwise CG on G preconditioned by M.
Both to a relative residual of 1e-13.
Prints one JSON line: set-up and solve seconds, iterations, the largest
difference from memforge's node voltages.
"""

import json
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csg
import scipy.sparse.linalg as spla


def two_colours(n_lines, a, b):
    """A colour per line (0/1) so that every device joins two colours, or
    None (a device inside one line, or an odd cycle)."""
    if np.any(a == b):
        return None
    graph = sp.csr_matrix((np.ones(a.size), (a, b)), shape=(n_lines, n_lines))
    graph = graph + graph.T
    colour = -np.ones(n_lines, dtype=int)
    for root in range(n_lines):
        if colour[root] >= 0:
            continue
        order, pred = csg.breadth_first_order(graph, root, directed=False)
        colour[root] = 0
        for v in order[1:]:
            colour[v] = 1 - colour[pred[v]]
    if np.any(colour[a] == colour[b]):
        return None
    return colour


def main(folder):
    ia = np.fromfile(f"{folder}/ia.i32", dtype="<i4")
    ib = np.fromfile(f"{folder}/ib.i32", dtype="<i4")
    g = np.fromfile(f"{folder}/g.f64", dtype="<f8")
    dev = np.fromfile(f"{folder}/dev.u8", dtype="u1").astype(bool)
    b = np.fromfile(f"{folder}/b.f64", dtype="<f8")
    ours = np.fromfile(f"{folder}/x.f64", dtype="<f8")
    n = b.size

    start = time.perf_counter()
    diag = np.zeros(n)
    for end in (ia, ib):
        free = end >= 0
        np.add.at(diag, end[free], g[free])
    both = (ia >= 0) & (ib >= 0)

    def matrix(keep):
        rows = np.concatenate([ia[keep], ib[keep], np.arange(n)])
        cols = np.concatenate([ib[keep], ia[keep], np.arange(n)])
        vals = np.concatenate([-g[keep], -g[keep], diag])
        return sp.csr_matrix((vals, (rows, cols)), shape=(n, n))

    big_g = matrix(both)
    lines_only = both & ~dev
    n_lines, line = csg.connected_components(matrix(lines_only), directed=False)
    d = both & dev
    colour = two_colours(n_lines, line[ia[d]], line[ib[d]])
    iterations = [0]

    def count(_):
        iterations[0] += 1

    if colour is None:
        lines = spla.splu(matrix(lines_only).tocsc(), permc_spec="MMD_AT_PLUS_A")
        precond = spla.LinearOperator((n, n), matvec=lines.solve, dtype=float)
        setup = time.perf_counter() - start
        start = time.perf_counter()
        x, info = spla.cg(big_g, b, rtol=1e-13, atol=0.0, maxiter=5000, M=precond, callback=count)
    else:
        first = colour[line] == 0
        if first.sum() * 2 < n:
            first = ~first
        a_idx, b_idx = np.flatnonzero(first), np.flatnonzero(~first)
        g_a = big_g[a_idx][:, a_idx].tocsc()
        g_b = big_g[b_idx][:, b_idx].tocsr()
        c = -big_g[a_idx][:, b_idx].tocsr()
        c_t = c.T.tocsr()
        lu_a = spla.splu(g_a, permc_spec="MMD_AT_PLUS_A")
        lu_b = spla.splu(g_b.tocsc(), permc_spec="MMD_AT_PLUS_A")
        nb = b_idx.size
        schur = spla.LinearOperator((nb, nb), matvec=lambda p: g_b @ p - c_t @ lu_a.solve(c @ p), dtype=float)
        precond = spla.LinearOperator((nb, nb), matvec=lu_b.solve, dtype=float)
        setup = time.perf_counter() - start
        start = time.perf_counter()
        rhs = b[b_idx] + c_t @ lu_a.solve(b[a_idx])
        x_b, info = spla.cg(schur, rhs, rtol=1e-13, atol=0.0, maxiter=5000, M=precond, callback=count)
        x = np.empty(n)
        x[b_idx] = x_b
        x[a_idx] = lu_a.solve(b[a_idx] + c @ x_b)
    solve = time.perf_counter() - start
    scale = max(np.abs(ours).max(), 1e-300)
    print(
        json.dumps(
            {
                "converged": info == 0,
                "setup_seconds": setup,
                "solve_seconds": solve,
                "seconds": setup + solve,
                "iterations": iterations[0],
                "max_rel_diff": float(np.abs(x - ours).max() / scale),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
