"""Dataclass methods' code kept for the next one-shot process (bot.cli.kept_dataclasses)."""

from __future__ import annotations

import dataclasses
import marshal
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.cli.kept_dataclasses import KeptDataclasses


@pytest.fixture(autouse=True)
def _plain_dataclasses() -> Iterator[None]:
    """Each test installs its own: one a CLI test in this process left installed steps aside."""
    left = vars(dataclasses).pop("exec", None)
    yield
    vars(dataclasses).pop("exec", None)
    if left is not None:
        dataclasses.exec = left  # type: ignore[attr-defined]


def _classes() -> list[type]:
    """Dataclasses of every kind the answering code makes: frozen, ordered, slotted, with
    defaults and factories, keyword-only fields, a post-init and an unhashable one."""

    @dataclass(frozen=True)
    class Hit:
        name: str
        score: float = 0.0
        spans: tuple[int, ...] = ()

    @dataclass(order=True)
    class Ranked:
        score: float
        label: str = field(compare=False, default="")
        notes: list[str] = field(default_factory=list)

    @dataclass(frozen=True, slots=True)
    class Vector:
        model: str
        values: tuple[float, ...]

    @dataclass(kw_only=True)
    class Reading:
        text: str
        tools: list[str] = field(default_factory=list)
        length: int = 0

        def __post_init__(self) -> None:
            self.length = len(self.text)

    @dataclass(eq=True, unsafe_hash=True)
    class Key:
        a: int
        b: str = "x"

    return [Hit, Ranked, Vector, Reading, Key]


def _behaviour(classes: list[type]) -> list[Any]:
    hit, ranked, vector, reading, key = classes
    seen: list[Any] = []
    a, b = hit("Copilot", 0.5, (1, 2)), hit("Copilot", 0.5, (1, 2))
    seen += [repr(a), a == b, hash(a) == hash(b)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "x"  # type: ignore[misc]
    seen += [sorted([ranked(2.0, "b"), ranked(1.0, "a", ["n"])]).__repr__(),
             ranked(1.0, "a") == ranked(1.0, "z")]
    seen += [repr(vector("m", (0.1,))), vector("m", (0.1,)) == vector("m", (0.1,))]
    seen += [repr(reading(text="summarize this")), reading(text="a", tools=["x"]).length]
    seen += [hash(key(1)) == hash(key(1)), repr(key(2, "y"))]
    return seen


def _codes(classes: list[type]) -> list[Any]:
    return [getattr(cls, name).__code__ for cls in classes
            for name in ("__init__", "__repr__", "__eq__") if name in vars(cls)]


def test_the_next_process_executes_the_kept_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # whatever the shell says
    plain = _classes()
    first = KeptDataclasses(tmp_path)
    first.install()
    try:
        made = _classes()
        assert _behaviour(made) == _behaviour(plain)
    finally:
        first.uninstall()
    assert first.compiled >= 15
    assert first.reused == 0
    first.save()
    assert first.path.is_file()

    second = KeptDataclasses(tmp_path)
    second.install()
    try:
        kept = _classes()
    finally:
        second.uninstall()
    assert (second.reused, second.compiled) == (first.compiled, 0)
    # The very code Python compiles, and classes that behave the same.
    assert _codes(kept) == _codes(plain)
    assert _behaviour(kept) == _behaviour(plain)
    assert "exec" not in vars(dataclasses)  # uninstalled: compiled as Python does again


def test_a_damaged_file_is_compiled_anew_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # whatever the shell says
    kept = KeptDataclasses(tmp_path)
    kept.path.write_bytes(b"not marshal data")
    kept.install()
    try:
        made = _classes()
    finally:
        kept.uninstall()
    assert kept.reused == 0
    assert kept.compiled > 0
    assert _behaviour(made) == _behaviour(_classes())
    kept.save()
    table = marshal.loads(kept.path.read_bytes())
    assert len(table) == kept.compiled


def test_nothing_is_written_without_bytecode_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # PYTHONDONTWRITEBYTECODE
    kept = KeptDataclasses(tmp_path / "cache")
    kept.install()
    try:
        _classes()
    finally:
        kept.uninstall()
    kept.save()
    assert kept.compiled > 0
    assert not (tmp_path / "cache").exists()
