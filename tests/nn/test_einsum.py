"""nn.einsum: values and gradients against finite differences and (when installed) PyTorch,
PyTorch's errors for wrong equations, and a clear refusal of what descend does not do."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn

EQUATIONS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),  # i summed away: the gradient is broadcast along it
    ("ji", [(2, 3)]),  # implicit output: ij, a transpose
    ("i,j->ij", [(2,), (3,)]),
    ("i,i", [(3,), (3,)]),
    ("bhqd,bhkd->bhqk", [(1, 2, 3, 2), (1, 2, 4, 2)]),  # attention scores
    ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
    ("Ba,ab", [(2, 3), (3, 4)]),  # implicit: ASCII order, B before b
    ("ik,jk->", [(2, 3), (4, 3)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (3, 2)]),  # a batch on one side only
    ("...ij,...jk", [(2, 1, 2, 3), (3, 3, 2)]),  # ellipses broadcast (1 against 3)
    ("i...->...i", [(2, 3, 2)]),
    ("b...,...->b...", [(2, 3), (3,)]),
    ("ij,jk->ik", [(2, 1), (3, 2)]),  # j of size 1 against 3: broadcast
    ("i,i->", [(1,), (3,)]),
]


def _operands(shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in shapes]


@pytest.mark.parametrize(("equation", "shapes"), EQUATIONS, ids=[e for e, _ in EQUATIONS])
def test_values_and_gradients(equation, shapes):
    arrays = _operands(shapes)
    tensors = [nn.tensor(a, requires_grad=True) for a in arrays]
    out = nn.einsum(equation, *tensors)
    np.testing.assert_allclose(out.detach().numpy(), np.einsum(equation, *arrays), rtol=1e-12)
    upstream = nn.tensor(np.random.default_rng(1).standard_normal(out.shape))
    assert nn.gradcheck(lambda *ts: nn.einsum(equation, *ts) * upstream, tuple(tensors))


def test_operands_as_one_list_dtype_kept_and_a_constant_operand():
    a = nn.ones(2, 3)
    w = nn.tensor(np.full((3, 4), 2.0, dtype=np.float32), requires_grad=True)
    out = nn.einsum("ij,jk->ik", [a, w])
    assert out.dtype == nn.float32 and out.shape == (2, 4)
    out.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), np.full((3, 4), 2.0))
    assert a.grad is None


@pytest.mark.parametrize(
    ("equation", "shapes", "error", "message"),
    [
        ("ij,jk->ikk", [(2, 3), (3, 2)], RuntimeError, "appears more than once"),
        ("ij,jk->iz", [(2, 3), (3, 2)], RuntimeError, "does not appear"),
        ("ij,jk->ik", [(2, 3), (4, 2)], RuntimeError, "subscript j has size 4"),
        ("ij", [(3,)], RuntimeError, "number of subscripts"),
        ("ij,jk", [(2, 3)], RuntimeError, "fewer operands"),
        ("ii->i", [(3, 3)], NotImplementedError, "repeated"),
        ("...ij,...jk", [(5, 2, 3), (4, 3, 2)], RuntimeError, "covered by ellipsis in operand 1"),
        ("i..j", [(2, 3)], RuntimeError, "not part of any ellipsis"),
        ("i...j...", [(2, 3)], RuntimeError, "ellipsis was already found"),
        ("ij->j1", [(2, 3)], RuntimeError, "invalid subscript given at index 5"),
        ("...ijk", [(2, 3)], RuntimeError, r"\(3\) is more than the number of dimensions \(2\)"),
    ],
)
def test_errors(equation, shapes, error, message):
    with pytest.raises(error, match=message):
        nn.einsum(equation, *[nn.tensor(a) for a in _operands(shapes)])


def test_mixed_dtypes_are_refused_as_pytorch():
    with pytest.raises(RuntimeError, match="one dtype"):
        nn.einsum("ij,jk->ik", nn.ones(2, 3), nn.ones(3, 2, dtype=nn.float64))


@pytest.mark.torch
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_matches_pytorch_on_drawn_equations(data):
    torch = pytest.importorskip("torch")
    letters = "abcde"
    sizes = {c: data.draw(st.integers(1, 3)) for c in letters}
    count = data.draw(st.integers(1, 3))
    inputs = [
        "".join(data.draw(st.permutations(letters))[: data.draw(st.integers(1, 3))])
        for _ in range(count)
    ]
    used = sorted(set("".join(inputs)))
    output = "".join(data.draw(st.permutations(used))[: data.draw(st.integers(0, len(used)))])
    equation = ",".join(inputs) + "->" + output
    arrays = [np.random.default_rng(k).standard_normal([sizes[c] for c in s]) for k, s in
              enumerate(inputs)]  # fmt: skip
    ours = [nn.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = nn.einsum(equation, *ours), torch.einsum(equation, *theirs)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = np.random.default_rng(9).standard_normal(ref.shape)
    (out * nn.tensor(upstream)).sum().backward()
    (ref * torch.tensor(upstream)).sum().backward()
    for mine, reference in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(
            mine.grad.numpy(), reference.grad.numpy(), rtol=1e-10, atol=1e-12
        )
