#!/usr/bin/env python3
"""Helpers for bench/run (standard library only).

  report.py extract KIND STDOUT_FILE
      Find the JSON object line a benchmark printed on stdout, check it has
      the keys KIND needs, and print it back as one compact line. Exits 3
      with a message on stderr when there is none. KIND is one of
      percept-sgemm, percept-mlp, pytorch-mlp.

  report.py table --results FILE.jsonl --command CMD [--threads N]
      Print the Markdown report (machine, command, table, per-run values)
      from the raw JSON lines of one bench/run invocation. Medians are taken
      over the repeats; ratios and shares are computed from the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys

REQUIRED = {
    "percept-sgemm": ["workload", "gflops_per_second"],
    "percept-mlp": ["workload", "images_per_second", "epoch_seconds", "gflops_per_second", "flops_per_image"],
    "pytorch-mlp": ["workload", "images_per_second", "epoch_seconds", "gflops_per_second", "flops_per_image",
                    "torch_version"],
}
# The convolutional workloads (bench/run lenet5|cnn) report the same keys plus the peak memory.
for _name in ("lenet5", "cnn"):
    REQUIRED[f"percept-{_name}"] = REQUIRED["percept-mlp"] + ["peak_rss_bytes"]
    REQUIRED[f"pytorch-{_name}"] = REQUIRED["pytorch-mlp"] + ["peak_rss_bytes"]


def is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def extract(kind: str, path: str) -> int:
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [ln.strip() for ln in f.read().splitlines() if ln.strip()]
    obj = None
    for ln in reversed(lines):
        if ln.startswith("{"):
            try:
                cand = json.loads(ln)
            except json.JSONDecodeError:
                continue
            if isinstance(cand, dict):
                obj = cand
                break
    if obj is None:
        shown = "\n".join(lines[-5:]) if lines else "(nothing)"
        print(f"no JSON object line on stdout; it printed:\n{shown}", file=sys.stderr)
        return 3
    missing = [k for k in REQUIRED[kind] if k not in obj]
    bad = [k for k in REQUIRED[kind] if k in obj and k != "workload" and k != "torch_version"
           and not is_number(obj[k])]
    if missing or bad:
        print(f"JSON line lacks keys {missing} / has non-numeric {bad}: {json.dumps(obj)}", file=sys.stderr)
        return 3
    if kind == "percept-sgemm" and obj.get("workload") != "sgemm":
        print(f"expected workload 'sgemm', got {obj.get('workload')!r}", file=sys.stderr)
        return 3
    print(json.dumps(obj, separators=(",", ":")))
    return 0


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def run(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip()
    except Exception:  # noqa: BLE001 - any failure just means "unknown"
        return ""


def machine() -> list[tuple[str, str]]:
    lscpu = run(["lscpu"])
    fields = {}
    for ln in lscpu.splitlines():
        if ":" in ln:
            k, v = ln.split(":", 1)
            fields[k.strip()] = v.strip()
    model = fields.get("Model name", platform.processor() or "unknown")
    flags = fields.get("Flags", "").split()
    simd = ", ".join(f for f in ("avx2", "fma", "avx512f") if f in flags) or "none of avx2/fma/avx512f"
    try:
        cores = int(fields.get("Core(s) per socket", "0")) * int(fields.get("Socket(s)", "0"))
    except ValueError:
        cores = 0
    tpc = fields.get("Thread(s) per core", "?")
    mem = "unknown"
    try:
        with open("/proc/meminfo") as f:
            for ln in f:
                if ln.startswith("MemTotal:"):
                    mem = f"{int(ln.split()[1]) / 1024 / 1024:.1f} GiB"
                    break
    except OSError:
        pass
    swift = run(["swift", "--version"]).splitlines()
    swift_v = next((ln for ln in swift if "Swift version" in ln), swift[0] if swift else "not found")
    blas = run(["dpkg-query", "-W", "libopenblas0-pthread"])
    if not blas or "no packages found" in blas.lower():
        blas = "libopenblas0-pthread not installed"
    blas = re.sub(r"\s+", " ", blas)
    distro = "unknown"
    try:
        with open("/etc/os-release") as f:
            for ln in f:
                if ln.startswith("PRETTY_NAME="):
                    distro = ln.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    virt = fields.get("Hypervisor vendor")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    commit = run(["git", "-C", root, "rev-parse", "--short=12", "HEAD"]) or "unknown"
    dirty = run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"])
    commit += " (with uncommitted changes under Sources/ or Package.swift)" if dirty else ""
    return [
        ("Percept commit", commit),
        ("CPU", f"{model} ({simd})" + (f", {virt} guest" if virt else "")),
        ("cores", f"{cores or '?'} physical ({tpc} thread(s) per core), nproc {run(['nproc']) or '?'}"),
        ("memory", mem),
        ("OS / kernel", f"{distro} / Linux {platform.release()}"),
        ("Swift", swift_v),
        ("OpenBLAS", blas),
    ]


def fmt(v, digits=0, suffix="") -> str:
    if v is None:
        return "pending"
    if digits == 0:
        return f"{v:,.0f}{suffix}"
    return f"{v:,.{digits}f}{suffix}"


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def table(results: str, command: str, threads: str, load: str, peers_only: bool) -> int:
    sgemm, percept, torch_ = [], [], []
    with open(results, encoding="utf-8") as f:
        for ln in f:
            ln = ln.strip()
            if not ln:
                continue
            obj = json.loads(ln)
            if obj.get("workload") == "sgemm":
                sgemm.append(obj)
            elif obj.get("framework") == "pytorch":
                torch_.append(obj)
            elif obj.get("framework") == "percept":
                percept.append(obj)

    roof = med([o["gflops_per_second"] for o in sgemm])
    p_ips = med([o["images_per_second"] for o in percept])
    t_ips = med([o["images_per_second"] for o in torch_])
    p_gf = med([o["gflops_per_second"] for o in percept])
    t_gf = med([o["gflops_per_second"] for o in torch_])
    p_acc = med([o.get("test_accuracy") for o in percept])
    t_acc = med([o.get("test_accuracy") for o in torch_])
    p_sec = med([o["epoch_seconds"] for o in percept])
    t_sec = med([o["epoch_seconds"] for o in torch_])
    t_mm = med([o.get("torch_matmul_gflops") for o in torch_])
    ratio = p_ips / t_ips if p_ips and t_ips else None
    p_share = p_gf / roof * 100 if p_gf is not None and roof else None
    t_share = t_gf / roof * 100 if t_gf is not None and roof else None
    workload = (percept or torch_ or [{"workload": "mlp-784-256-256-10"}])[0]["workload"]
    batch = (percept or torch_ or [{}])[0].get("batch_size", "?")
    torch_v = torch_[0]["torch_version"] if torch_ else "not run"
    if torch_ and torch_[0].get("adam_impl"):
        torch_v += f" (Adam implementation: {torch_[0]['adam_impl']})"
    n = max(len(percept), len(torch_), len(sgemm))

    out = []
    out.append("## Machine\n")
    out.append("| | |")
    out.append("| --- | --- |")
    extra = [("PyTorch", torch_v)] + ([("machine load around the runs", load)] if load else [])
    for k, v in machine() + extra:
        out.append(f"| {k} | {v} |")
    out.append("\n## Command\n")
    out.append("```")
    out.append(command)
    out.append("```\n")
    out.append(f"Threads: {threads} for both frameworks. Batch size {batch}, one training epoch over 60,000 "
               f"images, warm-up excluded. Medians over {n} "
               f"{'repeat(s) of PyTorch alone' if peers_only else 'alternating repeat(s)'}.\n")
    if not percept and peers_only:
        out.append("Percept's columns are pending: this run measured PyTorch only (--peers-only).\n")
    out.append("## Result\n")
    out.append("| workload | Percept images/s | PyTorch images/s | Percept / PyTorch "
               "| Percept GFLOP/s | Percept % of sgemm roof | PyTorch GFLOP/s | PyTorch % of sgemm roof |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    out.append(f"| {workload} | {fmt(p_ips)} | {fmt(t_ips)} | {fmt(ratio, 2, 'x')} | {fmt(p_gf, 1)} "
               f"| {fmt(p_share, 0, '%')} | {fmt(t_gf, 1)} | {fmt(t_share, 0, '%')} |")
    out.append("")
    out.append(f"- sgemm roof (Percept through OpenBLAS, median): {fmt(roof, 1)} GFLOP/s"
               + (f", sizes {sgemm[0].get('sizes')}" if sgemm else ""))
    out.append(f"- torch.mm float32 (median of the best of 1024 and 2048): {fmt(t_mm, 1)} GFLOP/s")
    out.append(f"- epoch seconds (median): Percept {fmt(p_sec, 3)}, PyTorch {fmt(t_sec, 3)}")
    out.append(f"- test accuracy after the epoch (median): Percept {fmt(p_acc, 4)}, PyTorch {fmt(t_acc, 4)}")
    p_rss = med([o.get("peak_rss_bytes") for o in percept])
    t_rss = med([o.get("peak_rss_bytes") for o in torch_])
    if p_rss is not None or t_rss is not None:
        mib = lambda v: None if v is None else v / 2**20  # noqa: E731
        out.append(f"- peak resident memory of the process (median): Percept {fmt(mib(p_rss), 0, ' MiB')}, "
                   f"PyTorch {fmt(mib(t_rss), 0, ' MiB')}")
    fp = {o.get("flops_per_image") for o in percept + torch_}
    if len(fp) > 1:
        out.append(f"- WARNING: flops_per_image differs between frameworks: {sorted(fp)}")
    else:
        out.append(f"- FLOPs per image (forward + backward, no input gradient of layer 1): "
                   f"{fmt(next(iter(fp)) if fp else None)}")
    out.append("\n## Per run\n")
    out.append("| repeat | sgemm GFLOP/s | Percept images/s | PyTorch images/s | torch.mm GFLOP/s |")
    out.append("| ---: | ---: | ---: | ---: | ---: |")

    def at(lst, i, key):
        return lst[i].get(key) if i < len(lst) else None

    for i in range(n):
        out.append(f"| {i + 1} | {fmt(at(sgemm, i, 'gflops_per_second'), 1)} "
                   f"| {fmt(at(percept, i, 'images_per_second'))} | {fmt(at(torch_, i, 'images_per_second'))} "
                   f"| {fmt(at(torch_, i, 'torch_matmul_gflops'), 1)} |")
    print("\n".join(out))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("extract")
    e.add_argument("kind", choices=sorted(REQUIRED))
    e.add_argument("file")
    t = sub.add_parser("table")
    t.add_argument("--results", required=True)
    t.add_argument("--command", required=True)
    t.add_argument("--threads", default="2")
    t.add_argument("--load", default="", help="how busy the machine was around the runs, for the record")
    t.add_argument("--peers-only", default="0", help="1 when bench/run was given --peers-only")
    a = ap.parse_args()
    if a.cmd == "extract":
        return extract(a.kind, a.file)
    return table(a.results, a.command, a.threads, a.load, a.peers_only == "1")


if __name__ == "__main__":
    sys.exit(main())
