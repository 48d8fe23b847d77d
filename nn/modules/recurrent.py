"""Recurrent layers: RNN, LSTM and GRU (and their one-step cells), as ``torch.nn``'s.

Each step of a layer reads the input at time t and the previous hidden state h (and, for
the LSTM, the cell state c). With the input projection X_t W_ih^T + b_ih computed for every
step at once and H = h W_hh^T + b_hh (PyTorch's CPU order of operations):

    RNN   h' = tanh(X_t W_ih^T + b_ih + H)            (or relu)
    LSTM  i, f, g, o = chunks of (X_t W_ih^T + b_ih + H)
          c' = sigmoid(f) c + sigmoid(i) tanh(g)        h' = sigmoid(o) tanh(c')
    GRU   r = sigmoid(I_r + H_r)   z = sigmoid(I_z + H_z)   n = tanh(I_n + r H_n)
          h' = (h - n) z + n                            (= (1 - z) n + z h)

Every op is a Tensor op, so backward is autograd's (backpropagation through time), and the
weights are named, shaped, ordered and initialised (U(-1/sqrt(hidden), 1/sqrt(hidden)), in
``parameters()`` order) as PyTorch's: a ``state_dict`` moves between the two.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype, init
from .. import functional as F
from .._dtype import get_default_dtype
from .._namespace.joining import cat, stack
from ..autograd import no_grad
from ..device import check_device
from ..parameter import Parameter
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, InputLike
from .module import Module

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _step(
    mode: str, projected: Tensor, h: Tensor, c: Tensor | None, w_hh: Tensor, b_hh: Any
) -> tuple[Tensor, Tensor | None]:
    """One time step: ``projected`` = x W_ih^T + b_ih; returns (h', c')."""
    hidden = F.linear(h, w_hh, b_hh)
    if mode == "RNN_TANH":
        return (hidden + projected).tanh(), None
    if mode == "RNN_RELU":
        return (hidden + projected).relu(), None
    if mode == "LSTM":
        assert c is not None
        i, f, g, o = (hidden + projected).chunk(4, 1)
        c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
        return o.sigmoid() * c_next.tanh(), c_next
    i_r, i_z, i_n = projected.chunk(3, 1)
    h_r, h_z, h_n = hidden.chunk(3, 1)
    reset, update = (h_r + i_r).sigmoid(), (h_z + i_z).sigmoid()
    new = (i_n + h_n * reset).tanh()
    return (h - new) * update + new, None


def _uniform_init(module: Module, hidden_size: int) -> None:
    """Each parameter of ``module`` ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), drawn in
    ``parameters()`` order (PyTorch's stream)."""
    bound = 1.0 / math.sqrt(hidden_size)
    with no_grad():
        for weight in module.parameters():
            init.uniform_(weight, -bound, bound)


class RNNBase(Module):
    """The shared machinery of RNN, LSTM and GRU: parameters per layer and direction
    (``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}``, with
    ``_reverse`` for the backward direction), input checks, and the loop over time."""

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__()
        check_device(device)
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of "
                "an element being zeroed"
            )
        if proj_size:
            raise NotImplementedError("LSTM(proj_size=...) is not implemented in descend")
        self.mode, self.input_size, self.hidden_size = mode, int(input_size), int(hidden_size)
        self.num_layers, self.bias, self.batch_first = int(num_layers), bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, 0
        kind = np.dtype(dtype) if dtype is not None else get_default_dtype()
        gates = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size * directions
            for suffix in ("", "_reverse")[:directions]:
                names = [f"weight_ih_l{layer}{suffix}", f"weight_hh_l{layer}{suffix}"]
                shapes: list[tuple[int, ...]] = [(gates, width), (gates, hidden_size)]
                if bias:
                    names += [f"bias_ih_l{layer}{suffix}", f"bias_hh_l{layer}{suffix}"]
                    shapes += [(gates,), (gates,)]
                for name, shape in zip(names, shapes, strict=True):
                    setattr(self, name, Parameter(np.empty(shape, dtype=kind)))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        _uniform_init(self, self.hidden_size)

    def flatten_parameters(self) -> None:
        """Nothing to do: PyTorch packs weights for cuDNN here; descend has no cuDNN."""

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """Each layer and direction's parameters, in registration order."""
        per = 4 if self.bias else 2
        flat = list(self.parameters())
        return [flat[i : i + per] for i in range(0, len(flat), per)]

    def _layer_parameters(self, layer: int, suffix: str) -> list[Any]:
        """``[weight_ih, weight_hh, bias_ih, bias_hh]`` of one layer and direction (None
        for the biases of a layer without)."""
        kinds = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return [getattr(self, f"{kind}_l{layer}{suffix}", None) for kind in kinds]

    def _check_input(self, input: InputLike, hx: object) -> tuple[Tensor, bool]:
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{type(self).__name__}: input must be a Tensor, got {type(input).__name__}"
            )
        if input.ndim not in (2, 3):
            raise ValueError(
                f"{type(self).__name__}: Expected input to be 2D or 3D, got {input.ndim}D "
                "tensor instead"
            )
        weight = self.weight_ih_l0
        if input.dtype != weight.dtype:
            ours, theirs = (f"torch.{_dtype.torch_name(t.dtype)}" for t in (input, weight))
            raise ValueError(
                f"RNN input dtype ({ours}) does not match weight dtype ({theirs}). Convert "
                f"input: input.to({theirs}), or convert model: model.to({ours})"
            )
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                f"{input.shape[-1]}"
            )
        if input.shape[0 if input.ndim == 2 or not self.batch_first else 1] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        return input, input.ndim == 3

    def _initial(self, given: Any, batch: int, dtype: Any, batched: bool, name: str) -> Tensor:
        directions = 2 if self.bidirectional else 1
        expected = (self.num_layers * directions, batch, self.hidden_size)
        if given is None:
            return Tensor._make(np.zeros(expected, dtype=dtype))
        dims = 3 if batched else 2
        if given.ndim != dims:
            kind = "batched" if batched else "unbatched"
            raise RuntimeError(
                f"For {kind} {dims}-D input, {name} should also be {dims}-D but got "
                f"{given.ndim}-D tensor"
            )
        state: Tensor = given if batched else given.unsqueeze(1)
        if tuple(state.shape) != expected:
            raise RuntimeError(f"Expected hidden size {expected}, got {list(state.shape)}")
        return state

    def _run(
        self, input: Tensor, h0: Tensor, c0: Tensor | None
    ) -> tuple[Tensor, Tensor, Tensor | None]:
        """The stacked layers over a (time, batch, features) input; returns the last layer's
        outputs and each layer's final h (and c)."""
        directions = 2 if self.bidirectional else 1
        layer_input, last_h, last_c = input, [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction, suffix in enumerate(("", "_reverse")[:directions]):
                w_ih, w_hh, b_ih, b_hh = self._layer_parameters(layer, suffix)
                index = layer * directions + direction
                h = h0[index]
                c = None if c0 is None else c0[index]
                projected = F.linear(layer_input, w_ih, b_ih)  # every step at once
                steps = range(input.shape[0])
                order = reversed(steps) if direction else steps
                results: list[Tensor] = [h] * input.shape[0]
                for t in order:
                    h, c = _step(self.mode, projected[t], h, c, w_hh, b_hh)
                    results[t] = h
                outputs.append(stack(results, 0) if results else projected[:, :, :0])
                last_h.append(h)
                if c is not None:
                    last_c.append(c)
            layer_input = outputs[0] if directions == 1 else cat(outputs, 2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, True)
        h_n = stack(last_h, 0)
        return layer_input, h_n, stack(last_c, 0) if last_c else None

    def _forward(
        self, input: InputLike, hx: object, cx: object = None
    ) -> tuple[Tensor, Tensor, Tensor | None]:
        x, batched = self._check_input(input, hx)
        if not batched:
            x = x.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        batch = x.shape[1]
        h0 = self._initial(hx, batch, x.dtype, batched, "hx")
        c0 = None if self.mode != "LSTM" else self._initial(cx, batch, x.dtype, batched, "cx")
        out, h_n, c_n = self._run(x, h0, c0)
        if not batched:
            return out.squeeze(1), h_n.squeeze(1), None if c_n is None else c_n.squeeze(1)
        if self.batch_first:
            out = out.transpose(0, 1)
        return out, h_n, c_n

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if not self.bias:
            text += ", bias=False"
        if self.batch_first:
            text += ", batch_first=True"
        if self.dropout:
            text += f", dropout={self.dropout}"
        if self.bidirectional:
            text += ", bidirectional=True"
        return text


class RNN(RNNBase):
    """An Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) (``relu`` with
    ``nonlinearity="relu"``), as ``torch.nn.RNN``. Returns ``(output, h_n)``: output holds
    the last layer's h at every step, h_n every layer's last h.

    Examples
    --------
    >>> import nn
    >>> rnn = nn.RNN(4, 8, batch_first=True)
    >>> output, h_n = rnn(nn.zeros(2, 5, 4))
    >>> output.shape, h_n.shape
    ((2, 5, 8), (1, 2, 8))
    """

    def __init__(self, *args: Any, nonlinearity: str = "tanh", **kwargs: Any) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", *args, **kwargs)

    def forward(self, input: InputLike, hx: Any = None) -> tuple[Tensor, Tensor]:
        output, h_n, _ = self._forward(input, hx)
        return output, h_n


class LSTM(RNNBase):
    """A long short-term memory layer, as ``torch.nn.LSTM`` (gates i, f, g, o in that order
    in each weight's rows). Returns ``(output, (h_n, c_n))``.

    Examples
    --------
    >>> import nn
    >>> lstm = nn.LSTM(4, 8, num_layers=2)
    >>> output, (h_n, c_n) = lstm(nn.zeros(5, 3, 4))
    >>> output.shape, h_n.shape, c_n.shape
    ((5, 3, 8), (2, 3, 8), (2, 3, 8))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input: InputLike, hx: Any = None) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        h0, c0 = (None, None) if hx is None else hx
        output, h_n, c_n = self._forward(input, h0, c0)
        assert c_n is not None
        return output, (h_n, c_n)


class GRU(RNNBase):
    """A gated recurrent unit layer, as ``torch.nn.GRU`` (gates r, z, n in that order in
    each weight's rows). Returns ``(output, h_n)``.

    Examples
    --------
    >>> import nn
    >>> gru = nn.GRU(4, 8, bidirectional=True)
    >>> output, h_n = gru(nn.zeros(5, 3, 4))
    >>> output.shape, h_n.shape
    ((5, 3, 16), (2, 3, 8))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input: InputLike, hx: Any = None) -> tuple[Tensor, Tensor]:
        output, h_n, _ = self._forward(input, hx)
        return output, h_n


class RNNCellBase(Module):
    """One step of a recurrent layer: ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``,
    initialised as the layers'."""

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__()
        check_device(device)
        self.mode, self.input_size, self.hidden_size, self.bias = (
            mode,
            input_size,
            hidden_size,
            bias,
        )
        kind = np.dtype(dtype) if dtype is not None else get_default_dtype()
        gates = _GATES[mode] * hidden_size
        self.weight_ih = Parameter(np.empty((gates, input_size), dtype=kind))
        self.weight_hh = Parameter(np.empty((gates, hidden_size), dtype=kind))
        self.bias_ih = Parameter(np.empty(gates, dtype=kind)) if bias else None
        self.bias_hh = Parameter(np.empty(gates, dtype=kind)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        _uniform_init(self, self.hidden_size)

    def _cell(self, input: InputLike, hx: Any, cx: Any = None) -> tuple[Tensor, Tensor | None]:
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{type(self).__name__}: input must be a Tensor, got {type(input).__name__}"
            )
        if input.ndim not in (1, 2):
            raise ValueError(
                f"{type(self).__name__}: Expected input to be 1D or 2D, got {input.ndim}D instead"
            )
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"input has inconsistent input_size: got {input.shape[-1]} expected "
                f"{self.input_size}"
            )
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        zeros = Tensor._make(np.zeros((x.shape[0], self.hidden_size), dtype=x.dtype))
        h = zeros if hx is None else (hx if batched else hx.unsqueeze(0))
        c = (
            None
            if self.mode != "LSTM"
            else (zeros if cx is None else (cx if batched else cx.unsqueeze(0)))
        )
        if tuple(h.shape) != (x.shape[0], self.hidden_size):
            raise RuntimeError(
                f"hidden0 has inconsistent hidden_size: got {h.shape[-1]}, expected "
                f"{self.hidden_size}"
            )
        projected = F.linear(x, self.weight_ih, self.bias_ih)
        h_next, c_next = _step(self.mode, projected, h, c, self.weight_hh, self.bias_hh)
        if not batched:
            return h_next.squeeze(0), None if c_next is None else c_next.squeeze(0)
        return h_next, c_next

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias else ", bias=False")


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu), as ``torch.nn.RNNCell``.

    Examples
    --------
    >>> import nn
    >>> nn.RNNCell(4, 8)(nn.zeros(3, 4)).shape
    (3, 8)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity
        mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(mode, input_size, hidden_size, bias, device, dtype)

    def forward(self, input: InputLike, hx: Any = None) -> Tensor:
        return self._cell(input, hx)[0]


class LSTMCell(RNNCellBase):
    """One LSTM step, as ``torch.nn.LSTMCell``: returns ``(h', c')``.

    Examples
    --------
    >>> import nn
    >>> h, c = nn.LSTMCell(4, 8)(nn.zeros(3, 4))
    >>> h.shape, c.shape
    ((3, 8), (3, 8))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__("LSTM", input_size, hidden_size, bias, device, dtype)

    def forward(self, input: InputLike, hx: Any = None) -> tuple[Tensor, Tensor]:
        h0, c0 = (None, None) if hx is None else hx
        h, c = self._cell(input, h0, c0)
        assert c is not None
        return h, c


class GRUCell(RNNCellBase):
    """One GRU step, as ``torch.nn.GRUCell``.

    Examples
    --------
    >>> import nn
    >>> nn.GRUCell(4, 8)(nn.zeros(3, 4)).shape
    (3, 8)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__("GRU", input_size, hidden_size, bias, device, dtype)

    def forward(self, input: InputLike, hx: Any = None) -> Tensor:
        return self._cell(input, hx)[0]
