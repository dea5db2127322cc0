"""Documents published as they are (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, ZIP): content check, size label.

It checks that a file holds what its extension says and names its type and size for readers;
it never changes a byte of the file.
"""

from __future__ import annotations

import io
import zipfile

DOCUMENT_TYPES = {
    ".pdf": "PDF", ".docx": "DOCX", ".xlsx": "XLSX", ".pptx": "PPTX",
    ".odt": "ODT", ".ods": "ODS", ".odp": "ODP", ".zip": "ZIP",
}
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
# The part every Office Open XML file of the type has, and the declared type of OpenDocument files.
_OOXML_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".pptx": "ppt/presentation.xml"}
_ODF_MIMETYPE = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odp": b"application/vnd.oasis.opendocument.presentation",
}


def holds_its_type(data: bytes, suffix: str) -> bool:
    """True when the bytes are a document of the type the extension names."""
    suffix = suffix.lower()
    if suffix == ".pdf":
        return b"%PDF-" in data[:1024]  # the header may follow a little junk (ISO 32000, 7.5.2)
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if suffix in _OOXML_PART:
                return "[Content_Types].xml" in names and _OOXML_PART[suffix] in names
            if suffix in _ODF_MIMETYPE:
                return "mimetype" in names and archive.read("mimetype").strip() == _ODF_MIMETYPE[suffix]
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return False
    return suffix == ".zip"


def size_text(size: int, lang: str) -> str:
    """`1,2 MB` in Indonesian, `1.2 MB` in English; KB below one MB (1024-based, as file managers count)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    megabytes = size / (1024 * 1024)
    number = f"{megabytes:.0f}" if megabytes >= 100 else f"{megabytes:.1f}"
    return (number.replace(".", ",") if lang == "id" else number) + " MB"


def label(kind: str, size: int, lang: str) -> str:
    """What a link to a document shows: `PDF, 1,2 MB`."""
    return f"{kind}, {size_text(size, lang)}"
