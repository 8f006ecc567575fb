"""Tables a one-shot process keeps on disk for the next one: merged, bounded, replaced whole.

Why: `kept_patterns` and `kept_dataclasses` both keep a marshalled dict of what this
process compiled for the next process to reuse. Both must bound the file (a checkout whose
code keeps changing would otherwise read ever more stale entries) and must never leave a
half-written file where another process may read it, so the merge and the atomic write
live here once.
"""

from __future__ import annotations

import logging
import marshal
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["merged", "read_table", "write_atomically"]

_log = logging.getLogger(__name__)

K = TypeVar("K")
V = TypeVar("V")


def read_table(path: Path, what: str, *,
               absent: tuple[type[OSError], ...] = (FileNotFoundError,)) -> dict[Any, Any]:
    """The table kept at `path`, or {} when there is none (`absent`) or it cannot be read:
    a truncated or foreign file is logged and ignored, and the next save replaces it."""
    try:
        kept = marshal.loads(path.read_bytes())
    except absent:
        return {}
    except Exception as exc:
        _log.warning(f"ignoring an unreadable file of {what}",
                     extra={"path": str(path), "error": repr(exc)})
        return {}
    return kept if isinstance(kept, dict) else {}


def merged(used: Mapping[K, V], kept: Mapping[K, V], limit: int) -> dict[K, V]:
    """What this process used, then what was kept before, up to `limit` entries in all
    (this process's entries are never dropped: they are what the next one will ask for)."""
    table = dict(used)
    for key, value in kept.items():
        if len(table) >= limit:
            break
        table.setdefault(key, value)
    return table


def write_atomically(path: Path, table: dict[Any, Any], *, file_mode: int,
                     folder_mode: int = 0o777) -> None:
    """Marshal `table` to `path` through a temporary file in the same folder and a rename,
    so a reader sees the old file or the new one, never a part. Raises OSError."""
    folder = path.parent
    folder.mkdir(mode=folder_mode, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")  # mode 0600
    try:
        os.fchmod(handle, file_mode)
        with os.fdopen(handle, "wb") as file:
            file.write(marshal.dumps(table))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
