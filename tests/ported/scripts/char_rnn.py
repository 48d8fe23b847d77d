# Character-level language models with recurrent layers, as course notebooks build them:
# an RNN cell unrolled by hand, then nn.RNN, nn.LSTM and nn.GRU with batch_first and an
# embedding, trained with Adam and gradient clipping, the makemore part-3 histogram of
# activations, and greedy and sampled generation with a seeded Generator.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1337)
text = "hello world. the quick brown fox jumps over the lazy dog. hello again world. "
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
itos = {i: c for c, i in stoi.items()}
V = len(chars)
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
T = 12
starts = torch.arange(0, len(data) - T - 1, 3)
X = torch.stack([data[s : s + T] for s in starts])
Y = torch.stack([data[s + 1 : s + T + 1] for s in starts])
print("batches", X.shape[0], X.shape[1], V)

# an RNN cell unrolled by hand
cell = nn.RNNCell(V, 16)
h = torch.zeros(X.shape[0], 16)
losses = []
for t in range(T):
    h = cell(F.one_hot(X[:, t], V).float(), h)
hist, edges = torch.histogram(h.detach().flatten(), bins=5)
print("tanh saturation", (h.abs() > 0.99).float().mean().item(), hist.tolist())


class CharModel(nn.Module):
    def __init__(self, kind, hidden=24):
        super().__init__()
        self.emb = nn.Embedding(V, 10)
        self.rnn = getattr(nn, kind)(10, hidden, num_layers=2, batch_first=True, dropout=0.1)
        self.head = nn.Linear(hidden, V)

    def forward(self, x, state=None):
        out, state = self.rnn(self.emb(x), state)
        return self.head(out), state


for kind in ["RNN", "LSTM", "GRU"]:
    model = CharModel(kind)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for step in range(60):
        logits, _ = model(X)
        loss = F.cross_entropy(logits.reshape(-1, V), Y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 20 == 0:
            print(kind, step, f"{loss.item():.5f}", f"{norm.item():.5f}")
    model.eval()
    with torch.no_grad():
        ix = torch.tensor([[stoi["h"]]])
        state, out = None, "h"
        for _ in range(10):
            logits, state = model(ix, state)
            ix = logits[:, -1].argmax(dim=-1, keepdim=True)
            out += itos[ix.item()]
        g = torch.Generator().manual_seed(42)
        probs = F.softmax(logits[0, -1], dim=0)
        sampled = torch.multinomial(probs, num_samples=3, replacement=True, generator=g)
    print(kind, "greedy", repr(out), sampled.tolist())
