"""The one record that flows through every stage: a document with its id, text and signals.

The id is a hash of the source name and the reader's locator (a WARC-Record-ID, a page id, a
path in a repository), so it is the same on every run and every runner, whatever order files
are read in. Judges add numbers to `signals`; facts about where the text came from live in
`fields`.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from filters.normalize import normalize_text
from pipeline.readers.base import Record

# Locator fields promoted to their own Parquet columns; the rest go to the `meta` map.
COLUMN_FIELDS = ("url", "title", "path")


def document_id(source: str, locator: str) -> str:
    """A 32-hex-digit id from the source name and a locator unique within it."""
    digest = hashlib.blake2b(f"{source}\x00{locator}".encode("utf-8"), digest_size=16)
    return digest.hexdigest()


@dataclass
class Document:
    id: str
    source: str
    kind: str
    text: str
    fields: dict[str, str] = field(default_factory=dict)
    signals: dict[str, float] = field(default_factory=dict)

    def to_row(self) -> dict:
        """The document as a Parquet row (see `pipeline.sinks.DOCUMENT_SCHEMA`)."""
        meta = {k: v for k, v in sorted(self.fields.items()) if k not in COLUMN_FIELDS}
        return {
            "id": self.id,
            "source": self.source,
            "kind": self.kind,
            "text": self.text,
            **{name: self.fields.get(name) for name in COLUMN_FIELDS},
            "meta": list(meta.items()),
            "signals": sorted(self.signals.items()),
        }


def encode_document(doc: Document) -> bytes:
    """The document as one byte string, for the shuffles that carry whole documents.

    On the FnApiRunner one driver process holds every element of a shuffle until it is read;
    a document arriving there as bytes stays one bytes object, where the default coder's
    pickle would be unpickled into a dataclass with two dicts and a float object per signal
    (about 2.8 kB on top of the text), and pickled again to be dealt out. The layout is a
    JSON header (no raw newline: JSON escapes them), a newline, and the UTF-8 text (a lone
    surrogate, which pickle would carry, passes too).
    """
    head = json.dumps([doc.id, doc.source, doc.kind, doc.fields, doc.signals], ensure_ascii=False,
                      separators=(",", ":"))
    return head.encode("utf-8", "surrogatepass") + b"\n" + doc.text.encode("utf-8", "surrogatepass")


def decode_document(blob: bytes) -> Document:
    """The document `encode_document` wrote."""
    cut = blob.index(b"\n")
    doc_id, source, kind, fields, signals = json.loads(blob[:cut].decode("utf-8", "surrogatepass"))
    return Document(doc_id, source, kind, blob[cut + 1:].decode("utf-8", "surrogatepass"), fields, signals)


def make_document(record: Record, source: str, kind: str, *, code: bool) -> Document:
    """Turn a reader's record into a normalized document of `source`."""
    return Document(
        id=document_id(source, record.locator),
        source=source,
        kind=kind,
        text=normalize_text(record.text, code=code),
        fields=dict(record.fields),
    )
