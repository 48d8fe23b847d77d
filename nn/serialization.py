"""nn.save / nn.load: checkpoints as one ``.npz`` file, never pickled (a whole Module is
stored by its class's name: loading it takes ``weights_only=False``).

The file is a NumPy ``.npz`` archive: every array is one member (``a0``, ``a1``, ...) and a
member ``__descend__`` holds a small JSON index describing the object: its nested dicts,
lists and tuples, Python numbers, bools, None and strings, and where each array goes. An
object met twice (a list shared by two param groups, a tied weight) is stored once and
referred to (format version 2), so that loading gives one object where there was one, as
unpickling does. The file is read with ``np.load(..., allow_pickle=False)``, so loading it
cannot run code.

Saving writes a temporary file in the target's folder, flushes and fsyncs it, then renames
it over the target (``os.replace``, atomic on POSIX and Windows): a crash mid-save leaves the
previous file whole. The file gets the mode ``open(path, "wb")`` would give it (the umask's,
or an existing file's own); a symlink at the path is written through; the temporary files of
killed saves (named after their process) are removed by the next save of the same file.
Loading checks everything before returning: a truncated, corrupted, foreign or newer file
raises ``ValueError`` naming the file and the problem.
"""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

from ._saved_objects import WeightsOnlyError, global_name, refuse, resolve
from .device import check_device
from .modules.module import Module
from .parameter import Parameter
from .tensor import Tensor

FORMAT = "descend-checkpoint"
VERSION = 2
INDEX = "__descend__"

PathLike = str | os.PathLike[str]
FileLike = PathLike | IO[bytes]
"""A path, or a file object (``io.BytesIO``, ``open(path, "wb")``), as ``torch.save``'s."""


def save(
    obj: object,
    path: FileLike,
    pickle_module: object = None,
    pickle_protocol: int = 2,
    _use_new_zipfile_serialization: bool = True,
    _disable_byteorder_record: bool = False,
) -> None:
    """Write ``obj`` (nested dicts, lists, tuples of arrays, Tensors, numbers, strings) to ``path``.

    A whole Module (``nn.save(model, path)``, as ``torch.save(model, ...)``) is stored as its
    class's name and its attributes (nn/_saved_objects.py); loading it takes
    ``weights_only=False``. Saving ``model.state_dict()`` is the way that needs no trust.

    Dict keys may be strings, ints or floats (an optimizer's state is keyed by int). The
    file appears whole or not at all: the previous file at ``path`` survives any crash.
    PyTorch's pickling arguments are accepted and have no effect: nothing is pickled.

    Raises
    ------
    TypeError
        For an object that cannot be stored (the message gives where it is in ``obj``), or
        an array of Python objects.

    Examples
    --------
    >>> import numpy as np, nn, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.npz")
    >>> nn.save({"step": 3, "weights": [np.ones(2)], "note": "hi"}, path)
    >>> nn.load(path)
    {'step': 3, 'weights': [array([1., 1.])], 'note': 'hi'}
    """
    encoder = _Encoder()
    root = encoder.encode(obj, "obj")
    arrays = encoder.arrays
    # version 2 added shared entries; a file without any stays readable by version 1
    version = VERSION if encoder.referred else 1
    index = {"format": FORMAT, "version": version, "root": root}
    text = json.dumps(index, allow_nan=True).encode("utf-8")
    arrays[INDEX] = np.frombuffer(text, dtype=np.uint8)
    if not isinstance(path, str | os.PathLike):
        if not hasattr(path, "write"):
            raise TypeError(
                f"nn.save: expected a path or a file object opened for writing, got "
                f"{type(path).__name__}"
            )
        np.savez(path, **arrays)  # type: ignore[arg-type]  # (the caller's file: written there)
        return
    target = Path(path)
    if target.is_symlink():  # write through the link: its target is replaced
        target = Path(os.path.realpath(target))
    folder = target.parent if str(target.parent) else Path(".")
    _remove_stale_temporaries(folder, target.name)
    temporary = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    # created as open(path, "wb") would create the file: 0o666 less the umask
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]
            handle.flush()
            os.fsync(handle.fileno())
        try:  # an existing file keeps its mode
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        except FileNotFoundError:
            pass
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp")


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """Delete the temporary files that killed saves of ``name`` left in ``folder``: those
    whose process is gone (a live process's save, here or elsewhere, is never touched)."""
    try:
        entries = list(folder.glob(f".{glob.escape(name)}.*.tmp"))
    except OSError:
        return
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None or match["name"] != name or _alive(int(match["pid"])):
            continue
        entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or a platform without signals: keep it
    return True


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable too (best effort: not every platform opens folders)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


_STORED = (Tensor, np.ndarray, Mapping, list, tuple, set, frozenset, np.generic, Module)


class _Encoder:
    """``obj`` as the JSON index, its arrays collected. An object met twice (a list shared
    by two param groups, a tied weight) is stored once and referred to again (``{"ref":
    n}``), so that loading gives one object where there was one, as pickling does."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.seen: dict[int, tuple[int, Any]] = {}  # id -> (number, the object, kept alive)
        self.referred = False

    def encode(self, obj: object, where: str) -> object:
        if obj is None or isinstance(obj, bool | str):
            return obj
        if isinstance(obj, int | float):
            return {"int": obj} if isinstance(obj, int) else {"float": obj}
        if not isinstance(obj, _STORED):
            name = global_name(obj) if callable(obj) else None
            if name is not None:  # (a function or class: stored by name, as pickle does)
                return {"global": name}
            raise TypeError(
                f"nn.save cannot store {type(obj).__name__} (at {where}); it stores dicts, "
                "lists, tuples, sets, ndarrays, Tensors, numbers, bools, None, strings, "
                "Modules, and functions and classes by name"
            )
        if isinstance(obj, np.generic):
            entry = self._array(np.asarray(obj), where)
            entry["scalar"] = True
            return entry
        if id(obj) in self.seen:
            self.referred = True
            return {"ref": self.seen[id(obj)][0]}
        number = len(self.seen)
        self.seen[id(obj)] = (number, obj)
        entry = self._container(obj, where)
        entry["id"] = number
        return entry

    def _container(self, obj: Any, where: str) -> dict[str, Any]:
        if isinstance(obj, Module):  # (its class by name and its attributes, as pickle)
            name = global_name(type(obj))
            if name is None:
                raise TypeError(
                    f"nn.save cannot store {type(obj).__qualname__} (at {where}): a class "
                    "defined inside a function cannot be found again by name"
                )
            return {"object": name, "state": self.encode(dict(vars(obj)), f"{where}.__dict__")}
        if isinstance(obj, set | frozenset):
            kind = "set" if isinstance(obj, set) else "frozenset"
            return {kind: [self.encode(value, f"{where}[{i}]") for i, value in enumerate(obj)]}
        if isinstance(obj, Tensor):
            entry = self._array(obj._data, where)
            entry["tensor"] = "parameter" if isinstance(obj, Parameter) else "tensor"
            entry["requires_grad"] = obj.requires_grad
            return entry
        if isinstance(obj, np.ndarray):
            return self._array(obj, where)
        if isinstance(obj, Mapping):
            items = []
            for key, value in obj.items():
                if isinstance(key, bool) or not isinstance(key, str | int | float):
                    raise TypeError(
                        f"nn.save: dict keys must be str, int or float; {where} has key {key!r}"
                    )
                items.append([self.encode(key, where), self.encode(value, f"{where}[{key!r}]")])
            return {"dict": items}
        kind = "tuple" if isinstance(obj, tuple) else "list"
        return {kind: [self.encode(value, f"{where}[{i}]") for i, value in enumerate(obj)]}

    def _array(self, array: np.ndarray, where: str) -> dict[str, Any]:
        if array.dtype.hasobject or array.dtype.kind not in "biufcSU":
            raise TypeError(f"nn.save cannot store an array of dtype {array.dtype} (at {where})")
        key = f"a{len(self.arrays)}"
        self.arrays[key] = array
        return {"array": key}


def load(
    path: FileLike,
    map_location: object = None,
    pickle_module: object = None,
    *,
    weights_only: bool | None = None,
    mmap: bool | None = None,
    **pickle_load_args: object,
) -> Any:
    """Read an object written by ``nn.save``; never unpickles anything.

    PyTorch's arguments are accepted: ``map_location`` may name the CPU (or be a function
    or dict, as in PyTorch, whose only possible target is the CPU); any other device raises.
    ``weights_only`` (True unless given False, as in PyTorch since 2.6) refuses a file that
    names classes or functions (a whole saved Module) with ``pickle.UnpicklingError``:
    loading it imports them and builds objects of them, which runs their modules' code.
    ``weights_only=False`` loads it; give it only for files you trust.

    Examples
    --------
    >>> import numpy as np, nn, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
    >>> nn.save(nn.Linear(2, 1).state_dict(), path)
    >>> sorted(nn.load(path))
    ['bias', 'weight']

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a whole descend checkpoint: truncated, corrupted, written by
        something else, by a newer descend, or holding a pickled object array. Nothing is
        returned half-built.
    """
    if map_location is not None and not callable(map_location):
        for target in map_location.values() if isinstance(map_location, dict) else [map_location]:
            check_device(target)
    name = os.fspath(path) if isinstance(path, str | os.PathLike) else _file_name(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except (FileNotFoundError, PermissionError, IsADirectoryError) as error:
        raise type(error)(error.errno, f"cannot load {name!r}: {error.strerror}", name) from None
    except Exception as error:  # the bytes are untrusted: any failure means a bad file
        raise ValueError(
            f"cannot load {name!r}: it is not an .npz archive ({_reason(error)})"
        ) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"cannot load {name!r}: it holds a single array, not a descend checkpoint")
    try:
        with archive:
            if INDEX not in archive.files:
                raise _Invalid("it has no descend index (was it written by nn.save?)")
            index = _read_index(archive[INDEX])
            trusted = weights_only is False
            return _Decoder(archive, set(archive.files), trusted, name).decode(index["root"])
    except _Invalid as error:
        raise ValueError(f"cannot load {name!r}: {error}") from None
    except (WeightsOnlyError, _Unresolvable):
        raise
    except Exception as error:  # zipfile, zlib and NumPy raise many types on damaged bytes
        raise ValueError(
            f"cannot load {name!r}: not a whole descend checkpoint ({_reason(error)})"
        ) from None


def _file_name(file: object) -> str:
    """A file object's name for messages (``torch.load(buffer)``: an ``io.BytesIO``)."""
    if not hasattr(file, "read"):
        raise TypeError(
            f"nn.load: expected a path or a file object opened for reading, got "
            f"{type(file).__name__}"
        )
    return str(getattr(file, "name", f"<{type(file).__name__}>"))


def _reason(error: BaseException) -> str:
    reason = str(error) or type(error).__name__
    if "pickle" in reason.lower() or "object arrays" in reason.lower():
        return "it holds pickled data, which descend refuses to load"
    return reason


class _Invalid(Exception):
    """The file is readable but is not a valid descend checkpoint."""


class _Unresolvable(AttributeError):
    """A trusted file names a class or function that cannot be found (as unpickling's
    "Can't get attribute")."""


def _read_index(raw: np.ndarray) -> dict[str, Any]:
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise _Invalid("its index is not a JSON byte string")
    try:
        index = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _Invalid(f"its index is not valid JSON ({error})") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT or "root" not in index:
        raise _Invalid("its index is not a descend checkpoint index")
    version = index.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _Invalid(f"its format version is {version!r}, not a number")
    if version > VERSION:
        raise _Invalid(
            f"it was written by a newer descend (format version {version}; "
            f"this one reads up to {VERSION})"
        )
    return index


class _Decoder:
    """The object an index describes, checking every entry; an entry stored once and
    referred to again (``{"ref": n}``) is the same object each time."""

    def __init__(self, archive: Any, members: set[str], trusted: bool, path: str) -> None:
        self.archive, self.members = archive, members
        self.trusted, self.path = trusted, path  # (whether classes may be imported and built)
        self.made: dict[int, Any] = {}

    def decode(self, node: object) -> object:
        if node is None or isinstance(node, bool | str):
            return node
        if not isinstance(node, dict) or len(node) == 0:
            raise _Invalid(f"its index holds an unknown entry {node!r:.80}")
        if "int" in node and isinstance(node["int"], int) and not isinstance(node["int"], bool):
            return node["int"]
        if (
            "float" in node
            and isinstance(node["float"], int | float)
            and not isinstance(node["float"], bool)
        ):
            return float(node["float"])
        if "ref" in node:
            if node["ref"] not in self.made:
                raise _Invalid(f"its index refers to an entry {node['ref']!r} not made before")
            return self.made[node["ref"]]
        number = node.get("id")
        if "array" in node:
            return self._keep(number, self._array(node))
        if "dict" in node and isinstance(node["dict"], list):
            result: dict[Any, Any] = self._keep(number, {})
            for pair in node["dict"]:
                if not isinstance(pair, list) or len(pair) != 2:
                    raise _Invalid("its index holds a malformed dict entry")
                key = self.decode(pair[0])
                if not isinstance(key, str | int | float) or isinstance(key, bool):
                    raise _Invalid(f"its index holds a dict key of type {type(key).__name__}")
                result[key] = self.decode(pair[1])
            return result
        if "list" in node and isinstance(node["list"], list):
            items: list[Any] = self._keep(number, [])
            items.extend(self.decode(item) for item in node["list"])
            return items
        if "tuple" in node and isinstance(node["tuple"], list):
            return self._keep(number, tuple(self.decode(item) for item in node["tuple"]))
        for kind, build in (("set", set), ("frozenset", frozenset)):
            if kind in node and isinstance(node[kind], list):
                return self._keep(number, build(self.decode(item) for item in node[kind]))
        if isinstance(node.get("global"), str):
            return self._global(node["global"], "the function or class")
        if isinstance(node.get("object"), str) and "state" in node:
            cls = self._global(node["object"], "a Module of class")
            if not (isinstance(cls, type) and issubclass(cls, Module)):
                raise _Invalid(f"its index names {node['object']!r}, which is not a Module class")
            module = self._keep(number, cls.__new__(cls))  # (built as unpickling builds it)
            state = self.decode(node["state"])
            if not isinstance(state, dict):
                raise _Invalid("its index holds a Module whose attributes are not a dict")
            module.__dict__.update(state)
            return module
        raise _Invalid(f"its index holds an unknown entry {node!r:.80}")

    def _global(self, name: str, what: str) -> object:
        if not self.trusted:
            raise refuse(f"{what} {name}", self.path)
        try:
            return resolve(name)
        except (ImportError, AttributeError) as error:
            raise _Unresolvable(f"cannot load {self.path!r}: {what} {name} ({error})") from None

    def _keep(self, number: object, obj: object) -> Any:
        if number is not None:
            if not isinstance(number, int) or isinstance(number, bool) or number in self.made:
                raise _Invalid(f"its index holds a bad entry number {number!r}")
            self.made[number] = obj
        return obj

    def _array(self, node: dict[str, Any]) -> Any:
        key = node["array"]
        if not isinstance(key, str) or key not in self.members or key == INDEX:
            raise _Invalid(f"its index refers to a missing array {key!r}")
        array = self.archive[key]
        if node.get("scalar"):
            return array[()]
        if node.get("tensor") in ("tensor", "parameter"):
            requires_grad = bool(node.get("requires_grad", False)) and array.dtype.kind == "f"
            if node["tensor"] == "parameter":
                return Parameter(array, requires_grad=requires_grad)
            return Tensor._make(array).requires_grad_(requires_grad)
        return array


__all__ = ["load", "save"]
