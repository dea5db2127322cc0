"""Sanitize rendered Markdown with nh3 against an allowlist; it says what it keeps, not what it fears.

No script, no event handlers, no style, no javascript:/data: URLs; iframes only from allowed hosts.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import nh3

TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    }
)
# h1 is the page title's: a "# heading" in a post is demoted by the renderer, not kept.
ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "iframe": {"src", "title", "width", "height", "allowfullscreen"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed"},
    "li": {"id", "value"},
    "sup": {"id"},
    "time": {"datetime"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "q": {"cite"}, "blockquote": {"cite"}, "del": {"cite"}, "ins": {"cite"},
}
CODE_LANGUAGES = (
    "bash", "css", "csv", "html", "javascript", "js", "json", "markdown", "md", "python",
    "shell", "sql", "text", "xml", "yaml",
)
CLASSES = {
    "div": {"footnote"},
    "a": {"footnote-ref", "footnote-backref"},
    "code": {f"language-{lang}" for lang in CODE_LANGUAGES},
}
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "srcset", "action", "formaction", "poster"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_url(value: str) -> bool:
    """No scheme, or an allowed one, once entities, white space and control characters are gone
    (browsers ignore tabs and newlines inside a scheme; this is stricter and ignores all of them)."""
    plain = _INVISIBLE.sub("", html.unescape(value)).lower()
    match = _SCHEME.match(plain)
    return match is None or match.group(1) in SCHEMES


_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)
_TABLE_ALIGN = re.compile(r'(<t[dh][^>]*?) align="(left|right|center)"')


_TABLE_OPEN = re.compile(r"<table>")


def wrap_tables(fragment: str, label: str) -> str:
    """Put each table in a focusable, labelled scroll region, so keyboard users can scroll wide
    tables on phones (WCAG 2.1.1). Runs after sanitizing: this markup is ours, not the author's."""
    count = 0

    def open_region(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return (f'<div class="table-scroll" role="region" tabindex="0" '
                f'aria-label="{label} {count}"><table>')

    wrapped = _TABLE_OPEN.sub(open_region, fragment)
    return wrapped.replace("</table>", "</table></div>")


class Sanitizer:
    """An nh3 cleaner fixed to one region's video hosts."""

    def __init__(self, video_hosts: Iterable[str], table_label: str = "Tabel") -> None:
        self.video_hosts = frozenset(h.lower() for h in video_hosts)
        self.table_label = table_label

    def _filter(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES and not is_safe_url(value):
            return None
        if tag == "iframe" and attribute == "src":
            parts = urlsplit(value.strip())
            if parts.scheme != "https" or (parts.hostname or "") not in self.video_hosts:
                return None
        return value

    def clean(self, fragment: str) -> str:
        cleaned = nh3.clean(
            fragment,
            tags=set(TAGS),
            clean_content_tags={"script", "style"},
            attributes={k: set(v) for k, v in ATTRIBUTES.items()},
            attribute_filter=self._filter,
            url_schemes=set(SCHEMES),
            allowed_classes={k: set(v) for k, v in CLASSES.items()},
            set_tag_attribute_values={
                "iframe": {"loading": "lazy", "referrerpolicy": "strict-origin-when-cross-origin",
                           "sandbox": "allow-scripts allow-same-origin allow-presentation"},
            },
            link_rel="noopener noreferrer",
        )
        cleaned = _EMPTY_IFRAME.sub("", cleaned)
        # Python-Markdown writes align="..." on table cells; HTML5 wants a class instead.
        cleaned = _TABLE_ALIGN.sub(r'\1 class="align-\2"', cleaned)
        return wrap_tables(cleaned, self.table_label)
