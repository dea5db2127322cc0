"""init, new, check and build as an admin and the IT office use them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from click.testing import Result

from tests.conftest import POST

B = "content/dinkes/berita/"


def test_init_gives_a_repository_that_builds(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    target = tmp_path / "kab"
    result = run_cli("init", target)
    assert result.exit_code == 0, result.output
    workflow = yaml.safe_load((target / ".github/workflows/opdgen.yml").read_text())
    assert "schedule" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "/output/" in (target / ".gitignore").read_text()
    assert run_cli("build", "--root", target).exit_code == 0
    assert (target / "output/contoh/index.html").is_file()
    assert (target / "output/portal/index.html").is_file()
    again = run_cli("init", target)
    assert again.exit_code == 1


def test_new_post_is_valid_and_published(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo()
    result = run_cli("new", "berita", "--site", "dinkes", "--root", repo, "Rapat: Persiapan \"Hari Jadi\" ke-80")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[0])
    assert path.name == "2026-11-28-rapat-persiapan-hari-jadi-ke-80.md"
    assert run_cli("check", "--root", repo).exit_code == 0
    assert run_cli("build", "--root", repo).exit_code == 0
    page = (repo / "output/dinkes/berita/rapat-persiapan-hari-jadi-ke-80/index.html").read_text()
    assert "Rapat: Persiapan &#34;Hari Jadi&#34; ke-80" in page or "Rapat: Persiapan &quot;Hari Jadi&quot; ke-80" in page
    assert run_cli("new", "berita", "--site", "dinkes", "--root", repo, "Rapat: Persiapan \"Hari Jadi\" ke-80").exit_code == 1
    assert run_cli("new", "halaman", "--site", "dinkes", "--root", repo, "Visi dan Misi").exit_code == 0
    assert (repo / "content/dinkes/halaman/visi-dan-misi.md").is_file()
    missing = run_cli("new", "berita", "--site", "dinas-x", "--root", repo, "Judul")
    assert missing.exit_code == 1 and "dinkes" in missing.output


def test_content_is_never_a_template_and_html_is_sanitized(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    body = "Hasil {{ 7*7 }} dan {% raw %}.\n\n<script>alert(1)</script><img src=x.png alt=x onerror=alert(1)>\n"
    repo = make_repo({B + "2026-11-20-uji.md": POST.replace("Pekan imunisasi dimulai di seluruh puskesmas.", body),
                      "content/dinkes/media/x.png": tiny_png(),  # every image is processed: it must exist
                      B + "2026-11-21-judul.md": POST.replace("title: Pekan Imunisasi Dimulai", "title: \"{{ config }} <b>x</b>\"")})
    assert run_cli("build", "--root", repo).exit_code == 0
    page = (repo / "output/dinkes/berita/uji/index.html").read_text()
    assert "{{ 7*7 }}" in page and "49" not in page.split("{{ 7*7 }}")[0][-5:]
    assert "<script>alert" not in page and "onerror" not in page
    titled = (repo / "output/dinkes/berita/judul/index.html").read_text()
    assert "{{ config }} &lt;b&gt;x&lt;/b&gt;" in titled


def test_theme_overrides_one_template_and_extends_the_bundled_one(
    make_repo: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    repo = make_repo({
        B + "2026-11-20-ok.md": POST,
        "opdgen.yaml": (make_repo().joinpath("opdgen.yaml").read_text()) + "theme: kabuji\n",
        "themes/kabuji/templates/404.html": (
            '{% extends "default/404.html" %}{% block content %}<p class="kabuji">Tidak ada.</p>{% endblock %}'
        ),
        "themes/kabuji/labels.yaml": 'home: {id: "Depan", en: "Front"}\n',
    })
    assert run_cli("build", "--root", repo).exit_code == 0
    page = (repo / "output/dinkes/404.html").read_text()
    assert '<p class="kabuji">Tidak ada.</p>' in page and "<html lang=\"id\">" in page
    assert ">Depan<" in (repo / "output/dinkes/index.html").read_text()


def test_theme_syntax_error_names_template_and_line(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({
        B + "2026-11-20-ok.md": POST,
        "opdgen.yaml": make_repo().joinpath("opdgen.yaml").read_text() + "theme: rusak\n",
        "themes/rusak/templates/404.html": "<p>\n{% if %}\n",
    })
    result = run_cli("build", "--root", repo)
    assert result.exit_code == 1
    assert "themes/rusak/templates/404.html:2:" in result.output


def test_unknown_theme(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({"opdgen.yaml": make_repo().joinpath("opdgen.yaml").read_text() + "theme: tidak-ada\n"})
    result = run_cli("check", "--root", repo)
    assert result.exit_code == 1 and "tidak-ada" in result.output


def test_posts_may_be_kept_in_year_folders(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({B + "2025/2025-03-01-lama.md": POST.replace("2026-11-20", "2025-03-01")})
    assert run_cli("build", "--root", repo).exit_code == 0
    assert (repo / "output/dinkes/berita/lama/index.html").is_file()


def test_build_one_site_keeps_the_others(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    site2 = make_repo().joinpath("content/dinkes/site.yaml").read_text().replace("dinkes.", "disdik.")
    repo = make_repo({B + "2026-11-20-ok.md": POST, "content/disdik/site.yaml": site2,
                      "content/disdik/berita/2026-11-20-ok.md": POST})
    assert run_cli("build", "--root", repo).exit_code == 0
    before = (repo / "output/disdik/index.html").stat().st_ino
    result = run_cli("build", "--root", repo, "--site", "dinkes")
    assert result.exit_code == 0
    assert (repo / "output/disdik/index.html").stat().st_ino == before
    assert run_cli("build", "--root", repo, "--site", "nope").exit_code == 1


def test_summary_line(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({B + "2026-11-20-ok.md": POST})
    result = run_cli("build", "--root", repo)
    assert result.output.startswith("Selesai: 2 situs, ")
    assert "detik" in result.output
    assert run_cli("build", "--root", repo, "--lang", "en").output.startswith("Done: 2 sites, ")
    assert run_cli("build", "--root", repo, "--quiet").output == ""


def tiny_png() -> bytes:
    """A valid 1x1 PNG, written here so the test needs no image library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\x10\x20\x30")) + chunk(b"IEND", b"")


def test_logo_is_published_fingerprinted(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    site = make_repo().joinpath("content/dinkes/site.yaml").read_text() + "logo: logo-dinkes.png\n"
    repo = make_repo({B + "2026-11-20-ok.md": POST, "content/dinkes/site.yaml": site,
                      "content/dinkes/media/logo-dinkes.png": tiny_png()})
    assert run_cli("build", "--root", repo).exit_code == 0
    # processed like every image (opdgen.media): PNG and WebP variants, fingerprinted, never the original
    logos = list((repo / "output/dinkes/media").glob("logo-dinkes-1.*.png"))
    assert len(logos) == 1 and list((repo / "output/dinkes/media").glob("logo-dinkes-1.*.webp"))
    assert f'src="/media/{logos[0].name}"' in (repo / "output/dinkes/index.html").read_text()


def test_bad_logo_is_reported_on_its_line(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    base = make_repo().joinpath("content/dinkes/site.yaml").read_text()
    for value, words in (("../../etc/passwd.png", "di dalam folder situs"), ("logo.bmp", "PNG, JPEG, WebP atau SVG"),
                         ("tidak-ada.png", "tidak ditemukan")):
        repo = make_repo({"content/dinkes/site.yaml": base + f"logo: {value}\n"})
        result = run_cli("check", "--root", repo)
        assert result.exit_code == 1
        assert "content/dinkes/site.yaml:6:" in result.output and words in result.output


def test_the_command_ends_quickly_after_a_build_with_its_words_and_code(make_repo: Callable[..., Path],
                                                                         tmp_path: Path) -> None:
    """`python -m opdgen build` ends the process without freeing its heap (cli.entry): what it
    printed still arrives, through a pipe, and the exit code is the build's."""
    import os
    import subprocess
    import sys

    repo = make_repo({B + "2026-11-20-a.md": POST})
    env = {**os.environ, "OPDGEN_LANG": "id"}

    def opdgen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "opdgen", *args, "--root", str(repo)],
                              capture_output=True, text=True, env=env, timeout=300, check=False)

    done = opdgen("build")
    assert done.returncode == 0 and "Selesai:" in done.stdout, done.stdout + done.stderr
    (repo / B / "2026-11-21-b.md").write_text(POST.replace("date: 2026-11-20", "date: 2026-13-40"))
    failed = opdgen("build")
    assert failed.returncode == 1 and "2026-11-21-b.md:" in failed.stdout + failed.stderr
    assert "Gagal:" in failed.stderr
    usage = opdgen("build", "--no-portal")
    assert usage.returncode == 2 and "--no-portal" in usage.stderr
    assert opdgen("check").returncode == 1  # other commands end as they always did

    def ends(command: str) -> str:  # an exit handler runs only when the interpreter is torn down
        code = ("import atexit, sys; atexit.register(lambda: print('torn down')); "
                f"sys.argv = ['opdgen', '{command}', '--root', sys.argv[1]]; "
                "from opdgen.cli import entry; entry()")
        return subprocess.run([sys.executable, "-c", code, str(repo)], capture_output=True, text=True,
                              env=env, timeout=300, check=False).stdout

    assert "torn down" not in ends("build") and "torn down" in ends("check")
