# Classic course exercises in the older PyTorch idiom: XOR with torch.FloatTensor data and a
# hand-written SGD step (the deprecated p.data.add_(-lr, grad)), a softmax regression on
# three synthetic "iris" classes with LongTensor labels and .type(torch.FloatTensor),
# weight initialisation schemes compared by the spread of activations, torch.mv, and an
# MLP trained with Dropout and a shuffled DataLoader from one manual seed.
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

warnings.simplefilter("ignore")
torch.manual_seed(42)

X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
Y = torch.FloatTensor([[0], [1], [1], [0]])
xor = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
for epoch in range(300):
    out = xor(X)
    loss = F.binary_cross_entropy(out, Y)
    xor.zero_grad()
    loss.backward()
    for p in xor.parameters():
        p.data.add_(-0.5, p.grad.data)
    if epoch % 100 == 0:
        print(f"xor {epoch} {loss.item():.6f}")
print("xor predictions", (xor(X) > 0.5).type(torch.FloatTensor).view(-1).tolist())

rng = np.random.RandomState(0)
centers = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
feats = np.concatenate([c + 0.3 * rng.randn(30, 4) for c in centers])
X_iris = torch.from_numpy(feats).type(torch.FloatTensor)
y_iris = torch.LongTensor(np.repeat(np.arange(3), 30))
X_iris = (X_iris - X_iris.mean(0)) / X_iris.std(0)
W = torch.zeros(4, 3, requires_grad=True)
b = torch.zeros(3, requires_grad=True)
for step in range(50):
    logits = X_iris.mm(W) + b
    loss = F.nll_loss(F.log_softmax(logits, dim=1), y_iris)
    loss.backward()
    with torch.no_grad():
        W -= 0.5 * W.grad
        b -= 0.5 * b.grad
        W.grad.zero_()
        b.grad.zero_()
accuracy = (logits.argmax(1) == y_iris).float().mean()
print(f"iris loss {loss.item():.6f} accuracy {accuracy.item():.4f}")
print("mv", torch.mv(W.detach().t(), X_iris[0]).tolist())

for name, init in [
    ("normal", lambda w: nn.init.normal_(w, 0, 1)),
    ("xavier_uniform", nn.init.xavier_uniform_),
    ("xavier_normal", nn.init.xavier_normal_),
    ("kaiming_uniform", lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu")),
    ("kaiming_normal", lambda w: nn.init.kaiming_normal_(w, mode="fan_out")),
]:
    torch.manual_seed(0)
    h = torch.randn(100, 50)
    for _ in range(5):
        layer = nn.Linear(50, 50)
        init(layer.weight)
        nn.init.zeros_(layer.bias)
        h = torch.relu(layer(h))
    print("init", name, f"{h.std().item():.6f}")

torch.manual_seed(7)
data = TensorDataset(torch.randn(64, 5), torch.randint(0, 3, (64,)))
loader = DataLoader(data, batch_size=16, shuffle=True)
mlp = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3))
opt = torch.optim.SGD(mlp.parameters(), lr=0.1, momentum=0.9)
for epoch in range(3):
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(mlp(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item()
    print(f"mlp {epoch} {total / len(loader):.6f}")
mlp.eval()
print("eval", f"{mlp(data.tensors[0]).sum().item():.5f}")
