"""opdgen.spawner: programs run from a small helper process, many at once, failures reported."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from opdgen.spawner import Spawner, SpawnerError


def test_runs_a_program_and_reports_how_it_ended() -> None:
    with Spawner() as spawner:
        done = spawner.run([sys.executable, "-c", "import os, sys; print('halo', os.getppid()); "
                            "print('ä', file=sys.stderr); sys.exit(3)"], timeout=60)
    assert done.returncode == 3
    word, parent = done.stdout.split()
    assert word == "halo" and int(parent) != os.getpid()  # started by the helper, not by this process
    assert done.stderr.strip() == "ä"


def test_many_runs_at_once(tmp_path: Path) -> None:
    # each run waits until all four have started: run one after another, they would all time out
    script = ("import pathlib, sys, time; d = pathlib.Path(sys.argv[1]); (d / sys.argv[2]).touch()\n"
              "end = time.monotonic() + 30\n"
              "while len(list(d.iterdir())) < 4 and time.monotonic() < end: time.sleep(0.01)\n"
              "sys.exit(0 if len(list(d.iterdir())) == 4 else 1)")
    results: list[int] = []
    with Spawner() as spawner:
        threads = [threading.Thread(target=lambda n=n: results.append(
            spawner.run([sys.executable, "-c", script, str(tmp_path), str(n)], timeout=60).returncode))
            for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results == [0, 0, 0, 0]


def test_a_program_that_cannot_start_or_overruns_is_an_error(tmp_path: Path) -> None:
    with Spawner() as spawner:
        with pytest.raises(SpawnerError, match="FileNotFoundError"):
            spawner.run([str(tmp_path / "no-such-program")], timeout=60)
        with pytest.raises(SpawnerError, match="TimeoutExpired"):
            spawner.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
        assert spawner.run([sys.executable, "-c", "pass"], timeout=60).returncode == 0  # still serving


def test_a_helper_that_died_fails_runs_instead_of_hanging() -> None:
    spawner = Spawner()
    spawner._process.kill()
    spawner._process.wait()
    spawner._reader.join(timeout=30)
    with pytest.raises(SpawnerError):
        spawner.run([sys.executable, "-c", "pass"], timeout=60)
    spawner.close()


def test_files_are_written_and_read_back_by_the_helper(tmp_path: Path) -> None:
    documents = {"b/x/index.html": b"<p>dua</p>", "a/index.html": b"<p>satu</p>", "a-b/c.html": b"",
                 "a/z/y/index.html": "é".encode()}
    order = sorted(documents)
    blob = tmp_path / "in.blob"
    blob.write_bytes(b"".join(documents[p] for p in order))
    files, offset = [], 0
    for p in order:
        files.append((p, offset, len(documents[p])))
        offset += len(documents[p])
    with Spawner() as spawner:
        spawner.unpack(blob, files, tmp_path / "pages")
        assert {str(p.relative_to(tmp_path / "pages")): p.read_bytes()
                for p in (tmp_path / "pages").rglob("*") if p.is_file()} == documents
        (tmp_path / "pages/skip-me.js").write_bytes(b"x")
        packed = spawner.pack(tmp_path / "pages", tmp_path / "out.blob", skip=("skip-",))
        with pytest.raises(SpawnerError):  # new files only: nothing is overwritten
            spawner.unpack(blob, files, tmp_path / "pages")
    data = (tmp_path / "out.blob").read_bytes()
    assert {rel: data[start:start + size] for rel, start, size in packed} == documents
    # in the order paths sort (by their parts: "a/..." before "a-b/..."), as the search bundle was read
    assert [rel for rel, _, _ in packed] == sorted(documents, key=lambda rel: Path(rel).parts)


def test_a_folder_packed_to_be_removed_is_gone_once_the_helper_ends(tmp_path: Path) -> None:
    (tmp_path / "bundle/fragment").mkdir(parents=True)
    (tmp_path / "bundle/fragment/a.pf_fragment").write_bytes(b"satu")
    (tmp_path / "bundle/pagefind-entry.json").write_bytes(b"{}")
    (tmp_path / "kept").mkdir()
    with Spawner() as spawner:
        packed = spawner.pack(tmp_path / "bundle", tmp_path / "bundle.blob", remove=True)
        kept = spawner.pack(tmp_path / "kept", tmp_path / "kept.blob")
    assert [rel for rel, _, _ in packed] == ["fragment/a.pf_fragment", "pagefind-entry.json"]
    assert (tmp_path / "bundle.blob").read_bytes() == b"satu{}"  # read before it was removed
    assert not (tmp_path / "bundle").exists() and (tmp_path / "kept").is_dir() and kept == []
