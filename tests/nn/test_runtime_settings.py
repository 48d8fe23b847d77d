"""The process settings scripts set before they start (threads, matmul precision, the
legacy default tensor type) and the mixed-precision helpers (``nn.amp``): PyTorch's checks
and answers on a machine without CUDA, and the GradScaler's arithmetic on the CPU."""

import warnings

import numpy as np
import pytest

import nn
import optimizers


def test_thread_counts_are_checked_and_remembered():
    before = nn.get_num_threads()
    try:
        nn.set_num_threads(1)
        assert nn.get_num_threads() == 1
        for bad, message in ((0, "positive integer"), (2.0, "expects an int, but got float")):
            with pytest.raises(RuntimeError, match=message):
                nn.set_num_threads(bad)
    finally:
        nn.set_num_threads(before)


def test_matmul_precision_takes_pytorchs_three_names_and_warns_on_others():
    nn.set_float32_matmul_precision("high")
    assert nn.get_float32_matmul_precision() == "high"
    with pytest.warns(UserWarning, match="has no effect"):
        nn.set_float32_matmul_precision("fast")
    assert nn.get_float32_matmul_precision() == "high"
    nn.set_float32_matmul_precision("highest")
    assert nn.set_flush_denormal(True) is False  # (NumPy cannot)


def test_the_legacy_default_tensor_type_sets_the_default_dtype():
    try:
        with pytest.warns(UserWarning, match="deprecated as of PyTorch 2.1"):
            nn.set_default_tensor_type(nn.DoubleTensor)
        assert nn.ones(1).dtype == nn.float64
        with pytest.warns(UserWarning):
            nn.set_default_tensor_type("torch.FloatTensor")
        assert nn.get_default_dtype() == nn.float32
        with pytest.warns(UserWarning), pytest.raises(TypeError, match="floating-point"):
            nn.set_default_tensor_type(nn.LongTensor)
    finally:
        nn.set_default_dtype(nn.float32)


def test_typename_and_the_tensor_questions():
    assert nn.typename(nn.ones(2)) == "torch.FloatTensor"
    assert nn.typename(nn.Linear(1, 1)).endswith(".Linear")
    assert nn.typename(3) == "int"
    assert nn.promote_types(nn.int64, nn.float32) == nn.float32  # (NumPy: float64)
    assert nn.result_type(nn.ones(2, dtype=nn.int32), 1.5) == nn.float32
    assert nn.can_cast(nn.float64, nn.float32) and not nn.can_cast(nn.float32, nn.int64)
    with pytest.raises(RuntimeError, match="no values is ambiguous"):
        nn.is_nonzero(nn.zeros(0))
    with pytest.raises(TypeError, match=r"must be torch\.dtype, not str"):
        nn.promote_types(nn.float32, "float64")


def _one_parameter():
    p = nn.Parameter(nn.ones(2))
    return p, optimizers.SGD([p], lr=0.1)


def test_a_cpu_grad_scaler_unscales_exactly_skips_infinite_steps_and_adapts_its_scale():
    p, opt = _one_parameter()
    scaler = nn.amp.GradScaler("cpu", init_scale=4.0, growth_interval=2)
    loss = scaler.scale((p * p).sum())
    assert loss.item() == 8.0
    loss.backward()
    scaler.step(opt)  # gradient 2 x 4 = 8, unscaled to 2: p = 1 - 0.1 x 2
    np.testing.assert_array_equal(p.detach().numpy(), np.float32([0.8, 0.8]))
    scaler.update()
    p.grad = nn.tensor([float("inf"), 1.0])
    assert scaler.step(opt) is None  # skipped
    np.testing.assert_array_equal(p.detach().numpy(), np.float32([0.8, 0.8]))
    scaler.update()
    assert scaler.get_scale() == 2.0  # backed off
    for _ in range(2):
        p.grad = nn.tensor([4.0, 4.0])
        scaler.step(opt)
        scaler.update()
    assert scaler.get_scale() == 4.0  # grown after two clean steps
    p.grad = nn.tensor([1.0, 1.0])
    scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="already been called on this optimizer"):
        scaler.unscale_(opt)
    scaler.step(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(opt)


def test_without_cuda_the_default_scaler_and_autocast_disable_themselves_as_pytorchs():
    p, opt = _one_parameter()
    with pytest.warns(UserWarning, match="CUDA is not available.  Disabling"):
        scaler = nn.amp.GradScaler()
    loss = (p * p).sum()
    assert scaler.scale(loss) is loss and scaler.get_scale() == 1.0 and not scaler.is_enabled()
    loss.backward()
    scaler.step(opt)
    np.testing.assert_array_equal(p.detach().numpy(), np.float32([0.8, 0.8]))
    with pytest.warns(FutureWarning, match="torch.cuda.amp.GradScaler"):
        warnings.simplefilter("ignore", UserWarning)
        nn.cuda.amp.GradScaler(enabled=False)
    with pytest.warns(UserWarning, match="Disabling autocast"), nn.autocast("cuda"):
        assert (nn.ones(2, 2) @ nn.ones(2, 2)).dtype == nn.float32
    with pytest.raises(NotImplementedError, match="autocast on the CPU"):
        nn.autocast("cpu", dtype=nn.bfloat16)
    with nn.autocast("cpu", enabled=False):
        pass
    nn.backends.cuda.matmul.allow_tf32 = True  # (nanoGPT's first lines)
    nn.backends.cudnn.allow_tf32 = True
