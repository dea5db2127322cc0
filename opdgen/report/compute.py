"""The report's figures: pure functions of the loaded region, the git history and a given "today".

No clock, no I/O: the same content, history and today give the same report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, tzinfo

from opdgen.config import PpidConfig, RegionConfig
from opdgen.content.model import Kind, Region, Site
from opdgen.outputs.summary import post_entries
from opdgen.problems import Problem
from opdgen.public.freshness import missing_documents
from opdgen.public.standing import present_pages, standing_posts
from opdgen.records import record
from opdgen.report.gitlog import History
from opdgen.report.model import (
    COUNTED_KINDS,
    AgencyFigures,
    Month,
    Report,
    Status,
    Thresholds,
)

# The loader's own checks (opdgen.media) find the images without alt text: front-matter `image`
# without `image_alt`, gallery photos without `alt`, body images with an empty alt. Images marked
# decorative are not among them. The report counts those findings; it does not judge again.
ALT_MISSING = ("media.alt.missing", "media.alt.missing_body", "media.alt.missing_gallery")


def thresholds_from(config: RegionConfig) -> Thresholds:
    """The thresholds of opdgen.yaml's `report:` and the standing pages expected of every site."""
    r = config.report
    return Thresholds(active_days=r.active_days, inactive_days=r.inactive_days,
                      min_posts_per_month=r.min_posts_per_month, standing_pages=config.standing_pages)


def default_since(today: date) -> date:
    """The first day of the twelfth month back: today's month and the eleven before it."""
    index = today.year * 12 + today.month - 1 - 11
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> tuple[Month, ...]:
    """Every calendar month from start's to end's, both included."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return tuple(Month(i // 12, i % 12 + 1) for i in range(first, last + 1))


def counted_kinds() -> tuple[str, ...]:
    """The kinds that count as publications, among those the loader knows (agenda, dokumen later)."""
    known = {k.value for k in Kind}
    return tuple(k for k in COUNTED_KINDS if k in known)


def compute_report(region: Region, history: History, today: date, since: date | None = None,
                   problems: Iterable[Problem] = ()) -> Report:
    """Figures of every agency, ranked silent first; problems: the loader's, for alt text."""
    thresholds = thresholds_from(region.config)
    start = since or default_since(today)
    months = months_between(start, today)
    kinds = counted_kinds()
    alt = Counter(str(p.path) for p in problems if p.code in ALT_MISSING)
    frame = Frame(region.config.timezone, today, start, months, kinds, thresholds, region.config.ppid)
    agencies = [agency_figures(site, history, frame, alt) for site in region.sites]
    return Report(
        region=region.config.name, today=today, since=start, months=months, kinds=kinds,
        thresholds=thresholds, has_history=history.available, is_shallow=history.shallow,
        agencies=tuple(sorted(agencies, key=rank_key)),
    )


def rank_key(a: AgencyFigures) -> tuple[int, float, int, str]:
    """Silent first: by status, then the longest silence, then the fewest posts in the period."""
    silence = float("inf") if a.days_since is None else float(a.days_since)
    return (a.status.rank, -silence, a.in_period, a.slug)


@record
class Frame:
    """What every agency is measured against."""

    tz: tzinfo  # the region's: calendar days are its days
    today: date
    start: date  # first day of the period
    months: tuple[Month, ...]
    kinds: tuple[str, ...]
    thresholds: Thresholds
    ppid: PpidConfig  # what the PPID register must hold (opdgen.public.freshness)


def agency_figures(site: Site, history: History, f: Frame, alt: Counter[str]) -> AgencyFigures:
    """One agency's figures; publications are its dated posts of the counted kinds up to today.

    alt: alt-text problems per repository path (see ALT_MISSING)."""
    tz, today, start, kinds, t = f.tz, f.today, f.start, f.kinds, f.thresholds
    # `build --drafts` holds drafts and scheduled posts: they are not counted (a kept site's news
    # posts by its summary: outputs.summary)
    posts = [(kind, when, source) for kind, when, source, shown in post_entries(site) if shown]
    dated = [(day, kind) for kind, when, _ in posts
             if kind in kinds and when is not None and (day := when.astimezone(tz).date()) <= today]
    in_period = [(day, kind) for day, kind in dated if day >= start]
    per_month = Counter(Month(day.year, day.month) for day, _ in in_period)
    by_kind: Counter[str] = Counter(kind for _, kind in in_period)
    last = max((day for day, _ in dated), default=None)
    days_since = None if last is None else (today - last).days
    recent = sum(1 for day, _ in dated if (today - day).days < t.active_days)
    commits = [c for c in history.of_site(site.slug) if c.date.astimezone(tz).date() <= today]
    halaman = present_pages(standing_posts(site))  # published halaman; /layanan/ with entries
    return AgencyFigures(
        slug=site.slug,
        name=site.config.name,
        short_name=site.config.short_name,
        url=site.config.base_url,
        per_month=tuple(per_month[m] for m in f.months),
        by_kind=tuple((k, by_kind[k]) for k in kinds),
        recent=recent,
        last_published=last,
        days_since=days_since,
        last_change=max((c.date.astimezone(tz).date() for c in commits), default=None),
        contributors=len({c.email for c in commits if c.date.astimezone(tz).date() >= start})
        if history.available else None,
        missing_pages=tuple(p for p in t.standing_pages if p not in halaman),
        ppid_missing=missing_documents(site, f.ppid, today, tz).count,  # the freshness rules
        images_without_alt=sum(alt[source] for _, _, source in posts),
        status=status_of(days_since, recent, t),
    )


def status_of(days_since: int | None, recent: int, t: Thresholds) -> Status:
    """tidak aktif: nothing for inactive_days days or more (or never); aktif: in the last
    active_days days (today included) at least min_posts_per_month per 30 days; else kurang aktif."""
    if days_since is None or days_since >= t.inactive_days:
        return Status.TIDAK_AKTIF
    # recent / active_days * 30 >= min_posts_per_month, in whole numbers so thresholds are exact
    if days_since < t.active_days and recent * 30 >= t.min_posts_per_month * t.active_days:
        return Status.AKTIF
    return Status.KURANG_AKTIF
