"""The PPID register held against its files and against what UU 14/2008 expects (issue 8).

Pure: the loaded region in, Problems recorded. A `file:` that names no published document is an
error (the link would break); what the law expects and is missing is a notice (`opdgen check`
shows it, it never fails a run). It reads no file and renders nothing.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, tzinfo
from pathlib import PurePosixPath

from opdgen.config import PpidConfig
from opdgen.content.model import Kind, Post, Region, Site
from opdgen.media.model import Document
from opdgen.problems import Problems
from opdgen.public.dokumen import CATEGORIES, DocumentDetails
from opdgen.records import record

REGISTER = "dokumen"  # content/<site>/dokumen/
BERKALA = "berkala"
STALE_MONTHS = 6  # UU 14/2008 Pasal 9 ayat (4): berkala information at least every six months
# /dokumen/<x>/ pages of the DIP itself: a document may not take their slugs (opdgen.outputs.ppid)
RESERVED_SLUGS = frozenset({*CATEGORIES, "tahun", "terbaru"})


def entries(site: Site) -> list[tuple[Post, DocumentDetails]]:
    """The register's published entries (drafts and scheduled ones only in a preview), loader order."""
    return [(p, p.details) for p in site.of_kind(Kind.DOKUMEN) if isinstance(p.details, DocumentDetails)]


def register_files(site: Site) -> dict[PurePosixPath, Document]:
    """Source path of each entry -> the published document its `file:` names, searched like the
    media of a post: beside the entry, in media/, then from the site folder (dokumen/x.pdf)."""
    listed = entries(site)
    if not listed:
        return {}
    by_source = {d.source: d for d in site.documents}
    folder = PurePosixPath("content") / site.slug
    out: dict[PurePosixPath, Document] = {}
    for post, details in listed:
        if details.file is None:
            continue
        name = PurePosixPath(details.file)
        for base in (post.source.path.parent, folder / "media", folder):
            found = by_source.get(base / name)
            if found is not None:
                out[post.source.path] = found
                break
    return out


@record
class Missing:
    """What the register of one agency lacks on a given day."""

    has_register: bool
    latest_berkala: Post | None  # None: no berkala document at all
    berkala_stale: bool  # the latest berkala is older than STALE_MONTHS (or there is none)
    yearly: tuple[tuple[str, int], ...]  # (type, year) due and not registered

    @property
    def count(self) -> int:
        """Expected documents that are missing (opdgen report's `ppid_missing`)."""
        return len(self.yearly) + (1 if self.berkala_stale else 0)


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (31 August - 6 months: 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def published_day(post: Post, tz: tzinfo) -> date:
    """The day an entry was published or last updated, in the region's calendar."""
    stamps = [d for d in (post.date, post.updated) if d is not None]
    return max(stamps).astimezone(tz).date() if stamps else date.min


def missing_documents(site: Site, rules: PpidConfig, today: date, tz: tzinfo) -> Missing:
    """Stale berkala information and last year's yearly documents missing after the due month.

    Quiet exactly at the boundaries: a berkala document published on the same day six months
    back is still fresh; in the due month itself last year's documents are not yet asked for."""
    docs = [(p, d) for p, d in entries(site) if not p.is_draft and not p.is_scheduled]
    berkala = [p for p, d in docs if d.category == BERKALA]
    latest = max(berkala, key=lambda p: (published_day(p, tz), p.slug), default=None)
    stale = latest is None or published_day(latest, tz) < months_before(today, STALE_MONTHS)
    have = {(d.type, d.year) for _, d in docs}
    last_year = today.year - 1
    due = today.month > rules.yearly_due_month
    yearly = tuple((t, last_year) for t in rules.yearly_types if due and (t, last_year) not in have)
    return Missing(has_register=bool(docs), latest_berkala=latest, berkala_stale=stale, yearly=yearly)


def check_register(region: Region, problems: Problems, only: Iterable[str] = ()) -> None:
    """Errors for entries whose file cannot be linked; notices for what the law expects and is missing."""
    wanted = frozenset(only)
    tz = region.config.timezone
    today = region.now.astimezone(tz).date()
    for site in region.sites:
        if wanted and site.slug not in wanted:
            continue
        _check_links(site, register_files(site), problems)
        _notices(site, missing_documents(site, region.config.ppid, today, tz), region.config.ppid,
                 problems, tz)


def _check_links(site: Site, files: Mapping[PurePosixPath, Document], problems: Problems) -> None:
    for post, details in entries(site):
        path = post.source.path
        if post.slug in RESERVED_SLUGS:
            problems.add(path, None, "dokumen.slug.reserved", slug=post.slug,
                         reserved=", ".join(sorted(RESERVED_SLUGS)))
        if details.file is not None and path not in files:
            problems.add(path, details.file_line, "dokumen.file.not_found", value=details.file,
                         site=site.slug)


def _notices(site: Site, missing: Missing, rules: PpidConfig, problems: Problems, tz: tzinfo) -> None:
    folder = PurePosixPath("content") / site.slug / REGISTER
    if not missing.has_register:  # one notice says it all
        problems.notice(folder, None, "dokumen.register.none", site=site.slug)
        return
    latest = missing.latest_berkala
    if latest is None:
        problems.notice(folder, None, "dokumen.berkala.none", site=site.slug)
    elif missing.berkala_stale:
        details = latest.details
        line = details.date_line if isinstance(details, DocumentDetails) else None
        problems.notice(latest.source.path, line, "dokumen.berkala.stale", title=latest.title,
                        day=published_day(latest, tz).isoformat(), months=STALE_MONTHS, site=site.slug)
    for doc_type, year in missing.yearly:
        problems.notice(folder, None, "dokumen.yearly.missing", type=doc_type, year=year,
                        month=rules.yearly_due_month, site=site.slug)
