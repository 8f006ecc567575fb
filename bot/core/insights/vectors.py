"""What the answer path needs of clustering: the text embedded for an unmet request, the
model that embeds it, and how a vector is stored.

Kept apart from `clustering`, which imports the grouping, labelling and phrasing code: the
concierge embeds each unmet request when it logs it, and a cold `ask` should not import
all of clustering for that (about 35 ms), nor the phrasing rules until a request is unmet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

__all__ = ["TextEmbedder", "default_embedder", "embed_text", "from_bytes", "to_bytes"]


class TextEmbedder(Protocol):
    """What clustering needs of `bot.core.matching.embedder.Embedder`."""

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def embed_text(question: str) -> str:
    """What is embedded for a request: its job, without the frame it was asked in."""
    from bot.core.insights.phrasing import job_phrase  # some 100 regular expressions

    return job_phrase(question) or question


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float32)


def default_embedder(settings: object | None = None) -> TextEmbedder:
    """The matcher's sentence model (EMBEDDING_MODEL_DIR when set): never a second model."""
    from bot.core.matching.embedder import get_embedder  # loads ONNX Runtime on first use

    return get_embedder(settings)
