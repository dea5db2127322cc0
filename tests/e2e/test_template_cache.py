"""Compiled templates kept in the user's own cache folder (render.themes._bytecode_cache): a later
build of the same theme compiles nothing, a changed template is compiled again, and nothing is
kept in CI or in a folder that someone else could write to."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
import pytest
from click.testing import Result

from opdgen.render import themes
from tests.conftest import POST, tree_bytes

B = "content/dinkes/berita/"


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The user's cache folder in tmp_path, outside CI, and no environment kept from another test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CI", raising=False)
    themes._ENVIRONMENTS.clear()
    yield tmp_path / "xdg" / "opdgen" / "templates"
    themes._ENVIRONMENTS.clear()


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from their source."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def spy(self: jinja2.Environment, source: str, name: str | None = None, *args: object,
            **kwargs: object) -> object:
        names.append(name or "?")
        return compile_source(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return names


def test_a_later_build_compiles_only_what_changed(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result], user_cache: Path,
        compiled: list[str]) -> None:
    repo = make_repo({
        B + "2026-11-20-ok.md": POST,
        "opdgen.yaml": make_repo().joinpath("opdgen.yaml").read_text() + "theme: kabuji\n",
        "themes/kabuji/templates/404.html": (
            '{% extends "default/404.html" %}{% block content %}<p class="kabuji">Tidak ada.</p>{% endblock %}'
        ),
    })
    assert run_cli("build", "--root", repo, "--output", repo / "first").exit_code == 0
    assert "404.html" in compiled and "default/404.html" in compiled, compiled
    assert sorted(p.name for p in user_cache.iterdir())  # kept, one file per template
    assert user_cache.stat().st_mode & 0o777 == 0o700

    themes._ENVIRONMENTS.clear()  # (a new process: nothing in memory)
    compiled.clear()
    assert run_cli("build", "--root", repo, "--output", repo / "second").exit_code == 0
    assert compiled == []
    assert tree_bytes(repo / "second") == tree_bytes(repo / "first")

    themes._ENVIRONMENTS.clear()
    (repo / "themes/kabuji/templates/404.html").write_text(
        '{% extends "default/404.html" %}{% block content %}<p class="kabuji">Hilang.</p>{% endblock %}')
    assert run_cli("build", "--root", repo, "--output", repo / "third").exit_code == 0
    assert compiled == ["404.html"]  # Jinja checks each template's source against the kept one
    assert '<p class="kabuji">Hilang.</p>' in (repo / "third/dinkes/404.html").read_text()


def test_nothing_is_kept_in_ci_or_where_others_can_write(
        user_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert themes._bytecode_cache() is not None
    for mode, folder in ((0o770, user_cache), (0o775, user_cache.parent)):
        os.chmod(folder, mode)
        assert themes._bytecode_cache() is None, oct(mode)
        os.chmod(folder, 0o700)
    assert themes._bytecode_cache() is not None
    for ci in ("true", "1", "yes"):
        monkeypatch.setenv("CI", ci)
        assert themes._bytecode_cache() is None, ci
    monkeypatch.setenv("CI", "false")
    assert themes._bytecode_cache() is not None
    monkeypatch.delenv("CI")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert themes._bytecode_cache() is None


def test_the_key_says_how_a_template_was_compiled(tmp_path: Path) -> None:
    """Jinja keys a kept template by its name and file only: ours adds the code that sets up the
    environment (its options change the compiled code) and the versions of Jinja and Python."""
    one = themes._BytecodeCache(str(tmp_path), "a")
    assert one.get_cache_key("post.html", "/x/post.html") != themes._BytecodeCache(str(tmp_path), "b") \
        .get_cache_key("post.html", "/x/post.html")
    assert one.get_cache_key("post.html", "/x/post.html") != one.get_cache_key("post.html", "/y/post.html")
