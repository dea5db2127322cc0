"""The report's values: frozen per-agency figures and the report around them; no I/O, no wording."""

from __future__ import annotations

import enum
from datetime import date

# Standing pages every agency site is expected to have: opdgen.yaml `standing_pages:`, which reaches
# the report through compute.thresholds_from; Thresholds only takes the default from it.
from opdgen.config import STANDING_PAGES
from opdgen.records import record

# Content kinds whose dated files count as publications, by their folder (contract) names. A kind
# the loader does not produce yet (agenda, dokumen) simply counts as soon as it does: see compute.
COUNTED_KINDS = ("berita", "pengumuman", "agenda", "dokumen")


class Status(enum.Enum):
    """Activity status; the values are the words of the issue and of the CSV/JSON data."""

    TIDAK_AKTIF = "tidak aktif"
    KURANG_AKTIF = "kurang aktif"
    AKTIF = "aktif"

    @property
    def css(self) -> str:
        return self.value.replace(" ", "-")

    @property
    def rank(self) -> int:
        """Silent first: 0 tidak aktif, 1 kurang aktif, 2 aktif."""
        return list(Status).index(self)


@record(kw_only=True)
class Thresholds:
    """The `report:` section of opdgen.yaml, as the figures use it."""

    active_days: int = 30
    inactive_days: int = 90
    min_posts_per_month: int = 4
    standing_pages: tuple[str, ...] = STANDING_PAGES


@record
class Month:
    year: int
    month: int  # 1-12

    @property
    def key(self) -> str:
        """`2026-11`: the column name in CSV and the key in JSON."""
        return f"{self.year:04d}-{self.month:02d}"


@record(kw_only=True)
class AgencyFigures:
    slug: str
    name: str
    short_name: str
    url: str  # the agency site's address (base_url)
    per_month: tuple[int, ...]  # publications per month, aligned with Report.months
    by_kind: tuple[tuple[str, int], ...]  # (kind, publications in the period) per Report.kinds
    recent: int  # publications in the last active_days days, today included
    last_published: date | None  # the newest publication up to today (region's calendar)
    days_since: int | None  # today - last_published, in days; None: never published
    last_change: date | None  # newest commit touching content/<slug>/; None without git history
    contributors: int | None  # distinct commit authors in the period; None without git history
    missing_pages: tuple[str, ...]  # standing pages (slugs) that are not published
    ppid_missing: int | None  # PPID documents missing; None until the Public service work lands
    images_without_alt: int  # front-matter images without image_alt + body images with empty alt
    status: Status

    @property
    def in_period(self) -> int:
        return sum(self.per_month)


@record(kw_only=True)
class Report:
    region: str  # the region's name
    today: date  # the report's date: the build's "now" (OPDGEN_NOW in tests)
    since: date  # first day counted
    months: tuple[Month, ...]  # every calendar month from since to today, oldest first
    kinds: tuple[str, ...]  # the counted kinds the loader knows, e.g. ("berita", "pengumuman")
    thresholds: Thresholds
    has_history: bool  # git history was read; otherwise last_change and contributors are None
    is_shallow: bool  # git history is a shallow clone: contributors may be undercounted
    agencies: tuple[AgencyFigures, ...]  # ranked: silent first

    def count(self, status: Status) -> int:
        return sum(1 for a in self.agencies if a.status is status)

    @property
    def silent(self) -> tuple[AgencyFigures, ...]:
        return tuple(a for a in self.agencies if a.status is Status.TIDAK_AKTIF)

    @property
    def peak(self) -> int:
        """The largest monthly count of any agency: the shared scale of the small multiples."""
        return max((n for a in self.agencies for n in a.per_month), default=0)
