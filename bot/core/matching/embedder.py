"""Sentence embeddings on ONNX Runtime: all-MiniLM-L6-v2 (int8) by default, no torch.

Why ONNX Runtime: the default install must stay small and start fast. The int8 MiniLM
(23 MB) plus onnxruntime and tokenizers load in well under a second and embed a short
question in a few milliseconds on one CPU thread, with no network access ever.

The pipeline is sentence-transformers' for this model: WordPiece tokens (truncated at the
manifest's max length, 128 for MiniLM), the transformer's last hidden state, mean pooling
over the attention mask, L2 normalisation. Rows of `encode` are therefore unit vectors
and a dot product is a cosine.

Heavy modules (onnxruntime, tokenizers) are imported on first use, not at import time,
and one instance per (model folder, threads) is kept per process by `get_embedder`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from bot.core.matching.message_scope import (
    MessageVectors,
    expected_texts,
    in_message_scope,
    message_scope,
    vectors,
)
from bot.core.matching.model_files import DEFAULT_MODEL_DIR, ModelError, ModelSpec, read_spec

__all__ = [
    "DEFAULT_MODEL_DIR", "Embedder", "MessageVectors", "ModelError", "get_embedder",
    "in_message_scope", "message_scope", "preload",
]

T = TypeVar("T")
#: Texts per ONNX call: large enough to amortise the call, small enough to pad little.
_BATCH = 32
_INSTANCES: dict[tuple[str, int], Embedder] = {}
_INSTANCES_LOCK = threading.Lock()
_BY_ARGUMENTS: dict[tuple[str, int], Embedder] = {}


class Embedder:
    """One verified model on one ONNX Runtime session; `encode` is thread-safe."""

    def __init__(self, spec: ModelSpec, *, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.spec = spec
        self.model_id = spec.model_id
        self.dim = spec.dim
        self.max_length = spec.max_length
        self.languages = spec.languages
        self.threads = max(1, int(threads))
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initializers are noise here
        # ONNX Runtime builds the session in native code without the GIL: the tokenizer
        # (which holds it) is read meanwhile, not after.
        session = _in_thread(lambda: ort.InferenceSession(
            str(spec.onnx_path), options, providers=["CPUExecutionProvider"]),
            "embedder-session")
        tokenizer = Tokenizer.from_file(str(spec.tokenizer_path))
        tokenizer.enable_truncation(max_length=spec.max_length)
        pad_id = tokenizer.token_to_id("[PAD]")
        tokenizer.enable_padding(pad_id=0 if pad_id is None else pad_id)  # to the batch's longest
        self._tokenizer = tokenizer
        try:
            self._session = session()
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelError(f"cannot load {spec.onnx_path} with ONNX Runtime: {exc}") from exc
        self._inputs = {i.name for i in self._session.get_inputs()}
        outputs = [o.name for o in self._session.get_outputs()]
        if spec.output not in outputs:
            raise ModelError(f"{spec.onnx_path} has no output {spec.output!r} (has {outputs})")

    def encode(self, texts: Sequence[str], *, batch_size: int = _BATCH) -> np.ndarray:
        """float32 array (len(texts), dim) of L2-normalised sentence embeddings."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        # Similar lengths share a batch, so little compute goes into padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._encode_batch([texts[i] or " " for i in rows])
        return out

    def encode_message(self, texts: Sequence[str]) -> np.ndarray:
        """`encode` for the texts of the message being answered: inside `message_scope`,
        a text already embedded for this answer is not embedded again, and texts the
        answer said it will embed later (`message_scope.expect_texts`) ride along."""
        memo = vectors()
        if memo is None:
            return self.encode(texts)
        key = self.model_id
        missing = [t for t in dict.fromkeys(texts) if (key, t) not in memo]
        if missing:
            extra = [t for t in dict.fromkeys(expected_texts(key))
                     if (key, t) not in memo and t not in missing]
            batch = missing + extra
            for text, vector in zip(batch, self.encode(batch), strict=True):
                memo[(key, text)] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([memo[(key, t)] for t in texts])

    def encode_one(self, text: str) -> np.ndarray:
        """One text's embedding as a (dim,) vector."""
        return self.encode([text])[0]

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run([self.spec.output], feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _settings_value(settings: object | None, name: str, default: Any) -> Any:
    value = getattr(settings, name, None) if settings is not None else None
    return default if value is None else value


def get_embedder(
    settings: object | None = None,
    *,
    model_dir: Path | str | None = None,
    threads: int | None = None,
) -> Embedder:
    """The process-wide embedder for the configured model (built, and verified, once).

    `settings` is the app's Settings (or anything with `embedding_model_dir` and
    `embedding_threads`); explicit `model_dir` / `threads` win over it.
    """
    folder = model_dir or _settings_value(settings, "embedding_model_dir", DEFAULT_MODEL_DIR)
    count = threads or _settings_value(settings, "embedding_threads", 1)
    asked = (str(folder), int(count))
    cached = _BY_ARGUMENTS.get(asked)  # the answer path: no filesystem call
    if cached is not None:
        return cached
    count = max(1, min(int(count), os.cpu_count() or 1))
    key = (str(Path(folder).expanduser().resolve()), count)
    with _INSTANCES_LOCK:
        if key not in _INSTANCES:
            _INSTANCES[key] = _build(Path(key[0]), count)
        _BY_ARGUMENTS[asked] = _INSTANCES[key]
        return _INSTANCES[key]


def _in_thread(work: Callable[[], T], name: str) -> Callable[[], T]:
    """Start `work` in a thread; the returned call waits for it and returns (or raises)
    what it did."""
    box: list[Any] = []

    def run() -> None:
        try:
            box.append((True, work()))
        except BaseException as exc:  # re-raised in the caller's thread
            box.append((False, exc))

    # Not a daemon (whoever starts it): exit must wait for a session being built.
    thread = threading.Thread(target=run, name=name, daemon=False)
    thread.start()

    def result() -> T:
        thread.join()
        ok, value = box[0]
        if not ok:
            raise value
        return value

    return result


def _build(folder: Path, threads: int) -> Embedder:
    """Verify the folder's files while ONNX Runtime and tokenizers are imported: hashing
    the 23 MB model runs outside the GIL, the imports inside it, so a cold start waits
    for the longer of the two, not their sum. Nothing reads a file before it is verified."""
    spec = _in_thread(lambda: read_spec(folder), "embedder-verify")
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401

    return Embedder(spec(), threads=threads)


def preload(model_dir: Path | str | None = None, threads: int | None = None) -> None:
    """Start loading the embedder in a background thread, so the model's session is
    being built (native code, outside the GIL) while the caller builds its index.

    Errors are not raised here: the first real `get_embedder` call raises them.
    """

    def load() -> None:
        try:
            get_embedder(model_dir=model_dir, threads=threads)
        except Exception:  # reported by the caller's own get_embedder call
            return

    # Not a daemon: a process must not exit while ONNX Runtime is still building the session
    # (the C++ runtime aborts), so exit waits for the load to finish.
    threading.Thread(target=load, name="embedder-preload").start()
