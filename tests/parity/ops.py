"""The assembled table: every family's entries (``OPS``) and the public names that are not
ops, each with where it is tested instead (``EXEMPT``)."""

from __future__ import annotations

from tests.parity import (
    ops_composites,
    ops_counting,
    ops_elementwise,
    ops_indexing,
    ops_linalg,
    ops_margin,
    ops_misc,
    ops_reduction,
    ops_shape,
)
from tests.parity.opinfo import table

OPS = table(
    ops_elementwise.family(),
    ops_reduction.family(),
    ops_shape.family(),
    ops_indexing.family(),
    ops_misc.family(),
    ops_counting.family(),
    ops_composites.family(),
    ops_margin.family(),
    ops_linalg.family(),
)

_ATTRIBUTE = "an attribute, not an op: tests/nn/test_tensor.py"
_AUTOGRAD = "autograd's machinery, held against PyTorch in tests/parity/test_autograd_parity.py"
_RANDOM = "draws random numbers: PyTorch's, seed for seed, in tests/nn/test_generator.py"
_STATE = "process settings, not an op: tests/nn/test_namespace.py"

EXEMPT: dict[str, str] = {
    **{
        f"Tensor.{name}": _ATTRIBUTE
        for name in (
            "data",
            "grad",
            "grad_fn",
            "shape",
            "dtype",
            "device",
            "ndim",
            "requires_grad",
            "is_leaf",
            "is_cuda",
            "is_cpu",
            "is_meta",
            "is_quantized",
            "is_sparse",
            "retains_grad",
            "real",
            "imag",
            "size",
            "dim",
            "ndimension",
            "numel",
            "nelement",
            "element_size",
            "itemsize",
            "nbytes",
            "data_ptr",
            "is_complex",
            "is_floating_point",
            "is_contiguous",
            "stride",
            "storage_offset",
            "is_conj",
            "is_neg",
            "conj",
            "conj_physical",
            "resolve_conj",
            "resolve_neg",
        )
    },
    **{f"Tensor.{name}": _AUTOGRAD for name in ("backward", "register_hook", "retain_grad")},
    **{
        f"Tensor.{name}": _RANDOM
        for name in (
            "bernoulli",
            "bernoulli_",
            "cauchy_",
            "geometric_",
            "log_normal_",
            "multinomial",
            "exponential_",
            "normal_",
            "random_",
            "uniform_",
        )
    },
    **{
        f"nn.{name}": _RANDOM
        for name in (
            "rand",
            "rand_like",
            "randint",
            "randint_like",
            "randn",
            "randn_like",
            "randperm",
            "normal",
            "bernoulli",
            "multinomial",
            "manual_seed",
            "initial_seed",
            "seed",
            "get_rng_state",
            "set_rng_state",
        )
    },
    "F.dropout": _RANDOM,
    "F.dropout2d": _RANDOM,
    "F.gumbel_softmax": _RANDOM,
    "F.rrelu": _RANDOM,
    "F.rrelu_": _RANDOM,
    "Tensor.numpy": "a conversion to NumPy: tests/nn/test_tensor.py",
    "Tensor.cuda": "refuses (descend is CPU only): tests/nn/test_namespace.py",
    "nn.detach": "the method's own function (Tensor.detach is in the table)",
    **{
        f"nn.{name}": _STATE
        for name in (
            "get_default_device",
            "set_default_device",
            "get_default_dtype",
            "set_default_dtype",
            "is_grad_enabled",
            "use_deterministic_algorithms",
            "are_deterministic_algorithms_enabled",
            "set_printoptions",
            "is_tensor",
            "is_complex",
            "is_floating_point",
            "numel",
            "finfo",
            "iinfo",
            "get_float32_matmul_precision",
            "get_num_interop_threads",
            "get_num_threads",
            "is_warn_always_enabled",
            "set_default_tensor_type",
            "set_float32_matmul_precision",
            "set_flush_denormal",
            "set_num_interop_threads",
            "set_num_threads",
            "set_warn_always",
            "typename",
        )
    },
    "nn.compile": "wraps a module, not an op: tests/nn/test_compile.py (bit for bit)",
    "nn.save": "I/O: tests/nn/test_serialization.py",
    "nn.load": "I/O: tests/nn/test_serialization.py",
    "nn.gradcheck": "a checking tool: tests/parity/test_autograd_parity.py",
}
