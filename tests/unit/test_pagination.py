"""Pagination links: the first, the last and two either side of the current page, with the gaps marked."""

from __future__ import annotations

from opdgen.render.context import Urls, paginate, pagination


def shown_with_gaps(total: int, current: int) -> list[str]:
    """What the theme used to compute over every page: numbers shown, one "..." per left-out run."""
    out: list[str] = []
    gap = False
    for n in range(1, total + 1):
        if n in (1, total) or abs(n - current) <= 2:
            out.append(str(n))
            gap = False
        elif not gap:
            out.append("...")
            gap = True
    return out


def test_the_links_are_the_window_with_its_gaps() -> None:
    urls = Urls("https://dinkes.sukamajukab.go.id/")
    for total in range(1, 14):
        pages = paginate(total * 10, 10, "berita/", urls)
        for current in range(1, total + 1):
            p = pagination(pages, current, urls)
            got = [x for link in p.pages for x in (["..."] if link.gap_before else []) + [str(link.number)]]
            assert got == shown_with_gaps(total, current), (total, current)
            assert [link.number for link in p.pages if link.is_current] == [current]
            assert p.prev_url == (urls.path(pages[current - 2][1]) if current > 1 else None)
            assert p.next_url == (urls.path(pages[current][1]) if current < total else None)


def test_a_thousand_pages_link_a_handful() -> None:
    urls = Urls("https://sukamajukab.go.id/")
    p = pagination(paginate(10_000, 10, "berita/", urls), 500, urls)
    assert [link.number for link in p.pages] == [1, 498, 499, 500, 501, 502, 1000]
    assert p.pages[-1].url == "/berita/page/1000/"
