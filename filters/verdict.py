"""What a judge says about one document: the numbers it computed, and why it drops it (if it does).

Every judge (language id, perplexity, Gopher, C4, FineWeb, code rules) returns a `Verdict`, so
the pipeline can record signals and count drops per rule without knowing any judge's details.
Signal names are `<judge>.<signal>` (e.g. `gopher_quality.word_count`), drop reasons are
`<judge>.<rule>` (e.g. `gopher_quality.min_words`): unique across judges, readable in the funnel.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence, TypeVar


@dataclass(frozen=True)
class Verdict:
    signals: dict[str, float] = field(default_factory=dict)
    reason: str | None = None  # None keeps the document

    @property
    def keep(self) -> bool:
        return self.reason is None


class Judge(Protocol):
    """A Beam-free document judge. `judge_batch` exists so model-backed judges can batch."""

    name: str

    def judge(self, text: str) -> Verdict: ...

    def judge_batch(self, texts: Sequence[str]) -> list[Verdict]: ...


C = TypeVar("C")


def config_from(config_type: Callable[..., C], config: C | None, overrides: dict[str, Any]) -> C:
    """A judge's thresholds: the config given, or the defaults with keyword overrides (not both)."""
    if config is not None and overrides:
        raise TypeError("pass either a config or keyword overrides, not both")
    return config if config is not None else config_type(**overrides)
