"""The platform-neutral core: matching, answering, redaction, insights.

It never imports Slack or Teams code (enforced by import-linter).
"""
