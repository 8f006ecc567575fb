"""Compiled regular expressions kept for the next one-shot process (bot.cli.kept_patterns)."""

from __future__ import annotations

import marshal
import re
from pathlib import Path

from bot.cli.kept_patterns import KeptPatterns

#: Patterns of every kind the answering code writes: groups, named groups, look-arounds,
#: flags, classes, alternations, bytes.
_PATTERNS: list[tuple[str | bytes, int]] = [
    (r"\b(?:without|no need|skip(?:ping)?)\b(?:\s+[\w'’]+){0,4}?\s+(?:check|review)\w*", re.I),
    (r"(?P<who>[\w@.-]+)\s+(?:decide|pick)(?!\s+up)", 0),
    (r"^(?:hi|hello|hey)[!.]*$", re.I | re.M),
    (r"(?<=\d)[,.](?=\d{3}\b)", 0),
    (rb"[\x00-\x1f]+", 0),
]
_TEXTS = ["We decide tomorrow; skip the check, no need to review it", "HELLO!",
          "1,000 and 2.500 kept", "Ana pick up", "without anyone reading it first"]


def _compiled(patterns: list[tuple[str | bytes, int]]) -> list[re.Pattern]:  # type: ignore[type-arg]
    re.purge()  # `re` keeps patterns in memory: compile them for real
    return [re.compile(p, f) for p, f in patterns]


def _behaviour(compiled: list[re.Pattern]) -> list[object]:  # type: ignore[type-arg]
    seen: list[object] = []
    for pattern in compiled:
        seen.append((pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex))
        for text in _TEXTS:
            subject = text.encode() if isinstance(pattern.pattern, bytes) else text
            seen.append([(m.span(), m.groups()) for m in pattern.finditer(subject)])
    return seen


def test_the_next_process_gets_the_same_patterns_without_compiling(tmp_path: Path) -> None:
    plain = _behaviour(_compiled(_PATTERNS))
    first = KeptPatterns(tmp_path / "db.index")
    first.install()
    try:
        assert _behaviour(_compiled(_PATTERNS)) == plain
    finally:
        first.uninstall()
    assert first.compiled >= len(_PATTERNS)
    first.save()
    assert first.path.is_file()
    assert (first.path.parent.stat().st_mode & 0o777) == 0o700  # this user's, like the index

    second = KeptPatterns(tmp_path / "db.index")
    second.install()
    try:
        kept = _behaviour(_compiled(_PATTERNS))
    finally:
        second.uninstall()
    assert (second.reused, second.compiled) == (len(_PATTERNS), 0)
    assert kept == plain
    # Uninstalled: `re` compiles as Python does again.
    assert re.compile.__module__ == "re"
    assert _behaviour(_compiled(_PATTERNS)) == plain


def test_a_damaged_file_or_invalid_code_is_compiled_anew(tmp_path: Path) -> None:
    plain = _behaviour(_compiled(_PATTERNS))
    patterns = KeptPatterns(tmp_path)
    patterns.path.write_bytes(b"not marshal data")
    patterns.install()
    try:
        assert _behaviour(_compiled(_PATTERNS)) == plain
    finally:
        patterns.uninstall()
    assert patterns.reused == 0
    patterns.save()  # replaced by a readable file
    table = marshal.loads(patterns.path.read_bytes())
    assert set(_PATTERNS) <= set(table)

    # Code the engine rejects (validated by `_sre.compile`) is compiled as usual.
    key = _PATTERNS[0]
    flags, _code, *rest = table[key]
    table[key] = (flags, [0, 1, 2], *rest)
    patterns.path.write_bytes(marshal.dumps(table))
    tampered = KeptPatterns(tmp_path)
    tampered.install()
    try:
        assert _behaviour(_compiled(_PATTERNS)) == plain
    finally:
        tampered.uninstall()
    assert (tampered.reused, tampered.compiled) == (len(_PATTERNS) - 1, 1)


def test_nothing_is_written_when_nothing_was_compiled_anew(tmp_path: Path) -> None:
    patterns = KeptPatterns(tmp_path / "db.index")
    patterns.save()
    assert not patterns.path.parent.exists()
