#!/usr/bin/env python3
"""PyTorch peer for Percept's `bench lenet5` and `bench cnn` workloads.

Trains one of the two MNIST convolutional networks on the CPU with Adam (lr
1e-3, fused), cross-entropy and shuffled mini-batches, and prints ONE JSON line
on stdout with the same keys as `percept bench lenet5|cnn --json`.

  lenet5  conv 6@5x5 same (ReLU) -> max-pool 2 -> conv 16@5x5 valid (ReLU) ->
          max-pool 2 -> dense 120 (ReLU) -> dense 84 (ReLU) -> dense 10
  cnn     conv 32@5x5 same (ReLU) -> max-pool 2 -> conv 64@5x5 same (ReLU) ->
          max-pool 2 -> dense 1024 (ReLU) -> dropout 0.4 -> dense 10

What is timed: exactly one training epoch over the 60,000 training images,
after untimed warm-up steps on a throw-away model. Batches are gathered from a
pre-loaded float32 tensor [n, 1, 28, 28] (PyTorch's native NCHW layout) by
index_select. Test accuracy is measured after the epoch, outside the timing.
The peak resident memory of the process (ru_maxrss) is reported too.

Everything except the JSON line goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_mlp import evaluate, load_split, matmul_gflops, train_steps  # noqa: E402


def log(msg: str) -> None:
    print(f"[torch_cnn] {msg}", file=sys.stderr, flush=True)


def build_model(name: str) -> nn.Sequential:
    if name == "lenet5":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.4), nn.Linear(1024, 10))


def flops_per_image(name: str) -> int:
    """Training FLOPs per image, 2 per multiply-add: forward, weight gradient and input gradient
    of every convolution and dense layer, less the input gradient of the first convolution (the
    pixels need none). Pooling, ReLU, biases, dropout, the loss and Adam are not counted. Percept
    computes the same number from its own model."""
    if name == "lenet5":
        macs = [28 * 28 * 6 * 25, 10 * 10 * 16 * 150, 400 * 120, 120 * 84, 84 * 10]
    else:
        macs = [28 * 28 * 32 * 25, 14 * 14 * 64 * 800, 3136 * 1024, 1024 * 10]
    return 3 * 2 * sum(macs) - 2 * macs[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", choices=("lenet5", "cnn"))
    ap.add_argument("--data-dir", required=True, help="folder with the four MNIST IDX files")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=None, help="default 64 for lenet5, 100 for cnn")
    ap.add_argument("--warmup-steps", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-matmul", action="store_true", help="skip the torch matmul GFLOP/s measurement")
    args = ap.parse_args()
    batch = args.batch_size or (64 if args.model == "lenet5" else 100)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x_train, y_train = load_split(args.data_dir, "train")
    x_test, y_test = load_split(args.data_dir, "t10k")
    x_train = x_train.reshape(-1, 1, 28, 28).contiguous()
    x_test = x_test.reshape(-1, 1, 28, 28).contiguous()
    log(f"torch {torch.__version__}, threads {torch.get_num_threads()}, model {args.model}, batch {batch}")

    loss_fn = nn.CrossEntropyLoss()
    if args.warmup_steps > 0:
        warm = build_model(args.model)
        warm_opt = torch.optim.Adam(warm.parameters(), lr=1e-3, fused=True)
        train_steps(warm, warm_opt, loss_fn, x_train, y_train, torch.randperm(x_train.shape[0]), batch,
                    args.warmup_steps)
        del warm, warm_opt

    model = build_model(args.model)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, fused=True)
    perm = torch.randperm(x_train.shape[0])
    t0 = time.perf_counter()
    steps, last_loss = train_steps(model, opt, loss_fn, x_train, y_train, perm, batch)
    epoch_seconds = time.perf_counter() - t0
    acc = evaluate(model, x_test, y_test, batch_size=1000)
    fpi = flops_per_image(args.model)
    ips = x_train.shape[0] / epoch_seconds
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    log(f"epoch: {steps} steps, {epoch_seconds:.3f} s, {ips:.0f} images/s, test accuracy {acc:.4f}")
    result = {
        "workload": args.model,
        "framework": "pytorch",
        "batch_size": batch,
        "images_per_second": round(ips, 1),
        "epoch_seconds": round(epoch_seconds, 4),
        "gflops_per_second": round(ips * fpi / 1e9, 2),
        "flops_per_image": fpi,
        "test_accuracy": round(acc, 4),
        "threads": torch.get_num_threads(),
        "steps": steps,
        "final_train_loss": round(last_loss, 4),
        "peak_rss_bytes": peak,
        "torch_version": torch.__version__,
        "python": platform.python_version(),
    }
    if not args.no_matmul:
        result["torch_matmul_gflops"] = round(max(matmul_gflops(1024), matmul_gflops(2048)), 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
