"""PyTorch idioms written once, run with ``torch`` or with descend's ``nn`` (both as ``T``,
the tensor namespace, and ``N``, the module namespace): tests run them in both and compare
(tests/parity/test_torch_live_semantics.py), or check descend's result against PyTorch's values
recorded in the assertions (tests/parity/test_tensor_semantics.py).

Each scenario returns a dict of arrays; "error:<Type>" strings stand for an exception.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tests.cases.scenario_tools import array as _array
from tests.cases.scenario_tools import error as _error
from tests.cases.semantics_round3 import ROUND3

W1 = np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]])
B1 = np.array([0.1, -0.2, 0.05])
W2 = np.array([[0.7, -0.4, 0.3]])
B2 = np.array([0.2])
X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7], [2.0, 1.0]])
Y = np.array([[1.0], [0.0], [1.0], [0.0]])


def _net(T: Any, N: Any) -> Any:
    net = N.Sequential(N.Linear(2, 3), N.ReLU(), N.Linear(3, 1))
    with T.no_grad():
        net[0].weight.copy_(T.tensor(W1))
        net[0].bias.copy_(T.tensor(B1))
        net[2].weight.copy_(T.tensor(W2))
        net[2].bias.copy_(T.tensor(B2))
    return net.double()


def manual_sgd_loop(T: Any, N: Any) -> dict[str, Any]:
    """``for p in model.parameters(): p -= lr * p.grad`` under no_grad: the tutorials' loop."""
    net = _net(T, N)
    x, y = T.tensor(X), T.tensor(Y)
    losses = []
    for _ in range(5):
        net.zero_grad()
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        with T.no_grad():
            for p in net.parameters():
                p -= 0.1 * p.grad
        losses.append(loss.item())
    leaves = [p.is_leaf and p.requires_grad for p in net.parameters()]
    return {
        "losses": np.array(losses),
        "w0": _array(net[0].weight),
        "b2": _array(net[2].bias),
        "leaves": np.array(leaves),
    }


def data_and_grad_are_tensors(T: Any, N: Any) -> dict[str, Any]:
    w = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    (w * w).sum().backward()
    shared = w.data
    shared.mul_(10)  # changes w, untracked
    return {
        "w": _array(w),
        "data_requires_grad": np.array(shared.requires_grad),
        "grad": _array(w.grad),
        "grad_is_tensor": np.array(isinstance(w.grad, T.Tensor)),
        "version_after_data_change": np.array(w._version),
        "assign_float": _error(lambda: setattr(w, "grad", 1.0)),
        "assign_wrong_shape": _error(lambda: setattr(w, "grad", T.zeros(3, dtype=T.float64))),
        "numpy_with_grad": _error(lambda: w.numpy()),
    }


def leaf_in_place(T: Any, N: Any) -> dict[str, Any]:
    w = T.tensor([1.0, 2.0, 3.0], dtype=T.float64, requires_grad=True)
    refused = _error(lambda: w.add_(1.0))
    refused_view = _error(lambda: w[0].mul_(2.0))
    refused_setitem = _error(lambda: w.__setitem__(0, 5.0))
    with T.no_grad():
        w.add_(1.0)
        w[1] = 7.0
        w.mul_(T.tensor([1.0, 2.0, 3.0], dtype=T.float64))
        w.clamp_(max=10.0)
    return {
        "refused": refused,
        "refused_view": refused_view,
        "refused_setitem": refused_setitem,
        "w": _array(w),
        "still_leaf": np.array([w.is_leaf, w.requires_grad]),
        "version": np.array(w._version),
    }


def masking_an_activation(T: Any, N: Any) -> dict[str, Any]:
    x = T.tensor([-1.0, 2.0, -3.0, 4.0], dtype=T.float64, requires_grad=True)
    h = x * 2.0
    h[h < 0] = 0
    (h * T.tensor([1.0, 2.0, 3.0, 4.0], dtype=T.float64)).sum().backward()
    return {"h": _array(h), "grad": _array(x.grad)}


def writing_into_a_buffer(T: Any, N: Any) -> dict[str, Any]:
    w = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    out = T.zeros(4, dtype=T.float64)
    out[1:3] = w * 3.0
    out[0] = w[0] ** 2
    (out * T.tensor([1.0, 10.0, 100.0, 1000.0], dtype=T.float64)).sum().backward()
    return {"out": _array(out), "grad": _array(w.grad), "leaf": np.array(out.is_leaf)}


def in_place_through_views(T: Any, N: Any) -> dict[str, Any]:
    x = T.tensor([1.0, 2.0, 3.0, 4.0], dtype=T.float64, requires_grad=True)
    y = x * 1.0
    first, overlapping = y[0:2], y[1:3]
    first.mul_(5.0)  # through a view: y's graph is rewritten
    z = (overlapping * T.tensor([1.0, 10.0], dtype=T.float64)).sum() + (y * y).sum()
    z.backward()
    return {"y": _array(y), "grad": _array(x.grad)}


def in_place_non_leaf_ops(T: Any, N: Any) -> dict[str, Any]:
    x = T.tensor([0.5, -1.5, 2.0], dtype=T.float64, requires_grad=True)
    y = x * 2.0
    y.add_(1.0)
    y.mul_(x)
    y.clamp_(min=-2.0)
    y.pow_(2)
    y.sum().backward()
    return {"y": _array(y), "grad": _array(x.grad)}


def version_counter(T: Any, N: Any) -> dict[str, Any]:
    x = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    y = x.exp()
    y.add_(1.0)  # exp's backward needs its result
    saved_changed = _error(lambda: y.sum().backward())
    z = x * 2.0
    z.add_(1.0)  # mul saved x, not z: fine
    z.sum().backward()
    return {"saved_changed": saved_changed, "grad": _array(x.grad)}


def step_between_backwards(T: Any, N: Any) -> dict[str, Any]:
    """The classic bug: an optimizer step (an in-place change of the weights) between two
    backward passes through one graph."""
    net = _net(T, N)
    loss = ((net(T.tensor(X)) - T.tensor(Y)) ** 2).mean()
    loss.backward(retain_graph=True)
    with T.no_grad():
        for p in net.parameters():
            p -= 0.1 * p.grad
    return {"second_backward": _error(lambda: loss.backward())}


def load_state_dict_between_backwards(T: Any, N: Any) -> dict[str, Any]:
    net, other = _net(T, N), _net(T, N)
    loss = ((net(T.tensor(X)) - T.tensor(Y)) ** 2).mean()
    loss.backward(retain_graph=True)
    net.load_state_dict(other.state_dict())
    return {"second_backward": _error(lambda: loss.backward())}


def zero_gradients_not_nan(T: Any, N: Any) -> dict[str, Any]:
    x = T.tensor([0.0, -1.0, 4.0], dtype=T.float64, requires_grad=True)
    (x**0).sum().backward()
    power = _array(x.grad)
    x.grad = None
    x.relu().sqrt().sum().backward()
    relu = _array(x.grad)
    x.grad = None
    x.clamp(min=0.0).sqrt().sum().backward()
    clamp = _array(x.grad)
    m = T.tensor([1.0, float("nan"), 3.0], dtype=T.float64, requires_grad=True)
    m.max().backward()
    return {"power": power, "relu": relu, "clamp": clamp, "max_nan": _array(m.grad)}


def clip_grad_norm_non_finite(T: Any, N: Any) -> dict[str, Any]:
    p = N.Parameter(T.zeros(3, dtype=T.float64))
    p.grad = T.tensor([float("nan"), 3.0, 1e30], dtype=T.float64)
    total = N.utils.clip_grad_norm_([p], 1.0)
    q = N.Parameter(T.zeros(2, dtype=T.float64))
    q.grad = T.tensor([float("inf"), 1.0], dtype=T.float64)
    raised = _error(lambda: N.utils.clip_grad_norm_([q], 1.0, error_if_nonfinite=True))
    return {"total": _array(total), "grad": _array(p.grad), "raised": raised}


def small_spellings(T: Any, N: Any) -> dict[str, Any]:
    x = T.tensor([[1.0, -2.0, 3.0], [4.0, -5.0, 6.0]], dtype=T.float64, requires_grad=True)
    y = x * 2.0
    y.retain_grad()
    names = [y.grad_fn.name(), y.grad_fn.next_functions[0][0].name()]
    (y.t() @ T.ones(2, 1, dtype=T.float64)).sum().backward()
    return {
        "abs": _array(abs(y)),
        "format": format(T.tensor(3.14159), ".2f") + f"{T.tensor(2.5):.3f}",
        "names": np.array(names),
        "leafs": np.array([x.is_leaf, y.is_leaf]),
        "retained": _array(y.grad),
        "T": _array(x.T),
        "norm": _array(x.norm()),
        "view_as": _array(x.view_as(T.zeros(3, 2))),
        "type": np.array(str(x.type(T.float32).dtype).replace("torch.", "")),
    }


def numpy_meets_tensors(T: Any, N: Any) -> dict[str, Any]:
    plain = T.tensor([1.0, 2.0], dtype=T.float64)
    with_grad = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    exp_plain = np.exp(plain)
    return {
        "exp_plain_type": np.array(isinstance(exp_plain, T.Tensor)),
        "exp_plain": _array(exp_plain),
        "exp_with_grad": _error(lambda: np.exp(with_grad)),
        "asarray_with_grad": _error(lambda: np.asarray(with_grad)),
    }


def jacobian_vjp_jvp(T: Any, N: Any) -> dict[str, Any]:
    import importlib

    functional = importlib.import_module(f"{T.__name__}.autograd.functional")
    x = T.tensor([1.0, 2.0, 3.0], dtype=T.float64)
    y = T.tensor([[0.5, -1.0]], dtype=T.float64)

    def f(a: Any, b: Any) -> Any:
        return a**2 * b.sum(), (a.sin() * 3).sum()

    jac = functional.jacobian(f, (x, y))
    u = (T.tensor([1.0, -2.0, 0.5], dtype=T.float64), T.tensor(2.0, dtype=T.float64))
    w = (T.tensor([0.1, 0.2, 0.3], dtype=T.float64), T.ones(1, 2, dtype=T.float64))
    return {
        **{f"jac{i}{j}": _array(jac[i][j]) for i in range(2) for j in range(2)},
        "one": _array(functional.jacobian(lambda a: (a @ a.T).tanh(), y)),
        "vjp": np.concatenate([_array(g).ravel() for g in functional.vjp(f, (x, y), u)[1]]),
        "jvp": np.concatenate([_array(g).ravel() for g in functional.jvp(f, (x, y), w)[1]]),
        "strict": _error(lambda: functional.jacobian(lambda a: a * 2, (x, y), strict=True)),
    }


def strides_of_views(T: Any, N: Any) -> dict[str, Any]:
    x = T.arange(24.0).reshape(2, 3, 4)
    views = {
        "t": x.transpose(0, 2), "sliced": x[1:, ::2, 1::2], "expanded": x[:, :1].expand(2, 5, 4),
        "unsqueezed": x.unsqueeze(1), "permuted": x.permute(2, 0, 1), "select": x[:, 1],
        "flat": x.view(-1), "diagonal": x.diagonal(0, 1, 2), "unfold": x.unfold(2, 2, 1),
    }  # fmt: skip
    return {
        **{f"stride_{k}": np.array(v.stride()) for k, v in views.items()},
        **{f"offset_{k}": np.array(v.storage_offset()) for k, v in views.items()},
        "stride_dim": np.array([x.stride(0), x.stride(-1)]),
        **{f"clone_{k}": np.array(v.clone().stride()) for k, v in views.items() if v.numel()},
    }


SCENARIOS = {
    f.__name__: f
    for f in (
        manual_sgd_loop,
        data_and_grad_are_tensors,
        leaf_in_place,
        masking_an_activation,
        writing_into_a_buffer,
        in_place_through_views,
        in_place_non_leaf_ops,
        version_counter,
        step_between_backwards,
        load_state_dict_between_backwards,
        zero_gradients_not_nan,
        clip_grad_norm_non_finite,
        small_spellings,
        numpy_meets_tensors,
        jacobian_vjp_jvp,
        strides_of_views,
        *ROUND3,
    )
}
