# Common training-loop idioms from PyTorch tutorials and forum answers: gradient accumulation,
# clipping, param groups with their own lr, a scheduler, zero_grad(set_to_none=False),
# a hand-written weight decay through .grad.add_ and .data, retain_grad, in-place masking.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

rng = np.random.RandomState(0)
X = torch.from_numpy(rng.randn(96, 6).astype(np.float32))
y = torch.from_numpy(rng.randint(0, 3, 96)).long()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 16, bias=False)  # (BatchNorm cancels a bias: its gradient is 0)
        self.bn = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        h = F.relu(self.bn(self.fc1(x)))
        h = h.clone()
        h[h > 2.0] = 2.0
        return self.fc2(h)


model = Net()
optimizer = optim.Adam(
    [
        {"params": model.fc1.parameters()},
        {"params": list(model.bn.parameters()) + list(model.fc2.parameters()), "lr": 3e-3},
    ],
    lr=1e-2,
    weight_decay=1e-4,
    amsgrad=True,
)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
accumulate = 3
for epoch in range(6):
    model.train()
    optimizer.zero_grad(set_to_none=False)
    for i, start in enumerate(range(0, 96, 16)):
        out = model(X[start : start + 16])
        loss = F.cross_entropy(out, y[start : start + 16]) / accumulate
        loss.backward()
        if (i + 1) % accumulate == 0:
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)
            optimizer.step()
            optimizer.zero_grad(set_to_none=False)
            print(f"epoch {epoch} batch {i} loss {loss.item() * accumulate:.6f} norm {norm:.6f}")
    scheduler.step()
    print("lr", [g["lr"] for g in optimizer.param_groups])

model.eval()
with torch.no_grad():
    logits = model(X)
    acc = (logits.argmax(dim=1) == y).float().mean()
print(f"accuracy {acc.item():.4f}")
print("running_mean", model.bn.running_mean[:4].tolist())

# a hand-written step with L2 through .grad and .data, as older tutorials write it
w = model.fc2.weight
loss = F.cross_entropy(model(X), y)
model.zero_grad()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p.grad.add_(p.data, alpha=1e-3)
        p.data.add_(p.grad, alpha=-0.1)
print(f"after manual step {F.cross_entropy(model(X), y).item():.6f} {w.sum().item():.6f}")

# retain_grad on an activation, gradients of a non-leaf
h = model.fc1(X)
h.retain_grad()
out = model.fc2(F.relu(model.bn(h)))
out.sum().backward()
print(f"h.grad {h.grad.abs().sum().item():.6f} {h.grad.shape}")
state = optimizer.state_dict()
print("state keys", sorted(state["state"][0].keys()), state["param_groups"][1]["lr"])
