"""Index kinds and the order of indexing's checks, as PyTorch's (nn/tensor/index_rules.py,
nn/tensor/indexing.py); the op harness compares them with PyTorch on drawn samples."""

from __future__ import annotations

import numpy as np
import pytest

import nn


def _x() -> nn.Tensor:
    return nn.arange(12.0).reshape(3, 4)


def test_a_range_selects_as_the_list_of_its_numbers() -> None:
    x = _x()
    assert x[range(0, 3, 2)].tolist() == x[[0, 2]].tolist()
    with pytest.warns(UserWarning, match="non-tuple sequence"):
        assert x[[range(2)]].shape == (2, 4)  # a list holding a sequence reads as a tuple
    assert x[range(2), range(1, 3)].tolist() == [1.0, 6.0]
    x[range(1, 3)] = -1.0
    assert x[1:].eq(-1).all().item()


def test_index_tensors_of_small_integer_dtypes_are_refused_as_pytorch_refuses_them() -> None:
    x = _x()
    for dtype in (nn.int8, nn.int16):
        with pytest.raises(IndexError, match="must be long, int, byte or bool"):
            x[nn.tensor([0, 1], dtype=dtype)]
        assert x[nn.tensor(1, dtype=dtype)].tolist() == x[1].tolist()  # 0-d: an int
    for dtype in (np.int8, np.int16, np.uint16, np.uint32):  # NumPy's: converted
        assert x[np.array([0, 2], dtype=dtype)].tolist() == x[[0, 2]].tolist()


def test_a_selection_that_is_empty_checks_no_bounds() -> None:
    assert nn.zeros(3, 0)[[5]].shape == (1, 0)
    assert nn.zeros(3, 4)[[7], 0:0].shape == (1, 0)
    with pytest.raises(IndexError, match="dimension with size 0"):
        nn.zeros(0, 0)[[0]]
    assert nn.zeros(0, 0)[[0], []].shape == (0,)  # the indices broadcast to nothing
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0"):
        nn.zeros(3, 1)[[5]]


@pytest.mark.parametrize(
    ("value", "name"),
    [([1.0, 2.0, 3.0, 4.0], "list"), (np.zeros(4), "numpy.ndarray"), (None, "NoneType"),
     ("a", "str"), ((1, 2, 3, 4), "tuple")],
)  # fmt: skip
def test_writing_anything_but_a_tensor_or_a_number_is_refused(value: object, name: str) -> None:
    x = _x()
    with pytest.raises(TypeError, match=f"can't assign a {name} to a torch.FloatTensor"):
        x[0] = value
    with pytest.raises(TypeError, match=name):
        x[False] = value  # (even where nothing would be written)
    assert x.tolist() == _x().tolist()


def test_numbers_numpy_scalars_and_real_complex_numbers_are_written() -> None:
    x = _x()
    x[0] = np.float64(2.5)
    x[1] = 2 + 0j
    assert x[:2].tolist() == [[2.5] * 4, [2.0] * 4]
    with pytest.raises(RuntimeError, match="cannot be converted to type float"):
        x[2] = 1j


def test_a_masked_write_of_a_tensor_checks_its_number_against_the_dtype() -> None:
    y = nn.zeros(3, dtype=nn.uint8)
    mask = nn.tensor([True, False, True])
    with pytest.raises(RuntimeError, match="uint8_t without overflow"):
        y[mask] = nn.tensor(-1.5)
    assert y.tolist() == [0, 0, 0]
    y[mask] = nn.tensor(7.9)
    assert y.tolist() == [7, 0, 7]


def test_writes_check_in_pytorchs_order() -> None:
    leaf = nn.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        leaf[nn.tensor([0], dtype=nn.int8)] = nn.tensor(1.0)  # in place before the dtype
    x = nn.zeros(3, dtype=nn.int64)
    with pytest.raises(IndexError, match="must be long"):
        x[nn.tensor([0], dtype=nn.int8)] = nn.tensor(1.0)  # index dtype before value dtype
    with pytest.raises(RuntimeError, match="Index put requires"):
        x[[7]] = nn.tensor(1.0)  # value dtype before bounds
    with pytest.raises(IndexError, match="size 0"):
        nn.zeros(0, dtype=nn.int64)[range(1)] = nn.tensor(0.5)  # size 0 before value
