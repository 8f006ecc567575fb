"""The platform-neutral core: matching, answering, redaction, insights. Never imports Slack or Teams."""
