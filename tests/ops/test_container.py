"""The image and the Compose file, checked as an operator's review would (no Docker engine here).

`scripts/test` also lints the Dockerfile with hadolint, and `.ci/run` builds the image
where a Docker engine runs; these checks hold the security and reproducibility promises
of docs/deployment.md on every machine.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from bot.settings import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = {name: s for name, s in COMPOSE["services"].items()
                if s.get("image", "").startswith("ai-tool-concierge")}


def _instructions() -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
            for line in (raw.strip() for raw in joined.splitlines())
            if line and not line.startswith("#")]


def test_every_base_image_is_pinned_by_digest() -> None:
    bases = [arg.split()[0] for op, arg in _instructions() if op == "FROM"]
    assert len(bases) == 2
    for base in bases:
        assert re.fullmatch(r"python:3\.11[\w.-]*-slim-bookworm@sha256:[0-9a-f]{64}", base), base


def test_dependencies_come_from_the_hashed_lock_before_the_source() -> None:
    steps = _instructions()
    install = next(i for i, (op, arg) in enumerate(steps)
                   if op == "RUN" and "--require-hashes -r /tmp/lock.txt" in arg)
    assert ("COPY", "requirements/lock.txt /tmp/lock.txt") in steps[:install]
    source = [i for i, (op, arg) in enumerate(steps) if op == "COPY" and arg.split()[0] in
              {"bot", "app.py", "migrations", "policies"}]
    assert source
    assert min(source) > install  # a code change never reinstalls dependencies
    assert not any(op == "RUN" and re.search(r"pip install (?!.*--require-hashes)", arg)
                   for op, arg in steps), "an unpinned pip install"
    lock = (ROOT / "requirements/lock.txt").read_text()
    assert "--hash=sha256:" in lock
    assert not re.search(r"^(torch|nvidia-)", lock, re.M)


def test_runtime_is_non_root_with_a_writable_cache_and_a_data_volume() -> None:
    steps = _instructions()
    env = " ".join(arg for op, arg in steps if op == "ENV")
    assert "MPLCONFIGDIR=/tmp/matplotlib" in env
    assert ("USER", "10001:10001") in steps
    assert ("VOLUME", '["/app/data"]') in steps


def test_every_concierge_container_is_hardened_and_limited() -> None:
    assert set(APP_SERVICES) == {"app", "digest"}
    for name, service in APP_SERVICES.items():
        assert service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert service["read_only"] is True, name
        assert "/tmp" in service["tmpfs"], name
        limits = service["deploy"]["resources"]["limits"]
        assert float(limits["cpus"]) > 0, name
        assert limits["memory"], name
        assert service["pids_limit"] > 0, name
        assert service["environment"]["MPLCONFIGDIR"] == "/tmp/matplotlib", name
        assert "concierge-data:/app/data" in service["volumes"], name
    assert "concierge-data" in COMPOSE["volumes"]


def test_exactly_one_service_runs_the_digest() -> None:
    def runs_digest(service: dict[str, Any]) -> bool:
        command = " ".join(service.get("command") or ["python", "app.py", "serve"])
        if "digest run" in command:
            return True  # the schedule in the foreground
        # `serve` runs the schedule too unless told not to.
        return "serve" in command and \
            str(service["environment"].get("DIGEST_ENABLED", "true")).lower() != "false"

    assert [name for name, s in APP_SERVICES.items() if runs_digest(s)] == ["digest"]
