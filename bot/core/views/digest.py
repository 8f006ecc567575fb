"""The weekly leadership digest as a Reply: the same sections everywhere, a chart with alt text.

Figures and their wording come from `bot.core.insights` (`sections.py` phrases them);
this view only arranges them, so Slack, Teams and the CLI say exactly the same.
"""

from __future__ import annotations

from bot.core.insights.chart import alt_text, chart_title
from bot.core.insights.figures import Digest
from bot.core.insights.sections import headline, sections, text
from bot.core.reply import Image, Reply, Section

__all__ = ["digest_reply"]


def digest_reply(digest: Digest, chart_png: bytes | None = None) -> Reply:
    """The digest; `chart_png` (from `render_chart`) is shown with its alt text when given."""
    body = tuple(Section(title=s.title, text="\n".join(f"• {line}" for line in s.lines))
                 for s in sections(digest))
    image = None
    if chart_png and digest.weeks:
        image = Image(png=chart_png, alt=alt_text(digest.weeks), title=chart_title(digest.weeks))
    return Reply(
        title=headline(digest),
        text=text(digest),
        sections=body,
        image=image,
        footer=(f"Groups smaller than {digest.min_group_size} people are never broken out. "
                "No names of people are kept."),
        private=False,
        kind="digest",
    )
