#!/usr/bin/env python3
"""PyTorch peer for Percept's `bench lstm` workload.

nn.Embedding(vocab, embedding) -> nn.LSTM(embedding, units, batch_first=True)
-> last step -> nn.Linear(units, 1), binary cross-entropy on the logit
(BCEWithLogitsLoss), Adam (lr 1e-3, fused), batch 128, float32, CPU. Inputs are
random word indices in 1..vocab-1 of a fixed length (no padding, so no packing
is needed and both frameworks process every step), generated once before
timing. --warmup-steps untimed steps, then --steps timed steps.

Prints ONE JSON line on stdout with the same keys as `percept bench lstm --json`
(workload, framework, batch_size, threads, max_length, embedding_size, units,
vocab_size, steps, seconds, sequences_per_second) plus torch_version.
Everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch
from torch import nn


class Classifier(nn.Module):
    def __init__(self, cell: str, vocab: int, embedding: int, units: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        recurrent = nn.LSTM if cell == "lstm" else nn.GRU
        self.recurrent = recurrent(embedding, units, batch_first=True)
        self.dense = nn.Linear(units, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        states, _ = self.recurrent(self.embedding(x))
        return self.dense(states[:, -1, :]).squeeze(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cell", choices=["lstm", "gru"], default="lstm")
    parser.add_argument("--vocab-size", type=int, default=10000)
    parser.add_argument("--embedding-size", type=int, default=128)
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--max-length", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup-steps", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = Classifier(args.cell, args.vocab_size, args.embedding_size, args.units)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, fused=True)
    loss_fn = nn.BCEWithLogitsLoss()
    total = args.batch_size * (args.steps + args.warmup_steps)
    x = torch.randint(1, args.vocab_size, (total, args.max_length), dtype=torch.long)
    y = torch.randint(0, 2, (total,)).float()

    def train(first_step: int, count: int) -> None:
        for step in range(first_step, first_step + count):
            rows = slice(step * args.batch_size, (step + 1) * args.batch_size)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[rows]), y[rows])
            loss.backward()
            optimizer.step()

    train(0, args.warmup_steps)
    start = time.perf_counter()
    train(args.warmup_steps, args.steps)
    seconds = time.perf_counter() - start
    print(f"[torch_lstm] {args.steps} steps in {seconds:.3f} s", file=sys.stderr)
    print(json.dumps({
        "workload": f"{args.cell}-{args.units}", "framework": "pytorch", "batch_size": args.batch_size,
        "threads": args.threads, "max_length": args.max_length, "embedding_size": args.embedding_size,
        "units": args.units, "vocab_size": args.vocab_size, "steps": args.steps, "seconds": seconds,
        "sequences_per_second": args.batch_size * args.steps / seconds, "torch_version": torch.__version__,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
