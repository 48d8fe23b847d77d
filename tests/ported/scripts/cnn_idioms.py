# Convolutional idioms: Conv2d with padding and stride, BatchNorm2d, pooling, view(size(0), -1),
# label smoothing, AdamW with amsgrad, CosineAnnealingLR over a DataLoader, torch.save and
# load_state_dict into a new model, eval-mode predictions.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

rng = np.random.RandomState(3)
X = torch.from_numpy(rng.randn(40, 1, 12, 12).astype(np.float32))
Y = torch.from_numpy(rng.randint(0, 5, 40)).long()
loader = DataLoader(TensorDataset(X, Y), batch_size=16, shuffle=False)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, kernel_size=3, stride=2)
        self.pool = nn.MaxPool2d(2)
        self.gap = nn.AdaptiveAvgPool2d((1, 1))
        self.drop = nn.Dropout(0.0)
        self.fc = nn.Linear(6, 5)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = F.leaky_relu(self.conv2(x), 0.1)
        x = self.gap(x)
        x = x.view(x.size(0), -1)
        return self.fc(self.drop(x))


model = CNN()
captured = {}
opt = optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05, amsgrad=True)
sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=1e-4)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
for epoch in range(4):
    model.train()
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item() * xb.size(0)
    sched.step()
    print(f"epoch {epoch} loss {total / len(loader.dataset):.6f} lr {sched.get_last_lr()[0]:.6f}")
for k, v in model.state_dict().items(): print("W", k, f"{v.double().sum().item():.6f}")
torch.save(model.state_dict(), "cnn.pt")
again = CNN()
again.load_state_dict(torch.load("cnn.pt"))
model.eval()
again.eval()
with torch.no_grad():
    a, b = model(X), again(X)
print("train-mode", f"{model.train()(X).sum().item():.5f}"); model.eval()
print("reloaded equal", torch.equal(a, b), f"{a.sum().item():.5f}")
print("pred", a.argmax(1)[:10].tolist())
print("running_var", [round(v, 5) for v in model.bn1.running_var.tolist()])
print("num_batches_tracked", int(model.bn1.num_batches_tracked))
