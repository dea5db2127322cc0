"""Related posts: most shared tags first, newest among equals, then URL; never the post itself."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from opdgen.outputs.site import RELATED, _Tagged


def view(url: str, days: int | None, tags: list[str]) -> Any:
    date = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=days) if days is not None else None
    return SimpleNamespace(url=url, date=date, tags=[SimpleNamespace(slug=t) for t in tags])


def reference(post: Any, pool: list[Any]) -> list[Any]:
    """The rule, spelled out: score every other post of the pool."""
    mine = {t.slug for t in post.tags}
    scored = [(len(mine & {t.slug for t in o.tags}), o) for o in pool if o.url != post.url]
    scored = [(n, o) for n, o in scored if n]
    scored.sort(key=lambda p: (-p[0], -(p[1].date.timestamp() if p[1].date else 0), p[1].url))
    return [o for _, o in scored[:RELATED]]


def test_most_shared_tags_then_newest_then_url() -> None:
    pool = [view("/a/", 1, ["x", "y"]), view("/b/", 5, ["x"]), view("/c/", 3, ["x", "y"]),
            view("/d/", 3, ["x", "y"]), view("/e/", 9, ["z"])]
    assert [v.url for v in _Tagged(pool).related(pool[0])] == ["/c/", "/d/", "/b/"]
    assert _Tagged(pool).related(pool[4]) == []  # no other post shares its tag


def test_agrees_with_the_rule_on_random_pools() -> None:
    rng = random.Random(7)
    for _ in range(200):
        tags = [f"t{i}" for i in range(rng.randint(1, 6))]
        pool = [view(f"/p{i}/", rng.choice([None, *range(10)]), rng.sample(tags, rng.randint(0, len(tags))))
                for i in range(rng.randint(1, 40))]
        tagged = _Tagged(pool)
        for post in pool:
            assert tagged.related(post) == reference(post, pool)
        outsider = view("/x/", 4, tags[:2])  # a post not in the pool (a draft shown in preview)
        assert tagged.related(outsider) == reference(outsider, pool)
