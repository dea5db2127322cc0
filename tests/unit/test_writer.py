from __future__ import annotations

import hashlib
import os
import shutil
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
    assert [p.name for p in tmp_path.glob("output.opdgen-*")] == ["output.opdgen-new"]  # the spare


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


def test_the_spare_converges_whatever_state_it_is_in(tmp_path: Path) -> None:
    out = tmp_path / "output"
    spare = tmp_path / "output.opdgen-new"
    write_output([f("a/index.html", b"1"), f("a/x/index.html", b"x"), f("b.txt", b"b")], out)
    write_output([f("a/index.html", b"2"), f("a/x/index.html", b"x"), f("b.txt", b"b")], out)
    # a killed build may leave anything in the spare: junk, a changed shared file, a folder for a file
    (spare / "junk").mkdir()
    (spare / "junk/z.php").write_bytes(b"<?php")
    (spare / "b.txt").unlink(missing_ok=True)
    (spare / "b.txt").mkdir()
    (spare / "a/x").mkdir(parents=True, exist_ok=True)
    (spare / "a/x/index.html").unlink(missing_ok=True)
    (spare / "a/x/index.html").write_bytes(b"stale")
    write_output([f("a/index.html", b"3"), f("a/x/index.html", b"x"), f("b.txt", b"b2")], out)
    assert tree(out) == {"a/index.html": b"3", "a/x/index.html": b"x", "b.txt": b"b2"}
    assert not (spare / "junk").exists()
    write_output([f("a/index.html", b"3"), f("a/x/index.html", b"x"), f("b.txt", b"b")], out)
    assert tree(out) == {"a/index.html": b"3", "a/x/index.html": b"x", "b.txt": b"b"}
    # writing a changed file never alters the inode the current output shares with the spare
    before = (out / "a/x/index.html").read_bytes()
    write_output([f("a/index.html", b"3"), f("a/x/index.html", b"y"), f("b.txt", b"b")], out)
    assert (spare / "a/x/index.html").read_bytes() == before
    assert tree(out) == {"a/index.html": b"3", "a/x/index.html": b"y", "b.txt": b"b"}
    write_output([f("b.txt", b"b")], out)
    assert tree(out) == {"b.txt": b"b"} and not (out / "a").exists()


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_file_with_a_source_is_linked_from_it_else_written(tmp_path: Path) -> None:
    kept = tmp_path / "cache" / "og.jpg"
    kept.parent.mkdir()
    kept.write_bytes(b"jpeg")
    digest = hashlib.sha256(b"jpeg").hexdigest()
    linked = OutputFile(PurePosixPath("a/media/og.jpg"), b"", digest=digest, load=lambda: b"jpeg",
                        source=lambda: kept)
    copied = OutputFile(PurePosixPath("a/media/og2.jpg"), b"", digest=digest, load=lambda: b"jpeg",
                        source=lambda: None)  # no usable file: the bytes are written
    out = tmp_path / "out"
    stats = write_output([linked, copied], out)
    assert stats.written == 2
    assert (out / "a/media/og.jpg").stat().st_ino == kept.stat().st_ino
    assert (out / "a/media/og2.jpg").read_bytes() == b"jpeg"
    assert (out / "a/media/og2.jpg").stat().st_ino != kept.stat().st_ino
    again = write_output([linked, copied], out)  # the same bytes already published: nothing written
    assert again.written == 0 and again.unchanged == 2
    before = os.stat(kept)
    write_output([linked], tmp_path / "other")  # another output: the linked file is copied, not linked
    assert (tmp_path / "other/a/media/og.jpg").stat().st_ino != kept.stat().st_ino
    assert os.stat(kept).st_ctime_ns == before.st_ctime_ns  # the first output's file is untouched


def test_with_the_output_deleted_the_spare_files_are_rewritten_in_place(tmp_path: Path) -> None:
    out = tmp_path / "output"
    spare = tmp_path / "output.opdgen-new"
    write_output([f("a/index.html", b"1"), f("a/x/index.html", b"x")], out)
    write_output([f("a/index.html", b"22"), f("a/x/index.html", b"x")], out)  # spare: the first tree
    elsewhere = tmp_path / "cache.html"
    os.link(spare / "a/x/index.html", elsewhere)  # a file another tree shares (as a cached preview)
    shutil.rmtree(out)  # as `rm -rf output` (or the bench's cold run) leaves it
    with (spare / "a/index.html").open("rb") as own, (spare / "a/x/index.html").open("rb") as shared:
        write_output([f("a/index.html", b"333"), f("a/x/index.html", b"y"), f("a/new/index.html", b"n")],
                     out)
        assert own.read() == b"333"  # the same file, rewritten: no new inode
        assert shared.read() == b"x"  # shared with another tree: a new file, the old one untouched
    assert tree(out) == {"a/index.html": b"333", "a/x/index.html": b"y", "a/new/index.html": b"n"}
    assert elsewhere.read_bytes() == b"x"
    write_output([f("a/index.html", b"4")], out)  # a smaller file after a bigger one: no old tail
    assert tree(out) == {"a/index.html": b"4"}


def test_with_an_output_a_changed_file_is_a_new_file_in_the_spare(tmp_path: Path) -> None:
    out = tmp_path / "output"
    spare = tmp_path / "output.opdgen-new"
    write_output([f("a/index.html", b"1")], out)
    write_output([f("a/index.html", b"2")], out)
    with (spare / "a/index.html").open("rb") as reader:  # only the spare has it now: a reader of the
        write_output([f("a/index.html", b"3")], out)  # previous output may still be sending it
        assert reader.read() == b"1"
    assert tree(out) == {"a/index.html": b"3"}


def test_with_the_output_deleted_a_cached_file_is_copied_into_the_spares_own(tmp_path: Path) -> None:
    out = tmp_path / "output"
    spare = tmp_path / "output.opdgen-new"
    kept = tmp_path / "cache" / "og.jpg"
    kept.parent.mkdir()
    kept.write_bytes(b"jpeg")
    preview = OutputFile(PurePosixPath("a/og.jpg"), b"", digest=hashlib.sha256(b"jpeg").hexdigest(),
                         load=kept.read_bytes, source=lambda: kept)
    write_output([f("a/og.jpg", b"old")], out)
    write_output([f("a/og.jpg", b"older")], out)  # the spare's a/og.jpg is its own file now
    shutil.rmtree(out)
    with (spare / "a/og.jpg").open("rb") as own:
        write_output([preview], out)
        assert own.read() == b"jpeg"  # rewritten, not removed and linked
    assert os.stat(kept).st_nlink == 1 and (out / "a/og.jpg").read_bytes() == b"jpeg"


def test_only_the_web_roots_that_differ_are_swapped(tmp_path: Path) -> None:
    out = tmp_path / "output"
    spare = tmp_path / "output.opdgen-new"
    files = {"a/index.html": b"a", "b/index.html": b"b", "b/x/index.html": b"bx", "c/index.html": b"c"}
    write_output([f(k, v) for k, v in files.items()], out)
    b_folder = (out / "b").stat().st_ino
    stats = write_output([f(k, b"a2" if k.startswith("a/") else v) for k, v in files.items()], out)
    assert stats.written == 1 and stats.unchanged == 3
    assert (out / "b").stat().st_ino == b_folder  # left as it was: not even linked again
    assert not (spare / "b").exists() and (spare / "a/index.html").read_bytes() == b"a"
    # no file written, but one gone: the root is swapped all the same
    write_output([f(k, v) for k, v in files.items() if k not in ("a/index.html", "b/x/index.html")]
                 + [f("a/index.html", b"a2")], out)
    assert tree(out) == {"a/index.html": b"a2", "b/index.html": b"b", "c/index.html": b"c"}
    # a web root no longer built leaves output/ and the spare
    write_output([f("a/index.html", b"a2"), f("b/index.html", b"b")], out)
    assert tree(out) == {"a/index.html": b"a2", "b/index.html": b"b"}
    assert not (out / "c").exists() and not (spare / "c").exists()


def test_kept_folders_inside_a_swapped_root_come_along(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_output([f("a/index.html", b"a"), f(".opdgen/a/m.json", b"1"), f(".opdgen/b/m.json", b"2"),
                  f("b/index.html", b"b")], out)
    write_output([f("a/index.html", b"a2"), f(".opdgen/a/m.json", b"1b")], out, keep=["b", ".opdgen/b"])
    assert tree(out) == {"a/index.html": b"a2", ".opdgen/a/m.json": b"1b", ".opdgen/b/m.json": b"2",
                         "b/index.html": b"b"}


def test_without_an_exchange_a_crash_between_renames_is_recovered(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from opdgen.build import writer

    out = tmp_path / "output"
    write_output([f("a/index.html", b"1"), f("b/index.html", b"b")], out)
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)  # a kernel without renameat2
    write_output([f("a/index.html", b"2"), f("b/index.html", b"b")], out)
    assert tree(out) == {"a/index.html": b"2", "b/index.html": b"b"}
    # killed after moving the live root aside, before the new one came in
    old = tmp_path / "output.opdgen-old"
    old.mkdir()
    os.rename(out / "a", old / "a")
    write_output([f("a/index.html", b"3"), f("b/index.html", b"b")], out)  # recovers first
    assert tree(out) == {"a/index.html": b"3", "b/index.html": b"b"} and not old.exists()
    recover(out)  # nothing to do
    assert tree(out) == {"a/index.html": b"3", "b/index.html": b"b"}


def test_new_folders_are_made_from_the_nearest_known_one(tmp_path: Path) -> None:
    out = tmp_path / "output"
    spare = tmp_path / "output.opdgen-new"
    kept = tmp_path / "cache.jpg"
    kept.write_bytes(b"jpeg")
    digest = hashlib.sha256(b"jpeg").hexdigest()
    write_output([f("a/index.html", b"1")], out)
    write_output([f("a/index.html", b"2")], out)
    (spare / "a/x").unlink(missing_ok=True)
    (spare / "a/x").write_bytes(b"a file where a folder is wanted")
    linked = OutputFile(PurePosixPath("a/new/media/og.jpg"), b"", digest=digest, load=lambda: b"jpeg",
                        source=lambda: kept)
    files = [f("a/index.html", b"3"), f("a/x/index.html", b"x"), f("a/new/deep/er/index.html", b"d"), linked]
    write_output(files, out)
    assert tree(out) == {"a/index.html": b"3", "a/x/index.html": b"x", "a/new/deep/er/index.html": b"d",
                         "a/new/media/og.jpg": b"jpeg"}
    assert (out / "a/new/media/og.jpg").stat().st_ino == kept.stat().st_ino


def test_recorded_digests_stand_for_the_current_files(tmp_path: Path) -> None:
    """With the digests the last build recorded (output/ as it left them), a made file is compared
    with those, not read back; a file recorded but gone from output/ is still written."""
    from opdgen.build.writer import Writer

    out = tmp_path / "output"
    write_output([f("a/same.html", b"same"), f("a/new.html", b"old"), f("a/gone.html", b"g")], out)
    (out / "a/gone.html").unlink()
    before = (out / "a/same.html").stat()
    digests = {rel: hashlib.sha256(data).hexdigest() for rel, data in
               (("a/same.html", b"same"), ("a/new.html", b"old"), ("a/gone.html", b"g"))}
    asked: list[str] = []

    def recorded(rel: str) -> str | None:
        asked.append(rel)
        return digests.get(rel)

    writer = Writer(out, recorded=recorded)
    for made in (f("a/same.html", b"same"), f("a/new.html", b"new"), f("a/gone.html", b"g")):
        writer.put(made)
    stats = writer.finish()
    assert sorted(asked) == ["a/gone.html", "a/new.html", "a/same.html"]
    assert (stats.written, stats.unchanged) == (2, 1)
    after = (out / "a/same.html").stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert (out / "a/new.html").read_bytes() == b"new" and (out / "a/gone.html").read_bytes() == b"g"


def test_held_links_leave_the_current_output_alone_until_released(tmp_path: Path) -> None:
    """A build that goes ahead while output/'s walk still runs (its verdict comes later) must not
    change a current file's identity: a new hard link changes its ctime and link count, which the
    walk reads. Its links to current files wait for release_links; the result is the same."""
    from opdgen.build.writer import Writer

    out = tmp_path / "output"
    write_output([f("a/same.html", b"same"), f("a/old.html", b"old")], out)
    shutil.rmtree(tmp_path / "output.opdgen-new")  # an empty spare (after a first build): all to link
    before = os.lstat(out / "a/same.html")
    writer = Writer(out, hold_links=True)
    writer.put(f("a/same.html", b"same"))
    writer.put(f("a/old.html", b"new"))
    held = os.lstat(out / "a/same.html")
    assert (held.st_nlink, held.st_ctime_ns) == (before.st_nlink, before.st_ctime_ns)
    assert writer.held == ["a/same.html"]
    writer.release_links()
    assert os.lstat(out / "a/same.html").st_nlink == before.st_nlink + 1  # linked into the spare now
    stats = writer.finish()
    assert (stats.written, stats.unchanged) == (1, 1)
    assert (out / "a/same.html").read_bytes() == b"same" and (out / "a/old.html").read_bytes() == b"new"
    assert os.lstat(out / "a/same.html").st_ino == before.st_ino
