"""Tests for the Project Gutenberg and EPUB readers."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.readers.base import Failure, Record, Skip
from pipeline.readers.books import html_to_text, read_epub, read_gutenberg

MODERN_HEADER = """\ufeffThe Project Gutenberg eBook of Pride and Prejudice
    
This ebook is for the use of anyone anywhere in the United States and
most other parts of the world at no cost and with almost no restrictions
whatsoever. You may copy it, give it away or re-use it under the terms
of the Project Gutenberg License included with this ebook or online
at www.gutenberg.org.

Title: Pride and Prejudice

Author: Jane Austen

Release date: June 1, 1998 [eBook #1342]
                Most recently updated: June 17, 2024

Language: English

Credits: Chuck Greif and the Online Distributed Proofreading Team


*** START OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***
"""

BOOK_BODY = """


Chapter I.

It is a truth universally acknowledged, that a single man in possession
of a good fortune, must be in want of a wife.

However little known the feelings or views of such a man may be on his
first entering a neighbourhood, this truth is so well fixed in the minds
of the surrounding families.



"""

MODERN_FOOTER = """*** END OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***

Updated editions will replace the previous one--the old editions will
be renamed.

*** START: FULL LICENSE ***

THE FULL PROJECT GUTENBERG LICENSE
PLEASE READ THIS BEFORE YOU DISTRIBUTE OR USE THIS WORK
"""

EXPECTED_BODY = (
    "Chapter I.\n\n"
    "It is a truth universally acknowledged, that a single man in possession\n"
    "of a good fortune, must be in want of a wife.\n\n"
    "However little known the feelings or views of such a man may be on his\n"
    "first entering a neighbourhood, this truth is so well fixed in the minds\n"
    "of the surrounding families."
)


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def read(data: bytes, uri: str = "pg1342.txt") -> list:
    return list(read_gutenberg(io.BytesIO(data), uri))


def test_modern_gutenberg_book(tmp_path: Path) -> None:
    path = tmp_path / "pg1342.txt"
    path.write_bytes(crlf(MODERN_HEADER + BOOK_BODY + MODERN_FOOTER).encode("utf-8"))
    with path.open("rb") as stream:
        events = list(read_gutenberg(stream, str(path)))
    assert events == [
        Record(
            text=EXPECTED_BODY,
            locator="gutenberg:1342",
            fields={"title": "Pride and Prejudice", "author": "Jane Austen", "ebook_no": "1342"},
        )
    ]


def test_older_header_with_end_of_line_and_latin1_encoding() -> None:
    header = """The Project Gutenberg EBook of Candide, by Voltaire

This eBook is for the use of anyone anywhere at no cost and with
almost no restrictions whatsoever.

Title: Candide
       or, Optimism

Author: Voltaire

Release Date: November 27, 2006 [EBook #19942]

Language: French

Character set encoding: ISO-8859-1

*** START OF THIS PROJECT GUTENBERG EBOOK CANDIDE ***




Produced by Chuck Greif and the Online Distributed
Proofreading Team at http://www.pgdp.net


CHAPITRE PREMIER.

Il y avait en Westphalie, dans le château de M. le baron, un jeune garçon
à qui la nature avait donné les mœurs les plus douces.
"""
    footer = """




End of the Project Gutenberg EBook of Candide, by Voltaire

*** END OF THIS PROJECT GUTENBERG EBOOK CANDIDE ***

***** This file should be named 19942-8.txt or 19942-8.zip *****
"""
    # "œ" is not in Latin-1: the file as Gutenberg would store it uses "oe".
    data = crlf((header + footer).replace("œ", "oe")).encode("latin-1")
    assert b"ch\xe2teau" in data
    [event] = read(data, "19942-8.txt")
    assert event == Record(
        text=(
            "CHAPITRE PREMIER.\n\n"
            "Il y avait en Westphalie, dans le château de M. le baron, un jeune garçon\n"
            "à qui la nature avait donné les moeurs les plus douces."
        ),
        locator="gutenberg:19942",
        fields={"title": "Candide or, Optimism", "author": "Voltaire", "ebook_no": "19942"},
    )


def test_latin1_label_with_windows_1252_quotes() -> None:
    data = (
        b"Title: Quotes\r\nCharacter set encoding: ISO-8859-1\r\n"
        b"*** START OF THE PROJECT GUTENBERG EBOOK QUOTES ***\r\n"
        b"\x93Caf\xe9,\x94 she said \x96 twice.\r\n"
        b"*** END OF THE PROJECT GUTENBERG EBOOK QUOTES ***\r\n"
    )
    [event] = read(data, "q.txt")
    assert event.text == "\u201cCaf\u00e9,\u201d she said \u2013 twice."


def test_small_print_header_of_old_etexts() -> None:
    text = """**The Project Gutenberg Etext of The Time Machine, by H. G. Wells**

Please take a look at the important information in this header.

Title: The Time Machine

Author: H. G. Wells

[Etext #35]

**Welcome To The World of Free Plain Vanilla Electronic Texts**

*** START**THE SMALL PRINT!**FOR PUBLIC DOMAIN ETEXTS**START***
Why is this "Small Print!" statement here?  You know: lawyers.
*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*

The Time Traveller (for so it will be convenient to speak of him)
was expounding a recondite matter to us.

End of Project Gutenberg's The Time Machine, by H. G. Wells
"""
    [event] = read(text.encode("ascii"), "time.txt")
    assert event == Record(
        text=(
            "The Time Traveller (for so it will be convenient to speak of him)\n"
            "was expounding a recondite matter to us."
        ),
        locator="gutenberg:35",
        fields={"title": "The Time Machine", "author": "H. G. Wells", "ebook_no": "35"},
    )


def test_invalid_utf8_is_a_failure_at_its_byte_offset() -> None:
    data = (MODERN_HEADER + "Caf").encode("utf-8") + b"\xe9 au lait" + MODERN_FOOTER.encode()
    offset = len((MODERN_HEADER + "Caf").encode("utf-8"))
    assert read(data, "bad.txt") == [
        Failure(location=f"bad.txt@byte {offset}", error=f"invalid UTF-8 at byte {offset}: invalid continuation byte")
    ]


def test_declared_encoding_that_does_not_match_is_a_failure() -> None:
    data = b"Title: X\nCharacter set encoding: ASCII\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\nna\xefve\n"
    [event] = read(data, "x.txt")
    assert isinstance(event, Failure)
    assert event.location == f"x.txt@byte {data.index(bytes([0xEF]))}"


def test_unknown_declared_encoding_is_a_failure() -> None:
    data = b"Character set encoding: KLINGON-1\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\ntext\n"
    assert read(data, "x.txt") == [Failure(location="x.txt", error="unknown declared encoding 'KLINGON-1'")]


def test_plain_text_without_markers_is_kept_whole() -> None:
    text = "\ufeffA Title\n\nFirst paragraph.  \r\nSecond line.\n"
    assert read(text.encode("utf-8"), "notes.txt") == [
        Record(text="A Title\n\nFirst paragraph.\nSecond line.", locator="notes.txt", fields={})
    ]


def test_book_with_nothing_between_markers_is_skipped() -> None:
    data = (MODERN_HEADER + "\n\n" + MODERN_FOOTER).encode("utf-8")
    assert read(data, "empty.txt") == [Skip(reason="empty_text", location="empty.txt")]


# --- EPUB ------------------------------------------------------------------------------------


def make_epub(path: Path, *, with_identifier: bool = True) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    if with_identifier:
        book.set_identifier("urn:isbn:9780000000001")
    book.set_title("A Journey")
    book.set_language("en")
    book.add_author("Ada Writer")
    book.add_author("Bo Coauthor")
    style = epub.EpubItem(uid="style", file_name="style/main.css", media_type="text/css", content=b"p { margin: 0 }")
    book.add_item(style)
    chapter_1 = epub.EpubHtml(title="Departure", file_name="chap_01.xhtml", lang="en")
    chapter_1.content = (
        "<h1>Chapter 1: Departure</h1>"
        "<p>The train left   at dawn,\n with <em>everyone</em> aboard.</p>"
        "<p>It was cold.<br/>Very cold.</p>"
        "<script>var tracking = 1;</script>"
    )
    chapter_2 = epub.EpubHtml(title="Arrival", file_name="chap_02.xhtml", lang="en")
    chapter_2.content = (
        "<h2>Chapter 2: Arrival</h2>"
        "<div><p>They arrived at noon.</p><ul><li>First thing</li><li>Second thing</li></ul></div>"
        "<blockquote>Welcome, travellers.</blockquote>"
    )
    for chapter in (chapter_1, chapter_2):
        chapter.add_item(style)
        book.add_item(chapter)
    book.toc = (epub.Link("chap_01.xhtml", "Departure", "c1"), epub.Link("chap_02.xhtml", "Arrival", "c2"))
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    # Reading order puts chapter 2 before chapter 1 on purpose: the spine decides, not the manifest.
    book.spine = ["nav", chapter_2, chapter_1]
    epub.write_epub(str(path), book)


EPUB_TEXT = (
    "Chapter 2: Arrival\n\nThey arrived at noon.\n\nFirst thing\n\nSecond thing\n\nWelcome, travellers.\n\n"
    "Chapter 1: Departure\n\nThe train left at dawn, with everyone aboard.\n\nIt was cold.\nVery cold."
)


def test_epub_text_in_spine_order_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "journey.epub"
    make_epub(path)
    with path.open("rb") as stream:
        events = list(read_epub(stream, str(path)))
    assert events == [
        Record(
            text=EPUB_TEXT,
            locator="urn:isbn:9780000000001",
            fields={"title": "A Journey", "author": "Ada Writer; Bo Coauthor", "language": "en"},
        )
    ]
    assert "tracking" not in events[0].text and "Departure\n\nArrival" not in events[0].text


def without_identifier(epub_bytes: bytes) -> bytes:
    """The same EPUB with its dc:identifier removed from the package document.

    ebooklib invents a random identifier when none is set, so it cannot write such a file.
    """
    source = zipfile.ZipFile(io.BytesIO(epub_bytes))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".opf"):
                data = re.sub(rb"<dc:identifier[^>]*>[^<]*</dc:identifier>", b"", data)
                assert b"dc:identifier" not in data
            target.writestr(info, data)
    return target_buffer.getvalue()


def test_epub_without_identifier_uses_uri(tmp_path: Path) -> None:
    path = tmp_path / "anon.epub"
    make_epub(path, with_identifier=False)
    [event] = read_epub(io.BytesIO(without_identifier(path.read_bytes())), "s3://books/anon.epub")
    assert event.text == EPUB_TEXT
    assert event.locator == "s3://books/anon.epub"
    assert event.fields["title"] == "A Journey"


@pytest.mark.parametrize(
    "payload",
    [
        b"this is not a zip file at all",
        b"PK\x03\x04truncated zip header",
    ],
)
def test_corrupt_epub_is_a_failure(payload: bytes) -> None:
    [event] = read_epub(io.BytesIO(payload), "broken.epub")
    assert isinstance(event, Failure)
    assert event.location == "broken.epub"
    assert event.error


def test_zip_without_container_is_a_failure() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("chapter.xhtml", "<p>orphan</p>")
    [event] = read_epub(io.BytesIO(buffer.getvalue()), "nocontainer.epub")
    assert isinstance(event, Failure) and event.location == "nocontainer.epub"
    assert "KeyError" in event.error


def test_html_to_text() -> None:
    html = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        b"<title>Not text</title><style>p {}</style></head><body>"
        b"<h3>Caf\xc3\xa9</h3><p>One\n two</p><!-- comment --><p>A<br/>B</p>"
        b"<table><tr><td>x</td><td>y</td></tr></table><pre>  keep\n  lines</pre></body></html>"
    )
    assert html_to_text(html) == "Café\n\nOne two\n\nA\nB\n\nx y\n\nkeep\nlines"


def test_html_to_text_falls_back_to_html_parser_in_utf8() -> None:
    # `&nbsp;` is not defined in XML, so this is parsed as HTML; it must still be UTF-8.
    html = '<html><body><p>Ni\u00f1o&nbsp;and <b>caf\u00e9</b></p><p>Second</body></html>'.encode("utf-8")
    assert html_to_text(html) == "Ni\u00f1o and caf\u00e9\n\nSecond"
