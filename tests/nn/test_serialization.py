"""nn.save / nn.load: round trips, refusals, damaged files and crash safety."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
import optimizers


def equal(a, b):
    """Deep equality that compares arrays by value and dtype, and NaN equal to NaN."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            type(a) is type(b)
            and a.dtype == b.dtype
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        )
    if isinstance(a, nn.Tensor):
        return (
            type(a) is type(b)
            and a.requires_grad == b.requires_grad
            and equal(a.detach().numpy(), b.detach().numpy())
        )
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return (
            type(a) is type(b)
            and len(a) == len(b)
            and all(equal(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, float) and np.isnan(a):
        return isinstance(b, float) and np.isnan(b)
    return type(a) is type(b) and a == b


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    hnp.arrays(
        st.sampled_from([np.float32, np.float64, np.int64, np.int8, np.bool_, np.uint16]),
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
    ),
)
objects = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=5), st.integers(-5, 5)), inner, max_size=4),
    ),
    max_leaves=12,
)


@given(obj=objects)
def test_round_trip_of_anything_storable(tmp_path_factory, obj):
    path = tmp_path_factory.mktemp("ckpt") / "obj.npz"
    nn.save(obj, path)
    assert equal(nn.load(path), obj)


def test_tensors_parameters_scalars_and_keys(tmp_path):
    obj = {
        "p": nn.Parameter(np.ones(3, dtype=np.float32)),
        "t": nn.tensor([1.0, 2.0]),
        "s": np.float32(2.5),
        0: "int key",
        1.5: "float key",
        "nested": ({"a": [1, 2.0, None, True]},),
    }
    path = tmp_path / "mixed.npz"
    nn.save(obj, path)
    back = nn.load(path)
    assert (
        isinstance(back["p"], nn.Parameter)
        and back["p"].dtype == np.float32
        and back["p"].requires_grad
    )
    assert isinstance(back["t"], nn.Tensor) and not back["t"].requires_grad
    assert isinstance(back["s"], np.float32) and back["s"] == 2.5
    assert back[0] == "int key" and back[1.5] == "float key"
    assert back["nested"] == ({"a": [1, 2.0, None, True]},)


def test_model_and_optimizer_state_round_trip(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1))
    optimizer = optimizers.Adam(model.parameters(), lr=0.01, amsgrad=True)
    model(np.ones((4, 2))).sum().backward()
    optimizer.step()
    nn.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, tmp_path / "c.npz")
    back = nn.load(tmp_path / "c.npz")
    fresh = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1))
    fresh.load_state_dict(back["model"])
    fresh_optimizer = optimizers.Adam(fresh.parameters(), lr=0.5)
    fresh_optimizer.load_state_dict(back["optimizer"])
    assert fresh_optimizer.param_groups[0]["betas"] == (0.9, 0.999)
    assert fresh_optimizer.state[next(fresh.parameters())]["step"] == 1
    for a, b in zip(model.state_dict().values(), fresh.state_dict().values(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("obj", "pattern"),
    [
        ({"f": lambda x: x}, "function"),
        ([object()], r"object \(at obj\[0\]\)"),
        ({"a": np.array([{"x": 1}], dtype=object)}, "dtype object"),
        ({(1, 2): 3}, "dict keys"),
        ({True: 1}, "dict keys"),
        ({"it": iter([1])}, "list_iterator"),
    ],
)
def test_unstorable_objects_are_refused_and_leave_no_file(tmp_path, obj, pattern):
    path = tmp_path / "x.npz"
    with pytest.raises(TypeError, match=pattern):
        nn.save(obj, path)
    assert list(tmp_path.iterdir()) == []


def write_npz(path, **members):
    with open(path, "wb") as handle:
        np.savez(handle, **members)


def index_bytes(index):
    return np.frombuffer(json.dumps(index).encode(), dtype=np.uint8)


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda p: p.write_bytes(b""), "not an .npz"),
        (lambda p: p.write_bytes(os.urandom(200)), "not an .npz"),
        (lambda p: p.write_bytes(b"\x80\x04K\x01."), "pickled data"),
        (lambda p: np.save(p, np.ones(3)), "single array"),
        (lambda p: write_npz(p, a0=np.ones(2)), "no descend index"),
        (
            lambda p: write_npz(p, __descend__=np.frombuffer(b"{not json", dtype=np.uint8)),
            "not valid JSON",
        ),
        (
            lambda p: write_npz(p, __descend__=index_bytes({"format": "other", "root": 1})),
            "not a descend checkpoint index",
        ),
        (
            lambda p: write_npz(
                p,
                __descend__=index_bytes({"format": "descend-checkpoint", "version": 99, "root": 1}),
            ),
            "newer descend",
        ),
        (
            lambda p: write_npz(
                p,
                __descend__=index_bytes(
                    {"format": "descend-checkpoint", "version": 1, "root": {"array": "a7"}}
                ),
            ),
            "missing array",
        ),
        (
            lambda p: write_npz(
                p,
                __descend__=index_bytes(
                    {"format": "descend-checkpoint", "version": 1, "root": {"weird": 1}}
                ),
            ),
            "unknown entry",
        ),
        (
            lambda p: write_npz(
                p,
                __descend__=index_bytes(
                    {"format": "descend-checkpoint", "version": 1, "root": {"array": "a0"}}
                ),
                a0=np.array([{"evil": 1}], dtype=object),
            ),
            "pickled data",
        ),
    ],
    ids=[
        "empty",
        "random",
        "pickle",
        "npy",
        "no-index",
        "bad-json",
        "foreign",
        "newer",
        "missing",
        "unknown",
        "object",
    ],
)
def test_damaged_or_foreign_files_raise_value_error(tmp_path, make, pattern):
    path = tmp_path / "bad.npz"
    make(path)
    if not path.exists():  # np.save appends .npy
        path = tmp_path / "bad.npz.npy"
    with pytest.raises(ValueError, match=pattern) as info:
        nn.load(path)
    assert str(path) in str(info.value)


def test_truncated_files_raise_value_error(tmp_path):
    path = tmp_path / "whole.npz"
    nn.save({"w": np.arange(1000.0), "b": [np.ones(5)]}, path)
    data = path.read_bytes()
    for cut in (10, 100, len(data) // 2, len(data) - 30, len(data) - 1):
        damaged = tmp_path / f"cut{cut}.npz"
        damaged.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="cannot load"):
            nn.load(damaged)


@given(noise=st.binary(min_size=0, max_size=400), position=st.integers(0, 10_000))
def test_random_bytes_and_bit_flips_never_crash_otherwise(tmp_path_factory, noise, position):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "whole.npz"
    nn.save({"w": np.arange(20.0), "meta": {"epoch": 3}}, path)
    data = bytearray(path.read_bytes())
    position %= len(data)
    data[position : position + len(noise)] = noise
    path.write_bytes(bytes(data))
    try:
        loaded = nn.load(path)
    except ValueError as error:
        assert "whole.npz" in str(error)  # names the file
    else:  # the damage missed everything that is read: the original comes back, whole
        assert loaded["meta"] == {"epoch": 3}
        np.testing.assert_array_equal(loaded["w"], np.arange(20.0))


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "nope.npz")


def test_a_failed_save_leaves_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.npz"
    nn.save({"version": 1}, path)

    def broken_savez(handle, **arrays):
        handle.write(b"PK\x03\x04 half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        nn.save({"version": 2}, path)
    assert nn.load(path) == {"version": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.npz"]


SAVER = """
import sys, numpy as np, nn
path = sys.argv[1]
big = {"a": np.full(200_000, 1.0), "tag": "A"}, {"a": np.full(200_000, 2.0), "tag": "B"}
i = 0
while True:
    nn.save(big[i % 2], path)
    i += 1
    if i == 1:
        print("ready", flush=True)
"""


def test_kill_9_during_save_leaves_a_whole_checkpoint_and_one_leftover_at_most(tmp_path):
    path = tmp_path / "ckpt.npz"
    rng = np.random.default_rng(0)
    for _ in range(12):
        process = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE)
        assert process.stdout.readline().strip() == b"ready"
        time.sleep(float(rng.uniform(0.0, 0.05)))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        loaded = nn.load(path)
        assert loaded["tag"] in ("A", "B")
        np.testing.assert_array_equal(loaded["a"], 1.0 if loaded["tag"] == "A" else 2.0)
        # each save removes the temporary files of the killed ones before it
        assert len(list(tmp_path.glob(".ckpt.npz.*.tmp"))) <= 1


def test_the_file_mode_is_an_ordinary_files_and_an_existing_one_is_kept(tmp_path):
    previous = os.umask(0o022)
    try:
        nn.save({"w": np.ones(2)}, tmp_path / "new.npz")
        assert stat.S_IMODE((tmp_path / "new.npz").stat().st_mode) == 0o644
        os.umask(0o077)
        nn.save({"w": np.ones(2)}, tmp_path / "private.npz")
        assert stat.S_IMODE((tmp_path / "private.npz").stat().st_mode) == 0o600
        (tmp_path / "new.npz").chmod(0o640)
        nn.save({"w": np.zeros(2)}, tmp_path / "new.npz")
        assert stat.S_IMODE((tmp_path / "new.npz").stat().st_mode) == 0o640
    finally:
        os.umask(previous)


def test_a_symlink_is_written_through(tmp_path):
    (tmp_path / "run7").mkdir()
    real = tmp_path / "run7" / "ckpt.npz"
    nn.save({"step": 1}, real)
    link = tmp_path / "latest.npz"
    link.symlink_to(real)
    nn.save({"step": 2}, link)
    assert link.is_symlink() and nn.load(real) == {"step": 2}
    assert sorted(p.name for p in (tmp_path / "run7").iterdir()) == ["ckpt.npz"]


def test_only_dead_processes_temporary_files_are_removed(tmp_path):
    path = tmp_path / "ckpt.npz"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f".ckpt.npz.{dead}.0badc0de.tmp"
    live = tmp_path / f".ckpt.npz.{os.getppid()}.feedf00d.tmp"  # a save in progress elsewhere
    other = tmp_path / f".other.npz.{dead}.0badc0de.tmp"  # another file's: not this save's
    for leftover in (stale, live, other):
        leftover.write_bytes(b"partial")
    nn.save({"step": 1}, path)
    assert not stale.exists() and live.exists() and other.exists()


def test_saved_file_is_a_plain_npz(tmp_path):
    nn.save({"w": np.ones(2)}, tmp_path / "c.npz")
    with zipfile.ZipFile(tmp_path / "c.npz") as archive:
        assert sorted(archive.namelist()) == ["__descend__.npy", "a0.npy"]
    with np.load(tmp_path / "c.npz") as archive:  # (a plain npz: NumPy reads the values)
        np.testing.assert_array_equal(archive["a0"], np.ones(2))


def test_load_and_save_take_pytorchs_arguments(tmp_path):
    path = tmp_path / "model.pth"
    nn.save({"w": nn.ones(2)}, path, pickle_protocol=4)
    for location in (
        None,
        "cpu",
        nn.device("cpu"),
        lambda storage, loc: storage,
        {"cuda:0": "cpu"},
    ):
        loaded = nn.load(path, map_location=location, weights_only=True)
        assert loaded["w"].tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="CPU"):
        nn.load(path, map_location="cuda:0")


def test_an_object_met_twice_is_one_object_after_loading(tmp_path):
    """As unpickling does: a list shared by two param groups (an optimizer's cache) or a
    tied weight comes back shared, and a cycle through a list comes back."""
    shared, weight = [[None, 1.0], [2, 3.0]], nn.tensor([1.0, 2.0])
    cycle: list = [1]
    cycle.append(cycle)
    obj = {"groups": [{"buffer": shared}, {"buffer": shared}], "a": weight, "b": weight, "c": cycle}
    nn.save(obj, tmp_path / "shared.npz")
    loaded = nn.load(tmp_path / "shared.npz")
    assert loaded["groups"][0]["buffer"] is loaded["groups"][1]["buffer"] == shared
    assert loaded["a"] is loaded["b"] and loaded["a"].tolist() == [1.0, 2.0]
    assert loaded["c"][1] is loaded["c"]


def test_a_file_without_shared_objects_keeps_format_version_1(tmp_path):
    nn.save({"w": np.ones(2), "v": [np.ones(2)]}, tmp_path / "plain.npz")
    with np.load(tmp_path / "plain.npz") as archive:
        assert b'"version": 1' in archive["__descend__"].tobytes()


class SavedNet(nn.Module):
    """A module saved whole (module level, so that loading finds it by name)."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.norm = nn.BatchNorm1d(2)
        self.act = nn.functional.relu  # (a function attribute: stored by name)
        self.register_buffer("scale", nn.tensor([2.0]), persistent=False)

    def forward(self, x):
        return self.act(self.norm(self.fc(x))) * self.scale


def test_a_whole_module_saves_and_loads_only_when_trusted(tmp_path):
    """torch.save(model) / torch.load(path, weights_only=False), as PyTorch >= 2.6: the
    default refuses a file that names classes, since building them runs their code."""
    import pickle

    path = tmp_path / "model.pt"
    model = SavedNet()
    model(nn.randn(4, 3))  # (moves the running statistics)
    model.eval()
    nn.save(model, path)
    with pytest.raises(pickle.UnpicklingError, match="weights_only=False"):
        nn.load(path)
    again = nn.load(path, weights_only=False)
    assert type(again) is SavedNet and not again.training and again.act is nn.functional.relu
    assert again.fc.weight is again._parameters.get("weight", again.fc._parameters["weight"])
    assert isinstance(again.fc.weight, nn.Parameter) and again.fc.weight.requires_grad
    x = nn.randn(5, 3)
    np.testing.assert_array_equal(again(x).detach().numpy(), model(x).detach().numpy())
    for (name, a), (_, b) in zip(
        again.state_dict().items(), model.state_dict().items(), strict=True
    ):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    assert again._non_persistent_buffers == {"scale"}
    nn.save({"model": model, "epoch": 3}, path)  # (inside a checkpoint dict too)
    assert type(nn.load(path, weights_only=False)["model"]) is SavedNet


def test_what_cannot_be_found_by_name_is_refused(tmp_path):
    def local():
        return 1

    class Local(nn.Module):
        pass

    with pytest.raises(TypeError, match="cannot store function"):
        nn.save({"f": local}, tmp_path / "f.pt")
    with pytest.raises(TypeError, match="defined inside a function"):
        nn.save(Local(), tmp_path / "m.pt")
    assert not (tmp_path / "m.pt").exists()


def test_whole_modules_saved_under_the_old_module_paths_still_load():
    from nn._saved_objects import resolve

    assert resolve("nn.layers:Linear") is nn.Linear  # (nn/layers.py is nn/modules/layers.py)
    assert resolve("nn.containers:Sequential") is nn.Sequential
    assert resolve("nn.modules.recurrent:LSTM") is nn.LSTM


def test_save_and_load_take_file_objects_as_torch_save_does(tmp_path):
    """torch.save(obj, buffer) and torch.load(buffer): an in-memory checkpoint, or a file
    the caller opened."""
    model = nn.Linear(3, 2)
    buffer = io.BytesIO()
    nn.save(model.state_dict(), buffer)
    buffer.seek(0)
    loaded = nn.load(buffer)
    assert np.array_equal(loaded["weight"].numpy(), model.weight.detach().numpy())
    with open(tmp_path / "ckpt.pt", "wb") as handle:
        nn.save({"step": 3}, handle)
    with open(tmp_path / "ckpt.pt", "rb") as handle:
        assert nn.load(handle) == {"step": 3}
    with pytest.raises(ValueError, match="cannot load '<BytesIO>'"):
        nn.load(io.BytesIO(b"not a checkpoint"))
    with pytest.raises(TypeError, match="a path or a file object opened for writing, got int"):
        nn.save({}, 3)


def test_load_state_dict_lists_missing_keys_before_unexpected_ones_as_pytorch():
    with pytest.raises(RuntimeError) as caught:
        nn.Linear(2, 2).load_state_dict({"weight": np.zeros((2, 2)), "extra": np.zeros(1)})
    message = str(caught.value)
    assert message.index('Missing key(s) in state_dict: "bias"') < message.index(
        'Unexpected key(s) in state_dict: "extra"'
    )
