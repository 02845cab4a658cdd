"""Sources as Beam transforms: input units in, normalized documents out, every unit accounted for.

`ReadSources` takes the input units of all sources (files, archives, repositories), spreads
them over workers with a Reshuffle, and runs the matching reader on each. Readers are plain
generators (`pipeline.readers`); this module only opens streams through Beam's FileSystems,
turns records into documents, and tallies the `read` and `normalize` stages of the funnel.
"""
from __future__ import annotations

import zlib
from dataclasses import replace
from typing import BinaryIO, Callable, Iterator

import apache_beam as beam

from pipeline.config import JobConfig
from pipeline.document import make_document
from pipeline.fsio import open_input
from pipeline.funnel import ERRORS, FUNNEL, ERRORED, IN, KEPT, FunnelTally, Progress, dropped, error_row
from pipeline.inputs import InputUnit
from pipeline.readers.base import Event, Failure, Pending, Record, Skip, decode_pending, describe_error, encode_pending
from pipeline.readers.books import read_epub, read_gutenberg
from pipeline.readers.code import CodeOptions, LocalTree, read_code_archive, read_code_tree
from pipeline.readers.tabular import read_jsonl, read_parquet
from pipeline.readers.warc import WarcOptions, read_warc
from pipeline.readers.wikipedia import page_stream_at_or_after, read_mediawiki, read_multistream_part
from pipeline.spill import SpillGroups, partitions_for, read_spilled, spill_folder

READ = "read"
NORMALIZE = "normalize"
BRANCHES = "branches"  # ReadSources' documents, by where they were made (see ReadSources)

StreamReader = Callable[[BinaryIO, str], Iterator[Event]]


def _stream_reader(src, unit: InputUnit) -> tuple[StreamReader, bool]:
    """The reader for one file (or part) of a source, and whether its .gz/.bz2/.xz layer is undone first.

    WARC and code readers undo compression themselves (per gzip member, per archive format).
    """
    kind, uri = src.kind, unit.uri
    if kind in ("warc", "wet"):
        opts = WarcOptions(kind=kind, extractor=src.extractor, decode_errors=src.decode_errors)
        # warcio un-gzips per record
        return (lambda f, u: read_warc(f, u, opts, start=unit.start, end=unit.end)), False
    if kind == "wikipedia":
        opts = {"namespaces": tuple(src.namespaces), "skip_disambiguation": src.skip_disambiguation, "defer": True}
        if _is_part(unit):  # a multistream dump's part: the reader undoes bz2 per stream
            return (lambda f, u: read_multistream_part(f, u, unit.start, unit.end, **opts)), False
        return (lambda f, u: read_mediawiki(f, u, **opts)), True
    if kind == "code":
        return (lambda f, u: read_code_archive(f, u, _code_options(src))), False
    if kind == "books":
        if uri.lower().endswith(".epub"):
            return read_epub, False
        return read_gutenberg, True
    if kind == "jsonl":
        return (lambda f, u: read_jsonl(f, u, text_field=src.text_field, id_field=src.id_field)), True
    if kind == "parquet":
        return (lambda f, u: read_parquet(f, u, text_field=src.text_field, id_field=src.id_field)), False
    raise ValueError(f"no reader for kind {kind!r}")


def _code_options(src) -> CodeOptions:
    languages = frozenset(src.languages) if src.languages else None
    return CodeOptions(max_file_bytes=src.max_file_bytes, languages=languages)


def read_unit(unit: InputUnit, src) -> Iterator[Event | Pending]:
    """All events of one input unit; an unreadable unit or a crashing reader is one failure.

    Pending units (wiki pages still to render) come out as they are: `ReadSources` resolves
    them on any worker; a serial caller wraps this in `readers.base.resolved`.
    """
    try:
        if unit.tree:
            yield from read_code_tree(LocalTree(unit.uri), _code_options(src))
            return
        reader, decompress = _stream_reader(src, unit)
        with open_input(unit.uri, decompress=decompress) as stream:
            yield from reader(stream, unit.uri)
    except Exception as exc:  # noqa: BLE001 - the job goes on; the unit is reported
        where = f"{unit.uri}@{unit.start}-{unit.end or ''}" if _is_part(unit) else unit.uri
        yield Failure(where, describe_error(exc))


def _is_part(unit: InputUnit) -> bool:
    return unit.start != 0 or unit.end is not None


def split_units(units: list[InputUnit], sources: dict) -> list[InputUnit]:
    """The units as workers read them: big files in parts where their format allows, largest first.

    A CommonCrawl WARC is about 1 GB and a Wikipedia dump tens of GB: read whole, a few files
    leave most workers idle. Parts of about `split_bytes` are byte ranges that the readers cut
    where a record starts (a WARC's gzip member, `read_warc`; a multistream dump's page stream,
    `read_multistream_part`), so every record is read by exactly one part. Largest first,
    because the FnApiRunner deals a shuffled collection out round-robin in arrival order: big
    units then alternate between workers instead of landing on one by chance.
    """
    parts = []
    for unit in units:
        src = sources[unit.source]
        size = getattr(src, "split_bytes", None)
        if size is None or unit.tree or unit.size <= size or not _splittable(unit, src.kind):
            parts.append(unit)
            continue
        count = -(-unit.size // size)
        bounds = [unit.size * k // count for k in range(count + 1)]
        parts += [replace(unit, size=b - a, start=a, end=None if k == count - 1 else b)
                  for k, (a, b) in enumerate(zip(bounds, bounds[1:]))]
    return sorted(parts, key=lambda u: (-u.size, u.uri, u.start))


def _splittable(unit: InputUnit, kind: str) -> bool:
    """A gzipped WARC/WET by its name (an uncompressed one has no safe place to cut, and its
    reader would read it whole in the first part anyway); a wiki dump when it is multistream
    .bz2 (a page stream follows the header stream)."""
    if kind in ("warc", "wet"):
        return unit.uri.lower().endswith(".gz")
    if kind != "wikipedia" or not unit.uri.lower().endswith(".bz2"):
        return False
    try:
        with open_input(unit.uri, decompress=False) as raw:
            return page_stream_at_or_after(raw, 1, limit=MULTISTREAM_PROBE_BYTES) is not None
    except Exception:  # noqa: BLE001 - read whole; the read reports what is wrong with the file
        return False


MULTISTREAM_PROBE_BYTES = 8 << 20  # how far into a dump the first page stream is looked for


PENDING = "pending"
CAPPED = "capped"  # ReadSources: the units a max_records_per_unit cut short


class _AccountingFn(beam.DoFn):
    """Turns reader events into documents, tallying the read and normalize stages."""

    def __init__(self, job: JobConfig):
        self.job = job

    def setup(self) -> None:
        self.sources = {s.name: s for s in self.job.sources}
        self.progress = Progress("read")

    def start_bundle(self) -> None:
        self.read = FunnelTally(READ)
        self.normalize = FunnelTally(NORMALIZE)

    def account(self, event: Event, src):
        """The document (or error row) one event becomes; every event is tallied once."""
        self.read.add(src.name, IN)
        if isinstance(event, Record):
            self.read.add(src.name, KEPT)
            self.normalize.add(src.name, IN)
            doc = make_document(event, src.name, src.kind, code=src.kind == "code")
            self.progress.add(1, len(doc.text))
            if not doc.text:
                self.normalize.add(src.name, dropped("empty_text"))
                return
            self.normalize.add(src.name, KEPT)
            yield doc
        elif isinstance(event, Skip):
            self.read.add(src.name, dropped(event.reason))
        else:
            self.read.add(src.name, ERRORED)
            yield error_row(READ, src.name, event.location, event.error)

    def finish_bundle(self):
        yield from self.read.flush()
        yield from self.normalize.flush()

    def teardown(self) -> None:
        if getattr(self, "progress", None) and self.progress.records:
            self.progress.report()


class ReadUnitFn(_AccountingFn):
    """Reads input units into documents; pending units go out untallied, to be resolved.

    `max_records` stops reading a unit (a file, or a part of a big one) after that many records
    and pending units (a sample read, such as a language model's reference corpus); None reads
    everything. A unit cut
    short comes out on CAPPED (its uri), so the caller knows the read is not the whole source.
    """

    def __init__(self, job: JobConfig, max_records: int | None = None):
        super().__init__(job)
        self.max_records = max_records

    def process(self, unit: InputUnit):
        src = self.sources[unit.source]
        records = 0
        for event in read_unit(unit, src):
            if isinstance(event, (Record, Pending)):
                if self.max_records is not None and records >= self.max_records:
                    yield beam.pvalue.TaggedOutput(CAPPED, unit.uri)
                    return
                records += 1
            if isinstance(event, Pending):
                yield beam.pvalue.TaggedOutput(PENDING, (src.name, event))
            else:
                yield from self.account(event, src)


class ResolveFn(_AccountingFn):
    """Resolves a group of spilled pending units (on whichever worker the shuffle sent the
    group to) and tallies them."""

    def process(self, group: tuple[int, list[str]]):
        for name, pending in read_spilled(group[1], decode_pending):
            yield from self.account(pending.resolve(), self.sources[name])


def _encode_pending(item: tuple[str, Pending]) -> bytes:
    return encode_pending(*item)


def _pending_group(groups: int) -> Callable[[tuple[str, Pending]], int]:
    return lambda item: zlib.crc32(item[1].location.encode("utf-8", "surrogatepass")) % groups


class ReadSources(beam.PTransform):
    """Input units -> documents, funnel tallies and error rows.

    Units are spread over workers; pending units (wiki pages) are spread again, so that one big
    dump is rendered by all workers instead of the one that read it. They spread through spill
    files under the job's output (`pipeline.spill`): shuffled, every raw page would wait in
    the FnApiRunner's driver, several copies of the wiki's whole wikitext at once.

    The documents come out as BRANCHES, one PCollection per place they were made (read
    directly, resolved after the second spread), not merged. A per-document stage applied to
    each branch (`each_branch`) fuses into the stage that made its documents; after a merge
    (Flatten), the FnApiRunner would instead materialize every raw document in the driver and
    deal the merged buffer out in whole ~10 MB chunks, which splits it unevenly over workers.
    FUNNEL and ERRORS come out merged; CAPPED holds the units `max_records_per_unit` cut short.
    """

    def __init__(self, job: JobConfig, units: list[InputUnit], max_records_per_unit: int | None = None):
        super().__init__()
        self.job = job
        self.units = units
        self.max_records = max_records_per_unit

    def expand(self, pbegin):
        units = split_units(self.units, {s.name: s for s in self.job.sources})
        read = (
            pbegin
            | "InputUnits" >> beam.Create(units)
            | "SpreadUnits" >> beam.Reshuffle()
            | "Read" >> beam.ParDo(ReadUnitFn(self.job, self.max_records)).with_outputs(
                FUNNEL, ERRORS, PENDING, CAPPED, main="documents")
        )
        groups = partitions_for(sum(u.size for u in self.units))
        resolved = (
            read[PENDING]
            | "SpreadPending" >> SpillGroups(spill_folder(self.job.output.path, "pending"), _pending_group(groups),
                                             _encode_pending)
            | "Resolve" >> beam.ParDo(ResolveFn(self.job)).with_outputs(FUNNEL, ERRORS, main="documents")
        )
        merged = {tag: (read[tag], resolved[tag]) | f"Merge{tag.title()}" >> beam.Flatten() for tag in (FUNNEL, ERRORS)}
        return {BRANCHES: {"read": read.documents, "resolved": resolved.documents}, CAPPED: read[CAPPED], **merged}


def each_branch(branches: dict[str, beam.PCollection], label: str, transform: beam.PTransform) -> dict[str, object]:
    """`transform` applied on every branch (labelled `label/branch`): branch -> its output."""
    return {name: pcoll | f"{label}/{name}" >> transform for name, pcoll in branches.items()}
