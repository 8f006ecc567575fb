"""The catalogue's JSON twin: used only while it is the YAML's, never a stale copy."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

from bot.core.catalogue import _FILE, TWIN, read_data


def test_the_shipped_json_is_the_current_yaml() -> None:
    # Fails after an edit of ai_products.yaml: run scripts/build_catalogue_json.py.
    raw = _FILE.read_bytes()
    shipped = json.loads(TWIN.read_text(encoding="utf-8"))
    assert shipped["yaml_sha256"] == hashlib.sha256(raw).hexdigest()
    assert shipped["data"] == yaml.safe_load(raw)
    assert read_data() == yaml.safe_load(raw)


def test_a_stale_or_broken_twin_is_ignored(tmp_path: Path) -> None:
    source, twin = tmp_path / "products.yaml", tmp_path / "products.json"
    source.write_text("products: [{name: Grok}]\n", encoding="utf-8")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    twin.write_text(json.dumps({"yaml_sha256": digest, "data": {"products": ["twin"]}}))
    assert read_data(source, twin) == {"products": ["twin"]}  # current: the twin is read
    source.write_text("products: [{name: Grok}, {name: Kimi}]\n", encoding="utf-8")
    assert read_data(source, twin) == {"products": [{"name": "Grok"}, {"name": "Kimi"}]}
    twin.write_text("{not json")
    assert read_data(source, twin) == {"products": [{"name": "Grok"}, {"name": "Kimi"}]}
    twin.unlink()
    assert read_data(source, twin) == {"products": [{"name": "Grok"}, {"name": "Kimi"}]}
