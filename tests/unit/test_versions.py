"""opdgen.versions reads the installed versions as importlib.metadata does; feeds escape XML as
xml.sax.saxutils does (neither is imported by a build: each pulled in tens of modules)."""

from __future__ import annotations

import random
from importlib import metadata
from pathlib import Path
from xml.sax import saxutils

import pytest

from opdgen import versions
from opdgen.build.uptodate import DEPENDENCIES
from opdgen.outputs import feeds


def test_the_versions_importlib_metadata_finds() -> None:
    for name in (*DEPENDENCIES, "click", "PyYAML", "Jinja2", "pagefind_bin"):
        assert versions.version(name) == metadata.version(name), name
    assert versions.version("no-such-distribution-here") is None


def test_the_first_on_the_path_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    (first / "Some_Lib-2.0.dist-info").mkdir(parents=True)
    (second / "some.lib-1.0.dist-info").mkdir(parents=True)
    (second / "old_thing-0.9-py3.11.egg-info").mkdir(parents=True)
    monkeypatch.setattr("sys.path", [str(first), str(tmp_path / "missing"), str(second)])
    versions._installed.cache_clear()
    try:
        assert versions.version("some-lib") == "2.0"
        assert versions.version("old-thing") == "0.9"
    finally:
        versions._installed.cache_clear()


def test_feeds_escape_as_saxutils_does() -> None:
    rnd = random.Random(3)
    alphabet = ["a", "&", "<", ">", '"', "'", "\n", "\r", "\t", " ", "é", "&amp;", "]]>"]
    texts = ["", "plain", "say \"hi\"", "it's", "both \" and '", *(
        "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(30))) for _ in range(2000))]
    for text in texts:
        assert feeds.escape(text) == saxutils.escape(text)
        assert feeds.quoteattr(text) == saxutils.quoteattr(text)
