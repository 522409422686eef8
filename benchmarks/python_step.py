#!/usr/bin/env python3
"""The training step of cos-enginebench, written in Python PyTorch.

The same model as the C++ engine (ViT tower, Chain-of-Sight connector,
LLaMA-style LM with tied embeddings), the same synthetic batch and the same
AdamW step, so the two can be timed against each other on one machine:

    python3 benchmarks/python_step.py --config configs/engine/small.json --steps 10 --batch 8

Prints one JSON object like cos-enginebench's (median step time, parameter
count). Debian's python3-torch is the same LibTorch build as libtorch-dev.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGE_TOKEN = -200  # the C++ engine's kImageTokenId: replaced by the visual tokens
IGNORE = -100


def vision_defaults(v):
    d = dict(image_size=224, patch_size=14, channels=3, width=256, layers=6, heads=4,
             class_token=True, feature_layer=-2, norm_eps=1e-5)
    d.update(v)
    d.setdefault("mlp_hidden", 4 * d["width"])
    return d


def connector_defaults(c):
    d = dict(width=256, heads=4, layers=2)
    d.update(c)
    d.setdefault("mlp_hidden", 4 * d["width"])
    return d


def lm_defaults(l):
    d = dict(vocab_size=1024, width=256, layers=4, heads=4, mlp_hidden=688, rope_theta=10000.0,
             norm_eps=1e-5, pad_id=0)
    d.update(l)
    d.setdefault("kv_heads", d["heads"])
    return d


class LayerNorm32(nn.LayerNorm):
    """LayerNorm computed in fp32 under CPU autocast, as the engine's layerNormFp32
    (1.13's CPU layer_norm refuses a bf16 input with fp32 weights)."""

    def forward(self, x):
        return super().forward(x.float())


class Attention(nn.Module):
    def __init__(self, width, heads, kv_width):
        super().__init__()
        self.heads = heads
        self.q_proj = nn.Linear(width, width)
        self.k_proj = nn.Linear(kv_width, width)
        self.v_proj = nn.Linear(kv_width, width)
        self.out_proj = nn.Linear(width, width)

    def forward(self, x, context):
        b, tq, w = x.shape
        tk = context.shape[1]
        d = w // self.heads
        q = self.q_proj(x).view(b, tq, self.heads, d).transpose(1, 2)
        k = self.k_proj(context).view(b, tk, self.heads, d).transpose(1, 2)
        v = self.v_proj(context).view(b, tk, self.heads, d).transpose(1, 2)
        probs = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d), -1)
        return self.out_proj((probs @ v).transpose(1, 2).reshape(b, tq, w))


class FeedForward(nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class VisionBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm1 = LayerNorm32(c["width"], eps=c["norm_eps"])
        self.attn = Attention(c["width"], c["heads"], c["width"])
        self.norm2 = LayerNorm32(c["width"], eps=c["norm_eps"])
        self.mlp = FeedForward(c["width"], c["mlp_hidden"])

    def forward(self, x):
        h = self.norm1(x)
        y = x + self.attn(h, h)
        return y + self.mlp(self.norm2(y))


class VisionTower(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        n = c["image_size"] // c["patch_size"]
        self.patch_embed = nn.Conv2d(c["channels"], c["width"], c["patch_size"], stride=c["patch_size"], bias=False)
        self.class_embedding = nn.Parameter(torch.randn(c["width"]) * 0.02)
        self.position_embedding = nn.Parameter(torch.randn(n * n + 1, c["width"]) * 0.02)
        self.blocks = nn.ModuleList(VisionBlock(c) for _ in range(c["layers"]))

    def forward(self, images):
        b, w = images.shape[0], self.c["width"]
        n = images.shape[2] // self.c["patch_size"]
        x = self.patch_embed(images).flatten(2).transpose(1, 2)          # [B, n*n, C]
        x = torch.cat([self.class_embedding.view(1, 1, w).expand(b, 1, w), x], 1)
        x = x + self.position_embedding.unsqueeze(0)
        fl = self.c["feature_layer"]
        blocks = fl if fl > 0 else self.c["layers"] + 1 + fl
        for block in self.blocks[:blocks]:
            x = block(x)
        return x[:, 1:].reshape(b, n, n, w)                               # [B, n, n, C]


def window_position_embedding(windows, width):
    quarter = width // 4
    centres = (torch.arange(windows, dtype=torch.float64) + 0.5) / windows * 64.0
    freqs = torch.pow(10000.0, -torch.arange(quarter, dtype=torch.float64) / quarter)
    angles = centres[:, None] * freqs[None, :]
    axis = torch.cat([torch.sin(angles), torch.cos(angles)], 1)           # [g, D/2]
    rows = axis[:, None, :].expand(windows, windows, width // 2)
    cols = axis[None, :, :].expand(windows, windows, width // 2)
    return torch.cat([rows, cols], 2).reshape(windows * windows, width).float()


class ResamplerLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm_q = LayerNorm32(c["width"])
        self.norm_kv = LayerNorm32(c["width"])
        self.attn = Attention(c["width"], c["heads"], c["width"])
        self.norm_mlp = LayerNorm32(c["width"])
        self.mlp = FeedForward(c["width"], c["mlp_hidden"])

    def forward(self, q, x):
        h = q + self.attn(self.norm_q(q), self.norm_kv(x))
        return h + self.mlp(self.norm_mlp(h))


class ResamplerStack(nn.Module):
    def __init__(self, scale, c, feature_width):
        super().__init__()
        self.g, self.q, self.d = scale["windows"], scale["queries"], c["width"]
        self.queries = nn.Parameter(torch.randn(self.q, self.d))
        self.kv_proj = nn.Linear(feature_width, self.d)
        self.layers = nn.ModuleList(ResamplerLayer(c) for _ in range(c["layers"]))
        self.norm_out = LayerNorm32(self.d)
        self.register_buffer("pos", window_position_embedding(self.g, self.d), persistent=False)

    def forward(self, features):
        b, n, g, q, d = features.shape[0], features.shape[1], self.g, self.q, self.d
        m = n // g
        x = (self.kv_proj(features).view(b, g, m, g, m, d).permute(0, 1, 3, 2, 4, 5)
             .reshape(b * g * g, m * m, d))                                # [B*g*g, m*m, D]
        queries = (self.queries.unsqueeze(0).expand(g * g, q, d) + self.pos.unsqueeze(1))
        h = queries.unsqueeze(0).expand(b, g * g, q, d).reshape(b * g * g, q, d)
        for layer in self.layers:
            h = layer(h, x)
        return self.norm_out(h).reshape(b, g * g * q, d)                   # [B, g*g*q, D]


class RmsNorm(nn.Module):
    def __init__(self, width, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype) * self.weight


def rotary(x, theta):
    t, d = x.shape[2], x.shape[3]
    half = d // 2
    inv = torch.pow(theta, -torch.arange(half, dtype=torch.float32) * (2.0 / d))
    angles = torch.outer(torch.arange(t, dtype=torch.float32), inv)
    cos = torch.cat([angles.cos(), angles.cos()], -1)
    sin = torch.cat([angles.sin(), angles.sin()], -1)
    rotated = torch.cat([-x[..., half:], x[..., :half]], -1)
    return x * cos + rotated * sin


class DecoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        w, h, kvh = c["width"], c["heads"], c["kv_heads"]
        hd = w // h
        self.c = c
        self.input_layernorm = RmsNorm(w, c["norm_eps"])
        self.q_proj = nn.Linear(w, h * hd, bias=False)
        self.k_proj = nn.Linear(w, kvh * hd, bias=False)
        self.v_proj = nn.Linear(w, kvh * hd, bias=False)
        self.o_proj = nn.Linear(h * hd, w, bias=False)
        self.post_attention_layernorm = RmsNorm(w, c["norm_eps"])
        self.gate_proj = nn.Linear(w, c["mlp_hidden"], bias=False)
        self.up_proj = nn.Linear(w, c["mlp_hidden"], bias=False)
        self.down_proj = nn.Linear(c["mlp_hidden"], w, bias=False)

    def forward(self, x):
        b, t, w = x.shape
        h, kvh = self.c["heads"], self.c["kv_heads"]
        hd = w // h
        y = self.input_layernorm(x)
        q = rotary(self.q_proj(y).view(b, t, h, hd).transpose(1, 2), self.c["rope_theta"])
        k = rotary(self.k_proj(y).view(b, t, kvh, hd).transpose(1, 2), self.c["rope_theta"])
        v = self.v_proj(y).view(b, t, kvh, hd).transpose(1, 2)
        k = k.repeat_interleave(h // kvh, 1)
        v = v.repeat_interleave(h // kvh, 1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(hd)
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        probs = torch.softmax(scores.masked_fill(~mask, float("-inf")), -1)
        x = x + self.o_proj((probs @ v).transpose(1, 2).reshape(b, t, w))
        z = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(z)) * self.up_proj(z))


class Mllm(nn.Module):
    def __init__(self, config):
        super().__init__()
        v, c, l = (vision_defaults(config["vision"]), connector_defaults(config["connector"]),
                   lm_defaults(config["lm"]))
        self.lm_config = l
        self.vision = VisionTower(v)
        self.scales = nn.ModuleList(ResamplerStack(s, c, v["width"]) for s in c["scales"])
        self.proj = nn.Linear(c["width"], l["width"])
        self.embed_tokens = nn.Embedding(l["vocab_size"], l["width"])
        nn.init.normal_(self.embed_tokens.weight, 0.0, 0.02)
        self.layers = nn.ModuleList(DecoderLayer(l) for _ in range(l["layers"]))
        self.norm = RmsNorm(l["width"], l["norm_eps"])

    def loss(self, images, ids, labels):
        features = self.vision(images)
        visual = self.proj(torch.cat([s(features) for s in self.scales], 1))   # [B, T_vis, W]
        is_image = ids == IMAGE_TOKEN
        text = self.embed_tokens(ids.masked_fill(is_image, self.lm_config["pad_id"]))
        p = int(is_image[0].nonzero()[0])  # the benchmark puts <image> at one place in every row
        x = torch.cat([text[:, :p], visual, text[:, p + 1:]], 1)
        ignore = torch.full((ids.shape[0], visual.shape[1]), IGNORE, dtype=labels.dtype)
        targets = torch.cat([labels[:, :p], ignore, labels[:, p + 1:]], 1)
        for layer in self.layers:
            x = layer(x)
        logits = self.norm(x) @ self.embed_tokens.weight.t()
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]).float(), targets[:, 1:].reshape(-1),
                               ignore_index=IGNORE)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--text-tokens", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", choices=["fp32", "bf16"], default="fp32",
                    help="bf16: CPU autocast, as the engine's precision bf16")
    args = ap.parse_args()
    with open(args.config) as f:
        config = json.load(f)
    config = config.get("model", config)

    torch.manual_seed(args.seed)
    model = Mllm(config)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    v = vision_defaults(config["vision"])
    b, t = args.batch, args.text_tokens
    images = torch.randn(b, v["channels"], v["image_size"], v["image_size"])
    ids = torch.randint(3, lm_defaults(config["lm"])["vocab_size"], (b, t))
    ids[:, min(2, t - 1)] = IMAGE_TOKEN
    labels = ids.clone()
    labels[:, : t // 2] = IGNORE

    def step():
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.dtype == "bf16"):
            loss = model.loss(images, ids, labels)
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    print(json.dumps({
        "config": args.config, "dtype": args.dtype, "batch": b, "text_tokens": t, "threads": torch.get_num_threads(),
        "torch": torch.__version__, "parameters": sum(p.numel() for p in model.parameters()),
        "steps": args.steps, "step_time_median_s": statistics.median(times), "step_times_s": times,
    }))


if __name__ == "__main__":
    main()
