"""View values handed to templates (see themes/default/README.md): URLs resolved, nothing computed later.

Pure functions from the content model and config to frozen views; no I/O, no Jinja.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup

from opdgen.config import RegionConfig, SiteConfig
from opdgen.content.frontmatter import slugify
from opdgen.content.model import Kind, Post
from opdgen.markup.markdown import plain_words
from opdgen.media.html import ImageView, LogoView, card_media, logo_view, media_views
from opdgen.media.model import MediaImage
from opdgen.records import record


@record
class Urls:
    """Maps a path inside a web root ("berita/x/") to its URL path and absolute URL."""

    base_url: str  # ends with /

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def path(self, rel: str) -> str:
        return self.base_path + rel.lstrip("/")

    def abs(self, rel: str) -> str:
        return self.origin + self.path(rel)


@record
class SocialLink:
    network: str
    label: str
    url: str


@record(kw_only=True)
class SiteView:
    slug: str
    name: str
    short_name: str
    description: str
    url: str
    abs_url: str
    colour: str
    colour_css_url: str
    logo_url: str | None
    logo: LogoView | None  # 1x/2x variants with width and height (opdgen.media)
    initials: str
    address: str
    phone: str
    phone_url: str
    email: str
    email_url: str
    whatsapp: str
    whatsapp_url: str
    office_hours: str
    social: tuple[SocialLink, ...]
    is_portal: bool


@record
class RegionView:
    name: str
    portal_url: str


@record
class TagView:
    name: str
    slug: str
    url: str


@record
class TagCount:
    tag: TagView
    count: int


@record(kw_only=True)
class CardView:
    """What a card of a post shows (the portal's listings, home page and agency cards): a PostView
    without its body, gallery and reading time. A page of cards is the same whatever the posts'
    text says, and so is its key (opdgen.outputs.files): after an edit of a post's text alone, the
    portal is left as it was (opdgen.build.changes.portal_signature)."""

    title: str
    url: str
    abs_url: str
    date: datetime | None
    updated: datetime | None
    author: str
    tags: tuple[TagView, ...]
    summary: str
    kind: str
    kind_label: str
    image_url: str | None  # absolute URL of the largest JPEG/PNG of the front-matter image (og:image)
    image_alt: str
    image: ImageView | None  # the front-matter image, ready for <picture> (opdgen.media)
    social_image_url: str | None  # absolute URL of the 1200x630 Open Graph image (opdgen.media.social)
    site: SiteView
    is_draft: bool
    is_scheduled: bool
    source: str  # repository path, for dependency tracking; not for display


@record(kw_only=True)
class PostView(CardView):
    """A post as its own page shows it: its card's fields and its text."""

    body_html: Markup
    gallery: tuple[ImageView, ...]  # front matter `gallery:`
    reading_minutes: int


@record
class PageLink:
    number: int
    url: str
    is_current: bool
    gap_before: bool = False  # pages between the previous link and this one are left out


@record(kw_only=True)
class Pagination:
    current: int
    total: int
    prev_url: str | None
    next_url: str | None
    pages: tuple[PageLink, ...]


@record
class MenuItem:
    label: str
    url: str
    is_current: bool
    is_external: bool


@record
class Crumb:
    label: str
    url: str


@record(kw_only=True)
class PageMeta:
    title: str
    description: str
    canonical: str
    path: str
    kind: str
    feed_url: str
    noindex: bool = False


@record
class HeaderPage:
    """What the header (`_header.html`, rendered once per web root, menu and kind) knows of a page."""

    kind: str


@record(kw_only=True)
class Agency:
    site: SiteView
    last_update: datetime | None
    post_count: int
    latest: CardView | None


SOCIAL_LABELS = {
    "facebook": "Facebook", "instagram": "Instagram", "x": "X", "youtube": "YouTube",
    "tiktok": "TikTok",
}
_SKIP_WORDS = {"dinas", "badan", "kantor", "dan", "kabupaten", "kota", "pemerintah", "sekretariat"}


def initials(short_name: str, name: str) -> str:
    """Two or three letters for a logo badge: from the short name, else the name's key words."""
    compact = "".join(ch for ch in short_name if ch.isalnum())
    if 2 <= len(compact) <= 4 and " " not in short_name.strip():
        return compact[:3].upper()
    words = [w for w in name.split() if w.lower() not in _SKIP_WORDS] or name.split()
    return "".join(w[0] for w in words[:3]).upper()


def site_view(
    config: SiteConfig, urls: Urls, colour_css_rel: str, logo_rel: str | None,
    logo: MediaImage | None = None,
) -> SiteView:
    logo_v = logo_view(logo, urls.path) if logo is not None else None
    if logo_v is not None and logo_rel is None:
        logo_rel = logo_v.src.removeprefix(urls.base_path)
    return SiteView(
        slug=config.slug,
        name=config.name,
        short_name=config.short_name,
        description=config.description,
        url=urls.path(""),
        abs_url=urls.abs(""),
        colour=config.colour,
        colour_css_url=urls.path(colour_css_rel),
        logo_url=urls.path(logo_rel) if logo_rel else None,
        logo=logo_v,
        initials=initials(config.short_name, config.name),
        address=config.address,
        phone=config.phone,
        phone_url="tel:" + "".join(ch for ch in config.phone if ch.isdigit() or ch == "+"),
        email=config.email,
        email_url=f"mailto:{config.email}" if config.email else "",
        whatsapp=_pretty_whatsapp(config.whatsapp),
        whatsapp_url=f"https://wa.me/{config.whatsapp}" if config.whatsapp else "",
        office_hours=config.office_hours,
        social=tuple(SocialLink(n, SOCIAL_LABELS[n], u) for n, u in config.social),
        is_portal=False,
    )


def _pretty_whatsapp(digits: str) -> str:
    """6281234567890 -> +62 812-3456-7890"""
    if not digits:
        return ""
    rest = digits[2:]
    groups = [rest[:3], rest[3:7], rest[7:]]
    return "+62 " + "-".join(g for g in groups if g)


def brand_css(colour: str) -> bytes:
    """The per-site stylesheet that sets the brand colour (no inline styles under a strict CSP)."""
    dark = _mix(colour, "#000000", 0.25)
    light = _mix(colour, "#ffffff", 0.9)
    return (
        f":root{{--brand:{colour};--brand-dark:{dark};--brand-light:{light};--on-brand:#ffffff}}\n"
    ).encode()


def _mix(a: str, b: str, amount: float) -> str:
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(ca, cb, strict=True))


def tag_view(name: str, urls: Urls) -> TagView:
    slug = _tag_slug(name)
    return TagView(name=name, slug=slug, url=urls.path(f"tag/{slug}/"))


@lru_cache(maxsize=1 << 12)
def _tag_slug(name: str) -> str:
    """A tag's slug (an agency's few dozen tags are on thousands of posts, in two web roots)."""
    return slugify(name)


def post_rel(post: Post) -> str:
    """The post's path inside its site's web root."""
    if post.kind is Kind.HALAMAN:
        return f"{post.slug}/"
    return f"{post.kind.value}/{post.slug}/"


@lru_cache(maxsize=1 << 16)
def word_count(body_html: str) -> int:
    """Words of a post's text (a post is viewed by its site, the portal and the search index)."""
    return len(plain_words(body_html))


def post_view(
    post: Post, site: SiteView, urls: Urls, kind_label: Callable[[Kind], str], *, shown_at: Urls | None = None
) -> PostView:
    """shown_at: the portal's Urls when the portal shows the post (see opdgen.media.html.media_views)."""
    words = word_count(post.body_html)
    media = media_views(post.body_html, post.media, urls.path, urls.abs, shown_at.path if shown_at else None)
    return PostView(
        title=post.title,
        url=urls.path(post_rel(post)),
        abs_url=urls.abs(post_rel(post)),
        date=post.date,
        updated=post.updated,
        author=post.author,
        tags=tuple(tag_view(t, urls) for t in post.tags),
        summary=post.summary,
        body_html=Markup(media.body_html),
        kind=post.kind.value,
        kind_label=kind_label(post.kind),
        image_url=media.image_url,
        image_alt=post.media.hero.alt if post.media.hero is not None else post.image_alt,
        image=media.image,
        gallery=media.gallery,
        social_image_url=media.social_url,
        reading_minutes=max(1, math.ceil(words / 200)),
        site=site,
        is_draft=post.is_draft,
        is_scheduled=post.is_scheduled,
        source=str(post.source.path),
    )


def card_view(
    post: Post, site: SiteView, urls: Urls, kind_label: Callable[[Kind], str], *, shown_at: Urls | None = None
) -> CardView:
    """post_view's fields that a card shows, made without reading the body (a tenth of the time)."""
    image, image_url, social_url = card_media(post.media, urls.path, urls.abs,
                                              shown_at.path if shown_at else None)
    rel = post_rel(post)
    return CardView(
        title=post.title,
        url=urls.path(rel),
        abs_url=urls.abs(rel),
        date=post.date,
        updated=post.updated,
        author=post.author,
        tags=tuple(tag_view(t, urls) for t in post.tags),
        summary=post.summary,
        kind=post.kind.value,
        kind_label=kind_label(post.kind),
        image_url=image_url,
        image_alt=post.media.hero.alt if post.media.hero is not None else post.image_alt,
        image=image,
        social_image_url=social_url,
        site=site,
        is_draft=post.is_draft,
        is_scheduled=post.is_scheduled,
        source=str(post.source.path),
    )


def paginate(count: int, per_page: int, first_rel: str, urls: Urls) -> list[tuple[int, str, slice]]:
    """(number, rel path, slice of items) per page; page 1 at first_rel, then first_rel/page/N/."""
    total = max(1, math.ceil(count / per_page))
    return [
        (n, first_rel if n == 1 else f"{first_rel}page/{n}/", slice((n - 1) * per_page, n * per_page))
        for n in range(1, total + 1)
    ]


def pagination(pages: Sequence[tuple[int, str, slice]], current: int, urls: Urls) -> Pagination:
    """Previous and next, and the page numbers shown: the first, the last and two either side of
    the current one (a listing of a thousand pages links a handful from each, not a thousand)."""
    total = len(pages)
    shown = sorted({1, total, *range(max(1, current - 2), min(total, current + 2) + 1)})
    links = tuple(PageLink(n, urls.path(pages[n - 1][1]), n == current, gap_before=n - before > 1)
                  for before, n in zip([1, *shown[:-1]], shown, strict=True))
    return Pagination(
        current=current,
        total=total,
        prev_url=urls.path(pages[current - 2][1]) if current > 1 else None,
        next_url=urls.path(pages[current][1]) if current < total else None,
        pages=links,
    )


class MenuItems(tuple[MenuItem, ...]):
    """A page's header menu: a tuple, of which the pages of one section share one (page keys hash
    it once per web root, by identity: opdgen.outputs.files)."""

    __slots__ = ()


class Menu:
    """The header menu of a web root's pages: the item whose section holds the page is current.
    The entries are resolved once; the pages of a section get the same MenuItems."""

    def __init__(self, entries: Sequence[tuple[str, str]], urls: Urls) -> None:
        self.home = urls.path("")
        self.resolved = [(label, url if not url.startswith("/") else urls.path(url), not url.startswith("/"))
                         for label, url in entries]
        self.made: dict[str, MenuItems] = {}  # by the current item's path ("": none)

    def __call__(self, page_path: str) -> MenuItems:
        best = ""
        for _, path, external in self.resolved:
            is_section = page_path.startswith(path) and (path != self.home or page_path == self.home)
            if not external and is_section and len(path) > len(best):
                best = path
        items = self.made.get(best)
        if items is None:
            items = self.made[best] = MenuItems(MenuItem(label, path, path == best, external)
                                                for label, path, external in self.resolved)
        return items


def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def region_view(config: RegionConfig) -> RegionView:
    return RegionView(name=config.name, portal_url=config.portal_base_url)
