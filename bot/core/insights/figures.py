"""The digest's figures as plain data: what `digest preview --json` prints and the ledger keeps.

Every line of the rendered digest is one of these numbers, so anyone can reproduce the
digest from the JSON. Fields added later have defaults, so a digest frozen in the ledger by
an older version still loads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = ["CandidateDemand", "Digest", "Ranked", "ShadowTool", "WeekPoint"]


@dataclass(frozen=True)
class Ranked:
    id: str
    label: str
    count: int
    previous: int = 0  # the same figure the week before


@dataclass(frozen=True)
class ShadowTool:
    tool: str
    label: str
    status: str
    asks: int
    previous: int = 0
    for_what: tuple[str, ...] = ()  # the jobs people asked it for (use-case names)


@dataclass(frozen=True)
class CandidateDemand:
    id: int
    label: str
    status: str
    asks: int
    askers: int
    votes: int
    asks_this_period: int
    asks_previous_period: int
    trend: str  # new | up | down | flat
    first_seen: str | None
    last_seen: str | None
    examples: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeekPoint:
    period: str
    questions: int
    unmet: int

    @property
    def unmet_share(self) -> float:
        return self.unmet / self.questions if self.questions else 0.0


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Digest:
    """Every figure of one period's digest; `to_dict()` is the `--json` contract."""

    period: str
    start: str
    end: str
    timezone: str
    organization: str
    questions: int
    questions_previous: int
    askers: int
    askers_previous: int
    outcomes: dict[str, int]
    unmet: int
    top_use_cases: tuple[Ranked, ...]
    top_tools: tuple[Ranked, ...]
    candidates: tuple[CandidateDemand, ...]
    shadow_ai: tuple[ShadowTool, ...]
    helpful: int
    not_helpful: int
    red_lines: tuple[Ranked, ...]
    departments: tuple[Ranked, ...]
    departments_hidden: int
    min_group_size: int
    weeks: tuple[WeekPoint, ...] = field(default_factory=tuple)
    # Answers that recommended at least one tool, and those naming a `standard` tool.
    tool_answers: int = 0
    standard_answers: int = 0
    tool_answers_previous: int = 0
    standard_answers_previous: int = 0
    helpful_previous: int = 0
    not_helpful_previous: int = 0
    unmet_previous: int = 0
    shadow_asks_previous: int = 0
    empty_reason: str = ""  # why a week without questions is empty

    @property
    def unmet_share(self) -> float:
        return self.unmet / self.questions if self.questions else 0.0

    @property
    def answered_share(self) -> float:
        return 1.0 - self.unmet_share if self.questions else 0.0

    @property
    def helpful_rate(self) -> float | None:
        return _rate(self.helpful, self.helpful + self.not_helpful)

    @property
    def helpful_rate_previous(self) -> float | None:
        return _rate(self.helpful_previous, self.helpful_previous + self.not_helpful_previous)

    @property
    def standard_share(self) -> float | None:
        return _rate(self.standard_answers, self.tool_answers)

    @property
    def standard_share_previous(self) -> float | None:
        return _rate(self.standard_answers_previous, self.tool_answers_previous)

    @property
    def shadow_asks(self) -> int:
        return sum(s.asks for s in self.shadow_ai)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["weeks"] = [{**asdict(w), "unmet_share": round(w.unmet_share, 4)} for w in self.weeks]

        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        data.update(
            unmet_share=round(self.unmet_share, 4),
            answered_share=round(self.answered_share, 4),
            helpful_rate=rounded(self.helpful_rate),
            helpful_rate_previous=rounded(self.helpful_rate_previous),
            standard_share=rounded(self.standard_share),
            standard_share_previous=rounded(self.standard_share_previous),
            shadow_asks=self.shadow_asks,
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Digest:
        """Rebuild a digest frozen in the ledger (derived keys are ignored)."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        for key in ("top_use_cases", "top_tools", "red_lines", "departments"):
            values[key] = tuple(Ranked(**r) for r in values[key])
        values["shadow_ai"] = tuple(
            ShadowTool(**{**s, "for_what": tuple(s.get("for_what", ()))})
            for s in values["shadow_ai"]
        )
        values["candidates"] = tuple(
            CandidateDemand(**{**c, "examples": tuple(c["examples"]),
                               "departments": tuple(c.get("departments", ()))})
            for c in values["candidates"]
        )
        values["weeks"] = tuple(
            WeekPoint(w["period"], w["questions"], w["unmet"]) for w in values.get("weeks", [])
        )
        return cls(**values)
