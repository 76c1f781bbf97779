"""Makes Tests/PerceptIOTests/Fixtures/torch-lenet5.safetensors: a LeNet-5 trained in PyTorch and
saved with `safetensors.torch.save_file`, plus the logits PyTorch computes for the 2,000 test images
of the embedded MNIST subset (tensor `expected_logits`), for the interoperability test.

    ~/.cache/percept/bench-venv/bin/python bench/peers/make_torch_lenet5_fixture.py

The network is the shape of Percept's `lenet5`: Conv2d(1, 6, 5, padding=2), ReLU, MaxPool2d(2),
Conv2d(6, 16, 5), ReLU, MaxPool2d(2), Flatten, Linear(400, 120), ReLU, Linear(120, 84), ReLU,
Linear(84, 10). State-dict names: 0.*, 3.*, 7.*, 9.*, 11.* (weight and bias each).
"""
import gzip
import pathlib

import numpy as np
import torch
from safetensors.torch import save_file

root = pathlib.Path(__file__).resolve().parents[2]
subset = root / "Sources/PerceptData/Resources/mnist-subset"


def idx(name):
    data = gzip.open(subset / name).read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


torch.manual_seed(0)
x = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
y = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
test = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255

nn = torch.nn
model = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for start in range(0, len(x), 64):
    optimizer.zero_grad()
    nn.functional.cross_entropy(model(x[start:start + 64]), y[start:start + 64]).backward()
    optimizer.step()

with torch.no_grad():
    logits = model(test)
tensors = {name: value.contiguous() for name, value in model.state_dict().items()}
tensors["expected_logits"] = logits.contiguous()
out = root / "Tests/PerceptIOTests/Fixtures/torch-lenet5.safetensors"
save_file(tensors, out, metadata={"source": "bench/peers/make_torch_lenet5_fixture.py", "torch": torch.__version__})
labels = idx("t10k-labels-idx1-ubyte.gz")
print(f"wrote {out} ({out.stat().st_size} bytes); accuracy {(logits.argmax(1).numpy() == labels).mean():.4f}")
