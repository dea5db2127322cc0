"""opdgen.build.walk and uptodate.OutputWalk: output/'s walk in the helper process gives what the
build's own walk gives, and a walk that cannot be had falls back to walking here."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from opdgen.build import uptodate, walk
from opdgen.build.uptodate import OutputWalk, judge

FIELDS = ("st_mode", "st_ino", "st_size", "st_mtime_ns", "st_ctime_ns")


def make_output(root: Path) -> Path:
    for rel, text in {"index.html": "<p>a</p>", "berita/x/index.html": "<p>b</p>",
                      "pagefind/fragment/a.pf_fragment": "c" * 300, "portal/feed.xml": ""}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def same(a: os.stat_result, b: os.stat_result) -> bool:
    return all(getattr(a, name) == getattr(b, name) for name in FIELDS)


def test_the_walk_read_back_is_the_walk_done_here(tmp_path: Path) -> None:
    out = make_output(tmp_path / "output")
    digest = walk.walk_into(str(out), str(tmp_path / "blob"))
    here = walk.output_files(str(out))
    assert here is not None and digest == walk.files_digest(here)
    back = walk.read_walk(str(tmp_path / "blob"), digest)
    assert back.keys() == here.keys() == {
        "index.html", "berita/x/index.html", "pagefind/fragment/a.pf_fragment", "portal/feed.xml"}
    assert all(same(back[rel], here[rel]) for rel in here)
    assert walk.files_digest(back) == digest
    # each row as the walk wrote it stands for the file's identity (the writer's unchanged files)
    rows = {rel: back.row(rel) for rel in back}
    assert all(isinstance(r, str) for r in rows.values()) and back.row("nothing.html") is None
    assert walk.files_digest({**rows, "index.html": here["index.html"]}) == digest


def test_a_link_or_no_folder_is_no_walk(tmp_path: Path) -> None:
    out = make_output(tmp_path / "output")
    (out / "berita" / "link.html").symlink_to(out / "index.html")
    assert walk.walk_into(str(out), str(tmp_path / "a")) == ""
    assert walk.walk_into(str(tmp_path / "missing"), str(tmp_path / "b")) == ""


def test_the_helper_walks_and_cleans_up(tmp_path: Path) -> None:
    out = make_output(tmp_path / "output")
    with OutputWalk(out) as walking:
        blob = walking._blob
        digest = walking.digest()
        here = walk.output_files(str(out))
        assert here is not None and digest == walk.files_digest(here)
        files = walking.files()
        assert files is not None and files.keys() == here.keys()
        assert all(same(files[rel], here[rel]) for rel in here)
    assert not blob.exists()  # the helper's file is gone with it


def stamp_for(out: Path, stamp_file: Path, inputs: str = "in") -> None:
    files = walk.output_files(str(out))
    assert files is not None
    now = datetime(2026, 11, 28, tzinfo=UTC)
    stamp_file.parent.mkdir(parents=True, exist_ok=True)
    stamp_file.write_text(uptodate.json.dumps({
        "format": uptodate.FORMAT, "inputs": inputs, "context": "c", "outputs": walk.files_digest(files),
        "built_at": now.isoformat(), "valid_until": (now + timedelta(days=1)).isoformat(),
        "sites": 1, "pages": 2, "files": len(files), "roots": {}, "released": ""}))


@pytest.mark.parametrize("tamper", [False, True])
def test_judged_alike_with_and_without_the_helper(tmp_path: Path, tamper: bool) -> None:
    out = make_output(tmp_path / "output")
    stamp_file = tmp_path / "stamps" / "s.json"
    stamp_for(out, stamp_file)
    if tamper:
        (out / "berita" / "x" / "index.html").write_text("<p>judi</p>")
    options: Any = SimpleNamespace(now=datetime(2026, 11, 28, 12, tzinfo=UTC))
    inputs = uptodate.Inputs("c", {})
    here = judge(options, out, stamp_file, inputs)
    with OutputWalk(out) as walking:
        apart = judge(options, out, stamp_file, inputs, walking)
    assert (apart.intact, apart.fresh, apart.previous) == (here.intact, here.fresh, here.previous)
    assert apart.intact is not tamper
    if not tamper:
        assert apart.files is not None and here.files is not None
        assert apart.files.keys() == here.files.keys()
        assert all(same(apart.files[rel], here.files[rel]) for rel in here.files)


def test_without_a_helper_the_build_walks_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = make_output(tmp_path / "output")
    stamp_file = tmp_path / "stamps" / "s.json"
    stamp_for(out, stamp_file)

    def no_helper(*_: object) -> None:
        raise OSError("no python")

    monkeypatch.setattr(uptodate, "Spawner", no_helper)
    options: Any = SimpleNamespace(now=datetime(2026, 11, 28, 12, tzinfo=UTC))
    with OutputWalk(out) as walking:
        assert walking.digest() is None
        verdict = judge(options, out, stamp_file, uptodate.Inputs("c", {}), walking)
    assert verdict.intact and verdict.files is not None and "berita/x/index.html" in verdict.files


def test_an_unreadable_walk_counts_as_altered(tmp_path: Path) -> None:
    out = make_output(tmp_path / "output")
    stamp_file = tmp_path / "stamps" / "s.json"
    stamp_for(out, stamp_file)
    options: Any = SimpleNamespace(now=datetime(2026, 11, 28, 12, tzinfo=UTC))
    with OutputWalk(out) as walking:
        assert walking.digest()
        rows = walking._blob.read_bytes()
        walking._blob.write_bytes(rows[:len(rows) // 2])  # cut short
        verdict = judge(options, out, stamp_file, uptodate.Inputs("c", {}), walking)
    assert not verdict.intact and verdict.files is None  # pages are then checked by their bytes


def test_a_path_with_a_line_break_is_not_misread(tmp_path: Path) -> None:
    out = make_output(tmp_path / "output")
    (out / "a\nb.html").write_text("x")
    digest = walk.walk_into(str(out), str(tmp_path / "blob"))
    with pytest.raises(ValueError):
        walk.read_walk(str(tmp_path / "blob"), digest)


def test_a_name_that_is_not_utf8_is_walked_alike(tmp_path: Path) -> None:
    out = make_output(tmp_path / "output")
    (out / os.fsdecode(b"judi-\xff.html")).write_text("x")  # planted in output/ by hand
    digest = walk.walk_into(str(out), str(tmp_path / "blob"))
    here = walk.output_files(str(out))
    assert here is not None and digest == walk.files_digest(here)
    assert walk.read_walk(str(tmp_path / "blob"), digest).keys() == here.keys()


def test_only_a_big_output_is_walked_apart(tmp_path: Path) -> None:
    out = make_output(tmp_path / "output")
    stamp_file = tmp_path / "stamps" / "s.json"
    stamp_for(out, stamp_file)
    stamp = uptodate.read_stamp(stamp_file)
    assert stamp is not None and not OutputWalk.wanted(stamp)  # 4 files
    assert OutputWalk.wanted(dataclasses.replace(stamp, files=uptodate.WALK_APART + 1))


def test_the_inputs_digest_is_made_once_from_the_context_and_the_files_in_path_order() -> None:
    inputs = uptodate.Inputs("c", {"b.md": "2", "a.md": "1"})
    assert inputs.digest == hashlib.sha256(b"ca.md\x001\nb.md\x002\n").hexdigest()
    assert inputs == uptodate.Inputs("c", {"a.md": "1", "b.md": "2"})
    assert uptodate.Inputs("c", {}, "known").digest == "known"  # (given: not made again)
