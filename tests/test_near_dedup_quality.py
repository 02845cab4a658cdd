"""Near-dedup precision and recall on planted near-duplicates with exactly known Jaccard.

400 generated articles each get one copy with words replaced at a known rate (0.5% to 20%),
which spans true 5-gram Jaccards from about 0.98 down to 0.17. With 14 bands of 8 rows and
candidates verified at estimated Jaccard 0.75, the effective threshold is 0.8: the issue asks for
recall >= 0.95 above threshold + 0.05, precision >= 0.98, and almost no merges below
threshold - 0.1.
"""
from __future__ import annotations

import random
from itertools import combinations

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from dedup.minhash import shingles
from pipeline.config import NearDedupStage
from pipeline.document import Document
from pipeline.fsio import read_json, write_json_atomic
from pipeline.near_dedup import NearDedup
from pipeline.runners import make_pipeline
from pipeline.demo.text import generator

EDIT_RATES = (0.005, 0.01, 0.02, 0.04, 0.06, 0.09, 0.13, 0.2)
EFFECTIVE_THRESHOLD = 0.8  # 14 bands x 8 rows with candidates verified at estimated Jaccard 0.75


def _corpus(n_base: int, seed: int = 7) -> list[Document]:
    """`n_base` generated articles, each with one copy whose words are replaced at a known rate."""
    rng = random.Random(seed)
    gen = generator("en")
    docs, texts = [], {}
    for i in range(n_base):
        head, paragraphs = gen.article(rng)
        text = "\n\n".join([head, *paragraphs])
        texts[f"b{i:04d}"] = text
        rate = EDIT_RATES[i % len(EDIT_RATES)]
        words = text.split(" ")
        for k in rng.sample(range(len(words)), max(1, int(len(words) * rate))):
            words[k] = rng.choice(["zebra", "quartz", "violin", "nebula", "saffron", "glacier"]) + str(k % 7)
        texts[f"c{i:04d}"] = " ".join(words)
    for doc_id, text in texts.items():
        docs.append(Document(id=doc_id, source="s", kind="jsonl", text=text))
    return docs


def _clusters(docs: list[Document], cfg: NearDedupStage, out: str) -> dict[str, str]:
    with make_pipeline(PipelineOptions()) as p:
        result = p | beam.Create(docs) | NearDedup(cfg, out + ".stats.json", out + ".spills")
        both = (result["documents"], result["rejected"]) | beam.Flatten()
        (both
         | beam.Map(lambda d: (d.id, d.fields.get("near_dedup_cluster")))
         | beam.combiners.ToList()
         | beam.Map(lambda rows: write_json_atomic(out, sorted(rows))))
    return {doc_id: cluster for doc_id, cluster in read_json(out) if cluster}


def test_planted_near_duplicates_are_found_with_high_precision_and_recall(tmp_path):
    docs = _corpus(400)
    texts = {d.id: d.text for d in docs}
    cfg = NearDedupStage(enabled=True, verify_threshold=0.75)
    cluster_of = _clusters(docs, cfg, str(tmp_path / "clusters.json"))
    members: dict[str, list[str]] = {}
    for doc_id, label in cluster_of.items():
        members.setdefault(label, []).append(doc_id)
    merged = {tuple(sorted(p)) for group in members.values() for p in combinations(group, 2)}

    def jaccard(a: str, b: str) -> float:
        sa, sb = set(shingles(texts[a])), set(shingles(texts[b]))
        return len(sa & sb) / len(sa | sb)

    planted = {(f"b{i:04d}", f"c{i:04d}"): jaccard(f"b{i:04d}", f"c{i:04d}") for i in range(400)}
    high = [p for p, j in planted.items() if j >= EFFECTIVE_THRESHOLD + 0.05]
    low = [p for p, j in planted.items() if j < EFFECTIVE_THRESHOLD - 0.1]
    assert len(high) >= 100 and len(low) >= 100
    recall = sum(p in merged for p in high) / len(high)
    precision = sum(jaccard(*p) >= EFFECTIVE_THRESHOLD - 0.1 for p in merged) / max(len(merged), 1)
    false_merges = sum(p in merged for p in low) / len(low)
    print(f"pairs J>={EFFECTIVE_THRESHOLD + 0.05:.2f}: {len(high)}, recall {recall:.4f}; merged pairs {len(merged)}, "
          f"precision {precision:.4f}; pairs J<{EFFECTIVE_THRESHOLD - 0.1:.2f}: {len(low)}, merged {false_merges:.4f}")
    assert recall >= 0.95, recall
    assert precision >= 0.98, precision
    assert false_merges <= 0.01, false_merges
