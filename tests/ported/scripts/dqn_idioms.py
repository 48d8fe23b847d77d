# More idioms: weight tying, model.apply(init), a DQN-style target with max(1)[0] and
# detach(), masked_fill, embedding with padding_idx, cat/stack/flatten, MSE with
# reduction='sum', SGD with nesterov and weight decay, ReduceLROnPlateau, manual decay.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

rng = np.random.RandomState(1)
tokens = torch.from_numpy(rng.randint(0, 10, (32, 5))).long()
tokens[:, -1] = 0  # padding
rewards = torch.from_numpy(rng.randn(32).astype(np.float32))
actions = torch.from_numpy(rng.randint(0, 4, 32)).long()


class Q(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 8, padding_idx=0)
        self.body = nn.Sequential(nn.Linear(40, 32), nn.Tanh(), nn.Linear(32, 8))
        self.head = nn.Linear(8, 4)
        self.out = nn.Linear(8, 10, bias=False)
        self.out.weight = self.embed.weight  # tied

    def forward(self, t):
        e = self.embed(t)
        h = self.body(e.flatten(1))
        return self.head(h), self.out(h)


def init(m):
    if isinstance(m, nn.Linear) and m.bias is not None:
        nn.init.constant_(m.bias, 0.01)


net, target_net = Q(), Q()
net.apply(init)
target_net.load_state_dict(net.state_dict())
opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)
plateau = optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
print("params", sum(p.numel() for p in net.parameters()))
for step in range(8):
    q, logits = net(tokens)
    q_taken = q.gather(1, actions.unsqueeze(1)).squeeze(1)
    with torch.no_grad():
        next_q = target_net(tokens)[0].max(1)[0]
        target = rewards + 0.9 * next_q
    mask = tokens == 0
    recon = F.log_softmax(logits, dim=1).masked_fill(mask[:, :1], 0.0)
    loss = F.mse_loss(q_taken, target.detach(), reduction="sum") / 32 - 0.01 * recon.mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    plateau.step(loss.item() if step % 3 else 10.0)
    if step == 5:
        for group in opt.param_groups:
            group["lr"] *= 0.1
    both = torch.stack([q_taken, target], dim=1)
    print(f"step {step} loss {loss.item():.6f} lr {opt.param_groups[0]['lr']:.6f} "
          f"stack {both.sum().item():.5f} tied {net.out.weight is net.embed.weight}")
print("pad row", net.embed.weight[0].abs().sum().item())
print("softmax", F.softmax(q[:2], dim=1).sum(dim=1).tolist())
print("argmax", q.argmax(dim=1)[:8].tolist())
print("cat", torch.cat([q, q], dim=0).shape[0], q.mean(dim=0, keepdim=True).shape[1])
