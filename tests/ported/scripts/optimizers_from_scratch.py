# A course notebook's optimization chapter: gradient descent, momentum, AdaGrad, RMSProp,
# Adadelta and Adam written by hand on f(x1, x2) = 0.1 x1^2 + 2 x2^2 (its contour grid from
# torch.meshgrid), then the same rules from torch.optim on a small regression with learning
# rate schedules, weights drawn from torch.normal with a manual seed.
import math

import torch
from torch import nn


def f_2d(x1, x2):
    return 0.1 * x1**2 + 2 * x2**2


def grad_f(x1, x2):
    return 0.2 * x1, 4 * x2


x1, x2 = torch.meshgrid(torch.arange(-5.5, 1.0, 0.5), torch.arange(-3.0, 1.0, 0.5), indexing="ij")
print("grid", x1.shape, f"{f_2d(x1, x2).sum().item():.4f}")


def train_2d(update, steps=20):
    x1, x2, s1, s2 = -5.0, -2.0, 0.0, 0.0
    for _ in range(steps):
        x1, x2, s1, s2 = update(x1, x2, s1, s2)
    return x1, x2


def gd(x1, x2, s1, s2, eta=0.4):
    g1, g2 = grad_f(x1, x2)
    return x1 - eta * g1, x2 - eta * g2, 0, 0


def momentum(x1, x2, v1, v2, eta=0.4, beta=0.5):
    g1, g2 = grad_f(x1, x2)
    v1, v2 = beta * v1 + g1, beta * v2 + g2
    return x1 - eta * v1, x2 - eta * v2, v1, v2


def adagrad(x1, x2, s1, s2, eta=0.4, eps=1e-6):
    g1, g2 = grad_f(x1, x2)
    s1, s2 = s1 + g1**2, s2 + g2**2
    return x1 - eta / math.sqrt(s1 + eps) * g1, x2 - eta / math.sqrt(s2 + eps) * g2, s1, s2


def rmsprop(x1, x2, s1, s2, eta=0.4, gamma=0.9, eps=1e-6):
    g1, g2 = grad_f(x1, x2)
    s1, s2 = gamma * s1 + (1 - gamma) * g1**2, gamma * s2 + (1 - gamma) * g2**2
    return x1 - eta / math.sqrt(s1 + eps) * g1, x2 - eta / math.sqrt(s2 + eps) * g2, s1, s2


for name, rule in [("gd", gd), ("momentum", momentum), ("adagrad", adagrad), ("rmsprop", rmsprop)]:
    a, b = train_2d(rule)
    print(name, f"{a:.6f} {b:.6f}")


def init_adadelta_states(n):
    return [(torch.zeros(n, 1), torch.zeros(n, 1)), (torch.zeros(1), torch.zeros(1))]


def adadelta(params, states, rho=0.9, eps=1e-5):
    for p, (s, delta) in zip(params, states):
        with torch.no_grad():
            s[:] = rho * s + (1 - rho) * torch.square(p.grad)
            g = (torch.sqrt(delta + eps) / torch.sqrt(s + eps)) * p.grad
            p[:] -= g
            delta[:] = rho * delta + (1 - rho) * g * g
        p.grad.data.zero_()


def adam(params, states, hyper):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        with torch.no_grad():
            v[:] = beta1 * v + (1 - beta1) * p.grad
            s[:] = beta2 * s + (1 - beta2) * torch.square(p.grad)
            v_bias_corr = v / (1 - beta1 ** hyper["t"])
            s_bias_corr = s / (1 - beta2 ** hyper["t"])
            p[:] -= hyper["lr"] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
        p.grad.data.zero_()
    hyper["t"] += 1


torch.manual_seed(0)
features = torch.normal(0, 1, (64, 3))
true_w = torch.tensor([[2.0], [-3.4], [1.2]])
labels = features @ true_w + 4.2 + torch.normal(0, 0.01, (64, 1))


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


for name in ("adadelta", "adam"):
    w = torch.normal(mean=0.0, std=0.01, size=(3, 1), requires_grad=True)
    b = torch.zeros((1), requires_grad=True)
    states = init_adadelta_states(3)
    hyper = {"lr": 0.05, "t": 1}
    for epoch in range(3):
        for i in range(0, 64, 16):
            X, y = features[i : i + 16], labels[i : i + 16]
            loss = squared_loss(X @ w + b, y).mean()
            loss.backward()
            if name == "adadelta":
                adadelta([w, b], states)
            else:
                adam([w, b], states, hyper)
        print(name, epoch, f"{squared_loss(features @ w + b, labels).mean().item():.6f}")

for opt_name, make, schedule in [
    ("SGD", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9), "step"),
    ("Adagrad", lambda ps: torch.optim.Adagrad(ps, lr=0.3), "exp"),
    ("RMSprop", lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9), "lambda"),
    ("Adadelta", lambda ps: torch.optim.Adadelta(ps, lr=1.0), "cosine"),
    ("Adam", lambda ps: torch.optim.Adam(ps, lr=0.05), "multistep"),
]:
    torch.manual_seed(1)
    net = nn.Sequential(nn.Linear(3, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    trainer = make(net.parameters())
    scheduler = {
        "step": lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5),
        "exp": lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
        "lambda": lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda e: 1 / (1 + e)),
        "cosine": lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=6),
        "multistep": lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [2, 4], 0.3),
    }[schedule](trainer)
    loss_fn = nn.MSELoss()
    for epoch in range(6):
        for i in range(0, 64, 16):
            trainer.zero_grad()
            loss = loss_fn(net(features[i : i + 16]), labels[i : i + 16])
            loss.backward()
            trainer.step()
        scheduler.step()
    print(opt_name, f"{loss_fn(net(features), labels).item():.6f}", f"{scheduler.get_last_lr()[0]:.6f}")
