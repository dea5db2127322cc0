"""One door to the file system: nothing from outside the repository, no server-side files, no hangs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from opdgen.build.pipeline import BuildOptions, render_all
from opdgen.cli import build_now
from tests.conftest import POST

B = "content/dinkes/berita/"


def problems_of(repo: Path) -> list[tuple[str, int | None, str]]:
    result = render_all(BuildOptions(root=repo, now=build_now()))
    return [(str(p.path), p.line, p.code) for p in result.problems.errors]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "rahasia.md").write_text(POST.replace("Pekan imunisasi", "RAHASIA-LUAR"))
    return secret


def test_symlinked_file_leaving_the_repository_is_refused(
    make_repo: Callable[..., Path], run_cli: Callable[..., Result], outside: Path
) -> None:
    repo = make_repo({B + "ok.md": POST})
    os.symlink(outside / "rahasia.md", repo / B / "bocor.md")
    assert (B + "bocor.md", None, "fs.outside_root") in problems_of(repo)
    assert run_cli("build", "--root", repo).exit_code == 1
    assert not (repo / "output").exists()


def test_symlinked_folder_leaving_the_repository_is_refused(
    make_repo: Callable[..., Path], outside: Path
) -> None:
    repo = make_repo({B + "ok.md": POST})
    os.symlink(outside, repo / B / "lain")
    assert (B + "lain", None, "fs.outside_root") in problems_of(repo)


def test_symlinked_site_folder_leaving_the_repository_is_refused(
    make_repo: Callable[..., Path], outside: Path
) -> None:
    repo = make_repo({B + "ok.md": POST})
    os.symlink(outside, repo / "content/luar")
    assert ("content/luar", None, "fs.outside_root") in problems_of(repo)


def test_symlink_loop_is_refused(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({B + "ok.md": POST})
    os.symlink(repo / B / "b.md", repo / B / "a.md")
    os.symlink(repo / B / "a.md", repo / B / "b.md")
    codes = {c for _, _, c in problems_of(repo)}
    assert "fs.symlink_loop" in codes


def test_symlink_inside_the_repository_is_followed(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({"content/dinkes/halaman/profil.md": "---\ntitle: Profil\n---\nIsi.\n"})
    os.symlink(repo / "content/dinkes/halaman/profil.md", repo / "content/dinkes/halaman/tentang.md")
    assert run_cli("build", "--root", repo).exit_code == 0
    assert (repo / "output/dinkes/tentang/index.html").is_file()


@pytest.mark.parametrize(
    "rel",
    [
        "content/dinkes/media/shell.php",
        "content/dinkes/media/foto.php.jpg",
        "content/dinkes/media/x.phtml",
        "content/dinkes/media/x.PHAR",
        "content/dinkes/media/deep/er/run.cgi",
        "content/dinkes/media/x.pl",
        "content/dinkes/media/x.py",
        "content/dinkes/media/x.sh",
        "content/dinkes/media/x.aspx",
        "content/dinkes/media/x.jsp",
        "content/dinkes/media/x.shtml",
        "content/dinkes/media/x.php5",
        "content/dinkes/.htaccess",
        "content/dinkes/media/.user.ini",
        "content/dinkes/berita/.tersembunyi.md",
        "content/shell.php",
        "themes/kab/static/x.php",
        "themes/kab/templates/.htaccess",
    ],
)
def test_server_side_and_hidden_files_are_refused_anywhere(make_repo: Callable[..., Path], rel: str) -> None:
    files: dict[str, str | bytes] = {B + "ok.md": POST, rel: "<?php echo 1; ?>"}
    if rel.startswith("themes/kab"):
        files["opdgen.yaml"] = make_repo().joinpath("opdgen.yaml").read_text() + "theme: kab\n"
    repo = make_repo(files)
    found = problems_of(repo)
    assert any(path == rel and code in ("fs.server_side", "fs.hidden") for path, _, code in found), found


def test_gitkeep_is_harmless(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({B + "ok.md": POST, "content/dinkes/pengumuman/.gitkeep": ""})
    assert problems_of(repo) == []


def test_post_over_2_mb_is_refused(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({B + "besar.md": POST + "kata " * 450_000})
    assert (B + "besar.md", None, "fs.too_large") in problems_of(repo)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("> " * 500 + "x\n", "markdown.nesting"),
        ("".join("    " * i + "- a\n" for i in range(400)), "markdown.indent"),
        ("[" * 100_000 + "]" * 100_000 + "\n", "markdown.brackets"),
        ("[a](b" * 50_000 + "\n", "markdown.brackets"),
    ],
    ids=["quotes", "lists", "brackets", "open-links"],
)
def test_pathological_markdown_is_refused_quickly(make_repo: Callable[..., Path], body: str, code: str) -> None:
    repo = make_repo({B + "aneh.md": POST.split("Pekan imunisasi")[0] + body})
    assert any(p == B + "aneh.md" and c == code and line is not None for p, line, c in problems_of(repo))


def test_slugs_and_tags_become_safe_paths(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    post = POST.replace("tags: [imunisasi, puskesmas]", 'tags: ["../../etc", "Kesehatan Ibu & Anak", "<script>"]')
    repo = make_repo({B + "2026-11-20-Berita..Aneh %2F Sekali.md": post})
    assert run_cli("build", "--root", repo).exit_code == 0
    out = repo / "output/dinkes"
    assert (out / "berita/berita-aneh-2f-sekali/index.html").is_file()
    assert (out / "tag/etc/index.html").is_file()
    assert (out / "tag/kesehatan-ibu-anak/index.html").is_file()
    assert (out / "tag/script/index.html").is_file()
    assert not list((repo / "output").rglob("*..*"))


def test_content_folder_linked_outside_the_repository_is_refused(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({B + "ok.md": POST})
    outside_content = tmp_path / "luar-content"
    (repo / "content").rename(outside_content)
    os.symlink(outside_content, repo / "content")
    found = problems_of(repo)
    assert ("content/dinkes", None, "fs.outside_root") in found, found
