"""`serve` as two processes: a thin front that acks, an answering process that answers.

The front (`app`) checks each request as the single-process server would (Slack's
signature and payload shape, Teams' token, tenant and activity) and hands it over
(`bot.transport.handoff`); the answering process (`answering`), started and restarted
by `process` at a lower CPU priority, runs the same Bolt and Bot Framework handlers
and everything after them. An ack then never waits behind an answer.
"""
