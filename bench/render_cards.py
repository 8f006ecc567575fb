"""Render real cards with Microsoft's Adaptive Cards renderer in headless Chromium.

What a person sees is measured, not guessed: the answers of the real concierge (the
sample policy, a temp SQLite database) and the help, list, red lines, tool and form
cards are rendered at Teams' message width (450 px) and a phone's (340 px) with
Teams' light host config, screenshotted, and measured: card height and buttons whose
label is cut or pushed past the card's edge. Not part of the test run (it needs
Chromium and the npm package):

    apt-get install chromium fonts-noto-color-emoji
    (cd /tmp/acrender && npm install adaptivecards@3)
    .venv/bin/python bench/render_cards.py \
        --acjs /tmp/acrender/node_modules/adaptivecards/dist/adaptivecards.min.js \
        --out /tmp/cards

Prints a Markdown table (docs/cards.md keeps the latest one) and writes one PNG per
card and width to --out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.concierge import Concierge, Message  # noqa: E402
from bot.core.conversation.surface import TEAMS  # noqa: E402
from bot.core.forms.policy_forms import item_form  # noqa: E402
from bot.core.insights.chart import render_chart  # noqa: E402
from bot.core.insights.digest import build_digest  # noqa: E402
from bot.core.insights.periods import period_of  # noqa: E402
from bot.core.reply import Reply  # noqa: E402
from bot.core.views.answer import answer_reply  # noqa: E402
from bot.core.views.catalogue import catalogue_reply  # noqa: E402
from bot.core.views.digest import digest_reply  # noqa: E402
from bot.core.views.help import help_reply  # noqa: E402
from bot.core.views.home import home_reply  # noqa: E402
from bot.core.views.redlines import red_lines_reply  # noqa: E402
from bot.core.views.tool import tool_reply  # noqa: E402
from bot.render.adaptive import to_card, to_form_card  # noqa: E402
from bot.runtime import matcher_factory  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import Store, upgrade  # noqa: E402
from bot.store.insights import InsightStore  # noqa: E402

HOST_CONFIG = ROOT / "tests" / "fixtures" / "adaptivecards" / "microsoft-teams-light.json"
QUESTIONS = {
    "answer (job)": "what can I use to summarise a long pdf",
    "answer (tool approved)": "is ChatGPT Enterprise approved",
    "answer (tool prohibited)": "is DeepSeek ok to use",
    "data check + red line": "can I paste customer emails into grammarly",
    "blocked by a red line": "can I paste my password into chatgpt enterprise",
    "unmet": "fly a drone over the warehouse",
}
#: A phone screen shows about this much of a card without scrolling (340 px wide).
PHONE_HEIGHT = 640

_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<style>body{margin:0;background:#f5f5f5}#host{width:%(width)dpx;background:#fff;
margin:8px}</style><script src="%(acjs)s"></script></head><body><div id="host"></div>
<pre id="result"></pre><script>
const card = new AdaptiveCards.AdaptiveCard();
card.hostConfig = new AdaptiveCards.HostConfig(%(host)s);
card.parse(%(card)s);
const el = card.render();
document.getElementById("host").appendChild(el);
const cut = [];
const edge = el.getBoundingClientRect();
for (const b of document.querySelectorAll("button")) {
  const label = b.querySelector("div") || b;
  const box = b.getBoundingClientRect();
  const clipped = box.right > edge.right + 0.5 || box.left < edge.left - 0.5;
  if (clipped || label.scrollWidth > label.clientWidth + 1 || b.scrollWidth > b.clientWidth + 1)
    cut.push(b.innerText);
}
document.getElementById("result").textContent = JSON.stringify(
  {height: Math.round(el.getBoundingClientRect().height), cut: cut});
</script></body></html>"""


async def build_replies() -> dict[str, Reply]:
    """The cards to look at, from the real concierge and the sample policy."""
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite+aiosqlite:///{folder / 'cards.db'}"
    store = Store.open(url)
    await upgrade(store.engine)
    settings = Settings(database_url=url, pseudonym_key="cards")
    concierge = Concierge(store, make_matcher=matcher_factory(settings),
                          pseudonym_key=b"cards", refresh_seconds=0.0)
    await concierge.start(ROOT / "policies")
    replies = {name: answer_reply(await concierge.answer(Message(q, "bench", "teams")), TEAMS)
               for name, q in QUESTIONS.items()}
    policy = (await concierge.index()).policy
    replies["help"] = help_reply(policy, TEAMS)
    replies["list"] = catalogue_reply(policy, TEAMS)
    replies["redlines"] = red_lines_reply(policy, TEAMS)
    replies["tool card"] = tool_reply(policy, policy.tools[0], TEAMS)
    replies["welcome (home)"] = home_reply(policy, TEAMS, version=1)
    now = datetime.now(UTC)
    digest = await build_digest(InsightStore(store.sessions), period_of(now), policy=policy,
                                now=now)
    replies["digest (with chart)"] = digest_reply(digest, render_chart(digest.weeks))
    await store.close()
    small = item_form("use_case", policy, 1)
    replies["use case form (inline)"] = Reply(title=small.title, text=small.title, form=small)
    form = item_form("tool", policy, 1, policy.tools[0].id)
    replies["tool form (dialog)"] = Reply(title=form.title, text=form.title, form=form)
    return replies


def _card(name: str, reply: Reply) -> dict[str, Any]:
    return to_form_card(reply.form) if reply.form is not None and "form" in name else to_card(
        reply)


def measure(
    chromium: str, acjs: str, card: dict[str, Any], width: int, png: Path
) -> dict[str, Any]:
    """Height and cut buttons at `width`, and a screenshot of the whole card."""
    page = png.with_suffix(".html")
    page.write_text(_PAGE % {"width": width, "acjs": acjs, "card": json.dumps(card),
                             "host": HOST_CONFIG.read_text(encoding="utf-8")}, encoding="utf-8")
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--virtual-time-budget=2000"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    start = dom.index('<pre id="result">') + len('<pre id="result">')
    result: dict[str, Any] = json.loads(dom[start:dom.index("</pre>", start)])
    size = f"--window-size={width + 16},{result['height'] + 16}"
    subprocess.run([*flags, size, f"--screenshot={png}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--acjs", required=True, help="path to adaptivecards.min.js")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cards"))
    parser.add_argument("--widths", default="450,340")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    acjs = Path(args.acjs).resolve().as_uri()
    widths = [int(w) for w in args.widths.split(",")]
    replies = asyncio.run(build_replies())
    print(f"Rendered {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
          f"({platform.machine()}), adaptivecards JS renderer, Teams light host config.\n")
    print("| card | " + " | ".join(f"height at {w} px" for w in widths) + " | cut buttons |")
    print("|---|" + "---|" * len(widths) + "---|")
    for name, reply in replies.items():
        card = _card(name, reply)
        cells, cut = [], set()
        for width in widths:
            slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
            result = measure(args.chromium, acjs, card, width, args.out / f"{slug}-{width}.png")
            phone = " (over a phone screen)" if width < 400 and result["height"] > \
                PHONE_HEIGHT else ""
            cells.append(f"{result['height']}{phone}")
            cut.update(result["cut"])
        print(f"| {name} | " + " | ".join(cells) + f" | {', '.join(sorted(cut)) or 'none'} |")


if __name__ == "__main__":
    main()
