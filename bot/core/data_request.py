"""Whether a message about data going into a tool asks *if it may* or asks *for it*.

"can I paste the personnel file into Copilot?" asks whether that data may go in: a data
check, whose answer may well be no, by a red line. "paste the personnel file into Copilot
and have it write her review" asks for it to be done: when a red line keeps that data out,
the request is refused (`blocked`). People write the two shapes for the two intents, so
the shape decides which answer a refusal takes; neither shape changes the verdict.
"""

from __future__ import annotations

import re

__all__ = ["asks_for_it", "asks_whether_allowed"]

# Verbs of putting data somewhere ("stick", "dump" and "chuck" are how people say it).
_PUT = (
    r"put|paste|pasting|upload|uploading|share|sharing|enter|entering|feed|feeding|give|"
    r"giving|send|sending|copy|copying|type|typing|input|inputting|drop|dropping|load|"
    r"loading|submit|submitting|attach|attaching|stick|sticking|dump|dumping|chuck|run|"
    r"use|using|process|show|tell"
)
# "can I paste", "could finance upload", "may we share", "should I put", "is it ok to
# type", "am I allowed to give", "ok if I drop", "would it be fine to copy".
_MAY = re.compile(
    rf"\b(?:(?:can|could|may|might|should|shall)(?:n'?t)?\s+(?!(?:it|ai|the|this|that|they)\b)"
    rf"(?:i|we|you|staff|\w+)\s+"
    rf"(?:\w+\s+)?(?:{_PUT})"
    rf"|(?:ok|okay|alright|fine|safe|allowed|permitted|acceptable|legal|right|appropriate|"
    rf"kosher|cool)\s+(?:for\s+(?:me|us|staff|\w+)\s+)?(?:to|if\s+(?:i|we)(?:\s+\w+)?)\s+"
    rf"(?:\w+\s+)?(?:{_PUT})"
    # "can shopper email addresses go into an AI tool?", "can those be pasted in"
    rf"|(?:can|could|may|should)\s+(?:\S+\s+){{0,8}}?(?:go|be\s+(?:put|pasted|uploaded|used|"
    rf"shared|entered|fed|given|typed|sent))\s+(?:in|into|on|to|through|with)\b)\b",
    re.I,
)
# A request for the act: the message (or a clause of it) starts with the verb of putting
# ("put the booking records into the AI so it can ..."), or says the asker will or wants
# to do it ("I'll paste the whole file", "I want to drop the spreadsheet into AI").
_ASK_FOR = re.compile(
    rf"(?:^|[.;:!?]\s*|\b(?:and|then|so|now|pls|please|just|go ahead and)\s+|"
    rf"\b(?:i'?ll|i will|i'?m going to|i am going to|gonna|i want to|i'd like to|"
    rf"let me|let's|lets|we'll|we will|i need to|we need to)\s+)"
    rf"(?:{_PUT})\b"
    # "..., let ChatGPT sort out who owes what", "have the bot sort my kids into groups"
    rf"|(?:^|[,.;:!?-]\s*)(?:let|have|get|ask)\s+(?:the\s+|our\s+|my\s+)?\S+\s+(?:to\s+)?\w+",
    re.I,
)


def asks_whether_allowed(text: str) -> bool:
    """Whether the message asks if the asker may put the data in ("can I paste ...",
    "... ok to type into chatgpt?"): a question about the data, answered by a data check."""
    return bool(_MAY.search(text))


# Verbs a request for work starts with: "rewrite our returns SOP in ChatGPT", "ask chatgpt
# to draft the announcement".
_DO = frozenset(
    "rewrite write draft summarize summarise translate analyze analyse sort rank build make "
    "create fix check compare ask have get let tidy clean format turn convert generate "
    "produce review edit proofread polish shorten extract pull total calculate categorize "
    "categorise group flag score redo reword rephrase prepare compile merge combine".split()
)


# "... and have it tell me who's late most", "... and get it to rank them": after asking
# whether the data may go in, the message asks for the work on it ("and make sure", "and
# let me know", "and get rid of" ask for no work).
_THEN_THE_WORK = re.compile(
    r"\band\s+(?:then\s+)?(?:have|get|let|make)\s+(?:it|them|the\s+\w+|(?!(?:sure|me|us|you|rid)\b)\w+)\s+(?:to\s+)?\w+",
    re.I,
)


def asks_for_it(text: str) -> bool:
    """Whether the message asks for data to be put in and worked on ("put the booking
    records into the AI so it can find ...", "I'll paste the whole file", "rewrite our
    returns SOP in ChatGPT"), not whether it may be: refused outright when a red line
    keeps that data out. A request for work that ends in a question mark ("make a table
    of it in free chatgpt?") asks whether it may, unless a later clause asks for the work
    ("can I drop the export into ChatGPT and have it tell me who's late most")."""
    text = text.strip()
    if asks_whether_allowed(text):
        return bool(_THEN_THE_WORK.search(text))
    if _ASK_FOR.search(text):
        return True
    first = re.match(r"[a-z]+", _ADDRESS.sub("", text.lower()))
    return first is not None and first.group(0) in _DO and not text.endswith("?")


# Whom the request is addressed to, before the verb: "chatgpt, tidy up this reply: ...",
# "copilot, can you rewrite ...", "hey claude pls summarise ...".
_ADDRESS = re.compile(
    r"^(?:(?:hey|hi|ok|okay)\s+)?(?:[\w.+-]+\s*){1,3},\s*|"
    r"^(?:(?:hey|hi|ok|okay)\s+)?(?:[\w.+-]+\s+)?(?:(?:can|could|would|will)\s+you\s+|"
    r"(?:pls|please)\s+)+"
)
