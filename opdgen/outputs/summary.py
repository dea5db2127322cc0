"""What the steps that look at every site need of one, without its news posts (model.SiteSummary).

A site kept between builds (opdgen.build.snapshot) is read with its summary and without its news
posts, the bulk of it: after one edit, the portal's news index and agency cards, the search plan,
the release date and the checks of the other 59 agencies come from their summaries, and only the
posts a page shows again are read. `summary_of` gives the same summary for a site in memory, so
each step has one way of looking at a site, whichever it is.
"""

from __future__ import annotations

from datetime import datetime

from opdgen.content.model import Site, SiteSummary, unread
from opdgen.outputs.search_shards import indexed


def summarize(site: Site) -> SiteSummary:
    """The summary of a site whose posts are in memory."""
    kinds: dict[str, int] = {}
    for post in site.posts:
        kinds[post.kind.value] = kinds.get(post.kind.value, 0) + 1
    news = [p for p in site.posts if p.kind.is_news]
    stamps = [d for p in site.posts for d in (p.date, p.updated) if d is not None]
    updates = [p.updated or p.date for p in news if p.date is not None]
    runs: list[tuple[bool, int]] = []  # where its news posts are among the others
    for post in site.posts:
        if runs and runs[-1][0] == post.kind.is_news:
            runs[-1] = (post.kind.is_news, runs[-1][1] + 1)
        else:
            runs.append((post.kind.is_news, 1))
    return SiteSummary(
        kinds=kinds,
        runs=tuple(runs),
        others=tuple(p for p in site.posts if not p.kind.is_news),
        newest=max(stamps, default=None),
        indexed=sum(1 for p in site.posts if indexed(p)),
        news_count=len(news),
        last_update=max((d for d in updates if d is not None), default=None),
        news=tuple((p.kind.value, p.date, p.slug, str(p.source.path), not p.is_draft and not p.is_scheduled)
                   for p in news),
    )


def summary_of(site: Site) -> SiteSummary:
    """The site's summary: kept with it when its news posts are not read, else made from them."""
    kept = unread(site)
    return kept if kept is not None else summarize(site)


def post_entries(site: Site) -> list[tuple[str, datetime | None, str, bool]]:
    """Every post's kind (Kind.value), date, source path and whether it is published (not a draft,
    not scheduled), news posts from the summary when they are not read."""
    kept = unread(site)
    if kept is None:
        return [(p.kind.value, p.date, str(p.source.path), not p.is_draft and not p.is_scheduled)
                for p in site.posts]
    return [*((kind, date, source, shown) for kind, date, _, source, shown in kept.news),
            *((p.kind.value, p.date, str(p.source.path), not p.is_draft and not p.is_scheduled)
              for p in kept.others)]
