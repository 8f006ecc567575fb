"""The reader's steps that recognise a data check by the sentence's shape: data put
into a tool ("paste X into Y"), a tool used on data, a tool given data, data that
"goes into" a tool or AI, and data entered somewhere with no tool named.

Each step returns a DATA_CHECK Reading, or None when the message is not its shape;
understand.read_message tries them in order.
"""

from __future__ import annotations

import re

from bot.core.asked_names import clean_name, unknown_product
from bot.core.data_patterns import DEVICE, STRONG_DATA_VERBS, TOOL_GIVEN_DATA, TOOL_ON_DATA
from bot.core.data_request import asks_whether_allowed
from bot.core.data_shapes import goes_into, means_ai, put_somewhere
from bot.core.data_words import in_full, sole_approved
from bot.core.lexicon import NamedTools
from bot.core.matching.text import normalize
from bot.core.pasted import describe_placeholders
from bot.core.reading import Ask, Message, Reading

__all__ = [
    "data_goes_into",
    "data_put_into",
    "data_put_somewhere",
    "tool_given_data",
    "tool_on_data",
]


def tool_on_data(msg: Message, named: NamedTools) -> Reading | None:
    """ "use Grammarly on customer emails": a listed tool, then data of a known class."""
    lexicon = msg.lexicon
    reverse = TOOL_ON_DATA.search(msg.text)
    if not reverse or DEVICE.fullmatch(reverse["data"].strip()):
        return None  # "use the Copilot app on my personal phone": where, not what
    reverse_class = lexicon.data_class_of(describe_placeholders(reverse["data"]))
    reverse_tools = lexicon.find_tools(reverse["tool"]) if reverse_class else []
    if reverse_class and reverse_tools:
        return msg.reading(
            Ask.DATA_CHECK,
            tool_ids=tuple(reverse_tools),
            data_class=reverse_class,
            data_phrase=reverse["data"].strip(),
            family=named.family,
        )
    return None


def tool_given_data(msg: Message, named: NamedTools) -> Reading | None:
    """ "give chatgpt the hostnames of our servers": a tool given known or personal data."""
    lexicon = msg.lexicon
    given = TOOL_GIVEN_DATA.search(msg.text)
    if not given:
        return None
    given_class = lexicon.data_class_of(describe_placeholders(given["data"]))
    given_tools = lexicon.find_tools(given["tool"]) or sole_approved(given["tool"], lexicon)
    people = lexicon.people_phrase(given["data"])
    if given_tools and (given_class or people):
        return msg.reading(
            Ask.DATA_CHECK,
            tool_ids=tuple(given_tools),
            data_class=given_class,
            data_phrase=in_full(given["data"].strip(), people),
            family=named.family,
        )
    return None


def data_goes_into(msg: Message, named: NamedTools) -> Reading | None:
    """ "can shopper email addresses go into an AI tool?", "<data>, can that go into X"."""
    lexicon = msg.lexicon
    goes = goes_into(msg.text)
    if not goes:
        return None
    goes_data, goes_target = goes
    goes_tools = lexicon.find_tools(goes_target) or sole_approved(goes_target, lexicon)
    if goes_tools or means_ai(goes_target):
        people = lexicon.people_phrase(goes_data)
        return msg.reading(
            Ask.DATA_CHECK,
            tool_ids=tuple(goes_tools),
            data_class=lexicon.data_class_of(describe_placeholders(goes_data)),
            data_phrase=in_full(goes_data, people),
            family=named.family if goes_tools else None,
            any_tool=not goes_tools,
        )
    return None


def data_put_into(
    msg: Message, named: NamedTools, tools: list[str], data_match: re.Match[str]
) -> Reading | None:
    """ "VERB <data> into <tool>": a listed tool, an unknown one, or AI in general."""
    lexicon = msg.lexicon
    data_phrase = data_match["data"]
    shown = data_phrase.strip()
    if normalize(data_phrase) in {"this", "it", "that", "these", "them", "those"}:
        data_phrase = msg.described  # "paste this in ...": the pasted text is the data
        shown = "the text you pasted"
    target_tools = lexicon.find_tools(data_match["tool"]) or sole_approved(
        data_match["tool"], lexicon
    )
    target_name = clean_name(data_match["tool"])
    target_product = None
    if not target_tools and target_name:
        target_product, target_name = unknown_product(data_match["tool"], target_name)
    data_class = lexicon.data_class_of(describe_placeholders(data_phrase))
    strong = data_match["verb"].lower() in STRONG_DATA_VERBS
    # "summarize this referral: <record> on the waitlist": no tool, however named
    unknown_target = target_name and data_class and (strong or target_product)
    if (strong or data_class) and not target_tools and means_ai(data_match["tool"]):
        # "is it ok to put passenger complaint details into an AI tool?": AI in general
        return msg.reading(Ask.DATA_CHECK, data_class=data_class, data_phrase=shown, any_tool=True)
    if (strong or data_class) and (target_tools or unknown_target):
        return msg.reading(
            Ask.DATA_CHECK,
            tool_ids=tuple(target_tools or tools),
            unknown_tool=None if target_tools else target_name,
            data_class=data_class,
            data_phrase=shown,
            family=named.family if target_tools else None,
            product=None if target_tools else target_product,
        )
    return None


def data_put_somewhere(msg: Message) -> Reading | None:
    """ "can I enter the public FERC order text to get the key dates out of it": data
    entered, no tool named, and the message asks whether that is allowed."""
    lexicon = msg.lexicon
    put = put_somewhere(msg.text)
    if not (put and asks_whether_allowed(msg.text)):
        return None
    put_class = lexicon.data_class_of(describe_placeholders(put))
    people = lexicon.people_phrase(put)
    if put_class or people:
        sole = lexicon.sole_approved
        return msg.reading(
            Ask.DATA_CHECK,
            tool_ids=(sole,) if sole else (),
            data_class=put_class,
            data_phrase=in_full(put, people),
            any_tool=not sole,
        )
    return None
