"""Tiny valid PDFs, written by hand and byte-for-byte deterministic (no dates, no IDs).

Tests use tiny_pdf() for register entries; `python -m tests.pdfgen` (re)writes the sample
register's files: for every content/<site>/dokumen/*.md naming a `file:` beside it, a one-page PDF
showing the entry's title, unit and year.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def _escape(text: str) -> str:
    ascii_text = text.encode("latin-1", "replace").decode("latin-1")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def tiny_pdf(*lines: str) -> bytes:
    """A one-page A4 PDF 1.4 showing the lines in Helvetica, with a correct cross-reference table."""
    text = ["BT", "/F1 16 Tf", "72 770 Td", "20 TL"]
    for i, line in enumerate(lines or ("Dokumen",)):
        text.append(f"({_escape(line)}) Tj" if i == 0 else f"T* ({_escape(line)}) Tj")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _field(front: str, key: str) -> str:
    match = re.search(rf"^{key}:\s*(.+?)\s*(#.*)?$", front, re.MULTILINE)
    return match.group(1).strip().strip('"') if match else ""


def write_sample(root: Path) -> list[Path]:
    """The PDF of every sample register entry whose file is a .pdf beside it."""
    written = []
    for md in sorted(root.glob("content/*/dokumen/*.md")):
        front = md.read_text("utf-8").split("---")[1]
        name = _field(front, "file")
        if not name.endswith(".pdf") or "/" in name:
            continue
        site = (root / "content" / md.parent.parent.name / "site.yaml").read_text("utf-8")
        pdf = tiny_pdf(_field(site, "name"), _field(front, "title"),
                       f"Tahun {_field(front, 'year')} {_field(front, 'period')}".strip(),
                       f"Penanggung jawab: {_field(front, 'unit')}", "Contoh dokumen (Kabupaten Sukamaju fiktif)")
        target = md.parent / name
        target.write_bytes(pdf)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_sample(Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT):
        print(path)
