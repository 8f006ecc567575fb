"""Everything a person types, parsed once (`grammar`), resolved once (`lookup`) and run
once (`run`), the same on every platform."""

from bot.core.commands.grammar import Command, parse
from bot.core.commands.run import run

__all__ = ["Command", "parse", "run"]
