"""A named tool told to do the work: the learned block decision's bar for such a request.

"use Secure GPT to find which elderly customers are least likely to notice a premium
increase", "copy the fraud investigation case file into copilot and draft the referral":
the message names a tool of the policy and asks, in the imperative, for the work to be
done (`asks_for_it`). Such a message is a request, never a question about the tool or
about the data, so the chance the learned decision gives a red line (`block_decision`)
need only make the line the likelier reading, not clear the cut-off set for every message:
that cut-off also guards the questions about a tool ("my ChatGPT Plus account on my
personal phone, ok for work stuff?", "is it ok to paste the claims file into Secure
GPT?"), where a line's words are usual and the answer is the tool's status or a data check.
A question ("can I ...", "is it ok to ...") keeps the shipped cut-off.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.data_request import asks_for_it
from bot.core.reading import Ask, Reading
from bot.policy.models import Tool

__all__ = ["REQUEST_CUTOFF", "block_cutoff"]

#: A line that more likely than not forbids what a named tool is told to do refuses it.
#: On the 27 dev sets the shipped cut-off (0.8) left 7 such requests answered about the
#: tool or its data whose likeliest line lay between 0.5 and 0.8, and no request of this
#: shape that is rightly answered otherwise; questions about a tool in that band are
#: mostly allowed, which is why they keep the higher cut-off.
REQUEST_CUTOFF = 0.5


def block_cutoff(shipped: float, text: str, reading: Reading, named: Sequence[Tool]) -> float:
    """The chance at which a red line forbids this request: `REQUEST_CUTOFF` for a tool
    the policy names told to do the work (a status or data question in form only), else the
    shipped cut-off. Never above the shipped one."""
    if not named or reading.ask not in (Ask.TOOL_STATUS, Ask.DATA_CHECK):
        return shipped
    return min(shipped, REQUEST_CUTOFF) if asks_for_it(text) else shipped
