#!/usr/bin/python3
"""Reconstructs one dataset image with weights exported as .npz, using NumPy alone.

    /usr/bin/python3 tests/reference/npz_forward.py MODEL.npz DATASET.aeds.gz INDEX

Prints the 784 (C·H·W) output values, one line, comma-separated. An independent check of the
.npz export (engine/src/io/FORMAT.md): it reads the arrays by their documented names and
PyTorch layout, and the model config from `model_config`, and runs the MLP variants' forward
pass in evaluation mode (batch norm with its running statistics, no dropout; a VAE decodes μ).
tests/e2e/models.test.js compares the result with what the page shows for the same image.
"""
import gzip
import json
import struct
import sys

import numpy as np

ACT = {
    "relu": lambda v: np.maximum(v, 0),
    "leaky_relu": lambda v: np.where(v >= 0, v, 0.01 * v),
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
    "tanh": np.tanh,
    "identity": lambda v: v,
}


def read_image(path, index):
    data = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    magic, _version, count, h, w = struct.unpack_from("<4s4I", data, 0)
    if magic != b"AEDS" or not 0 <= index < count:
        sys.exit(f"{path}: not an AEDS file, or no image {index}")
    start = 48 + count + index * h * w
    return np.frombuffer(data, np.uint8, h * w, start).astype(np.float64) / 255


def stack(z, cfg, part, x, sizes, tail):
    """[Linear → (BatchNorm1d) → act → (Dropout)] per hidden width, then Linear → tail."""
    i = 0
    for k in range(len(sizes) - 1):
        W, b = z[f"{part}.{i}.weight"], z[f"{part}.{i}.bias"]  # torch.nn.Linear: (out, in)
        assert W.shape == (sizes[k + 1], sizes[k]), (part, i, W.shape)
        x = x @ W.T.astype(np.float64) + b
        i += 1
        if k == len(sizes) - 2:
            return tail(x)
        if cfg["batchnorm"]:
            p = f"{part}.{i}."
            x = (x - z[p + "running_mean"]) / np.sqrt(z[p + "running_var"] + 1e-5) * z[p + "weight"] + z[p + "bias"]
            i += 1
        x = ACT[cfg["activation"]](x)
        i += 1 + (cfg["dropout"] > 0)


def main():
    npz_path, data_path, index = sys.argv[1], sys.argv[2], int(sys.argv[3])
    z = np.load(npz_path)
    cfg = json.loads(str(z["model_config"]))
    if cfg["variant"] not in ("dense", "deep", "sparse", "denoising", "vae"):
        sys.exit(f"npz_forward.py handles the MLP variants, not '{cfg['variant']}'")
    D, Z, widths = int(np.prod(cfg["input"])), cfg["latent"], cfg["encoder"]
    vae = cfg["variant"] == "vae"
    x = read_image(data_path, index)
    code_act = ACT["identity" if vae else cfg.get("code_activation", "identity")]
    code = stack(z, cfg, "encoder", x, [D, *widths, 2 * Z if vae else Z], code_act)[:Z]  # VAE: μ
    y = stack(z, cfg, "decoder", code, [Z, *widths[::-1], D], ACT[cfg["output"]])
    print(",".join(f"{v:.9g}" for v in y))


if __name__ == "__main__":
    main()
