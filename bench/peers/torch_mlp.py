#!/usr/bin/env python3
"""PyTorch peer for Percept's `bench mlp` workload.

Trains the MLP 784-256-256-10 (ReLU) on MNIST with Adam (lr 1e-3, the fused
implementation by default, see --adam),
cross-entropy loss and shuffled mini-batches, on the CPU, and prints ONE JSON
line on stdout with the same keys as `percept bench mlp --json`:

  {"workload": "mlp-784-256-256-10", "framework": "pytorch", "batch_size": 128,
   "images_per_second": ..., "epoch_seconds": ..., "gflops_per_second": ...,
   "flops_per_image": 1211392, "test_accuracy": ..., "torch_version": ...,
   "torch_matmul_gflops": ..., ...}

What is timed: exactly one full training epoch over the 60,000 training
images, after a warm-up of --warmup-steps steps that is not timed. Batches are
built by indexing a pre-loaded float32 tensor with a shuffled permutation (no
DataLoader, no per-batch conversion): the fastest honest path PyTorch offers
for a data set that fits in memory. Test accuracy is measured after the epoch,
outside the timed region.

Everything except the JSON line goes to stderr.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import time

import numpy as np
import torch
from torch import nn

LAYERS = (784, 256, 256, 10)
WORKLOAD = "mlp-" + "-".join(str(n) for n in LAYERS)


def log(msg: str) -> None:
    print(f"[torch_mlp] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# MNIST IDX parsing (numpy + gzip, no torchvision)
# --------------------------------------------------------------------------

def read_idx(path: str) -> np.ndarray:
    """Read an IDX file (optionally gzip-compressed) into a numpy array.

    IDX header: two zero bytes, one type byte, one byte with the number of
    dimensions, then one big-endian uint32 per dimension, then the data in
    row-major order (big-endian for multi-byte types).
    """
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an IDX file (bad magic)")
    types = {
        0x08: np.dtype(np.uint8),
        0x09: np.dtype(np.int8),
        0x0B: np.dtype(">i2"),
        0x0C: np.dtype(">i4"),
        0x0D: np.dtype(">f4"),
        0x0E: np.dtype(">f8"),
    }
    dtype = types.get(data[2])
    if dtype is None:
        raise ValueError(f"{path}: unknown IDX type byte 0x{data[2]:02x}")
    ndim = data[3]
    header = 4 + 4 * ndim
    dims = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(dims)) * dtype.itemsize
    if len(data) - header != expected:
        raise ValueError(f"{path}: payload is {len(data) - header} bytes, header says {expected}")
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(dims)


def find_file(data_dir: str, stem: str) -> str:
    for name in (stem + ".gz", stem):
        p = os.path.join(data_dir, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"{stem}[.gz] not found in {data_dir}")


def load_split(data_dir: str, prefix: str) -> tuple[torch.Tensor, torch.Tensor]:
    images = read_idx(find_file(data_dir, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(find_file(data_dir, f"{prefix}-labels-idx1-ubyte"))
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(f"{prefix}: unexpected shapes images {images.shape}, labels {labels.shape}")
    x = images.reshape(images.shape[0], -1).astype(np.float32) / np.float32(255.0)
    y = labels.astype(np.int64)
    return torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y)


# --------------------------------------------------------------------------
# Model and FLOP count
# --------------------------------------------------------------------------

def build_model() -> nn.Sequential:
    mods: list[nn.Module] = []
    for i in range(len(LAYERS) - 1):
        mods.append(nn.Linear(LAYERS[i], LAYERS[i + 1]))
        if i < len(LAYERS) - 2:
            mods.append(nn.ReLU())
    return nn.Sequential(*mods)


def flops_per_image() -> int:
    """Multiply-add FLOPs of one training step, per image, counted as 2 per MAC.

    For a Linear layer with weight W (out x in), one image costs:
      forward        y  = W x          : 2*in*out
      weight grad    dW = dy x^T       : 2*in*out
      input grad     dx = W^T dy       : 2*in*out
    so 3 * 2*in*out per layer, except that the first layer's input gradient
    (the gradient w.r.t. the pixels) is never needed and PyTorch does not
    compute it (the input does not require grad). Hence
      3 * 2*(784*256 + 256*256 + 256*10) - 2*784*256 = 1,211,392.
    Biases, ReLU, softmax/cross-entropy and the Adam update are O(params) or
    O(activations), not counted (they are < 1% of the total here). The same
    formula is used by Percept, so GFLOP/s compare like with like.
    """
    macs = sum(LAYERS[i] * LAYERS[i + 1] for i in range(len(LAYERS) - 1))
    first = LAYERS[0] * LAYERS[1]
    return 3 * 2 * macs - 2 * first


# --------------------------------------------------------------------------
# Training / evaluation
# --------------------------------------------------------------------------

def train_steps(model, opt, loss_fn, x, y, perm, batch_size, max_steps=None) -> tuple[int, float]:
    """Run training steps over `perm` in batches; returns (steps, last loss)."""
    n = perm.shape[0]
    steps = 0
    last = float("nan")
    loss = None
    for start in range(0, n, batch_size):
        if max_steps is not None and steps >= max_steps:
            break
        idx = perm[start:start + batch_size]
        xb = x.index_select(0, idx)
        yb = y.index_select(0, idx)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        steps += 1
    if loss is not None:
        last = float(loss.detach())
    return steps, last


def evaluate(model, x, y, batch_size=10000) -> float:
    model.eval()
    correct = 0
    with torch.inference_mode():
        for start in range(0, x.shape[0], batch_size):
            pred = model(x[start:start + batch_size]).argmax(dim=1)
            correct += int((pred == y[start:start + batch_size]).sum())
    model.train()
    return correct / x.shape[0]


def matmul_gflops(n: int, min_seconds: float = 1.0) -> float:
    """GFLOP/s of a float32 n x n x n matmul (2*n^3 FLOPs), best of the timed rounds."""
    g = torch.Generator().manual_seed(n)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    c = torch.empty(n, n)
    for _ in range(3):  # warm-up
        torch.mm(a, b, out=c)
    best = 0.0
    total = 0.0
    while total < min_seconds:
        reps = max(1, int(0.2 * 1e9 * 50 / (2 * n**3)))  # roughly 0.2 s at 50 GFLOP/s
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=c)
        dt = time.perf_counter() - t0
        total += dt
        best = max(best, 2 * n**3 * reps / dt / 1e9)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True,
                    help="folder with the four MNIST IDX files (train-images-idx3-ubyte.gz, ...)")
    ap.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default 2)")
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--warmup-steps", type=int, default=20, help="untimed steps before the epoch (default 20)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--adam", choices=("fused", "foreach", "forloop"), default="fused",
                    help="Adam implementation (same update, different kernels). Default fused: one kernel "
                         "for all parameters, PyTorch's fastest on CPU. On CPU PyTorch's own default is "
                         "forloop, which costs about a third of each step here.")
    ap.add_argument("--no-matmul", action="store_true", help="skip the torch matmul GFLOP/s measurement")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    t0 = time.perf_counter()
    x_train, y_train = load_split(args.data_dir, "train")
    x_test, y_test = load_split(args.data_dir, "t10k")
    log(f"loaded MNIST from {args.data_dir}: train {tuple(x_train.shape)}, test {tuple(x_test.shape)} "
        f"in {time.perf_counter() - t0:.2f} s; torch {torch.__version__}, threads {torch.get_num_threads()}")

    loss_fn = nn.CrossEntropyLoss()
    adam_kw = {"fused": {"fused": True}, "foreach": {"foreach": True},
               "forloop": {"foreach": False, "fused": False}}[args.adam]

    # Warm-up on a throw-away model of the same shape: it brings up the thread
    # pool, the allocator and the BLAS/oneDNN kernels, while the timed model
    # starts from a fresh initialization (so test_accuracy is that of exactly
    # one epoch of training).
    if args.warmup_steps > 0:
        warm = build_model()
        warm_opt = torch.optim.Adam(warm.parameters(), lr=1e-3, **adam_kw)
        warm_perm = torch.randperm(x_train.shape[0])
        train_steps(warm, warm_opt, loss_fn, x_train, y_train, warm_perm, args.batch_size, args.warmup_steps)
        del warm, warm_opt

    model = build_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, **adam_kw)
    perm = torch.randperm(x_train.shape[0])

    n_images = x_train.shape[0]
    t0 = time.perf_counter()
    steps, last_loss = train_steps(model, opt, loss_fn, x_train, y_train, perm, args.batch_size)
    epoch_seconds = time.perf_counter() - t0

    acc = evaluate(model, x_test, y_test)
    fpi = flops_per_image()
    ips = n_images / epoch_seconds
    log(f"epoch: {steps} steps, {epoch_seconds:.3f} s, {ips:.0f} images/s, last loss {last_loss:.4f}, "
        f"test accuracy {acc:.4f}")

    result = {
        "workload": WORKLOAD,
        "framework": "pytorch",
        "batch_size": args.batch_size,
        "images_per_second": round(ips, 1),
        "epoch_seconds": round(epoch_seconds, 4),
        "gflops_per_second": round(ips * fpi / 1e9, 2),
        "flops_per_image": fpi,
        "test_accuracy": round(acc, 4),
        "threads": torch.get_num_threads(),
        "train_images": n_images,
        "steps": steps,
        "warmup_steps": args.warmup_steps,
        "final_train_loss": round(last_loss, 4),
        "adam_impl": args.adam,
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
    }

    if not args.no_matmul:
        by_size = {}
        for n in (1024, 2048):
            by_size[str(n)] = round(matmul_gflops(n), 1)
        log(f"torch.mm float32 GFLOP/s: {by_size}")
        # Scalar: the best of the two sizes (a roof is a maximum); per size alongside.
        result["torch_matmul_gflops"] = max(by_size.values())
        result["torch_matmul_gflops_by_size"] = by_size

    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
