"""`quarry tokenizer train|inspect|encode`: byte-level BPE from files or a Quarry run's documents.

Inputs are read raw: unlike `quarry lm train`, whose `texts_from` applies the pipeline's text
normalization (it collapses runs of spaces and tabs in prose), a tokenizer must see text as the
model will, tabs, indentation and line ends included. The file expansion (`_expand`) and the
JSONL/Parquet readers are the same ones `quarry lm train` uses.

Heavy imports (tokenizers, pyarrow, rich) happen inside the handlers, so `quarry --help` stays fast.
"""
from __future__ import annotations

from pipeline.cli_common import fail as _fail

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, Iterator

Doc = tuple[str, str, str]  # (source, id, text), as tokenizer.sample takes them

DEFAULT_SAMPLE_CHARS = 200_000_000
_QUARRY_COLUMNS = ("id", "source", "text")


class TokenizerCliError(ValueError):
    """An expected failure of a tokenizer command; one line for the user."""


# --- reading documents -----------------------------------------------------------------------


def _source_name(path: str) -> str:
    """`wiki.jsonl.gz` -> `wiki`: a corpus file's name without its extensions."""
    base = os.path.basename(path)
    return base.split(".", 1)[0] or base


def _is_quarry_shard(path: str) -> bool:
    """A Parquet file with id, source and text columns: one of Quarry's own documents shards."""
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception:
        return False  # read_parquet reports the problem as a skipped file
    return all(column in names for column in _QUARRY_COLUMNS)


def quarry_shard_docs(path: str) -> Iterator[Doc]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        for batch in parquet.iter_batches(batch_size=1024, columns=list(_QUARRY_COLUMNS)):
            for doc_id, source, text in zip(*(batch.column(c).to_pylist() for c in _QUARRY_COLUMNS)):
                if text:
                    yield source or "input", doc_id or "", text
    except OSError as exc:
        raise TokenizerCliError(f"{path}: unreadable Parquet: {str(exc).strip().splitlines()[0]}") from None


def _file_docs(path: str, text_field: str) -> Iterator[Doc]:
    """One file's documents, raw (a tokenizer must see text as it is): a text file is one (source
    "input"); JSONL/Parquet rows are one each, their source the file's name."""
    from pipeline.lm_cli import file_documents

    if path.lower().endswith(".parquet") and _is_quarry_shard(path):
        yield from quarry_shard_docs(path)
        return
    plain = not path.lower().endswith((".jsonl", ".jsonl.gz", ".json.gz", ".jsonl.bz2", ".parquet"))
    source = "input" if plain else _source_name(path)
    for locator, text in file_documents(path, text_field, label="quarry tokenizer"):
        yield source, locator, text


def expand_inputs(patterns: list[str]) -> list[str]:
    """Files and globs -> paths (as `quarry lm train` expands them); TokenizerCliError if missing."""
    from pipeline.lm_cli import LmInputError, _expand

    try:
        return _expand(patterns)
    except LmInputError as exc:
        raise TokenizerCliError(str(exc)) from None


def manifest_shards(path: str) -> tuple[list[str], dict[str, Any]]:
    """A run's documents shards (absolute paths) and its resolved job config."""
    from manifests.schema import ManifestError
    from manifests.show import load_manifest, manifest_path

    try:
        manifest = load_manifest(path)
    except ManifestError as exc:
        raise TokenizerCliError(str(exc)) from None
    output = manifest.outputs.get("documents")
    if output is None:
        raise TokenizerCliError(f"{manifest_path(path)}: the run wrote no documents output")
    folder = os.path.dirname(os.path.abspath(manifest_path(path)))
    shards = [os.path.join(folder, shard.path) for shard in output.shards]
    missing = [s for s in shards if not os.path.isfile(s)]
    if missing:
        raise TokenizerCliError(f"documents shard listed in the manifest not found: {missing[0]}")
    if not shards:
        raise TokenizerCliError(f"{manifest_path(path)}: the run wrote no documents")
    return shards, manifest.config


def config_mix_weights(config: dict[str, Any]) -> dict[str, float] | None:
    """Target weights from a job config's `stages.tokens.mix`, when it has them.

    Accepts {source: weight} or {source: {weight|target_weight: w}}; anything else is no weights.
    """
    tokens = (config.get("stages") or {}).get("tokens") if isinstance(config.get("stages"), dict) else None
    mix = tokens.get("mix") if isinstance(tokens, dict) else None
    if not isinstance(mix, dict) or not mix:
        return None
    weights: dict[str, float] = {}
    for source, value in mix.items():
        if isinstance(value, dict):
            value = value.get("weight", value.get("target_weight"))
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        weights[str(source)] = float(value)
    return weights


def parse_weights(text: str) -> dict[str, float]:
    """`wiki=0.5,code=0.3,web=0.2` -> {"wiki": 0.5, ...}; TokenizerCliError on bad syntax."""
    weights: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        source, sep, value = item.partition("=")
        try:
            if not sep or not source.strip():
                raise ValueError
            weight = float(value)
        except ValueError:
            raise TokenizerCliError(f"--weights: expected SOURCE=WEIGHT, got {item!r}") from None
        if not weight >= 0 or weight == float("inf"):
            raise TokenizerCliError(f"--weights: weight of {source.strip()!r} must be a non-negative number")
        weights[source.strip()] = weight
    if not weights:
        raise TokenizerCliError("--weights: no SOURCE=WEIGHT given")
    if sum(weights.values()) <= 0:
        raise TokenizerCliError("--weights: the weights sum to zero")
    return weights


def _read_all(files: list[str], text_field: str, label: str) -> Iterator[Doc]:
    """Every document of `files`, with a rich progress bar on stderr (files, documents, chars)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
               TextColumn("{task.fields[docs]:,} docs, {task.fields[chars]:,} chars"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(label, total=len(files), docs=0, chars=0)
        docs = chars = 0
        for path in files:
            for doc in _file_docs(path, text_field):
                docs += 1
                chars += len(doc[2])
                if docs % 1000 == 0:
                    progress.update(task, docs=docs, chars=chars)
                yield doc
            progress.update(task, advance=1, docs=docs, chars=chars)


def _documents(args: argparse.Namespace, label: str) -> tuple[list[str], dict[str, float] | None]:
    """The files to read (from --input or --manifest) and the manifest's mix weights, if any."""
    if getattr(args, "manifest", None):
        files, config = manifest_shards(args.manifest)
        return files, config_mix_weights(config)
    return expand_inputs(args.input), None


# --- handlers --------------------------------------------------------------------------------


def _train(args: argparse.Namespace, extra: list[str]) -> int:
    from tokenizer.bpe import TokenizerError, min_vocab_size, save_tokenizer, special_ids, tokenizer_sha256, train_bpe
    from tokenizer.sample import sample_for_training

    started = time.monotonic()
    try:
        if args.vocab_size < min_vocab_size(args.special_tokens):
            raise TokenizerError(
                f"--vocab-size {args.vocab_size} is too small: byte-level BPE needs at least 256 bytes + "
                f"{len(args.special_tokens)} special tokens = {min_vocab_size(args.special_tokens)}")
        if args.sample_chars <= 0:
            raise TokenizerCliError(f"--sample-chars must be positive, not {args.sample_chars}")
        if Path(args.out).exists() and not Path(args.out).is_dir():
            raise TokenizerCliError(f"--out {args.out} is a file, not a folder")
        given = parse_weights(args.weights) if args.weights else None
        files, config_weights = _documents(args, "reading")
        weights = given or config_weights
        sample = sample_for_training(_read_all(files, args.text_field, "reading"), weights,
                                     args.sample_chars, args.seed)
        empty = sorted(s for s in weights or {} if weights[s] > 0 and sample.sources[s].available_documents == 0)
        present = ", ".join(s for s, v in sample.sources.items() if v.available_documents)
        if empty and given:  # most likely a misspelt source name
            raise TokenizerCliError(f"--weights names sources with no documents: {', '.join(empty)} (sources: {present})")
        if empty:  # the job's mix: a source may have lost every document to the filters
            print(f"quarry tokenizer: warning: mix sources with no documents: {', '.join(empty)}", file=sys.stderr)
        if not sample.texts:
            raise TokenizerCliError("no text to train on: the inputs hold no documents")
        read_s = time.monotonic() - started
        tok = train_bpe(sample.texts, vocab_size=args.vocab_size, min_frequency=args.min_frequency,
                        special_tokens=args.special_tokens, normalization=args.normalization,
                        show_progress=sys.stderr.isatty(), length=len(sample.texts))
        path = save_tokenizer(tok, args.out)
    except (TokenizerCliError, TokenizerError, ValueError) as exc:
        return _fail(str(exc).strip().splitlines()[0])
    _print_train_summary(path, tok.get_vocab_size(), special_ids(tok), tokenizer_sha256(path), sample,
                         weights, read_s, time.monotonic() - started)
    return 0


def _print_train_summary(path: Path, vocab_size: int, ids: dict, sha: str, sample: Any,
                         weights: dict[str, float] | None, read_s: float, total_s: float) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    print(f"tokenizer: {path}")
    print(f"vocab size: {vocab_size:,}  eos id: {ids['eos_id']}  pad id: {ids['pad_id']}")
    print(f"sha256: {sha}")
    table = Table(title=f"training sample ({'target weights' if weights else 'in proportion to size'})")
    columns = ("source", "documents", "chars", "share", *(("target chars",) if weights else ()), "available chars")
    for column in columns:
        table.add_column(column, justify="left" if column == "source" else "right")
    total = max(sample.chars, 1)
    for source, s in sample.sources.items():
        target = (f"{s.target_chars:,}",) if weights else ()
        table.add_row(escape(source), f"{s.documents:,}", f"{s.chars:,}", f"{s.chars / total:.1%}", *target,
                      f"{s.available_chars:,}")
    Console(width=max(100, Console().width)).print(table)
    print(f"sample: {sample.chars:,} chars in {len(sample.texts):,} documents; "
          f"read {read_s:,.1f} s, total {total_s:,.1f} s")


def _load(path: str):
    from tokenizer.bpe import load_tokenizer

    return load_tokenizer(path)


def _inspect(args: argparse.Namespace, extra: list[str]) -> int:
    import json

    from tokenizer.bpe import TokenizerError, tokenizer_file, tokenizer_sha256
    from tokenizer.inspection import inspect_tokenizer

    try:
        tok = _load(args.tokenizer)
        docs: Any = ()
        if args.input or args.manifest:
            files, _ = _documents(args, "reading")
            docs = _read_all(files, args.text_field, "reading")
        report = inspect_tokenizer(tok, docs, chars_per_source=args.sample_chars, seed=args.seed)
    except (TokenizerCliError, TokenizerError, ValueError) as exc:
        return _fail(str(exc).strip().splitlines()[0])
    report = {"path": str(tokenizer_file(args.tokenizer)), "sha256": tokenizer_sha256(args.tokenizer), **report}
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _render_inspection(report)
    return 0


def _render_inspection(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(width=max(100, Console().width))
    console.print(f"tokenizer: {escape(report['path'])}", highlight=False)
    console.print(f"sha256: {report['sha256']}", highlight=False)
    console.print(f"vocab size: {report['vocab_size']:,}  eos id: {report['eos_id']}  pad id: {report['pad_id']}",
                  highlight=False)
    specials = Table(title="special tokens")
    specials.add_column("id", justify="right")
    specials.add_column("token")
    for item in report["special_tokens"]:
        specials.add_row(str(item["id"]), escape(item["token"]))
    console.print(specials)
    if report["sources"]:
        table = Table(title="per source (a hash-chosen sample)")
        for column in ("source", "documents", "bytes", "tokens", "bytes/token", "round-trip failures"):
            table.add_column(column, justify="left" if column == "source" else "right")
        for source, s in report["sources"].items():
            bpt = "-" if s["bytes_per_token"] is None else f"{s['bytes_per_token']:.2f}"
            table.add_row(escape(source), f"{s['documents']:,}", f"{s['bytes']:,}", f"{s['tokens']:,}", bpt,
                          str(s["round_trip_failures"]))
        console.print(table)
    for example in report["examples"]:
        _render_example(console, example, title=f"sample encoding ({example['source']})")


def _render_example(console: Any, example: dict[str, Any], title: str) -> None:
    from rich.markup import escape

    console.print(f"[bold]{escape(title)}[/bold]: {len(example['ids'])} tokens")
    lines = (f"  text:   {repr(example['text'])}",
             f"  pieces: {' | '.join(repr(p)[1:-1] for p in example['pieces'])}",
             f"  tokens: {' '.join(example['tokens'])}",
             f"  ids:    {example['ids']}",
             f"  round trip: {'ok (byte-exact)' if example['round_trip'] else 'DIFFERS (the tokenizer normalizes)'}")
    for line in lines:  # soft wrap: the terminal folds long lines, copy-paste gets them whole
        console.print(escape(line), highlight=False, soft_wrap=True)


def _encode(args: argparse.Namespace, extra: list[str]) -> int:
    import json

    from rich.console import Console

    from tokenizer.bpe import TokenizerError
    from tokenizer.inspection import encoding_example

    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        tok = _load(args.tokenizer)
    except TokenizerError as exc:
        return _fail(str(exc))
    example = encoding_example(tok, text)
    if args.json:
        print(json.dumps(example, ensure_ascii=False))
    else:
        _render_example(Console(), example, title="encoding")
    return 0


# --- the parser ------------------------------------------------------------------------------


def _int(text: str) -> int:
    """An integer that may use underscores or commas as separators: 200_000_000, 200,000,000."""
    try:
        return int(text.replace(",", "_"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def _add_document_inputs(parser: argparse.ArgumentParser, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--input", nargs="+", metavar="PATH",
                       help="text files (one document each, source 'input'), JSONL or Parquet files or globs "
                       "(source: the file name before its first dot; Quarry's documents shards: their source column)")
    group.add_argument("--manifest", metavar="PATH",
                       help="a Quarry run's manifest.json or output folder: reads its documents shards")
    parser.add_argument("--text-field", default="text", help="JSONL/Parquet text field (default: text)")


def add_tokenizer_commands(sub: argparse._SubParsersAction) -> None:
    """Register `tokenizer` and its subcommands train, inspect and encode on quarry's parser."""
    from tokenizer.bpe import DEFAULT_SPECIAL_TOKENS, NORMALIZATIONS

    tokenizer = sub.add_parser("tokenizer", help="train, inspect and try byte-level BPE tokenizers")
    tsub = tokenizer.add_subparsers(dest="tokenizer_command", required=True, metavar="SUBCOMMAND")

    train = tsub.add_parser(
        "train", help="train a byte-level BPE tokenizer on a sample of documents",
        description="Train a byte-level BPE tokenizer (GPT-2 style: any text encodes, and decodes back "
        "byte for byte with --normalization none) on a deterministic sample of documents: about "
        "--sample-chars characters, each source's share set by --weights, else by the manifest's "
        "stages.tokens.mix, else by its size. Writes DIR/tokenizer.json plus tokenizer_config.json and "
        "special_tokens_map.json, so transformers' PreTrainedTokenizerFast.from_pretrained(DIR) loads it. "
        "The same inputs and options give a byte-identical tokenizer.json.",
        epilog="example: quarry tokenizer train --manifest demo-out/output --vocab-size 8000 --out tok/",
    )
    _add_document_inputs(train, required=True)
    train.add_argument("--vocab-size", type=_int, required=True, help="vocabulary size, special tokens included")
    train.add_argument("--out", required=True, metavar="DIR", help="folder to write tokenizer.json into")
    train.add_argument("--min-frequency", type=_int, default=2, help="least count of a merged pair (default: 2)")
    train.add_argument("--special-tokens", nargs="+", default=list(DEFAULT_SPECIAL_TOKENS), metavar="TOKEN",
                       help="special tokens, ids 0.. in this order (default: <|endoftext|> <|pad|>)")
    train.add_argument("--normalization", choices=NORMALIZATIONS, default="none",
                       help="Unicode normalization before BPE (default: none, which keeps the byte round trip)")
    train.add_argument("--sample-chars", type=_int, default=DEFAULT_SAMPLE_CHARS,
                       help=f"characters in the training sample (default: {DEFAULT_SAMPLE_CHARS:_})")
    train.add_argument("--weights", metavar="SRC=W,...", help="mix weights per source, e.g. wiki=0.5,web=0.5")
    train.add_argument("--seed", type=int, default=0, help="sampling seed (default: 0)")
    train.set_defaults(handler=_train)

    inspect = tsub.add_parser(
        "inspect", help="a tokenizer's vocabulary, special ids and bytes per token per source",
        description="Print a tokenizer's vocabulary size, special tokens and sha256; with --input or "
        "--manifest also, per source, bytes per token and byte-exact round trips over a sample, and a "
        "sample encoding of each source.",
        epilog="example: quarry tokenizer inspect tok/ --manifest demo-out/output",
    )
    inspect.add_argument("tokenizer", metavar="TOKENIZER", help="tokenizer.json or the folder holding it")
    _add_document_inputs(inspect, required=False)
    inspect.add_argument("--sample-chars", type=_int, default=1_000_000,
                         help="characters encoded per source (default: 1_000_000)")
    inspect.add_argument("--seed", type=int, default=0, help="sampling seed (default: 0)")
    inspect.add_argument("--json", action="store_true", help="print the report as JSON")
    inspect.set_defaults(handler=_inspect)

    encode = tsub.add_parser(
        "encode", help="encode a text: ids, token strings, and the round-trip check",
        epilog="example: quarry tokenizer encode 'Hello, world!' --tokenizer tok/",
    )
    encode.add_argument("text", metavar="TEXT", help="the text to encode ('-' reads standard input)")
    encode.add_argument("--tokenizer", required=True, help="tokenizer.json or the folder holding it")
    encode.add_argument("--json", action="store_true", help="print ids, tokens and pieces as JSON")
    encode.set_defaults(handler=_encode)
