#!/usr/bin/python3
"""PyTorch reference runs for the quality figures in README.md (issue 3).

Trains the same models as `npm run quality` does with our engine, on the same prepared data
files (web/public/data/*.aeds.gz, made by datasets/prepare.mjs), and prints the same kind of
machine-readable line per model and dataset:

    quality model=seed dataset=mnist epochs=10 train_bce=… test_bce=… engine=torch

Models (architectures mirror engine/src/models, see the config schema in README.md):
  seed       784-400-20-400-784, ReLU, sigmoid, BCE summed over pixels, Adam 1e-3, batch 128
  vae        PyTorch's own example (pytorch/examples vae/main.py): 784-400-(20 μ, 20 log σ²),
             decoder 20-400-784, loss BCE sum + KL, same optimiser; test loss samples z, like
             the example
  conv       Conv(1→32,3,s2,p1)-ReLU-Conv(32→64,3,s2,p1)-ReLU-Flatten-Linear(3136→20) and the
             mirrored decoder with ConvTranspose(k3,s2,p1,output_padding 1)
  denoising  the seed model trained on inputs with Gaussian noise σ=0.5 (clipped to [0,1]);
             reported: BCE of reconstructions of noisy test images against the clean images,
             for this model and for the plain seed model
  sequence   nn.GRU(28→128) reads the 28 rows, its last state → Linear(128→20) = the code; the
             decoder feeds the code at every step to nn.GRU(20→128), Linear(128→28) per step
             writes each row (logits); BCE sum, Adam 1e-3, batch 128
  aae        the adversarial autoencoder: the seed model's layers with a 2-D code, a discriminator
             Linear(2→128)-ReLU-Linear(128→128)-ReLU-Linear(128→1) on the code, the prior a mixture
             of ten Gaussians on a circle (engine/src/models/prior.hpp); each step: reconstruction
             (Adam on encoder+decoder), discriminator (Adam: prior samples vs codes), generator
             (Adam on the encoder: fool it), as train/adversarial_step.hpp; also reported:
             test_prior_loglik, the mean log-density of the test codes under the prior

Needs Debian's python3-torch and python3-numpy; only used to produce reference figures, never at
run time or in `npm test`. Debian's torch links the reference BLAS (slow); for speed, point
LD_LIBRARY_PATH at an OpenBLAS build (see /work/shared/reference/performance-anchors.md §4).

Usage: /usr/bin/python3 tests/reference/torch_quality.py [--models seed,vae,conv,denoising,sequence,aae]
       [--datasets mnist,fashion-mnist] [--epochs 10] [--seed 1] [--threads 1] [--engine-draws]

--engine-draws (sequence only) starts PyTorch from the engine's own random draws for --seed: its
initial weights (the engine's generator, engine/src/core/rng.hpp, ported in engine_rng.py,
drawing every parameter in the engine's order and layout) and its batch order (the same generator's
shuffle each epoch, Trainer::start_epoch). The recurrent AE's 10-epoch figure depends on those draws
by more than its 2 % bar (it sits on a plateau for a few epochs and leaves it at a time set by
them), so the bar compares the two implementations from the same draws; `ae train --seed N` and
`torch_quality.py --models sequence --seed N --engine-draws` then do the same arithmetic on the
same numbers, and the figures differ only by floating-point rounding.
"""
import argparse
import gzip
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from engine_rng import EngineRng  # beside this script

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def load_aeds(name, split):
    path = os.path.join(ROOT, "web", "public", "data", f"{name}-{split}.aeds.gz")
    raw = gzip.open(path, "rb").read()
    magic, version, n, h, w, classes = struct.unpack_from("<4sIIIII", raw, 0)
    assert magic == b"AEDS" and version == 1, f"{path}: not an AEDS v1 file"
    labels = np.frombuffer(raw, np.uint8, n, 48)
    pixels = np.frombuffer(raw, np.uint8, n * h * w, 48 + n).reshape(n, h * w)
    return torch.from_numpy(pixels.astype(np.float32) / 255.0), torch.from_numpy(labels.astype(np.int64))


class Seed(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, 20))
        self.decoder = nn.Sequential(nn.Linear(20, 400), nn.ReLU(), nn.Linear(400, 784))

    def forward(self, x):  # returns logits
        return self.decoder(self.encoder(x)), {}


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return self.fc4(F.relu(self.fc3(z))), {"kl": kl}


class Conv(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(), nn.Flatten(), nn.Linear(3136, 20))
        self.decoder = nn.Sequential(
            nn.Linear(20, 3136), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
            nn.ConvTranspose2d(64, 32, 3, 2, 1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 3, 2, 1, output_padding=1), nn.Flatten())

    def forward(self, x):
        return self.decoder(self.encoder(x.view(-1, 1, 28, 28))), {}


class Sequence(nn.Module):
    """The engine's sequence variant (models/factory.hpp): 28 steps of 28 pixels."""

    # The engine's parameters in the order its init draws them (layer by layer, each layer's
    # params() in order), and whether the engine stores the tensor transposed: its GRU weights
    # are (in, 3H) and its Dense weights (in, out), nn.GRU's and nn.Linear's the other way round.
    ENGINE_ORDER = [("enc.weight_ih_l0", True), ("enc.weight_hh_l0", True), ("enc.bias_ih_l0", False),
                    ("enc.bias_hh_l0", False), ("code.weight", True), ("code.bias", False),
                    ("dec.weight_ih_l0", True), ("dec.weight_hh_l0", True), ("dec.bias_ih_l0", False),
                    ("dec.bias_hh_l0", False), ("out.weight", True), ("out.bias", False)]

    def __init__(self, hidden=128, latent=20):
        super().__init__()
        self.enc = nn.GRU(28, hidden, batch_first=True)
        self.code = nn.Linear(hidden, latent)
        self.dec = nn.GRU(latent, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 28)

    def encode(self, x):
        h, _ = self.enc(x.view(-1, 28, 28))
        return self.code(h[:, -1])

    def forward(self, x):
        z = self.encode(x)
        y, _ = self.dec(z.unsqueeze(1).expand(-1, 28, -1))
        return self.out(y).flatten(1), {}


# The prior of the aae (engine/src/models/prior.hpp): ten Gaussians on a circle in each pair of
# code dimensions, component k along θ_k = 2πk/10: u ~ N(R, σ_r²) along it, v ~ N(0, σ_t²) across.
MIX_R, MIX_SR, MIX_ST = 2.0, 0.5, 0.1


def sample_mixture(n, z, gen, components=None):
    k = components if components is not None else torch.randint(0, 10, (n,), generator=gen)
    theta = 2 * math.pi * k.double() / 10
    out = torch.empty(n, z, dtype=torch.float64)
    for p in range(0, z, 2):
        u = MIX_R + MIX_SR * torch.randn(n, generator=gen, dtype=torch.float64)
        v = MIX_ST * torch.randn(n, generator=gen, dtype=torch.float64)
        out[:, p] = u * torch.cos(theta) - v * torch.sin(theta)
        out[:, p + 1] = u * torch.sin(theta) + v * torch.cos(theta)
    return out.float()


def mixture_log_density(codes):
    """log p(z) of each code, in float64, by log-sum-exp over the ten components."""
    z = codes.double()
    half_log_2pi = 0.5 * math.log(2 * math.pi)
    per_k = []
    for k in range(10):
        c, s = math.cos(2 * math.pi * k / 10), math.sin(2 * math.pi * k / 10)
        log = torch.full((z.shape[0],), -math.log(10), dtype=torch.float64)
        for p in range(0, z.shape[1], 2):
            x, y = z[:, p], z[:, p + 1]
            u, v = x * c + y * s, -x * s + y * c
            log = log - 0.5 * ((u - MIX_R) / MIX_SR) ** 2 - math.log(MIX_SR) - half_log_2pi
            log = log - 0.5 * (v / MIX_ST) ** 2 - math.log(MIX_ST) - half_log_2pi
        per_k.append(log)
    return torch.logsumexp(torch.stack(per_k, 1), 1)


class AAE(nn.Module):
    """The engine's aae variant: the seed model's layers around a 2-D code, and a discriminator."""

    def __init__(self, latent=2, disc=(128, 128)):
        super().__init__()
        self.latent = latent
        self.encoder = nn.Sequential(nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, latent))
        self.decoder = nn.Sequential(nn.Linear(latent, 400), nn.ReLU(), nn.Linear(400, 784))
        layers, d = [], latent
        for w in disc:
            layers += [nn.Linear(d, w), nn.ReLU()]
            d = w
        self.discriminator = nn.Sequential(*layers, nn.Linear(d, 1))

    def forward(self, x):
        return self.decoder(self.encoder(x)), {}


def train_aae(dataset, epochs, seed, lr=1e-3, adversarial_lr=1e-3, log=print):
    """Three phases per step, each with its own Adam (train/adversarial_step.hpp)."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed + 1000)
    xtr, _ = load_aeds(dataset, "train")
    xte, _ = load_aeds(dataset, "test")
    model = AAE()
    opt_recon = torch.optim.Adam(list(model.encoder.parameters()) + list(model.decoder.parameters()), lr=lr)
    opt_disc = torch.optim.Adam(model.discriminator.parameters(), lr=adversarial_lr)
    opt_gen = torch.optim.Adam(model.encoder.parameters(), lr=adversarial_lr)
    for epoch in range(1, epochs + 1):
        model.train()
        t0 = time.time()
        perm = torch.randperm(len(xtr))
        totals = [0.0, 0.0, 0.0]
        for i in range(0, len(xtr), 128):
            xb = xtr[perm[i:i + 128]]
            n = len(xb)
            recon = bce_sum(model(xb)[0], xb) / n
            opt_recon.zero_grad()
            recon.backward()
            opt_recon.step()
            with torch.no_grad():
                q = model.encoder(xb)
            p = sample_mixture(n, model.latent, gen)
            logits = model.discriminator(torch.cat([p, q]))
            disc = (F.binary_cross_entropy_with_logits(logits[:n], torch.ones(n, 1))
                    + F.binary_cross_entropy_with_logits(logits[n:], torch.zeros(n, 1)))
            opt_disc.zero_grad()
            disc.backward()
            opt_disc.step()
            g = F.binary_cross_entropy_with_logits(model.discriminator(model.encoder(xb)), torch.ones(n, 1))
            opt_gen.zero_grad()
            g.backward()
            opt_gen.step()
            for k, v in enumerate((recon, disc, g)):
                totals[k] += v.item() * n
        recon, _ = evaluate(model, xte)
        loglik = prior_loglik(model, xte)
        log(f"epoch={epoch} model=aae dataset={dataset} train_bce={totals[0] / len(xtr):.4f} "
            f"train_disc={totals[1] / len(xtr):.4f} train_gen={totals[2] / len(xtr):.4f} test_bce={recon:.4f} "
            f"test_prior_loglik={loglik:.4f} seconds={time.time() - t0:.1f}")
    return model, totals[0] / len(xtr), xte


def prior_loglik(model, x):
    model.eval()
    with torch.no_grad():
        return torch.cat([mixture_log_density(model.encoder(x[i:i + 500])) for i in range(0, len(x), 500)]).mean().item()


def bce_sum(logits, target):
    return F.binary_cross_entropy_with_logits(logits, target, reduction="sum")


def engine_init(model, seed):
    """Sets model's parameters to the engine's initial weights for this seed (Trainer::reset:
    every weight and bias U(-1/√fan, 1/√fan), drawn in the engine's order and layout) and returns
    the generator as the engine's trainer holds it next, for its shuffles."""
    rng = EngineRng(seed)
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, transposed in model.ENGINE_ORDER:
            p = params[name]
            # nn.GRU: 1/√hidden for all; nn.Linear: 1/√in_features (the engine's GRU and Dense).
            if name.startswith(("enc.", "dec.")):
                fan = model.enc.hidden_size
            else:
                fan = params[name.replace("bias", "weight")].shape[1]
            b = 1.0 / math.sqrt(fan)
            shape = tuple(reversed(p.shape)) if transposed else tuple(p.shape)
            vals = torch.tensor([rng.uniform(-b, b) for _ in range(p.numel())], dtype=torch.float64)
            vals = vals.reshape(shape)
            p.copy_((vals.t() if transposed else vals).float())
    return rng


def noisy(x, sigma, gen):
    return (x + sigma * torch.randn(x.shape, generator=gen)).clamp(0, 1)


def evaluate(model, x, target=None):
    model.eval()
    total_recon = total_kl = 0.0
    with torch.no_grad():
        for i in range(0, len(x), 500):
            logits, extra = model(x[i:i + 500])
            t = (target if target is not None else x)[i:i + 500]
            total_recon += bce_sum(logits, t).item()
            total_kl += extra.get("kl", torch.tensor(0.0)).item()
    return total_recon / len(x), total_kl / len(x)


def train(kind, dataset, epochs, seed, noise_sigma=0.0, log=print, engine_draws=False):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed + 1000)
    xtr, _ = load_aeds(dataset, "train")
    xte, _ = load_aeds(dataset, "test")
    model = {"seed": Seed, "denoising": Seed, "vae": VAE, "conv": Conv, "sequence": Sequence}[kind]()
    engine_rng = engine_init(model, seed) if engine_draws else None
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, epochs + 1):
        model.train()
        t0 = time.time()
        perm = engine_rng.permutation(len(xtr)) if engine_rng else torch.randperm(len(xtr))
        total = 0.0
        for i in range(0, len(xtr), 128):
            xb = xtr[perm[i:i + 128]]
            inp = noisy(xb, noise_sigma, gen) if noise_sigma > 0 else xb
            logits, extra = model(inp)
            loss = bce_sum(logits, xb) + extra.get("kl", 0.0)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        recon, kl = evaluate(model, xte)
        log(f"epoch={epoch} model={kind} dataset={dataset} train_loss={total / len(xtr):.4f} "
            f"test_loss={recon + kl:.4f} test_bce={recon:.4f} test_kl={kl:.4f} seconds={time.time() - t0:.1f}")
    return model, total / len(xtr), xte


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="seed,vae,conv,denoising,sequence,aae")
    ap.add_argument("--datasets", default="mnist")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--engine-draws", action="store_true",
                    help="sequence only: start from the engine's initial weights for --seed and take its batch order")
    a = ap.parse_args()
    if a.engine_draws and set(a.models.split(",")) != {"sequence"}:
        ap.error("--engine-draws is written for --models sequence only")
    torch.set_num_threads(a.threads)
    log = lambda s: print(s, flush=True)
    for dataset in a.datasets.split(","):
        plain = None
        for kind in a.models.split(","):
            if kind == "aae":
                model, train_bce, xte = train_aae(dataset, a.epochs, a.seed, log=log)
                recon, _ = evaluate(model, xte)
                log(f"quality model=aae dataset={dataset} epochs={a.epochs} train_bce={train_bce:.4f} "
                    f"test_bce={recon:.4f} test_prior_loglik={prior_loglik(model, xte):.4f} engine=torch")
                continue
            if kind == "denoising":
                sigma = 0.5
                if plain is None:
                    plain, _, _ = train("seed", dataset, a.epochs, a.seed, log=log)
                model, train_loss, xte = train("denoising", dataset, a.epochs, a.seed, noise_sigma=sigma, log=log)
                gen = torch.Generator().manual_seed(12345)
                noisy_test = noisy(xte, sigma, gen)
                d_bce, _ = evaluate(model, noisy_test, target=xte)
                p_bce, _ = evaluate(plain, noisy_test, target=xte)
                log(f"quality model=denoising dataset={dataset} epochs={a.epochs} sigma={sigma} "
                    f"noisy_test_bce={d_bce:.4f} plain_noisy_test_bce={p_bce:.4f} engine=torch")
                continue
            model, train_loss, xte = train(kind, dataset, a.epochs, a.seed, log=log, engine_draws=a.engine_draws)
            if kind == "seed":
                plain = model
            recon, kl = evaluate(model, xte)
            extra = f" test_kl={kl:.4f} test_loss={recon + kl:.4f}" if kind == "vae" else ""
            extra += " draws=engine" if a.engine_draws else ""
            log(f"quality model={kind} dataset={dataset} epochs={a.epochs} train_loss={train_loss:.4f} "
                f"test_bce={recon:.4f}{extra} engine=torch")


if __name__ == "__main__":
    sys.exit(main())
