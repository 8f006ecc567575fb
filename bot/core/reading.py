"""What a message asks (Ask), what the reader found in it (Reading), and the message
being read (Message), shared by the reader's steps.

Its own module so the steps that each recognise one shape of question (data_asks,
tool_asks) and the reader that tries them in order (understand) share one type.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.catalogue import Product
from bot.core.language import Language
from bot.core.lexicon import PolicyLexicon
from bot.core.pasted import describe_placeholders, has_pasted_data
from bot.core.redline_themes import puts_data_in
from bot.core.smalltalk import SmallTalkHit

__all__ = ["Ask", "Message", "Reading"]


class Ask(StrEnum):
    HELP = "help"
    TOOL_STATUS = "tool_status"
    DATA_CHECK = "data_check"
    USE_CASE = "use_case"
    SMALL_TALK = "small_talk"
    COMMAND = "command"
    FOREIGN = "foreign"


@dataclass(frozen=True)
class Reading:
    ask: Ask
    tool_ids: tuple[str, ...]
    unknown_tool: str | None
    data_class: str | None
    data_phrase: str | None
    red_lines: tuple[str, ...]
    #: the product line named when several policy tools share it ("ChatGPT")
    family: str | None = None
    #: a well-known AI product the policy does not list
    product: Product | None = None
    small_talk: SmallTalkHit | None = None
    language: Language | None = None
    #: data asked about for AI in general ("can shopper emails go into an AI tool?")
    any_tool: bool = False


@dataclass(frozen=True)
class Message:
    """The (redacted) message in the forms the steps read, and how a step's find becomes
    a Reading with the red lines the message triggers."""

    #: the message as typed
    full: str
    #: without data only named as a topic (see data_topic.without_topics)
    text: str
    #: `text` with its redaction placeholders described in words
    described: str
    #: the red lines the whole message triggers
    red_lines: tuple[str, ...]
    lexicon: PolicyLexicon

    def reading(self, ask: Ask, **parts: object) -> Reading:
        """The Reading for `ask`; a data check also carries its data class's red lines."""
        lexicon = self.lexicon
        lines = self.red_lines
        data_class = parts.get("data_class")
        phrase = parts.get("data_phrase")
        if ask is Ask.DATA_CHECK and data_class is None and isinstance(phrase, str):
            # data no class's examples name, that a data red line keeps out
            data_class = parts["data_class"] = lexicon.data.class_by_lines(
                describe_placeholders(phrase)
            )
        puts_in = ask is Ask.USE_CASE and (puts_data_in(self.full) or has_pasted_data(self.full))
        if (ask is Ask.DATA_CHECK or puts_in) and isinstance(data_class, str):
            # "a resident's medical info": the red lines its class's wording about such
            # data triggers ("someone's health information") concern it too, and so they
            # do when it goes "into AI", no tool named
            found = lexicon.data_red_lines(self.described, data_class)
            lines = tuple(dict.fromkeys((*self.red_lines, *found)))
        base: dict[str, object] = {
            "tool_ids": (),
            "unknown_tool": None,
            "data_class": None,
            "data_phrase": None,
            "red_lines": lines,
        }
        return Reading(ask, **{**base, **parts})  # type: ignore[arg-type]
