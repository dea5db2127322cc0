"""The partials opdgen renders once instead of on every page: the icons (the global `icon`, the
theme's `_icons.html` macro drawn once per icon), the header and footer (`{{ header() }}` and
`{{ footer() }}`: `_header.html` rendered once per web root, menu and kind of page, `_footer.html`
once per web root) and the post cards (`post_card()` and `post_row()`, the macros of
`_post_card.html` drawn once per post and web root). A region theme that replaces any of them still
decides what the pages show, and one that asks for a page's variables is a problem with its file and
line, not a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import POST

B = "content/dinkes/berita/"


def _repo(make_repo: Callable[..., Path], templates: dict[str, str]) -> Path:
    base = make_repo().joinpath("opdgen.yaml").read_text()
    return make_repo({
        B + "2026-11-20-ok.md": POST,
        "opdgen.yaml": base + "theme: kabuji\n",
        **{f"themes/kabuji/templates/{name}": text for name, text in templates.items()},
    })


def test_a_region_theme_decides_the_icons_and_the_footer(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = _repo(make_repo, {
        "_icons.html": '{%- macro icon(name, cls="") -%}<i class="ki-{{ name }}{{ " " ~ cls if cls }}"></i>'
                       "{%- endmacro -%}",
        "_footer.html": '<footer class="kabuji">{{ site.name }} · {{ region.name }} · '
                        '<a href="{{ urls.berita }}">{{ label("all_berita") }}</a> {{ icon("rss") }}</footer>\n',
    })
    result = run_cli("build", "--root", repo, "--output", repo / "out")
    assert result.exit_code == 0, result.output
    pages = [repo / "out/dinkes/index.html", repo / "out/dinkes/berita/ok/index.html",
             repo / "out/portal/index.html"]
    for page in pages:
        html = page.read_text()
        assert html.count('<footer class="kabuji">') == 1, page
        assert '<i class="ki-rss"></i></footer>\n</body>' in html, page  # the theme's icon, in its footer
        assert "<svg" not in html.split("<main", 1)[0], page  # the header's icons are the theme's too
    post = pages[1].read_text()
    assert '<i class="ki-calendar"></i>' in post or '<i class="ki-tag"></i>' in post
    assert 'href="/berita/"' in pages[0].read_text()  # the site's own URLs, not another root's


CARDS = """\
{%- macro post_card(post, level=2, portal=false, eager=false) -%}
<div class="kcard" data-level="{{ level }}" data-eager="{{ eager }}">
{{- post.site.short_name if portal else post.kind_label }}: {{ post.title }} {{ label("draft") if post.is_draft }}
</div>
{%- endmacro -%}
{%- macro post_row(post) -%}<li class="krow">{{ post.title }}</li>{%- endmacro -%}
"""


def test_a_region_theme_decides_the_post_cards(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = _repo(make_repo, {"_post_card.html": CARDS})
    result = run_cli("build", "--root", repo, "--output", repo / "out")
    assert result.exit_code == 0, result.output
    listing = (repo / "out/dinkes/berita/index.html").read_text()
    assert '<div class="kcard" data-level="2" data-eager="True">Berita: ' in listing  # eager: the first
    home = (repo / "out/dinkes/index.html").read_text()
    assert '<div class="kcard" data-level="3" data-eager="False">Berita: ' in home  # the same post, its own card
    portal = (repo / "out/portal/berita/index.html").read_text()
    assert '<div class="kcard" data-level="2" data-eager="False">' in portal
    assert "<article class=\"card post-card\">" not in listing + home + portal  # none of the default's


def test_a_page_that_still_imports_the_cards_with_context_shows_them(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    default = Path(__file__).resolve().parents[2] / "themes/default/templates/list.html"
    text = default.read_text().replace(
        '{% extends "base.html" %}\n',
        '{% extends "base.html" %}\n{%- from "_post_card.html" import post_card with context -%}\n', 1)
    assert "import post_card with context" in text
    repo = _repo(make_repo, {"_post_card.html": CARDS, "list.html": text})
    result = run_cli("build", "--root", repo, "--output", repo / "out")
    assert result.exit_code == 0, result.output
    assert '<div class="kcard" data-level="2" data-eager="True">' in (repo / "out/dinkes/berita/index.html").read_text()


HEADER = """\
<header class="kabuji" data-kind="{{ page.kind }}">{{ site.name }}
{%- for item in menu %} <a href="{{ item.url }}"{% if item.is_current %} aria-current="page"{% endif %}>{{ item.label }}</a>
{%- endfor %}</header>
"""


def test_a_region_theme_decides_the_header_with_its_menu_and_kind(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = _repo(make_repo, {"_header.html": HEADER})
    result = run_cli("build", "--root", repo, "--output", repo / "out")
    assert result.exit_code == 0, result.output
    out = repo / "out/dinkes"
    home, listing, post = ((out / p).read_text() for p in ("index.html", "berita/index.html", "berita/ok/index.html"))
    assert '<header class="kabuji" data-kind="home">' in home
    assert '<header class="kabuji" data-kind="list">' in listing
    assert '<header class="kabuji" data-kind="post">' in post
    assert '<a href="/" aria-current="page">' in home and '<a href="/berita/" aria-current="page">' not in home
    assert '<a href="/berita/" aria-current="page">' in listing and '<a href="/berita/" aria-current="page">' in post
    assert '<a href="/" aria-current="page">' not in post
    assert '<header class="kabuji" data-kind="portal-home">' in (repo / "out/portal/index.html").read_text()


@pytest.mark.parametrize(("partial", "text", "line", "missing"), [
    ("_footer.html", "<footer>\n{{ site.name }}\n{{ page.title }}\n</footer>\n", 3, "page"),
    ("_post_card.html", CARDS.replace("{{- post.site.short_name", "{{ page.title }}\n{{- post.site.short_name"),
     3, "page"),
    ("_header.html", HEADER.replace("</header>", "\n{{ page.title }}</header>"), 4, "title"),  # (it has page.kind)
])
def test_a_partial_that_asks_for_a_page_is_a_problem_with_its_line(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result], partial: str, text: str, line: int,
        missing: str) -> None:
    repo = _repo(make_repo, {partial: text})
    result = run_cli("build", "--root", repo, "--output", repo / "out")
    assert result.exit_code != 0
    assert f"themes/kabuji/templates/{partial}:{line}:" in result.output, result.output
    assert missing in result.output
    assert not (repo / "out").exists()  # nothing written


def test_a_portal_page_that_asks_for_a_posts_text_is_a_problem_with_its_line(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    """The portal's pages show cards (themes/default/README.md: Card), which have no text: a region
    theme's portal listing that asks for one is a problem with its file and line."""
    listing = ('{% extends "default/portal_list.html" %}{% block content %}\n'
               '{% for post in posts %}<article>{{ post.title }}\n{{ post.body_html }}</article>{% endfor %}\n'
               '{% endblock %}')
    repo = _repo(make_repo, {"portal_list.html": listing})
    result = run_cli("build", "--root", repo, "--output", repo / "out")
    assert result.exit_code != 0
    assert "themes/kabuji/templates/portal_list.html:3:" in result.output, result.output
    assert "body_html" in result.output
    assert not (repo / "out").exists()  # nothing written
