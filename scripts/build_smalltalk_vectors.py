"""Regenerate bot/core/data/smalltalk_vectors.npz: the small-talk bank embedded once.

Embedding the bank (a few hundred sentences) at start-up would cost a cold `ask` about
a second, so the default model's vectors ship with the bank; another model computes its
own on first use. Run after editing bot/core/data/smalltalk.yaml:
    python scripts/build_smalltalk_vectors.py
A test fails while the shipped vectors do not match the bank.
"""

from __future__ import annotations

import numpy as np

from bot.core.matching.embedder import get_embedder
from bot.core.smalltalk import VECTORS, bank_hash, bank_texts, embedding_text


def main() -> None:
    embedder = get_embedder(None)
    texts = bank_texts()
    vectors = embedder.encode([embedding_text(t) for t in texts]).astype(np.float16)
    np.savez_compressed(
        VECTORS, vectors=vectors, model_id=np.array(embedder.model_id), bank=np.array(bank_hash())
    )
    print(f"{len(texts)} examples, {embedder.model_id} -> {VECTORS}")


if __name__ == "__main__":
    main()
