#!/usr/bin/env python3
"""Report of the `lstm` workload of bench/run (the recurrent side of the benchmarks).

  report_lstm.py extract percept-lstm|pytorch-lstm FILE   -> the JSON line, checked
  report_lstm.py table --results FILE.jsonl --command CMD --threads T --load TEXT

The table takes the median sequences/s of each framework over the repeats and
the ratio Percept / PyTorch of the medians, and lists every repeat and the
machine (shared with report.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys

import report

KEYS = ["workload", "sequences_per_second", "seconds", "batch_size", "max_length", "units", "embedding_size"]


def extract(path: str) -> int:
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [ln.strip() for ln in f.read().splitlines() if ln.strip().startswith("{")]
    for ln in reversed(lines):
        try:
            obj = json.loads(ln)
        except json.JSONDecodeError:
            continue
        missing = [k for k in KEYS if k not in obj]
        if missing:
            print(f"JSON line lacks keys {missing}: {ln}", file=sys.stderr)
            return 3
        print(json.dumps(obj, separators=(",", ":")))
        return 0
    print("no JSON object line on stdout", file=sys.stderr)
    return 3


def table(results: str, command: str, threads: str, load: str) -> int:
    rows = [json.loads(ln) for ln in open(results, encoding="utf-8") if ln.strip()]
    percept = [r for r in rows if r.get("framework") == "percept"]
    torch = [r for r in rows if r.get("framework") == "pytorch"]
    first = (percept or torch)[0]
    p = statistics.median(r["sequences_per_second"] for r in percept) if percept else None
    t = statistics.median(r["sequences_per_second"] for r in torch) if torch else None
    out = ["# LSTM training throughput: Percept against PyTorch", "", "| | |", "| --- | --- |"]
    out += [f"| {k} | {v} |" for k, v in report.machine()]
    out += [f"| PyTorch | {torch[0].get('torch_version', '?') if torch else 'not run'} |", "",
            f"Command: `{command}`", "",
            f"Workload: Embedding({first['vocab_size']}, {first['embedding_size']}) -> LSTM({first['units']}) -> "
            f"Dense(1), binary cross-entropy, Adam, batch {first['batch_size']}, length {first['max_length']}, "
            f"{threads} thread(s), {first['steps']} timed steps after a warm-up. Load: {load}.", "",
            "| workload | Percept sequences/s | PyTorch sequences/s | Percept / PyTorch |",
            "| --- | ---: | ---: | ---: |",
            f"| {first['workload']} | {p:,.0f} | {t:,.0f} | {p / t:.2f}x |" if p and t else "| incomplete | | | |",
            "", "| repeat | framework | sequences/s | seconds |", "| ---: | --- | ---: | ---: |"]
    for i, r in enumerate(rows):
        out.append(f"| {i // 2 + 1} | {r['framework']} | {r['sequences_per_second']:,.0f} | {r['seconds']:.2f} |")
    print("\n".join(out))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("extract")
    e.add_argument("kind")
    e.add_argument("file")
    t = sub.add_parser("table")
    t.add_argument("--results", required=True)
    t.add_argument("--command", required=True)
    t.add_argument("--threads", required=True)
    t.add_argument("--load", required=True)
    a = ap.parse_args()
    return extract(a.file) if a.cmd == "extract" else table(a.results, a.command, a.threads, a.load)


if __name__ == "__main__":
    sys.exit(main())
