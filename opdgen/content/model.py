"""The content model: frozen values that flow from the loader to the renderers; no I/O here."""

from __future__ import annotations

import dataclasses
import enum
import itertools
from collections.abc import Mapping
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, Protocol

from opdgen.config import RegionConfig, SiteConfig
from opdgen.markup.bodies import BodyStats
from opdgen.media.model import NO_MEDIA, NO_WORK, Document, MediaImage, MediaStats, PostMedia
from opdgen.public import Details
from opdgen.records import record


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


@record
class Source:
    path: PurePosixPath  # repository-relative
    line: int  # line of the front matter's opening ---


@record(kw_only=True)
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


@record(kw_only=True)
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


@record
class SiteSummary:
    """What the steps that look at every site need of one without its news posts: made from the
    site by opdgen.outputs.summary, and kept with it between builds (a DeferredSite holds it)."""

    kinds: Mapping[str, int]  # how many posts of each kind (Kind.value) the site has
    others: tuple[Post, ...]  # its posts that are not news, in the loader's order
    # its posts in the loader's order, as runs of news posts or others: (news, how many)
    runs: tuple[tuple[bool, int], ...]
    newest: datetime | None  # the latest `date` or `updated` of any of its posts
    indexed: int  # its documents in the search indexes (opdgen.outputs.search_shards.indexed)
    news_count: int  # its news posts (berita and pengumuman)
    last_update: datetime | None  # the latest `updated`, else `date`, of its dated news posts
    # each news post's kind (Kind.value), date, slug, source path and whether it is published (not a
    # draft, not scheduled), in the loader's order: the portal's news index (a page that shows one
    # reads that post alone: DeferredSite.news_post, by its place here) and the activity report
    news: tuple[tuple[str, datetime | None, str, str, bool], ...]


class KeptNews(Protocol):
    """Where a DeferredSite's news posts are read from (opdgen.build.snapshot)."""

    def all(self) -> tuple[Post, ...]: ...

    def one(self, index: int) -> Post: ...


class DeferredSite(Site):
    """A Site whose news posts are read when they are first used (from `news`); everything else,
    and a summary of those posts (SiteSummary), is known at once. opdgen.build.snapshot keeps
    sites so: after one edit, most of them are never read, or only the few posts a page shows
    (news_post). Its posts are its news posts and summary.others, put together by summary.runs."""

    __slots__ = ("_news", "_read", "summary")

    def __init__(self, config: SiteConfig, next_release: datetime | None, logo: MediaImage | None,
                 documents: tuple[Document, ...], halaman_drafts: frozenset[str], summary: SiteSummary,
                 news: KeptNews) -> None:  # (frozen: its fields are set as the dataclass sets them)
        for name, value in (("config", config), ("next_release", next_release), ("logo", logo),
                            ("documents", documents), ("halaman_drafts", halaman_drafts),
                            ("summary", summary), ("_news", news), ("_read", {})):
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:  # (only for a slot not set yet: `posts`)
        if name != "posts":
            raise AttributeError(name)
        parts: list[Post] = []
        every = self._news.all()
        self._read.update(enumerate(every))
        news, others = iter(every), iter(self.summary.others)
        for is_news, count in self.summary.runs:
            parts += itertools.islice(news if is_news else others, count)
        posts = tuple(parts)
        object.__setattr__(self, "posts", posts)
        return posts

    def news_post(self, index: int) -> Post:
        """Its news post at `index` (in the loader's order), read alone when the rest are not."""
        read: dict[int, Post] = self._read  # (all of them once its posts are read)
        post = read.get(index)
        if post is None:
            post = read[index] = self._news.one(index)
        return post

    def of_kind(self, kind: Kind) -> tuple[Post, ...]:
        if not kind.is_news:
            return tuple(p for p in self.summary.others if p.kind is kind)
        if not self.loaded and not self.summary.kinds.get(kind.value):
            return ()
        return Site.of_kind(self, kind)

    def __eq__(self, other: object) -> bool:  # equal to the Site it stands for, field by field
        if not isinstance(other, Site):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in dataclasses.fields(Site))

    __hash__ = Site.__hash__

    @property
    def loaded(self) -> bool:
        """Whether its news posts have been read."""
        try:
            object.__getattribute__(self, "posts")
        except AttributeError:
            return False
        return True


def unread(site: Site) -> SiteSummary | None:
    """The summary of a site whose news posts are not read yet (None: they are in memory)."""
    return site.summary if isinstance(site, DeferredSite) and not site.loaded else None


@record(kw_only=True)
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
