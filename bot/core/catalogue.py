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
            # "makes" is the everyday word "make" as much as "make" is
            base = typed[:-1] if typed[-1:] == "s" and typed[:-1] in self.ordinary else typed
            # ...unless it is the name a tool question asked about, alone or before what
            # it is for ("Jasper for ad copy - allowed?", not "motion graphics")
            asked_it = asked_form is not None and (
                asked_form == typed or _before_purpose(asked_form, typed)
            )
            ambiguous = not hit.fuzzy and base in self.ordinary and not asked_it
            if ambiguous and not _capitalized(text, base, self.products[hit.key].name):
                continue
            if hit.fuzzy and hit.end - hit.start == 1 and _in_proper_noun(text, typed):
                continue  # "the Klang Valley" is a place, not a misspelt "Kling"
            found.append(hit)
        return found

    def products_named(self, spelling: str) -> frozenset[str]:
        """Every product (and its kin) that this normalized spelling names."""
        names = self._spelled.get(compact(spelling.split()), frozenset())
        return frozenset(k for name in names for k in self._kin[name])

    def kind_label(self, product: Product) -> str:
        return self.kinds.get(product.kind, product.kind)


def _before_purpose(asked: str, name: str) -> bool:
    """ "jasper for ad copy": the name, then what it would be used for."""
    rest = asked.removeprefix(name + " ").split()
    return asked.startswith(name + " ") and rest[0] in {"for", "to", "on", "with", "in", "at"}


def _capitalized(text: str, name: str, product: str) -> bool:
    """Written with a capital, and not just because it starts the sentence; in capitals
    only if the product is so written ("each PI" is a principal investigator, not Pi)."""
    pattern = r"[\s.-]*".join(re.escape(w) for w in name.split()) + r"(?:['’]?s)?"
    for match in re.finditer(rf"\b{pattern}\b", text, flags=re.I):
        word = match.group(0)
        at_start = not text[: match.start()].strip(" \t\"'(“")
        shouting = len(word) > 1 and word.isupper() and not product.isupper()
        if word[0].isupper() and not at_start and not shouting:
            return True
    return False


_CAPITALIZED_WORD = re.compile(r"[A-Z][a-z]+")


def _in_proper_noun(text: str, typed: str) -> bool:
    """A capitalized word beside another capitalized word, mid-sentence: part of a
    name as written ("the Klang Valley", "Port Dickson"), so not a misspelling."""
    tokens = re.findall(r"[\w'’.-]+", text)
    for n, token in enumerate(tokens):
        if token.lower() != typed or not _CAPITALIZED_WORD.fullmatch(token) or n == 0:
            continue
        beside = [tokens[j] for j in (n - 1, n + 1) if 0 < j < len(tokens)]
        if any(_CAPITALIZED_WORD.fullmatch(b) for b in beside):
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
