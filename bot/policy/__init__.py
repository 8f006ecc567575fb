"""The policy: pydantic models and the files IT writes them in."""

from bot.policy.files import dump_policy, load_policy, parse_policy
from bot.policy.models import RECOMMENDABLE, DataClass, Policy, RedLine, Status, Tool, UseCase

__all__ = [
    "RECOMMENDABLE",
    "DataClass",
    "Policy",
    "RedLine",
    "Status",
    "Tool",
    "UseCase",
    "dump_policy",
    "load_policy",
    "parse_policy",
]
