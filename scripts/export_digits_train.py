#!/usr/bin/env python3
"""Exports the training half of scikit-learn's 8x8 digits for the e-prop
demo (`memforge learn examples/eprop-digits.toml`, docs/learning_eprop.md).

One-off (CI never runs it): the data set ships inside scikit-learn
(`sklearn.datasets.load_digits`, 1,797 digits, no download). The split is
exactly the one of scripts/train_digits.py (seed 42, 400 test digits,
stratified), so the 400 test digits are the existing
examples/digits/test_pixels.npy / test_labels.npy (checked here) and the
other 1,397 are written as examples/digits/train_pixels.npy (u8, 1397 x
16: the digit averaged to 4x4, 0..16, as `pool4` there) and
train_labels.npy (u8, 1397 x 1).

    pip install --user scikit-learn numpy
    python3 scripts/export_digits_train.py
"""
import os
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

sys.path.insert(0, os.path.dirname(__file__))
from train_digits import pool4  # noqa: E402  (the same 4x4 averaging)

OUT = os.path.join(os.path.dirname(__file__), "..", "examples", "digits")


def main():
    d = load_digits()
    x = pool4(d.images.reshape(-1, 64))
    xtr, xte, ytr, yte = train_test_split(
        x, d.target, test_size=400, random_state=42, stratify=d.target
    )
    old_x = np.load(os.path.join(OUT, "test_pixels.npy"))
    old_y = np.load(os.path.join(OUT, "test_labels.npy")).reshape(-1)
    if not (np.array_equal(old_x, xte) and np.array_equal(old_y, yte)):
        sys.exit("the split differs from examples/digits/test_*.npy")
    np.save(os.path.join(OUT, "train_pixels.npy"), xtr.astype(np.uint8))
    np.save(os.path.join(OUT, "train_labels.npy"), ytr.astype(np.uint8).reshape(-1, 1))
    print(f"wrote {len(xtr)} training digits to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
