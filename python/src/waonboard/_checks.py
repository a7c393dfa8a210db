"""Checks of what the Python API is handed, before it crosses into the native library:
anything the native side would refuse with a bare ``TypeError`` or ``OverflowError``, or
quietly misread (``NaN`` sent as JSON, ``bytes(5)`` as five NUL bytes), becomes a
:class:`ValidationError` naming the argument the caller wrote."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

from ._errors import ValidationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Set


def invalid(field: str, problem: str) -> ValidationError:
    return ValidationError(f"{field} {problem}", field=field)


def text(value: Any, field: str) -> str:
    """A required string argument."""
    if not isinstance(value, str):
        raise invalid(field, f"must be a string, not {type(value).__name__}")
    return value


def optional_text(value: Any, field: str) -> Optional[str]:
    return None if value is None else text(value, field)


def count(value: Any, field: str, *, limit: int = 2**64 - 1) -> int:
    """A whole number from 0 to ``limit`` (``True`` is not one)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(field, f"must be a whole number, not {type(value).__name__}")
    if not 0 <= value <= limit:
        raise invalid(field, f"must be from 0 to {limit}")
    return value


def seconds(value: Any, field: str) -> Optional[int]:
    """A duration in seconds (``None`` for the default), as milliseconds."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise invalid(field, "must be a finite number of seconds, 0 or more")
    return count(int(value * 1000), field)


def options(value: Any, field: str, allowed: Set[str]) -> Optional[Dict[str, int]]:
    """A mapping of whole-number options (``retry``, ``poll``) with known names."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise invalid(field, "must be a mapping of option names to whole numbers")
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise invalid(f"{field}.{unknown[0]}", f"is not an option; the options are {', '.join(sorted(allowed))}")
    return {key: count(number, f"{field}.{key}") for key, number in value.items()}


def status(value: Any) -> int:
    """An HTTP status code."""
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 999:
        raise invalid("status", "must be an HTTP status code (a whole number from 100 to 999)")
    return value


def body(value: Any) -> bytes:
    """A body: text (sent as UTF-8) or bytes."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise invalid("body", f"must be bytes or a string, not {type(value).__name__}")


def dumps(value: Any, name: str) -> str:
    """A mapping as the JSON text the native side reads. A value JSON cannot carry as
    it is (NaN, an infinity, bytes, a set, an object) is refused, naming where it was:
    ``limit``, ``websites[1]``."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise invalid(name, f"must be a mapping, not {type(value).__name__}")
    # Most params are flat text: nothing there to refuse, so the walk is skipped.
    if not all(type(key) is str and type(item) is str for key, item in value.items()):
        _check_json(value, "", name, set())
    return json.dumps(dict(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _check_json(value: Any, path: str, name: str, open_containers: Set[int]) -> None:
    where = path or name
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise invalid(where, "must be a finite number")
        return
    if not isinstance(value, (Mapping, list, tuple)):
        raise invalid(where, f"must be text, a number, true/false, a list or a mapping, not {type(value).__name__}")
    if id(value) in open_containers:
        raise invalid(where, "contains itself")
    open_containers.add(id(value))
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise invalid(where, f"has a key that is not a string: {key!r}")
            _check_json(item, f"{path}.{key}" if path else key, name, open_containers)
    else:
        for index, item in enumerate(value):
            _check_json(item, f"{path}[{index}]", name, open_containers)
    open_containers.discard(id(value))
