#!/usr/bin/env python3
"""Helpers of bench/classical-run (standard library only).

  classical_report.py percept-compare REPORT.json REPEAT   one JSON line per row of `percept compare`
  classical_report.py percept-train REPORT.json REPEAT     one JSON line from `percept train` report
  classical_report.py sklearn OUTPUT REPEAT                one JSON line per row of sklearn_classical.py
  classical_report.py table RESULTS.jsonl COMMAND LOAD_START LOAD_END   the Markdown report
"""
import json
import platform
import statistics
import sys


def emit(framework, repeat, model, train_samples, accuracy, fit, predict):
    print(json.dumps({"framework": framework, "repeat": int(repeat), "model": model, "train_samples": train_samples,
                      "test_accuracy": accuracy, "fit_seconds": fit, "predict_seconds": predict}))


def main():
    kind = sys.argv[1]
    if kind == "percept-compare":
        report = json.load(open(sys.argv[2]))
        for row in report["rows"]:
            emit("percept", sys.argv[3], row["model"], row["train_samples"], row["test_accuracy"], row["fit_seconds"],
                 row["predict_seconds"])
    elif kind == "percept-train":
        r = json.load(open(sys.argv[2]))
        emit("percept", sys.argv[3], r["model"], r["train_samples"], r["test_accuracy"], r["train_seconds"],
             r["predict_seconds"])
    elif kind == "sklearn":
        lines = [l for l in open(sys.argv[2]) if l.startswith("{")]
        if not lines:
            sys.exit("classical_report.py: sklearn_classical.py printed no JSON line")
        out = json.loads(lines[-1])
        for row in out["rows"]:
            emit("scikit-learn", sys.argv[3], row["model"], out["train_samples"], row["test_accuracy"],
                 row["fit_seconds"], row["predict_seconds"])
    elif kind == "table":
        rows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
        command, load_start, load_end = sys.argv[3], sys.argv[4], sys.argv[5]
        keys = []
        for r in rows:
            if (r["model"], r["train_samples"]) not in keys:
                keys.append((r["model"], r["train_samples"]))
        print(f"Command: `{command}`  \nMachine: {platform.node()}, {platform.machine()}, "
              f"load average before {load_start}, after {load_end}\n")
        print("| model | train samples | Percept accuracy | scikit-learn accuracy | Percept fit+predict s | "
              "scikit-learn fit+predict s | speed-up | Percept fit / predict s | scikit-learn fit / predict s |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for model, n in keys:
            def med(framework, field):
                values = [r[field] for r in rows if r["framework"] == framework and r["model"] == model
                          and r["train_samples"] == n]
                return statistics.median(values) if values else float("nan")
            p_total = med("percept", "fit_seconds") + med("percept", "predict_seconds")
            k_total = med("scikit-learn", "fit_seconds") + med("scikit-learn", "predict_seconds")
            print(f"| {model} | {n:,} | {med('percept', 'test_accuracy'):.4f} | {med('scikit-learn', 'test_accuracy'):.4f} "
                  f"| {p_total:.2f} | {k_total:.2f} | {k_total / p_total:.2f}x "
                  f"| {med('percept', 'fit_seconds'):.2f} / {med('percept', 'predict_seconds'):.2f} "
                  f"| {med('scikit-learn', 'fit_seconds'):.2f} / {med('scikit-learn', 'predict_seconds'):.2f} |")
        print("\nMedians over the repeats; speed-up = scikit-learn fit+predict seconds / Percept's.")
    else:
        sys.exit(f"classical_report.py: unknown command {kind!r}")


if __name__ == "__main__":
    main()
