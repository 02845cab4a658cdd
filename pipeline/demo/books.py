"""Book sources: Project Gutenberg-style plain texts and one EPUB.

The plain texts reproduce what makes real Gutenberg files awkward: a licence header before
the "*** START OF THE PROJECT GUTENBERG EBOOK ... ***" line and a long licence after the END
line, CRLF line endings, hard-wrapped paragraphs, a UTF-8 byte order mark on one file and
ISO-8859-1 on another (declared in the header as older files do). The EPUB is written with
ebooklib and then re-zipped with fixed timestamps, since ebooklib stamps the current time
into the zip entries.
"""
from __future__ import annotations

import hashlib
import html
import io
import random
import textwrap
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .archives import rezip_fixed
from .lexicon import NARRATIVE_LATIN1_EXTRA, NARRATIVE_SLOTS, NARRATIVE_TEMPLATES

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
CHAPTER_TITLES = ("The Arrival", "A Letter from London", "The Storm", "At the Inn", "The Old Mill",
                  "What the Tide Left", "The Quarrel", "A Walk by the Marsh", "The Ledger",
                  "Winter Lights", "The Return", "Morning")


@dataclass(frozen=True)
class BookSpec:
    number: int
    title: str
    author: str
    release: str
    encoding: str        # Python codec of the file
    bom: bool
    chapters: int
    latin1_style: bool   # older header/licence wording, no typographic characters


BOOKS: tuple[BookSpec, ...] = (
    BookSpec(73152, "The Lighthouse at Ardmore", "Eleanor Whitcombe", "March 14, 2024", "utf-8", True, 8, False),
    BookSpec(70418, "A Winter in Kelston", "Thomas Ashdown", "September 2, 2023", "utf-8", False, 7, False),
    BookSpec(18214, "The Journal of Émile Durand", "Henri Lefèvre", "May 9, 2006", "iso-8859-1", False, 6, True),
)
EPUB_SPEC = ("The Cartographer's Daughter", "Helena Marsh")


class Narrator:
    """Renders English narrative sentences from the lexicon's narrative templates."""

    def __init__(self, rng: random.Random, latin1: bool) -> None:
        self.rng = rng
        self.latin1 = latin1
        self.slots = {k: tuple(v) for k, v in NARRATIVE_SLOTS.items()}
        if latin1:
            for key, extra in NARRATIVE_LATIN1_EXTRA.items():
                self.slots[key] = self.slots[key] + tuple(extra) * 2

    def _value(self, name: str) -> str:
        base = name.rstrip("0123456789")
        if base == "when_lc":
            v = self.rng.choice(self.slots["When"])
            return v[:1].lower() + v[1:]
        if base == "When":
            return self.rng.choice(self.slots["When"])
        v = self.rng.choice(self.slots[base.lower()])
        if base == "line" and v.endswith("."):
            v = v[:-1] + ","  # a quoted line is always followed by "said X" / "X answered"
        return v[:1].upper() + v[1:] if base[:1].isupper() else v

    def sentence(self) -> str:
        template = self.rng.choice(NARRATIVE_TEMPLATES)
        out, i = [], 0
        while i < len(template):
            j = template.find("{", i)
            if j < 0:
                out.append(template[i:])
                break
            k = template.index("}", j)
            out.append(template[i:j])
            out.append(self._value(template[j + 1:k]))
            i = k + 1
        text = "".join(out)
        if not self.latin1:
            while '"' in text:
                text = text.replace('"', "\u201c", 1).replace('"', "\u201d", 1)
            text = text.replace("'", "\u2019")
        return text[:1].upper() + text[1:]

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 7)))


def _licence_intro(latin1: bool) -> str:
    tm = "-tm" if latin1 else "\u2122"
    dash = "--" if latin1 else "\u2014"
    return f"""Updated editions will replace the previous one{dash}the old editions will
be renamed.

Creating the works from print editions not protected by U.S. copyright
law means that no one owns a United States copyright in these works,
so the Foundation (and you!) can copy and distribute it in the United
States without permission and without paying copyright
royalties. Special rules, set forth in the General Terms of Use part
of this license, apply to copying and distributing Project
Gutenberg{tm} electronic works to protect the PROJECT GUTENBERG{tm}
concept and trademark. Project Gutenberg is a registered trademark,
and may not be used if you charge for an eBook, except by following
the terms of the trademark license, including paying royalties for use
of the Project Gutenberg trademark. If you do not charge anything for
copies of this eBook, complying with the trademark license is very
easy. You may use this eBook for nearly any purpose such as creation
of derivative works, reports, performances and research.


START: FULL LICENSE

THE FULL PROJECT GUTENBERG LICENSE

PLEASE READ THIS BEFORE YOU DISTRIBUTE OR USE THIS WORK

To protect the Project Gutenberg{tm} mission of promoting the free
distribution of electronic works, by using or distributing this work
(or any other work associated in any way with the phrase "Project
Gutenberg"), you agree to comply with all the terms of the Full
Project Gutenberg{tm} License available with this file or online at
www.gutenberg.org/license.

Section 1. General Terms of Use and Redistributing Project Gutenberg{tm}
electronic works

1.A. By reading or using any part of this Project Gutenberg{tm}
electronic work, you indicate that you have read, understand, agree to
and accept all the terms of this license and intellectual property
(trademark/copyright) agreement. If you do not agree to abide by all
the terms of this agreement, you must cease using and return or
destroy all copies of Project Gutenberg{tm} electronic works in your
possession.

1.B. "Project Gutenberg" is a registered trademark. It may only be
used on or associated in any way with an electronic work by people who
agree to be bound by the terms of this agreement.

Section 5. General Information About Project Gutenberg{tm} electronic works

Professor Michael S. Hart was the originator of the Project
Gutenberg{tm} concept of a library of electronic works that could be
freely shared with anyone. For forty years, he produced and
distributed Project Gutenberg{tm} eBooks with only a loose network of
volunteer support.

Most people start at our website which has the main PG search
facility: www.gutenberg.org.

This website includes information about Project Gutenberg{tm},
including how to make donations to the Project Gutenberg Literary
Archive Foundation, how to help produce our new eBooks, and how to
subscribe to our email newsletter to hear about new eBooks.
"""


def _header(spec: BookSpec) -> str:
    upper = spec.title.upper()
    if spec.latin1_style:
        return f"""The Project Gutenberg eBook of {spec.title}, by {spec.author}

This eBook is for the use of anyone anywhere at no cost and with
almost no restrictions whatsoever.  You may copy it, give it away or
re-use it under the terms of the Project Gutenberg License included
with this eBook or online at www.gutenberg.org


Title: {spec.title}

Author: {spec.author}

Release Date: {spec.release} [EBook #{spec.number}]

Language: English

Character set encoding: ISO-8859-1

*** START OF THE PROJECT GUTENBERG EBOOK {upper} ***




Produced by Quarry Demo Volunteers



"""
    return f"""The Project Gutenberg eBook of {spec.title}
    
This ebook is for the use of anyone anywhere in the United States and
most other parts of the world at no cost and with almost no restrictions
whatsoever. You may copy it, give it away or re-use it under the terms
of the Project Gutenberg License included with this ebook or online
at www.gutenberg.org. If you are not located in the United States,
you will have to check the laws of the country where you are located
before using this eBook.

Title: {spec.title}

Author: {spec.author}

Release date: {spec.release} [eBook #{spec.number}]

Language: English

Credits: Quarry Demo Volunteers and the Online Distributed Proofreading Team


*** START OF THE PROJECT GUTENBERG EBOOK {upper} ***



"""


def book_text(spec: BookSpec, rng: random.Random) -> tuple[str, str, list[str]]:
    """The whole file as text (LF newlines), the body between the markers, chapter titles."""
    narrator = Narrator(rng, spec.latin1_style)
    titles = [CHAPTER_TITLES[(spec.number + i) % len(CHAPTER_TITLES)] for i in range(spec.chapters)]
    parts = [spec.title.upper(), "", f"By {spec.author}", "", "", "CONTENTS", ""]
    parts += [f"   {ROMAN[i]}. {t}" for i, t in enumerate(titles)]
    parts += ["", ""]
    for i, title in enumerate(titles):
        parts += ["", f"CHAPTER {ROMAN[i]}.", title.upper(), ""]
        for _ in range(rng.randint(18, 30)):
            parts.append(textwrap.fill(narrator.paragraph(), width=70))
            parts.append("")
    parts += ["", "THE END"]
    body = "\n".join(parts)
    end = f"*** END OF THE PROJECT GUTENBERG EBOOK {spec.title.upper()} ***"
    full = _header(spec) + body + "\n\n\n\n" + end + "\n\n\n    \n\n" + _licence_intro(spec.latin1_style)
    start = full.index("\n", full.index("*** START OF THE PROJECT GUTENBERG EBOOK")) + 1
    stop = full.index("*** END OF THE PROJECT GUTENBERG EBOOK")
    return full, full[start:stop].strip(), titles


def write_epub(path: Path, seed: int) -> dict[str, Any]:
    from ebooklib import epub  # imported here: only this function needs it

    rng = random.Random(f"{seed}:epub")
    narrator = Narrator(rng, latin1=False)
    title, author = EPUB_SPEC
    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'quarry-demo-epub:{seed}')}")
    book.set_title(title)
    book.set_language("en")
    book.add_author(author)
    book.add_metadata("DC", "publisher", "Quarry Demo Press")
    book.add_metadata("DC", "date", "2026-01-01")
    css = epub.EpubItem(uid="style", file_name="style/main.css", media_type="text/css",
                        content=b"body { font-family: serif; } h1 { text-align: center; }")
    book.add_item(css)
    chapters = []
    chapter_titles = ["The Surveyor's Map", "Across the Fells", "The Last Boundary Stone"]
    for i, chapter_title in enumerate(chapter_titles, start=1):
        paras = [narrator.paragraph() for _ in range(rng.randint(10, 16))]
        chap = epub.EpubHtml(title=chapter_title, file_name=f"chap_{i:02d}.xhtml", lang="en")
        chap.content = (f"<h1>Chapter {i}: {html.escape(chapter_title)}</h1>\n"
                        + "\n".join(f"<p>{html.escape(p)}</p>" for p in paras))
        chap.add_item(css)
        book.add_item(chap)
        chapters.append(chap)
    book.toc = tuple(chapters)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    buf = io.BytesIO()
    epub.write_epub(buf, book, {"mtime": datetime(2026, 1, 1, 0, 0, 0)})
    path.write_bytes(rezip_fixed(buf.getvalue()))
    return {"path": f"books/{path.name}", "title": title, "author": author, "language": "en",
            "chapters": chapter_titles}


def build_books(out_dir: Path, seed: int) -> dict[str, Any]:
    books_dir = out_dir / "books"
    books_dir.mkdir(parents=True, exist_ok=True)
    texts = []
    for spec in BOOKS:
        rng = random.Random(f"{seed}:book:{spec.number}")
        full, body, titles = book_text(spec, rng)
        data = full.replace("\n", "\r\n").encode(spec.encoding)  # strict: Latin-1 must fit
        if spec.bom:
            data = b"\xef\xbb\xbf" + data
        name = f"pg{spec.number}.txt"
        (books_dir / name).write_bytes(data)
        texts.append({
            "path": f"books/{name}", "pg_number": spec.number, "title": spec.title, "author": spec.author,
            "language": "en", "encoding": spec.encoding, "bom": spec.bom, "line_endings": "crlf",
            "chapters": titles,
            "body_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
            "body_chars": len(body), "body_words": len(body.split()),
            "body_definition": "text strictly between the START and END marker lines, CRLF->LF, stripped",
        })
    epub_info = write_epub(books_dir / "demo-book.epub", seed)
    return {"texts": texts, "epub": epub_info}
