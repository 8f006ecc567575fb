"""The JSON Schema of a policy file, generated from the models for editor autocompletion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.policy.models import Policy
from bot.policy.test_spec import PolicyTest

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
    tests = PolicyTest.model_json_schema()
    schema["$defs"]["PolicyTest"] = {k: v for k, v in tests.items() if k != "$defs"}
    schema["properties"]["tests"] = {
        "description": "Policy tests: questions and what their answers must show "
        "(run by `python app.py policies test`).",
        "items": {"$ref": "#/$defs/PolicyTest"},
        "type": "array",
    }
    # Editors flag a misspelt key as they type; `x-...` keys are the author's own.
    for definition in [schema, *schema["$defs"].values()]:
        if "properties" in definition:
            definition["additionalProperties"] = False
            definition["patternProperties"] = {"^x-": {}}
            if "extra" in definition["properties"]:
                definition["properties"]["extra"] = definition["properties"].pop("extra")
    return schema


def schema_text() -> str:
    return json.dumps(file_schema(), indent=2, ensure_ascii=False) + "\n"
