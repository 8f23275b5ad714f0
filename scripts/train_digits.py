#!/usr/bin/env python3
"""Trains the spiking digits network of examples/digits/ (issue #15 part 3).

One-off: exports scikit-learn's 8x8 digits (shipped in the package, no
download), trains with the Mosaic constraints and writes what memforge
needs; CI never runs it. Requires numpy and scikit-learn:

    pip install --user scikit-learn numpy
    python3 scripts/train_digits.py            # writes examples/digits/

The network is shaped by the 2x2 Mosaic array of 8x8 tiles with 8 lines
per direction (examples/digits/array.toml): a tile receives at most 8
sources (one per in-line = crossbar row), a first-row tile at most 8
inputs from its north edge router, and at most 8 of a tile's neurons
send off-tile. So:

- inputs: the digit averaged to 4x4 (16 pixels, 0..16), pixel p sends
  exactly p spikes in 16 steps (deterministic rate code: a spike at step
  t when floor((t+1) p / 16) > floor(t p / 16));
- tile (0,0): 8 hidden neurons n0..n7 on the top two pixel rows; tile
  (0,1): n8..n15 on the bottom two;
- tile (1,0): classes 0..4 on n16..n20; tile (1,1): classes 5..9 on
  n24..n28 (n21..n23, n29..n31 are unused columns);
- each output tile receives at most 8 hidden neurons: routing-aware
  pruning keeps, per output tile, the 8 hidden sources with the largest
  penalised weight.

Tile semantics trained for (docs/network_sim.md): offset encoding, the
cell of a routed (source, tile) pair holds level round((w/w_max+1)/2*63)
(w = 0 is level 32 and still adds), a pair not routed adds nothing; an
IF neuron (no leak, no refractory, subtract reset) with threshold >= 63
fires floor(total / threshold) times, whatever the order of its events.
The forward pass uses those counts (straight-through gradient of floor).

Constraints from Mosaic (EIS-Hub/Mosaic train.py, routing-aware_training):
small-world penalty lambda * mean(M * W^2), M = exp(beta * hops) - 1 with
Mosaic's hop counts (adjacent 1, diagonal 3); weight noise injection
(sigma = 5 % of max |W| on non-zero weights, each step); clip to +-1;
magnitude pruning; fine-tuning with the pruning mask.
"""
import argparse
import json
import os

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

L = 63  # largest ADC code of the 6-bit tile
STEPS = 16
TILE = 8
N = 32
HIDDEN = [list(range(0, 8)), list(range(8, 16))]  # per top tile
OUTPUTS = list(range(16, 21)) + list(range(24, 29))  # class k -> neuron
OUT_TILE = [2] * 5 + [3] * 5  # tile index of class k's neuron
HOPS = {(0, 2): 1, (0, 3): 3, (1, 2): 3, (1, 3): 1}  # Mosaic hop counts


def pool4(x8):
    """8x8 digits (0..16) to 4x4, 0..16."""
    x = x8.reshape(-1, 4, 2, 4, 2).mean(axis=(2, 4))
    return np.rint(x).astype(np.uint8).reshape(-1, 16)


def levels(w, w_max):
    return np.rint((w / w_max + 1.0) / 2.0 * L)


def effective(w, route, w_max, quantized):
    """Level units the tile adds per spike: offset-encoded, 0 when unrouted."""
    e = levels(w, w_max) if quantized else (w / w_max + 1.0) / 2.0 * L
    return e * route


def routes(w_in, w_hid):
    """route masks (source -> target neuron) as the mapper routes them: a
    source reaches every neuron of a tile holding one of its targets."""
    r_in = np.zeros_like(w_in)
    for k in range(16):
        for t in range(2):
            if np.any(w_in[k, HIDDEN[t]] != 0):
                r_in[k, HIDDEN[t]] = 1
    r_h = np.zeros_like(w_hid)
    for h in range(16):
        for t in (2, 3):
            cols = [o for o, tt in enumerate(OUT_TILE) if tt == t]
            if np.any(w_hid[h, cols] != 0):
                r_h[h, cols] = 1
    return r_in, r_h


def forward(x, w_in, w_hid, th, quantized, w_max=None):
    """Spike counts (hidden, output) of the IF network; x: input counts."""
    if w_max is None:
        w_max = max(np.abs(w_in).max(), np.abs(w_hid).max())
    r_in, r_h = routes(w_in, w_hid)
    a_h = x @ effective(w_in, r_in, w_max, quantized)
    c_h = np.floor(a_h / th[0])
    a_o = c_h @ effective(w_hid, r_h, w_max, quantized)
    return a_h, c_h, a_o, np.floor(a_o / th[1])


def train(xtr, ytr, args, rng):
    w_in = np.zeros((16, 16))
    in_mask = np.zeros((16, 16))
    for t in range(2):
        in_mask[8 * t:8 * t + 8, HIDDEN[t]] = 1  # pixel rows 0-1 / 2-3
    w_in = rng.uniform(-args.init, args.init, (16, 16)) * in_mask
    w_hid = rng.uniform(-args.init, args.init, (16, 10))
    hop = np.array([[HOPS[(h // 8, OUT_TILE[k])] for k in range(10)] for h in range(16)])
    pen = np.minimum(np.exp(args.beta * hop) - 1, np.exp(15))
    hid_mask = np.ones_like(w_hid)
    th = np.array(args.thresholds, dtype=float)
    params = [w_in, w_hid]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    onehot = np.eye(10)[ytr]
    step = 0
    for phase, epochs in (("train", args.epochs), ("finetune", args.finetune)):
        if phase == "finetune":
            # Routing-aware pruning: both output tiles receive the same 8
            # hidden sources (a tile takes at most 8; one shared set keeps
            # the offset encoding's common mode equal for all classes):
            # those of largest penalised weight. Then small weights.
            score = (np.abs(w_hid) / (1 + pen)).sum(axis=1)
            hid_mask[np.argsort(score)[:-TILE], :] = 0
            in_mask[np.abs(w_in) < args.prune] = 0
        for _ in range(epochs):
            step += 1
            wi, wh = w_in * in_mask, w_hid * hid_mask
            # Noise injection on the non-zero weights.
            s = args.noise * max(np.abs(wi).max(), np.abs(wh).max())
            wi_n = (wi + rng.normal(0, s, wi.shape)) * in_mask
            wh_n = (wh + rng.normal(0, s, wh.shape)) * hid_mask
            # Forward in float (w_max fixed at 1: the export clips to +-1
            # and pins one weight at 1).
            r_in = np.zeros_like(wi)
            for t in range(2):
                r_in[:, HIDDEN[t]] = in_mask[:, HIDDEN[t]].max(axis=1, keepdims=True)
            r_h = np.zeros_like(wh)
            for t in (2, 3):
                cols = [k for k in range(10) if OUT_TILE[k] == t]
                r_h[:, cols] = hid_mask[:, cols].max(axis=1, keepdims=True)
            # Within a routed row a pruned weight is level 32, not absent.
            e_in = (wi_n + 1) / 2 * L * r_in
            e_h = (wh_n + 1) / 2 * L * r_h
            a_h = xtr @ e_in
            c_h = np.floor(a_h / th[0])
            a_o = c_h @ e_h
            logits = a_o / th[1] * args.temp
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            g_logits = (p - onehot) / len(xtr) * args.temp / th[1]
            g_eh = c_h.T @ g_logits
            g_ch = g_logits @ e_h.T
            g_ah = g_ch / th[0]  # straight-through floor
            g_ein = xtr.T @ g_ah
            g_wi = g_ein * L / 2 * r_in
            g_wh = g_eh * L / 2 * r_h
            g_wh += args.lam * 2 * pen * wh / wh.size
            for i, g in enumerate((g_wi, g_wh)):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                mh = m[i] / (1 - 0.9 ** step)
                vh = v[i] / (1 - 0.999 ** step)
                params[i] -= args.lr * mh / (np.sqrt(vh) + 1e-8)
                np.clip(params[i], -1, 1, out=params[i])
    return w_in * in_mask, w_hid * hid_mask


def to_network(w_in, w_hid):
    """The 16 x 32 input and 32 x 32 recurrent matrices memforge maps."""
    inp = np.zeros((16, N), dtype=np.float32)
    inp[:, :16] = w_in
    rec = np.zeros((N, N), dtype=np.float32)
    for k, o in enumerate(OUTPUTS):
        rec[:16, o] = w_hid[:, k]
    return inp, rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "examples", "digits"))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--finetune", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=0.005)
    ap.add_argument("--lam", type=float, default=0.01, help="small-world penalty weight")
    ap.add_argument("--beta", type=float, default=1.0, help="exp(beta * hops) - 1")
    ap.add_argument("--noise", type=float, default=0.05)
    ap.add_argument("--prune", type=float, default=0.05)
    ap.add_argument("--init", type=float, default=1.0)
    ap.add_argument("--temp", type=float, default=1.0)
    ap.add_argument("--thresholds", type=float, nargs=2, default=[64, 64])
    ap.add_argument("--test", type=int, default=400)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    d = load_digits()
    x = pool4(d.images.reshape(-1, 64))
    xtr, xte, ytr, yte = train_test_split(
        x, d.target, test_size=args.test, random_state=args.seed, stratify=d.target
    )
    w_in, w_hid = train(xtr.astype(float), ytr, args, rng)
    # Pin w_max at exactly 1 (the mapper scales by the largest |w|).
    big = np.unravel_index(np.argmax(np.abs(w_hid)), w_hid.shape)
    w_hid[big] = np.sign(w_hid[big])
    inp, rec = to_network(w_in, w_hid)
    th = args.thresholds
    res = {}
    for name, q in (("float", False), ("quantized", True)):
        _, _, _, c_o = forward(xte.astype(float), w_in, w_hid, th, q)
        res[name] = float((c_o.argmax(axis=1) == yte).mean())
        _, _, _, c_tr = forward(xtr.astype(float), w_in, w_hid, th, q)
        res[name + "_train"] = float((c_tr.argmax(axis=1) == ytr).mean())
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "input.npy"), inp)
    np.save(os.path.join(out, "recurrent.npy"), rec)
    np.save(os.path.join(out, "test_pixels.npy"), xte.astype(np.uint8))
    np.save(os.path.join(out, "test_labels.npy"), yte.astype(np.uint8).reshape(-1, 1))
    _, _, _, c_o = forward(xte.astype(float), w_in, w_hid, th, True)
    np.save(os.path.join(out, "expected_counts.npy"), c_o[:, :].astype(np.uint16))
    summary = {
        "args": vars(args) | {"out": "examples/digits"},
        "train_samples": int(len(xtr)),
        "test_samples": int(len(xte)),
        "accuracy_python": res,
        "routed_hidden_to_output": int(np.count_nonzero(np.abs(w_hid).sum(axis=1) > 0)),
    }
    with open(os.path.join(out, "training.json"), "w") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(summary, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
