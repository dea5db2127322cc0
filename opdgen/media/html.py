"""HTML for media: the image views templates get, and the body's local <img>/<a> mapped to published files.

Runs after sanitizing: the <picture> markup it writes is ours, not the author's. Pure string work.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from opdgen.media.images import LOGO
from opdgen.media.model import BodyImage, BodyLink, Document, MediaImage, PostMedia, Variant
from opdgen.media.refs import IMG_TAG, attributes
from opdgen.records import record

# How wide the default theme shows an image (README: the article column is 44rem; cards fill a
# column of the card grid; gallery tiles take a third of the column, half on phones).
ARTICLE_SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"
CARD_SIZES = "(min-width: 64rem) 23rem, (min-width: 40rem) calc(50vw - 1.5rem), calc(100vw - 2rem)"
GALLERY_SIZES = "(min-width: 46rem) 14rem, calc(50vw - 1.5rem)"
LOGO_HEIGHT = min(LOGO.sizes)
_A_ELEMENT = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\bhref="[^"]*"')

Url = Callable[[str], str]  # a path inside the web root -> its URL


@record
class ImageView:
    """An image ready for <picture>: see themes/default/README.md."""

    src: str  # fallback (JPEG, PNG or SVG) near 800 px wide, for browsers that ignore srcset
    srcset: str  # fallback widths, "url 480w, url 800w, ..." ("" for SVG)
    webp_srcset: str  # the same widths in WebP ("" for SVG)
    sizes: str
    width: int  # intrinsic size of the largest variant: reserves the space (no layout shift)
    height: int
    alt: str
    large_url: str  # the largest version: "open large" links


@record
class LogoView:
    """The agency logo at 1x and 2x of its display height."""

    src: str
    srcset: str  # "url 1x, url 2x" ("" when there is one size)
    webp_srcset: str
    width: int
    height: int


def _srcset(variants: tuple[Variant, ...], url: Url) -> str:
    if len(variants) < 2 and (not variants or variants[0].format == "svg"):
        return ""
    return ", ".join(f"{url(v.rel)} {v.width}w" for v in variants)


def image_view(image: MediaImage, alt: str, url: Url, sizes: str = ARTICLE_SIZES) -> ImageView:
    fallback = image.fallback
    largest = image.largest
    middle = min(fallback, key=lambda v: (abs(v.width - 800), v.width))
    webp = image.webp
    return ImageView(
        src=url(middle.rel),
        srcset=_srcset(fallback, url),
        webp_srcset=_srcset(webp, url),
        sizes=sizes,
        width=largest.width,
        height=largest.height,
        alt=alt,
        large_url=url((max(webp, key=lambda v: v.width) if webp else largest).rel),
    )


def logo_view(image: MediaImage, url: Url) -> LogoView:
    fallback = sorted(image.fallback, key=lambda v: v.height)
    webp = sorted(image.webp, key=lambda v: v.height)
    base = fallback[0]

    def density(variants: list[Variant], single: bool) -> str:
        if not variants or (len(variants) == 1 and not single):
            return ""  # one fallback size: src alone says it
        return ", ".join(f"{url(v.rel)} {v.height / base.height:.3g}x" for v in variants)

    width, height = base.width, base.height
    if base.format == "svg":  # drawn at any size: give it the logo's display height
        width, height = max(1, round(width * LOGO_HEIGHT / height)), LOGO_HEIGHT
    return LogoView(src=url(base.rel), srcset=density(fallback, False), webp_srcset=density(webp, True),
                    width=width, height=height)


def picture_html(view: ImageView, *, eager: bool = False, title: str = "") -> str:
    """<picture> with a WebP <source> and the fallback <img> (width, height; lazy and async unless eager)."""
    e = html.escape
    source = ""
    if view.webp_srcset:
        source = f'<source type="image/webp" srcset="{e(view.webp_srcset)}" sizes="{e(view.sizes)}">'
    attrs = [f'src="{e(view.src)}"']
    if view.srcset:
        attrs += [f'srcset="{e(view.srcset)}"', f'sizes="{e(view.sizes)}"']
    attrs += [f'width="{view.width}"', f'height="{view.height}"', f'alt="{e(view.alt)}"']
    if title:
        attrs.append(f'title="{e(title)}"')
    if not eager:  # the first image of a page is neither lazy nor decoded late (it is likely the LCP)
        attrs += ['loading="lazy"', 'decoding="async"']
    return f"<picture>{source}<img {' '.join(attrs)}></picture>"


def rewrite_body(body_html: str, media: PostMedia, url: Url, *, eager_first: bool) -> str:
    """Local images become <picture> of their variants; links to local files point to the published
    file, and a document link says its type and size: `Laporan (PDF, 1,2 MB)`."""
    if not media.body and not media.links:
        return body_html
    images = {b.src: b for b in media.body}
    links = {link.href: link for link in media.links}
    out = _A_ELEMENT.sub(lambda m: _link(m, links, url), body_html) if links else body_html
    eager = [eager_first]

    def picture(match: re.Match[str]) -> str:
        attrs = attributes(match.group(1))
        body: BodyImage | None = images.get(attrs.get("src", ""))
        if body is None:
            return match.group(0)
        alt = "" if body.decorative else html.unescape(attrs.get("alt", ""))
        title = "" if body.decorative else html.unescape(attrs.get("title", ""))
        first, eager[0] = eager[0], False
        return picture_html(image_view(body.image, alt, url), eager=first, title=title)

    return IMG_TAG.sub(picture, out)


def _link(match: re.Match[str], links: dict[str, BodyLink], url: Url) -> str:
    inside, text = match.group(1), match.group(2)
    link = links.get(attributes(inside).get("href", ""))
    if link is None:
        return match.group(0)
    target = link.target
    if isinstance(target, Document):
        href = url(target.rel)
        text += f' <span class="doc-meta">({html.escape(target.label)})</span>'
    else:
        href = image_view(target, "", url).large_url
    inside = _HREF.sub(lambda _: f'href="{html.escape(href)}"', inside, count=1)
    return f"<a {inside}>{text}</a>"


CARD_MAX_WIDTH = 800  # a card is at most 23rem wide: 800 px covers it at 2x


def for_cards(image: MediaImage) -> MediaImage:
    """The variants a post card needs (the portal keeps its own copies of these only)."""
    small = tuple(v for v in image.variants if v.width <= CARD_MAX_WIDTH or v.format == "svg")
    if not any(v.format != "webp" for v in small):
        return image
    return MediaImage(image.source, small, image.animated)


@record
class MediaViews:
    """The media parts of a post's view."""

    image: ImageView | None
    image_url: str | None  # absolute URL of the largest fallback
    social_url: str | None  # absolute URL of the 1200x630 preview: og:image
    gallery: tuple[ImageView, ...]
    body_html: str


def media_views(
    body_html: str, media: PostMedia, path: Url, absolute: Url, shown_at: Url | None
) -> MediaViews:
    """path/absolute: URLs on the post's own site. shown_at: the portal's paths when the portal shows
    the post: the card image is the portal's own copy (its CSP allows only its own images) and the
    body (in the portal feed) names the agency's files by absolute URL."""
    body_url = path if shown_at is None else absolute
    image, image_url, social_url = card_media(media, path, absolute, shown_at)
    return MediaViews(
        image=image,
        image_url=image_url,
        social_url=social_url,
        gallery=tuple(image_view(u.image, u.alt, body_url, GALLERY_SIZES) for u in media.gallery),
        body_html=article_body(body_html, media, body_url),
    )


def card_media(media: PostMedia, path: Url, absolute: Url,
               shown_at: Url | None) -> tuple[ImageView | None, str | None, str | None]:
    """What a post's card shows of its media (media_views without the body and gallery): the photo
    (on the portal, the portal's own copy of its card sizes), the absolute URLs of its largest
    fallback and of the social preview."""
    hero = media.hero
    if hero is None:
        image = image_url = None
    else:
        image = (image_view(hero.image, hero.alt, path) if shown_at is None
                 else image_view(for_cards(hero.image), hero.alt, shown_at, CARD_SIZES))
        image_url = absolute(hero.image.largest.rel)
    return image, image_url, absolute(media.social.rel) if media.social is not None else None


def article_body(body_html: str, media: PostMedia, url: Url) -> str:
    """A post's body as its article shows it: rewrite_body, the first picture loaded at once when
    the post has no hero image above it (media_views; the search documents take it from here)."""
    return rewrite_body(body_html, media, url, eager_first=media.hero is None)
