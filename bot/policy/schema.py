"""The JSON Schema of a policy file, generated from the models for editor autocompletion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.policy.models import Policy

__all__ = ["SCHEMA_PATH", "file_schema", "schema_text"]

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "policies" / "policy.schema.json"


def file_schema() -> dict[str, Any]:
    """Schema of one policy file: any subset of the sections (a folder is merged)."""
    schema = Policy.model_json_schema()
    schema.pop("required", None)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "AI Tool Concierge policy file"
    schema["description"] = (
        "One file of an organization's AI-tool policy. A folder of such files is merged "
        "section by section; validate with `python app.py policies validate PATH`."
    )
    schema["properties"]["$schema"] = {"type": "string"}
    return schema


def schema_text() -> str:
    return json.dumps(file_schema(), indent=2, ensure_ascii=False) + "\n"
