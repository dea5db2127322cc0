"""SKM results (skm/): element and index checks at path:line, the computed index and the grade
boundaries of PermenPANRB 14/2017, the inline SVG chart's structure, and `opdgen new skm`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import Result

from opdgen.content.loader import LoadOptions, load_region
from opdgen.content.model import Kind
from opdgen.outputs import skmchart, skmpage
from opdgen.public.skm import SurveyDetails, computed_index, grade

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
S = "content/dinkes/skm/"
SVG = ""  # inline SVG in HTML carries no namespace
GOOD = """\
---
title: Survei Kepuasan Masyarakat 2025
year: 2025
period: Januari-Desember 2025
respondents: 400
elements:
  u1: 3.38
  u2: 3.34
  u3: 3.21
  u4: 3.66
  u5: 3.37
  u6: 3.45
  u7: 3.58
  u8: 3.27
  u9: 3.29
---
Rencana tindak lanjut.
"""


def load(make_repo: Callable[..., Path], files: dict[str, str]
         ) -> tuple[list[SurveyDetails], list[tuple[str, int | None, str, dict[str, str]]]]:
    repo = make_repo(files)
    region, problems = load_region(repo, LoadOptions(now=NOW, jobs=1, use_cache=False))
    found = [(str(p.path), p.line, p.code, dict(p.params)) for p in problems.errors]
    surveys = [] if region is None else [
        p.details for s in region.sites for p in s.of_kind(Kind.SKM) if isinstance(p.details, SurveyDetails)]
    return surveys, found


def codes(found: list[tuple[str, int | None, str, dict[str, str]]]) -> list[tuple[int | None, str]]:
    return [(line, code) for _, line, code, _ in found]


def test_the_index_is_computed_from_the_elements_when_absent(make_repo: Callable[..., Path]) -> None:
    [survey], found = load(make_repo, {S + "2025.md": GOOD})
    assert found == []
    # (3.38 + 3.34 + 3.21 + 3.66 + 3.37 + 3.45 + 3.58 + 3.27 + 3.29) / 9 x 25 = 84.8611...
    assert survey.index == survey.computed_index == Decimal("84.86") and not survey.is_index_given
    assert survey.grade == "B" and survey.respondents == 400 and survey.year == 2025
    assert survey.elements[3] == Decimal("3.66")
    assert survey.element_grades[3] == "A" and survey.element_grades[2] == "B"  # 91.50 and 80.25


def test_a_given_index_close_to_the_elements_is_published(make_repo: Callable[..., Path]) -> None:
    [survey], found = load(make_repo, {S + "2025.md": GOOD.replace("---\nRencana", "index: 85.2\n---\nRencana")})
    assert found == []
    assert survey.index == Decimal("85.20") and survey.computed_index == Decimal("84.86") and survey.is_index_given


def test_a_given_index_disagreeing_with_the_elements_names_both(make_repo: Callable[..., Path]) -> None:
    surveys, found = load(make_repo, {S + "2025.md": GOOD.replace("---\nRencana", "index: 88.40\n---\nRencana")})
    assert surveys == []
    assert found == [(S + "2025.md", 16, "skm.index.mismatch", {"given": "88.40", "computed": "84.86"})]


@pytest.mark.parametrize(("value", "code"), [
    ("4.2", "skm.element.range"), ("0.9", "skm.element.range"), ("82", "skm.element.range"),
    ("3,25", "skm.decimal_comma"), ("baik", "skm.number"), ("[3]", "skm.number"),
], ids=["above-4", "below-1", "index-in-an-element", "decimal-comma", "word", "list"])
def test_an_element_out_of_range_or_not_a_number(make_repo: Callable[..., Path], value: str, code: str) -> None:
    surveys, found = load(make_repo, {S + "2025.md": GOOD.replace("u3: 3.21", f"u3: {value}")})
    assert surveys == []
    assert codes(found) == [(9, code)] and found[0][3]["key"] == "elements.u3"


def test_the_boundaries_1_and_4_are_allowed(make_repo: Callable[..., Path]) -> None:
    [survey], found = load(make_repo, {S + "2025.md": GOOD.replace("u1: 3.38", "u1: 1").replace("u2: 3.34", "u2: 4.00")})
    assert found == [] and survey.elements[:2] == (Decimal(1), Decimal("4.00"))


def test_a_missing_element_and_a_bad_count_are_errors(make_repo: Callable[..., Path]) -> None:
    text = GOOD.replace("  u9: 3.29\n", "").replace("respondents: 400", "respondents: 0")
    surveys, found = load(make_repo, {S + "2025.md": text})
    assert surveys == []
    assert ("schema.missing" in {c for _, c in codes(found)}) and found[0][3]["key"] == "elements.u9"
    text = GOOD.replace("respondents: 400", "respondents: 0").replace("year: 2025", "year: 2027")
    _, found = load(make_repo, {S + "2025.md": text})
    assert codes(found) == [(3, "skm.year"), (5, "skm.respondents")]


def test_an_index_out_of_range_is_an_error(make_repo: Callable[..., Path]) -> None:
    _, found = load(make_repo, {S + "2025.md": GOOD.replace("---\nRencana", "index: 3.39\n---\nRencana")})
    assert codes(found) == [(16, "skm.index.range")]


@pytest.mark.parametrize(("index", "letter"), [
    ("100", "A"), ("88.31", "A"), ("88.30", "B"), ("88.305", "A"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25", "D"),
])
def test_grade_boundaries(index: str, letter: str) -> None:
    assert grade(Decimal(index)) == letter


def test_computed_index_rounds_half_up() -> None:
    # mean 3.5322.. x 25 = 88.305.. -> 88.31 (A); exact decimals, no binary floating point
    assert computed_index(tuple(Decimal(v) for v in ("3.53", "3.53", "3.53", "3.53", "3.53", "3.53",
                                                      "3.53", "3.53", "3.55"))) == Decimal("88.31")
    assert computed_index((Decimal("3.0644"),) * 9) == Decimal("76.61")


def test_two_files_for_one_year_stop_the_build(make_repo: Callable[..., Path],
                                               run_cli: Callable[..., Result]) -> None:
    repo = make_repo({S + "2025.md": GOOD, S + "2025-ulang.md": GOOD})
    result = run_cli("check", "--root", repo)
    assert result.exit_code == 1
    assert f"{S}2025.md: Hasil SKM tahun 2025 sudah ada di {S}2025-ulang.md" in result.output


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_the_element_chart_has_nine_bars_proportional_to_the_values() -> None:
    values = [Decimal(v) for v in ("3.38", "3.34", "3.21", "3.66", "3.37", "3.45", "3.58", "3.27", "3.29")]
    svg = parse(skmchart.elements_chart([f"U{i}" for i in range(1, 10)], values, title="Grafik SKM 2025",
                                        desc="U1 Persyaratan: 3,38.", chart_id="c", show=str))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c-t c-d"
    assert svg.find(f"{SVG}title").text == "Grafik SKM 2025"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == "U1 Persyaratan: 3,38."  # type: ignore[union-attr]
    assert svg.find(f"{SVG}title").get("id") == "c-t"  # type: ignore[union-attr]
    bars = svg.findall(f"{SVG}rect[@class='skm-bar']")
    assert len(bars) == 9
    heights = [float(b.get("height", "0")) for b in bars]
    ratios = [h / float(v) for h, v in zip(heights, values, strict=True)]
    assert max(ratios) - min(ratios) < 0.01  # heights proportional to the values (from zero)
    bottoms = {round(float(b.get("y", "0")) + h, 2) for b, h in zip(bars, heights, strict=True)}
    assert len(bottoms) == 1  # one baseline
    texts = [t.text for t in svg.findall(f"{SVG}text[@class='skm-value']")]
    assert texts == [str(v) for v in values]
    assert [t.text for t in svg.findall(f"{SVG}text[@class='skm-name']")] == [f"U{i}" for i in range(1, 10)]
    assert "style" not in ET.tostring(svg, encoding="unicode")


def test_the_trend_chart_has_one_bar_per_year_on_a_0_to_100_scale() -> None:
    svg = parse(skmchart.trend_chart([(2024, Decimal("82.75")), (2025, Decimal("84.91"))], title="Tren",
                                     desc="2024: 82,75; 2025: 84,91.", chart_id="t", show=str))
    bars = svg.findall(f"{SVG}rect[@class='skm-bar']")
    assert [round(float(b.get("height", "0")) / 1.2, 2) for b in bars] == [82.75, 84.91]  # 120 units = 100
    assert [t.text for t in svg.findall(f"{SVG}text[@class='skm-name']")] == ["2024", "2025"]


def test_the_page_view_formats_figures_in_indonesian() -> None:
    assert skmpage.decimal_text(Decimal("84.9"), "id") == "84,90"
    assert skmpage.decimal_text(Decimal("84.9"), "en") == "84.90"
    assert skmpage.count_text(1234, "id") == "1.234" and skmpage.count_text(1234, "en") == "1,234"


def test_new_skm_starts_a_file_that_checks_clean(make_repo: Callable[..., Path],
                                                 run_cli: Callable[..., Result]) -> None:
    repo = make_repo()
    result = run_cli("new", "skm", "--root", repo, "--site", "dinkes", "SKM 2026")
    assert result.exit_code == 0, result.output
    path = repo / "content/dinkes/skm/skm-2026.md"
    written = path.read_text(encoding="utf-8")
    assert "year: 2026" in written and "u9: 3.20" in written and "bukan 3,25" in written
    assert run_cli("check", "--root", repo).exit_code == 0
    path.write_text(written.replace("draft: true", "draft: false"), encoding="utf-8")
    assert run_cli("build", "--root", repo).exit_code == 0
    page = (repo / "output/dinkes/skm/index.html").read_text(encoding="utf-8")
    assert "80,00" in page  # 3.20 x 25
