"""Regular expressions compiled once per install, not once per one-shot process.

Why: Python compiles every regular expression anew in each process (`re` keeps compiled
patterns in memory only), and compiles them in Python code (its parser and code
generator). The answering code compiles about 260 patterns as it imports, red-line and
situation readers the most: 0.17 s of CPU of a cold `ask` (about a fifth of it) on the
2-core VM, on the main thread, before the first answer.

What the engine is given (`_sre.compile`: the final flags, the pattern's code, its groups)
is a pure function of the pattern, its flags and the Python build, so a one-shot command
keeps it next to its database (`<db>.index/`, with the policy index it keeps the same
way) and the next process hands the kept form to the engine instead of compiling again.
The engine validates the code it is given (an invalid one raises, and is then compiled
as usual); the file is named after the Python build and the engine's constants, so
another Python never reads it. A pattern compiled with the kept code is the same object
as one compiled anew: same code, flags and groups (tests/cli/test_kept_patterns.py).

Only the one-shot commands that answer (`ask`, `chat`) install it, for their process;
a long-running server compiles each pattern once anyway.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.cli.kept_tables import merged, read_table, write_atomically

__all__ = ["KeptPatterns"]

#: The regular expression engine and `re`'s compiler (private modules of the standard
#: library, without type stubs).
_sre: Any = importlib.import_module("_sre")
_compiler: Any = importlib.import_module("re._compiler")

_log = logging.getLogger(__name__)

#: What `_sre.compile` is given besides the pattern: flags, code, groups - 1, group index,
#: index group.
Engine = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
#: Patterns kept at most (those of the last process first): a policy's own triggers are
#: compiled too, and an install that answers for many policies must not grow without end.
LIMIT = 4000
_BUILD = hashlib.sha256(
    f"{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}|"
    f"{_sre.MAXREPEAT}|{_sre.MAXGROUPS}".encode()
).hexdigest()[:16]


class _Recorder:
    """Stands in for `_sre` inside `re._compiler`: passes every call on, and notes what
    `compile` gave the engine, for the thread that compiled."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self._last = threading.local()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def compile(self, pattern: Any, flags: int, code: list[int], groups: int,
                groupindex: dict[str, int], indexgroup: tuple[str | None, ...]) -> Any:
        compiled = self._engine.compile(pattern, flags, code, groups, groupindex, indexgroup)
        # plain ints and strings: the code holds the opcodes' named int constants
        self._last.value = (int(flags), [int(c) for c in code], int(groups),
                            {str(k): int(v) for k, v in groupindex.items()},
                            tuple(None if g is None else str(g) for g in indexgroup))
        return compiled

    def take(self) -> Engine | None:
        value: Engine | None = getattr(self._last, "value", None)
        self._last.value = None
        return value


class KeptPatterns:
    """The compiled patterns kept in `folder`, installed into `re` for this process."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"patterns-{_BUILD}.marshal"
        self._kept: dict[tuple[str | bytes, int], Engine] = {}
        self._used: dict[tuple[str | bytes, int], Engine] = {}
        self._added = False
        self._original: Callable[..., Any] | None = None
        self._recorder = _Recorder(_sre)
        #: patterns given their kept code, and compiled anew, in this process
        self.reused = 0
        self.compiled = 0

    def install(self) -> None:
        """Read the kept patterns and compile through them from now on."""
        self._kept = read_table(self.path, "kept patterns")
        if self._original is None:
            self._original = _compiler.compile
            _compiler._sre = self._recorder
            _compiler.compile = self._compile

    def uninstall(self) -> None:
        """Compile as Python does again (tests; a one-shot process just exits)."""
        if self._original is not None:
            _compiler.compile = self._original
            _compiler._sre = _sre
            self._original = None

    def _compile(self, pattern: Any, flags: int = 0) -> Any:
        original = self._original
        if original is None:  # uninstalled meanwhile
            return _compiler.compile(pattern, flags)
        plain = type(pattern) in (str, bytes) and not flags & re.DEBUG
        key = (pattern, int(flags))
        engine = self._kept.get(key) if plain else None
        if engine is not None:
            try:
                compiled = _sre.compile(pattern, *engine)
            except Exception:  # not valid code for this engine: compile it as usual
                self._kept.pop(key, None)
            else:
                self._used[key] = engine
                self.reused += 1
                return compiled
        self._recorder.take()
        compiled = original(pattern, flags)
        engine = self._recorder.take()
        self.compiled += 1
        if plain and engine is not None:
            self._used[key] = engine
            self._added = True
        return compiled

    def save(self) -> None:
        """Keep the patterns compiled anew (with those kept before, up to LIMIT) for the
        next process. Never raises: without the file the next process compiles them."""
        if not self._added:
            return
        table = merged(self._used, self._kept, LIMIT)
        try:
            write_atomically(self.path, table, file_mode=0o600, folder_mode=0o700)
            self._added = False
        except Exception as exc:  # disk full, read-only folder
            _log.warning("could not keep the compiled patterns for the next start",
                         extra={"path": str(self.path), "error": repr(exc)})
