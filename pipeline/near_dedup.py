"""Near-duplicate removal with MinHash LSH as Beam transforms around `dedup.minhash` and `dedup.clusters`.

1. Sign: documents are batched and signed with numpy (`MinHasher`); each document makes one
   (band key, member) entry per band, the member being its id and score packed as bytes.
   Documents without shingles (empty after simplification) are never candidates. A worker
   appends its entries to one byte string per partition (a hash of the band key) and sends
   each on, up to `MAX_BUFFERED` entries at a time. On the FnApiRunner one driver process
   decodes every element of a shuffle and holds it until the shuffle is read: 14 entries per
   document, one by one, cost it Python time on the workers' cores and gigabytes at scale,
   where a few byte strings per partition cost neither. Signatures (448 bytes each) are not in
   the entries: with verification on they are sent once per document, unshuffled.
2. Bucket: GroupByKey on partitions; within one, entries are grouped by band key. A bucket
   with several members yields candidate pairs; a bucket larger than `max_bucket` (boilerplate
   shared by thousands of pages) is cut to its `max_bucket` lowest ids and counted. With
   verification, the signatures of the documents in some pair (few: most buckets hold one
   document) are picked out and reach the verifying workers as a side input; a pair becomes
   an edge when its estimated Jaccard reaches `verify_threshold`.
3. Cluster: the distinct edges are gathered in one worker and resolved with union-find. Memory
   there grows with the number of documents that have a near-duplicate (ids and edges, not
   texts or signatures), which is the scaling limit of this step: tens of millions of
   duplicated documents fit a worker; beyond that an iterative distributed connected-components
   pass would replace it.
4. Keep: the cluster assignments (duplicated documents only) reach every worker as a side input;
   each cluster keeps one representative (best quality signal, then lowest id), the others are
   dropped as `near_duplicate` with `duplicate_of`; cluster id and size go into meta/signals.
   How many buckets were capped, and the largest, is written to `stats_path` for the manifest.
"""
from __future__ import annotations

import struct
import zlib
from collections import defaultdict
from dataclasses import replace
from itertools import combinations

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics
from apache_beam.pvalue import AsDict, AsList, TaggedOutput

from dedup.clusters import UnionFind, pick_representative
from dedup.minhash import MinHasher, band_keys, estimated_jaccard
from pipeline.document import Document
from pipeline.fsio import write_json_atomic
from pipeline.runners import in_global_window
from pipeline.spill import MIN_PARTITIONS, SpillGroups, partitions_for, read_blobs, read_spilled, spill_blob
from pipeline.funnel import FUNNEL, IN, KEPT, REJECTED, FunnelTally, dropped

STAGE = "near_dedup"
REASON = "near_duplicate"
_ALL_PAIRS_UP_TO = 50  # buckets this small verify every pair; larger ones link to their lowest id


def _score(doc: Document, signal: str | None, higher_is_better: bool) -> float | None:
    if signal is None or signal not in doc.signals:
        return None
    value = doc.signals[signal]
    return value if higher_is_better else -value


MAX_BUFFERED = 1 << 16  # band entries a signing worker holds before sending them on
SIGNATURES = "signatures"
_BANDS, _SIGNATURES = "-bands", "-signatures"  # spill folders beside the documents' (`NearDedup.spills`)
_SCORE = struct.Struct("<?dH")  # has a score, the score, the id's length in bytes
_SIG_HEAD = struct.Struct("<H")  # the id's length, before the id and the signature


def band_partitions(input_bytes: int) -> int:
    """How many partitions the band entries of a job with `input_bytes` of input go into."""
    return partitions_for(input_bytes)


def _partition_of(key: bytes, partitions: int) -> int:
    """A band key's partition: its last 4 bytes are a MinHash value, uniform already."""
    return int.from_bytes(key[-4:], "big") % partitions


def pack_member(doc_id: str, score: float | None) -> bytes:
    """A bucket member as bytes: the runner's shuffle then holds one bytes object per list of
    entries instead of a tuple of Python objects per entry (see `unpack_entries`)."""
    raw = doc_id.encode("utf-8")
    return _SCORE.pack(score is not None, 0.0 if score is None else score, len(raw)) + raw


def unpack_entries(blob: bytes, key_width: int):
    """(band key, (id, score)) for each entry of a blob of band keys each followed by a `pack_member`."""
    offset, end = 0, len(blob)
    while offset < end:
        key = blob[offset: offset + key_width]
        has_score, score, size = _SCORE.unpack_from(blob, offset + key_width)
        start = offset + key_width + _SCORE.size
        offset = start + size
        yield key, (blob[start:offset].decode("utf-8"), score if has_score else None)


def pack_signature(doc_id: str, signature: bytes) -> bytes:
    raw = doc_id.encode("utf-8")
    return _SIG_HEAD.pack(len(raw)) + raw + signature


def unpack_signatures(blob: bytes, width: int):
    """(id, signature bytes) for each `pack_signature` record of a blob; signatures are `width` bytes."""
    offset, end = 0, len(blob)
    while offset < end:
        (size,) = _SIG_HEAD.unpack_from(blob, offset)
        start = offset + _SIG_HEAD.size
        offset = start + size + width
        yield blob[start: start + size].decode("utf-8"), blob[start + size: offset]


class _Sign(beam.DoFn):
    """Batches of documents -> (partition, spill file of band entries); with verification on,
    also spill files of (id, signature) records, tagged SIGNATURES. Only the paths go through
    the runner: the FnApiRunner's driver would otherwise hold every entry and signature.

    Signatures do not travel with the band entries: a document has one entry per band, and all
    but a few entries land in buckets of one, where no signature is ever compared. Only the
    documents that end up in a candidate pair have theirs looked up (`_CandidateSignatures`).
    """

    def __init__(self, cfg, partitions: int, spills: str):
        self.cfg = cfg
        self.partitions = partitions
        self.spills = spills

    def setup(self) -> None:
        self.hasher = MinHasher(num_perm=self.cfg.num_perm, seed=self.cfg.seed, n=self.cfg.ngram)

    def start_bundle(self) -> None:
        self.buffer: dict[int, bytearray] = defaultdict(bytearray)
        self.signatures = bytearray()
        self.buffered = 0

    def process(self, batch: list[Document]):
        cfg = self.cfg
        sigs = self.hasher.signatures([d.text for d in batch])
        empty = np.all(sigs == self.hasher.max_hash, axis=1)
        keys = band_keys(sigs, cfg.bands, cfg.rows)
        verify = cfg.verify_threshold is not None
        for doc, sig, is_empty, doc_keys in zip(batch, sigs, empty, keys):
            if is_empty:
                continue
            member = pack_member(doc.id, _score(doc, cfg.representative_signal, cfg.higher_is_better))
            for key in doc_keys:
                self.buffer[_partition_of(key, self.partitions)] += key + member
            if verify:
                self.signatures += pack_signature(doc.id, sig.astype("<u4").tobytes())
            self.buffered += len(doc_keys)
        if self.buffered >= MAX_BUFFERED:
            yield from self._flush()

    def finish_bundle(self):
        yield from map(in_global_window, self._flush())

    def _flush(self):
        for partition in sorted(self.buffer):
            yield partition, spill_blob(self.spills + _BANDS, partition, bytes(self.buffer[partition]))
        if self.signatures:
            yield TaggedOutput(SIGNATURES, spill_blob(self.spills + _SIGNATURES, 0, bytes(self.signatures)))
        self.start_bundle()


class _Candidates(beam.DoFn):
    """Candidate pairs of one partition's buckets: (id_a, score_a, id_b, score_b) with id_a < id_b.

    Unverified: every pair of a bucket up to `_ALL_PAIRS_UP_TO` members (any similar pair may
    link it), else a star from its lowest id; without verification always the star, which is
    enough to connect the bucket.
    """

    def __init__(self, cfg):
        self.cfg = cfg
        self.key_width = 2 + 4 * cfg.rows  # see `dedup.minhash.band_keys`
        self.capped = Metrics.counter("quarry.near_dedup", "capped_buckets")

    def process(self, partition):
        buckets: dict[bytes, list] = defaultdict(list)
        for blob in read_blobs(partition[1]):
            for key, member in unpack_entries(blob, self.key_width):
                buckets[key].append(member)
        for members in buckets.values():
            if len(members) > 1:
                yield from self._bucket_pairs(members)

    def _bucket_pairs(self, members: list):
        members = sorted({m[0]: m for m in members}.values(), key=lambda m: m[0])
        if len(members) < 2:
            return
        if len(members) > self.cfg.max_bucket:
            self.capped.inc()
            yield TaggedOutput("capped", len(members))
            members = members[: self.cfg.max_bucket]
        if self.cfg.verify_threshold is None or len(members) > _ALL_PAIRS_UP_TO:
            pairs = ((members[0], m) for m in members[1:])
        else:
            pairs = combinations(members, 2)
        for a, b in pairs:
            yield a[0], a[1], b[0], b[1]


class _CandidateSignatures(beam.DoFn):
    """Spill files of (id, signature) -> the records of the documents in some candidate pair."""

    def __init__(self, cfg):
        self.width = 4 * cfg.num_perm

    def process(self, path: str, wanted):
        if getattr(self, "_wanted_from", None) is not wanted:  # the side input, made a set once
            self._wanted_from, self._wanted = wanted, set(wanted)
        (blob,) = read_blobs([path])
        for doc_id, sig in unpack_signatures(blob, self.width):
            if doc_id in self._wanted:
                yield doc_id, sig


def _similar(pair: tuple, signatures: dict, threshold: float) -> bool:
    """A candidate pair that is a near-duplicate edge: estimated Jaccard at least `threshold`."""
    sa, sb = np.frombuffer(signatures[pair[0]], "<u4"), np.frombuffer(signatures[pair[2]], "<u4")
    return estimated_jaccard(sa, sb) >= threshold


def _clusters(edges: list[tuple]) -> list[tuple[str, tuple[str, int, str]]]:
    """(id, (cluster id, cluster size, representative)) for every document in some edge."""
    uf = UnionFind()
    scores: dict[str, float | None] = {}
    for id_a, score_a, id_b, score_b in edges:
        uf.union(id_a, id_b)
        scores[id_a], scores[id_b] = score_a, score_b
    out = []
    for label, members in uf.components().items():
        keep = pick_representative([(m, scores[m]) for m in members])
        out.extend((m, (label, len(members), keep)) for m in members)
    return out


class _Keep(beam.DoFn):
    """A partition's spilled documents -> survivors and near duplicates, by the clusters side input."""

    def start_bundle(self) -> None:
        self.tally = FunnelTally(STAGE)

    def process(self, partition: tuple[int, list[str]], clusters: dict):
        for doc in read_spilled(partition[1]):
            yield from self._judge(doc, clusters)

    def _judge(self, doc: Document, clusters: dict):
        self.tally.add(doc.source, IN)
        info = clusters.get(doc.id)
        if info is None:
            self.tally.add(doc.source, KEPT)
            yield doc
            return
        label, size, keep = info
        doc = replace(doc, signals={**doc.signals, "near_dedup.cluster_size": float(size)},
                      fields={**doc.fields, "near_dedup_cluster": label})
        if keep == doc.id:
            self.tally.add(doc.source, KEPT)
            yield doc
        else:
            self.tally.add(doc.source, dropped(REASON))
            yield TaggedOutput(REJECTED, replace(doc, fields={**doc.fields, "reason": REASON, "duplicate_of": keep}))

    def finish_bundle(self):
        yield from self.tally.flush()


class NearDedup(beam.PTransform):
    """Documents in; survivors (main), near duplicates (REJECTED), tallies (FUNNEL) out."""

    def __init__(self, cfg, stats_path: str, spills: str, partitions: int = MIN_PARTITIONS):
        super().__init__()
        self.cfg = cfg
        self.stats_path = stats_path
        self.spills = spills  # a folder for the documents' spill files (see `pipeline.spill`)
        self.partitions = partitions  # see `band_partitions`

    def expand(self, docs):
        cfg = self.cfg
        signed = (
            docs
            | "BatchForSignatures" >> beam.BatchElements(min_batch_size=1, max_batch_size=1024)
            | "Sign" >> beam.ParDo(_Sign(cfg, self.partitions, self.spills)).with_outputs(SIGNATURES, main="entries")
        )
        candidates = (
            signed.entries
            | "Buckets" >> beam.GroupByKey()
            | "Candidates" >> beam.ParDo(_Candidates(cfg)).with_outputs("capped", main="pairs")
        )
        edges = candidates.pairs | "DistinctEdges" >> beam.Distinct()
        if cfg.verify_threshold is not None:
            ids = edges | "CandidateIds" >> beam.FlatMap(lambda e: (e[0], e[2])) | "DistinctIds" >> beam.Distinct()
            signatures = signed[SIGNATURES] | "CandidateSignatures" >> beam.ParDo(
                _CandidateSignatures(cfg), AsList(ids))
            threshold = cfg.verify_threshold
            edges = edges | "Verify" >> beam.Filter(_similar, AsDict(signatures), threshold)
        clusters = (
            edges
            | "GatherEdges" >> beam.combiners.ToList()
            | "UnionFind" >> beam.FlatMap(_clusters)
        )
        # The documents wait for the clusters in spill files, not in the runner: only their
        # paths are shuffled, so the FnApiRunner's driver does not hold every document in memory.
        n = self.partitions
        spilled = docs | "SpillForKeep" >> SpillGroups(self.spills, lambda d: zlib.crc32(d.id.encode("utf-8")) % n)
        result = spilled | "KeepRepresentatives" >> beam.ParDo(_Keep(), AsDict(clusters)).with_outputs(
            FUNNEL, REJECTED, main="documents")
        path = self.stats_path
        (candidates.capped
         | "CappedBuckets" >> beam.combiners.ToList()
         | "WriteStats" >> beam.Map(lambda sizes: write_json_atomic(
             path, {"capped_buckets": len(sizes), "largest_capped_bucket": max(sizes, default=0)})))
        return {"documents": result.documents, REJECTED: result[REJECTED], FUNNEL: result[FUNNEL]}
