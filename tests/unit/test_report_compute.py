"""The report's figures are pure functions of content, git history and "today": thresholds exactly."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

import pytest

from opdgen.config import STANDING_PAGES, RegionConfig, ReportConfig, SiteConfig
from opdgen.content.model import Kind, Post, Region, Site, Source
from opdgen.problems import Problem
from opdgen.report.compute import (
    compute_report,
    counted_kinds,
    default_since,
    months_between,
    status_of,
)
from opdgen.report.gitlog import NO_HISTORY, Commit, History
from opdgen.report.model import Month, Status, Thresholds

WIB = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 11, 28)
REGION = RegionConfig(
    source=PurePosixPath("opdgen.yaml"), name="Kabupaten Uji", short_name="Uji", portal_title="Portal",
    portal_description="", portal_base_url="https://ujikab.go.id/", portal_colour="#1f5f8b",
    theme="default", timezone=WIB, language="id", security_contact="", video_hosts=(), per_page=10,
    report=ReportConfig(active_days=30, inactive_days=90, min_posts_per_month=2),
)


def site_config(slug: str) -> SiteConfig:
    return SiteConfig(
        slug=slug, source=PurePosixPath(f"content/{slug}/site.yaml"), name=f"Dinas {slug}",
        short_name=slug, base_url=f"https://{slug}.ujikab.go.id/", description="", logo=None,
        colour="#1f5f8b", address="", phone="", email="", whatsapp="", office_hours="", social=(), menu=None,
    )


def post(site: str, when: datetime | None, kind: Kind = Kind.BERITA, **changes: object) -> Post:
    name = f"{kind.value}-{site}-{when.isoformat() if when else 'x'}"
    value = Post(
        source=Source(PurePosixPath(f"content/{site}/{kind.value}/{name}.md"), 1), site=site, kind=kind,
        slug=name, title=name, date=when, updated=None, author="", tags=(), summary="", body_html="",
        image=None, image_alt="", order=100, is_draft=False, is_scheduled=False, content_hash="",
    )
    return dataclasses.replace(value, **changes)  # type: ignore[arg-type]


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=WIB)


def region(*sites: Site) -> Region:
    return Region(config=REGION, sites=sites, now=at(TODAY, 12))


T = Thresholds(active_days=30, inactive_days=90, min_posts_per_month=2)


@pytest.mark.parametrize(("days_since", "recent", "status"), [
    (None, 0, Status.TIDAK_AKTIF),
    (90, 0, Status.TIDAK_AKTIF),
    (89, 0, Status.KURANG_AKTIF),
    (30, 5, Status.KURANG_AKTIF),
    (29, 2, Status.AKTIF),
    (29, 1, Status.KURANG_AKTIF),
    (0, 2, Status.AKTIF),
    (0, 1, Status.KURANG_AKTIF),
], ids=["never", "inactive-edge", "inactive-minus-1", "active-edge", "active-minus-1",
        "one-post-short", "today", "today-one-short"])
def test_status_at_the_thresholds(days_since: int | None, recent: int, status: Status) -> None:
    assert status_of(days_since, recent, T) is status


def test_posts_per_month_scale_with_the_window() -> None:
    """min_posts_per_month is per 30 days: a 45-day window needs 6 posts for 4 a month."""
    t = Thresholds(active_days=45, inactive_days=90, min_posts_per_month=4)
    assert status_of(0, 6, t) is Status.AKTIF and status_of(0, 5, t) is Status.KURANG_AKTIF
    assert status_of(0, 0, dataclasses.replace(t, min_posts_per_month=0)) is Status.AKTIF


def test_period_is_twelve_calendar_months() -> None:
    assert default_since(TODAY) == date(2025, 12, 1)
    assert default_since(date(2026, 12, 31)) == date(2026, 1, 1)
    assert default_since(date(2026, 1, 1)) == date(2025, 2, 1)
    months = months_between(date(2025, 12, 15), date(2026, 2, 1))
    assert [m.key for m in months] == ["2025-12", "2026-01", "2026-02"]
    assert len(months_between(default_since(TODAY), TODAY)) == 12


def test_counted_kinds_are_the_dated_ones_the_loader_knows() -> None:
    assert counted_kinds() == ("berita", "pengumuman", "agenda", "dokumen")


def test_figures_of_one_agency() -> None:
    posts = (
        post("dinkes", at(date(2025, 11, 30), 23)),  # before the period
        post("dinkes", datetime(2025, 11, 30, 17, 30, tzinfo=UTC)),  # 1 December 00.30 WIB
        post("dinkes", at(date(2026, 10, 30)), Kind.PENGUMUMAN),
        post("dinkes", at(date(2026, 11, 1)), is_draft=True),
        post("dinkes", at(date(2026, 12, 2)), is_scheduled=True),
        post("dinkes", None, Kind.HALAMAN, slug="profil"),
        post("dinkes", None, Kind.HALAMAN, slug="kontak", is_draft=True),
    )
    history = History(available=True, commits=(
        Commit(at(date(2025, 11, 1)), "old@x", frozenset({"dinkes"})),
        Commit(at(date(2026, 10, 30)), "a@x", frozenset({"dinkes", "disdik"})),
        Commit(at(date(2026, 10, 31)), "b@x", frozenset({"dinkes"})),
        Commit(at(date(2026, 12, 1)), "future@x", frozenset({"dinkes"})),
    ))
    report = compute_report(region(Site(config=site_config("dinkes"), posts=posts)), history, TODAY)
    (a,) = report.agencies
    assert a.per_month == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0)
    assert a.by_kind == (("berita", 1), ("pengumuman", 1), ("agenda", 0), ("dokumen", 0)) and a.in_period == 2
    assert a.last_published == date(2026, 10, 30) and a.days_since == 29 and a.recent == 1
    assert a.status is Status.KURANG_AKTIF
    assert a.contributors == 2 and a.last_change == date(2026, 10, 31)
    assert a.missing_pages == tuple(p for p in STANDING_PAGES if p != "profil")  # kontak: a draft
    assert a.ppid_missing == 6 and a.images_without_alt == 0  # no register: 5 yearly + 1 berkala
    assert report.months[0] == Month(2025, 12) and report.peak == 1


def test_a_day_is_the_regions_day() -> None:
    """23.30 WIB on 31 October is 1 November in WIT: the region's zone decides the month."""
    wit = dataclasses.replace(REGION, timezone=ZoneInfo("Asia/Jayapura"))
    when = datetime(2026, 10, 31, 23, 30, tzinfo=timezone(timedelta(hours=7)))
    site = Site(config=site_config("dinkes"), posts=(post("dinkes", when),))
    report = compute_report(Region(config=wit, sites=(site,), now=at(TODAY)), NO_HISTORY, TODAY)
    assert report.agencies[0].per_month[-2:] == (0, 1)
    assert report.agencies[0].contributors is None and report.agencies[0].last_change is None


def test_alt_text_problems_of_published_posts_are_counted() -> None:
    shown = post("dinkes", at(date(2026, 11, 1)))
    draft = post("dinkes", at(date(2026, 11, 2)), is_draft=True)
    problems = [Problem(shown.source.path, 4, "media.alt.missing"),
                Problem(shown.source.path, 9, "media.alt.missing_body"),
                Problem(shown.source.path, 9, "media.alt.filename"),  # has a (poor) alt: not missing
                Problem(draft.source.path, 4, "media.alt.missing")]
    site = Site(config=site_config("dinkes"), posts=(shown, draft))
    report = compute_report(region(site), NO_HISTORY, TODAY, problems=problems)
    assert report.agencies[0].images_without_alt == 2


def test_ranking_puts_the_silent_first() -> None:
    sites = (
        Site(config=site_config("aktif"), posts=(post("aktif", at(TODAY)), post("aktif", at(TODAY, 10)))),
        Site(config=site_config("kurang"), posts=(post("kurang", at(TODAY - timedelta(days=40))),)),
        Site(config=site_config("lama"), posts=(post("lama", at(TODAY - timedelta(days=200))),)),
        Site(config=site_config("kosong"), posts=()),
        Site(config=site_config("kurang2"), posts=(post("kurang2", at(TODAY - timedelta(days=50))),)),
    )
    report = compute_report(region(*sites), NO_HISTORY, TODAY)
    assert [a.slug for a in report.agencies] == ["kosong", "lama", "kurang2", "kurang", "aktif"]
    assert [a.slug for a in report.silent] == ["kosong", "lama"]
    assert (report.count(Status.TIDAK_AKTIF), report.count(Status.KURANG_AKTIF),
            report.count(Status.AKTIF)) == (2, 2, 1)


def test_standing_pages_come_from_the_config() -> None:
    """opdgen.yaml `standing_pages:` (issue 8); its default is the list of the issue."""
    assert STANDING_PAGES == ("profil", "visi-misi", "struktur-organisasi", "tugas-fungsi", "layanan",
                              "standar-pelayanan", "maklumat-pelayanan", "ppid", "kontak")
    assert compute_report(region(), NO_HISTORY, TODAY).thresholds.standing_pages == STANDING_PAGES
    own = Region(config=dataclasses.replace(REGION, standing_pages=("profil", "kontak")), sites=(
        Site(config=site_config("dinkes"), posts=(post("dinkes", None, Kind.HALAMAN, slug="profil"),)),),
        now=at(TODAY))
    report = compute_report(own, NO_HISTORY, TODAY)
    assert report.thresholds.standing_pages == ("profil", "kontak")
    assert report.agencies[0].missing_pages == ("kontak",)
