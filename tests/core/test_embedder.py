"""The ONNX sentence embedder: the real bundled model, its hashes, and another model folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.core.matching.embedder import (
    DEFAULT_MODEL_DIR,
    Embedder,
    ModelError,
    get_embedder,
    message_scope,
)
from bot.core.matching.message_scope import vectors as message_vectors
from bot.core.matching.model_files import read_spec, sha256_of

pytestmark = pytest.mark.semantic

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder()


def _model_folder(tmp_path: Path, *, tamper: str | None = None) -> Path:
    """A standalone model folder (files copied, manifest with their hashes)."""
    spec = read_spec()
    folder = tmp_path / "model"
    folder.mkdir()
    shutil.copy(spec.onnx_path, folder / "model.onnx")
    shutil.copy(spec.tokenizer_path, folder / "tokenizer.json")
    manifest = {
        "model_id": "copy-of-minilm",
        "dimension": 384,
        "max_length": 16,
        "languages": ["en", "xx"],
        "files": {
            "model.onnx": sha256_of(folder / "model.onnx"),
            "tokenizer.json": {"sha256": sha256_of(folder / "tokenizer.json")},
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    if tamper:
        with (folder / tamper).open("ab") as handle:
            handle.write(b" ")
    return folder


def test_rows_are_unit_vectors_and_paraphrases_are_closest(embedder: Embedder) -> None:
    texts = [
        "summarize a long pdf report",
        "give me the gist of this 40 page document",
        "compose background music for a video",
        "book a flight to berlin",
    ]
    vectors = embedder.encode(texts)
    assert vectors.shape == (4, embedder.dim) == (4, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    assert int(np.argmax(sims[0, 1:])) + 1 == 1  # the paraphrase, not music or flights
    assert embedder.model_id == "all-MiniLM-L6-v2-onnx-int8"
    assert embedder.languages == ("en",)


def test_batches_match_single_encodes_and_order_is_kept(embedder: Embedder) -> None:
    texts = ["a", "translate this contract into german please", "", "debug my python script"] * 9
    batch = embedder.encode(texts, batch_size=5)
    for i in (0, 1, 2, 3, 35):
        np.testing.assert_allclose(batch[i], embedder.encode_one(texts[i]), atol=1e-4)
    assert embedder.encode([]).shape == (0, 384)


def test_a_message_has_the_same_vector_alone_or_in_a_batch(embedder: Embedder) -> None:
    # The answer path embeds two texts of one message in one call (`advisor`): that must
    # not move either vector by a single bit, or answers would depend on the batch.
    texts = ["yes, please", "what is the definiton of auspicious",
             "what is the definition of auspicious", "book a table for four at 8:00 tonight"]
    together = embedder.encode(texts)
    for i, text in enumerate(texts):
        np.testing.assert_array_equal(together[i], embedder.encode([text])[0])


def test_long_text_is_truncated_at_max_length(embedder: Embedder) -> None:
    head = "please summarize this quarterly sales report for the board. " * 12
    long_a = head + "cats " * 400
    long_b = head + "rockets " * 400
    assert embedder.max_length == 128
    # Beyond 128 tokens the tails differ, but the model never sees them.
    np.testing.assert_allclose(embedder.encode_one(long_a), embedder.encode_one(long_b), atol=1e-5)


def test_one_instance_per_process() -> None:
    assert get_embedder() is get_embedder(None)
    assert get_embedder(model_dir=DEFAULT_MODEL_DIR) is get_embedder()


def test_another_model_folder_from_settings(tmp_path: Path, embedder: Embedder) -> None:
    class Settings:
        embedding_model_dir = _model_folder(tmp_path)
        embedding_threads = 1

    other = get_embedder(Settings())
    assert other is not embedder
    assert (other.model_id, other.max_length, other.languages) == (
        "copy-of-minilm", 16, ("en", "xx"))
    short = "translate the contract"
    np.testing.assert_allclose(other.encode_one(short), embedder.encode_one(short), atol=1e-5)


@pytest.mark.parametrize("tampered", ["model.onnx", "tokenizer.json"])
def test_a_file_that_does_not_match_its_hash_is_refused(tmp_path: Path, tampered: str) -> None:
    folder = _model_folder(tmp_path, tamper=tampered)
    with pytest.raises(ModelError, match=rf"{tampered} does not match its manifest"):
        get_embedder(model_dir=folder)


def test_a_tampered_model_never_reaches_onnx_runtime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hashes are checked while ONNX Runtime is imported, yet before it reads a file."""
    import onnxruntime

    opened: list[str] = []
    real = onnxruntime.InferenceSession

    def spy(path: str, *args: object, **kwargs: object) -> object:
        opened.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(onnxruntime, "InferenceSession", spy)
    with pytest.raises(ModelError, match="does not match its manifest"):
        get_embedder(model_dir=_model_folder(tmp_path, tamper="model.onnx"))
    assert opened == []


def test_a_model_onnx_runtime_cannot_read_is_a_clear_error(tmp_path: Path) -> None:
    folder = _model_folder(tmp_path)
    (folder / "model.onnx").write_bytes(b"not a model")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["model.onnx"] = sha256_of(folder / "model.onnx")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match=r"cannot load .*model\.onnx with ONNX Runtime"):
        get_embedder(model_dir=folder)


def test_missing_manifest_or_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"no manifest\.json"):
        get_embedder(model_dir=tmp_path)
    folder = _model_folder(tmp_path)
    (folder / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match="file missing"):
        read_spec(folder)


def test_importing_the_module_loads_no_runtime() -> None:
    code = (
        "import sys; import bot.core.matching.embedder; "
        "print('onnxruntime' in sys.modules, 'tokenizers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_a_hybrid_matcher_knows_its_languages_without_loading_the_model() -> None:
    # Every answer asks which languages the model reads; a cold `ask` must not wait for
    # the ONNX session to learn what the manifest says.
    code = (
        "import sys; from bot.core.matching.hybrid import HybridMatcher; "
        "print(HybridMatcher().languages, 'onnxruntime' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.split() == ["('en',)", "False"]


def test_preloading_a_backend_without_a_model_loads_nothing() -> None:
    code = (
        "import sys; from bot.core.matching.registry import preload_model; "
        "preload_model('lexical'); print('onnxruntime' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.split() == ["False"]


def test_one_answer_embeds_a_message_once_and_keeps_nothing(embedder: Embedder) -> None:
    # Small talk's meaning check and the job match often embed the same text; inside one
    # answer the second use is served from the first, and nothing outlives the answer.
    text = "where do you originate from"
    with message_scope():
        first = embedder.encode_message([text])
        memo = message_vectors()
        assert memo is not None
        assert list(memo) == [(embedder.model_id, text)]
        again = embedder.encode_message([text, text])
        assert len(memo) == 1
    np.testing.assert_allclose(first[0], embedder.encode([text])[0], atol=1e-6)
    np.testing.assert_array_equal(again, np.vstack([first, first]))
    assert message_vectors() is None
    assert embedder.encode_message([text]).shape == (1, embedder.dim)  # outside: plain encode
