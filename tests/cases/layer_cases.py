"""The layers and functions PyTorch's tutorials use (issue 14), written once for both
frameworks (``T`` is ``torch`` or ``nn``, ``F`` their functional module) on fixed inputs:
convolution, pooling, the regression losses, smooth activations, embeddings, layer norm.
tests/fixtures/make_torch_parity_fixtures.py records PyTorch's results in
tests/fixtures/torch_layers.npz; tests/parity/test_autograd_parity.py holds descend to them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from tests.cases.parity_cases import _np, _run

nan, inf = float("nan"), float("inf")


def _normal(seed: int, *shape: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def _conv(shape: tuple[int, ...], out: int, kernel: Any, groups: int = 1, **options: Any):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    x = _normal(1, *shape)
    w = _normal(2, out, shape[-3] // groups, kh, kw)
    b = _normal(3, out)
    return lambda T, F: _run(
        T, lambda x_, w_, b_: F.conv2d(x_, w_, b_, groups=groups, **options), x, w, b
    )


def _pool(function: str, shape: tuple[int, ...], *args: Any, nan_at: Any = None):
    x = _normal(4, *shape)
    if nan_at is not None:
        x[nan_at] = nan
    return lambda T, F: _run(T, lambda x_: getattr(F, function)(x_, *args), x)


def _max_pool_indices(shape: tuple[int, ...], *args: Any) -> Callable[[Any, Any], dict[str, Any]]:
    x = _normal(5, *shape)

    def case(T: Any, F: Any) -> dict[str, Any]:
        _, indices = F.max_pool2d(T.tensor(x), *args, return_indices=True)
        return {"indices": np.asarray(indices.numpy(), dtype=np.int64)}

    return case


def _loss(function: str, x: Any, y: Any, **options: Any):
    return lambda T, F: _run(T, lambda a, b: getattr(F, function)(a, b, **options), x, y)


def _embedding(**options: Any) -> Callable[[Any, Any], dict[str, Any]]:
    w = _normal(6, 5, 3)
    index = [[0, 2, 2], [4, 1, 2]]

    def case(T: Any, F: Any) -> dict[str, Any]:
        return _run(T, lambda w_: F.embedding(T.tensor(index), w_, **options), w)

    return case


def _one_hot(values: Any, classes: int) -> Callable[[Any, Any], dict[str, Any]]:
    def case(T: Any, F: Any) -> dict[str, Any]:
        try:
            out = F.one_hot(T.tensor(values), classes)
        except Exception as error:
            builtin = next(c for c in type(error).__mro__ if c.__module__ == "builtins")
            return {"error": f"error:{builtin.__name__}"}
        return {"out": np.asarray(out.numpy(), dtype=np.int64)}

    return case


def _modules_case(T: Any, F: Any) -> dict[str, Any]:
    """A LeNet-style stack of the new modules, weights set from fixed arrays."""
    modules = getattr(T, "nn", T)
    model = modules.Sequential(
        modules.Conv2d(1, 2, 3, padding=1),
        modules.ELU(),
        modules.MaxPool2d(2),
        modules.Conv2d(2, 3, 2),
        modules.GELU(),
        modules.AdaptiveAvgPool2d(1),
        modules.Flatten(),
        modules.Unflatten(1, (3, 1)),
        modules.Softplus(),
    ).double()
    with T.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(T.tensor(_normal(10 + i, *p.shape)))
    x = T.tensor(_normal(9, 2, 1, 6, 6), requires_grad=True)
    out = model(x)
    out.sum().backward()
    weight_grads = np.concatenate([_np(p.grad).ravel() for p in model.parameters()])
    return {"out": _np(out), "grad0": _np(x.grad), "weight_grads": weight_grads}


_SPECIAL = [-30.0, -2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, 25.0, inf, -inf, nan]

CASES: dict[str, Callable[[Any, Any], dict[str, Any]]] = {
    # convolution
    "conv2d_padding_1": _conv((2, 3, 7, 6), 4, 3, padding=1),
    "conv2d_groups_stride": _conv((1, 4, 9, 9), 6, (3, 2), groups=2, stride=2, padding=(1, 0)),
    "conv2d_dilation_stride": _conv((2, 2, 8, 8), 4, 3, groups=2, stride=(2, 1), dilation=2),
    "conv2d_same_odd": _conv((1, 1, 5, 5), 1, 5, padding="same"),
    "conv2d_same_even_dilated": _conv((2, 2, 6, 6), 2, (2, 4), padding="same", dilation=(1, 2)),
    "conv2d_depthwise_valid": _conv((1, 3, 5, 5), 3, 3, groups=3, padding="valid"),
    "conv2d_unbatched": _conv((3, 6, 5), 2, 2),
    "conv1d_stride_padding_groups": lambda T, F: _run(
        T,
        lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, groups=2),
        _normal(24, 2, 4, 9),
        _normal(25, 6, 2, 3),
        _normal(26, 6),
    ),
    "conv1d_same_dilated_unbatched": lambda T, F: _run(
        T,
        lambda x, w: F.conv1d(x, w, padding="same", dilation=2),
        _normal(27, 3, 8),
        _normal(28, 2, 3, 2),
    ),
    "conv1d_wrong_rank": lambda T, F: _run(
        T, lambda x, w: F.conv1d(x, w), _normal(29, 1, 1, 3, 3), _normal(30, 1, 1, 2)
    ),
    "conv2d_kernel_too_large": _conv((1, 1, 3, 3), 1, 5),
    "conv2d_wrong_channels": lambda T, F: _run(
        T, lambda x, w: F.conv2d(x, w), _normal(1, 1, 2, 4, 4), _normal(2, 1, 3, 2, 2)
    ),
    # pooling
    "max_pool2d": _pool("max_pool2d", (2, 3, 8, 8), 2),
    "max_pool2d_ceil_padding_nan": _pool(
        "max_pool2d", (1, 2, 7, 7), 3, 2, 1, 1, True, nan_at=(0, 0, 0, 0)
    ),
    "max_pool2d_dilation": _pool("max_pool2d", (1, 1, 6, 5), (3, 2), (2, 1), (1, 1), (1, 2)),
    "max_pool2d_overlapping": _pool("max_pool2d", (2, 2, 9, 9), 3, 1, 1, 2, True),
    "max_pool2d_pad_too_large": _pool("max_pool2d", (1, 1, 4, 4), 2, 2, 2),
    "max_pool2d_indices": _max_pool_indices((2, 2, 7, 7), 3, 2, 1, 1, True),
    "avg_pool2d": _pool("avg_pool2d", (2, 3, 8, 8), 2),
    "max_pool1d_ceil_padding_dilation": _pool("max_pool1d", (2, 3, 9), 3, 2, 1, 2, True),
    "avg_pool1d_exclude_padding_unbatched": _pool("avg_pool1d", (3, 8), 3, 2, 1, True, False),
    "adaptive_avg_pool1d_uneven": _pool("adaptive_avg_pool1d", (2, 2, 7), 3),
    "avg_pool2d_ceil_padding": _pool("avg_pool2d", (1, 2, 7, 7), 3, 2, 1, True, True),
    "avg_pool2d_exclude_padding": _pool("avg_pool2d", (1, 2, 7, 7), 3, 2, 1, True, False),
    "avg_pool2d_rectangular": _pool(
        "avg_pool2d", (1, 1, 6, 5), (3, 2), (2, 1), (1, 1), False, False
    ),
    "avg_pool2d_divisor": _pool("avg_pool2d", (1, 1, 5, 5), 2, 2, 1, True, True, 3),
    "adaptive_avg_pool2d_global": _pool("adaptive_avg_pool2d", (2, 3, 7, 7), 1),
    "adaptive_avg_pool2d_uneven": _pool("adaptive_avg_pool2d", (1, 2, 7, 5), (3, 2)),
    "adaptive_avg_pool2d_keep_width": _pool("adaptive_avg_pool2d", (1, 1, 10, 9), (4, None)),
    "adaptive_avg_pool2d_upsampling": _pool("adaptive_avg_pool2d", (1, 1, 3, 3), (5, 5)),
    # losses
    "l1_loss": _loss("l1_loss", [1.0, -2.0, 3.0, nan], [1.0, 0.5, -3.0, 0.0]),
    "l1_loss_sum": _loss("l1_loss", [[1.0, -2.0]], [[0.0, 4.0]], reduction="sum"),
    "l1_loss_broadcast": _loss("l1_loss", [[1.0], [2.0]], [0.0, 1.0, 3.0]),
    "smooth_l1_loss": _loss(
        "smooth_l1_loss", [0.0, 0.5, 1.0, 1.5, -3.0, nan], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    ),
    "smooth_l1_loss_beta": _loss(
        "smooth_l1_loss", [0.1, 0.5, 2.0], [0.0, 0.0, 0.0], beta=0.5, reduction="none"
    ),
    "smooth_l1_loss_beta_zero": _loss("smooth_l1_loss", [0.1, -0.5], [0.0, 0.0], beta=0.0),
    "huber_loss": _loss("huber_loss", [0.0, 0.5, 1.0, 1.5, -3.0, nan], [0.0] * 6),
    "huber_loss_delta": _loss(
        "huber_loss", [0.1, 2.0, -7.0], [0.0, 0.0, 0.0], delta=2.0, reduction="none"
    ),
    "kl_div_batchmean": _loss(
        "kl_div",
        np.log([[0.25, 0.75], [0.5, 0.5]]),
        [[0.5, 0.5], [0.0, 1.0]],
        reduction="batchmean",
    ),
    "kl_div_log_target_sum": _loss(
        "kl_div", [[-1.0, -0.5]], np.log([[0.3, 0.7]]), reduction="sum", log_target=True
    ),
    "kl_div_none": _loss("kl_div", [[-1.0, -2.0, -0.1]], [[0.2, 0.0, 0.8]], reduction="none"),
    # activations
    "softplus": lambda T, F: _run(T, F.softplus, _SPECIAL),
    "softplus_beta_threshold": lambda T, F: _run(T, lambda x: F.softplus(x, 2.0, 5.0), _SPECIAL),
    "elu": lambda T, F: _run(T, F.elu, _SPECIAL),
    "elu_alpha": lambda T, F: _run(T, lambda x: F.elu(x, 0.5), _SPECIAL),
    "gelu": lambda T, F: _run(T, F.gelu, _SPECIAL),
    "gelu_tanh": lambda T, F: _run(T, lambda x: F.gelu(x, approximate="tanh"), _SPECIAL),
    "silu": lambda T, F: _run(T, F.silu, _SPECIAL),
    # padding (a negative amount crops)
    "pad_last_dims_value": lambda T, F: _run(
        T,
        lambda x: F.pad(x, (2, 1, -1, 1), value=0.5),
        _normal(31, 2, 3, 4),
        seed=_normal(32, 2, 4, 7),
    ),
    "pad_crop_both_sides": lambda T, F: _run(
        T, lambda x: F.pad(x, (-1, -2)), _normal(33, 2, 5), seed=_normal(34, 2, 2)
    ),
    "pad_odd_length": lambda T, F: _run(T, lambda x: F.pad(x, (1,)), _normal(35, 2, 3)),
    "pad_too_long": lambda T, F: _run(T, lambda x: F.pad(x, (1,) * 6), _normal(36, 2, 3)),
    "pad_crop_too_much": lambda T, F: _run(T, lambda x: F.pad(x, (-2, -2)), _normal(37, 2, 3)),
    "expm1": lambda T, F: _run(T, T.expm1, _SPECIAL),
    "normalize": lambda T, F: _run(
        T, F.normalize, np.vstack([_normal(20, 4), np.zeros(4)]), seed=_normal(21, 2, 4)
    ),
    "normalize_p1_dim0_eps": lambda T, F: _run(
        T, lambda x: F.normalize(x, 1.0, 0, 0.5), _normal(22, 3, 2), seed=_normal(23, 3, 2)
    ),
    # layer normalisation (a random upstream gradient: with ones, d/dx would cancel to ~0)
    "layer_norm_affine": lambda T, F: _run(
        T,
        lambda x, w, b: F.layer_norm(x, (4,), w, b),
        _normal(9, 3, 4),
        [1.5, -0.5, 2.0, 0.25],
        [0.1, 0.2, -0.3, 0.0],
        seed=_normal(10, 3, 4),
    ),
    "layer_norm_two_dims": lambda T, F: _run(
        T,
        lambda x, w, b: F.layer_norm(x, (3, 4), w, b, eps=1e-3),
        _normal(11, 2, 3, 4),
        _normal(12, 3, 4),
        _normal(13, 3, 4),
        seed=_normal(14, 2, 3, 4),
    ),
    "layer_norm_plain_constant_row": lambda T, F: _run(
        T,
        lambda x: F.layer_norm(x, (5,)),
        np.vstack([np.full(5, 2.0), _normal(15, 5)]),
        seed=_normal(16, 2, 5),
    ),
    "layer_norm_wrong_shape": lambda T, F: _run(
        T, lambda x: F.layer_norm(x, (3,)), _normal(17, 2, 4)
    ),
    "layer_norm_module": lambda T, F: _run(
        T,
        getattr(T, "nn", T).LayerNorm(4).double(),
        _normal(18, 2, 3, 4),
        seed=_normal(19, 2, 3, 4),
    ),
    # embeddings
    "embedding": _embedding(),
    "embedding_padding_idx": _embedding(padding_idx=2),
    "embedding_scale_grad_by_freq": _embedding(scale_grad_by_freq=True),
    "one_hot": _one_hot([0, 3, 1], -1),
    "one_hot_classes": _one_hot([[0], [2]], 4),
    "one_hot_too_small": _one_hot([0, 3], 3),
    # batch norm over images
    "batch_norm2d_train": lambda T, F: _run(
        T,
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
        _normal(7, 3, 2, 4, 5),
        [1.5, -0.5],
        [0.1, 0.2],
    ),
    "batch_norm2d_module": lambda T, F: _run(
        T, getattr(T, "nn", T).BatchNorm2d(2).double(), _normal(8, 3, 2, 3, 3)
    ),
    # modules together
    "modules_stack": _modules_case,
}
