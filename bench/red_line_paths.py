"""Which red lines an answer shows, and by which path: precision of shown red lines.

    .venv/bin/python bench/red_line_paths.py POLICY QUESTIONS.jsonl [--matcher NAME]
        [--misses]

Answers every labelled question in process, as `bench/policy_eval.py` does through the
CLI (redaction, then `advise_message` on the default matcher), and counts red-line
recall, red lines shown that a question says must not be (`not_red_lines`) and questions
that expect no red line but show one ("unasked"). Each shown line that no label asks for
is put down to the paths that would show it, so noise can be traced to its cause:

- trigger: the message's own words trigger it (`Reading.red_lines`);
- use case: its triggers are in the matched use case's texts;
- tool: written for (`applies_to`) or naming the answer's first or asked tool;
- unlisted: the policy's rule for unlisted or personal tools;
- class: it names the data class of a data check;
- blocked: the answer is `blocked` on it.

`--misses` prints each question behind the figures: for dev sets only (test sets'
questions and answers are not to be read).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from policy_score import Question, parse_questions  # noqa: E402

from bot.core.advice.index import matcher_embedding, matcher_languages  # noqa: E402
from bot.core.advisor import PolicyIndex, advise_message, build_index  # noqa: E402
from bot.core.answer_pool import redact_for  # noqa: E402
from bot.core.redact import DEFAULT_REGION  # noqa: E402
from bot.core.replies import Answer  # noqa: E402
from bot.core.understand import read_message  # noqa: E402
from bot.policy.files import load_policy  # noqa: E402
from bot.runtime import matcher_factory  # noqa: E402
from bot.settings import load_settings  # noqa: E402


def paths(index: PolicyIndex, text: str, answer: Answer) -> dict[str, set[str]]:
    """The red-line ids each path would show with this answer."""
    policy = index.policy
    reading = read_message(text, index.lexicon, languages=matcher_languages(index.matcher),
                           embedding=matcher_embedding(index.matcher))
    ids = [t.id for t in answer.tools[:1]]
    if answer.asked_tool is not None and answer.asked_tool.id:
        ids = [answer.asked_tool.id]
    tools = [t for t in map(policy.tool, ids) if t is not None]
    return {
        "trigger": set(reading.red_lines),
        "use case": set(index.lexicon.use_case_red_lines(answer.use_case.id))
        if answer.use_case else set(),
        "tool": set(index.scope.for_tools(tools)),
        "unlisted": set(index.scope.unlisted),
        "class": set(index.scope.for_data(policy, reading.data_class))
        if answer.data_check is not None and reading.data_class else set(),
        "blocked": {answer.red_lines[0].id}
        if answer.outcome == "blocked" and answer.red_lines else set(),
    }


def measure(index: PolicyIndex, questions: list[Question], *, misses: bool = False
            ) -> dict[str, object]:
    """Recall, must-not and unasked counts, and unasked lines by their paths."""
    counts = Counter[str]()
    by_path = Counter[str]()
    for question in questions:
        text = redact_for(index, question.q, DEFAULT_REGION)
        answer = advise_message(index, text)
        shown = [r.id for r in answer.red_lines]
        counts["expected"] += len(question.red_lines)
        counts["recalled"] += sum(r in shown for r in question.red_lines)
        false = [r for r in question.not_red_lines if r in shown]
        counts["must_not"] += len(question.not_red_lines)
        counts["false"] += len(false)
        counts["unlabelled"] += not question.red_lines
        counts["unasked"] += bool(shown) and not question.red_lines
        extra = [r for r in shown if r not in question.red_lines]
        if not extra:
            continue
        found = paths(index, text, answer)
        for line in extra:
            by_path[" + ".join(k for k, v in found.items() if line in v) or "other"] += 1
        if misses:
            print(f"{answer.outcome}: {question.q!r}\n   shown {shown}, expected "
                  f"{list(question.red_lines)}, must not {list(question.not_red_lines)}")
    return {**counts, "unasked_lines_by_path": dict(by_path.most_common())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("policy", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--matcher", help="MATCHER setting (default: the product's)")
    parser.add_argument("--misses", action="store_true", help="print each question (dev only)")
    args = parser.parse_args(argv)
    settings = load_settings(**({"matcher": args.matcher} if args.matcher else {}))
    index = build_index(1, load_policy(args.policy), matcher_factory(settings),
                        settings.match_threshold)
    questions = parse_questions(args.questions.read_text(encoding="utf-8").splitlines())
    report = measure(index, questions, misses=args.misses)
    for key, value in report.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
