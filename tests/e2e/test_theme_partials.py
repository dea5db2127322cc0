"""The partials opdgen renders once instead of on every page: the icons (the global `icon`, the
theme's `_icons.html` macro drawn once per icon) and the footer (`{{ footer() }}`, `_footer.html`
rendered once per web root). A region theme that replaces either still decides what the pages show,
and a footer that asks for a page's variables is a problem with its file and line, not a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


def test_a_footer_that_asks_for_a_page_is_a_problem_with_its_line(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = _repo(make_repo, {"_footer.html": "<footer>\n{{ site.name }}\n{{ page.title }}\n</footer>\n"})
    result = run_cli("build", "--root", repo, "--output", repo / "out")
    assert result.exit_code != 0
    assert "themes/kabuji/templates/_footer.html:3:" in result.output, result.output
    assert "page" in result.output
    assert not (repo / "out").exists()  # nothing written
