"""Which dtypes the elementwise losses take, and what they give, as PyTorch's: mse_loss,
l1_loss and smooth_l1_loss promote input and target (an int64 target with a float32 input
is float32; a float64 target makes float64); huber_loss and binary_cross_entropy want one
dtype; kl_div refuses integers."""

import numpy as np
import pytest

import nn

F = nn.functional
# (kl_div's default reduction warns, as PyTorch's: here it is called that way on purpose)
pytestmark = pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss")
LOSSES = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div", "binary_cross_entropy"]
DTYPES = ["float32", "float64", "float16", "int64", "int32", "bool"]


def test_an_integer_target_promotes_as_pytorchs():
    x = nn.tensor([0.5, 1.5, 2.5], requires_grad=True)
    loss = nn.MSELoss()(x, nn.tensor([1, 2, 3]))
    assert loss.dtype == nn.float32 and loss.item() == pytest.approx(0.25)
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), [-1 / 3] * 3, rtol=1e-6)
    assert F.l1_loss(x, nn.tensor([1.0, 2.0, 3.0], dtype=nn.float64)).dtype == nn.float64
    with pytest.raises(RuntimeError, match="Found dtype Long but expected Float"):
        F.huber_loss(x, nn.tensor([1, 2, 3]))
    with pytest.raises(RuntimeError, match="Integral inputs not supported"):
        F.kl_div(x, nn.tensor([1, 2, 3]))
    with pytest.raises(RuntimeError, match="not implemented for 'Long'"):
        F.mse_loss(nn.tensor([1, 2]), nn.tensor([1, 2]))


def _outcome(T, F, name, a, b):
    x = T.tensor([0.25, 0.75]).to(getattr(T, a))
    t = T.tensor([0.0, 1.0]).to(getattr(T, b))
    if a.startswith("float"):
        x.requires_grad_()
    try:  # (PyTorch's huber_loss refuses a target of another float dtype at backward, ours
        loss = getattr(F, name)(x, t)  # in the call: both are a RuntimeError before a step)
        if x.requires_grad:
            loss.backward()
    except RuntimeError:  # (NotImplementedError included)
        return "RuntimeError"
    grad = None
    if x.requires_grad:
        grad = (str(x.grad.dtype).replace("torch.", ""), x.grad.double().tolist())
    return str(loss.dtype).replace("torch.", ""), round(float(loss.detach()), 4), grad


@pytest.mark.torch
@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("a", DTYPES)
@pytest.mark.parametrize("b", DTYPES)
def test_each_dtype_pair_as_pytorchs(name, a, b):
    torch = pytest.importorskip("torch")
    theirs = _outcome(torch, torch.nn.functional, name, a, b)
    ours = _outcome(nn, F, name, a, b)
    if isinstance(theirs, tuple) and theirs[2] is not None:
        np.testing.assert_allclose(ours[2][1], theirs[2][1], rtol=1e-3)
        ours, theirs = (*ours[:2], ours[2][0]), (*theirs[:2], theirs[2][0])
    assert ours == theirs
