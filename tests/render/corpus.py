"""A corpus of rendered replies built by the real concierge from the sample policy.

Every view the employee sees, from real answers (a temp database, the default matcher)
and the real policy: the renderer tests check each one against the Adaptive Cards
schema, Slack's limits and plain-English rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.concierge import Concierge, Message
from bot.core.forms.policy_forms import ITEM_FORMS, item_form
from bot.core.insights.chart import render_chart
from bot.core.insights.digest import build_digest
from bot.core.insights.periods import period_of
from bot.core.reply import Choice, Field, Form, Reply
from bot.core.views.answer import answer_reply
from bot.core.views.catalogue import catalogue_reply
from bot.core.views.digest import digest_reply
from bot.core.views.help import help_reply
from bot.core.views.home import home_reply
from bot.core.views.redlines import red_lines_reply
from bot.core.views.tool import tool_reply
from bot.store import Store
from bot.store.insights import InsightStore

#: Questions covering every outcome: a job, data checks (yes / no / unknown), tools by
#: status, an unlisted tool, a family of editions, red lines, unmet needs, small talk.
QUESTIONS = (
    "what can I use to summarise a long pdf",
    "I need to transcribe a recorded interview",
    "help me write meeting notes and action items",
    "can I paste customer emails into grammarly",
    "can I put meeting notes into Microsoft 365 Copilot",
    "can I paste the quarterly numbers into deepl",
    "can I paste my password into chatgpt enterprise",
    "is claude approved",
    "is ChatGPT Enterprise approved",
    "is midjourney allowed",
    "can I use perplexity",
    "is DeepSeek ok to use",
    "is jasper ai approved",
    "can I use chatgpt",
    "fly a drone over the warehouse",
    "generate a video from a script",
    "hello",
    "thanks!",
    "¿puedo usar chatgpt para traducir?",
)


@dataclass(frozen=True)
class Where:
    """A surface as the conversation core describes it."""

    platform: str
    prefix: str
    personal: bool = True


SLACK = Where("slack", "/aitools ")
TEAMS = Where("teams", "")

TOOL_FORM = Form(
    id="tool",
    title="Edit tool",
    intro="Changes are saved as a new policy version.",
    fields=(
        Field("name", "Name", required=True, value="DeepL Pro", max_length=80),
        Field("status", "Status", kind="choice", required=True, value="approved",
              choices=tuple(Choice(v, v.replace("_", " ").capitalize()) for v in
                            ("standard", "approved", "pilot", "under_review", "prohibited"))),
        Field("max_data_class", "Most sensitive data allowed", kind="choice", value="none",
              choices=(Choice("none", "No company data / not stated"),
                       Choice("internal", "Internal"), Choice("confidential", "Confidential"))),
        Field("aliases", "Other names", kind="lines", value=("deepl", "deepl pro")),
        Field("good_for", "Good for", kind="multi_choice", value=("translate",),
              choices=tuple(Choice(f"uc{i}", f"Use case {i}") for i in range(12))),
        Field("access", "Access link", kind="url", placeholder="https://…"),
        Field("summary", "Summary", kind="multiline", required=True, value="Translation."),
    ),
    state={"item": "deepl-pro", "version": "3"},
    errors={"access": "That is not a web address (it should start with https://).",
            "name": "A tool with this name already exists."},
)


async def corpus(concierge: Concierge, store: Store) -> dict[str, Reply]:
    """Name -> Reply for every question and view (Teams spelling of commands)."""
    out: dict[str, Reply] = {}
    for question in QUESTIONS:
        answer = await concierge.answer(Message(question, "asker-1", "teams"))
        out[f"answer: {question}"] = answer_reply(answer, TEAMS)
    index = await concierge.index()
    policy = index.policy
    for where in (SLACK, TEAMS):
        out[f"help ({where.platform})"] = help_reply(policy, where)
        out[f"home ({where.platform})"] = home_reply(policy, where, version=1)
    out["catalogue"] = catalogue_reply(policy, TEAMS)
    out["red lines"] = red_lines_reply(policy, TEAMS)
    for tool in policy.tools:
        out[f"tool: {tool.name}"] = tool_reply(policy, tool, TEAMS)
    now = datetime.now(UTC)
    digest = await build_digest(InsightStore(store.sessions), period_of(now), policy=policy,
                                now=now)
    out["digest"] = digest_reply(digest, render_chart(digest.weeks))
    out["form"] = Reply(title="Edit tool", text="Edit tool", form=TOOL_FORM, kind="form")
    for kind in ITEM_FORMS:  # the real admin forms, added and edited (with an error shown)
        first = {"tool": policy.tools, "red_line": policy.red_lines,
                 "use_case": policy.use_cases}[kind][0].id
        for item in (None, first):
            form = item_form(kind, policy, 3, item, errors={"name": "Already taken."})
            out[f"form: {form.title}"] = Reply(title=form.title, text=form.title, form=form,
                                               kind="form")
    return out
