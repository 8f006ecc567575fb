"""What-if replay: what a policy change would do to the questions people actually asked.

`WhatIf` (service.py) loads the logged asks and runs the replay; `replay.py` answers
each distinct question against both policies through the real answer path;
`report.py` counts the differences; `wording.py` says them in plain English.
"""

from bot.core.whatif.replay import PrimedMatcher, Verdict, replay_indexes, replay_questions
from bot.core.whatif.report import CandidateInfo, Group, Impact, WhatIfReport, build_report
from bot.core.whatif.service import MAX_DAYS, ReplayJob, WhatIf, with_item
from bot.core.whatif.wording import (
    CoverOffer,
    ImpactSummary,
    impact_sentences,
    impact_summary,
    progress_text,
    report_lines,
)

__all__ = [
    "MAX_DAYS",
    "CandidateInfo",
    "CoverOffer",
    "Group",
    "Impact",
    "ImpactSummary",
    "PrimedMatcher",
    "ReplayJob",
    "Verdict",
    "WhatIf",
    "WhatIfReport",
    "build_report",
    "impact_sentences",
    "impact_summary",
    "progress_text",
    "replay_indexes",
    "replay_questions",
    "report_lines",
    "with_item",
]
