"""What a reader yields: a record, a skip with its reason, or a failure with its location.

Readers are plain Python generators over one input (a byte stream, a tree of files). They know
nothing of Beam, so they can be tested and benchmarked alone; `pipeline.sources` wraps them.
Every unit a reader meets (a WARC record, a wiki page, a file of a repository) comes out as
exactly one event, so the funnel can account for each of them: kept, dropped with a reason,
or errored with a location.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import BinaryIO, Iterable, Iterator, Union


@dataclass(frozen=True)
class Record:
    """One raw document found by a reader, before normalization.

    `locator` is unique within its input kind and stable across runs (a WARC-Record-ID, a wiki
    page id, a path inside a repository), never a stream position: the document id is derived
    from it. `fields` carries locator facts worth keeping (url, date, title, path, ...), all
    strings.
    """

    text: str
    locator: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Skip:
    """A unit the reader met and deliberately left out, with a short snake_case reason."""

    reason: str
    location: str


@dataclass(frozen=True)
class Failure:
    """A unit the reader could not read: where (file and offset/line/member) and why."""

    location: str
    error: str


class Pending:
    """A unit read cheaply whose expensive conversion may run later, on another worker.

    A reader yields one when turning the raw unit into a record costs far more than finding it
    (a wiki page: lxml finds it in microseconds, mwparserfromhell renders it in milliseconds).
    One big input file then no longer binds its whole cost to the worker that reads it: the
    pipeline spreads pending units over workers and calls `resolve` there. Subclasses are
    plain picklable values; `resolve` returns the event the reader would have yielded.
    """

    location: str

    def resolve(self) -> "Event":
        raise NotImplementedError


def encode_pending(source: str, pending: Pending) -> bytes:
    """(source name, pending unit) as UTF-8 JSON, for the spill files that spread pending units
    over workers (never pickle; a lone surrogate passes). Decoded by `decode_pending`."""
    data = {"source": source, "kind": type(pending).__name__, "fields": asdict(pending)}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def decode_pending(blob: bytes) -> tuple[str, Pending]:
    """The (source name, pending unit) `encode_pending` wrote; lists come back as tuples."""
    data = json.loads(blob.decode("utf-8", "surrogatepass"))
    kinds = {cls.__name__: cls for cls in Pending.__subclasses__()}
    return data["source"], kinds[data["kind"]](**{k: _tuples(v) for k, v in data["fields"].items()})


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


Event = Union[Record, Skip, Failure]
Events = Iterator[Event]


def resolved(events: Iterable[Union[Event, Pending]]) -> Iterator[Event]:
    """The events with every pending unit resolved in place, for callers that read serially."""
    for event in events:
        yield event.resolve() if isinstance(event, Pending) else event


def describe_error(exc: BaseException) -> str:
    """One line naming the exception type and message, for error reports in the manifest."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


SCAN_CHUNK = 1 << 20


def pattern_offsets(stream: BinaryIO, position: int, pattern: re.Pattern[bytes], overlap: int,
                    limit: int | None = None) -> Iterator[int]:
    """Offsets at or after `position` where `pattern` matches, scanning the stream in chunks.

    How readers find a place to resume or start in a compressed file (a gzip member, a bz2
    stream). `overlap` bytes of each chunk are kept for the next, so a match (with any
    lookbehind) across a chunk boundary is found once: the longest match and lookbehind less
    one. The caller may move the stream between offsets (to check a candidate); scanning goes
    on where it was. `limit`: stop after scanning that many bytes.
    """
    carry, base = b"", position
    while limit is None or base - position < limit:
        stream.seek(base)
        chunk = stream.read(SCAN_CHUNK)
        if not chunk:
            return
        window = carry + chunk
        for match in pattern.finditer(window):
            yield base - len(carry) + match.start()
        carry = window[-overlap:] if overlap else b""
        base += len(chunk)
