"""Export that gives IT back the files they wrote: comments, key order and the schema line.

Import keeps the text of every policy file with the version (`LoadedPolicy.files`).
Export starts from those texts: a file whose items did not change is written back
byte for byte; in a changed file only the changed keys are rewritten (ruamel.yaml
round-trip), so comments and layout around them survive. Without stored files
(a policy built from chat edits only), fresh files are written with the schema line.
"""

from __future__ import annotations

import contextlib
from typing import Any

import yaml

from bot.policy.files import SECTIONS, policy_to_data, read_policy_texts
from bot.policy.models import Policy
from bot.policy.yaml_io import dump_tree, parse_yaml, round_trip_load, to_plain

__all__ = ["SCHEMA_LINE", "export_files", "fresh_files"]

SCHEMA_LINE = "# yaml-language-server: $schema=./policy.schema.json\n"


def _yaml(data: Any) -> str:
    return SCHEMA_LINE + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def fresh_files(policy: Policy, *, single: bool = False) -> dict[str, str]:
    """Plain YAML files (schema line, model key order, no comments)."""
    data = policy_to_data(policy)
    if single:
        return {"policy.yaml": _yaml(data)}
    files = {"meta.yaml": _yaml({"meta": data.get("meta", {})})}
    for section in SECTIONS:
        files[f"{section}.yaml"] = _yaml({section: data.get(section, [])})
    return files


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(i["id"]).casefold(): i for i in items}


def _key(node: Any) -> str:
    return str(to_plain(node.get("id", ""))).casefold() if isinstance(node, dict) else ""


def _set(node: Any, key: str, value: Any) -> None:
    """Assign keeping a folded/literal block style the author chose for the old text."""
    old = node.get(key)
    if isinstance(value, str) and old is not None and type(old) is not str:
        with contextlib.suppress(TypeError):
            value = type(old)(value)
    node[key] = value


def _patch_item(node: Any, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Rewrite the keys whose meaning changed; True if anything did."""
    changed = False
    for key in list(node.keys()):
        if str(key) not in after and str(key) in before:
            del node[key]
            changed = True
    for key, value in after.items():
        if key in before and before[key] == value:
            continue  # unchanged (a default the author left out stays left out)
        _set(node, key, value)
        changed = True
    return changed


def _touches(data: dict[str, Any], before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether a file (as plain data) holds anything that differs between the two policies."""
    if "meta" in data and before.get("meta") != after.get("meta"):
        return True
    for section in SECTIONS:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        old, new = _by_id(before.get(section, [])), _by_id(after.get(section, []))
        keys = [_key(i) for i in items]
        if any(k not in new or old.get(k) != new[k] for k in keys):
            return True
        order = {k: n for n, k in enumerate(new)}
        if keys != sorted(keys, key=lambda k: order.get(k, 0)):
            return True
    return False


def export_files(policy: Policy, sources: dict[str, str] | None) -> dict[str, str]:
    """The policy as files: the stored sources patched to match it, or fresh files."""
    if not sources:
        return fresh_files(policy)
    try:
        before = policy_to_data(_source_policy(sources))
    except Exception:  # sources of an older layout: never fail an export over them
        return fresh_files(policy)
    after = policy_to_data(policy)
    if before == after:
        return dict(sources)
    if any(name.endswith(".json") for name in sources):
        return fresh_files(policy)  # JSON has no comments to keep
    out = dict(sources)
    plain = {name: parse_yaml(text, name).data or {} for name, text in sources.items()}
    placed: dict[str, set[str]] = {s: set() for s in SECTIONS}
    last_file: dict[str, str] = {}
    for name, data in plain.items():
        for section in SECTIONS:
            if isinstance(data.get(section), list):
                last_file[section] = name
                placed[section] |= {_key(i) for i in data[section]}
    missing = {
        section: [i for i in after.get(section, []) if str(i["id"]).casefold()
                  not in placed[section]]
        for section in SECTIONS
    }
    touched = {name for name, data in plain.items() if _touches(data, before, after)}
    touched |= {last_file[s] for s, items in missing.items() if items and s in last_file}
    # Only the files that change are read with ruamel (slow, but keeps their comments).
    trees = {name: round_trip_load(sources[name]) for name in sorted(touched)}
    changed: set[str] = set()
    for name, tree in trees.items():
        if not isinstance(tree, dict):
            continue
        if (
            "meta" in tree
            and before.get("meta") != after.get("meta")
            and _patch_item(tree["meta"], before.get("meta", {}), after.get("meta", {}))
        ):
            changed.add(name)
        for section in SECTIONS:
            items = tree.get(section)
            if not isinstance(items, list):
                continue
            old, new = _by_id(before.get(section, [])), _by_id(after.get(section, []))
            for index in reversed(range(len(items))):
                node = items[index]
                key = _key(node)
                if key not in new:
                    del items[index]
                    changed.add(name)
                    continue
                if _patch_item(node, old.get(key, {}), new[key]):
                    changed.add(name)
            order = {k: n for n, k in enumerate(new)}
            ranked = sorted(items, key=lambda n: order.get(_key(n), 0))
            if list(ranked) != list(items):
                items[:] = ranked
                changed.add(name)
    for section, items in missing.items():
        if not items:
            continue
        target = last_file.get(section)
        if target is None:
            out[f"{section}.yaml"] = _yaml({section: items})
            continue
        trees[target][section].extend(items)
        changed.add(target)
    for name in changed:
        out[name] = dump_tree(trees[name])
    return out


def _source_policy(sources: dict[str, str]) -> Policy:
    """The policy the stored files describe (merged like a folder import)."""
    return read_policy_texts(sources).policy
