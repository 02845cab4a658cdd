"""Gopher quality and repetition judges: every rule just inside and just outside its threshold,
exact signal values, switched-off rules, and the shared word tokenizer and n-gram counts."""
from __future__ import annotations

import random
import time
from collections import Counter
from fractions import Fraction

import pytest

from filters.gopher import GopherQuality, GopherQualityConfig, GopherRepetition, GopherRepetitionConfig
from filters.text_stats import clear_cache, doc_stats, duplicates, ngram_repetition, words
from filters.verdict import Verdict


def w(i: int, length: int = 5) -> str:
    """A distinct lowercase word of `length` letters for each i (never a stop word)."""
    letters = []
    for _ in range(length - 1):
        letters.append(chr(97 + i % 26))
        i //= 26
    return "z" + "".join(reversed(letters))


def prose(n_words: int, length: int = 5, start: int = 0) -> list[str]:
    """`n_words` words: two stop words ("the", "and"), then distinct words of `length` letters."""
    return ["the", "and"] + [w(start + i, length) for i in range(n_words - 2)]


def padded(body: str, numerator: int, threshold: float, shorter: int = 0) -> str:
    """`body` plus a space and one filler word, so that numerator / len(text) == threshold
    exactly (`shorter` > 0 makes the text that much shorter: just over the threshold)."""
    target = Fraction(numerator) / Fraction(str(threshold))
    assert target.denominator == 1, "pick a numerator that makes the text length whole"
    pad = int(target) - len(body) - 1 - shorter
    assert pad >= 1
    return f"{body} {'q' * pad}"


# --------------------------------------------------------------------------------------------
# GopherQuality
# --------------------------------------------------------------------------------------------

def quality(text: str, **config) -> Verdict:
    return GopherQuality(**config).judge(text)


def test_signals_exact_on_a_small_document():
    text = "The cat sat on the mat.\n- A list item #1...\n\nAnd that's it…"
    # tokens: The cat sat on the mat . | - A list item # 1 ... | And that 's it …  (19)
    s = quality(text).signals
    assert s == {
        "gopher_quality.word_count": 14.0,  # all but . - # ... …
        "gopher_quality.mean_word_length": 38 / 14,
        "gopher_quality.hash_ratio": 1 / 19,
        "gopher_quality.ellipsis_ratio": 2 / 19,
        "gopher_quality.bullet_lines_ratio": 1 / 4,  # 4 lines, the blank one included
        "gopher_quality.ellipsis_lines_ratio": 2 / 4,
        "gopher_quality.alpha_words_ratio": 13 / 19,
        "gopher_quality.stop_words": 2.0,  # "the", "that" (not "And": case-sensitive)
    }


def test_min_words():
    assert quality(" ".join(prose(50))).keep
    v = quality(" ".join(prose(49)))
    assert v.reason == "gopher_quality.min_words" and v.signals["gopher_quality.word_count"] == 49
    # punctuation tokens are not words
    v = quality(" ".join(prose(49)) + " . , ; -- ...")
    assert v.reason == "gopher_quality.min_words" and v.signals["gopher_quality.word_count"] == 49


def test_max_words():
    words_ok = ["the", "and"] + ["house"] * 99_998
    assert quality(" ".join(words_ok)).keep
    v = quality(" ".join(words_ok + ["house"]))
    assert v.reason == "gopher_quality.max_words" and v.signals["gopher_quality.word_count"] == 100_001


def test_min_mean_word_length():
    three = ["the", "and"] + [w(i, 3) for i in range(48)]
    v = quality(" ".join(three))
    assert v.keep and v.signals["gopher_quality.mean_word_length"] == 3.0
    v = quality(" ".join(three[:-1] + ["to"]))
    assert v.reason == "gopher_quality.min_mean_word_length"
    assert v.signals["gopher_quality.mean_word_length"] == 149 / 50


def test_max_mean_word_length():
    long_words = ["the", "with"] + [w(i, 10) for i in range(47)]
    v = quality(" ".join(long_words + [w(99, 23)]))  # (7 + 470 + 23) / 50
    assert v.keep and v.signals["gopher_quality.mean_word_length"] == 10.0
    v = quality(" ".join(long_words + [w(99, 24)]))
    assert v.reason == "gopher_quality.max_mean_word_length"
    assert v.signals["gopher_quality.mean_word_length"] == 501 / 50


def with_tokens(extra: list[str], n_words: int = 54) -> str:
    """Prose with `extra` tokens inserted after its tenth word (not at a line end)."""
    body = prose(n_words)
    return " ".join(body[:10] + extra + body[10:])


def test_max_hash_ratio():
    v = quality(with_tokens(["#"] * 6))  # 6 / 60 tokens
    assert v.keep and v.signals["gopher_quality.hash_ratio"] == 0.1
    v = quality(with_tokens(["#"] * 7))
    assert v.reason == "gopher_quality.max_hash_ratio" and v.signals["gopher_quality.hash_ratio"] == 7 / 61


def test_max_ellipsis_ratio():
    v = quality(with_tokens(["..."] * 3 + ["…"] * 3))
    assert v.keep and v.signals["gopher_quality.ellipsis_ratio"] == 0.1
    v = quality(with_tokens(["..."] * 4 + ["…"] * 3))
    assert v.reason == "gopher_quality.max_ellipsis_ratio"
    assert v.signals["gopher_quality.ellipsis_ratio"] == 7 / 61


def lines_of(n_lines: int) -> list[str]:
    """`n_lines` distinct lines of six words (stop words included)."""
    return [" ".join(prose(6, start=10 * i)) for i in range(n_lines)]


def test_max_bullet_lines_ratio():
    lines = lines_of(10)
    text = "\n".join(["- " + line for line in lines[:8]] + ["• " + lines[8], lines[9]])
    v = quality(text)
    assert v.keep and v.signals["gopher_quality.bullet_lines_ratio"] == 0.9
    text = "\n".join(["- " + line for line in lines] + [" ".join(prose(6, start=500))])
    v = quality(text)
    assert v.reason == "gopher_quality.max_bullet_lines_ratio"
    assert v.signals["gopher_quality.bullet_lines_ratio"] == 10 / 11


def test_max_ellipsis_lines_ratio():
    lines = lines_of(10)
    v = quality("\n".join([line + "..." for line in lines[:2]] + [lines[2] + "…"] + lines[3:]))
    assert v.keep and v.signals["gopher_quality.ellipsis_lines_ratio"] == 0.3
    v = quality("\n".join([line + "..." for line in lines[:3]] + lines[3:9]))
    assert v.reason == "gopher_quality.max_ellipsis_lines_ratio"
    assert v.signals["gopher_quality.ellipsis_lines_ratio"] == 3 / 9


def test_min_alpha_words_ratio():
    v = quality(with_tokens(["42"] * 15, n_words=60))  # 60 / 75 tokens have a letter
    assert v.keep and v.signals["gopher_quality.alpha_words_ratio"] == 0.8
    v = quality(with_tokens(["42"] * 16, n_words=60))
    assert v.reason == "gopher_quality.min_alpha_words_ratio"
    assert v.signals["gopher_quality.alpha_words_ratio"] == 60 / 76
    # punctuation tokens count as words without a letter, as in datatrove
    assert quality(with_tokens([","] * 16, n_words=60)).reason == "gopher_quality.min_alpha_words_ratio"


def test_min_stop_words():
    v = quality(" ".join(prose(60)))
    assert v.keep and v.signals["gopher_quality.stop_words"] == 2
    only_the = ["the", "the", "The", "AND", "With"] + [w(i) for i in range(55)]  # distinct, case-sensitive
    v = quality(" ".join(only_the))
    assert v.reason == "gopher_quality.min_stop_words" and v.signals["gopher_quality.stop_words"] == 1


OUTSIDE_QUALITY = {
    "min_words": lambda: " ".join(prose(49)),
    "min_mean_word_length": lambda: " ".join(["the", "and"] + [w(i, 3) for i in range(47)] + ["to"]),
    "max_mean_word_length": lambda: " ".join(["the", "with"] + [w(i, 10) for i in range(47)] + [w(99, 24)]),
    "max_hash_ratio": lambda: with_tokens(["#"] * 7),
    "max_ellipsis_ratio": lambda: with_tokens(["..."] * 7),
    "max_bullet_lines_ratio": lambda: "\n".join("- " + line for line in lines_of(11)),
    "max_ellipsis_lines_ratio": lambda: "\n".join([line + "..." for line in lines_of(9)[:3]] + lines_of(9)[3:]),
    "min_alpha_words_ratio": lambda: with_tokens(["42"] * 16, n_words=60),
    "min_stop_words": lambda: " ".join(["the"] + [w(i) for i in range(59)]),
}


@pytest.mark.parametrize("rule", sorted(OUTSIDE_QUALITY))
def test_switched_off_quality_rule_never_drops(rule):
    text = OUTSIDE_QUALITY[rule]()
    assert quality(text).reason == f"gopher_quality.{rule}"
    assert quality(text, **{rule: None}).keep


def test_max_words_switched_off():
    assert quality(" ".join(prose(60)), max_words=59).reason == "gopher_quality.max_words"
    assert quality(" ".join(prose(60)), max_words=None).keep


def test_empty_document_fails_min_words_with_zero_signals():
    v = quality("")
    assert v.reason == "gopher_quality.min_words"
    assert set(v.signals.values()) == {0.0}


# --------------------------------------------------------------------------------------------
# GopherRepetition
# --------------------------------------------------------------------------------------------

def repetition(text: str, **config) -> Verdict:
    return GopherRepetition(**config).judge(text)


def reference_repetition(text: str) -> dict[str, float]:
    """Gopher's repetition signals computed the plain way (as datatrove does), for comparison."""
    def top(ws, n):
        grams = [" ".join(ws[i:i + n]) for i in range(len(ws) - n + 1)]
        if not grams:
            return 0
        gram, count = Counter(grams).most_common(1)[0]
        return len(gram) * count

    def dup(ws, n):
        seen, total, i = set(), 0, 0
        while i < len(ws) - n + 1:
            gram = tuple(ws[i:i + n])
            if gram in seen:
                total += sum(map(len, gram))
                i += n
            else:
                seen.add(gram)
                i += 1
        return total

    def find_duplicates(items):
        seen, count, chars = set(), 0, 0
        for item in items:
            if item in seen:
                count, chars = count + 1, chars + len(item)
            else:
                seen.add(item)
        return count, chars

    import re
    paras = re.split(r"\n{2,}", text.strip())
    lines = re.split(r"\n+", text)
    ws = words(text)
    p_dup, p_chars = find_duplicates(paras)
    l_dup, l_chars = find_duplicates(lines)
    out = {
        "gopher_repetition.dup_para_frac": p_dup / len(paras),
        "gopher_repetition.dup_para_char_frac": p_chars / len(text),
        "gopher_repetition.dup_line_frac": l_dup / len(lines),
        "gopher_repetition.dup_line_char_frac": l_chars / len(text),
    }
    out.update({f"gopher_repetition.top_{n}gram_char_frac": top(ws, n) / len(text) for n in (2, 3, 4)})
    out.update({f"gopher_repetition.dup_{n}gram_char_frac": dup(ws, n) / len(text) for n in range(5, 11)})
    return out


def unique_paragraph(k: int, n_words: int = 15) -> str:
    return " ".join(w(1000 + 100 * k + i) for i in range(n_words))


def test_repetition_signals_exact_on_a_small_document():
    text = "a b c\n\na b c\nd e\nd e\n\nf"
    # paragraphs: "a b c", "a b c\nd e\nd e", "f"; lines: a b c, a b c, d e, d e, f
    s = repetition(text).signals
    assert s["gopher_repetition.dup_para_frac"] == 0.0
    assert s["gopher_repetition.dup_line_frac"] == 2 / 5
    assert s["gopher_repetition.dup_line_char_frac"] == (5 + 3) / len(text)
    # words: a b c a b c d e d e f; top 2-gram "a b" x2, top 3-gram "a b c" x2, top 4-gram once
    assert s["gopher_repetition.top_2gram_char_frac"] == 3 * 2 / len(text)
    assert s["gopher_repetition.top_3gram_char_frac"] == 5 * 2 / len(text)
    assert s["gopher_repetition.top_4gram_char_frac"] == 7 * 1 / len(text)
    assert s["gopher_repetition.dup_5gram_char_frac"] == 0.0
    assert s == reference_repetition(text)


def test_max_dup_para_frac():
    # 6 distinct paragraphs and 4 copies of a short one: 3 duplicates of 10
    paras = [unique_paragraph(0), "Ok", unique_paragraph(1), "Ok", unique_paragraph(2), "Ok",
             unique_paragraph(3), "Ok", unique_paragraph(4), unique_paragraph(5)]
    v = repetition("\n\n".join(paras))
    assert v.keep and v.signals["gopher_repetition.dup_para_frac"] == 0.3
    v = repetition("\n\n".join(paras[:-1] + ["Ok"]))
    assert v.reason == "gopher_repetition.max_dup_para_frac"
    assert v.signals["gopher_repetition.dup_para_frac"] == 0.4


def test_max_dup_para_char_frac():
    big = "b" * 250  # a one-word paragraph: duplicated chars without repeated word n-grams
    body = "\n\n".join([unique_paragraph(k) for k in range(4)] + [big, unique_paragraph(4), big, "end"])
    v = repetition(padded(body, 250, 0.2))
    assert v.keep and v.signals["gopher_repetition.dup_para_char_frac"] == 0.2
    v = repetition(padded(body, 250, 0.2, shorter=1))
    assert v.reason == "gopher_repetition.max_dup_para_char_frac"


def test_max_dup_line_frac():
    lines = [unique_paragraph(0), "Ok", unique_paragraph(1), "Ok", unique_paragraph(2), "Ok",
             unique_paragraph(3), "Ok", unique_paragraph(4), unique_paragraph(5)]
    v = repetition("\n".join(lines))
    assert v.keep and v.signals["gopher_repetition.dup_line_frac"] == 0.3
    assert v.signals["gopher_repetition.dup_para_frac"] == 0.0  # one paragraph
    v = repetition("\n".join(lines + ["Ok"]))
    assert v.reason == "gopher_repetition.max_dup_line_frac"
    assert v.signals["gopher_repetition.dup_line_frac"] == 4 / 11


def test_max_dup_line_char_frac():
    big = "b" * 250
    body = "\n".join([unique_paragraph(k) for k in range(4)] + [big, unique_paragraph(4), big, "end"])
    v = repetition(padded(body, 250, 0.2))
    assert v.keep and v.signals["gopher_repetition.dup_line_char_frac"] == 0.2
    v = repetition(padded(body, 250, 0.2, shorter=1))
    assert v.reason == "gopher_repetition.max_dup_line_char_frac"


def repeated_ngram_text(gram: list[str], times: int, numerator: int, threshold: float, shorter: int = 0) -> str:
    """`gram` `times` times, each followed by a distinct word, padded to the exact ratio."""
    body = " ".join(" ".join(gram + [w(500 + i)]) for i in range(times))
    return padded(body, numerator, threshold, shorter)


@pytest.mark.parametrize("n,gram,times,threshold", [
    (2, ["alpha", "beta"], 5, 0.2),  # 10 chars x 5 = 50
    (3, ["alpha", "beta", "gamma"], 9, 0.18),  # 16 chars x 9 = 144
    (4, ["abcd", "efgh", "ijkl", "mnop"], 4, 0.16),  # 19 chars x 4 = 76
])
def test_max_top_ngram_char_frac(n, gram, times, threshold):
    numerator = len(" ".join(gram)) * times
    text = repeated_ngram_text(gram, times, numerator, threshold)
    v = repetition(text)
    assert v.keep and v.signals[f"gopher_repetition.top_{n}gram_char_frac"] == threshold
    assert v.signals == reference_repetition(text)
    text = repeated_ngram_text(gram, times, numerator, threshold, shorter=1)
    v = repetition(text)
    assert v.reason == f"gopher_repetition.max_top_{n}gram_char_frac"
    assert v.signals == reference_repetition(text)


DUP_CASES = [(5, 6, 0.15), (6, 7, 0.14), (7, 13, 0.13), (8, 6, 0.12), (9, 11, 0.11), (10, 5, 0.10)]


def duplicated_ngram_text(n: int, length: int, threshold: float, shorter: int = 0) -> str:
    """Three blocks, each n distinct words said twice and a distinct word: each block adds n
    words (without spaces) of duplicated n-gram characters and nothing to n + 1."""
    blocks = []
    for b in range(3):
        gram = [w(100 * b + i, length) for i in range(n)]
        blocks.append(" ".join(gram + gram + [w(900 + b)]))
    return padded(" ".join(blocks), 3 * n * length, threshold, shorter)


@pytest.mark.parametrize("n,length,threshold", DUP_CASES)
def test_max_dup_ngram_char_frac(n, length, threshold):
    text = duplicated_ngram_text(n, length, threshold)
    v = repetition(text)
    assert v.keep and v.signals[f"gopher_repetition.dup_{n}gram_char_frac"] == threshold
    assert v.signals == reference_repetition(text)
    text = duplicated_ngram_text(n, length, threshold, shorter=1)
    v = repetition(text)
    assert v.reason == f"gopher_repetition.max_dup_{n}gram_char_frac"
    assert v.signals == reference_repetition(text)


def test_switched_off_repetition_rules_never_drop():
    lines = [unique_paragraph(k) for k in range(5)] + ["Ok"] * 5
    assert repetition("\n\n".join(lines)).reason == "gopher_repetition.max_dup_para_frac"
    off = dict(max_dup_para_frac=None, max_dup_line_frac=None)
    assert repetition("\n\n".join(lines), **off).keep
    big = "b" * 250
    body = "\n\n".join([unique_paragraph(k) for k in range(4)] + [big, unique_paragraph(4), big, "end"])
    text = padded(body, 250, 0.2, shorter=1)
    assert repetition(text).reason == "gopher_repetition.max_dup_para_char_frac"
    assert repetition(text, max_dup_para_char_frac=None).reason == "gopher_repetition.max_dup_line_char_frac"
    assert repetition(text, max_dup_para_char_frac=None, max_dup_line_char_frac=None).keep
    text = "\n".join([unique_paragraph(k) for k in range(4)] + [big, unique_paragraph(4), big, "end"])
    assert repetition(padded(text, 250, 0.2, shorter=1), max_dup_line_char_frac=None).keep
    for n, gram, times, threshold in [(2, ["alpha", "beta"], 5, 0.2), (3, ["alpha", "beta", "gamma"], 9, 0.18)]:
        text = repeated_ngram_text(gram, times, len(" ".join(gram)) * times, threshold, shorter=1)
        tops = tuple((m, None if m == n else t) for m, t in GopherRepetitionConfig().max_top_ngram_char_frac)
        assert repetition(text, max_top_ngram_char_frac=tops).keep
    for n, length, threshold in DUP_CASES:
        text = duplicated_ngram_text(n, length, threshold, shorter=1)
        dups = tuple((m, None if m == n else t) for m, t in GopherRepetitionConfig().max_dup_ngram_char_frac)
        assert repetition(text, max_dup_ngram_char_frac=dups).keep


def test_repetition_matches_the_plain_computation_on_random_texts():
    rng = random.Random(5)
    vocab = ["the", "cat", "sat", "on", "mat", ".", ",", "and", "a", "dog", "ran", "!"]
    for _ in range(200):
        lines = []
        for _ in range(rng.randint(1, 12)):
            lines.append(" ".join(rng.choice(vocab[: rng.randint(2, len(vocab))]) for _ in range(rng.randint(1, 15))))
            if rng.random() < 0.3:
                lines.append("")
        text = "\n".join(lines).strip()
        if not text:
            continue
        clear_cache()
        assert repetition(text).signals == reference_repetition(text)


def test_ngram_repetition_helper_edge_cases():
    assert ngram_repetition([], (2, 3), (5,)) == ({2: 0, 3: 0}, {5: 0})
    assert ngram_repetition(["a"], (2,), (5,)) == ({2: 0}, {5: 0})
    # all distinct: the first n-gram, once
    assert ngram_repetition(["ab", "c", "def"], (2,), ()) == ({2: 4}, {})
    # "x x x x x x": 5-grams at 0 and 1 are equal; the walk adds the second and jumps
    assert ngram_repetition(["x"] * 6, (), (5,)) == ({}, {5: 5})
    assert duplicates(["a", "bb", "a", "bb", "a"]) == (3, 4)


def test_judges_protocol_and_batches():
    texts = [" ".join(prose(60)), " ".join(prose(10)), ""]
    for judge in (GopherQuality(), GopherRepetition()):
        assert judge.judge_batch(texts) == [judge.judge(t) for t in texts]
        assert isinstance(judge.name, str)
    assert GopherQuality(GopherQualityConfig(min_words=3)).judge(" ".join(prose(10))).keep
    with pytest.raises(TypeError):
        GopherQuality(GopherQualityConfig(), min_words=3)


# --------------------------------------------------------------------------------------------
# The shared tokenizer (spaCy-compatible): expected tokens are spaCy's English tokenizer's
# --------------------------------------------------------------------------------------------

SPACY_TOKENS = [
    ("The cat sat on the mat.", ["The", "cat", "sat", "on", "the", "mat", "."]),
    ("Mr. Smith didn't go to the U.S. in 2020...",
     ["Mr.", "Smith", "did", "n't", "go", "to", "the", "U.S.", "in", "2020", "..."]),
    ("It's 3.5% of $20, e.g. a well-known fact!",
     ["It", "'s", "3.5", "%", "of", "$", "20", ",", "e.g.", "a", "well", "-", "known", "fact", "!"]),
    ("Visit https://example.com/path?q=1, or mail me@example.org.",
     ["Visit", "https://example.com/path?q=1", ",", "or", "mail", "me@example.org", "."]),
    ('She said: "yes" (twice) -- and left.',
     ["She", "said", ":", '"', "yes", '"', "(", "twice", ")", "--", "and", "left", "."]),
    ("I'm sure you'll see they're here; we've won.",
     ["I", "'m", "sure", "you", "'ll", "see", "they", "'re", "here", ";", "we", "'ve", "won", "."]),
    ("The 5km race starts at 10am on Jan. 5th.",
     ["The", "5", "km", "race", "starts", "at", "10", "am", "on", "Jan.", "5th", "."]),
    ("J. K. Rowling wrote it; COVID-19 changed it.",
     ["J.", "K.", "Rowling", "wrote", "it", ";", "COVID-19", "changed", "it", "."]),
    ("cannot stop, won't stop", ["can", "not", "stop", ",", "wo", "n't", "stop"]),
    ("high-quality, low-cost and/or cheap", ["high", "-", "quality", ",", "low", "-", "cost", "and/or", "cheap"]),
    ("end.Next sentence", ["end", ".", "Next", "sentence"]),
    ("The students' books", ["The", "students", "'", "books"]),
    ("C++ and C# are languages.", ["C++", "and", "C", "#", "are", "languages", "."]),
    ("Ph.D. students at the N.Y. office", ["Ph.D.", "students", "at", "the", "N.Y.", "office"]),
]


@pytest.mark.parametrize("text,expected", SPACY_TOKENS)
def test_words_match_spacy_english_tokenization(text, expected):
    assert words(text) == expected


def test_doc_stats_are_shared_and_bounded():
    clear_cache()
    text = " ".join(prose(60))
    assert doc_stats(text) is doc_stats(text)
    assert doc_stats(text).words is doc_stats(text).words
    clear_cache()
    assert doc_stats(text) is not doc_stats(" " + text)


def test_tokenizer_and_judges_stay_linear_on_pathological_text():
    judges = (GopherQuality(), GopherRepetition())
    for text in ("x" + "?" * 40_000 + "y", "(a" * 20_000, "/ (a" * 10_000, "!" * 40_000, ",a" * 20_000, "'a" * 20_000):
        start = time.perf_counter()
        for judge in judges:
            judge.judge(text)
        assert time.perf_counter() - start < 5
