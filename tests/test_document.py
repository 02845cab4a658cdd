"""Documents as bytes for the shuffles that carry them whole."""
from __future__ import annotations

from pipeline.document import Document, decode_document, encode_document

def test_documents_cross_shuffles_as_bytes_and_read_back_equal():
    doc = Document(id="d1", source="web", kind="warc", text="line one\nline \u00e9 two\n\n\u4e2d\u6587 \U0001f600 lone \udc80",
                   fields={"url": "https://x.example/\u00e9", "note": "a\nb\"c"},
                   signals={"q": 0.1 + 0.2, "big": 1e300, "neg": -0.0, "nan": float("nan")})
    back = decode_document(encode_document(doc))
    assert (back.id, back.source, back.kind, back.text, back.fields) == (doc.id, doc.source, doc.kind, doc.text, doc.fields)
    assert {k: repr(v) for k, v in back.signals.items()} == {k: repr(v) for k, v in doc.signals.items()}
    assert encode_document(back) == encode_document(doc)  # deterministic
