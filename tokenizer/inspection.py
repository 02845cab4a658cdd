"""What a trained tokenizer does to each source: compression, special ids, sample encodings.

Named `inspection`, not `inspect`, so that running a file of this folder as a script cannot
shadow the standard library's `inspect` (which dataclasses and typing import).

Bytes per token is the figure that matters when a mix is set in tokens: a source the vocabulary
compresses badly (code, a language the sample under-represented) costs more tokens per byte, so
its share in tokens exceeds its share in bytes. It is measured on a hash-chosen sample of each
source (the same keyed hash as the training sample), so it is stable from run to run.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from tokenizers import Tokenizer

from tokenizer.bpe import special_ids
from tokenizer.sample import Doc, HashReservoir, doc_key, iter_docs

_BATCH = 256


def encoding_example(tok: Tokenizer, text: str) -> dict[str, Any]:
    """One text's ids, vocabulary strings, decoded pieces and whether decoding gives it back."""
    ids = tok.encode(text, add_special_tokens=False).ids
    return {
        "text": text,
        "ids": ids,
        "tokens": [tok.id_to_token(i) for i in ids],
        # A piece that is part of a multi-byte character decodes to U+FFFD on its own.
        "pieces": [tok.decode([i], skip_special_tokens=False) for i in ids],
        "round_trip": tok.decode(ids, skip_special_tokens=False) == text,
    }


def _snippet(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit]


def inspect_tokenizer(
    tok: Tokenizer,
    docs: Mapping[str, Iterable[tuple[str, str]]] | Iterable[Doc] = (),
    *,
    chars_per_source: int = 1_000_000,
    examples: int = 3,
    example_chars: int = 80,
    seed: int = 0,
) -> dict[str, Any]:
    """Vocabulary, special tokens, and per source: bytes, tokens, bytes per token, round trips.

    `docs` is {source: [(id, text), ...]} or a stream of (source, id, text); about
    `chars_per_source` characters of each source are encoded.
    """
    specials = sorted((i, t.content) for i, t in tok.get_added_tokens_decoder().items() if t.special)
    report: dict[str, Any] = {
        "vocab_size": tok.get_vocab_size(with_added_tokens=True),
        "special_tokens": [{"token": content, "id": i} for i, content in specials],
        **special_ids(tok),
        "sources": {},
        "examples": [],
    }
    reservoirs: dict[str, HashReservoir] = {}
    for source, doc_id, text in iter_docs(docs):
        reservoir = reservoirs.setdefault(source, HashReservoir(chars_per_source))
        reservoir.offer(doc_key(seed, source, doc_id), source, doc_id, text)
    for source in sorted(reservoirs):
        texts = [text for *_, text in reservoirs[source].sorted()]
        n_bytes = n_tokens = failures = 0
        for start in range(0, len(texts), _BATCH):
            batch = texts[start : start + _BATCH]
            encodings = tok.encode_batch_fast(batch, add_special_tokens=False)  # ids only: no offsets
            decoded = tok.decode_batch([e.ids for e in encodings], skip_special_tokens=False)
            n_bytes += sum(len(t.encode("utf-8", "surrogatepass")) for t in batch)
            n_tokens += sum(len(e.ids) for e in encodings)
            failures += sum(d != t for d, t in zip(decoded, batch))
        report["sources"][source] = {
            "documents": len(texts),
            "chars": sum(map(len, texts)),
            "bytes": n_bytes,
            "tokens": n_tokens,
            "bytes_per_token": n_bytes / n_tokens if n_tokens else None,
            "round_trip_failures": failures,
        }
        if len(report["examples"]) < examples and texts:
            report["examples"].append({"source": source, **encoding_example(tok, _snippet(texts[0], example_chars))})
    return report
