"""One normalization for every source: NFC, no control characters, tidy whitespace."""
from filters.normalize import normalize_text


def test_prose_is_nfc_without_controls_and_with_collapsed_whitespace():
    raw = "  Cafe\u0301\u00a0au\tlait\x07\r\n\r\n\r\n\r\nSecond\u200b  paragraph.  \r\n"
    assert normalize_text(raw) == "Caf\u00e9 au lait\n\nSecond paragraph."


def test_code_keeps_indentation_and_trims_line_ends():
    raw = "def f():\r\n    return 1   \r\n\r\n\r\n\r\n\r\n\tpass\x00\n"
    assert normalize_text(raw, code=True) == "def f():\n    return 1\n\n\n\tpass"


def test_equal_texts_after_encoding_accidents_normalize_equal():
    assert normalize_text("A\u030a line\r\nend") == normalize_text("\u00c5 line\nend")
