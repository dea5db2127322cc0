"""opdgen.outputs.files.StateFile: pages.json made as files come, in any order and any batches, is
the compact JSON of the whole, and the next build's PageReuse reads back what it says."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from opdgen.outputs.files import STATE_FILE, OutputFile, PageReuse, StateFile, state_file


def files() -> list[OutputFile]:
    post = frozenset({"content/dinkes/berita/a.md", "post.html"})
    return [
        OutputFile(PurePosixPath("dinkes/berita/a/index.html"), b"<p>a</p>", post, True, key="k1"),
        OutputFile(PurePosixPath("dinkes/index.html"), b"", frozenset({"content/dinkes/berita/a.md",
                                                                      "home.html"}),
                   True, key="k2", digest="d" * 64, reused=True),
        OutputFile(PurePosixPath("dinkes/pagefind/pagefind.js"), b"js", frozenset({"search"})),
        OutputFile(PurePosixPath("portal/berita/\u00e9t\u00e9/index.html"), b"<p>e</p>", post, True, key="k3"),
        OutputFile(PurePosixPath("dinkes/_headers"), b"h", frozenset({"serving:dinkes"})),
    ]


def test_in_any_order_and_batches_the_same_compact_json(tmp_path: Path) -> None:
    whole = state_file(files())
    state = StateFile()
    batch = files()
    state.add(batch[3:])
    state.add([])
    state.add(batch[:3])
    assert state.file().data == whole.data and whole.path == STATE_FILE
    text = whole.data.decode("utf-8")
    raw = json.loads(text)
    assert text == json.dumps(raw, separators=(",", ":")) + "\n"  # as json.dumps writes the whole
    assert list(raw) == ["format", "sources", "sets", "files"]
    assert list(raw["files"]) == sorted(str(f.path) for f in files())
    sources = raw["sources"]
    assert sources == sorted(sources) and "search" in sources
    page = raw["files"]["dinkes/berita/a/index.html"]
    assert {sources[i] for i in raw["sets"][page[2]]} == {"content/dinkes/berita/a.md", "post.html"}


def test_the_next_build_reads_it_back(tmp_path: Path) -> None:
    made = state_file(files())
    (tmp_path / STATE_FILE).parent.mkdir(parents=True)
    (tmp_path / STATE_FILE).write_bytes(made.data)
    reuse = PageReuse.load(tmp_path)
    assert reuse.previous["dinkes/index.html"] == ("k2", "d" * 64)
    assert reuse.deps["dinkes/berita/a/index.html"] == frozenset({"content/dinkes/berita/a.md", "post.html"})
    assert "dinkes/pagefind/pagefind.js" not in reuse.previous  # unkeyed: carried, never judged by key
    assert reuse.every["dinkes"]["dinkes/pagefind/pagefind.js"][2] == frozenset({"search"})
    # the same sources again: the sets are numbered as the previous file had them
    again = StateFile(reuse)
    again.add(files())
    assert again.file().data == made.data
