#!/usr/bin/env python3
"""PyTorch twins of the benchmark's MLP GAN and DCGAN training steps.

Mirrors cli/src/bench/referenceSteps.ts layer by layer: one
discriminator update and one generator update per step, BCE from logits (non-saturating
generator loss), Adam(lr 2e-4, betas (0.5, 0.999)), losses read back every step.
Prints one JSON object on stdout: {"torch": version, "threads": n, "results": [...]}.

Usage: OPENBLAS_NUM_THREADS=1 python3 cli/src/bench/torch_reference.py --steps 20 --models mlp,dcgan --threads 1
"""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp_pair():
    def net(i, o):
        return nn.Sequential(nn.Linear(i, 256), nn.LeakyReLU(0.2), nn.Linear(256, 256), nn.LeakyReLU(0.2), nn.Linear(256, o))
    batch = 256
    real = lambda: torch.randn(batch, 2) * 0.1 + 2 * torch.sign(torch.randn(batch, 2))
    latent = lambda: torch.randn(batch, 2)
    return net(2, 2), net(2, 1), real, latent, batch


class DcganG(nn.Module):
    def __init__(self, z=100):
        super().__init__()
        self.fc = nn.Linear(z, 7 * 7 * 64)
        # 'same' transposed convs 7 -> 14 -> 28 with a 5x5 kernel, stride 2 (as tfjs pad 'same').
        self.ct1 = nn.ConvTranspose2d(64, 32, 5, stride=2, padding=2, output_padding=1)
        self.ct2 = nn.ConvTranspose2d(32, 1, 5, stride=2, padding=2, output_padding=1)

    def forward(self, z):
        h = F.leaky_relu(self.fc(z), 0.2).view(-1, 64, 7, 7)
        h = F.leaky_relu(self.ct1(h), 0.2)
        return torch.tanh(self.ct2(h))


class DcganD(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(32, 64, 5, stride=2, padding=2)
        self.fc = nn.Linear(7 * 7 * 64, 1)

    def forward(self, x):
        h = F.leaky_relu(self.c1(x), 0.2)
        h = F.leaky_relu(self.c2(h), 0.2)
        return self.fc(h.flatten(1))


def dcgan_pair():
    batch = 64
    real = lambda: torch.tanh(torch.randn(batch, 1, 28, 28))
    latent = lambda: torch.randn(batch, 100)
    return DcganG(), DcganD(), real, latent, batch


def make_step(g, d, real, latent):
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def step():
        x = real()
        with torch.no_grad():
            fake = g(latent())
        loss_d = F.softplus(-d(x)).mean() + F.softplus(d(fake)).mean()
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        fake = g(latent())
        loss_g = F.softplus(-d(fake)).mean()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        return loss_d.item(), loss_g.item()

    return step


def measure(name, pair, steps, warmup):
    torch.manual_seed(0)
    g, d, real, latent, batch = pair()
    step = make_step(g, d, real, latent)
    for _ in range(warmup):
        step()
    times = []
    cpu0 = time.process_time()
    for _ in range(steps):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1000)
    cpu = (time.process_time() - cpu0) * 1000 / steps
    times.sort()
    median = times[len(times) // 2]
    return {
        "model": name, "batch": batch, "steps": steps,
        "msPerStep": {"min": times[0], "median": median, "mean": sum(times) / len(times)},
        "stepsPerSecond": 1000 / median, "cpuMsPerStep": cpu,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--models", default="mlp,dcgan")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    pairs = {"mlp": mlp_pair, "dcgan": dcgan_pair}
    unknown = [m for m in a.models.split(",") if m not in pairs]
    if unknown:
        print(f"torch_reference.py: unknown model(s) {unknown}; known: {list(pairs)}", file=sys.stderr)
        return 2
    results = [measure(m, pairs[m], a.steps, a.warmup) for m in a.models.split(",")]
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
