"""The one Python-Markdown set-up: tables, fenced code, footnotes, heading anchors, sane lists.

Not attr_list or md_in_html (they let authors add attributes), not smarty (it doubles the cost).
It renders; sanitizing is markup.sanitize's job.
"""

from __future__ import annotations

import html
import re

import markdown
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension
from markdown.extensions.toc import slugify as _toc_slugify

from opdgen.markup.quickblock import quicken_block_level, quicken_blocks, quicken_toc
from opdgen.markup.quickinline import quicken

# Ids the theme uses for itself: a heading "Konten" must not become a second id="konten".
THEME_IDS = frozenset({"konten", "menu", "atas", "cari", "navigasi", "footer", "header"})

_BACKLINK = {"id": "Kembali ke catatan %d di teks", "en": "Back to footnote %d in the text"}


def _heading_id(value: str, separator: str) -> str:
    slug = _toc_slugify(value, separator) or "bagian"
    return f"{slug}-bagian" if slug in THEME_IDS else slug


class MarkdownRenderer:
    """Reuses one Markdown instance (a new one per post costs about 1 ms); reset between posts."""

    def __init__(self, lang: str = "id", quick: bool = True) -> None:
        # instances, not names: a name is looked up among every installed package's entry points
        # first (importlib.metadata and a scan of site-packages: 20 ms of each process's start)
        self._md = markdown.Markdown(
            extensions=[TableExtension(use_align_attribute=True), FencedCodeExtension(),
                        FootnoteExtension(BACKLINK_TITLE=_BACKLINK.get(lang, _BACKLINK["id"])),
                        TocExtension(slugify=_heading_id, permalink=False), SaneListExtension()],
            output_format="html",
        )
        if quick:  # the same HTML, without the tries and tests that cannot match (tests compare)
            quicken(self._md)
            quicken_blocks(self._md)
            quicken_toc(self._md)
            quicken_block_level(self._md)

    def render(self, text: str) -> str:
        self._md.reset()
        return normalize_headings(self._md.convert(text))


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def normalize_headings(fragment: str) -> str:
    """Renumber headings so the body starts at h2 and skips no level (the title is the h1)."""
    levels = sorted({int(m.group(2)) for m in _HEADING.finditer(fragment)})
    if not levels:
        return fragment
    mapping = {level: min(i + 2, 6) for i, level in enumerate(levels)}
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{mapping[int(m.group(2))]}", fragment)


_TAG = re.compile(r"<[^>]+>")
_PARA = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace folded."""
    return " ".join(plain_words(fragment))


def plain_words(fragment: str) -> list[str]:
    """The words of an HTML fragment's visible text (plain_text's, not joined)."""
    return html.unescape(_TAG.sub(" ", fragment)).split()


def first_paragraph(body_html: str) -> str:
    """The plain text of the first paragraph that has any text."""
    for match in _PARA.finditer(body_html):
        text = plain_text(match.group(1))
        if text:
            return text
    return ""


def shorten(text: str, limit: int = 200) -> str:
    """Cut at a word boundary and add an ellipsis when longer than limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:")
    return cut + "…"
