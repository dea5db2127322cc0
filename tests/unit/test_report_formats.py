"""The four formats of one handmade report: escaping, unknown figures, the chart, both languages."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import date

from opdgen.report.data import render_csv, render_json
from opdgen.report.html import PageLinks, render_html
from opdgen.report.model import AgencyFigures, Month, Report, Status, Thresholds
from opdgen.report.svg import BARS, month_chart
from opdgen.report.text import render_text

MONTHS = (Month(2026, 10), Month(2026, 11))


def agency(slug: str, per_month: tuple[int, ...], status: Status, **kw: object) -> AgencyFigures:
    values: dict[str, object] = dict(
        slug=slug, name=f"Dinas <{slug}> & Co", short_name=slug.upper(), url=f"https://{slug}.go.id/",
        per_month=per_month, by_kind=(("berita", sum(per_month)), ("pengumuman", 0)), recent=1,
        last_published=date(2026, 11, 27), days_since=1, last_change=None, contributors=None,
        missing_pages=("kontak",), ppid_missing=None, images_without_alt=3, status=status)
    values.update(kw)
    return AgencyFigures(**values)  # type: ignore[arg-type]


REPORT = Report(
    region="Kabupaten \"Uji\"", today=date(2026, 11, 28), since=date(2026, 10, 1), months=MONTHS,
    kinds=("berita", "pengumuman"), thresholds=Thresholds(), has_history=False, is_shallow=False,
    agencies=(
        agency("sepi", (0, 0), Status.TIDAK_AKTIF, last_published=None, days_since=None, recent=0),
        agency("ramai", (4, 2), Status.AKTIF, contributors=3, last_change=date(2026, 11, 28)),
    ),
)


def test_json_keeps_unknown_figures_null() -> None:
    data = json.loads(render_json(REPORT))
    sepi, ramai = data["agencies"]
    assert sepi["last_published"] is None and sepi["days_since"] is None
    assert sepi["contributors"] is None and sepi["ppid_missing"] is None
    assert ramai["posts_per_month"] == {"2026-10": 4, "2026-11": 2} and ramai["status"] == "aktif"
    assert ramai["name"] == "Dinas <ramai> & Co" and data["git_history"] is False


def test_csv_cells() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(REPORT))))
    head, sepi, ramai = rows
    assert head[-2:] == ["2026-10", "2026-11"] and head[0] == "report_date"
    record = dict(zip(head, sepi, strict=True))
    assert record["last_published"] == "" and record["contributors"] == "" and record["status"] == "tidak aktif"
    assert dict(zip(head, ramai, strict=True))["last_change"] == "2026-11-28"


def test_text_table_lines_up() -> None:
    text = render_text(REPORT, "id")
    rows = [line for line in text.splitlines() if re.match(r"\s*\d+  ", line)]
    assert re.split(r"\s{2,}", rows[0].strip()) == [
        "1", "SEPI", "tidak aktif", "-", "-", "0", "0", "-", "-", "1", "-", "3"]
    assert len({len(line) for line in rows}) == 1  # padded to the same width
    assert "Riwayat git tidak tersedia" in text
    english = render_text(REPORT, "en")
    assert "Summary: 1 inactive, 0 less active, 1 active (2 agencies)" in english
    assert "Counted: published news and announcements" in english


def test_html_escapes_and_links() -> None:
    html = render_html(REPORT, "id", PageLinks(css="x.css", home="/", canonical="https://u.go.id/laporan/",
                                               icon="/i.svg"))
    assert "Dinas &lt;sepi&gt; &amp; Co" in html and "<sepi>" not in html
    assert "Kabupaten &quot;Uji&quot;" in html
    assert '<link rel="stylesheet" href="x.css">' in html and '<a href="/">Kembali ke portal</a>' in html
    assert '<link rel="canonical" href="https://u.go.id/laporan/">' in html
    assert "belum pernah menerbitkan tulisan" in html
    assert "27 Nov 2026 (kemarin)" in html
    plain = render_html(REPORT, "en", PageLinks(css="laporan.css"))
    assert "Back to the portal" not in plain and "canonical" not in plain and "27 Nov 2026 (yesterday)" in plain


def test_chart_shares_one_scale_and_describes_itself() -> None:
    svg = month_chart(REPORT, REPORT.agencies[1], "id", "g")
    heights = [float(h) for h in re.findall(r'class="bar" [^>]*height="([\d.]+)"', svg)]
    assert heights == [BARS, BARS / 2]  # 4 is the peak of the report, 2 is half of it
    assert '<title id="g-t">Dinas &lt;ramai&gt; &amp; Co: tulisan per bulan, Oktober 2026 sampai November 2026</title>' in svg
    assert '<desc id="g-d">Oktober 2026: 4; November 2026: 2. Dihitung sampai 28 November 2026.</desc>' in svg
    assert 'role="img" aria-labelledby="g-t g-d"' in svg and "style" not in svg
    quiet = month_chart(REPORT, REPORT.agencies[0], "en", "q")
    assert quiet.count('class="zero"') == 2 and 'class="bar"' not in quiet and "October 2026: 0" in quiet


def test_every_word_is_in_both_catalogs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from opdgen.messages import CATALOGS
    from opdgen.report import words

    used: set[str] = set()
    real = words.text

    def recording(code: str, lang: str, **params: object) -> str:
        used.add(code)
        return real(code, lang, **params)

    monkeypatch.setattr(words, "text", recording)
    ramai = REPORT.agencies[1]
    shallow = dataclasses.replace(REPORT, has_history=True, is_shallow=True, agencies=(
        dataclasses.replace(ramai, days_since=0, missing_pages=()),
        dataclasses.replace(ramai, days_since=95, status=Status.TIDAK_AKTIF)))
    busy = dataclasses.replace(REPORT, agencies=(ramai,))
    for report in (REPORT, shallow, busy):
        for lang in ("id", "en"):
            render_text(report, lang)
            render_html(report, lang, PageLinks(css="x.css", home="/"))
    for lang in ("id", "en"):
        assert used <= set(CATALOGS[lang])
    unused = {c for c in CATALOGS["id"] if c.startswith("report.")} - used
    assert unused == {"report.kind.agenda", "report.kind.dokumen"}  # kinds to come
