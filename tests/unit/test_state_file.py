"""opdgen.outputs.files.StateFile: each web root's pages.json made as files come, in any order and
any batches, is the compact JSON of the whole, and the next build's PageReuse reads back what it
says, one web root at a time."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from opdgen.outputs.files import OutputFile, PageReuse, StateFile, state_files, state_path


def files() -> list[OutputFile]:
    post = frozenset({"content/dinkes/berita/a.md", "post.html"})
    return [
        OutputFile(PurePosixPath("dinkes/berita/a/index.html"), b"<p>a</p>", post, True, key="k1"),
        OutputFile(PurePosixPath("dinkes/index.html"), b"", frozenset({"content/dinkes/berita/a.md",
                                                                      "home.html"}),
                   True, key="k2", digest="d" * 64, reused=True),
        OutputFile(PurePosixPath("dinkes/pagefind/pagefind.js"), b"js", frozenset({"search"})),
        OutputFile(PurePosixPath("portal/berita/\u00e9t\u00e9/index.html"), b"<p>e</p>", post, True, key="k3"),
        OutputFile(PurePosixPath("dinkes/_headers"), b"h", frozenset({"opdgen.yaml", "serving:"})),
        OutputFile(PurePosixPath(".opdgen/dinkes/manifest.json"), b"{}", frozenset({"manifest"})),
    ]


def test_in_any_order_and_batches_the_same_compact_json(tmp_path: Path) -> None:
    whole = state_files(files())
    state = StateFile()
    batch = files()
    state.add(batch[3:])
    state.add([])
    state.add(batch[:3])
    assert [f.data for f in state.files()] == [f.data for f in whole]
    # one per web root; a server file is listed in the pages.json of the root it serves
    assert [str(f.path) for f in whole] == [".opdgen/dinkes/pages.json", ".opdgen/portal/pages.json"]
    assert whole[0].path == state_path("dinkes")
    text = whole[0].data.decode("utf-8")
    raw = json.loads(text)
    assert text == json.dumps(raw, separators=(",", ":")) + "\n"  # as json.dumps writes the whole
    assert list(raw) == ["format", "sources", "sets", "files"]
    assert list(raw["files"]) == sorted(str(f.path) for f in files() if "portal" not in str(f.path))
    sources = raw["sources"]
    assert sources == sorted(sources) and "search" in sources and "post.html" in sources
    page = raw["files"]["dinkes/berita/a/index.html"]
    assert {sources[i] for i in raw["sets"][page[2]]} == {"content/dinkes/berita/a.md", "post.html"}
    portal = json.loads(whole[1].data)
    assert list(portal["files"]) == ["portal/berita/\u00e9t\u00e9/index.html"]
    assert "search" not in portal["sources"]  # each file numbers only its own root's sources


def write(tmp_path: Path, made: list[OutputFile]) -> None:
    for f in made:
        (tmp_path / f.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f.path).write_bytes(f.data)


def test_the_next_build_reads_it_back(tmp_path: Path) -> None:
    made = state_files(files())
    write(tmp_path, made)
    reuse = PageReuse.load(tmp_path)
    assert reuse.roots() == ["dinkes", "portal"]
    assert reuse.previous["dinkes/index.html"] == ("k2", "d" * 64)
    assert reuse.state("dinkes").every["dinkes/berita/a/index.html"][2] == frozenset(
        {"content/dinkes/berita/a.md", "post.html"})
    assert "dinkes/pagefind/pagefind.js" not in reuse.previous  # unkeyed: carried, never judged by key
    assert reuse.state("dinkes").every["dinkes/pagefind/pagefind.js"][2] == frozenset({"search"})
    assert sorted(reuse.previous) == ["dinkes/berita/a/index.html", "dinkes/index.html",
                                      "portal/berita/\u00e9t\u00e9/index.html"]
    # carrying a web root over: its own files, not the server files its pages.json lists too
    assert sorted(str(f.path) for f in reuse.carry("dinkes")) == [
        "dinkes/berita/a/index.html", "dinkes/index.html", "dinkes/pagefind/pagefind.js"]
    # the same sources again: the sets are numbered as the previous file had them
    again = StateFile(reuse)
    again.add(files())
    assert [f.data for f in again.files()] == [f.data for f in made]


def test_a_web_root_is_read_only_when_asked_for(tmp_path: Path) -> None:
    write(tmp_path, state_files(files()))
    (tmp_path / state_path("portal")).write_text("not json")  # an unreadable one counts as empty
    reuse = PageReuse.load(tmp_path, roots=["dinkes"])
    assert reuse.previous.get("dinkes/index.html") == ("k2", "d" * 64)
    (tmp_path / state_path("dinkes")).unlink()  # read already: not read again
    assert "dinkes/berita/a/index.html" in reuse.previous
    assert reuse.previous.get("portal/berita/\u00e9t\u00e9/index.html") is None
    assert reuse.lookup(PurePosixPath("nowhere/index.html"), "k") is None  # no such web root
