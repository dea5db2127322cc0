"""content/<site>/skm/: yearly Survei Kepuasan Masyarakat results (PermenPANRB 14/2017); pure checks.

A file gives the mean score (NRR, 1.00-4.00) of each of the nine survey elements; the index (IKM,
25-100) is their mean times 25, computed when absent and checked against them when given (an
official figure computed from the raw answers may differ by rounding, not by more than 0.5).
The quality grade (mutu A-D) always follows from the published index.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from opdgen import schema as s
from opdgen.public.spec import DetailsInput, KindSpec
from opdgen.records import record
from opdgen.yamlload import YNode, YScalar

# u1 persyaratan, u2 sistem/mekanisme/prosedur, u3 waktu penyelesaian, u4 biaya/tarif,
# u5 produk spesifikasi jenis pelayanan, u6 kompetensi pelaksana, u7 perilaku pelaksana,
# u8 penanganan pengaduan/saran/masukan, u9 sarana dan prasarana
ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
NRR_RANGE = (Decimal("1"), Decimal("4"))
INDEX_RANGE = (Decimal("25"), Decimal("100"))
TOLERANCE = Decimal("0.5")  # given index vs. the one computed from the elements
# (lowest index of the grade, grade), PermenPANRB 14/2017 Lampiran: A 88.31-100, B 76.61-88.30,
# C 65.00-76.60, D 25.00-64.99; compared after rounding the index to two decimals
GRADES = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"), (Decimal("0"), "D"))
CENT = Decimal("0.01")
_COMMA_DECIMAL = re.compile(r"^\s*\d+,\d+\s*$")


def number(low: Decimal, high: Decimal, code: str) -> s.Checker:
    """A decimal number within [low, high]; `3,25` (Indonesian decimal comma) gets its own hint."""

    def check(node: YNode, where: s.Where) -> Any:
        if not isinstance(node, YScalar) or isinstance(node.value, bool) or not isinstance(
                node.value, (int, float, str)):
            return where.fail(node, "skm.number", value=_show(node))
        if isinstance(node.value, str):
            code_ = "skm.decimal_comma" if _COMMA_DECIMAL.match(node.value) else "skm.number"
            return where.fail(node, code_, value=node.value.strip())
        try:
            value = Decimal(str(node.value)) if isinstance(node.value, int) else Decimal(node.text.strip())
        except InvalidOperation:
            return where.fail(node, "skm.number", value=node.text.strip())
        if not value.is_finite() or not low <= value <= high:
            return where.fail(node, code, value=node.text.strip(), low=low, high=high)
        return value

    return check


def _show(node: YNode) -> str:
    return node.text if isinstance(node, YScalar) else "[...]"


ELEMENT_FIELDS = tuple(
    s.Field(key, number(*NRR_RANGE, "skm.element.range"), required=True, example=f"{key}: 3.25")
    for key in ELEMENTS
)

SCHEMA = (
    s.Field("title", s.text(200), required=True, example='title: "Survei Kepuasan Masyarakat 2025"'),
    s.Field("summary", s.text(400), default=""),
    s.Field("year", s.integer, required=True, example="year: 2025"),
    s.Field("period", s.text(100), default=""),
    s.Field("respondents", s.integer, required=True, example="respondents: 400"),
    s.Field("elements", s.mapping(ELEMENT_FIELDS), required=True, example="elements: (u1 ... u9)"),
    s.Field("index", number(*INDEX_RANGE, "skm.index.range")),
    s.Field("updated", s.text(40)),
    s.Field("draft", s.boolean, default=False),
)


@record(kw_only=True)
class SurveyDetails:
    year: int
    period: str  # e.g. "Januari-Desember 2025" (may be empty)
    respondents: int
    elements: tuple[Decimal, ...]  # NRR of u1..u9, as written
    index: Decimal  # the published IKM: as given, else computed; two decimals
    computed_index: Decimal  # mean(NRR) x 25, two decimals
    is_index_given: bool
    grade: str  # mutu pelayanan: A, B, C or D

    @property
    def element_grades(self) -> tuple[str, ...]:
        """Each element's grade, by its NRR converted to the index scale (NRR x 25)."""
        return tuple(grade(nrr * 25) for nrr in self.elements)


def computed_index(elements: tuple[Decimal, ...]) -> Decimal:
    """IKM = (sum of NRR x 1/9) x 25, rounded half up to two decimals."""
    return (sum(elements, Decimal(0)) * 25 / len(elements)).quantize(CENT, ROUND_HALF_UP)


def grade(index: Decimal) -> str:
    """Mutu pelayanan of an index: A (Sangat Baik), B (Baik), C (Kurang Baik), D (Tidak Baik)."""
    rounded = index.quantize(CENT, ROUND_HALF_UP)
    return next(letter for low, letter in GRADES if rounded >= low)


def build(given: DetailsInput) -> SurveyDetails | None:
    v, where = given.values, given.where
    failed = False
    if v["respondents"] is not None and v["respondents"] <= 0:
        where.problems.add(where.path, given.line("respondents"), "skm.respondents", value=v["respondents"])
        failed = True
    year = v["year"]
    if year is not None and not 2000 <= year <= given.now.year:
        where.problems.add(where.path, given.line("year"), "skm.year", value=year, now=given.now.year)
        failed = True
    raw = v["elements"] or {}
    if failed or year is None or any(raw.get(k) is None for k in ELEMENTS):
        return None  # a missing or bad element was reported by the schema
    elements = tuple(raw[k] for k in ELEMENTS)
    computed = computed_index(elements)
    index = v["index"]
    if index is not None and abs(index - computed) > TOLERANCE:
        where.problems.add(where.path, given.line("index"), "skm.index.mismatch",
                           given=index, computed=computed)
        return None
    published = index.quantize(CENT, ROUND_HALF_UP) if index is not None else computed
    return SurveyDetails(
        year=year, period=v["period"] or "", respondents=v["respondents"], elements=elements,
        index=published, computed_index=computed, is_index_given=index is not None,
        grade=grade(published),
    )


NEW_FRONT = """\
title: {title}
summary: ""            # satu kalimat ringkasan hasil survei (boleh dikosongkan)
year: {year}             # tahun survei
period: Januari-Desember {year}   # periode pengumpulan kuesioner (boleh dikosongkan)
respondents: 400       # jumlah responden (kuesioner yang sah)
# Nilai rata-rata (NRR) tiap unsur SKM (PermenPANRB 14/2017), antara 1.00 dan 4.00.
# Tulis dengan titik, mis. 3.25 (bukan 3,25).
elements:
  u1: 3.20             # persyaratan
  u2: 3.20             # sistem, mekanisme, dan prosedur
  u3: 3.20             # waktu penyelesaian
  u4: 3.20             # biaya/tarif
  u5: 3.20             # produk spesifikasi jenis pelayanan
  u6: 3.20             # kompetensi pelaksana
  u7: 3.20             # perilaku pelaksana
  u8: 3.20             # penanganan pengaduan, saran, dan masukan
  u9: 3.20             # sarana dan prasarana
# index: 80.00         # nilai IKM resmi (25-100); bila dikosongkan dihitung dari unsur di atas
draft: true            # hapus baris ini (atau tulis false) bila angkanya sudah benar
"""

NEW_BODY = """\
Tulis analisis singkat hasil survei di sini: unsur dengan nilai terendah, saran dan keluhan yang
paling sering disampaikan responden, serta rencana tindak lanjut dan tenggat waktunya.
Grafik, nilai IKM, dan mutu pelayanan ditampilkan otomatis dari angka di atas.
"""

SPEC = KindSpec(
    schema=SCHEMA,
    build=build,
    schedulable=False,
    dated_filename=False,
    new_front=NEW_FRONT,
    new_body=NEW_BODY,
)
