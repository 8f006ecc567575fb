"""The wordings that put data into a tool ("paste X into Y", "use Y on X", "X into Y?").

Shared by the message reader and the data-by-meaning check, so both read the same
shapes of sentence the same way.
"""

from __future__ import annotations

import re

__all__ = [
    "BARE_DATA",
    "DATA_PATTERN",
    "DEVICE",
    "ON_A_DEVICE",
    "PASTED",
    "STRONG_DATA_VERBS",
    "TOOL_GIVEN_DATA",
    "TOOL_ON_DATA",
]

_DATA_VERBS = (
    r"put|paste|upload|share|enter|feed|give|send|copy|type|input|drop|load|submit|attach|"
    r"use|process|run|analy[sz]e|summari[sz]e|translate|store"
)
# Verbs that make any "VERB <data> into <tool>" a data question, even for unknown data.
STRONG_DATA_VERBS = frozenset(
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
DATA_PATTERN = re.compile(
    rf"\b(?P<verb>{_DATA_VERBS})\s+(?P<data>.{{2,120}}?)\s+(?:in|into|in to|to|with|on|through|via|"
    r"inside|using)\s+(?P<tool>[\w .+&'-]{1,60}?)\s*(?:[?.!,:]|$)",
    re.I,
)


# "use Grammarly on customer emails": the tool comes first.
TOOL_ON_DATA = re.compile(
    r"\b(?:use|run|try)\s+(?P<tool>[\w .+&'-]{1,60}?)\s+(?:on|for|with)\s+(?P<data>.{2,120}?)"
    r"\s*(?:[?.!,]|$)",
    re.I,
)


# "give chatgpt the hostnames of our servers so it can ...": the tool, then the data.
TOOL_GIVEN_DATA = re.compile(
    r"\b(?:give|feed|send|show|hand)\s+(?P<tool>[\w .+&'-]{1,60}?)\s+(?P<data>(?:the|our|my|"
    r"a|an|all|his|her|their|some|these|those|every|each)\s.{2,120}?)\s*"
    r"(?:\b(?:so|to|because|in order)\b|[?.!,]|$)",
    re.I,
)

# "incident report details into copilot?": data and a tool, no verb at all.
BARE_DATA = re.compile(
    r"^\s*(?P<data>[\w ,.'&/()-]{3,80}?)\s+(?:in|into|to|in to|on|through)\s+"
    r"(?P<tool>[\w .+&'-]{1,60}?)\s*(?:\s(?:to|so|and)\s[^,?]{1,80})?[?!.]*\s*$",
    re.I,
)
# A redaction placeholder: something personal or secret was pasted (see bot.core.redact).
# A person's name alone ("[NAME] said copilot is fine") is not pasted data.
PASTED = re.compile(r"\[(?!NAME\])[A-Z][A-Z_]{1,20}\]")


#: A device the tool runs on, not data it is given: "my personal phone", "our work
#: laptops" (a class whose examples name "phone numbers" read "my personal phone" as
#: personal data, and "use Copilot on my phone" as a data check).
DEVICE = re.compile(
    r"(?:my|a|an|the|our|your|his|her|their)\s+(?:(?:own|personal|private|work|home|new|old)"
    r"\s+){0,2}(?:phone|mobile|cell|smartphone|iphone|android|laptop|computer|pc|mac|macbook|"
    r"tablet|ipad|device)s?",
    re.IGNORECASE,
)
#: "on my personal phone", "from my own laptop": where the work is done.
ON_A_DEVICE = re.compile(rf"\b(?:on|from|via|with|using|in)\s+{DEVICE.pattern}\b", re.IGNORECASE)
