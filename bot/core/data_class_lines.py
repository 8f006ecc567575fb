"""Which data class each of a policy's red lines keeps out, by the class its own text names.

Split out of `bot.core.data_lookup`: these read only red lines' titles and rules against
the classes' ids and labels ("Student PII is Red data", "Only public data may be entered
into any GenAI tool"), never a message, so they sit apart from the lookup that uses them.
"""

from __future__ import annotations

import re

from bot.policy.models import Policy

__all__ = ["classes_named", "only_lines"]

# After a class's one-word name, what makes it the class: "Red data", "P3 information".
_CLASS_NOUN = r"(?:data|information|info|class|classification|level|risk|material|records?)"


def classes_named(policy: Policy) -> dict[str, str]:
    """Red line id -> the most sensitive data class its title names ("Student PII is Red
    data"): data that red line keeps out is of that class. (Its rule may name a class in
    passing: "before using any AI tool with company data, disable training".)"""
    out: dict[str, str] = {}
    for item in policy.data_classes[1:]:
        keys = {item.id.replace("-", " ").replace("_", " ")}
        label = re.split(r"[(,;:]", item.label)[0].strip()
        if 0 < len(label.split()) <= 4:
            keys.add(label)
        # a label that lists kinds of data, whole: "Company, customer or personnel data"
        whole = re.split(r"[(;:]", item.label)[0].strip()
        if "," in whole and len(whole.split()) <= 6:
            keys.add(whole)
        found = re.compile(
            "|".join(  # in one order: the same pattern in every process (kept compiled)
                rf"\b{re.escape(k)}\b" if " " in k else rf"\b{re.escape(k)}\s+{_CLASS_NOUN}\b"
                for k in sorted(keys)
            ),
            re.I,
        )
        for line in policy.red_lines:
            if found.search(line.title):
                out[line.id] = item.id  # later classes are more sensitive
    return out


def only_lines(policy: Policy) -> dict[str, int]:
    """Red line id -> rank of the class it says is the ONLY data allowed ("Only public
    data may be entered into any GenAI tool"): it keeps out every class above that one."""
    out: dict[str, int] = {}
    for rank, item in enumerate(policy.data_classes[:-1]):
        label = re.split(r"[(,;:]", item.label)[0].strip()
        names = [re.escape(n) for n in {item.id.replace("-", " "), label} if n]
        only = re.compile(
            rf"\bonly\s+(?:{'|'.join(names)})(?:\s+{_CLASS_NOUN})?\b", re.I
        )
        for line in policy.red_lines:
            first = re.split(r"(?<=[.!?;])\s", line.rule.strip(), maxsplit=1)[0]
            if line.id not in out and (only.search(line.title) or only.search(first)):
                out[line.id] = rank
    return out

