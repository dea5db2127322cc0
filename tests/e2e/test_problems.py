"""Broken input: every kind gives exit 1 and `path:line: message` in both languages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from opdgen.build.pipeline import BuildOptions, render_all
from opdgen.cli import build_now
from opdgen.messages import CATALOGS
from tests.conftest import POST, REGION_YAML, SITE_YAML, tree_bytes

B = "content/dinkes/berita/"


def post(front: str, body: str = "Isi.\n") -> str:
    return f"---\n{front}---\n{body}"


# (id, files, path of the problem, line or None, code)
CASES: list[tuple[str, dict[str, str | bytes], str, int | None, str]] = [
    ("yaml-syntax", {B + "a.md": post("title: [Rusak\ndate: 2026-11-20\n")}, B + "a.md", 3, "yaml.syntax"),
    ("date-format", {B + "a.md": post("title: A\ndate: kemarin\n")}, B + "a.md", 3, "frontmatter.date.format"),
    ("date-impossible", {B + "a.md": post("title: A\ndate: 2026-02-30\n")}, B + "a.md", 3, "frontmatter.date.invalid"),
    ("title-missing", {B + "a.md": post("date: 2026-11-20\n")}, B + "a.md", 1, "schema.missing"),
    ("title-empty", {B + "a.md": post("title:\ndate: 2026-11-20\n")}, B + "a.md", 2, "schema.empty"),
    ("unknown-key-near", {B + "a.md": post("tittle: A\ntitle: A\ndate: 2026-11-20\n")}, B + "a.md", 2, "schema.unknown_key_near"),
    ("unknown-key", {B + "a.md": post("title: A\ndate: 2026-11-20\nfoo: 1\n")}, B + "a.md", 4, "schema.unknown_key"),
    ("duplicate-key", {B + "a.md": post("title: A\ntitle: B\ndate: 2026-11-20\n")}, B + "a.md", 3, "schema.duplicate_key"),
    ("draft-not-bool", {B + "a.md": post("title: A\ndate: 2026-11-20\ndraft: mungkin\n")}, B + "a.md", 4, "schema.type.bool"),
    ("duplicate-slug", {B + "2026-11-01-rapat.md": POST, B + "2026-11-02-rapat.md": POST}, B + "2026-11-02-rapat.md", None, "content.slug.duplicate"),
    ("not-utf8", {B + "a.md": "---\ntitle: Caf\u00e9\n---\n".encode("latin-1")}, B + "a.md", 2, "fs.encoding"),
    ("no-front-matter", {B + "a.md": "Hanya isi.\n"}, B + "a.md", 1, "frontmatter.missing"),
    ("unclosed-front-matter", {B + "a.md": "---\ntitle: A\ndate: 2026-11-20\nIsi\n"}, B + "a.md", 1, "frontmatter.unclosed"),
    ("yaml-python-tag", {B + "a.md": post("title: !!python/object/apply:os.system [ls]\ndate: 2026-11-20\n")}, B + "a.md", 2, "yaml.tag"),
    ("yaml-alias", {B + "a.md": post("title: &t A\nsummary: *t\ndate: 2026-11-20\n")}, B + "a.md", 2, "yaml.anchor"),
    ("server-side-file", {B + "shell.php": "<?php system($_GET['c']);"}, B + "shell.php", None, "fs.server_side"),
    ("double-extension", {B + "foto.php.jpg": b"\xff\xd8"}, B + "foto.php.jpg", None, "fs.server_side"),
    ("site-key-near", {"content/dinkes/site.yaml": SITE_YAML + "color: \"#123456\"\n"}, "content/dinkes/site.yaml", 6, "schema.unknown_key_near"),
    ("site-bad-url", {"content/dinkes/site.yaml": SITE_YAML.replace("https://dinkes.ujikab.go.id/", "dinkes ujikab")}, "content/dinkes/site.yaml", 3, "schema.url"),
    ("site-light-colour", {"content/dinkes/site.yaml": SITE_YAML.replace("#0e7c66", "#ffee88")}, "content/dinkes/site.yaml", 5, "schema.colour_contrast"),
    ("site-whatsapp-local", {"content/dinkes/site.yaml": SITE_YAML + "whatsapp: \"081234567890\"\n"}, "content/dinkes/site.yaml", 6, "schema.whatsapp"),
    ("site-missing-name", {"content/dinkes/site.yaml": SITE_YAML.replace("name: Dinas Kesehatan Kabupaten Uji\n", "")}, "content/dinkes/site.yaml", 1, "schema.missing"),
    ("site-yaml-missing", {"content/dinkes/site.yaml": "", "content/dpupr/berita/" "a.md": POST}, "content/dpupr/site.yaml", None, "site.missing"),
    ("region-timezone", {"opdgen.yaml": REGION_YAML + "timezone: Asia/Bandung\n"}, "opdgen.yaml", 9, "config.timezone"),
    ("region-missing-portal", {"opdgen.yaml": "region:\n  name: X\nsecurity:\n  contact: mailto:a@b.go.id\n"}, "opdgen.yaml", 1, "schema.missing"),
    ("menu-broken", {"content/dinkes/site.yaml": SITE_YAML + "menu:\n  - label: Profil\n    url: /profil/\n"}, "content/dinkes/site.yaml", 7, "menu.broken_link"),
    ("site-folder-name", {"content/Dinas_PU/site.yaml": SITE_YAML}, "content/Dinas_PU", None, "site.slug"),
    ("reserved-halaman", {"content/dinkes/halaman/berita.md": post("title: Berita\n")}, "content/dinkes/halaman/berita.md", None, "content.slug.reserved"),
]


@pytest.mark.parametrize(("files", "path", "line", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_input_is_reported_with_file_and_line(
    make_repo: Callable[..., Path], run_cli: Callable[..., Result],
    files: dict[str, str | bytes], path: str, line: int | None, code: str,
) -> None:
    files = {B + "ok.md": POST, **files}
    if files.get("content/dinkes/site.yaml") == "":
        files["content/dinkes/site.yaml"] = SITE_YAML
    repo = make_repo(files)
    result = render_all(BuildOptions(root=repo, now=build_now()))
    found = [(str(p.path), p.line, p.code) for p in result.problems.errors]
    assert (path, line, code) in found, found
    where = f"{path}:{line}: " if line else f"{path}: "
    for lang in ("id", "en"):
        out = run_cli("build", "--root", repo, "--lang", lang)
        assert out.exit_code == 1
        assert where in out.output
        message = CATALOGS[lang][code][0].split("{")[0].strip()
        assert message in out.output
    assert not (repo / "output").exists()


def test_failed_build_keeps_previous_output(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({B + "ok.md": POST})
    assert run_cli("build", "--root", repo).exit_code == 0
    before = tree_bytes(repo / "output")
    (repo / B / "rusak.md").write_text("---\ntitle: Rusak\ndate: kemarin\n---\n")
    result = run_cli("build", "--root", repo)
    assert result.exit_code == 1 and f"{B}rusak.md:3:" in result.output
    assert tree_bytes(repo / "output") == before


def test_all_problems_are_listed_in_one_run(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({
        B + "a.md": post("title: A\ndate: kemarin\n"),
        B + "b.md": post("date: 2026-11-20\n"),
        "content/dinkes/pengumuman/c.md": "tanpa front matter\n",
    })
    result = run_cli("check", "--root", repo)
    assert result.exit_code == 1
    for where in (f"{B}a.md:3:", f"{B}b.md:1:", "content/dinkes/pengumuman/c.md:1:"):
        assert where in result.output


def test_usage_error_exits_2(run_cli: Callable[..., Result]) -> None:
    assert run_cli("build", "--no-such-option").exit_code == 2


def test_english_from_environment(make_repo: Callable[..., Path], run_cli: Callable[..., Result],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo({B + "a.md": post("title: A\ndate: kemarin\n")})
    monkeypatch.setenv("OPDGEN_LANG", "en")
    result = run_cli("check", "--root", repo)
    assert "is not recognised" in result.output
