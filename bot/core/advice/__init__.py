"""How `bot.core.advisor` answers one message, by kind of answer.

`index` builds the per-version `PolicyIndex`; `lookups` holds what every answer looks up
(the best use case of a text, memoised per message); `use_case`, `tool_status` and
`data_check` build those answers; `blocking` (triggers) and `blocked_by_meaning` (the
learned decision) decide when a red line blocks the request, `blocked_answer` builds the
blocked answer. `bot.core.advisor` reads the message and picks one.
"""
