"""Published media as frozen values: processed images with their variants, documents, and how a post
uses them. No I/O and no Pillow here: the content model and the outputs import this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from pathlib import Path, PurePosixPath

from opdgen.records import record

MIME = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png", "svg": "image/svg+xml"}


@record
class Variant:
    """One published file of an image: `media/rapat-800.1a2b3c4d5e.webp`."""

    rel: str  # path inside the site's web root
    width: int
    height: int
    format: str  # webp, jpeg, png or svg
    data: bytes = field(repr=False)  # empty when `load` gives the bytes (kept out of memory)
    load: Callable[[], bytes] | None = field(default=None, repr=False, compare=False)
    digest: str = ""  # SHA-256 of the bytes, set with `load`
    # a file holding exactly these bytes, to link instead of writing a copy (or None: write them)
    source: Callable[[], Path | None] | None = field(default=None, repr=False, compare=False)

    @property
    def mime(self) -> str:
        return MIME[self.format]


@record
class MediaImage:
    """A processed image: never the original, only its variants (WebP and a JPEG/PNG fallback, or SVG)."""

    source: PurePosixPath  # repository-relative path of the original
    variants: tuple[Variant, ...]  # WebP first, then the fallback, each from small to large
    animated: bool = False  # the source was animated: only its first frame is published

    def of(self, fmt: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == fmt)

    @property
    def webp(self) -> tuple[Variant, ...]:
        return self.of("webp")

    @property
    def fallback(self) -> tuple[Variant, ...]:
        """The variants every browser shows: JPEG, PNG or SVG."""
        return tuple(v for v in self.variants if v.format != "webp")

    @property
    def largest(self) -> Variant:
        """The biggest fallback variant: its size gives width/height, its URL the 'open large' link."""
        return max(self.fallback, key=lambda v: v.width)


@record
class Document:
    """A document published byte for byte at a stable, readable path (`media/laporan-kinerja-2025.pdf`)."""

    source: PurePosixPath
    rel: str
    kind: str  # "PDF", "DOCX", ...
    label: str  # "PDF, 1,2 MB"
    data: bytes = field(repr=False)


@record
class ImageUse:
    """An image as a page shows it: with its alt text ("" only when marked decorative)."""

    image: MediaImage
    alt: str


@record
class BodyImage:
    """An <img> of the sanitized body, by its src attribute exactly as the HTML has it."""

    src: str
    image: MediaImage
    decorative: bool  # alt is emptied and the marker title dropped


@record
class BodyLink:
    """An <a> of the body that points to a local document or image, by its href as the HTML has it."""

    href: str
    target: Document | MediaImage


@record
class PostMedia:
    """Every local file a post shows or links to, resolved and processed at load time."""

    hero: ImageUse | None = None  # front matter `image:`
    body: tuple[BodyImage, ...] = ()
    links: tuple[BodyLink, ...] = ()
    gallery: tuple[ImageUse, ...] = ()
    social: Variant | None = None  # the 1200x630 Open Graph image (opdgen.media.social)

    def with_social(self, social: Variant) -> PostMedia:
        """The same media with this Open Graph image (dataclasses.replace, without its cost)."""
        return PostMedia(self.hero, self.body, self.links, self.gallery, social)

    def images(self) -> tuple[MediaImage, ...]:
        """Every image to publish for this post."""
        out = [u.image for u in (self.hero, *self.gallery) if u is not None]
        out += [b.image for b in self.body]
        out += [link.target for link in self.links if isinstance(link.target, MediaImage)]
        return tuple(out)

    def documents(self) -> tuple[Document, ...]:
        return tuple(link.target for link in self.links if isinstance(link.target, Document))


NO_MEDIA = PostMedia()


@record
class MediaStats:
    """The image work of one load: derived afresh, or taken from the cache (tests count it)."""

    processed: int = 0
    reused: int = 0
    previews: int = 0  # social preview images drawn or cropped afresh (not counted in processed)


NO_WORK = MediaStats()
