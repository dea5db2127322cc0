"""opdgen.launch: the `opdgen` command starts output/'s walk before it imports the rest of opdgen,
only for a whole build whose last output was big; the build takes that walk over (its verdict is
the one a walk started by the build gives), and ends a walk it does not want without leaving its
helper process or its file behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from opdgen import launch
from opdgen.build import uptodate
from tests.conftest import POST, tree_bytes

B = "content/dinkes/berita/"


@pytest.mark.parametrize(("args", "expected"), [
    (["build"], (".", "output")),
    (["build", "--quiet", "--root", "r"], ("r", "r/output")),
    (["build", "--root=r", "--output", "o", "-q", "--strict", "--lang", "en", "--jobs", "2"], ("r", "o")),
    (["build", "--drafts", "--prune-cache", "--output=/x/out"], (".", "/x/out")),
    (["build", "--site", "dinkes"], None),  # some sites: not the whole output's stamp
    (["build", "--no-portal"], None),
    (["build", "--help"], None),
    (["build", "--root"], None),  # (click says what is missing)
    (["build", "--quiet=yes"], None),
    (["build", "-j4"], None),  # (click reads it; this leaves the walk to the build)
    (["serve"], None),
    ([], None),
])
def test_which_arguments_start_the_walk(args: list[str], expected: tuple[str, str] | None) -> None:
    found = launch.build_output(args)
    assert (None if found is None else (str(found[0]), str(found[1]))) == expected


@pytest.fixture
def built(make_repo: Callable[..., Path], run_cli: Callable[..., Result],
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository built once, each output walked apart whatever its size; no walk left over."""
    monkeypatch.setattr(launch, "WALK_APART", 0)
    monkeypatch.setattr(uptodate, "WALK_APART", 0)
    repo = make_repo({B + "2026-11-20-imunisasi.md": POST})
    assert run_cli("build", "--root", repo, "--quiet").exit_code == 0
    yield repo
    launch._abandon_all()


def _edit(repo: Path) -> None:
    post = repo / B / "2026-11-20-imunisasi.md"
    post.write_text(post.read_text().replace("dimulai di seluruh", "dimulai serentak di seluruh"))


def test_the_build_takes_the_walk_begun_for_its_output(
        built: Path, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _edit(built)
    launch.begin(["build", "--root", str(built), "--quiet"])
    assert len(launch._BEGUN) == 1
    begun = launch._BEGUN[0]
    taken: list[launch.Begun | None] = []
    made = uptodate.OutputWalk.__init__

    def spied(self: uptodate.OutputWalk, output: Path, begun: launch.Begun | None = None) -> None:
        taken.append(begun)
        made(self, output, begun)

    monkeypatch.setattr(uptodate.OutputWalk, "__init__", spied)
    result = run_cli("build", "--root", built, "--quiet")
    assert result.exit_code == 0, result.output
    assert taken == [begun] and launch._BEGUN == []
    assert begun.spawner._process.poll() is not None and not begun.blob.exists()  # ended, tidied
    assert "serentak" in (built / "output/dinkes/berita/imunisasi/index.html").read_text()
    assert run_cli("build", "--root", built, "--output", tmp_path / "clean", "--quiet").exit_code == 0
    assert tree_bytes(built / "output") == tree_bytes(tmp_path / "clean")


def test_nothing_changed_the_begun_walk_judges_it(built: Path, run_cli: Callable[..., Result]) -> None:
    launch.begin(["build", "--root", str(built)])
    begun = launch._BEGUN[0]
    result = run_cli("build", "--root", built)
    assert result.exit_code == 0 and "tidak ada yang berubah" in result.output.lower(), result.output
    assert launch._BEGUN == [] and begun.answer.done() and "digest" in begun.answer.result()


def test_a_walk_the_build_does_not_want_is_ended(built: Path, run_cli: Callable[..., Result],
                                                 tmp_path: Path) -> None:
    _edit(built)
    launch.begin(["build", "--root", str(built), "--output", str(tmp_path / "elsewhere")])
    assert launch._BEGUN == []  # no stamp for that output: nothing begun
    launch.begin(["build", "--root", str(built)])
    begun = launch._BEGUN[0]
    result = run_cli("build", "--root", built, "--output", tmp_path / "other", "--quiet")  # another output
    assert result.exit_code == 0, result.output
    assert launch._BEGUN == []
    assert begun.spawner._process.poll() is not None and not begun.blob.exists()


def test_a_small_output_begins_no_walk(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launch, "WALK_APART", 10_000)
    launch.begin(["build", "--root", str(built)])
    assert launch._BEGUN == []
