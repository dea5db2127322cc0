"""Atom feeds, sitemaps and robots.txt: data first, written as XML here; no templates, no clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from opdgen.records import record
from opdgen.render.context import PostView

FEED_SIZE = 20  # DESIGN: feed.xml carries the latest 20


# XML text and attribute values, exactly as xml.sax.saxutils writes them (importing it imports
# urllib.request, http.client, email and ssl: tens of milliseconds of every build's start)
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                            "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def escape(text: str) -> str:
    """Text with &, < and > escaped."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An attribute value with its quotes: double, or single when it holds " but not '."""
    text = text.translate(_ATTRIBUTE)
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


@record
class FeedInfo:
    title: str
    subtitle: str
    site_url: str  # absolute
    feed_url: str  # absolute
    author: str
    lang: str = "id"


def _stamp(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def atom(info: FeedInfo, posts: Sequence[PostView]) -> bytes:
    """An Atom 1.0 feed (RFC 4287) of the given posts, newest first; updated from content."""
    entries = [p for p in posts if p.date is not None][:FEED_SIZE]
    updated = max(
        ((p.updated or p.date) for p in entries if p.date is not None),
        default=None,
    )
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{info.lang}">',
        f"  <id>{escape(info.site_url)}</id>",
        f"  <title>{escape(info.title)}</title>",
        f"  <subtitle>{escape(info.subtitle)}</subtitle>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(info.feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(info.site_url)}/>',
        f"  <updated>{_stamp(updated) if updated else '1970-01-01T00:00:00+00:00'}</updated>",
        f"  <author><name>{escape(info.author)}</name></author>",
        "  <generator>opdgen</generator>",
    ]
    for post in entries:
        assert post.date is not None
        out += [
            "  <entry>",
            f"    <id>{escape(post.abs_url)}</id>",
            f"    <title>{escape(post.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(post.abs_url)}/>',
            f"    <published>{_stamp(post.date)}</published>",
            f"    <updated>{_stamp(post.updated or post.date)}</updated>",
            f"    <author><name>{escape(post.author or post.site.name)}</name></author>",
        ]
        out += [f"    <category term={quoteattr(t.slug)} label={quoteattr(t.name)}/>" for t in post.tags]
        out += [
            f"    <summary>{escape(post.summary)}</summary>",
            f'    <content type="html">{escape(str(post.body_html))}</content>',
            "  </entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


@record
class SitemapEntry:
    loc: str  # absolute URL
    lastmod: datetime | None = None


def sitemap(entries: Sequence[SitemapEntry]) -> bytes:
    """A sitemaps.org urlset, sorted by URL."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for entry in sorted(entries, key=lambda e: e.loc):
        out.append("  <url>")
        out.append(f"    <loc>{escape(entry.loc)}</loc>")
        if entry.lastmod is not None:
            out.append(f"    <lastmod>{_stamp(entry.lastmod)}</lastmod>")
        out.append("  </url>")
    out.append("</urlset>")
    return ("\n".join(out) + "\n").encode("utf-8")


def robots(sitemap_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
