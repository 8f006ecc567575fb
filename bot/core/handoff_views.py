"""Ask IT as replies: the post in IT's channel, the asker's confirmation, IT's relayed reply.

Who IT sees. "Ask IT" is the asker's own request to be helped by a person, and IT can
only help (ask back, grant access, explain) if it knows who that is; so the IT post
names the asker. The name comes from the platform at posting time (the adapter passes
its display name, or a mention it renders) and is never stored; without one, the post
says "someone in Slack" and IT answers through the thread, which the concierge relays.
The question and the answer shown are the redacted ones the logs hold, never raw text,
and the asker is told, before and after, what IT will see.
"""

from __future__ import annotations

from bot.core.handoffs import Handoff
from bot.core.reply import Action, Fact, Reply, Section

__all__ = ["it_post", "passed_on", "relayed"]

_PLATFORMS = {"slack": "Slack", "teams": "Teams", "cli": "the command line"}
#: IT's reply is shown whole up to here (a chat section holds about 3,000 characters).
_MAX_REPLY = 2800


def _where(platform: str) -> str:
    return _PLATFORMS.get(platform, platform)


def _when(handoff: Handoff) -> str:
    at = handoff.created_at
    return f"{at.day} {at:%b %Y, %H:%M} UTC"


def _quoted(text: str) -> str:
    return f"“{text.strip()}”"


def it_post(handoff: Handoff, *, asker_name: str | None = None,
            contact_url: str | None = None) -> Reply:
    """The message in IT's channel: the question, the answer given, who asked, how to reply.

    `asker_name` is the asker's display name from the platform (not stored);
    `contact_url` a link that opens a direct chat with them, when the platform has one.
    """
    asker = asker_name.strip() if asker_name and asker_name.strip() else \
        f"someone in {_where(handoff.platform)}"
    facts = (
        Fact("Asked by", asker),
        Fact("Where", _where(handoff.platform)),
        Fact("When", _when(handoff)),
        Fact("Reference", f"Ask IT #{handoff.id}"),
    )
    how = ("Reply in this thread and I'll pass your reply on to them. "
           "Personal details were removed from the question before it was stored or shown.")
    actions = (Action(f"Message {asker_name.strip()}" if asker_name and asker_name.strip()
                      else "Message them", url=contact_url),) if contact_url else ()
    text = "\n".join([
        f"{asker[:1].upper()}{asker[1:]} asked for help from IT (Ask IT #{handoff.id}).",
        f"They asked: {_quoted(handoff.question)}",
        f"The concierge answered: {handoff.answer}",
        how,
    ])
    return Reply(
        title="A question for IT",
        text=text,
        sections=(
            Section(title="They asked", text=_quoted(handoff.question)),
            Section(title="The concierge answered", text=handoff.answer),
        ),
        facts=facts,
        actions=actions,
        footer=how,
        private=False,
        kind="handoff_it",
    )


def passed_on(handoff: Handoff) -> Reply:
    """The asker's confirmation: it went to IT (or already had), what IT sees, what next."""
    if handoff.new:
        title = "Passed on to IT"
        lead = ("I've passed your question on to IT, with the answer I gave you. IT will see "
                "your name so they can follow up; their reply will come to you here.")
    else:
        title = "Already with IT"
        lead = (f"You passed this question on to IT on {_when(handoff)}. Their reply will "
                "come to you here.")
    seen = f"What IT sees: {_quoted(handoff.question)}"
    return Reply(
        title=title,
        text=f"{lead}\n{seen}",
        sections=(Section(text=lead),
                  Section(title="What IT sees", text=_quoted(handoff.question))),
        footer=f"Ask IT #{handoff.id}",
        tone="good",
        kind="handoff_passed",
    )


def relayed(handoff: Handoff, reply_text: str, *, responder: str | None = None) -> Reply:
    """IT's reply in the thread, brought to the asker with the question it answers."""
    body = reply_text.strip()
    if len(body) > _MAX_REPLY:
        body = body[: _MAX_REPLY - 1].rstrip() + "…"
    who = responder.strip() if responder and responder.strip() else "IT"
    title = "IT replied to your question"
    text = f"{title}.\nYou asked: {_quoted(handoff.question)}\n{who}: {body}"
    return Reply(
        title=title,
        text=text,
        sections=(
            Section(title="You asked", text=_quoted(handoff.question)),
            Section(title=f"{who} replied" if who != "IT" else "IT's reply", text=body),
        ),
        footer=f"Ask IT #{handoff.id}",
        private=True,  # the asker's alone: adapters deliver it in a direct chat
        kind="handoff_reply",
    )
