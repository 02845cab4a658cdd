"""C4 judge: page rules just inside and just outside their thresholds, every line rule's effect
on what C4 would keep, exact signals, switched-off rules, and the regex sentence splitter."""
from __future__ import annotations

import time

import pytest

from filters.c4 import C4Quality, C4QualityConfig
from filters.text_stats import C4_END_MARKS, count_sentence_breaks
from filters.verdict import Verdict


def c4(text: str, **config) -> Verdict:
    return C4Quality(**config).judge(text)


def sentences(n: int, start: int = 0) -> list[str]:
    """n distinct lines of one sentence each, five words or more, ending in a period."""
    return [f"This is sentence number {start + i} of the test." for i in range(n)]


def page(*lines: str, good: int = 2) -> str:
    """`good` plain sentence lines followed by `lines`."""
    return "\n".join(sentences(good) + list(lines))


def test_signals_exact_on_a_small_document():
    text = "\n".join([
        "Home | About",  # no end mark
        "The first line is long enough to keep.",  # kept: 1 sentence
        "This one mentions JavaScript and is dropped.",
        "Short line here.",  # 3 words
        "Read our privacy policy for more details.",
        "Second kept line, with two sentences. Yes it is.",  # kept: 2 sentences
        "A line with an ellipsis at the end...",  # no end mark
        "y" * 1001 + " is a very long word here.",
        "",
        "Citations are removed from this line.[1]",  # kept: 1 sentence
    ])
    v = c4(text)
    assert v.keep
    assert v.signals == {
        "c4.length": float(len(text)),
        "c4.lines": 9.0,
        "c4.kept_lines": 3.0,
        "c4.kept_line_frac": 3 / 9,
        "c4.sentences": 4.0,
        "c4.lorem_ipsum": 0.0,
        "c4.curly_bracket": 0.0,
        "c4.lines_too_long_word": 1.0,
        "c4.lines_no_terminal_punct": 2.0,
        "c4.lines_too_few_words": 1.0,
        "c4.lines_javascript": 1.0,
        "c4.lines_policy": 1.0,
    }


def exact_length_page(length: int) -> str:
    line = "This is a perfectly ordinary sentence of the page."
    lines = [line] * ((length - 200) // (len(line) + 1))
    head = "\n".join(lines)
    rest = length - len(head) - 1 - len("Final words here .")
    return head + "\nFinal words here " + "x" * rest + "."


def test_max_length():
    text = exact_length_page(190_000)
    assert len(text) == 190_000
    assert c4(text).keep
    text = exact_length_page(190_001)
    v = c4(text)
    assert v.reason == "c4.max_length" and v.signals["c4.length"] == 190_001
    assert c4(text, max_length=None).keep


def test_lorem_ipsum():
    lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit."
    v = c4(page(lorem, good=3))
    assert v.reason == "c4.lorem_ipsum" and v.signals["c4.lorem_ipsum"] == 1.0
    # only lines that survive the line rules count: no end mark, or too few words
    assert c4(page("Lorem ipsum dolor sit amet", good=3)).keep
    assert c4(page("Lorem ipsum dolor sit.", good=3)).keep
    v = c4(page(lorem, good=3), filter_lorem_ipsum=False)
    assert v.keep and v.signals["c4.kept_lines"] == 4


def test_curly_bracket():
    brace = "The function returns {value} when it is done."
    v = c4(page(brace, good=3))
    assert v.reason == "c4.curly_bracket" and v.signals["c4.curly_bracket"] == 1.0
    # a line dropped earlier (javascript comes first) does not drop the page
    assert c4(page("Enable JavaScript to see {this} content here.", good=3)).keep
    assert c4(page("The map {x} has no end mark", good=3)).keep
    assert c4(page(brace, good=3), filter_curly_bracket=False).keep
    # the first page rule met in line order is the reason
    lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit."
    assert c4(page(brace, lorem, good=3)).reason == "c4.curly_bracket"
    assert c4(page(lorem, brace, good=3)).reason == "c4.lorem_ipsum"


def test_min_sentences():
    v = c4(page(good=3))
    assert v.keep and v.signals["c4.sentences"] == 3
    v = c4(page(good=2))
    assert v.reason == "c4.min_sentences" and v.signals["c4.sentences"] == 2
    # sentences are counted within kept lines; abbreviations do not end one
    v = c4("Mr. Smith went to Washington today.\nHe met Dr. Jones and the U.S. team there.")
    assert v.reason == "c4.min_sentences" and v.signals["c4.sentences"] == 2
    v = c4("Mr. Smith went to Washington today. It rained.\nHe met Dr. Jones and the U.S. team there.")
    assert v.keep and v.signals["c4.sentences"] == 3
    assert c4(page(good=2), min_sentences=None).keep
    assert c4(page(good=4), min_sentences=5).reason == "c4.min_sentences"  # datatrove's default


def test_min_kept_lines():
    v = c4("no line here ends with a mark\nnor does this one at all", min_sentences=None)
    assert v.reason == "c4.min_kept_lines" and v.signals["c4.kept_lines"] == 0
    assert c4("This single line is kept by the rules.", min_sentences=None).keep
    assert c4("nothing kept here at all", min_sentences=None, min_kept_lines=None).keep
    # with the sentence rule on, an empty result fails it first
    assert c4("nothing kept here at all").reason == "c4.min_sentences"


# Each line rule: a page of two good sentences and one more line, kept (3 sentences) when C4
# keeps that line and dropped for too few sentences when it does not.

def test_line_rule_max_word_length():
    inside = "This line has a long word " + "w" * 1000 + " in it."
    outside = "This line has a long word " + "w" * 1001 + " in it."
    assert c4(page(inside)).keep
    v = c4(page(outside))
    assert v.reason == "c4.min_sentences" and v.signals["c4.lines_too_long_word"] == 1
    assert c4(page(outside), max_word_length=None).keep


def test_line_rule_citations_are_removed_before_the_end_mark_check():
    for marker in ("[1]", "[23]", "[]", "[edit]", "[citation needed]"):
        assert c4(page(f"The tower was built in the old town.{marker}")).keep
    v = c4(page("The tower was built in the old town.[1]"), remove_citations=False)
    assert v.reason == "c4.min_sentences" and v.signals["c4.lines_no_terminal_punct"] == 1
    # words are counted after removal (TFDS): four words and two markers are too few
    v = c4(page("One two [1] [2] three four."))
    assert v.reason == "c4.min_sentences" and v.signals["c4.lines_too_few_words"] == 1


def test_line_rule_terminal_punctuation():
    for line in ("Is this the fifth line of text?", "What a surprise this line is!", 'He said "this is the quote"'):
        assert c4(page(line)).keep
    for line in ("This line has no end mark at all", "This line trails off into an ellipsis...",
                 "This one ends with a single quote '"):
        v = c4(page(line))
        assert v.reason == "c4.min_sentences" and v.signals["c4.lines_no_terminal_punct"] == 1
    assert c4(page("This line has no end mark at all"), filter_no_terminal_punct=False).keep
    assert c4(page("This one ends with a single quote '"), end_marks=C4_END_MARKS + ("'",)).keep


def test_line_rule_min_words_per_line():
    assert c4(page("Exactly five words are here.")).keep
    v = c4(page("Only four words here."))
    assert v.reason == "c4.min_sentences" and v.signals["c4.lines_too_few_words"] == 1
    assert c4(page("Only four words here."), min_words_per_line=None).keep
    assert c4(page("Only four words here."), min_words_per_line=3).keep  # datatrove's default


def test_line_rule_javascript():
    v = c4(page("Please enable Javascript in your browser."))
    assert v.reason == "c4.min_sentences" and v.signals["c4.lines_javascript"] == 1
    assert c4(page("Please enable Javascript in your browser."), filter_javascript=False).keep


@pytest.mark.parametrize("phrase", ["terms of use", "privacy policy", "cookie policy", "uses cookies",
                                    "use of cookies", "use cookies"])
def test_line_rule_policy(phrase):
    line = f"Please read the {phrase.upper()} before you go."
    v = c4(page(line))
    assert v.reason == "c4.min_sentences" and v.signals["c4.lines_policy"] == 1
    assert c4(page(line), filter_policy=False).keep


def test_blank_lines_are_ignored():
    v = c4("\n\n".join(sentences(3)))
    assert v.keep and v.signals["c4.lines"] == 3 and v.signals["c4.kept_line_frac"] == 1.0


def test_config_and_batches():
    texts = [page(good=3), page(good=1), ""]
    judge = C4Quality()
    assert judge.judge_batch(texts) == [judge.judge(t) for t in texts]
    assert judge.name == "c4"
    assert C4Quality(C4QualityConfig(min_sentences=1)).judge(page(good=1)).keep
    with pytest.raises(TypeError):
        C4Quality(C4QualityConfig(), min_sentences=1)
    assert c4("").reason == "c4.min_sentences"


# --------------------------------------------------------------------------------------------
# Sentence counting: expected counts are spaCy's sentencizer's (what datatrove's C4 filter uses)
# --------------------------------------------------------------------------------------------

SPACY_SENTENCES = [
    ("Mr. Smith went home. He slept.", 2),
    ("Is it? Yes! Sure.", 3),
    ("The U.S. Army arrived. Then it left.", 2),
    ("Wait... what happened?", 1),
    ("It cost 3.5 dollars. Cheap.", 2),
    ('"Stop!" he said.', 2),
    ("See e.g. the notes. They help.", 2),
    ("J. K. Rowling wrote books.", 1),
    ("One.Two three", 2),
    ("He said hi. . . Then left.", 2),
]


@pytest.mark.parametrize("text,expected", SPACY_SENTENCES)
def test_sentence_breaks_match_spacy(text, expected):
    assert 1 + count_sentence_breaks(text) == expected


def test_sentence_breaks_stay_within_lines():
    assert count_sentence_breaks("First line ends here.\nSecond line.") == 0
    assert count_sentence_breaks("One. Two.\nThree. Four.") == 2


def test_sentence_counting_stays_linear_on_pathological_text():
    judge = C4Quality(filter_no_terminal_punct=False, min_words_per_line=None)
    for text in ("???? " * 10_000, "x" + "?" * 50_000 + "y", "!" * 50_000, ". " * 25_000, "a." * 25_000):
        start = time.perf_counter()
        judge.judge(text)
        count_sentence_breaks(text)
        assert time.perf_counter() - start < 5
