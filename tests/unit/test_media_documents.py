"""Documents: the content must be the type the name says; links say type and size the Indonesian way."""

from __future__ import annotations

import io
import zipfile

import pytest

from opdgen.media.documents import holds_its_type, label, size_text


def archive(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


DOCX = archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = archive({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
PPTX = archive({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
ODT = archive({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ZIP = archive({"data.csv": b"a,b\n"})
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(("data", "suffix"), [
    (PDF, ".pdf"), (DOCX, ".docx"), (XLSX, ".xlsx"), (PPTX, ".pptx"), (ODT, ".odt"), (ZIP, ".zip"),
    (DOCX, ".zip"), (PDF, ".PDF"),
], ids=["pdf", "docx", "xlsx", "pptx", "odt", "zip", "docx-as-zip", "upper-case"])
def test_documents_of_their_type_pass(data: bytes, suffix: str) -> None:
    assert holds_its_type(data, suffix)


@pytest.mark.parametrize(("data", "suffix"), [
    (b"<html>phishing</html>", ".pdf"), (PDF, ".docx"), (XLSX, ".docx"), (ZIP, ".xlsx"), (DOCX, ".odt"),
    (ODT, ".ods"), (b"PK\x03\x04broken", ".zip"), (b"MZ\x90\x00", ".zip"),
], ids=["html-as-pdf", "pdf-as-docx", "xlsx-as-docx", "zip-as-xlsx", "docx-as-odt", "odt-as-ods",
        "broken-zip", "exe-as-zip"])
def test_documents_that_are_something_else_fail(data: bytes, suffix: str) -> None:
    assert not holds_its_type(data, suffix)


@pytest.mark.parametrize(("size", "lang", "text"), [
    (1_258_291, "id", "1,2 MB"), (1_258_291, "en", "1.2 MB"), (348_160, "id", "340 KB"), (100, "id", "1 KB"),
    (150 * 1024 * 1024, "id", "150 MB"),
])
def test_sizes_read_like_a_file_manager(size: int, lang: str, text: str) -> None:
    assert size_text(size, lang) == text


def test_label() -> None:
    assert label("PDF", 1_258_291, "id") == "PDF, 1,2 MB"
