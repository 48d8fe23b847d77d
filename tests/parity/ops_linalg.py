"""The factorizations of ``nn.linalg`` for the harness. Eigenvectors and singular vectors
are unique up to sign, and NumPy's LAPACK and PyTorch's choose signs apart: each entry
compares what does not depend on them (values, U diag(S) Vh, V diag(L) V^T, squares of
the vectors' elements) and the gradients through those."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.parity.opinfo import OpInfo
from tests.parity.ops_misc import _empty_mixed
from tests.parity.samples import FLOATS, Arg, Sample

LAPACK = 1e-4  # (MKL's LAPACK in PyTorch, OpenBLAS's in NumPy)


def _matrices(data: Any, square: bool = False, spd: bool = False) -> Arg:
    """Matrices of 0 to 4 rows and columns in a batch of 0 to 2 sides, well separated
    singular values (or eigenvalues), float32 or float64, rarely integers."""
    rows = data.draw(st.integers(0, 4))
    columns = rows if square else data.draw(st.integers(0, 4))
    batch = tuple(data.draw(st.integers(1, 2)) for _ in range(data.draw(st.integers(0, 2))))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    k = min(rows, columns)
    left = np.linalg.qr(rng.standard_normal((*batch, rows, rows)))[0]
    right = np.linalg.qr(rng.standard_normal((*batch, columns, columns)))[0]
    middle = np.zeros((*batch, rows, columns))
    spread = 1.0 + np.arange(k)[::-1] * 0.7 + rng.uniform(0, 0.2, k)
    np.einsum("...ii->...i", middle[..., :k, :k])[...] = spread
    values = left @ middle @ right
    if spd:
        values = left @ (middle * middle) @ np.swapaxes(left, -1, -2)
    elif square and data.draw(st.booleans()):
        values = (values + np.swapaxes(values, -1, -2)) / 2
    dtype = "int64" if data.draw(st.integers(0, 24)) == 0 else data.draw(st.sampled_from(FLOATS))
    return Arg(values.astype(dtype), "contiguous", dtype in FLOATS and data.draw(st.booleans()))


def _general(data: Any) -> Sample:
    return Sample((_matrices(data),))


def _square(data: Any) -> Sample:
    return Sample((_matrices(data, square=True),))


def _positive_definite(data: Any) -> Sample:
    return Sample((_matrices(data, square=True, spd=True),), {"upper": data.draw(st.booleans())})


def _with_rhs(data: Any, square: bool) -> Sample:
    a = _matrices(data, square=square)
    rows = a.values.shape[-2]
    dtype = str(a.values.dtype) if a.values.dtype.kind == "f" else "float32"
    rng = np.random.default_rng(rows)
    shape = (*a.values.shape[:-1], data.draw(st.integers(1, 2)))
    b = Arg(rng.uniform(-1, 1, shape).astype(dtype), "contiguous", data.draw(st.booleans()))
    return Sample((a, b))


def _triangular_sampler(data: Any) -> Sample:
    a, b = _with_rhs(data, square=True).args
    kwargs = {
        "upper": data.draw(st.booleans()),
        "unitriangular": data.draw(st.booleans()),
    }
    if data.draw(st.booleans()):
        kwargs["left"] = False
        b = Arg(np.swapaxes(b.values, -1, -2).copy(), "contiguous", b.requires_grad)
    return Sample((a, b), kwargs)


def _reconstructed(T: Any, F: Any, a: Any, **kwargs: Any) -> Any:
    """svd's factors put back together, S, and the squares of U's and Vh's elements."""
    u, s, vh = T.linalg.svd(a, full_matrices=kwargs.get("full_matrices", False))
    k = s.shape[-1]
    product = (u[..., :, :k] * s.unsqueeze(-2)) @ vh[..., :k, :]
    return product, s, u[..., :, :k] ** 2, vh[..., :k, :] ** 2


def _eigen(T: Any, F: Any, a: Any) -> Any:
    values, vectors = T.linalg.eigh(a)
    return values, (vectors * values.unsqueeze(-2)) @ vectors.mT, vectors**2


def _qr(T: Any, F: Any, a: Any, mode: str) -> Any:
    return T.linalg.qr(a, mode=mode)


def _qr_sampler(data: Any) -> Sample:
    mode = data.draw(st.sampled_from(["reduced", "reduced", "complete", "r"]))
    return Sample((_matrices(data), mode))


def _pinv_sampler(data: Any) -> Sample:
    kwargs: dict[str, Any] = {}
    hermitian = data.draw(st.booleans())
    a = _matrices(data, square=hermitian, spd=hermitian)
    if hermitian:
        kwargs["hermitian"] = True
    if data.draw(st.booleans()):
        kwargs["rtol"] = data.draw(st.sampled_from([0.0, 0.3, 1e-3]))
    if data.draw(st.booleans()):
        kwargs["atol"] = data.draw(st.sampled_from([0.0, 0.5]))
    return Sample((a,), kwargs)


def _lstsq(T: Any, F: Any, a: Any, b: Any, driver: str) -> Any:
    result = T.linalg.lstsq(a, b, driver=driver)
    return result.solution, result.residuals, result.rank, result.singular_values


def _no_columns_gels(sample: Sample) -> str | None:
    """A with no columns, driver "gels": PyTorch's residuals are 0 where |B|^2 is the
    residual (descend's: |B|^2, as PyTorch's gelsd and gelss give)."""
    a, _, driver = sample.args
    if driver == "gels" and a.values.shape[-1] == 0 and a.values.shape[-2] > 0:
        return "lstsq(driver='gels') of a matrix with no columns: PyTorch's residuals are 0"
    return None


def _lstsq_sampler(data: Any) -> Sample:
    a, b = _with_rhs(data, square=False).args
    return Sample((a, b, data.draw(st.sampled_from(["gelsd", "gelss", "gels", "gelsy"]))))


def _power_sampler(data: Any) -> Sample:
    return Sample((_matrices(data, square=True), data.draw(st.integers(-2, 6))))


def _chain_sampler(data: Any) -> Sample:
    count = data.draw(st.integers(2, 5))
    sizes = [data.draw(st.integers(1, 4)) for _ in range(count + 1)]
    dtype = data.draw(st.sampled_from(FLOATS))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    parts = [
        Arg(rng.standard_normal((sizes[i], sizes[i + 1])).astype(dtype), "contiguous", True)
        for i in range(count)
    ]
    if data.draw(st.booleans()):
        parts[0] = Arg(parts[0].values[0].copy(), "contiguous", True)
    if data.draw(st.booleans()):
        parts[-1] = Arg(parts[-1].values[:, 0].copy(), "contiguous", True)
    return Sample((parts,))


def _vecdot_sampler(data: Any) -> Sample:
    a = _matrices(data)
    return Sample((a, Arg(a.values[..., ::-1, :].copy(), "contiguous", True)))


def family() -> list[OpInfo]:
    linalg = lambda name: lambda T, F, *a, **k: getattr(T.linalg, name)(*a, **k)  # noqa: E731
    return [
        OpInfo("nn.linalg.svd", _reconstructed, _general, LAPACK, LAPACK),
        OpInfo("nn.linalg.svdvals", linalg("svdvals"), _general, LAPACK, LAPACK),
        OpInfo("nn.linalg.eigh", _eigen, _square, LAPACK, LAPACK),
        OpInfo("nn.linalg.qr", _qr, _qr_sampler, LAPACK, LAPACK),
        OpInfo("nn.linalg.cholesky", linalg("cholesky"), _positive_definite, LAPACK, LAPACK),
        OpInfo("nn.linalg.slogdet", linalg("slogdet"), _square, LAPACK, LAPACK),
        OpInfo("nn.linalg.pinv", linalg("pinv"), _pinv_sampler, LAPACK, LAPACK),
        OpInfo("nn.linalg.lstsq", _lstsq, _lstsq_sampler, LAPACK, LAPACK, known=_no_columns_gels),
        OpInfo("nn.linalg.matrix_rank", linalg("matrix_rank"), _general),
        OpInfo("nn.linalg.cond", linalg("cond"), _general, LAPACK, LAPACK),
        OpInfo(
            "nn.linalg.solve_triangular",
            linalg("solve_triangular"),
            _triangular_sampler,
            LAPACK,
            LAPACK,
        ),
        OpInfo("nn.linalg.matrix_power", linalg("matrix_power"), _power_sampler, LAPACK, LAPACK),
        OpInfo("nn.linalg.multi_dot", linalg("multi_dot"), _chain_sampler, LAPACK, LAPACK),
        OpInfo("nn.linalg.vecdot", linalg("vecdot"), _vecdot_sampler, LAPACK, LAPACK),
        OpInfo("nn.linalg.diagonal", linalg("diagonal"), _general),
        OpInfo("nn.linalg.matmul", linalg("matmul"), _with_rhs_general, LAPACK, known=_empty_mixed),
    ]


def _with_rhs_general(data: Any) -> Sample:
    a, b = _with_rhs(data, square=False).args
    return Sample((a, b))


__all__ = ["family"]
