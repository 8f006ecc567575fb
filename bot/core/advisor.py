"""Decide the answer to one message against one policy version. Pure and synchronous.

The concierge (async, logging) calls `advise_message`; tests and the benchmark
can call it directly with a `PolicyIndex` and no database. This module reads the message
and picks the kind of answer; `bot.core.advice` builds each kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bot.core import compose, meta_answers
from bot.core.advice.blocked_answer import answer_blocked
from bot.core.advice.blocked_by_meaning import Weighing
from bot.core.advice.blocked_tool_lines import with_tool_lines
from bot.core.advice.blocking import blocking, names_kept_out_data
from bot.core.advice.data_check import answer_data_check, with_blocked_verdict
from bot.core.advice.data_refusals import (
    data_question,
    refused_handover,
    refused_paste,
    refused_request,
    still_refusing,
)
from bot.core.advice.described_data import with_described_data
from bot.core.advice.foreign_lines import foreign_red_lines
from bot.core.advice.index import (
    PolicyIndex,
    build_index,
    matcher_embedding,
    matcher_languages,
    policy_intents,
)
from bot.core.advice.lookups import ranking_memo
from bot.core.advice.tool_names import names_a_tool
from bot.core.advice.tool_status import alternatives_query, answer_tool_status
from bot.core.advice.use_case import CLOSE_FACTOR, answer_use_case, job_after_all
from bot.core.matching.base import MatcherBackend
from bot.core.matching.embedder import in_message_scope, message_scope
from bot.core.matching.message_scope import expect_texts
from bot.core.pasted import describe_placeholders, without_placeholders
from bot.core.put_verbs import plain_put_verbs
from bot.core.reading import Ask
from bot.core.replies import Answer
from bot.core.smalltalk import Embed
from bot.core.understand import read_message

__all__ = ["CLOSE_FACTOR", "PolicyIndex", "advise_message", "build_index", "policy_intents"]


def advise_message(index: PolicyIndex, text: str) -> Answer:
    """The neutral answer to a clean, length-checked message, ideally already redacted.

    Redacted placeholders are understood: "[CARD]" is card data for data checks and
    red lines, and is ignored when matching the job to a use case. Colloquial verbs of
    putting data in ("stick the plan into DeepSeek") are read as "put".
    """
    text = plain_put_verbs(text)
    with ranking_memo():
        own = not in_message_scope()  # inside a replay's scope, the replay keeps them
        with message_scope() as embedded:
            answer = _advise(index, text, live=own)
    # "have Gemini read the client's letter": a refusal shows the tool's lines too
    answer = with_tool_lines(index, text, answer)
    # "send it to the buyer without reading it", "let the bot choose who gets sponsored":
    # the policy's line for that situation goes with the answer, whatever the answer is.
    answer = index.scope.situations.added_to(
        index.policy, text, answer, lambda word: names_a_tool(index, word))
    if own and embedded:
        return replace(answer, vectors=tuple(
            (model_id, embedded_text, vector.astype("<f4", copy=False).tobytes())
            for (model_id, embedded_text), vector in embedded.items()))
    return answer


def _advise(index: PolicyIndex, text: str, *, live: bool) -> Answer:
    # A matcher whose model reads other languages says so (`languages`, ISO codes);
    # messages in those are answered like English ones.
    languages = matcher_languages(index.matcher)
    # A what-if replay (not `live`) ranks its questions' jobs in batches beforehand.
    embedding = (_with_job_text(index.matcher, text) if live
                 else matcher_embedding(index.matcher))
    reading = read_message(text, index.lexicon, languages=languages, embedding=embedding)
    policy = index.policy
    if reading.ask is Ask.HELP:
        return compose.help_answer(policy)
    if reading.ask is Ask.COMMAND:
        return meta_answers.command_answer(policy)
    if reading.ask is Ask.FOREIGN and reading.language is not None:
        concerned = foreign_red_lines(index, text, reading.language)
        return meta_answers.foreign_answer(policy, reading.language, languages,
                                           compose.red_line_notes(policy, concerned))
    if reading.ask is Ask.SMALL_TALK and reading.small_talk is not None:
        if not job_after_all(index, text, reading.small_talk):
            answer = meta_answers.small_talk_answer(policy, reading.small_talk)
            if reading.red_lines and reading.small_talk.answer == "data_levels":
                # "what does 'proprietary information' mean?": the line that word is in
                answer = replace(answer, red_lines=compose.red_line_notes(policy,
                                                                          reading.red_lines))
            return answer
        data_class = index.lexicon.data_class_of(describe_placeholders(text))
        reading = replace(reading, ask=Ask.USE_CASE, small_talk=None, data_class=data_class)
    if reading.ask is Ask.TOOL_STATUS and names_kept_out_data(index, text, reading):
        # "can i give chatgpt the defendant's home address": a data check, not a status
        reading = replace(reading, ask=Ask.DATA_CHECK)
    # "Gemini for the outline of the onboarding session, ok?": data in its own words
    reading = with_described_data(index, text, reading)
    if reading.ask is Ask.TOOL_STATUS:
        _expect_ranking(index, alternatives_query(index, text, reading))
    # weighed by the learned block decision at most once, for the refusal and the answer
    weighing = Weighing(index, text, reading)
    lines = still_refusing(index, text, reading, blocking(weighing))
    if lines and data_question(index, text, reading, lines):
        # "can I paste the personnel file into Copilot?": whether the data may go in
        return answer_data_check(index, text, reading, refusing=lines)
    if lines:
        return _blocked(weighing, lines)
    if reading.ask is Ask.TOOL_STATUS:
        return answer_tool_status(index, text, reading)
    if reading.ask is Ask.DATA_CHECK:
        answer = answer_data_check(index, text, reading)
        line = refused_request(index, text, reading, answer)
        # "put the booking records into the AI so it can ...": refused for its data
        return _blocked(weighing, [line]) if line else answer
    line = refused_paste(index, text, reading) or refused_handover(index, text, reading)
    if line:
        # "summarize this referral: Liam Chen, age 6, ...": personal data pasted in; "here's
        # our vendor contract, find the traps" where no approved tool may take it
        return _blocked(weighing, [line])
    return answer_use_case(index, text, reading, weighing=weighing)


def _blocked(weighing: Weighing, lines: list[str]) -> Answer:
    answer = answer_blocked(weighing, lines)
    return with_blocked_verdict(weighing.index, weighing.text, weighing.reading, answer)


def _with_job_text(matcher: MatcherBackend, text: str) -> tuple[Embed, str] | None:
    """The matcher's embedder for reading the message, which also embeds the message's job
    text (as `lookups.top` ranks it) in the same model call.

    Small talk's check by meaning embeds the message as typed; when the answer then
    matches the job (most such answers do), the model reads the job text, a different
    text. A model call costs mostly its fixed part (reading the weights, about 5 ms), a
    second short text adds about 0.25 ms a token, and a text's vector is the same alone or
    in a batch (tests/core/test_embedder.py). The answer's memo (`message_scope`) keeps
    the job's vector for the ranking. An answer that ends as small talk pays for the job
    text's tokens only.
    """
    embedding = matcher_embedding(matcher)
    job_texts = getattr(matcher, "job_texts", None)
    if embedding is None or job_texts is None:
        return embedding
    embed, model_id = embedding

    def embed_with_job(texts: Sequence[str]) -> np.ndarray:
        jobs = [job for job in job_texts([without_placeholders(text)]) if job not in texts]
        return embed([*texts, *jobs])[: len(texts)]

    return embed_with_job, model_id


def _expect_ranking(index: PolicyIndex, query: str | None) -> None:
    """Say that the answer will rank `query` (`lookups.top`): its job text then rides along
    with the answer's next model call (`message_scope.expect_texts`). "can I use Cursor
    for coding": the forbidden uses read the message's job, the alternatives for the
    unlisted tool the job without its name; one model call embeds both, not two."""
    embedding = matcher_embedding(index.matcher)
    job_texts = getattr(index.matcher, "job_texts", None)
    if query is None or embedding is None or job_texts is None:
        return
    expect_texts(embedding[1], job_texts([without_placeholders(query)]))
