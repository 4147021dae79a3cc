#!/usr/bin/python3
"""Golden values from PyTorch for tests/engine/test_golden.cpp.

Rerun (needs Debian's python3-torch and python3-numpy; only to regenerate, never to test):

    /usr/bin/python3 tests/reference/make_golden.py

It rewrites tests/engine/fixtures/golden_<name>.json, which are committed: the doctest suite
reads them natively and as WASM, without Python. Output is deterministic (fixed seeds).

Each variant fixture holds, for one small batch:
  model, train          our model config and training config (the engine parses them as is)
  input, target (N, D)  rows laid out (C, H, W); the denoising input is already corrupted
  eps (N, Z)            VAE variants: the ε that the engine is handed (Context::eps)
  dropout_seed          dropout fixtures: the seed of the engine's Rng; the masks are drawn here
                        with a copy of engine/src/core/rng.hpp (xoshiro256**), see EngineRng
  params                every trainable tensor, by OUR name and in OUR layout:
                          "encoder.<i>.weight" where i is the layer's index in our Sequential
                          (activations, reshapes and dropouts count), Dense weights (D_in, D_out)
                          = the transpose of nn.Linear's; Conv2d (OC, C, K, K) and
                          ConvTranspose2d (C, OC, K, K) as PyTorch; batch norm weight/bias = γ/β
  then, from PyTorch in float64 on those float32 weights and inputs, in train mode:
  encoder_output        code (N, Z), or [μ | log σ²] (N, 2Z) for VAEs
  z                     VAEs: μ + exp(½ log σ²) ε (N, Z)
  recon                 sigmoid(decoder(code or z)) (N, D), train mode (batch statistics, masks)
  loss                  recon, kl, sparsity, weight_decay, total: per image, as the engine reports
  grads                 d(total)/d(param) for every param, our layout
  buffers               batch-norm running_mean / running_var after that one train-mode forward
  eval_recon            then, in eval mode: sigmoid(decoder(code or μ)) with the running stats

golden_sequence.json (the recurrent variant) adds "steps": three Adam steps of the fixture's model,
one batch each, as Trainer::train_steps takes them: the loss before each step and every param
after the last.

golden_aae.json, golden_aae_labels.json: the adversarial variant stepped 3 times by its three
phases (train/adversarial_step.hpp), each phase with its own torch.optim.Adam: per step the batch,
its classes and the prior samples handed to the engine, the loss terms (recon, disc, gen), the
gradients each phase hands its optimizer at the first step, and every param after the last.

golden_optimizers.json: the dense model stepped 3 times by torch.optim (Adam, SGD with and
without (Nesterov) momentum, RMSprop with and without momentum; weight decay through torch's
own weight_decay on the weights' parameter group; gradient clipping through
torch.nn.utils.clip_grad_norm_), one batch per step: the loss before each step and every
param after it.

Our modules are mirrored here in the same order as engine/src/models/factory.cpp builds them,
so that PyTorch module "encoder.3" is our layer encoder[3].
"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from engine_rng import EngineRng  # beside this script

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "fixtures")

# ---- modules in our layout: rows stay flat (N, C·H·W) between layers, as in the engine ----

class FlatConv2d(nn.Conv2d):
    def __init__(self, shape, out_channels, k, s, p):
        super().__init__(shape[0], out_channels, k, s, p)
        self.in_shape = shape

    def forward(self, x):
        return super().forward(x.view(-1, *self.in_shape)).flatten(1)


class FlatConvTranspose2d(nn.ConvTranspose2d):
    def __init__(self, shape, out_channels, k, s, p, op):
        super().__init__(shape[0], out_channels, k, s, p, output_padding=op)
        self.in_shape = shape

    def forward(self, x):
        return super().forward(x.view(-1, *self.in_shape)).flatten(1)


class FlatBatchNorm2d(nn.BatchNorm2d):
    def __init__(self, shape):
        super().__init__(shape[0])
        self.in_shape = shape

    def forward(self, x):
        return super().forward(x.view(-1, *self.in_shape)).flatten(1)


class SeqGRU(nn.GRU):
    """Our GRU layer: nn.GRU(batch_first) over rows laid out flat (T·I); every step's state
    (N, T·H) or the last one (N, H). Its params keep nn.GRU's names (weight_ih_l0, ...)."""

    def __init__(self, steps, input_size, hidden, all_steps):
        super().__init__(input_size, hidden, batch_first=True)
        self.steps, self.all_steps = steps, all_steps

    def forward(self, x):
        out, _ = super().forward(x.view(x.shape[0], self.steps, -1))
        return out.flatten(1) if self.all_steps else out[:, -1]


class Repeat(nn.Module):
    """Our Repeat layer: (N, D) → (N, T·D), the row at every step."""

    def __init__(self, steps):
        super().__init__()
        self.steps = steps

    def forward(self, x):
        return x.unsqueeze(1).expand(-1, self.steps, -1).flatten(1)


class StepLinear(nn.Linear):
    """Our Dense applied per step: nn.Linear on (N, T, D_in), rows flat (T·D_in) → (T·D_out)."""

    def __init__(self, steps, d_in, d_out):
        super().__init__(d_in, d_out)
        self.steps = steps

    def forward(self, x):
        return super().forward(x.view(x.shape[0], self.steps, -1)).flatten(1)


class MaskedDropout(nn.Module):
    """Inverted dropout whose mask is drawn by an EngineRng, in the engine's order (one uniform
    per value, row-major): mask = (u >= p) / (1 - p). Eval mode is the identity."""

    def __init__(self, p):
        super().__init__()
        self.p = p
        self.rng = None   # EngineRng shared by every dropout of the model, set for one forward
        self.mask = None  # (N, D) the last mask

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        u = torch.tensor([[self.rng.uniform() for _ in range(x.shape[1])] for _ in range(x.shape[0])],
                         dtype=torch.float64)
        self.mask = (u >= self.p).double() / (1 - self.p)
        return x * self.mask


ACTS = {"relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01), "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
        "identity": nn.Identity}


def conv_stages(cfg):
    """models/config.cpp conv_stages: (in shape, out shape, output_padding) per convolution."""
    k, s, p = cfg["conv"]["kernel"], cfg["conv"]["stride"], cfg["conv"]["padding"]
    shape, stages = tuple(cfg["input"]), []
    for c in cfg["conv"]["channels"]:
        oh, ow = (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1
        op = shape[1] - ((oh - 1) * s - 2 * p + k)
        assert op == shape[2] - ((ow - 1) * s - 2 * p + k) and 0 <= op < s
        stages.append((shape, (c, oh, ow), op))
        shape = (c, oh, ow)
    return stages


def build(cfg):
    """Encoder and decoder as nn.ModuleLists, layer for layer as models/factory.cpp builds them."""
    act = ACTS[cfg["activation"]]
    vae = cfg["variant"] in ("vae", "conv_vae")
    enc, dec = nn.ModuleList(), nn.ModuleList()

    def tail(seq, shape):  # (BatchNorm) → activation → (Dropout)
        if cfg["batchnorm"]:
            seq.append(nn.BatchNorm1d(shape[0]) if shape[1:] == (1, 1) else FlatBatchNorm2d(shape))
        seq.append(act())
        if cfg["dropout"] > 0:
            seq.append(MaskedDropout(cfg["dropout"]))

    def dense_hidden(seq, d, widths):
        for w in widths:
            seq.append(nn.Linear(d, w))
            tail(seq, (w, 1, 1))
            d = w
        return d

    def code(seq, d):
        z = 2 * cfg["latent"] if vae else cfg["latent"]
        seq.append(nn.Linear(d, z))
        if not vae and cfg["code_activation"] != "identity":
            seq.append(ACTS[cfg["code_activation"]]())

    C, H, W = cfg["input"]
    mirrored = list(reversed(cfg["encoder"]))
    if cfg["variant"] == "sequence":  # H steps of W pixels
        d = W
        for i, w in enumerate(cfg["encoder"]):
            enc.append(SeqGRU(H, d, w, i + 1 < len(cfg["encoder"])))
            d = w
        code(enc, d)
        dec.append(Repeat(H))
        d = cfg["latent"]
        for w in mirrored:
            dec.append(SeqGRU(H, d, w, True))
            d = w
        dec.append(StepLinear(H, d, W))
        return enc, dec
    if cfg["variant"] not in ("conv", "conv_vae"):
        code(enc, dense_hidden(enc, C * H * W, cfg["encoder"]))
        dec.append(nn.Linear(dense_hidden(dec, cfg["latent"], mirrored), C * H * W))
    else:
        k, s, p = cfg["conv"]["kernel"], cfg["conv"]["stride"], cfg["conv"]["padding"]
        stages = conv_stages(cfg)
        for sin, sout, _ in stages:
            enc.append(FlatConv2d(sin, sout[0], k, s, p))
            tail(enc, sout)
        last = stages[-1][1]
        n_last = last[0] * last[1] * last[2]
        code(enc, dense_hidden(enc, n_last, cfg["encoder"]))
        dec.append(nn.Linear(dense_hidden(dec, cfg["latent"], mirrored), n_last))
        tail(dec, (n_last, 1, 1))
        dec.append(nn.Identity())  # our Reshape: rows are already (C, H, W)
        for i in reversed(range(len(stages))):
            sin, sout, op = stages[i]
            dec.append(FlatConvTranspose2d(sout, sin[0], k, s, p, op))
            if i > 0:
                tail(dec, sin)
    return enc, dec


def build_discriminator(cfg):
    """The aae's discriminator: [Linear(w) → act] per width → Linear(→ 1), on [z | one-hot class]."""
    disc, d = nn.ModuleList(), cfg["latent"] + (10 if cfg["prior_labels"] else 0)
    for w in cfg["discriminator"]:
        disc.append(nn.Linear(d, w))
        disc.append(ACTS[cfg["activation"]]())
        d = w
    disc.append(nn.Linear(d, 1))
    return disc


class Model(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.encoder, self.decoder = build(cfg)
        if cfg["variant"] == "aae":
            self.discriminator = build_discriminator(cfg)

    def dropouts(self):
        return [m for m in list(self.encoder) + list(self.decoder) if isinstance(m, MaskedDropout)]


def run(seq, x):
    for m in seq:
        x = m(x)
    return x


def forward_loss(model, x, target, train, eps=None):
    """The engine's Autoencoder::forward_backward, written with PyTorch's modules and functions."""
    cfg = model.cfg
    vae = cfg["variant"] in ("vae", "conv_vae")
    h = run(model.encoder, x)
    out = {"encoder_output": h}
    terms = {"recon": 0.0, "kl": 0.0, "sparsity": 0.0, "weight_decay": 0.0}
    N, Z = x.shape[0], cfg["latent"]
    if vae:
        mu, logvar = h[:, :Z], h[:, Z:]
        z = mu + torch.exp(0.5 * logvar) * eps
        out["z"] = z
        terms["kl"] = train.get("kl_weight", 1.0) * (-0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())) / N
    else:
        z = h
    logits = run(model.decoder, z)
    out["recon"] = torch.sigmoid(logits)
    if cfg["loss"] == "bce":
        terms["recon"] = F.binary_cross_entropy_with_logits(logits, target, reduction="sum") / N
    else:
        terms["recon"] = F.mse_loss(torch.sigmoid(logits), target, reduction="sum") / N
    if not vae:
        if train.get("sparsity_weight", 0) > 0:
            rho, rhat = train.get("sparsity_target", 0.05), h.mean(0)
            kl = rho * torch.log(rho / rhat) + (1 - rho) * torch.log((1 - rho) / (1 - rhat))
            terms["sparsity"] = terms["sparsity"] + train["sparsity_weight"] * kl.sum()
        if train.get("activity_l1", 0) > 0:
            terms["sparsity"] = terms["sparsity"] + train["activity_l1"] * h.abs().sum() / N
    l2, l1 = train.get("weight_decay_l2", 0), train.get("weight_decay_l1", 0)
    if l2 or l1:
        for w in decayed(model):
            terms["weight_decay"] = terms["weight_decay"] + 0.5 * l2 * w.pow(2).sum() + l1 * w.abs().sum()
    total = sum(terms.values())
    return total, terms, out


def decayed(model):
    """The weights weight decay applies to: Linear, Conv and ConvTranspose weights."""
    return [m.weight for m in list(model.encoder) + list(model.decoder)
            if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d))]


# ---- our layout and JSON ----

def ours(name, t, model):
    """A PyTorch tensor of param `name` in our layout: nn.Linear weights transposed to (D_in, D_out)."""
    part, idx, _ = name.split(".")
    module = getattr(model, part)[int(idx)]
    t = t.detach()
    if isinstance(module, nn.Linear) and name.endswith(".weight"):
        t = t.t()
    if isinstance(module, nn.GRU) and ".weight_" in name:  # (3H, I) → (I, 3H), as our Dense
        t = t.t()
    return t.contiguous()


def num(v):
    """9 significant digits: exact for float32 values (checked in f32) and 1e-9 relative for the
    float64 references, far below the tests' tolerances; keeps the fixtures small."""
    return float("%.9g" % v)


def tensor_json(t):
    return {"shape": list(t.shape), "data": [num(v) for v in t.detach().reshape(-1).tolist()]}


def rows_json(t):
    return [[num(v) for v in row] for row in t.detach().tolist()]


def f32(t):
    """Round to float32 and back: the engine and the reference then start from the same numbers.
    Checks that 9 digits in JSON, read back as a double and rounded to float (as the test
    does), give exactly these float32 values."""
    t = t.float().double()
    assert all(struct.unpack("f", struct.pack("f", num(v)))[0] == v for v in t.reshape(-1).tolist())
    return t


def make_model(cfg, seed):
    """PyTorch's default initialisation in float32 (so the engine gets the very same weights),
    then float64 for the reference computation."""
    torch.manual_seed(seed)
    model = Model(cfg)
    with torch.no_grad():
        for m in model.modules():  # batch norm's γ and β away from 1 and 0, so that they matter
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.weight.add_(0.2 * torch.randn(m.weight.shape))
                m.bias.add_(0.2 * torch.randn(m.bias.shape))
    for p in model.parameters():
        f32(p.detach())
    return model.double()


MODEL_DEFAULTS = {"variant": "dense", "input": [1, 4, 4], "encoder": [6], "latent": 3, "activation": "relu",
                  "code_activation": "identity", "output": "sigmoid", "loss": "bce", "batchnorm": False,
                  "dropout": 0.0}


def full(cfg):
    c = dict(MODEL_DEFAULTS, **cfg)
    if c["variant"] == "sparse" and "code_activation" not in cfg:
        c["code_activation"] = "sigmoid"
    if c["variant"] in ("conv", "conv_vae"):
        c["conv"] = dict({"channels": [2, 3], "kernel": 3, "stride": 2, "padding": 1}, **cfg.get("conv", {}))
        c["encoder"] = cfg.get("encoder", [])
    if c["variant"] == "aae":
        c = dict({"prior": "mixture", "prior_labels": False, "discriminator": [5, 4]}, **c)
    return c


def variant_fixture(name, about, cfg, train, n, seed, noise_sigma=0.0, dropout_seed=None):
    cfg = full(cfg)
    torch.manual_seed(seed)
    C, H, W = cfg["input"]
    D, Z = C * H * W, cfg["latent"]
    clean = f32(torch.rand(n, D))
    x = clean
    if noise_sigma > 0:  # the denoising input: clip(x + σ ε, 0, 1), handed to the engine as is
        x = f32((clean + noise_sigma * torch.randn(n, D)).clamp(0, 1))
    vae = cfg["variant"] in ("vae", "conv_vae")
    eps = f32(torch.randn(n, Z)) if vae else None
    model = make_model(cfg, seed + 1)
    model.train()

    fixture = {"about": about, "model": {k: v for k, v in cfg.items() if not (vae and k == "code_activation")},
               "train": train, "input": rows_json(x), "target": rows_json(clean)}
    if vae:
        fixture["eps"] = rows_json(eps)
    if dropout_seed is not None:  # one generator for all masks, drawn in forward order as the engine does
        fixture["dropout_seed"] = dropout_seed
        rng = EngineRng(dropout_seed)
        for m in model.dropouts():
            m.rng = rng
    fixture["params"] = {k: tensor_json(ours(k, p, model)) for k, p in model.named_parameters()}

    total, terms, out = forward_loss(model, x, clean, train, eps)
    if dropout_seed is not None:
        fixture["dropout_masks"] = [rows_json(m.mask) for m in model.dropouts()]
    model.zero_grad()
    total.backward()
    fixture["encoder_output"] = rows_json(out["encoder_output"])
    if vae:
        fixture["z"] = rows_json(out["z"])
    fixture["recon"] = rows_json(out["recon"])
    fixture["loss"] = {k: num(v) for k, v in terms.items()}
    fixture["loss"]["total"] = num(total)
    fixture["grads"] = {k: tensor_json(ours(k, p.grad, model)) for k, p in model.named_parameters()}
    fixture["buffers"] = {k: tensor_json(b) for k, b in model.named_buffers() if not k.endswith("num_batches_tracked")}

    model.eval()
    with torch.no_grad():
        h = run(model.encoder, x)
        code = h[:, :Z] if vae else h
        fixture["eval_recon"] = rows_json(torch.sigmoid(run(model.decoder, code)))
    return name, fixture


VARIANTS = [
    ("dense", "the seed model's shape, small: 16-6-3-6-16, ReLU, sigmoid output, BCE",
     {"variant": "dense"}, {}, 4, 11),
    ("deep", "several widths, tanh hidden units, MSE loss on the sigmoid output",
     {"variant": "deep", "encoder": [8, 6, 5], "latent": 2, "activation": "tanh", "loss": "mse"}, {}, 4, 12),
    ("sparse", "sigmoid code with the KL sparsity penalty and the L1 activity penalty",
     {"variant": "sparse", "latent": 4}, {"sparsity_weight": 0.5, "sparsity_target": 0.1, "activity_l1": 0.05}, 4,
     13),
    ("denoising", "given a Gaussian-corrupted input (sigma 0.5, clipped), trained against the clean target",
     {"variant": "denoising", "activation": "leaky_relu"}, {"noise": "gaussian", "noise_amount": 0.5}, 4, 14, 0.5),
    ("vae", "PyTorch's VAE example, small: [mu | log var] from one Dense, z = mu + sigma * eps with eps given",
     {"variant": "vae", "latent": 2}, {"kl_weight": 1.0}, 4, 15),
    ("conv", "Conv(1->2)-ReLU-Conv(2->3)-ReLU-Dense(12->3) on 8x8 and the mirrored transposed convolutions",
     {"variant": "conv", "input": [1, 8, 8]}, {}, 3, 16),
    ("conv_vae", "conv encoder with a dense width, 2Z = [mu | log var], beta 0.5, eps given",
     {"variant": "conv_vae", "input": [1, 8, 8], "encoder": [5], "latent": 2}, {"kl_weight": 0.5}, 3, 17),
    ("batchnorm", "BatchNorm1d after each hidden Dense, train mode (batch statistics), then eval mode",
     {"variant": "deep", "encoder": [8, 6], "batchnorm": True}, {}, 5, 18),
    ("conv_batchnorm", "BatchNorm2d after each hidden convolution (BatchNorm1d after the decoder's Dense), "
     "2-channel 6x6 input (output paddings 0 and 1)",
     {"variant": "conv", "input": [2, 6, 6], "batchnorm": True}, {}, 3, 19),
    ("weight_decay", "L2 and L1 weight decay penalties on the weights (not the biases)",
     {"variant": "dense"}, {"weight_decay_l2": 0.05, "weight_decay_l1": 0.01}, 4, 20),
]


def adam_steps(model, cfg, train, batches):
    """Trainer::train_steps's steps with torch.optim.Adam: the loss before each step, every param
    after the last (the model is stepped in place)."""
    opt = torch.optim.Adam(model.parameters(), lr=train["lr"])
    losses = []
    for x in batches:
        total, terms, _ = forward_loss(model, x, x, train)
        opt.zero_grad()
        total.backward()
        opt.step()
        losses.append(dict({k: num(v) for k, v in terms.items()}, total=num(total)))
    return {"train": dict({"optimizer": "adam"}, **train), "batches": [rows_json(b) for b in batches],
            "losses": losses, "final_params": {k: tensor_json(ours(k, p, model)) for k, p in model.named_parameters()}}


def sequence_fixture():
    name, f = variant_fixture(
        "sequence", "the recurrent variant, small: 5 steps of 4 pixels, GRUs of 6 and 5 (the first handing every "
        "step's state on), Dense(5 -> 3) code; the decoder repeats the code into GRUs of 5 and 6 and a Dense(6 -> 4) "
        "per step", {"variant": "sequence", "input": [1, 5, 4], "encoder": [6, 5], "latent": 3}, {}, 3, 22)
    cfg = full(f["model"])
    model = make_model(cfg, 23)  # variant_fixture's seed + 1: the fixture's params
    assert {k: tensor_json(ours(k, p, model)) for k, p in model.named_parameters()} == f["params"]
    model.train()
    torch.manual_seed(24)
    batches = [f32(torch.rand(3, 20)) for _ in range(3)]
    f["steps"] = adam_steps(model, cfg, {"lr": 0.01}, batches)
    return name, f


def aae_fixture(name, about, cfg, train, n, seed, steps=3):
    """Three steps of the adversarial autoencoder's three phases (train/adversarial_step.hpp)."""
    cfg = full(cfg)
    C, H, W = cfg["input"]
    D, Z = C * H * W, cfg["latent"]
    torch.manual_seed(seed)
    batches = [{"input": f32(torch.rand(n, D)), "labels": torch.randint(0, 10, (n,)),
                "prior": f32(torch.randn(n, Z) * 2)} for _ in range(steps)]
    model = make_model(cfg, seed + 1)
    model.train()
    params = {k: tensor_json(ours(k, p, model)) for k, p in model.named_parameters()}
    ae_params = list(model.encoder.parameters()) + list(model.decoder.parameters())
    enc_params, disc_params = list(model.encoder.parameters()), list(model.discriminator.parameters())
    lr, adv_lr, clip = train["lr"], train.get("adversarial_lr", train["lr"]), train.get("clip_norm", 0)
    opts = [torch.optim.Adam(ae_params, lr=lr), torch.optim.Adam(disc_params, lr=adv_lr),
            torch.optim.Adam(enc_params, lr=adv_lr)]

    def disc_in(z, y):
        return torch.cat([z, F.one_hot(y, 10).double()], 1) if cfg["prior_labels"] else z

    def phase(loss, opt, group):
        model.zero_grad()
        loss.backward()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(group, clip)
        grads = {k: tensor_json(ours(k, p.grad, model)) for k, p in model.named_parameters()
                 if any(p is q for q in group)}
        opt.step()
        return grads

    record, first = [], None
    for b in batches:
        x, y, p = b["input"], b["labels"], b["prior"]
        total, terms, _ = forward_loss(model, x, x, train)
        g1 = phase(total, opts[0], ae_params)
        with torch.no_grad():
            q = run(model.encoder, x)
        logits = run(model.discriminator, disc_in(torch.cat([p, q]), torch.cat([y, y])))
        ones, zeros = torch.ones(n, 1, dtype=torch.float64), torch.zeros(n, 1, dtype=torch.float64)
        l_d = F.binary_cross_entropy_with_logits(logits[:n], ones) + F.binary_cross_entropy_with_logits(logits[n:], zeros)
        g2 = phase(l_d, opts[1], disc_params)
        l_g = F.binary_cross_entropy_with_logits(run(model.discriminator, disc_in(run(model.encoder, x), y)), ones)
        g3 = phase(l_g, opts[2], enc_params)
        if first is None:
            first = {"recon": g1, "disc": g2, "gen": g3}
        record.append({"recon": num(terms["recon"]), "weight_decay": num(terms["weight_decay"]),
                       "disc": num(l_d), "gen": num(l_g)})
    final = {k: tensor_json(ours(k, p, model)) for k, p in model.named_parameters()}
    return name, {"about": about, "model": cfg, "train": train, "params": params,
                  "batches": [{"input": rows_json(b["input"]), "labels": b["labels"].tolist(),
                               "prior": rows_json(b["prior"])} for b in batches],
                  "losses": record, "first_step_grads": first, "final_params": final}


AAE = [
    ("aae", "the dense 16-6-2-6-16 autoencoder and a discriminator 2-5-4-1 (ReLU), three phases per step, "
     "Adam each", {"variant": "aae", "latent": 2, "prior": "normal"}, {"lr": 0.01, "adversarial_lr": 0.005}, 4, 40),
    ("aae_labels", "prior_labels: the discriminator reads [z | one-hot class] (4 + 10 values), latent 4, "
     "tanh units, gradient clipping in every phase, L2 weight decay in the reconstruction phase",
     {"variant": "aae", "latent": 4, "prior_labels": True, "activation": "tanh", "discriminator": [7]},
     {"lr": 0.01, "clip_norm": 0.5, "weight_decay_l2": 0.01}, 5, 41),
]


def dropout_fixture():
    return variant_fixture("dropout", "inverted dropout p = 0.3 after every hidden activation; the engine's "
                           "Rng seeded with dropout_seed draws the masks (reproduced here, bit for bit)",
                           {"variant": "deep", "encoder": [8, 6], "dropout": 0.3}, {}, 4, 21, dropout_seed=7)


OPT_RUNS = [
    ("adam", {"optimizer": "adam", "lr": 0.01, "beta1": 0.8, "beta2": 0.95, "eps": 1e-6}),
    ("adam_l2", {"optimizer": "adam", "lr": 0.01, "weight_decay_l2": 0.1}),
    ("sgd", {"optimizer": "sgd", "lr": 0.1}),
    ("sgd_momentum_l2", {"optimizer": "sgd", "lr": 0.05, "momentum": 0.8, "weight_decay_l2": 0.02}),
    ("sgd_nesterov_clip", {"optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True, "clip_norm": 0.5}),
    ("rmsprop", {"optimizer": "rmsprop", "lr": 0.01, "alpha": 0.9}),
    ("rmsprop_momentum", {"optimizer": "rmsprop", "lr": 0.005, "alpha": 0.99, "momentum": 0.5, "eps": 1e-6}),
]


def optimizer_fixture(steps=3, n=4):
    cfg = full({"variant": "dense"})
    torch.manual_seed(31)
    batches = [f32(torch.rand(n, 16)) for _ in range(steps)]
    runs = []
    for name, train in OPT_RUNS:
        model = make_model(cfg, 32)
        model.train()
        start = {k: tensor_json(ours(k, p, model)) for k, p in model.named_parameters()}
        wd = train.get("weight_decay_l2", 0.0)
        weights = set(id(w) for w in decayed(model))
        groups = [{"params": [p for p in model.parameters() if id(p) in weights], "weight_decay": wd},
                  {"params": [p for p in model.parameters() if id(p) not in weights], "weight_decay": 0.0}]
        o = train["optimizer"]
        if o == "adam":
            opt = torch.optim.Adam(groups, lr=train["lr"], betas=(train.get("beta1", 0.9), train.get("beta2", 0.999)),
                                   eps=train.get("eps", 1e-8))
        elif o == "sgd":
            opt = torch.optim.SGD(groups, lr=train["lr"], momentum=train.get("momentum", 0.0),
                                  nesterov=train.get("nesterov", False))
        else:
            opt = torch.optim.RMSprop(groups, lr=train["lr"], alpha=train.get("alpha", 0.99),
                                      eps=train.get("eps", 1e-8), momentum=train.get("momentum", 0.0))
        # The weight decay penalty is reported as a loss term; its gradient comes from torch's weight_decay.
        reported = {k: v for k, v in train.items() if k != "weight_decay_l2"}
        record = []
        for x in batches:
            total, terms, _ = forward_loss(model, x, x, reported)
            terms["weight_decay"] = float(sum(0.5 * wd * w.pow(2).sum() for w in decayed(model)))
            opt.zero_grad()
            total.backward()
            if train.get("clip_norm", 0) > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), train["clip_norm"])
            opt.step()
            loss = {k: float(v) for k, v in terms.items()}
            loss["total"] = sum(loss.values())
            record.append({k: num(v) for k, v in loss.items()})
        final = {k: tensor_json(ours(k, p, model)) for k, p in model.named_parameters()}
        runs.append({"name": name, "train": train, "params": start, "losses": record, "final_params": final})
    about = ("the dense model (16-6-3-6-16) stepped 3 times, one batch per step, by torch.optim: the loss before "
             "each step (so also after each of the first steps) and every param after the last")
    return "optimizers", {"about": about, "model": cfg, "batches": [rows_json(b) for b in batches], "runs": runs}


def write(name, fixture):
    fixture = dict({"generated_by": "tests/reference/make_golden.py", "torch": torch.__version__}, **fixture)
    path = os.path.join(OUT, f"golden_{name}.json")
    with open(path, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"{os.path.relpath(path)}  {os.path.getsize(path)} bytes")


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    for name, about, cfg, train, n, seed, *noise in VARIANTS:
        write(*variant_fixture(name, about, cfg, train, n, seed, *noise))
    write(*dropout_fixture())
    write(*optimizer_fixture())
    write(*sequence_fixture())
    for name, about, cfg, train, n, seed in AAE:
        write(*aae_fixture(name, about, cfg, train, n, seed))


if __name__ == "__main__":
    sys.exit(main())
