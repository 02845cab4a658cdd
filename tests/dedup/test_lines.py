"""Line and paragraph keys and removal (C4 line dedup, CCNet paragraph dedup)."""
from dedup.lines import remove_units, unit_key, unit_keys


def test_keys_ignore_case_and_surrounding_space_and_skip_short_lines():
    assert unit_key("  Read More ") == unit_key("read more")
    assert unit_keys("Home\nA real sentence here.", "line", min_chars=5) == {unit_key("A real sentence here.")}


def test_paragraph_removal_keeps_the_rest_and_counts_what_went():
    text = "First paragraph.\nstill first.\n\nCookie notice text.\n\nLast paragraph."
    out, removed = remove_units(text, "paragraph", {unit_key("cookie notice text.")})
    assert (out, removed) == ("First paragraph.\nstill first.\n\nLast paragraph.", 1)
    assert remove_units(text, "line", set()) == (text, 0)
