"""Find the files a post's body refers to (<img> and file links in the sanitized HTML) and their lines.

Pure: text in, references out. Resolving them against the repository is collect.py's job.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from opdgen.media.documents import DOCUMENT_TYPES
from opdgen.media.images import RASTER_FORMATS
from opdgen.records import record

IMAGE_SUFFIXES = frozenset({*RASTER_FORMATS, ".svg"})
# Image files a phone or a scanner makes that browsers (or Pillow) cannot show: told to convert.
UNSUPPORTED_IMAGES = frozenset({".heic", ".heif", ".avif", ".tif", ".tiff", ".bmp", ".jxl", ".raw", ".dng"})
FILE_SUFFIXES = IMAGE_SUFFIXES | frozenset(DOCUMENT_TYPES) | UNSUPPORTED_IMAGES
# `![](foto.jpg "dekoratif")`: the image is decoration, an empty alt is right.
DECORATIVE_TITLES = frozenset({"dekoratif", "decorative"})

IMG_TAG = re.compile(r"<img\s([^>]*)>")
A_TAG = re.compile(r"<a\s([^>]*)>")
ATTRIBUTE = re.compile(r'([a-zA-Z][a-zA-Z0-9-]*)="([^"]*)"')


@record
class Ref:
    tag: str  # "img" or "a"
    raw: str  # the src/href attribute exactly as the sanitized HTML has it
    target: str  # unescaped and percent-decoded: the path as the author meant it
    alt: str | None  # <img> only; None when the attribute is missing
    title: str
    line: int  # line of the content file

    @property
    def is_decorative(self) -> bool:
        return self.title.strip().lower() in DECORATIVE_TITLES

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.target).suffix.lower()


def attributes(tag_inside: str) -> dict[str, str]:
    """name -> raw (still escaped) value, for the attribute list of a tag nh3 wrote."""
    return {m.group(1).lower(): m.group(2) for m in ATTRIBUTE.finditer(tag_inside)}


def body_refs(body_html: str, markdown: str, first_line: int) -> list[Ref]:
    """Every <img>, and every <a> whose href names a file by its extension, in document order."""
    found: list[tuple[int, Ref]] = []
    lines = _LineFinder(markdown, first_line)
    for match in IMG_TAG.finditer(body_html):
        attrs = attributes(match.group(1))
        raw = attrs.get("src", "")
        alt = html.unescape(attrs["alt"]) if "alt" in attrs else None
        title = html.unescape(attrs.get("title", ""))
        found.append((match.start(), Ref("img", raw, _target(raw), alt, title, 0)))
    for match in A_TAG.finditer(body_html):
        raw = attributes(match.group(1)).get("href", "")
        target = _target(raw)
        suffix = PurePosixPath(urlsplit(target).path).suffix.lower()
        if kind_of(target) != "remote" and suffix in FILE_SUFFIXES:
            found.append((match.start(), Ref("a", raw, target, None, "", 0)))
    found.sort(key=lambda pair: pair[0])
    return [Ref(r.tag, r.raw, r.target, r.alt, r.title, lines.find(r.raw, r.target)) for _, r in found]


def _target(raw: str) -> str:
    return unquote(html.unescape(raw)).strip()


def kind_of(target: str) -> str:
    """"remote" (another site), "path" (absolute or leaving the folder: refused), "anchor", or "local"."""
    if "\\" in target or re.match(r"^[A-Za-z]:[\\/]", target):  # a Windows path: C:\Users\...
        return "path"
    parts = urlsplit(target)
    if parts.scheme or target.startswith("//"):
        return "remote"
    if not parts.path:
        return "anchor"
    path = PurePosixPath(parts.path)
    if path.is_absolute() or ".." in path.parts:
        return "path"
    return "local"


class _LineFinder:
    """Lines of references in the Markdown, found in order (a repeated name gets its next line)."""

    def __init__(self, markdown: str, first_line: int) -> None:
        self.markdown = markdown
        self.first_line = first_line
        self.cursor = 0

    def find(self, raw: str, target: str) -> int:
        for needle in dict.fromkeys((html.unescape(raw), raw, target)):
            if not needle:
                continue
            at = self.markdown.find(needle, self.cursor)
            if at < 0:
                at = self.markdown.find(needle)
            if at >= 0:
                self.cursor = at + len(needle)
                return self.first_line + self.markdown.count("\n", 0, at)
        return self.first_line
