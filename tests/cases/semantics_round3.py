"""The third probe's divergences (issue 24, items 3 to 17) as idioms written once and run with
``torch`` or descend's ``nn`` (as in tests/cases/semantics_scenarios.py, which lists them with its
own): each returns a dict of arrays, "error:<Type>" strings standing for an exception.

(Items 1, 2, 7 to 10, 12 to 14 and 16 are single ops: the op harness in tests/parity draws
them among its samples, against PyTorch, every run.)
"""

from __future__ import annotations

import collections
import warnings
from typing import Any

import numpy as np

from tests.cases.scenario_tools import array as _array
from tests.cases.scenario_tools import error as _error


def _dtype(t: Any) -> np.ndarray:
    return np.array(str(t.dtype).replace("torch.", ""))


def _collate(T: Any) -> Any:
    if T.__name__ == "torch":
        return T.utils.data.default_collate
    import data

    return data.default_collate


def _F(T: Any) -> Any:
    return T.nn.functional if T.__name__ == "torch" else T.functional


def layer_norm_without_affine_then_in_place(T: Any, N: Any) -> dict[str, Any]:
    """Item 3: an in-place op on LayerNorm's output must not reach its backward."""
    x = T.tensor([[1.0, 2.0, 4.0], [0.0, -1.0, 3.0]], dtype=T.float64, requires_grad=True)
    y = N.ReLU(inplace=True)(N.LayerNorm(3, elementwise_affine=False).double()(x))
    (y * T.tensor([1.0, 2.0, 3.0], dtype=T.float64)).sum().backward()
    z = T.tensor([[1.0, 2.0, 4.0]], dtype=T.float64, requires_grad=True)
    w = _F(T).layer_norm(z, (3,))
    w += 1
    (w * T.tensor([1.0, 2.0, 3.0], dtype=T.float64)).sum().backward()
    return {"module": _array(x.grad), "functional": _array(z.grad)}


def collate_infers_from_the_batch(T: Any, N: Any) -> dict[str, Any]:
    """Items 4 and 17: numbers infer their dtype from the whole batch; tuples become lists."""
    collate = _collate(T)
    mixed, ints, bools = collate([3, 2.5]), collate([1, 2]), collate([True, 2])
    pairs = collate([(1, 2.0), (3, 4.0)])
    Point = collections.namedtuple("Point", "x y")
    points = collate([Point(1, 2), Point(3, 4)])
    words = collate([np.str_("a"), np.str_("b")])
    return {
        "mixed": _array(mixed),
        "mixed_dtype": _dtype(mixed),
        "ints_dtype": _dtype(ints),
        "bools": _array(bools),
        "bools_dtype": _dtype(bools),
        "pairs_type": np.array(type(pairs).__name__),
        "pairs_dtypes": np.array([str(p.dtype).replace("torch.", "") for p in pairs]),
        "points_type": np.array(type(points).__name__),
        "words": np.array([type(words).__name__, *words]),
        "string_array": _error(lambda: collate([np.array(["a"]), np.array(["b"])])),
    }


def grad_modes_on_generators(T: Any, N: Any) -> dict[str, Any]:
    """Item 5: grad-mode decorators cover a generator's body; bare ``@no_grad`` works."""
    x = T.ones(2, requires_grad=True)

    @T.no_grad()
    def without() -> Any:
        yield x * 2
        yield x * 3

    @T.no_grad
    def bare() -> Any:
        return x * 2

    @T.enable_grad()
    def within() -> Any:
        yield x * 2

    with T.no_grad():
        inside = [y.requires_grad for y in within()]
    return {
        "no_grad": np.array([y.requires_grad for y in without()]),
        "bare": np.array(bare().requires_grad),
        "enable_grad": np.array(inside),
        "after": np.array(T.is_grad_enabled()),
    }


def retain_grad_follows_in_place(T: Any, N: Any) -> dict[str, Any]:
    """Item 6: a retained gradient moves with an in-place change and is replaced, not
    accumulated into, by a second backward."""
    x = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.mul_(3)
    (y * T.tensor([1.0, 5.0], dtype=T.float64)).sum().backward()
    moved = _array(y.grad)
    z = x * 1
    z.retain_grad()
    loss = (z * z).sum()
    loss.backward(retain_graph=True)
    first = z.grad
    loss.backward()
    base = x * 1
    view = base[:1]
    view.retain_grad()
    base.add_(1)
    (view * 4).sum().backward()
    return {
        "moved": moved,
        "first_kept": _array(first),
        "second": _array(z.grad),
        "view_after_base_changed": _array(view.grad),
    }


def custom_function_gradient_shapes(T: Any, N: Any) -> dict[str, Any]:
    """Item 11: a gradient of another shape is summed when the input broadcasts to it,
    refused otherwise."""

    def run(make: Any) -> Any:
        class Twice(T.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                return x * 2

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                return make(g)

        x = T.ones(3, dtype=T.float64, requires_grad=True)
        Twice.apply(x).sum().backward()
        return _array(x.grad)

    return {
        "scalar": _error(lambda: run(lambda g: g.sum())),
        "shorter": _error(lambda: run(lambda g: g[:2])),
        "leading_one": run(lambda g: g.reshape(1, 3)),
        "stacked": run(lambda g: T.stack([g, g])),
    }


def several_outputs_and_non_differentiable(T: Any, N: Any) -> dict[str, Any]:
    """Item 17: a Function with several outputs, one marked non-differentiable."""

    class Split(T.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any, y: Any) -> Any:
            positive = (x > 0).to(x.dtype)
            ctx.mark_non_differentiable(positive)
            ctx.save_for_backward(x, y)
            return x * y, x + y, positive

        @staticmethod
        def backward(ctx: Any, g_product: Any, g_sum: Any, g_positive: Any) -> Any:
            x, y = ctx.saved_tensors
            return g_product * y + g_sum, g_product * x + g_sum

    x = T.tensor([1.0, -2.0], dtype=T.float64, requires_grad=True)
    y = T.tensor([3.0, 4.0], dtype=T.float64, requires_grad=True)
    product, total, positive = Split.apply(x, y)
    (product * 2 + total * 3).sum().backward()
    only = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    _, total_only, _ = Split.apply(only, y.detach())
    total_only.sum().backward()
    return {
        "requires_grad": np.array([t.requires_grad for t in (product, total, positive)]),
        "names": np.array([product.grad_fn.name(), total.grad_fn.name()]),
        "x": _array(x.grad),
        "y": _array(y.grad),
        "one_output_used": _array(only.grad),
    }


def second_backward(T: Any, N: Any) -> dict[str, Any]:
    """Item 15: a graph that saved nothing runs twice; one that saved values refuses."""
    x = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    plain = (x + 1).sum()
    plain.backward()
    plain.backward()
    squares = (x * x).sum()
    squares.backward()
    b = x.clone()
    b[0] = 5.0
    b.sum().backward()
    return {
        "nothing_saved": _array(x.grad),
        "values_saved": _error(squares.backward),
        "through_a_view_write": _error(b.sum().backward),
    }


def saved_masks_and_conditions(T: Any, N: Any) -> dict[str, Any]:
    """The condition of where and the mask of masked_fill are saved: changing them before
    backward is refused (found by the harness's second-backward and stale checks)."""
    x = T.tensor([1.0, 2.0, 3.0], dtype=T.float64, requires_grad=True)
    mask = T.tensor([True, False, True])
    filled = x.masked_fill(mask, 0.0)
    condition = T.tensor([True, False, True])
    chosen = T.where(condition, x, x * 2)
    mask[0] = False
    condition[0] = False
    return {
        "masked_fill": _error(filled.sum().backward),
        "where": _error(chosen.sum().backward),
    }


def module_state_small_spellings(T: Any, N: Any) -> dict[str, Any]:
    """Item 17: named_parameters(remove_duplicate=False), load_state_dict(assign=True),
    tensor() of NumPy scalars."""
    shared = N.Linear(2, 2)
    names = [n for n, _ in N.Sequential(shared, shared).named_parameters(remove_duplicate=False)]
    model = N.Linear(2, 2)
    model.bias.requires_grad_(False)
    state = {k: v.double() + 1 for k, v in model.state_dict().items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = repr(model.load_state_dict(state, assign=True))
    state["weight"][0, 0] = 100.0  # (assigned, not copied: the model sees it)
    return {
        "names": np.array(names),
        "assign": np.array(
            [
                result,
                type(model.weight).__name__,
                str(model.weight.dtype).replace("torch.", ""),
                str(model.weight.requires_grad),
                str(model.bias.requires_grad),
            ]
        ),
        "shared_storage": _array(model.weight.detach()[0, 0]),
        "numpy_scalars": np.array(
            [
                _dtype(T.tensor([np.float64(1.0)])),
                _dtype(T.tensor([np.float32(1.0), 2.0])),
                _dtype(T.tensor([np.int32(1)])),
                _dtype(T.tensor([np.int8(1), np.uint8(2)])),
                _dtype(T.tensor([[np.float64(1.0)], [2.0]])),
            ]
        ),
    }


def indexing_rules(T: Any, N: Any) -> dict[str, Any]:
    """Items 1, 2 and 12: an int beside an index list selects first; a 0-d integer Tensor
    indexes as an int (a view); a list of index lists is a tuple, a uint8 index a mask."""
    x = T.arange(24, dtype=T.float64).reshape(2, 3, 4).requires_grad_()
    picked = x[0, :, [0, 2]]
    (picked * T.arange(6, dtype=T.float64).reshape(3, 2)).sum().backward()
    y = T.zeros(3, 3, dtype=T.float64)
    i = T.tensor([1.0, 5.0, 2.0]).argmax()
    y[i][2] = 7.0
    y[i].mul_(2)
    m = T.zeros(3, 3, dtype=T.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m[[[0, 1], [2, 0]]] = 1.0
        by_bytes = T.arange(3, dtype=T.float64)[T.tensor([1, 0, 1], dtype=T.uint8)]
    return {
        "picked": _array(picked),
        "grad": _array(x.grad),
        "zero_d_index_is_a_view": _array(y),
        "list_of_lists": _array(m),
        "uint8_mask": _array(by_bytes),
        "negative_step": _error(lambda: T.arange(3)[::-1]),
    }


def views_and_writes(T: Any, N: Any) -> dict[str, Any]:
    """Items 7 to 10, 13, 14 and 16: movedim, clamp's Tensor bounds, view(dtype), einsum's
    permutation as a view, in-place through expand, roll without dims, and the writes
    PyTorch refuses."""
    x = T.arange(6, dtype=T.float64).reshape(1, 2, 3)
    bounded = T.tensor([0.0, 1.0, 2.0], dtype=T.float64, requires_grad=True)
    low = T.tensor([0.0, 0.5, 0.5], dtype=T.float64, requires_grad=True)
    bounded.clamp(min=low).sum().backward()
    ints = T.tensor([1.0, -2.0], dtype=T.float32).view(T.int32)
    a = T.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=T.float64, requires_grad=True)
    b = a * 1
    permuted = T.einsum("ij->ji", b)
    permuted.mul_(2)
    b.sum().backward()
    base = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    c = base * 1
    expanded = c.expand(3, 2)
    c.add_(1)
    (expanded * T.arange(6, dtype=T.float64).reshape(3, 2)).sum().backward()
    chunks = T.arange(4.0, requires_grad=True).mul(1).chunk(2)
    overlapping = T.arange(4.0)
    square = T.arange(4.0).reshape(2, 2)
    return {
        "movedim": np.array(T.movedim(x, 0, -1).shape),
        "moveaxis": np.array(x.moveaxis((0, 2), (1, 0)).shape),
        "clamp_grads": np.concatenate([_array(bounded.grad), _array(low.grad)]),
        "view_dtype": np.array(
            [*ints.tolist(), ints.data_ptr() == ints.view(T.float32).data_ptr()]
        ),
        "einsum_permutation": _array(a.grad),
        "expanded_after_base_changed": _array(base.grad),
        "roll_without_dims": _array(T.arange(6.0).reshape(2, 3).roll(1)),
        "overlapping_write": _error(lambda: overlapping[1:].add_(overlapping[:-1])),
        "copy_from_transpose": _error(lambda: square.copy_(square.t())),
        "chunk_in_place": _error(lambda: chunks[0].mul_(2)),
    }


ROUND3 = (
    layer_norm_without_affine_then_in_place,
    collate_infers_from_the_batch,
    grad_modes_on_generators,
    retain_grad_follows_in_place,
    custom_function_gradient_shapes,
    several_outputs_and_non_differentiable,
    second_backward,
    saved_masks_and_conditions,
    module_state_small_spellings,
    indexing_rules,
    views_and_writes,
)
