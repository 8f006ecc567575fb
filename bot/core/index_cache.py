"""A live policy version's built index, kept on disk between one-shot processes.

Why: a cold `ask` builds the live policy's index (word index, red-line reading, lexicon,
red-line scope, forbidden uses) from the stored policy and vectors every time, about a
tenth of its CPU on the sample policy, more on big policies and with every per-policy
reading added. The index is a pure function of the policy version, the settings that
choose the matcher and threshold, and the code: so the first process pickles it and the
next ones load it (a few milliseconds) instead of building it.

The key hashes the version and the policy's content, those settings, Python's and NumPy's
versions and the path, size and modification time of every file of the `bot` package
(code and data, the bundled model included): any edit or upgrade makes a new key, and an
index of other code is never loaded. Unpickling runs code, so only files this install
wrote are read: the folder sits next to the SQLite database (`<db>.index/`, created for
this user only), files are written whole (temporary file, then renamed) and a file that
cannot be loaded is ignored and rebuilt. The newest few are kept.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.core.advice.index import PolicyIndex
from bot.policy.models import Policy

__all__ = ["IndexCache", "code_fingerprint"]

_log = logging.getLogger(__name__)
_PACKAGE = Path(__file__).resolve().parents[1]  # bot/
#: Index files kept in one folder (older policy versions or code are deleted).
KEEP = 3
_SUFFIX = ".index"


@lru_cache(maxsize=4)
def code_fingerprint(root: Path = _PACKAGE) -> str:
    """Path, size and modification time of every file under `root` but bytecode: a
    changed file, an added one or an upgrade changes it (about 2 ms for the package)."""
    digest = hashlib.sha256()
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(names):
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:  # removed meanwhile: the next process sees the new tree
                continue
            digest.update(f"{os.path.relpath(path, root)}\0{stat.st_size}\0"
                          f"{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class IndexCache:
    """Built indexes in `folder`, for settings summed up by `salt` (matcher, model folder,
    threshold: whatever `build_index` reads besides the policy)."""

    folder: Path
    salt: str

    def key(self, version: int, policy: Policy) -> str:
        parts = (str(version), policy.model_dump_json(), self.salt, code_fingerprint(),
                 sys.version, np.__version__)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def load(self, key: str) -> PolicyIndex | None:
        """The index stored under `key`, or None (none yet, or unreadable: then rebuilt)."""
        path = self.folder / f"{key}{_SUFFIX}"
        collecting = gc.isenabled()
        # Without the collector while loading: the index is some 100,000 new objects, all
        # kept, and collections triggered by their allocation would walk them for nothing.
        gc.disable()
        try:
            with path.open("rb") as file:
                index = pickle.load(file)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a truncated or foreign file: build again, replace it
            _log.warning("ignoring an unreadable index cache file",
                         extra={"path": str(path), "error": repr(exc)})
            return None
        finally:
            if collecting:
                gc.enable()
        return index if isinstance(index, PolicyIndex) else None

    def save(self, key: str, index: PolicyIndex) -> None:
        """Store `index` under `key` and keep the newest `KEEP` files. Never raises for
        the disk: without a cache the next process builds the index again.

        The index is warmed first (`PolicyLexicon.warm`: small talk's indexes, the tool
        kinds, every use case's red lines), as an answer worker warms its own, so later
        processes load what their first message would build: on the sample policy warming
        takes about 75 ms once and loading the warmed index 6-7 ms more than the cold
        one; a cold `ask` of small talk then spends about 30 ms less CPU, of a job 10 ms
        less, of a tool's status the same (2-core VM, realtime priority). Only what the
        policy and the shipped data give is kept: the index is saved before any message
        is answered, so no memo of a message goes to disk.
        """
        index.lexicon.warm()
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")  # mode 0600
            try:
                with os.fdopen(handle, "wb") as file:
                    pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.folder / f"{key}{_SUFFIX}")
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            self._prune()
        except Exception as exc:  # disk full, read-only, a matcher that cannot be pickled
            _log.warning("could not keep the policy index for the next start",
                         extra={"folder": str(self.folder), "error": repr(exc)})

    def _prune(self) -> None:
        kept = sorted(self.folder.glob(f"*{_SUFFIX}"), key=lambda p: p.stat().st_mtime_ns,
                      reverse=True)
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)
