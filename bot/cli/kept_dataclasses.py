"""Dataclass methods compiled once per install, not once per one-shot process.

Why: `@dataclass` writes each class's `__init__`, `__repr__`, `__eq__` (and, when frozen,
`__setattr__` and `__delattr__`) as Python source and compiles it with `exec` as the class
is made, in every process: a cold `ask` makes about 95 dataclasses (pydantic's own among
them) and compiled some 420 such functions for them, about 30 ms of its main thread's CPU
(2-core VM, realtime priority; `bench/cli_startup.py`).

What `exec` is given is source text, and the code compiled from it is a pure function of
that text and the Python build: what `.pyc` files keep for modules. So it is kept the same
way: marshalled, in the `__pycache__` folder where Python keeps this package's bytecode
(`sys.pycache_prefix` respected), written when that folder can be written and not at all
under `PYTHONDONTWRITEBYTECODE`, as Python does for `.pyc` files; the next process executes
the kept code instead of compiling the text again. The file is named after the Python build
(marshal's format and bytecode change between versions); one that cannot be read is ignored
and replaced. Only the `exec` that `dataclasses` calls is replaced (a name in that module's
globals, looked up before the builtin), for this process; every class is made as before.

Only the one-shot commands that answer (`ask`, `chat`) install it, before their settings
are read (pydantic's dataclasses are made then); a long-running server makes each class
once anyway.
"""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import importlib.util
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from bot.cli.kept_tables import merged, read_table, write_atomically

__all__ = ["KeptDataclasses"]

#: Texts kept at most (those of the last process first, then older ones): a cold `ask`
#: uses about 450; the bound keeps a checkout whose code keeps changing from reading ever
#: more stale ones (600 take 2-3 ms to read).
LIMIT = 1500
_BUILD = hashlib.sha256(
    f"{sys.version}|{sys.implementation.cache_tag}|{importlib.util.MAGIC_NUMBER.hex()}".encode()
).hexdigest()[:16]


def bytecode_folder() -> Path:
    """Where Python keeps this package's bytecode (`__pycache__`, or under
    `sys.pycache_prefix`)."""
    return Path(importlib.util.cache_from_source(__file__)).parent


class KeptDataclasses:
    """The dataclass methods' code kept in `folder`, used by `dataclasses` in this process."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or bytecode_folder()) / f"dataclasses-{_BUILD}.marshal"
        self._kept: dict[str, CodeType] = {}
        self._used: dict[str, CodeType] = {}
        self._added = False
        self._installed = False
        #: texts given their kept code, and compiled anew, in this process
        self.reused = 0
        self.compiled = 0

    def install(self) -> None:
        """Read the kept code and let `dataclasses` execute it from now on."""
        kept = read_table(self.path, "kept dataclass code",
                          absent=(FileNotFoundError, PermissionError))  # or another user's
        self._kept = {text: code for text, code in kept.items()
                      if isinstance(text, str) and isinstance(code, CodeType)}
        if not self._installed and "exec" not in vars(dataclasses):
            dataclasses.exec = self._exec  # type: ignore[attr-defined]
            self._installed = True

    def uninstall(self) -> None:
        """Let `dataclasses` compile as Python does again (tests; a process just exits)."""
        if self._installed:
            vars(dataclasses).pop("exec", None)
            self._installed = False

    def _exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        if type(source) is str:
            code = self._kept.get(source)
            if code is None:
                # as `exec` compiles a text: "<string>", and no __future__ flags of ours
                # (dataclasses.py has none to pass on)
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self.compiled += 1
                self._added = True
            else:
                self.reused += 1
            self._used[source] = code
            source = code
        builtins.exec(source, globals, locals)

    def save(self) -> None:
        """Keep the code compiled anew (with what was kept before, up to LIMIT) for the
        next process, unless bytecode is not written (`PYTHONDONTWRITEBYTECODE`). Never
        raises: without the file the next process compiles again."""
        if not self._added or sys.dont_write_bytecode:
            return
        table = merged(self._used, self._kept, LIMIT)
        try:
            # readable as the bytecode beside it
            write_atomically(self.path, table, file_mode=0o644)
            self._added = False
        except OSError:  # a read-only install: as Python's own bytecode, not kept
            pass
