from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from opdgen.build.writer import OutputConflict, recover, write_output
from opdgen.outputs.files import OutputFile


def f(path: str, data: bytes) -> OutputFile:
    return OutputFile(PurePosixPath(path), data)


def test_writes_and_replaces_whole_tree(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_output([f("a/index.html", b"1"), f("a/old.html", b"x")], out)
    stats = write_output([f("a/index.html", b"2")], out)
    assert (out / "a/index.html").read_bytes() == b"2"
    assert not (out / "a/old.html").exists()  # stale files go
    assert stats.written == 1 and stats.unchanged == 0
    assert not list(tmp_path.glob("output.opdgen-*"))


def test_unchanged_files_keep_their_inode_and_mtime(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_output([f("a/x.html", b"same"), f("a/y.html", b"old")], out)
    before = (out / "a/x.html").stat()
    stats = write_output([f("a/x.html", b"same"), f("a/y.html", b"new")], out)
    after = (out / "a/x.html").stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert stats.unchanged == 1 and stats.written == 1


def test_keep_carries_other_sites_over(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_output([f("a/index.html", b"a"), f("b/index.html", b"b")], out)
    write_output([f("a/index.html", b"a2")], out, keep=["b"])
    assert (out / "b/index.html").read_bytes() == b"b"
    assert (out / "a/index.html").read_bytes() == b"a2"


def test_two_files_at_one_path_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputConflict):
        write_output([f("a/x", b"1"), f("a/x", b"2")], tmp_path / "output")
    assert not (tmp_path / "output").exists()


def test_recover_after_interrupted_fallback_swap(tmp_path: Path) -> None:
    old = tmp_path / "output.opdgen-old"
    (old / "a").mkdir(parents=True)
    (old / "a/index.html").write_bytes(b"prev")
    recover(tmp_path / "output")
    assert (tmp_path / "output/a/index.html").read_bytes() == b"prev"
