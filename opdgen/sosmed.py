"""Ready-to-paste social-media captions for recent posts (`opdgen sosmed`); pure text, no network.

Sizes follow each network's limits: X counts every link as 23 characters (t.co) and allows 280;
Instagram allows 2,200 characters and 30 hashtags, and its captions do not make links clickable;
Facebook has no practical limit, so it gets the fullest text.
"""

from __future__ import annotations

import re
from datetime import datetime

from opdgen.content.frontmatter import slugify
from opdgen.content.model import Kind, Post, Site
from opdgen.records import record
from opdgen.render.context import Urls, post_rel

X_LIMIT = 280
X_LINK_LENGTH = 23  # every URL counts as this many characters on X
INSTAGRAM_LIMIT = 2200
INSTAGRAM_HASHTAGS = 30
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“])")


@record
class Captions:
    post: Post
    url: str
    facebook: str
    instagram: str
    x: str


def hashtag(tag: str) -> str:
    """`kesehatan-anak` -> `#KesehatanAnak` (letters and digits only, as the networks require)."""
    words = [w for w in slugify(tag).split("-") if w]
    return "#" + "".join(w[:1].upper() + w[1:] for w in words) if words else ""


def two_sentences(text: str) -> str:
    """The first two sentences of a summary."""
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    return " ".join(sentences[:2]).strip()


def _tags(post: Post, site: Site) -> list[str]:
    tags = [hashtag(t) for t in post.tags]
    own = hashtag(site.config.short_name)
    out: list[str] = []
    for tag in [*tags, own]:
        if tag and tag not in out:
            out.append(tag)
    return out


def captions_for(post: Post, site: Site, lang: str) -> Captions:
    """The three captions of one post."""
    url = Urls(site.config.base_url).abs(post_rel(post))
    summary = two_sentences(post.summary)
    tags = _tags(post, site)
    more = "Selengkapnya" if lang == "id" else "Read more"
    in_bio = "Tautan lengkap di bio atau" if lang == "id" else "Full story via the link in bio or"
    facebook = f"{post.title}\n\n{summary}\n\n{more}: {url}\n\n{' '.join(tags)}".strip()
    insta_tags = " ".join(tags[:INSTAGRAM_HASHTAGS])
    instagram = f"{post.title}\n\n{summary}\n\n{in_bio} {url}\n\n{insta_tags}".strip()
    if len(instagram) > INSTAGRAM_LIMIT:
        room = INSTAGRAM_LIMIT - (len(instagram) - len(summary)) - 1
        instagram = instagram.replace(summary, summary[:room].rsplit(" ", 1)[0] + "…")
    return Captions(post, url, facebook, instagram, _x_caption(post.title, summary, url, tags))


def x_length(text: str, url: str) -> int:
    """Length as X counts it: the link as 23 characters."""
    return len(text) - len(url) + X_LINK_LENGTH if url in text else len(text)


def _x_caption(title: str, summary: str, url: str, tags: list[str]) -> str:
    """Title, as much of the summary as fits, the link and the hashtags that still fit."""
    body = f"{title}. {summary}" if summary else title
    chosen: list[str] = []
    for tag in tags[:3]:
        if x_length(f"{title}\n\n{url} {' '.join([*chosen, tag])}", url) <= X_LIMIT - 40:
            chosen.append(tag)
    tail = f"\n\n{url}" + (f" {' '.join(chosen)}" if chosen else "")
    room = X_LIMIT - x_length(tail, url)
    if len(body) > room:
        body = body[: room - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
    return body + tail


def recent_posts(site: Site, since: datetime) -> list[Post]:
    """Berita and pengumuman published since a moment, newest first."""
    posts = [
        p for p in site.posts
        if p.kind in (Kind.BERITA, Kind.PENGUMUMAN) and p.date is not None and p.date >= since
    ]
    return sorted(posts, key=lambda p: (p.date, p.slug), reverse=True)


def format_text(items: list[Captions], lang: str) -> str:
    """Blocks to copy from a terminal: one per post, one section per network."""
    blocks = []
    for item in items:
        count = x_length(item.x, item.url)
        blocks.append("\n".join([
            "=" * 72,
            item.post.title,
            item.url,
            "",
            "[Facebook]",
            item.facebook,
            "",
            "[Instagram]",
            item.instagram,
            "",
            f"[X] ({count}/{X_LIMIT})",
            item.x,
        ]))
    return "\n\n".join(blocks)


def format_json(items: list[Captions]) -> str:
    import json

    return json.dumps(
        [{"title": i.post.title, "url": i.url, "date": i.post.date.isoformat() if i.post.date else None,
          "facebook": i.facebook, "instagram": i.instagram, "x": i.x,
          "x_length": x_length(i.x, i.url)} for i in items],
        ensure_ascii=False, indent=2,
    )
