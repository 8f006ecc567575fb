"""Read a message against a policy: which tools, data and red lines it mentions, and what it asks.

Pure and synchronous. The use-case matcher (matching/) answers "what is this
for?"; this module answers everything that must be exact: names, data classes,
red-line triggers and the shape of the question.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from bot.core.asked_names import (
    asked_name,
    asks_status,
    clean_name,
    generic_names,
    is_context,
    unknown_product,
)
from bot.core.catalogue import Product
from bot.core.data_request import asks_whether_allowed
from bot.core.data_shapes import goes_into, means_ai, put_somewhere, without_permission_tag
from bot.core.data_topic import without_topics
from bot.core.english import is_english_word
from bot.core.language import Language, detect_foreign
from bot.core.lexicon import STOP, PolicyLexicon
from bot.core.matching.text import normalize
from bot.core.pasted import describe_placeholders, has_pasted_data, pasted_phrase
from bot.core.redline_themes import puts_data_in
from bot.core.smalltalk import Embed, SmallTalkHit

__all__ = ["Ask", "Reading", "read_message"]

# The bot's own command words, for "/aitools lst" and "hepl".
COMMAND_WORDS = ("help", "list", "tools", "tool", "redlines", "share", "menu")

_DATA_VERBS = (
    r"put|paste|upload|share|enter|feed|give|send|copy|type|input|drop|load|submit|attach|"
    r"use|process|run|analy[sz]e|summari[sz]e|translate|store"
)
# Verbs that make any "VERB <data> into <tool>" a data question, even for unknown data.
_STRONG_DATA_VERBS = frozenset(
    [
        "put",
        "paste",
        "upload",
        "share",
        "enter",
        "feed",
        "give",
        "send",
        "copy",
        "type",
        "input",
        "drop",
        "load",
        "submit",
        "attach",
    ]
)
_DATA_PATTERN = re.compile(
    rf"\b(?P<verb>{_DATA_VERBS})\s+(?P<data>.{{2,120}}?)\s+(?:in|into|in to|to|with|on|through|via|"
    r"inside|using)\s+(?P<tool>[\w .+&'-]{1,60}?)\s*(?:[?.!,:]|$)",
    re.I,
)


# "use Grammarly on customer emails": the tool comes first.
_TOOL_ON_DATA = re.compile(
    r"\b(?:use|run|try)\s+(?P<tool>[\w .+&'-]{1,60}?)\s+(?:on|for|with)\s+(?P<data>.{2,120}?)"
    r"\s*(?:[?.!,]|$)",
    re.I,
)


# "give chatgpt the hostnames of our servers so it can ...": the tool, then the data.
_TOOL_GIVEN_DATA = re.compile(
    r"\b(?:give|feed|send|show|hand)\s+(?P<tool>[\w .+&'-]{1,60}?)\s+(?P<data>(?:the|our|my|"
    r"a|an|all|his|her|their|some|these|those|every|each)\s.{2,120}?)\s*"
    r"(?:\b(?:so|to|because|in order)\b|[?.!,]|$)",
    re.I,
)

# "incident report details into copilot?": data and a tool, no verb at all.
_BARE_DATA = re.compile(
    r"^\s*(?P<data>[\w ,.'&/()-]{3,80}?)\s+(?:in|into|to|in to|on|through)\s+"
    r"(?P<tool>[\w .+&'-]{1,60}?)\s*(?:\s(?:to|so|and)\s[^,?]{1,80})?[?!.]*\s*$",
    re.I,
)
# A redaction placeholder: something personal or secret was pasted (see bot.core.redact).
# A person's name alone ("[NAME] said copilot is fine") is not pasted data.
_PASTED = re.compile(r"\[(?!NAME\])[A-Z][A-Z_]{1,20}\]")


# Small-talk answers that are about nothing in particular (greetings, thanks, complaints).
_SOCIAL = frozenset({"help", "thanks", "complaint"})


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


def _command_typo(text: str) -> bool:
    """ "/aitools lst", "hepl", "lsit": a mistyped command, answered with the usage."""
    words = normalize(text).split()
    if text.lstrip().startswith("/"):
        words = words[1:]
        if not words:
            return True
    if len(words) != 1 or words[0] in COMMAND_WORDS or is_english_word(words[0]):
        return False
    from rapidfuzz.distance import OSA

    return any(OSA.distance(words[0], c, score_cutoff=1) <= 1 for c in COMMAND_WORDS)


def read_message(
    text: str,
    lexicon: PolicyLexicon,
    *,
    languages: Collection[str] = ("en",),
    embedding: tuple[Embed, str] | None = None,
) -> Reading:
    """Classify what the (redacted) message asks; the matcher is consulted only for USE_CASE.

    Order matters: a mistyped command, then the language, then the tools the
    message names (a named tool is never ignored), then small talk, then data
    checks and tool questions, and only then the job to match. `languages` are the
    ISO codes the matcher's model understands; a message in another one is FOREIGN.
    `embedding` (the matcher's embed function and model id) lets small talk be
    recognized by meaning as well as by wording.
    """
    red_lines = tuple(lexicon.red_lines_in(describe_placeholders(text, names=True)))
    # Data only named as a topic ("a one-pager on why staff shouldn't paste SSNs into
    # chatbots") is no data put in: data is looked for in the rest.
    full, text = text, without_topics(text)
    described = describe_placeholders(text)

    def reading(ask: Ask, **parts: object) -> Reading:
        lines = red_lines
        data_class = parts.get("data_class")
        phrase = parts.get("data_phrase")
        if ask is Ask.DATA_CHECK and data_class is None and isinstance(phrase, str):
            # data no class's examples name, that a data red line keeps out
            data_class = parts["data_class"] = lexicon.data.class_by_lines(
                describe_placeholders(phrase)
            )
        puts_in = ask is Ask.USE_CASE and (puts_data_in(full) or has_pasted_data(full))
        if (ask is Ask.DATA_CHECK or puts_in) and isinstance(data_class, str):
            # "a resident's medical info": the red lines its class's wording about such
            # data triggers ("someone's health information") concern it too, and so they
            # do when it goes "into AI", no tool named
            found = lexicon.data_red_lines(described, data_class)
            lines = tuple(dict.fromkeys((*red_lines, *found)))
        base: dict[str, object] = {
            "tool_ids": (),
            "unknown_tool": None,
            "data_class": None,
            "data_phrase": None,
            "red_lines": lines,
        }
        return Reading(ask, **{**base, **parts})  # type: ignore[arg-type]

    if _command_typo(full):
        return reading(Ask.COMMAND)
    named = lexicon.named(full)
    words = normalize(full).split()
    # The message is read as typed ("días", "我可以"), but the words of the tool names it
    # contains are no language ("ChatGPT", the "le" of "Le Chat").
    language = detect_foreign(full, {words[i] for h in named.hits for i in range(h.start, h.end)})
    if language is not None and language.code not in languages:
        return reading(Ask.FOREIGN, language=language)
    tools = named.ids
    asked = asked_name(full)
    generic = bool(tools) and generic_names(named, words, lexicon.policy.meta.organization)
    product, unknown = (None, None) if tools and not generic else unknown_product(full, asked)
    if generic and unknown is not None and (product or not lexicon.find_tools(unknown)):
        tools = []  # "is ChatGPT approved at Sigmar?": the product asked about, not "AI tools"
    elif generic:
        product, unknown = None, None  # "are the approved GenAI tools ok": the entry itself
    if (not tools or generic) and unknown is None and not red_lines:
        embed, model_id = embedding or (None, None)
        hit = lexicon.smalltalk.classify(full, embed=embed, model_id=model_id)
        # "which AI tools can we use?" where the policy's one entry is "AI tools": the
        # catalogue; "thanks, our AI tools rock" or "which of our AI tools for the
        # chatbot build" (a word of a job) stay about that entry
        if hit is not None and (not generic or (hit.answer not in _SOCIAL and not hit.job_words)):
            return reading(Ask.SMALL_TALK, small_talk=hit)

    data_match = _DATA_PATTERN.search(text)
    reverse = _TOOL_ON_DATA.search(text)
    if reverse:
        reverse_class = lexicon.data_class_of(describe_placeholders(reverse["data"]))
        reverse_tools = lexicon.find_tools(reverse["tool"]) if reverse_class else []
        if reverse_class and reverse_tools:
            return reading(
                Ask.DATA_CHECK,
                tool_ids=tuple(reverse_tools),
                data_class=reverse_class,
                data_phrase=reverse["data"].strip(),
                family=named.family,
            )
    given = None if data_match and lexicon.find_tools(data_match["tool"]) else (
        _TOOL_GIVEN_DATA.search(text)
    )
    if given:
        given_class = lexicon.data_class_of(describe_placeholders(given["data"]))
        given_tools = lexicon.find_tools(given["tool"]) or _sole_approved(given["tool"], lexicon)
        people = lexicon.people_phrase(given["data"])
        if given_tools and (given_class or people):
            return reading(
                Ask.DATA_CHECK,
                tool_ids=tuple(given_tools),
                data_class=given_class,
                data_phrase=_in_full(given["data"].strip(), people),
                family=named.family,
            )
    goes = None if data_match and lexicon.find_tools(data_match["tool"]) else goes_into(text)
    if goes:
        # "can shopper email addresses go into an AI tool?", "<data>, can that go into X"
        goes_data, goes_target = goes
        goes_tools = lexicon.find_tools(goes_target) or _sole_approved(goes_target, lexicon)
        if goes_tools or means_ai(goes_target):
            people = lexicon.people_phrase(goes_data)
            return reading(
                Ask.DATA_CHECK,
                tool_ids=tuple(goes_tools),
                data_class=lexicon.data_class_of(describe_placeholders(goes_data)),
                data_phrase=_in_full(goes_data, people),
                family=named.family if goes_tools else None,
                any_tool=not goes_tools,
            )
    if data_match:
        data_phrase = data_match["data"]
        shown = data_phrase.strip()
        if normalize(data_phrase) in {"this", "it", "that", "these", "them", "those"}:
            data_phrase = described  # "paste this in ...": the pasted text is the data
            shown = "the text you pasted"
        target_tools = lexicon.find_tools(data_match["tool"]) or _sole_approved(
            data_match["tool"], lexicon
        )
        target_name = clean_name(data_match["tool"])
        target_product = None
        if not target_tools and target_name:
            target_product, target_name = unknown_product(data_match["tool"], target_name)
        data_class = lexicon.data_class_of(describe_placeholders(data_phrase))
        strong = data_match["verb"].lower() in _STRONG_DATA_VERBS
        # "summarize this referral: <record> on the waitlist": no tool, however named
        unknown_target = target_name and data_class and (strong or target_product)
        if (strong or data_class) and not target_tools and means_ai(data_match["tool"]):
            # "is it ok to put passenger complaint details into an AI tool?": AI in general
            return reading(
                Ask.DATA_CHECK, data_class=data_class, data_phrase=shown, any_tool=True
            )
        if (strong or data_class) and (target_tools or unknown_target):
            return reading(
                Ask.DATA_CHECK,
                tool_ids=tuple(target_tools or tools),
                unknown_tool=None if target_tools else target_name,
                data_class=data_class,
                data_phrase=shown,
                family=named.family if target_tools else None,
                product=None if target_tools else target_product,
            )
    put = None if tools or unknown else put_somewhere(text)
    if put and asks_whether_allowed(text):
        # "can I enter the public FERC order text to get the key dates out of it"
        put_class = lexicon.data_class_of(describe_placeholders(put))
        people = lexicon.people_phrase(put)
        if put_class or people:
            sole = lexicon.sole_approved
            return reading(
                Ask.DATA_CHECK,
                tool_ids=(sole,) if sole else (),
                data_class=put_class,
                data_phrase=_in_full(put, people),
                any_tool=not sole,
            )
    if tools and _DATA_PATTERN.search(full) and not lexicon.named(text):
        # "a memo reminding staff not to paste account details into WaterBot": the tool
        # is where the topic says data must not go, not the tool asked about
        tools = []
    if tools and not is_context(named, words):
        rest = lexicon.without_tool_names(described)
        data_class = lexicon.data_class_of(rest, strict=True)
        bare = _bare_data(text, lexicon)
        if data_class is None and bare:
            data_class = lexicon.data_class_of(describe_placeholders(bare))
        people = lexicon.people_phrase(rest)
        if data_class is not None or has_pasted_data(full) or bare or people:
            # "copilot + P3 data?", "[CARD] in chatgpt", "incident reports into copilot?",
            # "give copilot a resident's medical info" (personal data, whatever its class)
            return reading(
                Ask.DATA_CHECK,
                tool_ids=tuple(tools),
                data_class=data_class,
                # the message's own words for the data when it is just that ("unpublished
                # press figures in GCS Assist, allowed?"), not the word naming its class
                data_phrase=bare
                or _in_full(_data_words(rest, lexicon), people)
                or pasted_phrase(full)
                or "that data",
                family=named.family,
            )
        if not generic or asks_status(full):
            return reading(Ask.TOOL_STATUS, tool_ids=tuple(tools), family=named.family)
        # "use AI to flag the books", "give the AI our alarm codes": the policy's entry
        # called "AI" is not asked about; the work is (matched, checked, or refused)
    if unknown is not None:
        rest = re.sub(re.escape(unknown), " ", described, flags=re.I)
        data_class = lexicon.data_class_of(rest, strict=True)
        people = lexicon.people_phrase(rest)
        if data_class is not None or _PASTED.search(full) or people:  # "[CARD] ... gemini?"
            return reading(
                Ask.DATA_CHECK,
                unknown_tool=unknown,
                product=product,
                data_class=data_class,
                data_phrase=_in_full(_data_words(normalize(rest), lexicon), people)
                or pasted_phrase(full)
                or "that data",
            )
        return reading(Ask.TOOL_STATUS, unknown_tool=unknown, product=product)
    data_class = lexicon.data_class_of(lexicon.without_tool_names(described))
    any_ai = None if tools else _BARE_DATA.match(without_permission_tag(text))
    if any_ai and means_ai(any_ai["tool"]) and _data_like(any_ai["data"]):
        # "made-up numbers for a training example, fine in any of the tools?"
        phrase = any_ai["data"].strip()
        bare_class = lexicon.data_class_of(describe_placeholders(phrase))
        if bare_class or lexicon.people_phrase(phrase):
            return reading(
                Ask.DATA_CHECK, data_class=bare_class, data_phrase=phrase, any_tool=True
            )
    return reading(Ask.USE_CASE, tool_ids=tuple(tools), data_class=data_class)


def _sole_approved(target: str, lexicon: PolicyLexicon) -> list[str]:
    """The policy's only recommendable tool, when data goes "into AI" and there is just
    one it can mean ("upload the staff salary file to the approved tool")."""
    sole = lexicon.sole_approved if means_ai(target) else None
    return [sole] if sole else []


_NOT_DATA = frozenset(
    "what how is are can could does do who why where when which should would will i we you "
    "it its any anything something there this that use using".split()
)


# Words a job or a question starts with, not data: "write a job aid on how to sign in to
# the district AI tool", "new hire here ... ok to use chatgpt".
_NOT_DATA_START = frozenset(
    "write draft make create help explain show tell sign log get find set build ask".split()
)
_NOT_DATA_END = frozenset("ok okay fine allowed able how want need going alright".split())


# Words a name of data may start with ("the board's growth plan", "our rota").
_DETERMINERS = frozenset("the a an our my their his her your this these those".split())


def _data_like(phrase: str) -> bool:
    """Whether the words before "in <tool>" could name data, not a job or a question
    (after a determiner: "the firewall rule export" is data, "the" alone is not)."""
    words = normalize(phrase).split()
    while len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    if not words or words[0] in _NOT_DATA or words[0] in STOP or words[0] in _NOT_DATA_START:
        return False
    return words[-1] not in _NOT_DATA_END and "how to" not in " ".join(words)


def _bare_data(text: str, lexicon: PolicyLexicon) -> str | None:
    """The data of "incident report details into copilot?" or "unpublished press figures
    in GCS Assist, allowed?", if the message is just that."""
    match = _BARE_DATA.match(without_permission_tag(text))
    if not match or not lexicon.find_tools(match["tool"]) or lexicon.find_tools(match["data"]):
        return None
    return match["data"].strip() if _data_like(match["data"]) else None


def _in_full(phrase: str | None, people: str | None) -> str | None:
    """The personal data as named ("employees fmla medical paperwork") rather than the
    one word of it that names a class ("fmla")."""
    if people and (phrase is None or f" {phrase} " in f" {people} "):
        return people
    return phrase


def _data_words(text: str, lexicon: PolicyLexicon) -> str | None:
    """The shortest run of words that still names the data class ("customer emails")."""
    words = text.split()
    wanted = lexicon.data_class_of(text, strict=True)
    if wanted is None:  # no words name a class: any single word would "match" (“my”)
        return None
    # Words that name an example in full first ("social security number", not the
    # "security number" a loose match would settle for).
    for loose in (False, True):
        for size in range(1, min(len(words), 6) + 1):
            for i in range(len(words) - size + 1):
                part = " ".join(words[i : i + size])
                if lexicon.data_class_of(part, strict=True, loose=loose) == wanted:
                    # "anonymous", "no names": what the data is not, not what it is
                    return "the de-identified data" if lexicon.data.says_deidentified(
                        part
                    ) else part
    return None
