"""Well-known AI products the policy may not list, so "is DeepSeek allowed?" is understood.

The catalogue is data (bot/core/data/ai_products.yaml): name, aliases, vendor and
kind. It is consulted only when a message names no tool of the policy. A spelling
listed under `ordinary_words` ("cursor", "gamma") needs a capital letter or a tool
question around it, so "move the cursor" is never read as a product.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.core.matching.text import normalize
from bot.core.names import NameHit, NameIndex, compact

__all__ = ["TWIN", "Catalogue", "Product", "catalogue", "read_data"]

_FILE = Path(__file__).resolve().parent / "data" / "ai_products.yaml"
#: The same data as JSON, written by scripts/build_catalogue_json.py: even the C YAML
#: parser builds each node in Python (~10 ms of every cold `ask` for this file; JSON ~0.3).
TWIN = _FILE.with_suffix(".json")


@dataclass(frozen=True)
class Product:
    name: str
    aliases: tuple[str, ...]
    vendor: str
    kind: str

    @property
    def spellings(self) -> tuple[str, ...]:
        return tuple(s for s in (normalize(x) for x in (self.name, *self.aliases)) if s)



class Catalogue:
    """The products, their kinds, and a name index over every spelling."""

    def __init__(
        self,
        products: list[Product],
        kinds: dict[str, str],
        ordinary: frozenset[str],
        category_words: dict[str, list[str]] | None = None,
    ) -> None:
        self.products = {p.name: p for p in products}
        self.kinds = kinds
        self.category_words = category_words or {}
        self.ordinary = ordinary
        self.index = NameIndex(
            ((p.name, p.spellings) for p in products),
            fuzzy=True,
            not_fuzzy=frozenset(o.replace(" ", "") for o in ordinary),
        )
        # Every product a spelling names: "m365 copilot" is written for two products, and
        # products that share a spelling are one thing in people's mouths (`kin`).
        spelled: dict[str, set[str]] = {}
        for p in products:
            for spelling in p.spellings:
                spelled.setdefault(compact(spelling.split()), set()).add(p.name)
        self._spelled = {form: frozenset(names) for form, names in spelled.items()}
        self._kin: dict[str, set[str]] = {p.name: {p.name} for p in products}
        for names in spelled.values():
            for name in names:
                self._kin[name] |= names

    def find(self, text: str, *, asked: str | None = None) -> Product | None:
        """The first product named in `text`; `asked` is the name a tool question was about."""
        hits = self.hits(text, asked=asked)
        return self.products[hits[0].key] if hits else None

    def hits(
        self, text: str, *, words: list[str] | None = None, asked: str | None = None
    ) -> list[NameHit]:
        """Where products are named in `text` (its normalized `words` if already split);
        an everyday word ("cursor") only when capitalized or the `asked` name."""
        words = normalize(text).split() if words is None else words
        asked_form = normalize(asked) if asked else None
        found: list[NameHit] = []
        for hit in self.index.find(words):
            typed = " ".join(words[hit.start : hit.end])
            ambiguous = not hit.fuzzy and typed in self.ordinary and typed != asked_form
            if ambiguous and not _capitalized(text, typed):
                continue
            found.append(hit)
        return found

    def products_named(self, spelling: str) -> frozenset[str]:
        """Every product (and its kin) that this normalized spelling names."""
        names = self._spelled.get(compact(spelling.split()), frozenset())
        return frozenset(k for name in names for k in self._kin[name])

    def kind_label(self, product: Product) -> str:
        return self.kinds.get(product.kind, product.kind)


def _capitalized(text: str, name: str) -> bool:
    """Written with a capital, and not just because it starts the sentence."""
    pattern = r"[\s.-]*".join(re.escape(w) for w in name.split())
    for match in re.finditer(rf"\b{pattern}\b", text, flags=re.I):
        word = match.group(0)
        at_start = not text[: match.start()].strip(" \t\"'(“")
        if word[0].isupper() and not at_start:
            return True
    return False


def read_data(source: Path = _FILE, twin: Path = TWIN) -> Any:
    """The YAML's data, from its JSON twin when the twin was made from this very YAML
    (its sha256 recorded in the twin); else, e.g. after an edit, from the YAML itself."""
    raw = source.read_bytes()
    try:
        shipped = json.loads(twin.read_bytes())
    except (OSError, ValueError):
        shipped = None
    if isinstance(shipped, dict) and shipped.get("yaml_sha256") == hashlib.sha256(raw).hexdigest():
        return shipped["data"]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is 8x faster
    return yaml.load(raw.decode("utf-8"), Loader=loader)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The built-in catalogue, loaded once per process."""
    data = read_data()
    products = [
        Product(
            name=str(p["name"]),
            aliases=tuple(str(a) for a in p.get("aliases", [])),
            vendor=str(p.get("vendor", "")),
            kind=str(p["kind"]),
        )
        for p in data["products"]
    ]
    ordinary = frozenset(normalize(str(w)) for w in data.get("ordinary_words", []))
    categories = {str(k): [str(w) for w in v] for k, v in data.get("category_words", {}).items()}
    kinds = {str(k): str(v) for k, v in data["kinds"].items()}
    return Catalogue(products, kinds, ordinary, categories)
