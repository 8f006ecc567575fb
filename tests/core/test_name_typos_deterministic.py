"""A typo that is as close to two names must meet the same one in every process.

The typo candidates were once kept in a set, whose order follows the interpreter's hash
seed: the same message met one tool before a restart and another after it (found on a
held-out policy when two runs of the same code disagreed). Each run here is a fresh
interpreter with its own PYTHONHASHSEED, as a restarted bot would be.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]

SNIPPET = """
from bot.core.names import NameIndex
index = NameIndex([("first-listed", ["kworva chat"]), ("second-listed", ["kworvo chat"])])
print(",".join(hit.key for hit in index.find(["kworvi", "chat"])))
"""


def _found_with_seed(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run([sys.executable, "-c", SNIPPET], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_tie_between_two_names_is_broken_by_the_policy_order_in_every_process() -> None:
    found = {seed: _found_with_seed(seed) for seed in range(8)}
    assert set(found.values()) == {"first-listed"}, found
