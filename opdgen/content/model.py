"""The content model: frozen values that flow from the loader to the renderers; no I/O here."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from opdgen.config import RegionConfig, SiteConfig
from opdgen.markup.bodies import BodyStats
from opdgen.media.model import NO_MEDIA, NO_WORK, Document, MediaImage, MediaStats, PostMedia
from opdgen.public import Details


class Kind(enum.Enum):
    """Content kinds keep their contract names: the folder under content/<site>/."""

    BERITA = "berita"
    PENGUMUMAN = "pengumuman"
    HALAMAN = "halaman"
    # public service (issue 8; opdgen.public declares each one's schema and details)
    AGENDA = "agenda"
    DOKUMEN = "dokumen"
    LAYANAN = "layanan"
    SKM = "skm"

    @property
    def is_news(self) -> bool:
        """Dated publications: listings, tags, feeds, the portal's latest news, previews."""
        return self in (Kind.BERITA, Kind.PENGUMUMAN)

    @property
    def is_public_service(self) -> bool:
        """A kind opdgen.public.SPECS declares (agenda, dokumen, layanan, skm)."""
        return self not in (Kind.BERITA, Kind.PENGUMUMAN, Kind.HALAMAN)


@dataclass(frozen=True, slots=True)
class Source:
    path: PurePosixPath  # repository-relative
    line: int  # line of the front matter's opening ---


@dataclass(frozen=True, slots=True, kw_only=True)
class Post:
    source: Source
    site: str  # the agency's slug
    kind: Kind
    slug: str
    title: str
    date: datetime | None  # aware; None only for a halaman without a date
    updated: datetime | None
    author: str
    tags: tuple[str, ...]  # as written; tag_slug() makes the URL part
    summary: str  # plain text
    body_html: str  # rendered and sanitized; never evaluated as a template
    image: str | None
    image_alt: str
    order: int  # halaman: menu/sort order
    is_draft: bool
    is_scheduled: bool  # dated after the build's "now"
    content_hash: str  # sha256 of the source bytes, for caches and incremental builds
    media: PostMedia = NO_MEDIA  # images and files it shows or links to, processed (opdgen.media)
    details: Details | None = None  # public-service kinds: their typed fields (opdgen.public)


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    config: SiteConfig
    posts: tuple[Post, ...]  # every kind, every post that is published in this build
    logo: MediaImage | None = None  # processed like every image (opdgen.media)
    documents: tuple[Document, ...] = ()  # media/ and dokumen/ documents, published as they are
    next_release: datetime | None = None  # earliest scheduled post held back (not among posts)
    # the halaman whose files say draft: true, by slug (public.standing tells a page that is still
    # a draft from a missing one; the loader read them all, and drops them)
    halaman_drafts: frozenset[str] = frozenset()

    @property
    def slug(self) -> str:
        return self.config.slug

    def of_kind(self, kind: Kind) -> tuple[Post, ...]:
        return tuple(p for p in self.posts if p.kind is kind)


@dataclass(frozen=True, slots=True, kw_only=True)
class Region:
    config: RegionConfig
    sites: tuple[Site, ...]
    now: datetime  # the build's "now": decides which scheduled posts are out
    media_stats: MediaStats = NO_WORK  # images derived afresh vs. taken from the cache
    body_stats: BodyStats | None = None  # Markdown bodies rendered afresh vs. from the cache
    next_release: datetime | None = None  # earliest scheduled post held back: the output changes then
    # the agencies left out (LoadOptions.only_sites), by slug, with their base URLs: links to them
    # are the region's own all the same (spam.allowed_domains), and their output stays (build --site)
    elsewhere: tuple[tuple[str, str], ...] = ()
