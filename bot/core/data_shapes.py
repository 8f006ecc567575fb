"""Shapes of messages that ask about data going into AI, beyond "put <data> into <tool>".

"can shopper email addresses go into an AI tool?", "the deli price list, can that go into
Copilot?", "unpublished press figures in GCS Assist, allowed?": the data comes first and
the tool after a verb of going, or the question is a tag at the end. And "into an AI
tool", "any of the tools": no tool's name, AI in general.
"""

from __future__ import annotations

import re

from bot.core.matching.text import normalize

__all__ = ["DATA_GOES", "goes_into", "means_ai", "put_somewhere", "without_permission_tag"]

# "can <data> go into <tool>", "<data>, can (it|that|those) go into <tool>", "can <data> be
# pasted in <tool>".
DATA_GOES = re.compile(
    r"^(?:(?P<before>[^,?]{3,120}?)\s*,\s*)?(?:is it ok|ok|okay|so)?\s*(?:can|could|may|should)"
    r"\s+(?P<data>[^,?]{2,120}?)\s+(?:go|be\s+(?:put|pasted|uploaded|used|shared|entered|fed|"
    r"typed|sent))\s+(?:in|into|on|to|through|with)\s+(?P<tool>[\w .+&'-]{1,60}?)\s*"
    r"(?:[?.!,:]|$)",
    re.I,
)
# Words standing for what went before ("can *those* go into ...").
_BACK = frozenset("it that this these those they them".split())

# ", allowed?", "- ok?", ", is that fine?": the question asked as a tag after the data.
_PERMISSION_TAG = re.compile(
    r"[\s,;-]+(?:(?:is|would)\s+(?:that|it|this)\s+(?:be\s+)?)?(?:ok|okay|allowed|fine|"
    r"alright|safe|permitted|acceptable|good|cool)\s*[?!.]*\s*$",
    re.I,
)

# "into AI", "the GenAI tool", "our approved chatbot", "any of the tools": no tool's name.
_AI = frozenset(
    "ai genai gen llm chatbot chatbots bot bots tool tools assistant assistants model "
    "models chat".split()
)
_AI_OPTIONAL = frozenset(
    "the a an our my your approved sanctioned company work org district agency internal "
    "enterprise official one any of".split()
)
# What may follow "into the AI": what it is for ("to document it", "so it can...").
_PURPOSE = frozenset("to so and for that which then".split())


def means_ai(target: str) -> bool:
    """Whether the words a tool's name would stand in are just "the AI" ("an AI tool",
    "the approved tool", "any of the tools", "AI to document it")."""
    words = normalize(target).split()
    n = 0
    while n < len(words) and (words[n] in _AI or words[n] in _AI_OPTIONAL):
        n += 1
    return bool(n) and words[n - 1] in _AI and (n == len(words) or words[n] in _PURPOSE)


def goes_into(text: str) -> tuple[str, str] | None:
    """(data, tool words) of "can <data> go into <tool>" / "<data>, can those go into
    <tool>", or None."""
    match = DATA_GOES.search(text.strip())
    if match is None:
        return None
    data = match["data"].strip()
    if normalize(data) in _BACK:
        data = (match["before"] or "").strip()
    return (data, match["tool"]) if data else None


# "<data>, fine in any of the tools?", "<data>, ok to use in <tool>?": the tag in between.
_TAG_BETWEEN = re.compile(
    r"\s*[,;-]\s*(?:is it\s+|would it be\s+)?(?:ok|okay|allowed|fine|alright|safe)\s+"
    r"(?:to\s+[a-z]+\s+)?(?P<into>in|into|with|on)\s+",
    re.I,
)
# "is <data> ok in <tool>?", "are <data> fine to paste into <tool>?": the same question
# with the data first after "is".
_IS_OK = re.compile(
    r"^\s*(?:is|are)\s+(?P<data>.{3,120}?)\s+(?:ok|okay|allowed|fine|alright|safe|"
    r"permitted)\s+(?:to\s+[a-z]+\s+)?(?P<into>in|into|with|on)\s+",
    re.I,
)


def without_permission_tag(text: str) -> str:
    """The message as a bare "<data> in <tool>" without its question tag ("..., allowed?",
    "<data>, fine to summarise in <tool>?", "is <data> ok in <tool>?")."""
    text = _IS_OK.sub(lambda m: f"{m['data']} {m['into']} ", text, count=1)
    text = _TAG_BETWEEN.sub(lambda m: f" {m['into']} ", text, count=1)
    return _PERMISSION_TAG.sub("", text).strip()


# "can I enter the public FERC order text to get the key dates out of it": data put in,
# no tool said (the AI the asker is talking to).
_PUT_IN = re.compile(
    r"\b(?:put|paste|upload|enter|share|type|input|feed|submit|attach|copy|give)\s+"
    r"(?P<data>.{2,100}?)\s*(?:\b(?:to|so|for|and|in order|in|into|here)\b|[?.!,]|$)",
    re.I,
)


def put_somewhere(text: str) -> str | None:
    """The data of a message that puts data in without saying where."""
    match = _PUT_IN.search(text)
    return match["data"].strip() if match else None
