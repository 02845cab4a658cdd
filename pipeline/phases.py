"""Wall time per phase of a job (reading the LM reference, training it, the document pipeline,
the tokenizer, the token pipeline), printed as each ends and kept for the manifest's `run`.

A job is several Beam pipelines and driver steps one after the other; knowing which one the
time went to is the first question when a run is slow or does not speed up with more workers.
"""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator


class Phases:
    """Named wall-clock phases, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            took = time.monotonic() - started
            self.seconds[name] = round(self.seconds.get(name, 0.0) + took, 3)
            print(f"quarry: {name} took {took:,.1f} s", file=sys.stderr, flush=True)
