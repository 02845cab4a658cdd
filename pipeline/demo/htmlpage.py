"""HTML rendering of demo pages: realistic site chrome around a known main text.

The chrome (cookie banner, header with navigation, sidebar, footer) is shared by all pages of a
site, so boilerplate removal has something to remove; the main text is placed in one of three
common containers (`<article>`, `<div class="content">`, bare `<main>`). Also the small
non-document payloads a crawl meets: 404 and 301 bodies, a PNG image, a PDF.
"""
from __future__ import annotations

import html
import json
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from .lexicon import LANGUAGES
from .sites import Site

_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                 "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                 "yu", "ya"]))


def slugify(text: str, limit: int = 60) -> str:
    """ASCII URL slug (Cyrillic transliterated), as most CMSs produce."""
    lowered = "".join(_CYR.get(ch, ch) for ch in text.lower())
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:limit].rstrip("-") or "article"


def section_slugs(lang: str) -> tuple[str, ...]:
    return tuple(slugify(item) for item in LANGUAGES[lang].chrome["nav"][1:])  # type: ignore[index]


@dataclass
class PageContent:
    """What goes into one rendered page; `paragraphs` are the body blocks under the headline."""

    title: str
    paragraphs: list[str]
    author: str
    published: date
    sidebar: list[tuple[str, str]] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)
    as_links: bool = False  # low-quality "link list" page: body blocks are links
    canonical: str | None = None  # <link rel="canonical"> target when not the page's own URL


def format_date(lang: str, day: date) -> str:
    chrome = LANGUAGES[lang].chrome
    months: Sequence[str] = chrome["months"]  # type: ignore[assignment]
    return str(chrome["date"]).format(d=day.day, month=months[day.month - 1], y=day.year)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _a(text: str) -> str:
    return html.escape(text, quote=True)


def meta_charset_tag(site: Site) -> str:
    if "meta" not in site.declared:
        return ""
    if site.meta_style == "http-equiv":
        return f'<meta http-equiv="Content-Type" content="text/html; charset={site.label}">\n'
    return f'<meta charset="{site.label}">\n'


def render_page(site: Site, url: str, page: PageContent) -> str:
    """The full HTML document (as text; the caller encodes it with the site's codec)."""
    lang = LANGUAGES[site.lang]
    c = lang.chrome
    nav: Sequence[str] = c["nav"]  # type: ignore[assignment]
    slugs = section_slugs(site.lang)
    when = format_date(site.lang, page.published)
    iso = page.published.isoformat()
    desc = page.paragraphs[0][:150] if page.paragraphs else page.title
    nav_items = "\n".join(
        [f'      <li><a href="/">{_e(nav[0])}</a></li>']
        + [f'      <li><a href="/{s}/">{_e(n)}</a></li>' for s, n in zip(slugs, nav[1:])])

    if page.as_links:
        body = "      <ul class=\"link-list\">\n" + "\n".join(
            f'        <li><a href="/{slugs[i % len(slugs)]}/{slugify(p)}.html">{_e(p)}</a></li>'
            for i, p in enumerate(page.paragraphs)) + "\n      </ul>"
    else:
        body = "\n".join(f"      <p>{_e(p)}</p>" for p in page.paragraphs)

    if site.layout == "article":
        related = ""
        if page.related:
            related = (f'\n      <aside class="related">\n        <h3>{_e(str(c["related"]))}</h3>\n        <ul>\n'
                       + "\n".join(f'          <li><a href="{_a(h)}">{_e(t)}</a></li>' for t, h in page.related)
                       + "\n        </ul>\n      </aside>")
        main = (f'  <main id="main">\n    <article class="story">\n      <header>\n'
                f"        <h1>{_e(page.title)}</h1>\n"
                f'        <p class="byline">{_e(str(c["by"]))} <span class="author">{_e(page.author)}</span> · '
                f'<time datetime="{iso}">{_e(when)}</time></p>\n      </header>\n'
                f'      <div class="story-body">\n{body}\n      </div>{related}\n    </article>\n  </main>')
    elif site.layout == "content-div":
        main = (f'  <div id="content" class="content">\n    <h1 class="title">{_e(page.title)}</h1>\n'
                f'    <div class="meta">{_e(str(c["by"]))} {_e(page.author)}, {_e(when)}</div>\n'
                f"{body}\n  </div>")
    else:
        main = (f"  <main>\n    <h1>{_e(page.title)}</h1>\n    <p class=\"dateline\">{_e(when)}</p>\n"
                f"{body}\n    <p class=\"author\">{_e(str(c['by']))} {_e(page.author)}</p>\n  </main>")

    sidebar = "\n".join(f'        <li><a href="{_a(h)}">{_e(t)}</a></li>' for t, h in page.sidebar)
    jsonld = ""
    if site.layout == "article":
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": page.title,
                "datePublished": iso, "author": {"@type": "Person", "name": page.author},
                "publisher": {"@type": "Organization", "name": site.name}}
        jsonld = f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=True)}</script>\n'

    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{site.lang}">\n<head>\n'
        f"{meta_charset_tag(site)}"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(page.title)} | {_e(site.name)}</title>\n"
        f'<meta name="description" content="{_a(desc)}">\n'
        f'<link rel="canonical" href="{_a(page.canonical or url)}">\n'
        '<link rel="stylesheet" href="/static/css/site.css?v=3">\n'
        '<script async src="/static/js/analytics.js"></script>\n'
        f"{jsonld}"
        "</head>\n"
        f'<body class="page-{site.layout}">\n'
        '<div id="cookie-consent" class="cookie-banner" role="dialog" aria-live="polite">\n'
        f'  <p>{_e(str(c["cookie"]))} <a href="/privacy">{_e(str(c["more"]))}</a></p>\n'
        f'  <button type="button" class="btn-accept">{_e(str(c["accept"]))}</button>\n'
        f'  <button type="button" class="btn-reject">{_e(str(c["reject"]))}</button>\n'
        "</div>\n"
        '<header class="site-header">\n'
        f'  <a class="logo" href="/">{_e(site.name)}</a>\n'
        '  <nav class="main-nav" aria-label="Main">\n    <ul>\n'
        f"{nav_items}\n    </ul>\n  </nav>\n"
        f'  <form class="search" action="/search" method="get"><input type="search" name="q" '
        f'placeholder="{_a(str(c["search"]))}"></form>\n'
        "</header>\n"
        '<div class="page-wrapper">\n'
        f"{main}\n"
        '  <aside class="sidebar">\n    <section class="most-read">\n'
        f'      <h2>{_e(str(c["most_read"]))}</h2>\n      <ol>\n{sidebar}\n      </ol>\n    </section>\n'
        '    <section class="newsletter">\n'
        f'      <p>{_e(str(c["newsletter"]))}</p>\n'
        f'      <a class="button" href="/newsletter">{_e(str(c["subscribe"]))}</a>\n'
        "    </section>\n  </aside>\n</div>\n"
        '<footer class="site-footer">\n  <ul class="footer-links">\n'
        f'    <li><a href="/privacy">{_e(str(c["privacy"]))}</a></li>\n'
        f'    <li><a href="/terms">{_e(str(c["terms"]))}</a></li>\n'
        f'    <li><a href="/about">{_e(str(c["imprint"]))}</a></li>\n'
        f'    <li><a href="/contact">{_e(str(c["contact"]))}</a></li>\n'
        "  </ul>\n"
        f'  <p class="copyright">© 2025 {_e(site.name)}. {_e(str(c["rights"]))}</p>\n'
        "</footer>\n"
        '<script src="/static/js/app.js" defer></script>\n'
        "</body>\n</html>\n"
    )


def wet_text(site: Site, page: PageContent) -> str:
    """Plain text of a whole page as CommonCrawl's WET extractor writes it: one line per block,
    boilerplate included (navigation, cookie notice, sidebar, footer)."""
    c = LANGUAGES[site.lang].chrome
    lines = [f"{page.title} | {site.name}", site.name]
    lines.extend(c["nav"])  # type: ignore[arg-type]
    lines.append(f'{c["cookie"]} {c["more"]}')
    lines.append(page.title)
    lines.append(f'{c["by"]} {page.author}, {format_date(site.lang, page.published)}')
    lines.extend(page.paragraphs)
    lines.append(str(c["most_read"]))
    lines.extend(t for t, _h in page.sidebar)
    lines.extend([str(c["privacy"]), str(c["terms"]), str(c["imprint"]), str(c["contact"]),
                  f'© 2025 {site.name}. {c["rights"]}'])
    return "\n".join(lines) + "\n"


def not_found_page(site: Site) -> str:
    c = LANGUAGES[site.lang].chrome
    return (f"<!DOCTYPE html>\n<html lang=\"{site.lang}\">\n<head>\n{meta_charset_tag(site)}"
            f"<title>404 | {_e(site.name)}</title>\n</head>\n<body>\n"
            f'<header class="site-header"><a class="logo" href="/">{_e(site.name)}</a></header>\n'
            f"<main>\n  <h1>{_e(str(c['not_found']))}</h1>\n  <p>{_e(str(c['not_found_text']))}</p>\n"
            f'  <p><a href="/">{_e(str(c["nav"][0]))}</a></p>\n</main>\n</body>\n</html>\n')  # type: ignore[index]


def moved_page(location: str) -> str:
    """Apache's stock 301 body."""
    return ('<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
            "<title>301 Moved Permanently</title>\n</head><body>\n<h1>Moved Permanently</h1>\n"
            f'<p>The document has moved <a href="{_a(location)}">here</a>.</p>\n</body></html>\n')


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_image(width: int, height: int, seed: int) -> bytes:
    """A valid RGB PNG with a deterministic gradient (decodes with any image library)."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes(((x * 7 + seed) % 256, (y * 5 + seed * 3) % 256, ((x ^ y) + seed) % 256))
        rows.append(bytes(row))
    raw = b"".join(rows)
    return (b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _png_chunk(b"IDAT", zlib.compress(raw, 9))
            + _png_chunk(b"IEND", b""))


def pdf_document(title: str, lines: Sequence[str]) -> bytes:
    """A minimal valid one-page PDF 1.4 with Helvetica text and a correct xref table."""
    def esc(s: str) -> str:
        return s.encode("latin-1", "replace").decode("latin-1").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = ["BT", "/F1 18 Tf", "72 760 Td", f"({esc(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text_ops += ["0 -18 Td", f"({esc(line)}) Tj"]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (" + esc(title).encode("latin-1") + b") /Producer (Quarry demo) "
        b"/CreationDate (D:20251101120000Z) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)
