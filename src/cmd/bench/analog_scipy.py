"""The same line-preconditioned CG as memforge's, in scipy: the outside
reference of `memforge bench analog` (a strong Python user's version).

Input (a folder from memforge): the linear system of one read, element by
element: ia.i32, ib.i32 (the unknowns an element joins, -1 for a source
terminal), g.f64 (conductances), dev.u8 (1 for a device), b.f64 (the
right-hand side) and x.f64 (memforge's solution, only compared).

Method: G assembled as CSR; M = G without the devices' couplings (their
conductance stays on the diagonal): the wire lines, a forest, factorised
by SuperLU with a minimum-degree order (no fill on a forest); conjugate
gradient preconditioned by M, to a relative residual of 1e-13.
Prints one JSON line: set-up and solve seconds, iterations, the largest
difference from memforge's node voltages.
"""

import json
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla


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
    lines = spla.splu(matrix(both & ~dev).tocsc(), permc_spec="MMD_AT_PLUS_A")
    precond = spla.LinearOperator((n, n), matvec=lines.solve, dtype=float)
    setup = time.perf_counter() - start

    iterations = [0]

    def count(_):
        iterations[0] += 1

    start = time.perf_counter()
    x, info = spla.cg(big_g, b, rtol=1e-13, atol=0.0, maxiter=5000, M=precond, callback=count)
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
