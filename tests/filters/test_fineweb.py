"""FineWeb judge: every rule just inside and just outside its threshold, exact signals,
switched-off rules."""
from __future__ import annotations

import pytest

from filters.fineweb import FineWebQuality, FineWebQualityConfig
from filters.text_stats import FINEWEB_V1_TERMINAL_PUNCTUATION
from filters.verdict import Verdict


def fineweb(text: str, **config) -> Verdict:
    return FineWebQuality(**config).judge(text)


def long_line(i: int, end: str = ".") -> str:
    """A distinct line of 9 tokens and more than 30 characters."""
    return f"Line number {i:04d} of this document is long{end}"


def test_signals_exact_on_a_small_document():
    text = "A short title\n\nThe first paragraph is long enough to count.\nShort one!\nShort one!"
    # non-blank lines: 4; ending in terminal punctuation: 3; at most 30 chars: 3
    v = fineweb(text)
    assert v.signals == {
        "fineweb.lines": 4.0,
        "fineweb.line_punct_ratio": 3 / 4,
        "fineweb.short_line_ratio": 3 / 4,
        "fineweb.dup_line_char_ratio": len("Short one!") / (len(text) - 4),
        # tokens: A short title | The first paragraph is long enough to count . | Short one ! x2
        "fineweb.newline_word_ratio": 4 / 18,
    }
    assert v.reason == "fineweb.max_short_line_ratio"


def test_min_lines():
    v = fineweb("")
    assert v.reason == "fineweb.min_lines" and v.signals["fineweb.lines"] == 0
    assert fineweb("  \n\n ").reason == "fineweb.min_lines"
    assert fineweb(long_line(1)).keep
    assert fineweb("", min_lines=None).reason == "fineweb.min_line_punct_ratio"
    assert fineweb("", min_lines=None, min_line_punct_ratio=None).keep


def test_min_line_punct_ratio():
    lines = [long_line(i, "." if i < 3 else "") for i in range(25)]  # 3 of 25 end in "."
    v = fineweb("\n".join(lines))
    assert v.keep and v.signals["fineweb.line_punct_ratio"] == 0.12
    lines[2] = long_line(2, "")
    v = fineweb("\n".join(lines))
    assert v.reason == "fineweb.min_line_punct_ratio" and v.signals["fineweb.line_punct_ratio"] == 0.08
    assert fineweb("\n".join(lines), min_line_punct_ratio=None).keep


def test_line_punct_exclude_zero_and_terminal_sets():
    no_marks = "\n".join(long_line(i, "") for i in range(10))
    assert fineweb(no_marks).reason == "fineweb.min_line_punct_ratio"
    assert fineweb(no_marks, line_punct_exclude_zero=True).keep
    # the default (datatrove's current) set has no quote marks; FineWeb v1's has
    quoted = "\n".join(long_line(i, '"') for i in range(10))
    assert fineweb(quoted).reason == "fineweb.min_line_punct_ratio"
    assert fineweb(quoted, terminal_punct=FINEWEB_V1_TERMINAL_PUNCTUATION).keep
    # and it covers other scripts
    assert fineweb("\n".join(long_line(i, "。") for i in range(10))).keep


def test_max_short_line_ratio():
    short = [f"Short line {i:02d} is here." for i in range(67)]  # 24 characters
    longer = [long_line(i) for i in range(33)]
    v = fineweb("\n".join(short + longer))
    assert v.keep and v.signals["fineweb.short_line_ratio"] == 0.67
    v = fineweb("\n".join(short + ["Exactly thirty characters ok!!"] + longer[1:]))
    assert v.reason == "fineweb.max_short_line_ratio" and v.signals["fineweb.short_line_ratio"] == 0.68
    v = fineweb("\n".join(short + ["Thirty-one characters, not short."[:31]] + longer[1:]))
    assert v.keep
    assert fineweb("\n".join(short + ["Exactly thirty characters ok!!"] + longer[1:]), max_short_line_ratio=None).keep
    assert fineweb("\n".join(short + longer), short_line_length=42).reason == "fineweb.max_short_line_ratio"


def dup_text(extra: int) -> str:
    """One 40-character line said twice and unique lines, 4,000 characters without newlines
    (+ `extra`): the duplicated characters are exactly 1 % of them when extra is 0."""
    dup = "This line appears twice in the page ok."
    assert len(dup) == 39
    dup += "."
    lines = [dup, dup] + [long_line(i) for i in range(80)]
    body = "\n".join(lines)
    chars = len(body) - body.count("\n")
    pad = 4000 - chars - extra
    return body + "\nPadding line " + "p" * (pad - len("Padding line ") - 1) + "."


def test_max_dup_line_char_ratio():
    v = fineweb(dup_text(0))
    assert v.keep and v.signals["fineweb.dup_line_char_ratio"] == 0.01
    v = fineweb(dup_text(1))
    assert v.reason == "fineweb.max_dup_line_char_ratio" and v.signals["fineweb.dup_line_char_ratio"] == 40 / 3999
    assert fineweb(dup_text(1), max_dup_line_char_ratio=None).keep


def list_text(n_lines: int) -> str:
    """Lines of 3 tokens (two long words and a period), each over 30 characters."""
    return "\n".join(f"Extraordinarily{i:03d} uncharacteristically." for i in range(n_lines))


def test_max_newline_word_ratio():
    v = fineweb(list_text(10))  # 9 newlines / 30 tokens
    assert v.keep and v.signals["fineweb.newline_word_ratio"] == 0.3
    v = fineweb(list_text(11))  # 10 / 33
    assert v.reason == "fineweb.max_newline_word_ratio" and v.signals["fineweb.newline_word_ratio"] == 10 / 33
    assert fineweb(list_text(11), max_newline_word_ratio=None).keep


def test_config_and_batches():
    texts = [list_text(5), "", "\n".join(long_line(i) for i in range(3))]
    judge = FineWebQuality()
    assert judge.judge_batch(texts) == [judge.judge(t) for t in texts]
    assert judge.name == "fineweb"
    assert FineWebQuality(FineWebQualityConfig(min_lines=2)).judge(long_line(0)).reason == "fineweb.min_lines"
    with pytest.raises(TypeError):
        FineWebQuality(FineWebQualityConfig(), min_lines=2)
