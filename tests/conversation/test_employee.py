"""Employee commands and answer buttons through the conversation core, on a real database."""

from __future__ import annotations

from bot.core.conversation import TEAMS, Conversation, Surface
from bot.core.conversation.rated import CHANGED
from bot.core.handoffs import Handoff, ThreadRef
from bot.core.reply import Reply
from bot.core.services import Services
from bot.store import Actor
from tests.conversation.conftest import ADMIN, EMPLOYEE, all_text

UNMET = "Can I generate background music for a marketing video?"


async def test_help_list_redlines(conversation: Conversation, surface: Surface) -> None:
    help_ = await conversation.on_text(EMPLOYEE, "help", surface)
    assert help_.kind == "help"
    assert "/aitools list" in all_text(help_)
    teams_help = await conversation.on_text(EMPLOYEE, "help", TEAMS)
    assert "/aitools" not in all_text(teams_help)
    assert "list" in all_text(teams_help)
    catalogue = await conversation.on_text(EMPLOYEE, "list", surface)
    assert catalogue.kind == "catalogue"
    assert "ChatGPT Enterprise" in all_text(catalogue)
    red = await conversation.on_text(EMPLOYEE, "red lines", surface)
    assert red.kind == "red_lines"
    assert "No AI images, video or voices" in all_text(red)


async def test_tool_by_alias_or_typo_answers_about_that_tool(
        conversation: Conversation, surface: Surface) -> None:
    for typed, name in (("tool Otter", "Third-party AI meeting bots"),
                        ("tool ChatGTP Enterprise", "ChatGPT Enterprise")):
        reply = await conversation.on_text(EMPLOYEE, typed, surface)
        assert reply.kind == "tool"
        assert reply.title == name
    unknown = await conversation.on_text(EMPLOYEE, "tool Notion AI", surface)
    assert unknown.kind == "answer"
    assert "Notion AI" in all_text(unknown)
    usage = await conversation.on_text(EMPLOYEE, "tool", surface)
    assert usage.title == "Which tool?"
    assert "/aitools tool ChatGPT" in usage.text


async def test_a_question_is_answered_logged_and_rated_once(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    reply = await conversation.on_text(EMPLOYEE, "What can I use to summarize a PDF?", surface)
    assert reply.kind == "answer"
    assert reply.private
    feedback = [a for a in reply.actions if a.id == "feedback"]
    assert {a.value["helpful"] for a in feedback} == {"true", "false"}
    no = next(a for a in feedback if a.value["helpful"] == "false")
    first = await conversation.on_action(EMPLOYEE, "feedback", no.value, surface)
    assert "passed your question to IT" in first.text
    again = await conversation.on_action(EMPLOYEE, "feedback", no.value, surface)
    assert "already have your feedback" in again.title
    other = await conversation.on_action(ADMIN, "feedback", no.value, surface)
    assert other.title == "Only the person who asked can rate this answer."
    unmet = await services.store.unmet.list(status=None)
    assert len([u for u in unmet if u.question.startswith("What can I use")]) == 1


async def test_share_is_visible_to_the_channel(conversation: Conversation,
                                               surface: Surface) -> None:
    reply = await conversation.on_text(EMPLOYEE, "share is DeepL approved?", surface)
    assert reply.kind == "answer"
    assert not reply.private
    assert "DeepL Pro" in all_text(reply)


async def test_unmet_vote_counts_once(conversation: Conversation, surface: Surface) -> None:
    reply = await conversation.on_text(EMPLOYEE, UNMET, surface)
    vote = next(a for a in reply.actions if a.id == "vote")
    colleague = Actor("UCOLLEAGUE", "slack")
    counted = await conversation.on_action(colleague, "vote", vote.value, surface)
    assert counted.title.startswith("Thanks, I've counted your vote")
    twice = await conversation.on_action(colleague, "vote", vote.value, surface)
    assert twice.title.startswith("You've already said you need this")


async def test_stale_or_unknown_buttons_are_explained(conversation: Conversation,
                                                      surface: Surface) -> None:
    stale = await conversation.on_action(EMPLOYEE, "feedback", {"query_id": "x"}, surface)
    assert stale.kind == "error"
    assert "out of date" in stale.title
    unknown = await conversation.on_action(EMPLOYEE, "launch", {}, surface)
    assert "didn't recognise that button" in unknown.title
    cancel = await conversation.on_action(EMPLOYEE, "cancel", {}, surface)
    assert cancel.replace
    assert cancel.title == "Cancelled"


async def test_ask_it_without_a_desk_says_how_to_reach_it(
        conversation: Conversation, surface: Surface) -> None:
    reply = await conversation.on_text(EMPLOYEE, "Can I use Otter for my meetings?", surface)
    ask_it = next(a for a in reply.actions if a.id == "ask_it")
    told = await conversation.on_action(EMPLOYEE, "ask_it", ask_it.value, surface)
    assert "ai-governance@northwind.example" in told.text
    stranger = await conversation.on_action(ADMIN, "ask_it", ask_it.value, surface)
    assert "Only the person who asked" in stranger.title


class Desk:
    """An IT destination that records what it was given (the adapter's port)."""

    def __init__(self, fail: int = 0) -> None:
        self.posted: list[Handoff] = []
        self.fail = fail

    async def post(self, handoff: Handoff) -> ThreadRef:
        if self.fail:
            self.fail -= 1
            raise ConnectionError("IT channel unreachable")
        self.posted.append(handoff)
        return ThreadRef("CIT", f"17000000.{len(self.posted)}")


async def test_ask_it_posts_the_redacted_question_once(
        services: Services, surface: Surface) -> None:
    desk = Desk(fail=1)
    services.desks["slack"] = desk
    conversation = Conversation(services)
    reply = await conversation.on_text(
        EMPLOYEE, "Can I paste jane.doe@example.com into ChatGPT?", surface)
    button = next(a for a in reply.actions if a.id == "ask_it")
    failed = await conversation.on_action(EMPLOYEE, "ask_it", button.value, surface)
    assert failed.kind == "error"
    assert not desk.posted
    passed = await conversation.on_action(EMPLOYEE, "ask_it", button.value, surface)
    assert passed.title == "Passed on to IT"  # the failed post was retried
    assert len(desk.posted) == 1
    assert "jane.doe@example.com" not in desk.posted[0].question
    again = await conversation.on_action(EMPLOYEE, "ask_it", button.value, surface)
    assert again.title == "Already with IT"
    assert len(desk.posted) == 1
    found = await services.handoffs.by_thread("slack", ThreadRef("CIT", "17000000.1"))
    assert found is not None
    assert found.asker_id == EMPLOYEE.id
    teams = await conversation.on_action(EMPLOYEE, "ask_it", button.value, TEAMS)
    assert "ai-governance@northwind.example" in teams.text  # no desk for Teams here


async def test_typed_ask_it_answers_then_passes_on(services: Services,
                                                  surface: Surface) -> None:
    desk = Desk()
    services.desks["slack"] = desk
    conversation = Conversation(services)
    reply = await conversation.on_text(EMPLOYEE, "ask it can I use Otter for interviews?",
                                       surface)
    assert reply.title == "Passed on to IT"
    assert desk.posted[0].question == "can I use Otter for interviews?"
    usage = await conversation.on_text(EMPLOYEE, "ask it", surface)
    assert usage.kind == "usage"


async def test_covered_request_notice_is_given_once(
        conversation: Conversation, surface: Surface) -> None:
    await conversation.on_text(EMPLOYEE, UNMET, surface)
    assert await conversation.notices(EMPLOYEE) == []


async def test_home_has_an_admin_panel_only_for_admins(
        conversation: Conversation, surface: Surface) -> None:
    mine = await conversation.home(EMPLOYEE, surface)
    assert mine.kind == "home"
    assert "For policy admins" not in all_text(mine)
    theirs = await conversation.home(ADMIN, surface)
    assert "Open candidate use cases: 0" in all_text(theirs)


def _rating(reply: Reply, helpful: str = "true") -> dict[str, str]:
    return dict(next(a.value for a in reply.actions
                     if a.id == "feedback" and a.value["helpful"] == helpful))


async def test_a_rating_replaces_the_answer_with_itself_without_rating_buttons(
        conversation: Conversation, surface: Surface) -> None:
    answer = await conversation.on_text(EMPLOYEE, "What can I use to summarize a PDF?", surface)
    rated = await conversation.on_action(EMPLOYEE, "feedback", _rating(answer), surface)
    assert rated.replace
    assert (rated.title, rated.sections, rated.more) == (answer.title, answer.sections,
                                                         answer.more)
    assert [a.label for a in rated.actions] == [a.label for a in answer.actions
                                                if a.id != "feedback"] == ["Ask IT"]
    assert rated.footer.startswith("Thanks for the feedback — noted.")
    assert answer.footer in rated.footer  # the policy version stays
    assert rated.text.startswith(answer.text)


async def test_a_rated_unmet_answer_keeps_i_need_this_too(
        conversation: Conversation, surface: Surface) -> None:
    answer = await conversation.on_text(EMPLOYEE, UNMET, surface)
    vote = next(a for a in answer.actions if a.id == "vote")
    rated = await conversation.on_action(EMPLOYEE, "feedback", _rating(answer, "false"),
                                         surface)
    assert rated.replace
    assert [(a.id, dict(a.value)) for a in rated.actions if a.id == "vote"] == [
        ("vote", dict(vote.value))]
    assert not [a for a in rated.actions if a.id == "feedback"]
    assert "passed your question to IT" in rated.footer


async def test_a_rating_after_a_policy_change_shows_only_the_headline_it_had(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    answer = await conversation.on_text(EMPLOYEE, "What can I use to summarize a PDF?", surface)
    changed = await conversation.on_text(ADMIN, "admin status deepseek under_review", surface)
    assert changed.kind == "saved", changed.text
    await services.concierge.index(force=True)
    rated = await conversation.on_action(EMPLOYEE, "feedback", _rating(answer), surface)
    assert rated.replace
    assert rated.title == answer.title
    assert CHANGED in rated.text
    assert [a.id for a in rated.actions] == ["ask_it"]
