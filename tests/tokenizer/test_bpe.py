"""Byte-level BPE training, the training sample and the inspection report, without the CLI."""
from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.demo.lexicon import LANGUAGES
from pipeline.demo.text import generator
from tokenizer.bpe import (TokenizerError, load_tokenizer, save_tokenizer, special_ids, tokenizer_sha256,
                           train_bpe)
from tokenizer.inspection import encoding_example, inspect_tokenizer
from tokenizer.sample import doc_key, sample_for_training

VOCAB = 600

# Texts a byte-level tokenizer must give back exactly, whatever it learned.
TRICKY = [
    "Hello, world!",
    "  leading spaces, trailing spaces   ",
    "\tdef f(x):\r\n\t\treturn {'a': [1, 2]}  # comment\r\n",
    "línea con acentos y eñe; Grüße aus Köln; Œuvre, naïve façade",
    "Привет, мир! Съешь же ещё этих мягких французских булок.",
    "日本語のテキストと中文文本，还有한국어 문장。",
    "مرحبا بالعالم — שלום עולם",
    "emoji: 🎉👍🏽 👨‍👩‍👧‍👦 🇩🇪 ❤️",
    "zero\u200bwidth, combining e\u0301 vs é, nbsp\u00a0here, ﬁ ligature",
    "NUL\x00 and bell\x07 and DEL\x7f, lone CR\r, form feed\x0c",
    "<|endoftext|> inside text, and <|pad|> too",
    "\n\n\nblank lines\n\n",
    "a" * 300 + " " + "ab" * 200,
    "",
]


def corpus(n_docs: int, seed: int = 0, langs: list[str] | None = None) -> list[str]:
    """Generated paragraphs in several languages, plus a little code: deterministic per seed."""
    rng = random.Random(seed)
    langs = langs or list(LANGUAGES)
    docs = []
    for i in range(n_docs):
        gen = generator(langs[i % len(langs)])
        docs.append("\n\n".join(gen.paragraph(rng, rng.randint(2, 5)) for _ in range(rng.randint(1, 3))))
        if i % 10 == 0:
            docs.append(f"def f{i}(x):\n\treturn x * {i}  # 🎉\r\n")
    return docs


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return corpus(300)


@pytest.fixture(scope="module")
def tok(texts):
    return train_bpe(texts, vocab_size=VOCAB)


def test_round_trip_is_byte_exact(tok):
    for text in TRICKY:
        ids = tok.encode(text, add_special_tokens=False).ids
        assert tok.decode(ids, skip_special_tokens=False) == text, text
    assert tok.get_vocab_size() == VOCAB


def test_special_tokens_come_first_in_the_order_given(tok, texts):
    assert special_ids(tok) == {"eos_id": 0, "pad_id": 1}
    assert tok.encode("<|endoftext|>").ids == [0]
    custom = train_bpe(texts[:50], vocab_size=300, special_tokens=("<|pad|>", "<|x|>", "<|endoftext|>"))
    assert [custom.token_to_id(t) for t in ("<|pad|>", "<|x|>", "<|endoftext|>")] == [0, 1, 2]
    assert special_ids(custom) == {"eos_id": 2, "pad_id": 0}


def test_same_texts_and_config_give_a_byte_identical_file(tok, texts, tmp_path):
    first = save_tokenizer(tok, tmp_path / "a")
    shuffled = list(texts)
    random.Random(7).shuffle(shuffled)
    second = save_tokenizer(train_bpe(shuffled, vocab_size=VOCAB), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    # Another process with another thread count (rayon's pool is fixed per process).
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from tests.tokenizer.test_bpe import corpus; "
            "from tokenizer.bpe import train_bpe, save_tokenizer; "
            f"save_tokenizer(train_bpe(corpus(300), vocab_size={VOCAB}), sys.argv[2])")
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code, str(root), str(tmp_path / "c")], check=True,
                   env={**os.environ, "RAYON_NUM_THREADS": "1"})
    assert (tmp_path / "c" / "tokenizer.json").read_bytes() == first.read_bytes()
    assert tokenizer_sha256(tmp_path / "a") == hashlib.sha256(first.read_bytes()).hexdigest()
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.endswith(".tmp")]


def test_loads_with_tokenizers_and_transformers(tok, tmp_path):
    from tokenizers import Tokenizer

    save_tokenizer(tok, tmp_path)
    plain = Tokenizer.from_file(str(tmp_path / "tokenizer.json"))
    assert plain.encode(TRICKY[7]).ids == tok.encode(TRICKY[7]).ids
    assert load_tokenizer(tmp_path).to_str() == tok.to_str()
    transformers = pytest.importorskip("transformers")
    fast = transformers.PreTrainedTokenizerFast.from_pretrained(str(tmp_path))
    assert (fast.eos_token, fast.eos_token_id, fast.pad_token, fast.pad_token_id) == ("<|endoftext|>", 0, "<|pad|>", 1)
    assert len(fast) == VOCAB
    for text in TRICKY:
        assert fast.decode(fast.encode(text)) == text
    batch = fast(["a b c", "a"], padding=True)
    assert batch["input_ids"][1][-1] == 1 and batch["attention_mask"][1][-1] == 0


def test_bad_settings_and_files_are_one_line_errors(texts, tmp_path):
    with pytest.raises(TokenizerError, match="too small"):
        train_bpe(texts, vocab_size=257)
    with pytest.raises(TokenizerError, match="normalization"):
        train_bpe(texts, vocab_size=300, normalization="nfd")  # type: ignore[arg-type]
    with pytest.raises(TokenizerError, match="no tokenizer"):
        load_tokenizer(tmp_path / "missing")
    (tmp_path / "tokenizer.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TokenizerError, match="not a tokenizer") as err:
        load_tokenizer(tmp_path)
    assert "\n" not in str(err.value)


def test_nfkc_normalizes_before_bpe(texts):
    tok = train_bpe(texts[:50], vocab_size=300, normalization="nfkc")
    ids = tok.encode("ﬁne").ids
    assert tok.decode(ids) == "fine"


# --- the training sample ---------------------------------------------------------------------


def _docs(seed: int = 0) -> dict[str, list[tuple[str, str]]]:
    """Three sources of very different sizes (characters: big ~ 20x small)."""
    rng = random.Random(seed)
    sizes = {"big": 2000, "mid": 500, "small": 100}
    return {s: [(f"{s}-{i}", "x" * rng.randint(50, 150)) for i in range(n)] for s, n in sizes.items()}


def test_sample_follows_the_weights():
    docs = _docs()
    weights = {"big": 0.2, "mid": 0.3, "small": 0.5}
    sample = sample_for_training(docs, weights, max_chars=10_000, seed=1)
    for source, weight in weights.items():
        assert sample.sources[source].chars == pytest.approx(weight * 10_000, abs=150)
    assert sample.chars == pytest.approx(10_000, abs=450)


def test_sample_without_weights_follows_size():
    docs = _docs()
    sample = sample_for_training(docs, None, max_chars=30_000, seed=0)
    available = {s: sum(len(t) for _, t in d) for s, d in docs.items()}
    total = sum(available.values())
    for source in docs:
        assert sample.sources[source].chars == pytest.approx(30_000 * available[source] / total, abs=150)
    everything = sample_for_training(docs, None, max_chars=total, seed=0)
    assert everything.chars == total and sorted(everything.texts) == sorted(t for d in docs.values() for _, t in d)


def test_sample_is_deterministic_and_order_free():
    docs = _docs()
    a = sample_for_training(docs, {"big": 1, "small": 1}, max_chars=8_000, seed=3)
    triples = [(s, i, t) for s, items in docs.items() for i, t in items]
    random.Random(0).shuffle(triples)
    b = sample_for_training(triples, {"big": 1, "small": 1}, max_chars=8_000, seed=3)
    assert a.texts == b.texts and a.sources == b.sources
    assert a.sources["mid"].chars == 0 and a.sources["mid"].available_documents == 500
    other = sample_for_training(docs, {"big": 1, "small": 1}, max_chars=8_000, seed=4)
    assert other.texts != a.texts
    assert doc_key(0, "web", "1") != doc_key(1, "web", "1")


def test_small_source_is_repeated_up_to_the_cap():
    docs = _docs()
    available = sum(len(t) for _, t in docs["small"])
    sample = sample_for_training(docs, {"big": 0.5, "small": 0.5}, max_chars=5 * available, seed=0)
    assert sample.sources["small"].chars == pytest.approx(2.5 * available, rel=0.02)
    capped = sample_for_training(docs, {"big": 0.1, "small": 0.9}, max_chars=20 * available, seed=0, max_repeat=4)
    assert capped.sources["small"].chars == pytest.approx(4 * available, rel=0.02)
    with pytest.raises(ValueError):
        sample_for_training(docs, {"big": -1}, max_chars=10)


# --- inspection ------------------------------------------------------------------------------


def test_inspection_reports_bytes_per_token_and_round_trips(tok):
    docs = {"prose": [(str(i), t) for i, t in enumerate(corpus(40, seed=5))], "tricky": list(enumerate(TRICKY))}
    docs["tricky"] = [(str(i), t) for i, t in docs["tricky"]]
    report = inspect_tokenizer(tok, docs, examples=2)
    assert report["vocab_size"] == VOCAB and report["eos_id"] == 0 and report["pad_id"] == 1
    assert report["special_tokens"] == [{"token": "<|endoftext|>", "id": 0}, {"token": "<|pad|>", "id": 1}]
    prose = report["sources"]["prose"]
    assert prose["round_trip_failures"] == 0 and report["sources"]["tricky"]["round_trip_failures"] == 0
    assert 1.5 < prose["bytes_per_token"] < 8
    assert [e["source"] for e in report["examples"]] == ["prose", "tricky"]
    example = encoding_example(tok, "Grüße 🎉")
    assert example["round_trip"] and len(example["ids"]) == len(example["tokens"]) == len(example["pieces"])
