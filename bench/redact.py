"""Cost of redaction per message, by detector, against the pre-issue-12 detector set.

Every question is redacted before it is understood, stored or echoed, so the redactor
sits on the answer path. This measures, in one run on one machine:

- baseline: the detectors the redactor had before issue 12 (secrets, emails, IBANs,
  cards, IPs, phones), as they run today;
- full: every detector, adding national ids, password phrases, entropy near key words
  and personal names;

on chat-sized questions (the sample policy's regression questions plus real-shaped
sensitive samples) and on 4 kB pastes, and the one-off costs: importing the redactor and
loading the shipped first-name lists on the first call.

    python bench/redact.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.core import redact as redaction  # noqa: E402
from bot.core.pii.names import name_spans  # noqa: E402
from bot.core.pii.national_ids import national_id_spans  # noqa: E402
from bot.core.pii.numbers import (  # noqa: E402
    card_spans,
    email_spans,
    iban_spans,
    ip_spans,
    phone_spans,
)
from bot.core.pii.secrets import secret_spans  # noqa: E402

Span = tuple[int, int]
SENSITIVE = [
    "my SSN is 078-05-1120, can I paste it into ChatGPT?",
    "aws secret access key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY in Copilot?",
    "card 4111.1111.1111.1111 declined, call me on +44 7700 900461",
    "my password is Sunflower77 and my colleague Siobhan needs it",
    "Jennifer Okafor asked me to summarise her contract, BSN 111222333",
]


def _questions() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "sample_questions.yaml").read_text())
    return [q["question"] for q in data] + SENSITIVE


def _pastes(questions: list[str]) -> list[str]:
    text = " ".join(questions) * 4
    return [text[i:i + 4000] for i in range(0, len(text) - 4000, 1000)][:20]


def _runner(detectors: list[Callable[[str], Iterator[Span]]]) -> Callable[[str], int]:
    def run(text: str) -> int:
        return sum(1 for detect in detectors for _ in detect(text))

    return run


def _timed(run: Callable[[str], int], texts: list[str], rounds: int) -> list[float]:
    samples: list[float] = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            run(text)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


def _cold_ms() -> tuple[float, float, float]:
    """Median over 5 fresh processes: import phonenumbers (the old redactor's only heavy
    dependency), import the redactor, first call (which loads the first-name lists)."""
    code = ("import time; t0=time.perf_counter(); import phonenumbers; t1=time.perf_counter(); "
            "import bot.core.redact as r; t2=time.perf_counter(); r.redact('my colleague X'); "
            "t3=time.perf_counter(); print((t1-t0)*1000, (t2-t1)*1000, (t3-t2)*1000)")
    runs = [tuple(map(float, subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        check=True).stdout.split())) for _ in range(5)]
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))  # type: ignore[return-value]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    questions = _questions()
    pastes = _pastes(questions)
    region = redaction.DEFAULT_REGION
    baseline = _runner([secret_spans, email_spans, iban_spans, card_spans, ip_spans,
                        lambda t: phone_spans(t, region)])
    full = _runner([secret_spans, email_spans, iban_spans, national_id_spans, card_spans,
                    ip_spans, lambda t: phone_spans(t, region), lambda t: name_spans(t)])
    full("warm up the name lists")
    print(f"# redact benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{len(questions)} questions, {len(pastes)} pastes of 4,000 chars, "
          f"{args.rounds} rounds\n")
    print("| input | baseline p50 / p99 ms | full p50 / p99 ms | ratio p50 |")
    print("|---|---|---|---|")
    for label, texts in (("question", questions), ("4 kB paste", pastes)):
        base = _stats(_timed(baseline, texts, args.rounds))
        new = _stats(_timed(full, texts, args.rounds))
        print(f"| {label} | {base[0]:.3f} / {base[1]:.3f} | {new[0]:.3f} / {new[1]:.3f} | "
              f"{new[0] / base[0]:.2f}x |")
    phones, rest, first = _cold_ms()
    print(f"\ncold start, median of 5 processes: import phonenumbers {phones:.0f} ms, then the "
          f"rest of the redactor {rest:.0f} ms, first call (loads the name lists) {first:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
