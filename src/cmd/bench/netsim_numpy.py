"""The numpy leg of `memforge bench netsim`: the same mapped network on the
same inputs, vectorised over the samples (what a numpy user would write).

Input (a folder from memforge, little-endian raw arrays + meta.json):
meta.json: tiles (rows, cols, threshold), reset ("zero"|"subtract"),
steps, drain, samples, inputs, neurons; levels_<t>.u16 (rows x cols, the
programmed cells); col_neuron_<t>.i32 (neuron of each column, -1 none);
fan_src.i32, fan_tile.i32, fan_row.i32 (one row per delivery: source id,
neurons first then inputs at neurons + k); spikes.u8 (samples x steps x
inputs, 1 where input k spikes in step s).

Semantics (docs/network_sim.md): in step s a tile takes the spikes
addressed to it in row order; a spike adds its row's levels to every
neuron (saturating at 65535), then every neuron at or above the threshold
fires once and resets (to 0 or by subtraction). Neuron spikes of step s
arrive in step s + 1. Several spikes on one row in one step are processed
one after another.

Prints one JSON line: seconds (best of --repeat), synaptic events
(deliveries times the destination tile's columns), per-neuron spike counts
summed over the samples (compared by memforge).
"""

import json
import sys
import time

import numpy as np


def load(d):
    meta = json.load(open(f"{d}/meta.json"))
    tiles = []
    for t, (rows, cols, th) in enumerate(meta["tiles"]):
        lv = np.fromfile(f"{d}/levels_{t}.u16", dtype="<u2").reshape(rows, cols).astype(np.int32)
        cn = np.fromfile(f"{d}/col_neuron_{t}.i32", dtype="<i4")
        tiles.append((rows, cols, th, lv, cn))
    src = np.fromfile(f"{d}/fan_src.i32", dtype="<i4")
    til = np.fromfile(f"{d}/fan_tile.i32", dtype="<i4")
    row = np.fromfile(f"{d}/fan_row.i32", dtype="<i4")
    b, s, k = meta["samples"], meta["steps"], meta["inputs"]
    spikes = np.fromfile(f"{d}/spikes.u8", dtype="u1").reshape(b, s, k).astype(np.int32)
    return meta, tiles, (src, til, row), spikes


def run(meta, tiles, fan, spikes):
    b = meta["samples"]
    n = meta["neurons"]
    subtract = meta["reset"] == "subtract"
    src, til, row = fan
    # Per tile: a (sources -> rows) routing matrix, so one matmul turns the
    # step's spike counts into per-row event counts.
    route = []
    for t, (rows, cols, th, lv, cn) in enumerate(tiles):
        m = np.zeros((n + meta["inputs"], rows), dtype=np.int32)
        sel = til == t
        m[src[sel], row[sel]] = 1
        route.append(m)
    v = [np.zeros((b, cols), dtype=np.int32) for (rows, cols, th, lv, cn) in tiles]
    counts = np.zeros((b, n), dtype=np.int64)
    prev = np.zeros((b, n), dtype=np.int32)
    syn = 0
    for s in range(meta["steps"] + meta["drain"]):
        if s >= meta["steps"] and not prev.any():
            break
        inp = spikes[:, s, :] if s < meta["steps"] else np.zeros((b, meta["inputs"]), np.int32)
        srcs = np.concatenate([prev, inp], axis=1)
        fired = np.zeros((b, n), dtype=np.int32)
        for t, (rows, cols, th, lv, cn) in enumerate(tiles):
            ev = srcs @ route[t]  # (b, rows) events per row
            syn += int(ev.sum()) * cols
            vt = v[t]
            out = np.zeros((b, cols), dtype=np.int32)
            for r in np.nonzero(ev.any(axis=0))[0]:
                for k in range(int(ev[:, r].max())):
                    act = (ev[:, r] > k)[:, None]
                    vt = np.where(act, np.minimum(vt + lv[r], 65535), vt)
                    f = act & (vt >= th)
                    vt = np.where(f, vt - th if subtract else 0, vt)
                    out += f
            v[t] = vt
            have = cn >= 0
            np.add.at(fired.T, cn[have], out[:, have].T)
        counts += fired
        prev = fired
    return syn, counts


def main():
    d = sys.argv[1]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    meta, tiles, fan, spikes = load(d)
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        syn, counts = run(meta, tiles, fan, spikes)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    print(json.dumps({
        "seconds": best,
        "synaptic_events": syn,
        "counts": counts.sum(axis=0).tolist(),
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
