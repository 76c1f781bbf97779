#!/usr/bin/env python3
"""The scikit-learn side of the `classical` workload of bench/run.

Fits each model on the first N MNIST training images (pixels / 255, flattened to 784), predicts
the 10,000 test images, and prints one JSON line:
  {"framework": "scikit-learn", "version": ..., "train_samples": N,
   "rows": [{"model": ..., "test_accuracy": ..., "fit_seconds": ..., "predict_seconds": ...}, ...]}

Models (scikit-learn defaults unless noted): ridge = RidgeClassifier(), lda =
LinearDiscriminantAnalysis(), perceptron = Perceptron(), logistic-regression =
LogisticRegression(), svm-rbf = SVC(kernel='rbf', C=5, gamma=0.05).

  python bench/peers/sklearn_classical.py --data-dir DIR [--models a,b] [--train-limit N] [--threads T]
"""
import argparse
import gzip
import json
import os
import sys
import time


def load(path, offset):
    import numpy as np
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def find(directory, stem):
    for name in (stem + ".gz", stem):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    sys.exit(f"sklearn_classical.py: {directory} lacks {stem}[.gz]")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--models", default="ridge,lda,perceptron,logistic-regression,svm-rbf")
    parser.add_argument("--train-limit", type=int, default=60000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(args.threads)
    import numpy as np
    import sklearn
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.linear_model import LogisticRegression, Perceptron, RidgeClassifier
    from sklearn.svm import SVC

    d = args.data_dir
    x = load(find(d, "train-images-idx3-ubyte"), 16).reshape(-1, 784).astype(np.float32) / 255
    y = load(find(d, "train-labels-idx1-ubyte"), 8)
    xt = load(find(d, "t10k-images-idx3-ubyte"), 16).reshape(-1, 784).astype(np.float32) / 255
    yt = load(find(d, "t10k-labels-idx1-ubyte"), 8)
    n = min(args.train_limit, len(y))
    x, y = x[:n], y[:n]
    factories = {
        "ridge": RidgeClassifier,
        "lda": LinearDiscriminantAnalysis,
        "perceptron": Perceptron,
        "logistic-regression": LogisticRegression,
        "svm-rbf": lambda: SVC(kernel="rbf", C=5, gamma=0.05),
    }
    rows = []
    for name in args.models.split(","):
        if name not in factories:
            sys.exit(f"sklearn_classical.py: unknown model {name!r}; available: {', '.join(factories)}")
        model = factories[name]()
        start = time.perf_counter()
        model.fit(x, y)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        predicted = model.predict(xt)
        predict_seconds = time.perf_counter() - start
        accuracy = float((predicted == yt).mean())
        print(f"scikit-learn {name}: accuracy {accuracy:.4f}, fit {fit_seconds:.2f} s, predict {predict_seconds:.2f} s",
              file=sys.stderr)
        rows.append({"model": name, "test_accuracy": accuracy, "fit_seconds": fit_seconds,
                     "predict_seconds": predict_seconds})
    print(json.dumps({"framework": "scikit-learn", "version": sklearn.__version__, "train_samples": n,
                      "threads": args.threads, "rows": rows}))


if __name__ == "__main__":
    main()
