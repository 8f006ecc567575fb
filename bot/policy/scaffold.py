"""`policies new`: a small, commented, valid starter policy with tests, to edit rather than
write from a blank page. Every file carries the schema line for editor autocompletion."""

from __future__ import annotations

import json

__all__ = ["starter_files"]

_HEAD = "# yaml-language-server: $schema=./policy.schema.json\n"

_META = _HEAD + """#
# Who this policy belongs to and whom employees should ask when the bot can't help.
meta:
  organization: __ORG__
  # A channel or address people can reach. Quote it: an unquoted #channel is a YAML comment.
  contact: "#ask-it or it-help@example.com"
  # Extra chat user ids (Slack ids, Teams AAD object ids or emails) allowed to edit
  # the policy from chat, on top of the ADMINS setting.
  admins: []
"""

_DATA_CLASSES = _HEAD + """#
# Your data classification, LEAST sensitive first. A tool's max_data_class allows that
# class and every class above it. Ids may be written as you use them (P1, GREEN, C3);
# references are compared ignoring case.
# `examples` are the words employees use for such data ("customer emails").
data_classes:
  - id: public
    label: Public
    description: Already published, or fine for anyone outside the company to see.
    examples:
      - press releases
      - our website
  - id: internal
    label: Internal
    description: Everyday information for staff that is not meant for outsiders.
    examples:
      - meeting notes
      - internal emails
      - project plans
  - id: confidential
    label: Confidential
    description: Would hurt us, our customers or our people if it leaked.
    examples:
      - customer emails
      - contracts
      - source code
      - personal data
  - id: restricted
    label: Restricted
    description: The most sensitive information; never goes into any AI tool.
    examples:
      - passwords and API keys
      - salary data
      - health information
"""

_USE_CASES = _HEAD + """#
# The jobs people want done. `examples` are matched against what people ask: paste real
# phrasings from your service desk (typos included). Three or more per use case work
# best; the name and description count as two more.
use_cases:
  - id: summarize-documents
    name: Summarize documents
    description: Turn long documents, reports or threads into a short summary.
    examples:
      - summarize a 40 page pdf
      - give me the key points of this report
      - tl;dr of a long email thread
  - id: draft-emails
    name: Draft emails
    description: Write or improve emails and messages.
    examples:
      - help me write an email to a supplier
      - draft a reply to this message
      - make my email sound more professional
  - id: translate-text
    name: Translate text
    description: Translate documents or messages into another language.
    examples:
      - translate this letter into German
      - what does this French email say
      - translate a document to Spanish
"""

_TOOLS = _HEAD + """#
# Every AI tool people ask about, whatever its status:
#   standard (everyone has it), approved, pilot, under_review, prohibited.
# max_data_class: the most sensitive data class allowed (see data_classes.yaml).
# Keep notes of your own under keys starting with `x-` (x-ticket: IT-123) or `extra:`;
# any other unknown key is reported as a likely typo.
tools:
  - id: company-assistant
    name: Company AI Assistant
    aliases:
      - assistant
    status: standard
    summary: Our approved AI assistant; prompts and files stay in our tenant.
    good_for:
      - summarize-documents
      - draft-emails
      - translate-text
    max_data_class: confidential
    access:
      text: Already available to every employee; sign in with your work account.
    owner: IT
  - id: personal-chatgpt
    name: ChatGPT (personal accounts)
    aliases:
      - ChatGPT
    status: prohibited
    summary: Personal accounts may use what we paste to train their models.
    max_data_class: null
    alternatives:
      - company-assistant
    x-review-ticket: SEC-1
"""

_RED_LINES = _HEAD + """#
# Rules that are never crossed. A red line is shown with its `why` whenever a question
# contains one of its `triggers`. `applies_to` limits it to some tool ids or statuses.
red_lines:
  - id: no-secrets
    title: No passwords or keys
    rule: Never paste passwords, API keys or other credentials into any AI tool.
    why: Anyone who reads the tool's logs could use them to get into our systems.
    triggers:
      - password
      - api key
      - credentials
"""

_TESTS = """# Policy tests: run with `python app.py policies test DIR`; `policies import` runs them
# first and refuses a policy whose tests fail (unless --force).
# Each test is a question and what must hold: outcome (answered, tool_status, data_check,
# unmet, help; or a list of acceptable ones), first (any of these tool ids first),
# tools / not_tools (must / must not be named), refused (tools the answer says no for),
# red_lines / not_red_lines, use_case.
tests:
  - ask: can you summarize a 40 page pdf for me
    outcome: answered
    first: company-assistant
  - ask: is ChatGPT allowed?
    outcome: tool_status
    refused: personal-chatgpt
    tools: company-assistant
  - ask: can I paste my password into the assistant?
    red_lines: no-secrets
"""


def starter_files(organization: str = "Your organization") -> dict[str, str]:
    """{file name: text} of the starter policy."""
    org = json.dumps(organization.strip() or "Your organization", ensure_ascii=False)
    return {
        "meta.yaml": _META.replace("__ORG__", org),
        "data_classes.yaml": _DATA_CLASSES,
        "use_cases.yaml": _USE_CASES,
        "tools.yaml": _TOOLS,
        "red_lines.yaml": _RED_LINES,
        "tests.yaml": _TESTS,
    }
