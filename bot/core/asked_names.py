"""Which tool a message asks about when the policy's own tool names don't say.

"Is Jasper approved?", "can we use Otter for minutes": a status question's shape gives the
asked name, which is a product only if the catalogue knows it or some word of it is not
plain English. A tool named just before a work noun ("my Zoom call") is only where the
work happens.
"""

from __future__ import annotations

import re

from bot.core.catalogue import Product, catalogue
from bot.core.english import is_english_word, near_english
from bot.core.lexicon import STOP, NamedTools
from bot.core.matching.text import normalize
from bot.core.product_lines import names_the_organization

__all__ = [
    "asked_name",
    "asks_status",
    "clean_name",
    "generic_names",
    "is_context",
    "unknown_product",
]

_GENERIC_TOOL_WORDS = frozenset(
    {
        "ai",
        "an ai",
        "ai tool",
        "an ai tool",
        "a tool",
        "tool",
        "tools",
        "it",
        "this",
        "that",
        "something",
        "anything",
        "chatbot",
        "a chatbot",
        "genai",
        "gen ai",
        "llm",
        "an llm",
        "assistant",
        "an assistant",
        "what",
        "which",
    }
)
_STATUS_WORDS = (
    r"approved|allowed|permitted|ok|okay|fine|safe|sanctioned|banned|prohibited|blocked|"
    r"authori[sz]ed|whitelisted|allow-?listed|supported|legit|compliant|forbidden|"
    r"good|any good|available|a thing|on the list|accepted|cool|usable"
)
# A tool named just before one of these is where the work happens, not what is asked
# about: "summarize my Zoom call", "a formula for my Excel sheet".
_CONTEXT_NOUNS = frozenset(
    "call calls meeting meetings file files doc docs document documents sheet sheets "
    "spreadsheet spreadsheets workbook channel channels chat chats recording recordings "
    "transcript transcripts formula formulas deck decks slide slides email emails inbox "
    "message messages thread threads notebook page pages site sites ticket tickets "
    "repo repos database table tables dashboard report reports".split()
)
# Inside a product's name these never stand: they make a phrase ("help writting a memo").
_PHRASE_WORDS = frozenset("a an the my our your their his her this that these those".split())
_TYPO_LENGTH = 6
_NAME = r"(?P<name>[\w .+&'-]{1,60}?)"
_STATUS_PATTERNS = [
    # "is the Acme AI scoring something we use?", "is Foo a tool we're allowed to use"
    re.compile(
        rf"\b(?:is|are)\s+(?!(?:there|this|that|it|these|those)\b)(?:the\s+)?{_NAME}\s+"
        r"(?:something|a tool|an app|one|a thing)\s+"
        r"(?:that\s+)?(?:we|i|staff|employees|people)\s*(?:'re|are|can|may|could|do|get to)?"
        r"\s*(?:allowed to |permitted to |able to )?(?:use|have|pay for|get)\b",
        re.I,
    ),
    re.compile(
        rf"\b(?:is|are)\s+(?:the\s+)?{_NAME}\s+(?:still\s+|now\s+)?(?:{_STATUS_WORDS})\b", re.I
    ),
    re.compile(
        rf"\b(?:can|could|may|should)\s+(?:i|we|my team|employees|staff)\s+(?:still\s+)?"
        rf"(?:use|try|install|sign up for|sign up to|access|get|download)\s+{_NAME}"
        r"(?=\s+(?:for|to|at|in|on|with|when|if|here)\b|\s*[?.!,]|\s*$)",
        re.I,
    ),
    re.compile(
        rf"\b(?:am i|are we)\s+(?:allowed|permitted|authori[sz]ed)\s+to\s+use\s+{_NAME}"
        r"(?=\s+(?:for|to|at|in|on|with)\b|\s*[?.!,]|\s*$)",
        re.I,
    ),
    re.compile(
        rf"\b(?:what about|status of|policy on|rules (?:for|on)|thoughts on|do we have)\s+{_NAME}"
        r"\s*(?:[?.!,]|$)",
        re.I,
    ),
    re.compile(rf"^\s*{_NAME}\s*[-:–—]?\s*(?:{_STATUS_WORDS})\s*\?*\s*$", re.I),
    re.compile(
        rf"\bis it (?:ok|okay|fine|safe|allowed) to use\s+{_NAME}"
        r"(?=\s+(?:for|to|at|in|on|with)\b|\s*[?.!,]|\s*$)",
        re.I,
    ),
    # "Acme's AI assistant in the dashboard, can we use it?": the name comes first
    re.compile(
        rf"^\s*{_NAME}\s*[,:;–—-]\s*(?:so\s+)?(?:can|could|may|should)\s+(?:i|we|staff)\s+"
        r"(?:use|try|turn on|switch on|enable)\s+(?:it|this|that|them)\b",
        re.I,
    ),
]


def clean_name(name: str) -> str | None:
    """The name as asked, without articles and trailing fillers; None for no tool's name
    ("an AI tool", "to answer them")."""
    name = re.sub(r"^(?:the|a|an|using|use of)\s+", "", name.strip(" '\"?.!,"), flags=re.I)
    # "the AI features in HubSpot": the product is where the AI is
    name = re.sub(
        r"^(?:(?:gen(?:erative)?\s+)?ai|copilot)\s+(?:features?|functions?|assistants?|tools?|"
        r"bits?|add-?ons?)\s+(?:in|of|inside|within|from|on)\s+",
        "",
        name,
        flags=re.I,
    )
    name = re.sub(
        r"\s+(?:here|at work|now|anymore|any more|still|too|also|again)$", "", name, flags=re.I
    )
    # "Acme's AI assistant in the network dashboard": the product, not where it shows up
    name = re.sub(r"\s+(?:in|inside|within|on)\s+(?:the|our|my|your)\s+[\w -]+$", "", name,
                  flags=re.I)
    words = normalize(name).split()
    if not words or " ".join(words) in _GENERIC_TOOL_WORDS or len(words) > 4:
        return None
    if words[0] in STOP or words[0] in _GENERIC_TOOL_WORDS:  # "to answer them", "ai for x"
        return None
    return name


#: A vendor's AI product, named by its maker: "Cisco's AI assistant", "Adobe's gen AI tool"
#: (the maker's name may be a plain word: a cisco is also a fish).
_VENDOR_AI = re.compile(r"^[A-Z][\w.&-]*['’]s\s+(?:gen(?:erative)?\s+)?AI\b")


def _plausible_name(name: str) -> bool:
    """A name nobody listed is only a product if some word of it is not plain English.

    "Jenni AI" may be a product; "German", "really" and "there something" are not.
    """
    all_words = normalize(name).split()
    if any(w in _PHRASE_WORDS for w in all_words[1:]):
        return False  # "help writting a memo": a phrase about the work, not a name
    words = [w for w in all_words if w not in STOP and w not in {"ai", "app"}]
    odd = [w for w in words if not is_english_word(w) and not w.isdigit() and len(w) >= 3]
    # ...and a long word one edit from a plain word is that word misspelt ("responce")
    return any(not (len(w) >= _TYPO_LENGTH and near_english(w, 1)) for w in odd)


def asked_name(text: str) -> str | None:
    for pattern in _STATUS_PATTERNS:
        match = pattern.search(text)
        if match:
            name = clean_name(match["name"])
            if name:
                return name
    return None


def asks_status(text: str) -> bool:
    """Whether the message has the shape of a question about a tool's standing ("is X
    ok for ...", "can I use X for ..."), not of an instruction ("use AI to ...")."""
    return any(p.search(text) for p in _STATUS_PATTERNS)


def is_context(named: NamedTools, words: list[str]) -> bool:
    """Every tool named is only the place of the work ("my Zoom call")."""
    return bool(named.hits) and all(
        h.end < len(words) and words[h.end] in _CONTEXT_NOUNS for h in named.hits
    )


# Words that name AI tools in general, not one product: a policy that names no product
# lists "AI tools used at X" or "our AI systems", and "which AI tools can we use?" is
# then still a question about the catalogue, not about that entry.
_GENERIC_NAME_WORDS = frozenset(
    "ai genai gen generative artificial intelligence tool tools system systems "
    "chatbot chatbots bot bots app apps application applications platform "
    "platforms model models software llm llms service services solution solutions list "
    "our the a an its this these company company's organisation organization "
    "corporate enterprise internal approved sanctioned authorised authorized used at for "
    "of in by and under staff employee employees".split()
)


def generic_names(named: NamedTools, words: list[str], organization: str) -> bool:
    """Every tool named is named only by general words ("AI tools", "our AI tools at
    Sigmar"): the message may still be about the catalogue or the policy."""
    own = set(normalize(organization).split())
    return bool(named.hits) and all(
        all(w in _GENERIC_NAME_WORDS or w in own for w in words[h.start : h.end])
        for h in named.hits
    )


_PEOPLE = frozenset("employee employees staff people team teams members colleagues".split())


def only_the_organization(name: str, organization: str) -> bool:
    """Whether an asked name is only the organization and who works there ("HHS
    employees", "our CommBank staff"): "which AI tools are HHS employees allowed to use?"
    asks for the catalogue, not about a product called "HHS employees"."""
    words = normalize(name).split()
    own = [w for w in words if names_the_organization(w, organization)]
    return bool(own) and all(
        w in own or w in _GENERIC_NAME_WORDS or w in _PEOPLE for w in words
    )


def unknown_product(text: str, asked: str | None) -> tuple[Product | None, str | None]:
    """A product the policy does not list: from the catalogue, or a plausible asked name."""
    product = catalogue().find(text, asked=asked)
    if product is not None:
        return product, product.name
    if asked and (_plausible_name(asked) or _VENDOR_AI.match(asked)):
        return None, asked
    return None, None
