"""The reader's last steps: a message that names a tool (listed or not) is a data check
when it also names data, else a question about the tool; anything else is a job to
match (or data for "any of the tools").

understand.read_message calls these once no data-check shape (data_asks) fitted.
"""

from __future__ import annotations

import re

from bot.core.asked_names import asks_status, is_context
from bot.core.catalogue import Product
from bot.core.data_patterns import BARE_DATA, ON_A_DEVICE, PASTED
from bot.core.data_shapes import means_ai, without_permission_tag
from bot.core.data_words import bare_data, data_like, data_words, in_full
from bot.core.lexicon import NamedTools
from bot.core.matching.text import normalize
from bot.core.pasted import describe_placeholders, has_pasted_data, pasted_phrase
from bot.core.reading import Ask, Message, Reading

__all__ = ["about_listed_tools", "about_unknown_tool", "job_or_any_tool"]


def about_listed_tools(
    msg: Message, named: NamedTools, words: list[str], tools: list[str], generic: bool
) -> Reading | None:
    """Data named with a listed tool, else the tool's status; None when the tools are
    only context or the policy's generic entry ("AI") is not what is asked about."""
    lexicon, full = msg.lexicon, msg.full
    if not tools or is_context(named, words):
        return None
    rest = ON_A_DEVICE.sub(" ", lexicon.without_tool_names(msg.described))
    data_class = lexicon.data_class_of(rest, strict=True)
    bare = bare_data(msg.text, lexicon)
    if data_class is None and bare:
        data_class = lexicon.data_class_of(describe_placeholders(bare))
    people = lexicon.people_phrase(rest)
    if data_class is not None or has_pasted_data(full) or bare or people:
        # "copilot + P3 data?", "[CARD] in chatgpt", "incident reports into copilot?",
        # "give copilot a resident's medical info" (personal data, whatever its class)
        return msg.reading(
            Ask.DATA_CHECK,
            tool_ids=tuple(tools),
            data_class=data_class,
            # the message's own words for the data when it is just that ("unpublished
            # press figures in GCS Assist, allowed?"), not the word naming its class
            data_phrase=bare
            or in_full(data_words(rest, lexicon), people)
            or pasted_phrase(full)
            or "that data",
            family=named.family,
        )
    if not generic or asks_status(full):
        return msg.reading(Ask.TOOL_STATUS, tool_ids=tuple(tools), family=named.family)
    # "use AI to flag the books", "give the AI our alarm codes": the policy's entry
    # called "AI" is not asked about; the work is (matched, checked, or refused)
    return None


def about_unknown_tool(msg: Message, unknown: str, product: Product | None) -> Reading:
    """A tool the policy does not list: a data check when data is named, else its status."""
    lexicon, full = msg.lexicon, msg.full
    rest = re.sub(re.escape(unknown), " ", msg.described, flags=re.I)
    data_class = lexicon.data_class_of(rest, strict=True)
    people = lexicon.people_phrase(rest)
    if data_class is not None or PASTED.search(full) or people:  # "[CARD] ... gemini?"
        return msg.reading(
            Ask.DATA_CHECK,
            unknown_tool=unknown,
            product=product,
            data_class=data_class,
            data_phrase=in_full(data_words(normalize(rest), lexicon), people)
            or pasted_phrase(full)
            or "that data",
        )
    return msg.reading(Ask.TOOL_STATUS, unknown_tool=unknown, product=product)


def job_or_any_tool(msg: Message, tools: list[str]) -> Reading:
    """A job to match, unless the message is just data for AI in general."""
    lexicon = msg.lexicon
    data_class = lexicon.data_class_of(lexicon.without_tool_names(msg.described))
    any_ai = None if tools else BARE_DATA.match(without_permission_tag(msg.text))
    if any_ai and means_ai(any_ai["tool"]) and data_like(any_ai["data"]):
        # "made-up numbers for a training example, fine in any of the tools?"
        phrase = any_ai["data"].strip()
        bare_class = lexicon.data_class_of(describe_placeholders(phrase))
        if bare_class or lexicon.people_phrase(phrase):
            return msg.reading(
                Ask.DATA_CHECK, data_class=bare_class, data_phrase=phrase, any_tool=True
            )
    return msg.reading(Ask.USE_CASE, tool_ids=tuple(tools), data_class=data_class)
