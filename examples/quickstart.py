"""The README's PyTorch-style training loop: the course's 2-5-2-1 network on two moons.

python examples/quickstart.py
"""

import argparse

import numpy as np

import nn
import optimizers
from data import DataLoader, TensorDataset
from data.datasets import make_moons

if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args()  # (--help)

nn.manual_seed(0)
X, y = make_moons(n_samples=300, noise=0.2, generator=1)
loader = DataLoader(
    TensorDataset(X.astype(np.float32), y.astype(np.float32)[:, None]), batch_size=64, shuffle=True
)

model = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 2), nn.ReLU(), nn.Linear(2, 1))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = optimizers.Adam(model.parameters(), lr=0.01)

for epoch in range(300):
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
    if epoch % 50 == 0:
        print(f"epoch {epoch:3d}  loss {loss.item():.4f}")

with nn.no_grad():
    accuracy = ((model(X)[:, 0] > 0) == nn.tensor(y == 1)).float().mean().item()
print(f"train accuracy {accuracy:.3f}")
