"""Read a message against a policy: which tools, data and red lines it mentions, and what it asks.

Pure and synchronous. The use-case matcher (matching/) answers "what is this
for?"; this module answers everything that must be exact: names, data classes,
red-line triggers and the shape of the question.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.core.asked_names import asked_name, generic_names, only_the_organization, unknown_product
from bot.core.catalogue import catalogue
from bot.core.data_asks import (
    data_goes_into,
    data_put_into,
    data_put_somewhere,
    tool_given_data,
    tool_on_data,
)
from bot.core.data_patterns import DATA_PATTERN
from bot.core.data_topic import without_topics
from bot.core.english import is_english_word
from bot.core.language import detect_foreign
from bot.core.lexicon import PolicyLexicon
from bot.core.matching.text import normalize
from bot.core.pasted import describe_placeholders
from bot.core.published import outside_published
from bot.core.reading import Ask, Message, Reading
from bot.core.redline_themes import puts_data_in
from bot.core.rule_statements import restated_lines
from bot.core.smalltalk import Embed
from bot.core.tool_asks import about_listed_tools, about_unknown_tool, job_or_any_tool

__all__ = ["read_message"]

# The bot's own command words, for "/aitools lst" and "hepl".
COMMAND_WORDS = ("help", "list", "tools", "tool", "redlines", "share", "menu")

# Small-talk answers that are about nothing in particular (greetings, thanks, complaints).
_SOCIAL = frozenset({"help", "thanks", "complaint"})
# Questions about who decides and how to get a yes ("who signs off on a new AI tool?"):
# asked about the rules, never doing what a red line forbids, so a red line's trigger
# word in them ("new tool", "approval") does not make them a request to refuse.
# Not data levels in general: "confidential data ok?" reads like "can I put confidential
# data in?", which the red line must answer (a question of what a word means is below).
_GOVERNANCE = frozenset({"maintainer", "request_tool"})
# ...unless AI is the one asked to act: "can AI decide which permit applications get
# approved?" asks for the act the red line forbids, "who decides which tools are approved?"
# asks about the rules.
# ...nor a question of what a word of the rules means ("what does 'proprietary
# information' mean in the AI guidelines?", "not sure whether my data counts as
# confidential"): the data levels answer it, with the red line its word triggers; unless
# data is put in beside it ("what counts as sensitive? can I paste a health record in?").
_DEFINING = re.compile(
    r"\b(?:counts?|counted|qualif(?:y|ies)|classed|classified|considered)\s+as\b|"
    r"\bwhat\b.{0,60}\b(?:mean|means|meant)\b|\bmeant\s+by\b|\bdefine\b|\bdefinition\s+of\b",
    re.IGNORECASE,
)
_AI_ACTS = re.compile(
    r"\b(?:can|could|should|may|might|will|would|does|do|let|have|get|use|using)\s+"
    r"(?:the\s+|an?\s+|our\s+)?(?:ai|a\.i\.|gen ?ai|chatbot|bot|model|algorithm|llm)\s+"
    r"(?:to\s+)?(?!(?:tools?|policy|policies|use|usage|allowed|approved|ok|okay|be)\b)[a-z]{3,}",
    re.IGNORECASE,
)


# "are you chatgpt?", "r u actually copilot": the concierge asked whether it is a tool.
_ARE_YOU = re.compile(r"\b(?:are|r)\s+(?:you|u)\s+(?P<how>(?:just|actually|really|secretly)\s+)?"
                      r"(?:an?\s+|the\s+)?(?P<rest>.+)", re.IGNORECASE)


def _asked_if_the_bot(text: str, lexicon: PolicyLexicon) -> str | None:
    """When the message asks the concierge if it is an AI product ("are you" followed at
    once by a policy tool's or a catalogue product's name, not "are you able to say if
    Copilot ..."), the question with that name put as "an AI", which is what it asks:
    "are u actually copilot" -> "are you actually an AI". Small talk then reads it, whatever
    the product."""
    found = _ARE_YOU.search(text)
    if found is None:
        return None
    words = normalize(found["rest"]).split()
    # a tool of the policy, or a well-known product it does not list ("are you claude?")
    hits = [*lexicon.named(found["rest"]).hits, *catalogue().hits(found["rest"], words=words)]
    first = next((h for h in hits if h.start == 0), None)
    if first is None:
        return None
    how = (found["how"] or "").strip().lower()
    return " ".join(w for w in ["are you", how, "an AI", *words[first.end:]] if w)


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
    # "summarise the public notice about CLETS testing": the notice's subject is no
    # trigger (`published`)
    red_lines = tuple(lexicon.red_lines_in(outside_published(describe_placeholders(text,
                                                                                   names=True))))
    # "a training note on why social scoring is banned" states the rule: no trigger of it
    said = restated_lines(text, lexicon.policy.red_lines)
    red_lines = tuple(i for i in red_lines if i not in said)
    # Data only named as a topic ("a one-pager on why staff shouldn't paste SSNs into
    # chatbots") is no data put in: data is looked for in the rest.
    full, text = text, without_topics(text)
    msg = Message(full, text, describe_placeholders(text), red_lines, lexicon)

    if _command_typo(full):
        return msg.reading(Ask.COMMAND)
    named = lexicon.named(full)
    words = normalize(full).split()
    # The message is read as typed ("días", "我可以"), but the words of the tool names it
    # contains are no language ("ChatGPT", the "le" of "Le Chat").
    language = detect_foreign(full, {words[i] for h in named.hits for i in range(h.start, h.end)})
    if language is not None and language.code not in languages:
        return msg.reading(Ask.FOREIGN, language=language)
    tools = named.ids
    asked = asked_name(full)
    if asked is not None and only_the_organization(asked, lexicon.policy.meta.organization):
        asked = None
    generic = bool(tools) and generic_names(named, words, lexicon.policy.meta.organization)
    product, unknown = (None, None) if tools and not generic else unknown_product(full, asked)
    if generic and unknown is not None and (product or not lexicon.find_tools(unknown)):
        tools = []  # "is ChatGPT approved at Sigmar?": the product asked about, not "AI tools"
    elif generic:
        product, unknown = None, None  # "are the approved GenAI tools ok": the entry itself
    as_bot = _asked_if_the_bot(full, lexicon) if tools or unknown else None
    if as_bot is not None:
        # "are you chatgpt or a real person?": about the concierge, not the tool
        embed, model_id = embedding or (None, None)
        hit = lexicon.smalltalk.classify(as_bot, embed=embed, model_id=model_id)
        if hit is not None and hit.answer == "identity":
            return msg.reading(Ask.SMALL_TALK, small_talk=hit)
    if (not tools or generic) and unknown is None:
        embed, model_id = embedding or (None, None)
        hit = lexicon.smalltalk.classify(full, embed=embed, model_id=model_id)
        if red_lines and hit is not None and (
            hit.answer not in _GOVERNANCE or hit.job_words or _AI_ACTS.search(full)
        ) and not (hit.answer == "data_levels" and _DEFINING.search(full)
                   and not _AI_ACTS.search(full) and not puts_data_in(full)):
            # a red line's trigger outranks other small talk, and a governance question
            # about a job of the policy ("who approves AI on employee records?"): that
            # job's data is what the red line is about
            hit = None
        # "which AI tools can we use?" where the policy's one entry is "AI tools": the
        # catalogue; "thanks, our AI tools rock" or "which of our AI tools for the
        # chatbot build" (a word of a job) stay about that entry
        if hit is not None and (not generic or (hit.answer not in _SOCIAL and not hit.job_words)):
            return msg.reading(Ask.SMALL_TALK, small_talk=hit)

    data_match = DATA_PATTERN.search(text)
    # a "VERB <data> into <listed tool>" is read as that, not as the shapes in between
    into_listed = bool(data_match and lexicon.find_tools(data_match["tool"]))
    found = tool_on_data(msg, named)
    if found is None and not into_listed:
        found = tool_given_data(msg, named) or data_goes_into(msg, named)
    if found is None and data_match:
        found = data_put_into(msg, named, tools, data_match)
    if found is None and not (tools or unknown):
        found = data_put_somewhere(msg)
    if found is not None:
        return found
    if tools and DATA_PATTERN.search(full) and not lexicon.named(text):
        # "a memo reminding staff not to paste account details into WaterBot": the tool
        # is where the topic says data must not go, not the tool asked about
        tools = []
    found = about_listed_tools(msg, named, words, tools, generic)
    if found is not None:
        return found
    if unknown is not None:
        return about_unknown_tool(msg, unknown, product)
    return job_or_any_tool(msg, tools)
