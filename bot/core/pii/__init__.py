"""Detectors behind `bot.core.redact`: each yields the spans of one kind of finding.

Every detector is pure, synchronous and linear-time (bounded or possessive
repetition only), so a hostile 20,000-character paste cannot stall an answer.
"""
