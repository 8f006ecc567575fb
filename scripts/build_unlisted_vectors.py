"""Regenerate bot/core/data/unlisted_rules_vectors.npz: the bank of rule phrasings embedded.

A cold `ask` reads every red line by meaning against this bank; embedding the bank at
start-up would cost it about a tenth of a second, so the default model's vectors ship
with the bank (another model computes its own once per process). Run after editing
bot/core/data/unlisted_rules.yaml:
    python scripts/build_unlisted_vectors.py
A test fails while the shipped vectors do not match the bank.
"""

from __future__ import annotations

import numpy as np

from bot.core.matching.embedder import get_embedder
from bot.core.unlisted_rules import VECTORS, bank_hash, bank_texts


def main() -> None:
    embedder = get_embedder(None)
    texts = bank_texts()
    vectors = embedder.encode(texts).astype(np.float16)
    np.savez_compressed(
        VECTORS, vectors=vectors, model_id=np.array(embedder.model_id), bank=np.array(bank_hash())
    )
    print(f"{len(texts)} rules, {embedder.model_id} -> {VECTORS}")


if __name__ == "__main__":
    main()
