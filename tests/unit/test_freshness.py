"""PPID freshness (opdgen.public.freshness): each notice fires, and stays quiet, exactly when it should."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import Result

from opdgen.config import PpidConfig
from opdgen.content.loader import LoadOptions, load_region
from opdgen.content.model import Region
from opdgen.problems import Problems, Severity
from opdgen.public.freshness import check_register, missing_documents, months_before
from opdgen.report.compute import compute_report
from opdgen.report.gitlog import History
from tests.conftest import REGION_YAML
from tests.pdfgen import tiny_pdf

WIB = ZoneInfo("Asia/Jakarta")
REGISTER = "content/dinkes/dokumen"
ALL_YEARLY_2025: dict[str, Mapping[str, object]] = {  # the default yearly types for 2025, all registered long ago (setiap-saat: not berkala)
    f"{t}-2025": dict(category="setiap-saat", type=t, year=2025, date="2026-03-01")
    for t in ("laporan-keuangan", "lkjip", "renja", "dpa", "laporan-ppid")
}


def entry(title: str, *, category: str = "berkala", type: str = "lainnya", year: int = 2026,
          date: str = "2026-06-01", updated: str | None = None, file: str | None = "auto") -> str:
    lines = ["---", f"title: {title}", f"category: {category}", f"type: {type}", f"year: {year}",
             f"date: {date}", "unit: Sekretariat"]
    if updated:
        lines.append(f"updated: {updated}")
    if category == "dikecualikan":
        lines.append("reason: Pasal 17 huruf h UU 14/2008")
    elif file is not None:
        lines.append(f"file: {file}")
    return "\n".join([*lines, "---", "Isi.", ""])


def register(make_repo: Callable[..., Path], docs: Mapping[str, Mapping[str, object]], extra: str = "") -> Path:
    """A repository whose dinkes register holds these entries (slug -> fields), each with its PDF."""
    files: dict[str, str | bytes] = {"opdgen.yaml": REGION_YAML + extra}
    for slug, given in docs.items():
        fields = dict(given)
        file = fields.pop("file", "auto")
        name = f"{slug}.pdf" if file == "auto" else file
        files[f"{REGISTER}/{slug}.md"] = entry(slug, file=name, **fields)  # type: ignore[arg-type]
        if file == "auto":
            files[f"{REGISTER}/{slug}.pdf"] = tiny_pdf(slug)
    return make_repo(files)


def run(repo: Path, now: datetime) -> tuple[Region, list[tuple[str, int | None, str, Severity]]]:
    region, problems = load_region(repo, LoadOptions(now=now, jobs=1, use_cache=False))
    assert region is not None and not problems.errors, [p.code for p in problems]
    checked = Problems()
    check_register(region, checked)
    return region, [(str(p.path), p.line, p.code, p.severity) for p in checked]


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=WIB)


@pytest.mark.parametrize(("day", "back"), [
    ("2026-11-28", "2026-05-28"), ("2026-08-31", "2026-02-28"), ("2024-08-31", "2024-02-29"),
    ("2026-03-15", "2025-09-15"), ("2026-12-31", "2026-06-30"),
])
def test_six_months_back_is_a_calendar_date(day: str, back: str) -> None:
    assert months_before(date.fromisoformat(day), 6) == date.fromisoformat(back)


@pytest.mark.parametrize(("published", "stale"), [
    ("2026-05-28 23:59", False),  # exactly six months before 28 November: still fresh
    ("2026-05-28 00:00", False),
    ("2026-05-27 23:59", True),  # one day more
    ("2025-11-28 09:00", True),
])
def test_berkala_older_than_six_months(make_repo: Callable[..., Path], published: str, stale: bool) -> None:
    repo = register(make_repo, {"lra": dict(date=published), **ALL_YEARLY_2025})
    _, found = run(repo, at("2026-11-28"))
    expected = [(f"{REGISTER}/lra.md", 6, "dokumen.berkala.stale", Severity.NOTICE)] if stale else []
    assert found == expected


def test_the_latest_berkala_decides_and_an_update_counts(make_repo: Callable[..., Path]) -> None:
    old = {"lama": dict(date="2025-01-10"), "baru": dict(date="2026-01-10", updated="2026-06-01")}
    _, found = run(register(make_repo, {**old, **ALL_YEARLY_2025}), at("2026-11-28"))
    assert found == []  # "baru" was revised on 1 June: within six months
    _, found = run(register(make_repo, {**old, **ALL_YEARLY_2025}), at("2026-12-02"))
    assert found == [(f"{REGISTER}/baru.md", 6, "dokumen.berkala.stale", Severity.NOTICE)]


def test_no_berkala_at_all(make_repo: Callable[..., Path]) -> None:
    repo = register(make_repo, {"sop": dict(category="setiap-saat"), **ALL_YEARLY_2025})
    _, found = run(repo, at("2026-11-28"))
    assert found == [(REGISTER, None, "dokumen.berkala.none", Severity.NOTICE)]


def test_an_agency_without_a_register_gets_one_notice(make_repo: Callable[..., Path]) -> None:
    region, found = run(make_repo(), at("2026-11-28"))
    assert found == [(REGISTER, None, "dokumen.register.none", Severity.NOTICE)]
    # the report counts what is missing: five yearly documents and a berkala one
    assert missing_documents(region.sites[0], PpidConfig(), date(2026, 11, 28), WIB).count == 6


@pytest.mark.parametrize(("day", "missing"), [
    ("2026-04-30", []),  # the due month (April) is not over yet: quiet
    ("2026-05-01", ["dpa", "laporan-ppid"]),  # from 1 May every missing 2025 document is reported
    ("2026-12-31", ["dpa", "laporan-ppid"]),
    ("2027-01-01", []),  # a new year: 2026's are due after April 2027
])
def test_yearly_documents_after_the_due_month(make_repo: Callable[..., Path], day: str,
                                              missing: list[str]) -> None:
    docs: dict[str, Mapping[str, object]] = {
        "lra": dict(date=f"{day[:7]}-01"),  # a fresh berkala document, so only yearly notices remain
        "lk": dict(type="laporan-keuangan", year=2025, date="2026-03-01"),
        "lkjip": dict(type="lkjip", year=2025, date="2026-03-01", category="setiap-saat"),
        "renja": dict(type="renja", year=2025, date="2024-08-01"),
        "dpa-2024": dict(type="dpa", year=2024, date="2024-01-10"),  # not last year's
    }
    _, found = run(register(make_repo, docs), at(day))
    year = int(day[:4]) - 1
    assert found == [(REGISTER, None, "dokumen.yearly.missing", Severity.NOTICE) for _ in missing]
    region, _ = run(register(make_repo, docs), at(day))
    assert missing_documents(region.sites[0], PpidConfig(), date.fromisoformat(day), WIB).yearly == tuple(
        (t, year) for t in missing)


def test_yearly_types_and_due_month_come_from_opdgen_yaml(make_repo: Callable[..., Path]) -> None:
    extra = "ppid:\n  yearly_types: [lkjip, rup]\n  yearly_due_month: 2\n"
    repo = register(make_repo, {"lra": dict(date="2026-03-01"), "lkjip": dict(type="lkjip", year=2025, date="2026-01-15")},
                    extra)
    region, found = run(repo, at("2026-03-01"))
    assert found == [(REGISTER, None, "dokumen.yearly.missing", Severity.NOTICE)]
    assert missing_documents(region.sites[0], region.config.ppid, date(2026, 3, 1), WIB).yearly == (
        ("rup", 2025),)
    _, found = run(repo, at("2026-02-28"))
    assert found == []


def test_drafts_and_scheduled_documents_do_not_count(make_repo: Callable[..., Path]) -> None:
    docs = {"lra": dict(date="2025-01-01"), "terjadwal": dict(date="2026-12-15"), **ALL_YEARLY_2025}
    _, found = run(register(make_repo, docs), at("2026-11-28"))
    assert [code for _, _, code, _ in found] == ["dokumen.berkala.stale"]


@pytest.mark.parametrize(("where", "name"), [
    ("content/dinkes/dokumen/lk.pdf", "lk.pdf"),  # beside the entry
    ("content/dinkes/media/lk.pdf", "lk.pdf"),  # in media/
    ("content/dinkes/dokumen/2025/lk.pdf", "2025/lk.pdf"),  # in a folder of the register
], ids=["beside", "media", "subfolder"])
def test_the_file_is_found_like_a_posts_media(make_repo: Callable[..., Path], where: str, name: str) -> None:
    repo = make_repo({f"{REGISTER}/lk.md": entry("Laporan", file=name), where: tiny_pdf("LK")})
    _, found = run(repo, at("2026-11-28"))
    assert [p for p in found if p[3] is Severity.ERROR] == []


def test_a_missing_file_is_an_error_at_the_file_line(make_repo: Callable[..., Path],
                                                     run_cli: Callable[..., Result]) -> None:
    repo = make_repo({f"{REGISTER}/lk.md": entry("Laporan", file="lk-2025.pdf"),
                      f"{REGISTER}/lk-2024.pdf": tiny_pdf("LK")})
    _, found = run(repo, at("2026-11-28"))
    assert (f"{REGISTER}/lk.md", 8, "dokumen.file.not_found", Severity.ERROR) in found
    result = run_cli("check", "--root", repo)
    assert result.exit_code == 1
    assert f'{REGISTER}/lk.md:8: Berkas "lk-2025.pdf" tidak ditemukan' in result.output


def test_a_file_that_is_not_what_it_says_breaks_the_link(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({f"{REGISTER}/lk.md": entry("Laporan", file="lk.pdf"),
                      f"{REGISTER}/lk.pdf": b"<html>bukan PDF</html>"})
    region, problems = load_region(repo, LoadOptions(now=at("2026-11-28"), jobs=1, use_cache=False))
    assert region is not None
    check_register(region, problems)
    assert {(str(p.path), p.line, p.code) for p in problems.errors} == {
        (f"{REGISTER}/lk.pdf", None, "media.document.mismatch"),  # the file's own problem
        (f"{REGISTER}/lk.md", 8, "dokumen.file.not_found"),  # and the entry whose link would break
    }


def test_a_document_may_not_take_a_dip_page_slug(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({f"{REGISTER}/terbaru.md": entry("Terbaru", file="t.pdf"), f"{REGISTER}/t.pdf": tiny_pdf()})
    _, found = run(repo, at("2026-11-28"))
    assert (f"{REGISTER}/terbaru.md", None, "dokumen.slug.reserved", Severity.ERROR) in found


def test_check_prints_notices_never_fails_on_them_and_build_is_silent(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = register(make_repo, {"lra": dict(date="2025-01-01"), **ALL_YEARLY_2025})
    for args in (("check",), ("check", "--strict")):
        result = run_cli(*args, "--root", repo)
        assert result.exit_code == 0, result.output
        assert f"{REGISTER}/lra.md:6: saran: " in result.output
    result = run_cli("build", "--root", repo)
    assert result.exit_code == 0 and "saran" not in result.output


def test_the_report_counts_missing_documents(make_repo: Callable[..., Path]) -> None:
    docs: dict[str, Mapping[str, object]] = {"lra": dict(date="2025-01-01"), **ALL_YEARLY_2025}
    docs.pop("dpa-2025")
    region, _ = run(register(make_repo, docs), at("2026-11-28"))
    report = compute_report(region, History(available=False, commits=()), date(2026, 11, 28))
    assert report.agencies[0].ppid_missing == 2  # dpa 2025, and a berkala within six months
    fresh = dataclasses.replace(region, now=at("2026-04-30"))
    report = compute_report(fresh, History(available=False, commits=()), date(2026, 4, 30))
    assert report.agencies[0].ppid_missing == 1  # 2025's dpa is not yet due; the berkala is stale
