#!/usr/bin/python3
"""The labelled training images of the feature probe's label budgets, exactly as the anchors'
protocol draws them (../shared/reference/applications-anchors.md, item 3):

    train_test_split(arange(60000), train_size=n, stratify=y_train, random_state=0)[0]

The engine's own stratified sample (engine/src/data/label_budget.cpp) draws different images with
the same class shares; with 100 labels, which 100 images is worth a few points of accuracy, so
`npm run applications` passes these lists to `ae probe --label-file` to compare like with like.

Rerun (Debian's python3-numpy and python3-sklearn; only to regenerate, never to test):

    /usr/bin/python3 tests/reference/make_label_budgets.py

It rewrites tests/reference/label-budgets-mnist.txt (committed): one line per budget,
"n: i1 i2 …" with the indices into the training split in ascending order.
"""
import gzip
import os
import struct

import numpy as np
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
BUDGETS = [100, 1000, 10000]


def train_labels(name):
    raw = gzip.open(os.path.join(ROOT, "web", "public", "data", f"{name}-train.aeds.gz"), "rb").read()
    magic, version, n, _h, _w, _classes = struct.unpack_from("<4sIIIII", raw, 0)
    assert magic == b"AEDS" and version == 1
    return np.frombuffer(raw, np.uint8, n, 48)


def main():
    y = train_labels("mnist")
    assert len(y) == 60000, len(y)
    lines = []
    for n in BUDGETS:
        chosen = train_test_split(np.arange(len(y)), train_size=n, stratify=y, random_state=0)[0]
        lines.append(f"{n}: " + " ".join(str(i) for i in sorted(chosen.tolist())))
    with open(os.path.join(HERE, "label-budgets-mnist.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
