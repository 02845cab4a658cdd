"""The whole web pipeline end to end: Quarry on Beam beside datatrove, same WARCs, same stages.

    .venv/bin/python bench/e2e.py                                  # 200 MB generated WARCs, 1 worker each
    .venv/bin/python bench/e2e.py --size-mb 200 --workers 2        # 2 workers each
    .venv/bin/python bench/e2e.py --size-mb 200 --extractor trafilatura
    .venv/bin/python bench/e2e.py --warc crawl/*.warc.gz           # your own WARC files instead
    .venv/bin/python bench/e2e.py --size-mb 10 -o .bench/e2e-10.json   # a quick check

Needs the datatrove venv of bench/datatrove_e2e.py (set-up lines there). Both tools run in one
invocation, one after the other (`--tools` sets which and in what order), each as a subprocess
with the same number of workers:

- Quarry: `.venv/bin/python -m pipeline run JOB.yaml --quiet --direct_num_workers=W
  --direct_running_mode=multi_processing` on a job written here (RUN/quarry/job.yaml): one warc
  source -> langid -> quality (Gopher repetition, Gopher quality, C4, FineWeb) -> near_dedup ->
  pii -> Parquet (+ rejected documents) -> tokens. Perplexity, exact dedup, line dedup and
  decontamination are off: datatrove's pipeline has none of them.
- datatrove 0.10.1: `bench/datatrove_e2e.py` with `LocalPipelineExecutor(tasks=W, workers=W)`:
  WarcReader -> extractor -> LanguageFilter -> GopherRepetitionFilter -> GopherQualityFilter ->
  C4QualityFilter -> FineWebQualityFilter -> MinHash in its four stages -> PIIFormatter ->
  JsonlWriter -> DocumentTokenizer (+ DocumentTokenizerMerger).

Settings matched on both sides: main text by resiliparse with Quarry's settings (datatrove gets
a BaseExtractor calling Quarry's `extract_main_text`), or `--extractor trafilatura` (Quarry's
`extractor: trafilatura`; datatrove's Trafilatura block with Quarry's arguments); language
`--languages` (default en) at score 0.65 on the whole text (Quarry `max_chars: null`); Gopher
and FineWeb at datatrove's defaults, which are Quarry's; C4 at datatrove's settings (5
sentences, 3 words per line, "'" as an end mark, no terminal-punctuation line rule, as FineWeb);
MinHash 5-grams, 14 bands x 8 rows, seed 1; PII e-mails and IP addresses (datatrove's
PIIFormatter's scope; `--pii default` gives Quarry its full default set); the same byte-level
BPE tokenizer.json (trained once with Quarry's tokenizer/bpe.py on generated pages, cached in
.bench/e2e-tokenizer/), `<|endoftext|>` after every document. Both write the kept documents
(Quarry: Parquet; datatrove: JSONL) and the dropped ones with their reason (Quarry
`keep_rejected: true`; datatrove an exclusion_writer per filter), then token files. Quarry's
clean Parquet is sharded W ways, like datatrove's one file per task.

Measured per tool, from outside its process tree (the tool runs under a small subreaper, so
processes its tree orphans are reaped too): wall seconds until the tool's process exits; CPU
seconds (user + sys of every process in the tree, RUSAGE_CHILDREN, cross-checked against /proc
samples); peak RSS as the largest single process (ru_maxrss over the tree) and as the peak sum
over the tree's processes sampled every 0.25 s (shared pages count once per process);
documents in = WARC response records (counted here by scanning the files once) per wall second;
MB/s = compressed WARC bytes per wall second. Per stage: datatrove's own stats.json per
executor (seconds per block, summed over tasks; MinHash stage 1 times everything upstream of
it, so its own share is its time minus the blocks before it) and each executor's wall time;
Quarry runs two fused Beam pipelines, so its phases come from the times its files appear
(documents pipeline, token pipeline, manifest). The funnel per stage is each tool's own.

No network for either: each tool runs in its own network namespace with only loopback up
(`unshare --net`, where permitted: root), and datatrove's process refuses internet sockets too
(bench/datatrove_dedup.py's guard) with HF_HUB_OFFLINE=1. Before each run the WARCs are read once,
so both start with them in the page cache.

Agreement: documents are matched by WARC-Record-ID (datatrove's doc id; Quarry's
`meta.record_id`). Printed: kept by both, by one only, Jaccard of the kept sets, each tool's
drops by stage and reason, and for documents one tool kept the other's reason. For the
generated corpus, the generator's ground truth judges cleanliness: kept pages in other
languages, low-quality pages, redundant duplicates, non-page responses, and planted PII still
present in kept text.

Caveats, each visible in the agreement tables rather than hidden:
- datatrove's WarcReader does not look at the HTTP status: 404 and 301 pages with an HTML
  payload are documents to it (its filters then drop them); Quarry skips non-200 responses.
  It decodes UTF-8, else cchardet's guess; Quarry follows header, <meta>, then detection.
- Quarry normalizes text (NFC, whitespace) before judging; datatrove judges the raw extraction.
- MinHash keeps one document per cluster: datatrove the first in its stream, Quarry the lowest
  id, so near-duplicate pairs can be kept differently without either being less clean.
- datatrove's PIIFormatter replaces only public IPs; the generator plants documentation-range
  IPs (192.0.2.x, 2001:db8::), which Quarry's presidio recognizer replaces and datatrove keeps.
- Trafilatura: datatrove pins trafilatura < 1.12 (1.11.0 in its venv); Quarry uses 2.x.
- datatrove runs extraction in a sandbox subprocess per task (1 s timeout per page); Beam's
  multi_processing runs W SDK worker processes beside its driver. Both count in CPU and RSS.
- Start-up is part of each tool's time. Quarry's is large (two Beam pipelines; the driver
  validates the PII stage and every worker loads presidio, fastText and the tokenizer), so at
  small sizes it dominates: judge the throughput goal at 200 MB or more.
- The generated pages are cleaner and more regular than the real web; pass real WARCs with
  `--warc` for the real-world figure.

Outputs stay under RUN_DIR (default .bench/e2e-runs/: quarry/ with job.yaml, run.log and the
output folder; datatrove/ with run.log, report.json and its folders); the JSON of every figure
goes to `-o` (default RUN_DIR/e2e.json).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DATATROVE_PYTHON = REPO / ".bench" / "datatrove-venv" / "bin" / "python"
DATATROVE_SCRIPT = REPO / "bench" / "datatrove_e2e.py"
BENCH = REPO / ".bench"
WARC_FILE_BYTES = 4 << 20  # generated WARCs rotate at 4 MiB, so W tasks get even shares of files
TOKENIZER_DIR = BENCH / "e2e-tokenizer"
TOKENIZER_SAMPLE_BYTES = 5_000_000
TOKENIZER_VOCAB = 16_000
TOKENIZER_SEED = 1  # the sample is generated with another seed than the corpus
EOS_TOKEN = "<|endoftext|>"
PII_MATCHED = ["EMAIL_ADDRESS", "IP_ADDRESS"]  # datatrove PIIFormatter's scope
C4_DATATROVE = {"min_sentences": 5, "min_words_per_line": 3, "end_marks": [".", "?", "!", '"', "'"],
                "filter_no_terminal_punct": False}
HTML_TYPES = ("text/html", "application/xhtml+xml")

# Stages in pipeline order; each tool's drops are mapped onto them.
STAGES = ["read", "extract", "langid", "gopher_repetition", "gopher_quality", "c4", "fineweb",
          "near_dedup", "pii", "kept"]
DATATROVE_STEP_STAGE = {"language": "langid", "gopher_repetition": "gopher_repetition",
                        "gopher_quality": "gopher_quality", "c4_quality": "c4",
                        "fineweb_quality": "fineweb", "minhash": "near_dedup"}
QUARRY_REASON_STAGE = {"langid": "langid", "gopher_repetition": "gopher_repetition",
                       "gopher_quality": "gopher_quality", "c4": "c4", "fineweb": "fineweb",
                       "near_duplicate": "near_dedup", "near_dedup": "near_dedup", "pii": "pii"}


# -- inputs -----------------------------------------------------------------------------------


def generated_corpus(size_mb: float, folder: Path) -> list[Path]:
    """WARC files of Quarry's demo web generator, at least `size_mb` MB compressed; made once."""
    info_path = folder / "corpus.json"
    if info_path.exists():
        info = json.loads(info_path.read_text())
        files = [folder / f for f in info["warc_files"]]
        if info.get("warc_max_bytes") == WARC_FILE_BYTES and all(f.exists() for f in files):
            return files
    from pipeline.demo.web import WebBuilder

    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    info = WebBuilder(folder, seed=0, warc_max_bytes=WARC_FILE_BYTES).build(int(size_mb * 1_000_000))
    files = [folder / f for f in info["warc_files"]]
    info_path.write_text(json.dumps({"size_mb": size_mb, "seed": 0, "warc_max_bytes": WARC_FILE_BYTES,
                                     "warc_files": info["warc_files"], "responses": info["responses"]}, indent=1))
    print(f"generated {sum(f.stat().st_size for f in files) / 1e6:,.1f} MB of WARC in {folder} "
          f"({time.perf_counter() - t0:.1f} s)", flush=True)
    return files


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def scan_warcs(files: list[Path], cache_dir: Path) -> list[dict]:
    """One row per WARC response record: record id, URL, HTTP status, HTTP and WARC payload types.

    Cached by the files' paths, sizes and modification times.
    """
    key = hashlib.sha256(json.dumps([(str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns)
                                     for f in files]).encode()).hexdigest()[:16]
    cache = cache_dir / f"responses-{key}.json.gz"
    if cache.exists():
        with gzip.open(cache, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    from warcio.archiveiterator import ArchiveIterator

    rows = []
    for path in files:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle, check_digests=False):
                if record.rec_type != "response":
                    continue
                headers = record.rec_headers
                http = record.http_headers
                rows.append({
                    "id": headers.get_header("WARC-Record-ID") or "",
                    "url": headers.get_header("WARC-Target-URI") or "",
                    "status": http.get_statuscode() if http else None,
                    "mime": _mime(http.get_header("Content-Type")) if http else "",
                    "payload": headers.get_header("WARC-Identified-Payload-Type"),
                })
    cache_dir.mkdir(parents=True, exist_ok=True)
    with gzip.open(cache, "wt", encoding="utf-8") as handle:
        json.dump(rows, handle)
    return rows


def warm_page_cache(files: Iterable[Path]) -> None:
    """Read the inputs once so neither tool pays for the first read from disk."""
    for path in files:
        with open(path, "rb") as handle:
            while handle.read(8 << 20):
                pass


def shared_tokenizer() -> Path:
    """A byte-level BPE tokenizer.json both tools load: trained once on generated pages, cached."""
    path = TOKENIZER_DIR / "tokenizer.json"
    if path.exists():
        return path
    from pipeline.demo.web import WebBuilder
    from tokenizer.bpe import save_tokenizer, train_bpe

    sample = TOKENIZER_DIR / "sample"
    shutil.rmtree(sample, ignore_errors=True)
    WebBuilder(sample, seed=TOKENIZER_SEED).build(TOKENIZER_SAMPLE_BYTES)
    pages = (sample / "ground_truth" / "web_pages.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["main_text"] for line in pages]
    tok = train_bpe(texts, vocab_size=TOKENIZER_VOCAB)
    saved = save_tokenizer(tok, TOKENIZER_DIR)
    shutil.rmtree(sample, ignore_errors=True)
    print(f"trained the shared tokenizer ({tok.get_vocab_size():,} tokens) on {len(texts):,} generated pages: {saved}")
    return Path(saved)


# -- measuring a process tree ------------------------------------------------------------------

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, int, float]]:
    """pid -> (ppid, RSS bytes, CPU seconds) for every process /proc shows."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2:].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[21]) * _PAGE, (int(fields[11]) + int(fields[12])) / _TICK)
    return table


class TreeSampler(threading.Thread):
    """Samples a process tree: peak summed RSS, most processes at once, CPU seen per process."""

    def __init__(self, root: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_rss = 0
        self.max_processes = 0
        self.cpu_seen: dict[int, float] = {}
        self._done = threading.Event()

    def sample(self) -> None:
        table = _proc_table()
        children = defaultdict(list)
        for pid, (ppid, _, _) in table.items():
            children[ppid].append(pid)
        tree, todo = [], list(children[self.root])  # the tool's processes, not the subreaper
        while todo:
            pid = todo.pop()
            if pid in table:
                tree.append(pid)
                todo.extend(children[pid])
        self.peak_rss = max(self.peak_rss, sum(table[p][1] for p in tree))
        self.max_processes = max(self.max_processes, len(tree))
        for pid in tree:
            self.cpu_seen[pid] = table[pid][2]

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._done.set()
        self.join()


# Runs a tool as a child subreaper (PR_SET_CHILD_SUBREAPER): processes its tree orphans (pool
# workers, forkservers, sandboxes) are re-parented to it instead of init, so it reaps them all
# and RUSAGE_CHILDREN holds the whole tree's CPU and its largest process's peak RSS. Wall time
# ends when the tool's own process exits. Arguments: OUT.json, then the command.
_REAPER = r"""
import ctypes, json, os, resource, subprocess, sys, time
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)
t0 = time.perf_counter()
rc = subprocess.Popen(sys.argv[2:]).wait()
wall = time.perf_counter() - t0
deadline, unreaped = time.monotonic() + 120, 0
while True:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if pid == 0:
        if time.monotonic() > deadline:
            unreaped = 1
            break
        time.sleep(0.05)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"returncode": rc, "wall_s": wall, "cpu_user_s": u.ru_utime, "cpu_sys_s": u.ru_stime,
               "max_process_rss_mb": u.ru_maxrss / 1024, "unreaped": unreaped,
               "reaped_s": time.perf_counter() - t0 - wall}, out)
"""


def offline_prefix() -> list[str]:
    """A command prefix that runs a tool in its own network namespace with only loopback up (Beam's
    workers talk gRPC on localhost): no route out. Empty where that is not permitted (not root)."""
    prefix = ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
    try:
        ok = subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return prefix if ok else []


def measure(cmd: list[str], log: Path, env: dict | None = None, prefix: list[str] | None = None) -> dict:
    """Run `cmd` to completion under a subreaper: wall, CPU and RSS of its whole process tree."""
    log.parent.mkdir(parents=True, exist_ok=True)
    usage_path = log.with_suffix(".usage.json")
    with open(log, "wb") as out:
        started = time.time()
        proc = subprocess.Popen([sys.executable, "-c", _REAPER, str(usage_path), *(prefix or []), *cmd],
                                stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=env)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        proc.wait()
        sampler.stop()
    usage = json.loads(usage_path.read_text())
    return {"cmd": cmd, "log": str(log), "started": started, **usage,
            "cpu_s": usage["cpu_user_s"] + usage["cpu_sys_s"],
            "cpu_sampled_s": sum(sampler.cpu_seen.values()),
            "peak_tree_rss_mb": sampler.peak_rss / 2**20, "max_processes": sampler.max_processes}


def _tail(path: str, lines: int = 30) -> str:
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


# -- Quarry ------------------------------------------------------------------------------------


def quarry_job(files: list[Path], out: Path, tokenizer: Path, args) -> dict:
    """The job file: one warc source and the stages datatrove's pipeline has, with its settings."""
    total = sum(f.stat().st_size for f in files)
    languages = None if args.languages == "all" else [x for x in args.languages.split(",") if x]
    return {
        "name": "e2e-bench",
        "sources": [{"name": "web", "kind": "warc", "paths": [str(f.resolve()) for f in files],
                     "extractor": args.extractor}],
        "stages": {
            "langid": {"languages": languages, "min_score": args.language_threshold, "max_chars": None},
            "quality": {"c4": C4_DATATROVE},
            "perplexity": {"enabled": False},
            "line_dedup": {"enabled": False},
            "exact_dedup": {"enabled": False},
            "near_dedup": {"enabled": True, "num_perm": 112, "bands": 14, "rows": 8, "ngram": 5, "seed": 1},
            "decontaminate": {"enabled": False},
            "pii": {"enabled": True, **({"entities": PII_MATCHED} if args.pii == "matched" else {})},
            "tokens": {"enabled": True, "tokenizer": str(tokenizer), "special_tokens": [EOS_TOKEN, "<|pad|>"],
                       "val_fraction": 0},
        },
        "output": {"path": str(out), "keep_rejected": True,
                   "input_bytes_per_shard": max(1, math.ceil(total / args.workers))},
    }


def run_quarry(files: list[Path], run_dir: Path, tokenizer: Path, args) -> dict:
    import yaml

    from pipeline.config import parse_job

    qdir = run_dir / "quarry"
    shutil.rmtree(qdir, ignore_errors=True)
    qdir.mkdir(parents=True)
    job = quarry_job(files, qdir / "output", tokenizer, args)
    parse_job(job, qdir)  # fail here, not in the timed run, if the schema moved
    job_path = qdir / "job.yaml"
    job_path.write_text(yaml.safe_dump(job, sort_keys=False, allow_unicode=True), encoding="utf-8")
    cmd = [sys.executable, "-m", "pipeline", "run", str(job_path), "--quiet",
           f"--direct_num_workers={args.workers}", "--direct_running_mode=multi_processing"]
    result = measure(cmd, qdir / "run.log", prefix=args.offline_prefix)
    if result["returncode"] != 0:
        sys.exit(f"Quarry failed (exit {result['returncode']}); log {result['log']}:\n{_tail(result['log'])}")
    out = qdir / "output"
    manifest = json.loads((out / "manifest.json").read_text())
    result["manifest"] = str(out / "manifest.json")
    result["funnel"] = manifest["funnel"]
    result["run"] = manifest["run"]
    result["phases"] = quarry_phases(out, result["started"], result["wall_s"])
    result["tokens"] = (manifest.get("tokens") or {}).get("splits")
    result["output"] = str(out)
    return result


def quarry_phases(out: Path, started: float, wall: float) -> list[dict]:
    """Seconds between the moments Quarry's files appear: its two Beam pipelines and the manifest."""
    marks = [("documents pipeline: start-up, read -> PII -> Parquet", out / "_quarry" / "shards-documents.json"),
             ("tokens pipeline: tokenizer, encode, mix, Arrow shards", out / "_quarry" / "shards-tokens.json"),
             ("manifest: checksums, manifest.json", out / "manifest.json")]
    phases, last = [], started
    for name, path in marks:
        if path.exists():
            at = path.stat().st_mtime
            phases.append({"name": name, "seconds": at - last})
            last = at
    phases.append({"name": "exit", "seconds": started + wall - last})
    return phases


def _meta(meta) -> dict:
    return dict(meta) if meta else {}


def quarry_outcomes(out: Path) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Kept documents (record id -> text) and rejected ones (record id -> (stage, reason))."""
    import pyarrow.parquet as pq

    kept, dropped = {}, {}
    for path in sorted((out / "documents").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "url", "text", "meta"]).to_pydict()
        for doc_id, url, text, meta in zip(table["id"], table["url"], table["text"], table["meta"]):
            kept[_meta(meta).get("record_id") or url or doc_id] = text
    for path in sorted((out / "rejected").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "url", "reason", "meta"]).to_pydict()
        for doc_id, url, reason, meta in zip(table["id"], table["url"], table["reason"], table["meta"]):
            dropped[_meta(meta).get("record_id") or url or doc_id] = (quarry_stage(reason), reason)
    return kept, dropped


def quarry_stage(reason: str) -> str:
    return QUARRY_REASON_STAGE.get(reason.split(".", 1)[0], reason.split(".", 1)[0])


def quarry_missing(row: dict) -> tuple[str, str]:
    """Why Quarry's reader made no document of a response (its rules in pipeline/readers/warc.py)."""
    if row["status"] != "200":
        return "read", "http_status"
    if row["mime"] and row["mime"] not in HTML_TYPES:
        return "read", "not_html"
    return "extract", "no_text"


# -- datatrove ---------------------------------------------------------------------------------


def run_datatrove(files: list[Path], run_dir: Path, tokenizer: Path, args) -> dict:
    if not DATATROVE_PYTHON.exists():
        sys.exit(f"no datatrove venv at {DATATROVE_PYTHON}: see bench/datatrove_e2e.py for its set-up")
    ddir = run_dir / "datatrove"
    shutil.rmtree(ddir, ignore_errors=True)
    report = ddir / "report.json"
    cmd = [str(DATATROVE_PYTHON), str(DATATROVE_SCRIPT), "--warc", *[str(f.resolve()) for f in files],
           "--workdir", str(ddir / "work"), "--tokenizer", str(tokenizer), "--workers", str(args.workers),
           "--extractor", args.extractor, "--languages", args.languages,
           "--language-threshold", str(args.language_threshold), "-o", str(report)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = measure(cmd, ddir / "run.log", env, prefix=args.offline_prefix)
    if result["returncode"] != 0:
        sys.exit(f"datatrove failed (exit {result['returncode']}); log {result['log']}:\n{_tail(result['log'])}")
    return {**json.loads(report.read_text()), **result}  # measured figures win over the report's


def _jsonl_rows(folder: str) -> Iterable[dict]:
    for path in sorted(Path(folder).glob("*.jsonl*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def datatrove_outcomes(report: dict) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    kept = {row["id"]: row["text"] for row in _jsonl_rows(report["folders"]["kept"])}
    dropped = {}
    for step, folder in report["folders"]["excluded"].items():
        for row in _jsonl_rows(folder):
            reason = (row.get("metadata") or {}).get("filter_reason") or step
            dropped[row["id"]] = (DATATROVE_STEP_STAGE.get(step, step), reason)
    return kept, dropped


def datatrove_missing(row: dict) -> tuple[str, str]:
    """Why datatrove made no document of a response (WarcReader's payload-type rule, then extraction)."""
    if row["payload"] is not None and row["payload"] not in HTML_TYPES:
        return "read", "not_html"
    return "extract", "empty, timeout or error"


# -- comparing ---------------------------------------------------------------------------------


def outcomes_by_record(responses: list[dict], kept: dict, dropped: dict, missing) -> dict[str, tuple[str, str]]:
    """Every response record's fate in one tool: ("kept", "") or (stage, reason)."""
    fate = {}
    for row in responses:
        rid = row["id"]
        if rid in kept:
            fate[rid] = ("kept", "")
        elif rid in dropped:
            fate[rid] = dropped[rid]
        else:
            fate[rid] = missing(row)
    return fate


def compare(quarry: dict[str, tuple[str, str]], datatrove: dict[str, tuple[str, str]]) -> dict:
    """Kept sets side by side, and the other tool's verdict on what only one kept."""
    kept_q = {r for r, (stage, _) in quarry.items() if stage == "kept"}
    kept_d = {r for r, (stage, _) in datatrove.items() if stage == "kept"}
    union = kept_q | kept_d
    only_q, only_d = kept_q - kept_d, kept_d - kept_q
    first_stage = Counter((quarry[r][0], datatrove[r][0]) for r in quarry.keys() & datatrove.keys()
                          if quarry[r][0] != datatrove[r][0])
    return {
        "kept_quarry": len(kept_q), "kept_datatrove": len(kept_d), "kept_both": len(kept_q & kept_d),
        "only_quarry": len(only_q), "only_datatrove": len(only_d),
        "jaccard": len(kept_q & kept_d) / len(union) if union else 1.0,
        "only_quarry_datatrove_said": _count_reasons(datatrove[r] for r in only_q),
        "only_datatrove_quarry_said": _count_reasons(quarry[r] for r in only_d),
        "stage_disagreements": [{"quarry": q, "datatrove": d, "documents": n} for (q, d), n in first_stage.most_common()],
    }


def _count_reasons(fates: Iterable[tuple[str, str]]) -> dict[str, int]:
    return dict(Counter(f"{stage}: {reason}" for stage, reason in fates).most_common())


def drops_by_stage(fate: dict[str, tuple[str, str]]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter] = defaultdict(Counter)
    for stage, reason in fate.values():
        table[stage][reason] += 1
    return {stage: dict(table[stage].most_common()) for stage in STAGES + sorted(set(table) - set(STAGES))
            if stage in table}


def redundant_copies(pages: list[dict]) -> dict[str, int]:
    """Kept pages of a duplicate group beyond the first (the original when kept), by how they were
    made: exact copies, or near copies with the share of words the generator edited."""
    groups: dict[int, list[dict]] = defaultdict(list)
    for page in pages:
        if page.get("dup_group") is not None:
            groups[page["dup_group"]].append(page)
    copies = Counter()
    for members in groups.values():
        members.sort(key=lambda p: (p["dup_kind"] != "original", p["url"]))
        for page in members[1:]:
            kind = page["dup_kind"]
            copies[f"near, {page['edit_rate']:.0%} edited" if kind == "near" else kind] += 1
    return dict(sorted(copies.items(), key=lambda kv: (kv[0] != "exact", int("".join(filter(str.isdigit, kv[0])) or 0))))


def cleanliness(truth: dict[str, dict], kept: dict[str, str], languages: list[str] | None) -> dict:
    """What the generator's ground truth says about a tool's kept documents."""
    pages = [truth[r] for r in kept if r in truth]
    planted, left = Counter(), Counter()
    for rid, text in kept.items():
        for item in (truth.get(rid) or {}).get("pii") or []:
            planted[item["type"]] += 1
            left[item["type"]] += item["value"] in text
    return {
        "kept": len(kept),
        "other_language": sum(1 for p in pages if languages and p["lang"] not in languages),
        "low_quality": dict(Counter(p["quality"] for p in pages if p["quality"] != "good")),
        "redundant_copies": redundant_copies(pages),
        "non_page_responses": sum(1 for r in kept if r not in truth),
        "pii_planted_in_kept": dict(planted),
        "pii_left_in_kept": dict(left),
    }


def load_truth(folder: Path) -> dict[str, dict]:
    path = folder / "ground_truth" / "web_pages.jsonl"
    if not path.exists():
        return {}
    truth = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        if page["source"] == "warc":
            truth[page["record_id"]] = page
    return truth


# -- report ------------------------------------------------------------------------------------


def _row(cells: list) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list]) -> str:
    return "\n".join([_row(header), _row(["---"] * len(header)), *[_row(r) for r in rows]])


def throughput(result: dict, n_docs: int, in_bytes: int) -> dict:
    wall = result["wall_s"]
    return {"docs_per_s": n_docs / wall, "mb_per_s": in_bytes / 1e6 / wall,
            "cpu_s_per_1k_docs": result["cpu_s"] * 1000 / n_docs if n_docs else None}


def print_report(report: dict) -> None:
    inp = report["input"]
    print(f"\n## End to end: {inp['files']} WARC files, {inp['mb']:,.1f} MB compressed, "
          f"{inp['responses']:,} response records; {report['workers']} worker(s) each; extractor {report['extractor']}")
    print(f"machine: {report['machine']['cpus']} cores, load average {report['machine']['loadavg_before']} before the "
          f"runs; network: {report['network']}\n")
    rows = []
    for tool in report["order"]:
        r, t = report[tool], report[tool]["throughput"]
        cpu_note = "" if r["cpu_s"] >= 0.95 * r["cpu_sampled_s"] else f" (sampled {r['cpu_sampled_s']:.1f})"
        rows.append([tool, f"{r['kept']:,}", f"{r['wall_s']:.1f}", f"{t['docs_per_s']:,.0f}", f"{t['mb_per_s']:.2f}",
                     f"{r['cpu_s']:.1f}{cpu_note}", f"{r['max_process_rss_mb']:,.0f}", f"{r['peak_tree_rss_mb']:,.0f}",
                     r["max_processes"]])
    print(_table(["tool", "kept", "wall s", "docs/s", "MB/s", "CPU s", "max RSS MB (one process)",
                  "peak RSS MB (sum, sampled)", "processes"], rows))
    if "quarry" in report and "datatrove" in report:
        q, d = report["quarry"]["throughput"], report["datatrove"]["throughput"]
        print(f"\nQuarry / datatrove documents/s: **{q['docs_per_s'] / d['docs_per_s']:.2f}x** (goal >= 1.5x); "
              f"CPU seconds: Quarry {report['quarry']['cpu_s'] / report['datatrove']['cpu_s']:.2f}x datatrove's")

    if "datatrove" in report:
        print("\n### datatrove per stage (block seconds are summed over tasks)\n")
        rows = []
        for stage in report["datatrove"]["stages"]:
            rows.append([f"**{stage['name']}**", stage["tasks"], f"{stage['wall_s']:.2f}", "", "", ""])
            upstream = 0.0
            for block in stage["blocks"]:
                seconds, note = block["time_s"] or 0.0, ""
                if block["name"] and "MinHash stage 1" in block["name"]:
                    seconds, note = max(0.0, seconds - upstream), " (own share)"
                upstream += block["time_s"] or 0.0
                stats = block["stats"]
                docs_in = stats.get("total", stats.get("documents", ""))
                out = stats.get("forwarded", "")
                rows.append([f"{block['name']}{note}", "", "", f"{seconds:.2f}", docs_in, out])
        print(_table(["stage / block", "tasks", "wall s", "block s", "in", "forwarded"], rows))
    if "quarry" in report:
        print("\n### Quarry phases (from when its files appear; the stages inside a Beam pipeline are fused)\n")
        print(_table(["phase", "seconds"], [[p["name"], f"{p['seconds']:.2f}"] for p in report["quarry"]["phases"]]))
        own = report["quarry"]["run"].get("phases") or {}  # manifests that record Quarry's own phase timer
        if own:
            print("\nQuarry's own phase timer (manifest run.phases)\n")
            print(_table(["phase", "seconds"], [[name, f"{sec:.2f}"] for name, sec in own.items()]))
        print("\nQuarry funnel (manifest)\n")
        print(_table(["stage", "in", "kept", "dropped", "errored"],
                     [[f["stage"], f"{f['in']:,}", f"{f['kept']:,}", f"{sum(f['dropped'].values()):,}", f["errored"]]
                      for f in report["quarry"]["funnel"]]))

    if "agreement" not in report:
        return
    a = report["agreement"]
    print("\n### Agreement on kept documents (by WARC-Record-ID)\n")
    print(_table(["kept by both", "only Quarry", "only datatrove", "Jaccard"],
                 [[f"{a['kept_both']:,}", f"{a['only_quarry']:,}", f"{a['only_datatrove']:,}", f"{a['jaccard']:.4f}"]]))
    print("\nDropped at each stage (a document counts at the first stage that drops it)\n")
    dq, dd = report["drops"]["quarry"], report["drops"]["datatrove"]
    rows = [[s, f"{sum(dq.get(s, {}).values()):,}", f"{sum(dd.get(s, {}).values()):,}"]
            for s in STAGES + sorted((set(dq) | set(dd)) - set(STAGES)) if s in dq or s in dd]
    print(_table(["stage", "Quarry", "datatrove"], rows))
    extractor = next((b["stats"] for b in report["datatrove"]["stages"][0]["blocks"]
                      if b["name"] and "EXTRAC" in b["name"]), {})
    print(f"\ndatatrove's extractor: {extractor.get('timeout', 0):,} timeouts, {extractor.get('clean_error', 0):,} "
          f"errors, {extractor.get('broken_process', 0):,} crashed sandboxes, {extractor.get('dropped', 0):,} empty")
    for tool, drops in (("Quarry", dq), ("datatrove", dd)):
        reasons = [f"{s}: {r} {n:,}" for s in drops if s != "kept" for r, n in drops[s].items()]
        print(f"\n{tool} drop reasons: " + "; ".join(reasons))
    if a["stage_disagreements"]:
        print("\nfirst stage to drop differs (Quarry / datatrove): " + "; ".join(
            f"{d['quarry']} / {d['datatrove']} {d['documents']:,}" for d in a["stage_disagreements"]))
    for label, key in (("kept only by Quarry; datatrove's verdict", "only_quarry_datatrove_said"),
                       ("kept only by datatrove; Quarry's verdict", "only_datatrove_quarry_said")):
        if a[key]:
            print(f"\n{label}: " + "; ".join(f"{k} {n:,}" for k, n in a[key].items()))
    if "cleanliness" in report:
        cq, cd = report["cleanliness"]["quarry"], report["cleanliness"]["datatrove"]
        print("\n### Cleanliness of the kept documents (generator's ground truth)\n")
        rows = [["kept", f"{cq['kept']:,}", f"{cd['kept']:,}"],
                ["in another language", cq["other_language"], cd["other_language"]],
                ["low-quality pages", sum(cq["low_quality"].values()), sum(cd["low_quality"].values())],
                ["non-page responses (404, 301)", cq["non_page_responses"], cd["non_page_responses"]]]
        for kind in dict.fromkeys([*cq["redundant_copies"], *cd["redundant_copies"]]):
            rows.append([f"redundant duplicates kept: {kind}", cq["redundant_copies"].get(kind, 0),
                         cd["redundant_copies"].get(kind, 0)])
        for kind in sorted(set(cq["pii_planted_in_kept"]) | set(cd["pii_planted_in_kept"])):
            rows.append([f"planted {kind} left in text / planted in kept",
                         f"{cq['pii_left_in_kept'].get(kind, 0)} / {cq['pii_planted_in_kept'].get(kind, 0)}",
                         f"{cd['pii_left_in_kept'].get(kind, 0)} / {cd['pii_planted_in_kept'].get(kind, 0)}"])
        print(_table(["measure", "Quarry", "datatrove"], rows))


# -- main ----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=200.0, help="compressed WARC MB to generate (default 200)")
    parser.add_argument("--warc", nargs="+", type=Path, help="run on these WARC files instead of generated ones")
    parser.add_argument("--workers", type=int, default=1, help="worker processes for each tool (default 1)")
    parser.add_argument("--extractor", choices=["resiliparse", "trafilatura"], default="resiliparse")
    parser.add_argument("--languages", default="en", help="comma-separated languages to keep, or 'all' (default en)")
    parser.add_argument("--language-threshold", type=float, default=0.65)
    parser.add_argument("--pii", choices=["matched", "default"], default="matched",
                        help="Quarry's PII entities: datatrove's scope (e-mail, IP) or Quarry's defaults")
    parser.add_argument("--tools", nargs="+", choices=["quarry", "datatrove"], default=["quarry", "datatrove"],
                        help="which tools to run, in this order")
    parser.add_argument("--run-dir", type=Path, default=BENCH / "e2e-runs", help="outputs of both tools (replaced)")
    parser.add_argument("-o", "--out", type=Path, default=None, help="JSON with every figure (default RUN_DIR/e2e.json)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")

    corpus = None
    if args.warc:
        files = [f.resolve() for f in args.warc]
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            parser.error(f"no such file: {', '.join(missing)}")
    else:
        corpus = BENCH / f"e2e-{args.size_mb:g}"
        files = generated_corpus(args.size_mb, corpus)
    args.offline_prefix = offline_prefix()
    if not args.offline_prefix:
        print("note: cannot make a network namespace here (needs root); relying on each tool being offline "
              "(datatrove's socket guard; Quarry reaches no network by design)", flush=True)
    responses = scan_warcs(files, BENCH / "e2e-scans")
    tokenizer = shared_tokenizer()
    in_bytes = sum(f.stat().st_size for f in files)
    n_docs = len(responses)
    languages = None if args.languages == "all" else [x for x in args.languages.split(",") if x]

    from importlib.metadata import version

    report: dict = {
        "input": {"files": len(files), "paths": [str(f) for f in files], "bytes": in_bytes, "mb": in_bytes / 1e6,
                  "responses": n_docs, "generated": corpus is not None,
                  "size_mb": args.size_mb if corpus is not None else None},
        "workers": args.workers, "extractor": args.extractor, "languages": args.languages,
        "language_threshold": args.language_threshold, "pii": args.pii, "tokenizer": str(tokenizer),
        "network": "own network namespace, loopback only" if args.offline_prefix else "not isolated",
        "order": args.tools,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "loadavg_before": " ".join(f"{x:.2f}" for x in os.getloadavg())},
        "versions": {"apache-beam": version("apache-beam"), "resiliparse": version("resiliparse"),
                     "trafilatura": version("trafilatura")},
    }
    fates = {}
    for tool in args.tools:
        warm_page_cache(files)
        print(f"running {tool} ...", flush=True)
        if tool == "quarry":
            result = run_quarry(files, args.run_dir, tokenizer, args)
            kept, dropped = quarry_outcomes(Path(result["output"]))
            fates[tool] = outcomes_by_record(responses, kept, dropped, quarry_missing)
        else:
            result = run_datatrove(files, args.run_dir, tokenizer, args)
            kept, dropped = datatrove_outcomes(result)
            fates[tool] = outcomes_by_record(responses, kept, dropped, datatrove_missing)
        result["kept"] = len(kept)
        result["throughput"] = throughput(result, n_docs, in_bytes)
        report[tool] = result
        print(f"  {tool}: {result['wall_s']:.1f} s, {result['throughput']['docs_per_s']:,.0f} docs/s, "
              f"kept {len(kept):,}", flush=True)
        if corpus is not None:
            report.setdefault("cleanliness", {})[tool] = cleanliness(load_truth(corpus), kept, languages)
        del kept, dropped
    report["drops"] = {tool: drops_by_stage(fate) for tool, fate in fates.items()}
    if len(fates) == 2:
        report["agreement"] = compare(fates["quarry"], fates["datatrove"])
    if len(report.get("cleanliness", {})) < 2:
        report.pop("cleanliness", None)

    print_report(report)
    out = args.out or args.run_dir / "e2e.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
