"""Makes Tests/PerceptIOTests/Fixtures/torch-mlp-784-32-10.safetensors: an MLP trained in PyTorch,
saved with `safetensors.torch.save_file`, plus the logits PyTorch computes for the first 16 test
images of the embedded MNIST subset (tensor `expected_logits`), for the interoperability test.

    ~/.cache/percept/bench-venv/bin/python bench/peers/make_torch_mlp_fixture.py

The network is nn.Sequential(Flatten, Linear(784, 32), ReLU, Linear(32, 10)); its state dict
names are `1.weight` [32, 784], `1.bias`, `3.weight` [10, 32], `3.bias`.
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
x = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
y = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
test = torch.tensor(idx("t10k-images-idx3-ubyte.gz")[:16], dtype=torch.float32) / 255

model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for start in range(0, len(x), 128):
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x[start:start + 128]), y[start:start + 128])
    loss.backward()
    optimizer.step()

with torch.no_grad():
    logits = model(test)
tensors = {name: value.contiguous() for name, value in model.state_dict().items()}
tensors["expected_logits"] = logits.contiguous()
out = root / "Tests/PerceptIOTests/Fixtures/torch-mlp-784-32-10.safetensors"
save_file(tensors, out, metadata={"source": "bench/peers/make_torch_mlp_fixture.py", "torch": torch.__version__})
print(f"wrote {out} ({out.stat().st_size} bytes); predicted classes {logits.argmax(1).tolist()}")
