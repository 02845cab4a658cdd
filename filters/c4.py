"""C4's page rules (Raffel et al. 2020 §2.2; TFDS `c4_utils.clean_page`; RULES.md §2a/2b).

C4 both cleans lines and drops pages. Judges do not rewrite text, so `C4Quality` evaluates the
page as C4 would see it after line cleaning: it walks the lines with C4's line rules, counts the
lines (and their sentences) that C4 would keep, and drops the page when C4 would drop it, or
when nothing would be left. The kept-line fraction is a signal, so a later cleaning step (or a
study of the signals) knows how much of a kept page C4 would have cut.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from filters.text_stats import C4_END_MARKS, count_sentence_breaks, first_failure, ratio
from filters.verdict import Verdict, config_from

# Wikipedia citation markers: "[12]", "[]", "[edit]", "[citation needed]" (TFDS / datatrove)
_CITATION = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]")
POLICY_SUBSTRINGS: tuple[str, ...] = (
    "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies",
)


@dataclass(frozen=True)
class C4QualityConfig:
    """C4's rules; None (for thresholds) or False (for switches) turns a rule off.

    Page rules, checked in this order, reasons `c4.<rule>`:

    - max_length (190,000 characters): TFDS drops longer pages before cleaning (`is_valid_length`).
    - lorem_ipsum (`filter_lorem_ipsum`): a line that survived the line rules below contains
      "lorem ipsum" (any case); page dropped.
    - curly_bracket (`filter_curly_bracket`): such a line contains "{"; page dropped. Of the two,
      the first one met in line order is the reason, as TFDS stops at that line.
    - min_sentences (3): sentences in the lines C4 keeps.
    - min_kept_lines (1): lines C4 keeps (only matters when min_sentences is off).

    Line rules, in TFDS order (a line is dropped by the first that applies; blank lines are
    ignored): a word (whitespace token) longer than max_word_length (1,000); citation markers are
    removed (`remove_citations`); no terminal punctuation (`filter_no_terminal_punct`: the line must
    end in one of `end_marks` and not in "..."); fewer than min_words_per_line (5) words; a
    mention of "javascript" (`filter_javascript`); a policy phrase (`filter_policy`).

    References disagree (RULES.md §2a, §10 item 1): TFDS code and the JMLR paper use 3 sentences
    and 5 words per line, datatrove's `C4QualityFilter` defaults to 5 sentences and 3 words and
    also accepts "'" as an end mark. Our defaults are TFDS's (C4 itself); set
    min_sentences=5, min_words_per_line=3, end_marks=C4_END_MARKS + ("'",) for datatrove's, and
    filter_no_terminal_punct=False for the C4 step of FineWeb. Words per line are counted after
    citation markers are removed (TFDS; datatrove counts before).

    Sentences are counted with `text_stats.count_sentence_breaks`, a regex reproduction of the
    spaCy sentencizer that datatrove uses, not NLTK punkt (TFDS): punkt's model is not
    installable from PyPI any more. It differs from punkt mostly on abbreviations it does not
    know, which rarely moves a page across the threshold of 3.
    """

    max_length: int | None = 190_000
    filter_lorem_ipsum: bool = True
    filter_curly_bracket: bool = True
    min_sentences: int | None = 3
    min_kept_lines: int | None = 1
    max_word_length: int | None = 1000
    remove_citations: bool = True
    filter_no_terminal_punct: bool = True
    end_marks: tuple[str, ...] = C4_END_MARKS
    min_words_per_line: int | None = 5
    filter_javascript: bool = True
    filter_policy: bool = True
    policy_substrings: tuple[str, ...] = POLICY_SUBSTRINGS


class C4Quality:
    """C4's page rules as one judge (name "c4").

    Signals (`c4.<name>`): length, lines (non-blank), kept_lines, kept_line_frac, sentences (in
    kept lines), lorem_ipsum and curly_bracket (1.0 when found on a surviving line), and the
    number of lines each line rule drops: lines_too_long_word, lines_no_terminal_punct,
    lines_too_few_words, lines_javascript, lines_policy (a line counts under the first rule that
    drops it). Reasons: c4.max_length, c4.lorem_ipsum, c4.curly_bracket, c4.min_sentences,
    c4.min_kept_lines.
    """

    name = "c4"

    def __init__(self, config: C4QualityConfig | None = None, **overrides) -> None:
        self.config = config_from(C4QualityConfig, config, overrides)
        self._end_marks = tuple(self.config.end_marks)
        self._policy = tuple(self.config.policy_substrings)

    def _evaluate(self, text: str) -> tuple[dict[str, float], str | None]:
        c = self.config
        lower = text.lower()
        # Page-wide substring tests first: a rule whose trigger is nowhere in the page is never
        # looked for line by line (the common case).
        find_lorem = c.filter_lorem_ipsum and "lorem ipsum" in lower
        find_js = c.filter_javascript and "javascript" in lower
        find_brace = c.filter_curly_bracket and "{" in text
        find_policy = c.filter_policy and any(p in lower for p in self._policy)
        need_lower = find_lorem or find_js or find_policy
        find_citations = c.remove_citations and "[" in text
        max_word = c.max_word_length
        min_words = c.min_words_per_line
        no_term = c.filter_no_terminal_punct
        end_marks = self._end_marks
        policy = self._policy

        n_lines = too_long = no_punct = too_few = javascript = policies = 0
        page_rule = None
        lorem = brace = 0.0
        kept: list[str] = []
        for line in text.split("\n"):
            line = line.strip()
            if not line:
                continue
            n_lines += 1
            if max_word is not None and len(line) > max_word and max(map(len, line.split())) > max_word:
                too_long += 1
                continue
            if find_citations and "[" in line:
                line = _CITATION.sub("", line)
            if no_term and (not line.endswith(end_marks) or line.endswith("...")):
                no_punct += 1
                continue
            if min_words is not None and len(line.split()) < min_words:
                too_few += 1
                continue
            if need_lower or find_brace:
                low = line.lower() if need_lower else line
                if find_lorem and "lorem ipsum" in low:
                    lorem = 1.0
                    page_rule = page_rule or "lorem_ipsum"
                    continue
                if find_js and "javascript" in low:
                    javascript += 1
                    continue
                if find_brace and "{" in line:
                    brace = 1.0
                    page_rule = page_rule or "curly_bracket"
                    continue
                if find_policy and any(p in low for p in policy):
                    policies += 1
                    continue
            kept.append(line)

        n_kept = len(kept)
        sentences = n_kept + count_sentence_breaks("\n".join(kept)) if kept else 0
        signals = {
            "c4.length": float(len(text)),
            "c4.lines": float(n_lines),
            "c4.kept_lines": float(n_kept),
            "c4.kept_line_frac": ratio(n_kept, n_lines),
            "c4.sentences": float(sentences),
            "c4.lorem_ipsum": lorem,
            "c4.curly_bracket": brace,
            "c4.lines_too_long_word": float(too_long),
            "c4.lines_no_terminal_punct": float(no_punct),
            "c4.lines_too_few_words": float(too_few),
            "c4.lines_javascript": float(javascript),
            "c4.lines_policy": float(policies),
        }
        reason = first_failure(self.name, (("max_length", c.max_length, len(text), True),))
        if reason is None and page_rule is not None:
            reason = f"{self.name}.{page_rule}"
        if reason is None:
            reason = first_failure(self.name, (
                ("min_sentences", c.min_sentences, sentences, False),
                ("min_kept_lines", c.min_kept_lines, n_kept, False),
            ))
        return signals, reason

    def judge(self, text: str) -> Verdict:
        signals, reason = self._evaluate(text)
        return Verdict(signals, reason)

    def judge_batch(self, texts: Sequence[str]) -> list[Verdict]:
        return [self.judge(t) for t in texts]
