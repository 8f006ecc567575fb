"""A built-in bank's shipped vectors are used only when made by the same model from the
same texts; otherwise the bank is embedded, once per process and model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.core.bank_vectors import bank_vectors


def _ship(path: Path, model_id: str, bank: str) -> np.ndarray:
    vectors = np.arange(6, dtype=np.float64).reshape(2, 3)
    np.savez(path, model_id=model_id, bank=bank, vectors=vectors)
    return vectors.astype(np.float32)


def test_shipped_vectors_of_the_same_model_and_bank_are_read_not_embedded(
        tmp_path: Path) -> None:
    shipped = _ship(tmp_path / "bank.npz", "minilm@abc", "hash1")
    calls: list[int] = []
    cache: dict[str, np.ndarray] = {}
    got = bank_vectors(tmp_path / "bank.npz", "minilm@abc", "hash1",
                       lambda: calls.append(1) or np.ones((2, 3)), cache)
    assert got.dtype == np.float32
    assert np.array_equal(got, shipped)
    assert calls == []
    assert cache["minilm@abc"] is got


def test_another_model_or_an_edited_bank_is_embedded_once(tmp_path: Path) -> None:
    _ship(tmp_path / "bank.npz", "minilm@abc", "hash1")
    calls: list[int] = []
    cache: dict[str, np.ndarray] = {}

    def embed() -> np.ndarray:
        calls.append(1)
        return np.full((2, 3), 0.5)

    for model, bank in (("multilingual@def", "hash1"), ("minilm@abc", "hash2")):
        cache.clear()
        first = bank_vectors(tmp_path / "bank.npz", model, bank, embed, cache)
        again = bank_vectors(tmp_path / "bank.npz", model, bank, embed, cache)
        assert np.array_equal(first, np.full((2, 3), 0.5, dtype=np.float32))
        assert again is first
    assert len(calls) == 2  # once per (model, bank), never for the cached call
    missing = bank_vectors(tmp_path / "none.npz", "x", "y", embed, {})
    assert missing.shape == (2, 3)
