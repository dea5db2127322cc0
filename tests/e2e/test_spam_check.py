"""`opdgen check` and `build` warn about gambling spam and foreign links at path:line; --strict fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import POST, REGION_YAML

B = "content/dinkes/berita/"
SPAM_POST = POST + "\nInfo terbaru: main SLOT GACOR hari ini, [daftar](https://gacor88.example/daftar).\n"
# POST has 6 front-matter lines and 9 body lines; the spam is on line 17 of the file
SPAM_LINE = POST.count("\n") + 2


def test_check_warns_with_file_and_line_but_passes(make_repo: Callable[..., Path],
                                                   run_cli: Callable[..., Result]) -> None:
    repo = make_repo({B + "2026-11-20-spam.md": SPAM_POST})
    result = run_cli("check", "--root", repo)
    assert result.exit_code == 0, result.output
    where = f"{B}2026-11-20-spam.md:{SPAM_LINE}: peringatan: "
    assert where + 'Teks ini mirip spam judi online: "slot gacor".' in result.output
    assert where + "Tautan ke gacor88.example, di luar daftar domain yang diizinkan." in result.output
    assert "security.link_domains" in result.output  # how to fix it


def test_strict_turns_warnings_into_errors(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({B + "2026-11-20-spam.md": SPAM_POST})
    result = run_cli("check", "--root", repo, "--strict", "--lang", "en")
    assert result.exit_code == 1
    assert f"2026-11-20-spam.md:{SPAM_LINE}: This text looks like online-gambling spam" in result.output
    assert "warning:" not in result.output


def test_build_strict_writes_nothing(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({B + "2026-11-20-spam.md": SPAM_POST})
    assert run_cli("build", "--root", repo, "--strict").exit_code == 1
    assert not (repo / "output").exists()
    result = run_cli("build", "--root", repo)  # without --strict the build goes on, warning
    assert result.exit_code == 0 and "peringatan" in result.output
    assert (repo / "output/dinkes/berita/spam/index.html").is_file()


def test_front_matter_spam_is_found_on_its_line(make_repo: Callable[..., Path],
                                                run_cli: Callable[..., Result]) -> None:
    post = POST.replace("author: Humas", "author: Humas\nsummary: Bocoran RTP live maxwin")
    repo = make_repo({B + "2026-11-20-ringkas.md": post})
    result = run_cli("check", "--root", repo)
    assert f"{B}2026-11-20-ringkas.md:5: peringatan: " in result.output
    assert '"rtp live"' in result.output and '"max win"' in result.output


def test_drafts_are_checked_too(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    draft = SPAM_POST.replace("tags:", "draft: true\ntags:")
    repo = make_repo({B + "2026-11-20-draf.md": draft})
    assert "2026-11-20-draf.md" in run_cli("check", "--root", repo).output


def test_news_against_gambling_is_not_spam(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    post = POST.replace("title: Pekan Imunisasi Dimulai", "title: Satgas Berantas Judi Online") + (
        "\nJudi online dan togel merugikan warga. Laporkan situs judi ke [aduankonten](https://aduankonten.id/).\n")
    repo = make_repo({B + "2026-11-20-judol.md": post})
    result = run_cli("check", "--root", repo)
    assert "spam judi" not in result.output
    assert "aduankonten.id" in result.output  # a link outside the allowlist is still pointed out


def test_link_domains_in_opdgen_yaml(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    region = REGION_YAML + "  link_domains: [go.id, aduankonten.id]\n"
    post = POST + "\n[Aduan](https://aduankonten.id/) [YouTube](https://www.youtube.com/x)\n"
    repo = make_repo({"opdgen.yaml": region, B + "2026-11-20-a.md": post})
    result = run_cli("check", "--root", repo)
    assert "aduankonten.id" not in result.output
    assert "www.youtube.com" in result.output  # the list replaces the defaults
    site = "content/dinkes/site.yaml"
    repo = make_repo({site: (repo / site).read_text() + "social:\n  facebook: https://fb.example/dinkes\n"})
    assert f"{site}:7: peringatan: Tautan ke fb.example" in run_cli("check", "--root", repo).output


def test_site_yaml_of_the_region_and_own_hosts_are_allowed(make_repo: Callable[..., Path],
                                                           run_cli: Callable[..., Result]) -> None:
    region = REGION_YAML.replace("https://ujikab.go.id/", "https://ujikab.example/") + "  link_domains: []\n"
    post = POST + "\n[Portal](https://ujikab.example/) [Dinkes](https://dinkes.ujikab.go.id/)\n"
    repo = make_repo({"opdgen.yaml": region, B + "2026-11-20-a.md": post})
    result = run_cli("check", "--root", repo, "--strict")
    assert result.exit_code == 0, result.output


def test_links_to_an_agency_left_out_are_still_the_regions_own(make_repo: Callable[..., Path],
                                                                run_cli: Callable[..., Result]) -> None:
    """`check --site` and `build --site X --no-portal` read one agency, not the others' hosts."""
    from tests.conftest import SITE_YAML

    region = REGION_YAML.replace("https://ujikab.go.id/", "https://ujikab.example/") + "  link_domains: []\n"
    post = POST + "\n[Jadwal PPDB](https://disdik.ujikab.go.id/berita/ppdb/)\n"
    repo = make_repo({"opdgen.yaml": region, B + "2026-11-20-a.md": post,
                      "content/disdik/site.yaml": SITE_YAML.replace("dinkes.", "disdik.")})
    assert "disdik.ujikab.go.id" in (repo / "content/disdik/site.yaml").read_text()
    for args in (["check", "--site", "dinkes"], ["build", "--site", "dinkes", "--no-portal"]):
        result = run_cli(*args, "--root", repo, "--strict")
        assert result.exit_code == 0, result.output
    unknown = post.replace("disdik.ujikab.go.id", "dishub.ujikab.go.id")  # no such agency: foreign
    (repo / B / "2026-11-20-a.md").write_text(unknown)
    result = run_cli("check", "--root", repo, "--site", "dinkes", "--strict")
    assert result.exit_code == 1 and "dishub.ujikab.go.id" in result.output
