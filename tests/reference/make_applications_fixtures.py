#!/usr/bin/python3
"""Reference values from NumPy, SciPy, scikit-learn and scikit-image for the applications lab's
engine tests (tests/engine/test_applications_reference.cpp).

Rerun (needs Debian's python3-numpy, python3-scipy, python3-sklearn, python3-skimage; only to
regenerate, never to test):

    /usr/bin/python3 tests/reference/make_applications_fixtures.py

It rewrites tests/engine/fixtures/applications.json, which is committed: the doctest suite reads it
natively and as WASM, without Python. Output is deterministic (fixed seeds). Every input is float32
(written with repr of the float32 value) so both sides start from the same numbers.

  roc          scores with ties and labels → sklearn roc_auc_score, roc_curve (drop_intermediate
               False), precision_recall_curve's best F1 (argmax over thresholds, flag score >= t)
  quality      pairs of 28x28 images in [0, 1] → skimage peak_signal_noise_ratio (data_range 1) and
               structural_similarity(data_range=1, gaussian_weights=True, sigma=1.5,
               use_sample_covariance=False)
  pca          X (N, D) → mean, top-k eigenvectors of (X-mean)^T (X-mean) by numpy.linalg.eigh
               (float64), sign as the engine's convention (largest |entry| positive), the
               reconstruction mean + (x-mean) V^T V of test rows (unclipped), eigenvalues / (N-1)
  probe        LogisticRegression(C, lbfgs, multinomial, tol 1e-10, max_iter 100000) after a
               StandardScaler fitted on the training rows: coef_, intercept_, test probabilities
  knn          KNeighborsClassifier(5, brute, uniform) predictions
  quantize     codes, per-dimension train min/max, q = clip(round((z-lo)/(hi-lo)*255), 0, 255),
               decoded lo + q (hi-lo)/255, all float32 as the anchors' protocol
"""
import json
import os

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve, roc_auc_score, roc_curve
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

OUT = os.path.join(os.path.dirname(__file__), "..", "engine", "fixtures", "applications.json")


def f32(a):
    return np.asarray(a, dtype=np.float32)


def flat(a):
    a = np.asarray(a)
    if a.dtype == np.float32:  # shortest text that reads back as the same float32
        return [float(np.format_float_positional(v, unique=True)) for v in a.ravel()]
    return [float(v) for v in a.ravel()]


def roc_case(rng):
    n = 300
    labels = (rng.random(n) < 0.3).astype(np.uint8)
    # scores on a coarse grid so that many tie, positives a little higher
    scores = f32(np.round(rng.normal(size=n) + 0.8 * labels, 1))
    auc = roc_auc_score(labels, scores)
    fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=False)
    p, r, t = precision_recall_curve(labels, scores)
    f1 = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-300), 0)[:-1]
    best = int(np.argmax(f1))
    return {
        "scores": flat(scores), "labels": [int(v) for v in labels], "auc": float(auc),
        "fpr": flat(fpr), "tpr": flat(tpr), "thresholds": flat(thr[1:]),
        "best_f1": {"threshold": float(t[best]), "f1": float(f1[best]), "precision": float(p[best]), "recall": float(r[best])},
    }


def quality_cases(rng):
    cases = []
    yy, xx = np.mgrid[0:28, 0:28]
    blob = np.exp(-((yy - 14) ** 2 + (xx - 12) ** 2) / 30.0)
    for i in range(6):
        if i == 0:
            a = blob
            b = blob
        elif i == 1:
            a = blob
            b = np.clip(blob + rng.normal(scale=0.05, size=blob.shape), 0, 1)
        elif i == 2:
            a = rng.random((28, 28))
            b = rng.random((28, 28))
        elif i == 3:
            a = (rng.random((28, 28)) > 0.8).astype(float)
            b = np.clip(a * 0.7 + 0.1, 0, 1)
        elif i == 4:
            a = blob
            b = np.roll(blob, 2, axis=1)
        else:
            a = np.zeros((28, 28))
            b = np.full((28, 28), 0.01)
        a, b = f32(a), f32(b)
        psnr = 100.0 if np.all(a == b) else min(100.0, float(peak_signal_noise_ratio(a.astype(np.float64), b.astype(np.float64), data_range=1.0)))
        ssim = structural_similarity(a.astype(np.float64), b.astype(np.float64), data_range=1.0,
                                     gaussian_weights=True, sigma=1.5, use_sample_covariance=False)
        cases.append({"x": flat(a), "y": flat(b), "psnr": psnr, "ssim": float(ssim)})
    return cases


def orient(v):  # rows: largest |entry| positive (first on a tie)
    v = v.copy()
    for i in range(v.shape[0]):
        j = int(np.argmax(np.abs(v[i])))
        if v[i, j] < 0:
            v[i] = -v[i]
    return v


def pca_case(rng):
    n, d, k = 240, 24, 5
    basis = rng.normal(size=(d, d))
    scales = np.linspace(3.0, 0.1, d)
    x = f32(0.5 + (rng.normal(size=(n, d)) * scales) @ basis / 10.0)
    test = f32(0.5 + (rng.normal(size=(7, d)) * scales) @ basis / 10.0)
    xd = x.astype(np.float64)
    mean = xd.mean(axis=0)
    c = xd - mean
    w, v = np.linalg.eigh(c.T @ c)
    order = np.argsort(w)[::-1]
    w, v = w[order], v[:, order]
    comps = orient(v[:, :k].T)
    recon = mean + (test.astype(np.float64) - mean) @ comps.T @ comps
    coeffs = (test.astype(np.float64) - mean) @ comps.T
    return {"n": n, "d": d, "k": k, "x": flat(x), "test": flat(test), "mean": flat(mean), "components": flat(comps),
            "variance": flat(w[:k] / (n - 1)), "total_variance": float(np.trace(c.T @ c) / (n - 1)),
            "coefficients": flat(coeffs), "reconstruction": flat(recon)}


def probe_case(rng, C):
    n, f, k = 150, 6, 3
    centers = rng.normal(scale=1.5, size=(k, f))
    y = np.arange(n) % k
    x = f32(centers[y] + rng.normal(size=(n, f)) * np.array([1, 2, 0.5, 1, 3, 1]) + np.array([0, 5, -2, 0, 1, 0]))
    yt = np.arange(40) % k
    xt = f32(centers[yt] + rng.normal(size=(40, f)) * np.array([1, 2, 0.5, 1, 3, 1]) + np.array([0, 5, -2, 0, 1, 0]))
    scaler = StandardScaler().fit(x)
    clf = LogisticRegression(C=C, solver="lbfgs", multi_class="multinomial", tol=1e-10, max_iter=100000)
    clf.fit(scaler.transform(x), y)
    prob = clf.predict_proba(scaler.transform(xt))
    return {"n": n, "f": f, "classes": k, "C": C, "x": flat(x), "y": [int(v) for v in y], "test": flat(xt),
            "coef": flat(clf.coef_.T), "intercept": flat(clf.intercept_), "test_prob": flat(prob),
            "test_pred": [int(v) for v in clf.predict(scaler.transform(xt))],
            "scaler_mean": flat(scaler.mean_), "scaler_scale": flat(scaler.scale_)}


def knn_case(rng):
    r, f, q = 200, 5, 60
    ref = f32(rng.normal(size=(r, f)))
    labels = (rng.random(r) * 4).astype(np.int64)
    queries = f32(rng.normal(size=(q, f)))
    clf = KNeighborsClassifier(5, algorithm="brute").fit(ref, labels)
    return {"r": r, "f": f, "q": q, "classes": 4, "ref": flat(ref), "labels": [int(v) for v in labels],
            "queries": flat(queries), "pred": [int(v) for v in clf.predict(queries)]}


def quantize_case(rng):
    train = f32(rng.normal(size=(50, 4)) * np.array([1, 3, 0.1, 2]))
    train[:, 3] = 0.25  # a constant dimension
    codes = f32(rng.normal(size=(9, 4)) * np.array([1.5, 3, 0.1, 2]))
    lo, hi = train.min(axis=0), train.max(axis=0)
    span = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.clip(np.round((codes - lo) / span * np.float32(255)), 0, 255)
    q = np.where(span > 0, q, 0).astype(np.uint8)
    dec = lo + q.astype(np.float32) * (hi - lo) / np.float32(255)
    return {"train": flat(train), "codes": flat(codes), "z": 4, "lo": flat(lo), "hi": flat(hi),
            "q": [int(v) for v in q.ravel()], "decoded": flat(dec)}


def main():
    rng = np.random.default_rng(20261123)
    out = {
        "roc": roc_case(rng),
        "quality": quality_cases(rng),
        "pca": pca_case(rng),
        "probe": [probe_case(rng, 1.0), probe_case(rng, 0.05)],
        "knn": knn_case(rng),
        "quantize": quantize_case(rng),
    }
    with open(OUT, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")
    print("wrote", os.path.relpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
