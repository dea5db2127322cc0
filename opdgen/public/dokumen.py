"""content/<site>/dokumen/: the PPID register (UU 14/2008): one public document per file.

Pure: checked front-matter values in, DocumentDetails out (problems with path:line). Whether the
named file exists is decided later against the site's published documents (opdgen.public.freshness).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from opdgen import schema as s
from opdgen.media.documents import DOCUMENT_TYPES
from opdgen.media.refs import kind_of
from opdgen.public.spec import DetailsInput, KindSpec
from opdgen.records import record
from opdgen.yamlload import YNode, YScalar

# UU 14/2008 Pasal 9, 10, 11 and 17, in the law's order (the DIP groups by it).
CATEGORIES = ("berkala", "serta-merta", "setiap-saat", "dikecualikan")
EXCLUDED = "dikecualikan"

# type -> is it made once a year (the freshness check expects last year's when it is configured).
# Labels live in the theme (labels.yaml `dokumen_type_<type>`), so a region may rename them.
TYPES: dict[str, bool] = {
    "laporan-keuangan": True,  # Laporan Keuangan (audited)
    "lra": True,  # Laporan Realisasi Anggaran (often per semester or quarter)
    "lkjip": True,  # LKjIP / LAKIP
    "perjanjian-kinerja": True,
    "renstra": False,  # five-year plan
    "renja": True,
    "rka": True,
    "dpa": True,
    "rup": True,  # Rencana Umum Pengadaan
    "lhkpn": True,  # officials' wealth reports (summary)
    "laporan-ppid": True,  # Laporan Layanan Informasi Publik
    "iku": False,  # Indikator Kinerja Utama
    "sop": False,
    "regulasi": False,
    "profil": False,
    "pengadaan": False,  # contracts and tender results
    "peringatan": False,  # serta merta: warnings, outbreaks, disasters
    "lainnya": False,
}
YEAR_MIN = 1945


def _near_choice(options: Sequence[str]) -> s.Checker:
    """One of options; a near miss ("berkla") gets "maksud Anda ...?" (schema.choice otherwise)."""

    def check(node: YNode, where: s.Where) -> Any:
        text = node.text.strip().lower() if isinstance(node, YScalar) else ""
        if text in options:
            return text
        close = difflib.get_close_matches(text, options, n=1, cutoff=0.6) if text else []
        if close:
            return where.fail(node, "dokumen.choice_near", value=text, suggestion=close[0],
                              options=", ".join(options))
        return s.choice(options)(node, where)

    return check


SCHEMA = (
    s.Field("title", s.text(200), required=True, example="title: Laporan Keuangan Tahun 2025"),
    s.Field("category", _near_choice(CATEGORIES), required=True, example="category: berkala"),
    s.Field("type", _near_choice(tuple(TYPES)), required=True, example="type: laporan-keuangan"),
    s.Field("year", s.integer, required=True, example="year: 2025"),
    s.Field("period", s.text(40), default=""),
    s.Field("date", s.text(40), required=True, example="date: 2026-03-31"),
    s.Field("updated", s.text(40)),
    s.Field("unit", s.text(150), required=True, example="unit: Sekretariat - Subbagian Keuangan"),
    s.Field("file", s.text(200)),
    s.Field("reason", s.text(600, multiline=True)),
    s.Field("summary", s.text(400), default=""),
    s.Field("draft", s.boolean, default=False),
)


@record(kw_only=True)
class DocumentDetails:
    category: str  # one of CATEGORIES
    type: str  # a key of TYPES
    year: int
    period: str  # "" or e.g. "Semester I", "Triwulan III"
    unit: str  # the responsible unit
    file: str | None  # as written: beside the .md, in media/, or from the site folder; None: dikecualikan
    reason: str  # the legal basis of an exclusion; "" for the other categories
    file_line: int | None  # lines for problems found after loading (freshness, missing file)
    date_line: int | None

    @property
    def is_excluded(self) -> bool:
        return self.category == EXCLUDED

    @property
    def is_yearly(self) -> bool:
        return TYPES.get(self.type, False)


def build(given: DetailsInput) -> DocumentDetails | None:
    """The document's details; None after a problem (wrong year, file where none belongs, ...)."""
    v, where = given.values, given.where
    before = len(where.problems.errors)
    category, year = v["category"], v["year"]
    file, reason = v.get("file") or None, v.get("reason") or ""
    if v["unit"] == "":  # `opdgen new` leaves it "" for the admin to fill in
        where.problems.add(where.path, given.line("unit"), "schema.empty", key="unit",
                           example="unit: Sekretariat - Subbagian Keuangan")
    if year is not None and not YEAR_MIN <= year <= given.now.year + 5:
        where.problems.add(where.path, given.line("year"), "dokumen.year.range", value=year,
                           latest=given.now.year + 5)
    if category == EXCLUDED:
        if file:
            where.problems.add(where.path, given.line("file"), "dokumen.file.excluded", value=file)
        if not reason:
            where.problems.add(where.path, 1, "dokumen.reason.missing")
    elif category is not None:
        if reason:
            where.problems.add(where.path, given.line("reason"), "dokumen.reason.not_excluded",
                               category=category)
        if not file:
            where.problems.add(where.path, 1, "dokumen.file.missing_key", category=category)
        else:
            _check_file(file, given)
    if len(where.problems.errors) > before or category is None or v["type"] is None or year is None:
        return None
    return DocumentDetails(category=category, type=v["type"], year=year, period=v.get("period") or "",
                           unit=v["unit"], file=file if category != EXCLUDED else None, reason=reason,
                           file_line=given.line("file"), date_line=given.line("date"))


def _check_file(file: str, given: DetailsInput) -> None:
    """The form of `file:`: a local name with a document type that may be published."""
    where, line = given.where, given.line("file")
    form = kind_of(file)
    suffix = PurePosixPath(file).suffix.lower()
    if form == "remote":
        where.problems.add(where.path, line, "dokumen.file.remote", value=file)
    elif form != "local":
        where.problems.add(where.path, line, "media.ref.path", value=file)
    elif suffix not in DOCUMENT_TYPES:
        where.problems.add(where.path, line, "dokumen.file.type", value=file, ext=suffix or "?",
                           allowed=", ".join(sorted(DOCUMENT_TYPES.values())))


SPEC = KindSpec(
    schema=SCHEMA,
    build=build,
    schedulable=True,  # a document dated in the future is published on that day's build
    dated_filename=False,
    new_front=(
        "title: {title}\n"
        "category: berkala        # berkala, serta-merta, setiap-saat atau dikecualikan\n"
        "type: lainnya            # mis. laporan-keuangan, lkjip, renstra, renja, dpa, sop, regulasi\n"
        "year: {year}\n"
        "period: \"\"               # boleh kosong, mis. Semester I atau Triwulan III\n"
        "date: {date}\n"
        "unit: \"\"                 # unit penanggung jawab, mis. Sekretariat\n"
        "file: nama-berkas.pdf    # di samping berkas ini atau di media/; dikecualikan: hapus baris ini\n"
        "summary: \"\"\n"
        "draft: false\n"
    ),
    new_body=(
        "Tulis ringkasan isi dokumen di sini (boleh kosong).\n\n"
        "Simpan berkasnya (PDF, DOCX, XLSX, ODT ...) di samping berkas ini dan tulis namanya di file:.\n"
        "Untuk informasi yang dikecualikan: ganti category menjadi dikecualikan, hapus baris file:,\n"
        "dan tulis dasar hukumnya di reason:, mis. reason: Pasal 17 huruf h UU 14/2008.\n"
    ),
)
