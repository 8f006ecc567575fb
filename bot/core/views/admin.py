"""Admin replies: the command help, how to write one command, and edit confirmations.

Pure builders; `prefix` is how a command is written on the person's platform
("/aitools " in Slack, nothing in Teams), so examples can be typed as shown.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.reply import Action, Fact, Form, Reply, Section

if TYPE_CHECKING:
    from bot.core.services import AdminCounts

__all__ = [
    "admin_help_reply",
    "admin_home_sections",
    "done_reply",
    "form_reply",
    "not_found_reply",
    "saved_reply",
    "usage_reply",
]

_STATUSES = "standard, approved, pilot, under_review or prohibited"
#: (topic, command as typed after the prefix, what it does)
_COMMANDS = (
    ("tool", "admin tool add", "add a tool (opens a form)"),
    ("tool", "admin tool edit <name>", "edit a tool, found by name, id or alias"),
    ("status", "admin status <tool> <status>", f"set a tool's status: {_STATUSES}"),
    ("retire", "admin retire <tool>", "remove a tool and every reference to it"),
    ("red_line", "admin redline add", "add a red line"),
    ("red_line", "admin redline edit <name>", "edit a red line"),
    ("use_case", "admin usecase add", "add a use case"),
    ("use_case", "admin usecase edit <name>", "edit a use case"),
    ("remove", "admin remove redline <name>", "remove a red line"),
    ("remove", "admin remove usecase <name>", "remove a use case"),
    ("history", "admin history", "the latest policy versions, who changed what"),
    ("rollback", "admin rollback <version>", "bring back an earlier version's content"),
    ("unmet", "admin unmet", "open requests no approved tool covers"),
    ("candidates", "admin candidates [open|accepted|declined|covered|all]",
     "unmet requests grouped into candidate use cases"),
    ("candidates", "admin candidates accept|decline|merge|cover <number>",
     "decide on a candidate (decline, merge and cover open a form)"),
    ("export", "admin export", "the policy as a YAML file"),
    ("import", "admin import", "send a policy file with the message “import”"),
    ("whatif", "admin whatif [days]",
     "send a draft policy file with the message “whatif” to see what it would change"),
)
_TOPIC_ALIASES = {"admin": ""}


def admin_help_reply(prefix: str) -> Reply:
    """Every admin command, one line each, with a few one-click shortcuts."""
    lines = [f"{prefix}{cmd}: {what}" for _, cmd, what in _COMMANDS]
    return Reply(
        title="Policy admin commands",
        text="Policy admin commands\n" + "\n".join(lines),
        sections=(Section(text="\n".join(lines)),),
        actions=(Action("Candidates", command="admin candidates", style="primary"),
                 Action("Unmet requests", command="admin unmet"),
                 Action("History", command="admin history"),
                 Action("Add a tool", command="admin tool add")),
        kind="admin_help",
    )


def usage_reply(topic: str, prefix: str, problem: str = "") -> Reply:
    """How to write one command; the whole admin help for an unknown one."""
    topic = _TOPIC_ALIASES.get(topic, topic)
    if topic == "ask_tool":
        line = f"Which tool? For example: {prefix}tool ChatGPT"
        return Reply(title="Which tool?", text=line, sections=(Section(text=line),),
                     kind="usage")
    if topic == "share":
        line = f"What should I answer for everyone? For example: {prefix}share is Copilot approved?"
        return Reply(title="Share what?", text=line, sections=(Section(text=line),), kind="usage")
    lines = [f"{prefix}{cmd}: {what}" for t, cmd, what in _COMMANDS if t == topic]
    if not lines:
        help_reply = admin_help_reply(prefix)
        title = problem or "I didn't understand that admin command."
        return Reply(title=title, text=f"{title}\n{help_reply.text}",
                     sections=help_reply.sections, actions=help_reply.actions, kind="usage")
    title = problem or "Here is how to write that:"
    return Reply(title=title, text="\n".join([title, *lines]),
                 sections=(Section(text="\n".join(lines)),), kind="usage")


def saved_reply(version: int | None, what: str) -> Reply:
    """After an edit: the new version, or that nothing changed."""
    if version is None:
        text = f"{what}: that is already the policy, so no new version was made."
        return Reply(title="Nothing changed", text=text, sections=(Section(text=text),),
                     kind="saved", replace=True)
    title = f"Saved as policy version {version}"
    return Reply(title=title, text=f"{title}. {what}.", sections=(Section(text=f"{what}."),),
                 tone="good", kind="saved", replace=True)


def done_reply(title: str, text: str = "", *, kind: str = "done") -> Reply:
    """A decision that is not a policy version (a candidate, an unmet request)."""
    return Reply(title=title, text=f"{title}. {text}".strip() if text else title,
                 sections=(Section(text=text),) if text else (), tone="good", kind=kind,
                 replace=True)


def not_found_reply(noun: str, typed: str, nearest: list[str]) -> Reply:
    """A name that matches nothing, with the closest names when there are some."""
    title = f"I couldn't find a {noun} called “{typed}”"
    hint = f"Did you mean {' or '.join(nearest)}?" if nearest else \
        f"Check the spelling, or use the {noun}'s id."
    return Reply(title=title, text=f"{title}. {hint}", sections=(Section(text=hint),),
                 tone="attention", kind="not_found")


def form_reply(form: Form, *, impact: bool = False) -> Reply:
    """A reply that opens `form` (Slack modal, Teams dialog), with Cancel and, when this
    server can replay past asks, "Check impact" (the adapter adds the form's values).

    A form shown again with errors is the same reply with `kind="form_errors"`.
    """
    check = (Action("Check impact", id="check_impact", value={"form": form.id, **form.state}),)
    actions = (*(check if impact else ()), Action("Cancel", id="cancel"))
    if form.errors:
        text = "Nothing was saved: " + "; ".join(form.errors.values())
        return Reply(title=form.title, text=text, form=form, actions=actions,
                     kind="form_errors", tone="attention")
    return Reply(title=form.title, text=f"{form.title}: open the form to fill it in.",
                 form=form, actions=actions, kind="form")


def form_opener(reply: Reply, origin: Action) -> Reply:
    """A form reply as a message whose one button repeats `origin`, where the form cannot
    open straight away (Slack: asked in a message; Teams: a dialog opens from a card).
    Asking again shows the current form and checks rights again."""
    assert reply.form is not None
    form = reply.form
    button = replace(origin, label=form.title, style="primary", url=None)
    return replace(reply, form=None, replace=False, follow=None, attachment=None,
                   title=reply.title or form.title, text=reply.text or form.intro or form.title,
                   actions=(button,))


def admin_home_sections(counts: AdminCounts) -> tuple[Section, ...]:
    """The App Home's admin panel: what waits for review, and shortcuts to the forms."""
    waiting = Section(
        title="For policy admins",
        facts=(Fact("Open candidate use cases", str(counts.open_candidates)),
               Fact("Open unmet requests", str(counts.open_unmet))),
        actions=(Action("Review candidates", command="admin candidates", style="primary"),
                 Action("Unmet requests", command="admin unmet"),
                 Action("History", command="admin history")))
    shortcuts = Section(title="Edit the policy", actions=(
        Action("Add a tool", command="admin tool add"),
        Action("Add a red line", command="admin redline add"),
        Action("Add a use case", command="admin usecase add"),
        Action("Export", command="admin export")))
    return waiting, shortcuts
