"""Decontamination: 13-gram overlap with evaluation items, case- and punctuation-insensitive."""
from __future__ import annotations

import gzip
import json

import pytest

from dedup.decontaminate import EvalIndex, match_words, read_eval_items

# 20 distinct words
EVAL_ITEM = (
    "The quick brown fox jumps over the lazy dog while seven wizards quietly "
    "vexed a jolly king beside frozen lakes"
)
WORDS = EVAL_ITEM.split()
FILLER_BEFORE = "Totally unrelated prose about gardening and soil chemistry"
FILLER_AFTER = "and then something else entirely happened downtown"


def doc_with_span(start: int, length: int) -> str:
    return f"{FILLER_BEFORE} {' '.join(WORDS[start:start + length])} {FILLER_AFTER}"


@pytest.fixture
def index() -> EvalIndex:
    return EvalIndex.from_texts([EVAL_ITEM])


def test_match_words():
    assert match_words("Hello, World!  It's   state-of-the-art.") == [
        "hello", "world", "its", "stateoftheart",
    ]
    assert match_words("«Ça va?» — ¡Sí!") == ["ça", "va", "sí"]
    assert match_words("") == []
    assert match_words(" ... !!! ") == []


def test_index_size(index):
    assert index.n == 13
    assert len(index) == len(WORDS) - 13 + 1


@pytest.mark.parametrize("start", [0, 3, len(WORDS) - 13])
def test_13_word_span_caught(index, start):
    doc = doc_with_span(start, 13)
    assert index.overlaps(doc) == 1
    assert index.contaminated(doc)


@pytest.mark.parametrize("start", [0, 5, len(WORDS) - 12])
def test_12_word_span_not_caught(index, start):
    doc = doc_with_span(start, 12)
    assert index.overlaps(doc) == 0
    assert not index.contaminated(doc)


def test_longer_span_counts_each_ngram_once(index):
    doc = doc_with_span(0, 15)
    assert index.overlaps(doc) == 3
    assert index.contaminated(doc, min_overlaps=3)
    assert not index.contaminated(doc, min_overlaps=4)
    # repeating the leaked passage does not inflate the count (distinct n-grams)
    assert index.overlaps(doc + " " + doc) == 3


def test_case_and_punctuation_insensitive(index):
    span = WORDS[2:15]
    mangled = " ".join(
        (w.upper() if i % 2 else w) + ("," if i % 3 == 0 else "") for i, w in enumerate(span)
    )
    doc = f'{FILLER_BEFORE}: "{mangled}!" {FILLER_AFTER}'
    assert index.contaminated(doc)
    # whitespace layout does not matter either
    assert index.contaminated(doc.replace(" ", "\n\t "))


def test_punctuation_in_eval_item():
    item = "Q: What's the capital of France? A: Paris, of course -- everyone knows that fact!"
    index = EvalIndex.from_texts([item])
    doc = "blah blah " + item.lower().replace("?", "").replace("!", "").replace(",", "") + " blah"
    assert index.contaminated(doc)


def test_short_eval_item_matches_whole_sequence():
    index = EvalIndex.from_texts(["Who wrote Hamlet?", EVAL_ITEM])
    assert index.short_lengths == {3}
    assert index.contaminated("Trivia: who wrote hamlet. Shakespeare did.")
    assert not index.contaminated("Who wrote it? Hamlet is a play.")
    # a 13-gram match still works alongside
    assert index.overlaps(doc_with_span(0, 13) + " who wrote Hamlet") == 2


def test_min_item_words_drops_tiny_items():
    index = EvalIndex.from_texts(["Yes", "No"], min_item_words=3)
    assert len(index) == 0
    assert not index.contaminated("yes no yes")
    assert EvalIndex.from_texts(["Yes"]).contaminated("Yes, indeed.")


def test_custom_n():
    index = EvalIndex.from_texts(["a b c d e f"], n=3)
    assert index.contaminated("x c d e y")
    assert not index.contaminated("x c d y e")
    with pytest.raises(ValueError):
        EvalIndex(n=0)


def test_empty_inputs():
    empty = EvalIndex.from_texts([])
    assert len(empty) == 0
    assert empty.overlaps(EVAL_ITEM) == 0
    assert not empty.contaminated(EVAL_ITEM)
    blank = EvalIndex.from_texts(["", "   ", "?!"])
    assert len(blank) == 0 and blank.short_lengths == set()
    index = EvalIndex.from_texts([EVAL_ITEM])
    assert index.overlaps("") == 0
    assert not index.contaminated("")
    assert not index.contaminated("   ")
    with pytest.raises(ValueError):
        index.contaminated(EVAL_ITEM, min_overlaps=0)


def test_load_jsonl_and_text(tmp_path):
    jsonl = tmp_path / "eval.jsonl"
    jsonl.write_text(
        "\n".join(
            [
                json.dumps({"text": EVAL_ITEM, "id": 1}),
                "",
                json.dumps({"other": "ignored because no text field"}),
                json.dumps({"text": None}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    txt = tmp_path / "eval.txt"
    txt.write_text(
        "\nOne two three four five six seven eight nine ten eleven twelve thirteen\n\n",
        encoding="utf-8",
    )
    index = EvalIndex.load([jsonl, str(txt)])
    assert len(index) == len(WORDS) - 13 + 1 + 1
    assert index.contaminated(doc_with_span(4, 13))
    assert index.contaminated("x one two three four five six seven eight nine ten eleven twelve thirteen y")
    assert not index.contaminated("one two three four five six seven eight nine ten eleven twelve")


def test_load_jsonl_joined_fields_and_gzip(tmp_path):
    path = tmp_path / "qa.jsonl.gz"
    rows = [
        {"question": "Which river flows through the old city of Prague", "answer": ["the Vltava", "Moldau"]},
        {"context": "no question or answer here"},
    ]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    items = list(read_eval_items(path, fields=("question", "answer")))
    assert items == ["Which river flows through the old city of Prague the Vltava Moldau"]
    index = EvalIndex.load([path], fields=("question", "answer"))
    # 12 words -> a short item, matched as a whole
    assert index.short_lengths == {12}
    assert index.contaminated("Quiz: which river flows through the old city of Prague? The Vltava (Moldau).")
    # default field "text" is absent -> nothing indexed
    assert len(EvalIndex.load([path])) == 0


def test_load_bad_json_reports_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{not json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        EvalIndex.load([path])


def test_load_no_paths():
    assert len(EvalIndex.load([])) == 0
