"""The tables one-shot processes keep for the next: bounded, and replaced whole."""

from __future__ import annotations

import marshal
import stat
from pathlib import Path

import pytest

from bot.cli.kept_tables import merged, read_table, write_atomically


def test_this_process_entries_first_then_older_ones_up_to_the_limit() -> None:
    used = {"a": 1, "b": 2}
    kept = {"b": 20, "c": 3, "d": 4, "e": 5}
    assert merged(used, kept, limit=3) == {"a": 1, "b": 2, "c": 3}
    # what this process used is never dropped, even past the limit
    assert merged({"x": 1, "y": 2, "z": 3}, kept, limit=2) == {"x": 1, "y": 2, "z": 3}


def test_the_file_is_replaced_whole_with_its_mode_and_no_temporary_left(tmp_path: Path) -> None:
    path = tmp_path / "kept" / "table.marshal"
    write_atomically(path, {"old": 1}, file_mode=0o600, folder_mode=0o700)
    write_atomically(path, {"new": 2}, file_mode=0o644)
    assert marshal.loads(path.read_bytes()) == {"new": 2}
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["table.marshal"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "table.marshal"
    write_atomically(path, {"old": 1}, file_mode=0o600)
    with pytest.raises(ValueError, match="unmarshallable"):  # marshal cannot write it
        write_atomically(path, {"bad": object()}, file_mode=0o600)
    assert marshal.loads(path.read_bytes()) == {"old": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["table.marshal"]


def test_a_missing_or_unreadable_table_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "table.marshal"
    assert read_table(path, "a test table") == {}
    path.write_bytes(b"not marshal data")
    assert read_table(path, "a test table") == {}
    path.write_bytes(marshal.dumps([1, 2]))  # marshal, but no table
    assert read_table(path, "a test table") == {}
    write_atomically(path, {"k": 1}, file_mode=0o600)
    assert read_table(path, "a test table") == {"k": 1}
