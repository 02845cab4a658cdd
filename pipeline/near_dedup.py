"""Near-duplicate removal with MinHash LSH as Beam transforms around `dedup.minhash` and `dedup.clusters`.

1. Sign: documents are batched and signed with numpy (`MinHasher`); each document makes one
   (band key, member) entry per band. Documents without shingles (empty after simplification)
   are never candidates. A worker buffers its entries by partition (a hash of the band key)
   and sends each partition's entries on as one list, up to `MAX_BUFFERED` entries at a time:
   14 entries per document would otherwise cross the shuffle one by one, and on the
   FnApiRunner every element of a shuffle costs Python time in the one driver process, which
   competes with the workers for the same cores.
2. Bucket: GroupByKey on partitions; within one, entries are grouped by band key. A bucket
   with several members yields candidate edges, optionally verified by estimated Jaccard; a
   bucket larger than `max_bucket` (boilerplate shared by thousands of pages) is cut to its
   `max_bucket` lowest ids and counted.
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

from collections import defaultdict
from dataclasses import replace
from itertools import combinations

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics
from apache_beam.pvalue import AsDict, TaggedOutput
from apache_beam.transforms.window import GlobalWindows

from dedup.clusters import UnionFind, pick_representative
from dedup.minhash import MinHasher, band_keys, estimated_jaccard
from pipeline.document import Document
from pipeline.fsio import write_json_atomic
from pipeline.funnel import FUNNEL, IN, KEPT, REJECTED, FunnelTally, dropped

STAGE = "near_dedup"
REASON = "near_duplicate"
_ALL_PAIRS_UP_TO = 50  # buckets this small verify every pair; larger ones link to their lowest id


def _score(doc: Document, signal: str | None, higher_is_better: bool) -> float | None:
    if signal is None or signal not in doc.signals:
        return None
    value = doc.signals[signal]
    return value if higher_is_better else -value


MIN_PARTITIONS = 64  # band partitions: enough for the workers to share the bucket stage evenly
PARTITION_INPUT_BYTES = 4 << 20  # ... and one more per this many input bytes, so each stays small
MAX_BUFFERED = 1 << 16  # band entries a signing worker holds before sending them on


def band_partitions(input_bytes: int) -> int:
    """How many partitions the band entries of a job with `input_bytes` of input go into."""
    return max(MIN_PARTITIONS, -(-input_bytes // PARTITION_INPUT_BYTES))


def _partition_of(key: bytes, partitions: int) -> int:
    """A band key's partition: its last 4 bytes are a MinHash value, uniform already."""
    return int.from_bytes(key[-4:], "big") % partitions


class _Sign(beam.DoFn):
    """Batches of documents -> (partition, [(band key, member), ...]) lists of band entries."""

    def __init__(self, cfg, partitions: int):
        self.cfg = cfg
        self.partitions = partitions

    def setup(self) -> None:
        self.hasher = MinHasher(num_perm=self.cfg.num_perm, seed=self.cfg.seed, n=self.cfg.ngram)

    def start_bundle(self) -> None:
        self.buffer: dict[int, list] = defaultdict(list)
        self.buffered = 0

    def process(self, batch: list[Document]):
        cfg = self.cfg
        sigs = self.hasher.signatures([d.text for d in batch])
        empty = np.all(sigs == self.hasher.max_hash, axis=1)
        keys = band_keys(sigs, cfg.bands, cfg.rows)
        for doc, sig, is_empty, doc_keys in zip(batch, sigs, empty, keys):
            if is_empty:
                continue
            member = (doc.id, _score(doc, cfg.representative_signal, cfg.higher_is_better),
                      sig.astype("<u4").tobytes() if cfg.verify_threshold is not None else b"")
            for key in doc_keys:
                self.buffer[_partition_of(key, self.partitions)].append((key, member))
            self.buffered += len(doc_keys)
        if self.buffered >= MAX_BUFFERED:
            yield from self._flush()

    def finish_bundle(self):
        for item in self._flush():
            yield GlobalWindows.windowed_value(item)

    def _flush(self):
        for partition in sorted(self.buffer):
            yield partition, self.buffer[partition]
        self.buffer = defaultdict(list)
        self.buffered = 0


class _Edges(beam.DoFn):
    """Candidate edges of one partition's buckets: (id_a, score_a, id_b, score_b) with id_a < id_b."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.capped = Metrics.counter("quarry.near_dedup", "capped_buckets")

    def process(self, partition):
        _, entry_lists = partition
        buckets: dict[bytes, list] = defaultdict(list)
        for entries in entry_lists:
            for key, member in entries:
                buckets[key].append(member)
        for members in buckets.values():
            if len(members) > 1:
                yield from self._bucket_edges(members)

    def _bucket_edges(self, members: list):
        members = sorted({m[0]: m for m in members}.values())
        if len(members) < 2:
            return
        if len(members) > self.cfg.max_bucket:
            self.capped.inc()
            yield TaggedOutput("capped", len(members))
            members = members[: self.cfg.max_bucket]
        threshold = self.cfg.verify_threshold
        if threshold is None or len(members) > _ALL_PAIRS_UP_TO:
            pairs = ((members[0], m) for m in members[1:])  # a star connects the bucket
        else:
            pairs = combinations(members, 2)  # verified: any similar pair may link the bucket
        for a, b in pairs:
            if threshold is not None:
                sa, sb = np.frombuffer(a[2], "<u4"), np.frombuffer(b[2], "<u4")
                if estimated_jaccard(sa, sb) < threshold:
                    continue
            yield a[0], a[1], b[0], b[1]


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
    def start_bundle(self) -> None:
        self.tally = FunnelTally(STAGE)

    def process(self, doc: Document, clusters: dict):
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

    def __init__(self, cfg, stats_path: str, partitions: int = MIN_PARTITIONS):
        super().__init__()
        self.cfg = cfg
        self.stats_path = stats_path
        self.partitions = partitions  # see `band_partitions`

    def expand(self, docs):
        edges = (
            docs
            | "BatchForSignatures" >> beam.BatchElements(min_batch_size=1, max_batch_size=1024)
            | "Sign" >> beam.ParDo(_Sign(self.cfg, self.partitions))
            | "Buckets" >> beam.GroupByKey()
            | "Edges" >> beam.ParDo(_Edges(self.cfg)).with_outputs("capped", main="edges")
        )
        clusters = (
            edges.edges
            | "DistinctEdges" >> beam.Distinct()
            | "GatherEdges" >> beam.combiners.ToList()
            | "UnionFind" >> beam.FlatMap(_clusters)
        )
        result = docs | "KeepRepresentatives" >> beam.ParDo(_Keep(), AsDict(clusters)).with_outputs(
            FUNNEL, REJECTED, main="documents")
        path = self.stats_path
        (edges.capped
         | "CappedBuckets" >> beam.combiners.ToList()
         | "WriteStats" >> beam.Map(lambda sizes: write_json_atomic(
             path, {"capped_buckets": len(sizes), "largest_capped_bucket": max(sizes, default=0)})))
        return {"documents": result.documents, REJECTED: result[REJECTED], FUNNEL: result[FUNNEL]}
