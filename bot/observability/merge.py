"""One /metrics for a server that runs as two processes (the acking front, the answerer).

Each process counts in its own registry: the front its HTTP requests, the answering
process its answers. Scraped together, series present in both are added up (requests,
errors, memory, tasks: the server's totals), so one scrape still describes the server.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

__all__ = ["merge_expositions"]

#: Series that are moments, not amounts: the earliest is kept, never a sum.
_EARLIEST = ("_created", "process_start_time_seconds")


class _Fixed:
    """A collector that yields families already built."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self.families = list(families)

    def collect(self) -> Iterable[Metric]:
        return self.families


def merge_expositions(*texts: bytes) -> bytes:
    """Text expositions merged family by family; a series in several of them is summed."""
    families: dict[str, Metric] = {}
    for text in texts:
        for family in text_string_to_metric_families(text.decode("utf-8")):
            known = families.setdefault(family.name, family)
            if known is family:
                continue
            where = {(s.name, tuple(sorted(s.labels.items()))): i
                     for i, s in enumerate(known.samples)}
            for sample in family.samples:
                i = where.get((sample.name, tuple(sorted(sample.labels.items()))))
                if i is None:
                    known.samples.append(sample)
                    continue
                old = known.samples[i]
                value = min(old.value, sample.value) if sample.name.endswith(_EARLIEST) \
                    else old.value + sample.value
                known.samples[i] = old._replace(value=value)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Fixed(families.values()))
    return generate_latest(registry)
