"""Standing pages (issue 8) as an admin meets them: check's advice, `new halaman`, `init`, the report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from opdgen.config import STANDING_PAGES
from tests.conftest import REGION_YAML

H = "content/dinkes/halaman/"
PROFIL = "---\ntitle: Profil\n---\nDinas Kesehatan Kabupaten Uji.\n"
DRAFT = "---\ntitle: Kontak\ndraft: true\n---\nBelum lengkap.\n"
NOTICE = "content/dinkes/halaman: saran: "


def test_check_advises_without_failing_even_when_strict(
    make_repo: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    repo = make_repo({H + "profil.md": PROFIL, H + "kontak.md": DRAFT})
    result = run_cli("check", "--root", repo, "--strict")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stderr.splitlines() if x.startswith(NOTICE))
    missing = ", ".join(p for p in STANDING_PAGES if p != "profil")
    assert f"Halaman wajib belum terbit: {missing}; kontak masih draf (draft: true)." in line
    assert "opdgen new halaman --site dinkes visi-misi" in line
    english = run_cli("check", "--root", repo, "--lang", "en")
    assert "content/dinkes/halaman: advice: Standing pages not published" in english.stderr
    built = run_cli("build", "--root", repo)
    assert built.exit_code == 0 and "content/dinkes/halaman" not in built.output  # build stays quiet


def test_every_page_present_or_an_empty_list_gives_no_advice(
    make_repo: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    repo = make_repo({H + "profil.md": PROFIL, "opdgen.yaml": REGION_YAML + "standing_pages: [profil]\n"})
    assert NOTICE not in run_cli("check", "--root", repo).stderr
    (repo / "opdgen.yaml").write_text(REGION_YAML + "standing_pages: []\n")
    assert NOTICE not in run_cli("check", "--root", repo).stderr
    (repo / "opdgen.yaml").write_text(REGION_YAML + "standing_pages:\n  - profil\n  - agenda\n")
    bad = run_cli("check", "--root", repo)
    assert bad.exit_code == 1 and "opdgen.yaml:11: " in bad.stderr and '"agenda"' in bad.stderr


def test_services_stand_for_the_layanan_page(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    """DECISION: a site whose layanan/ has a published entry has its /layanan/ page."""
    repo = make_repo({"opdgen.yaml": REGION_YAML + "standing_pages: [layanan]\n"})
    assert "layanan" in run_cli("check", "--root", repo).stderr
    made = run_cli("new", "layanan", "--site", "dinkes", "--root", repo, "Rekomendasi Izin Praktik")
    path = Path(made.stdout.strip().splitlines()[0])
    draft_only = run_cli("new", "halaman", "--site", "dinkes", "--root", repo).stdout
    assert "  layanan (Layanan): opdgen new halaman --site dinkes layanan" in draft_only  # a draft entry
    path.write_text(path.read_text().replace("draft: true", "draft: false"))
    assert run_cli("check", "--root", repo).exit_code == 0
    assert NOTICE not in run_cli("check", "--root", repo).stderr
    listing = run_cli("new", "halaman", "--site", "dinkes", "--root", repo).stdout
    assert "Semua 1 halaman wajib situs dinkes sudah ada." in listing


def test_new_halaman_lists_the_missing_pages_and_writes_them_with_guidance(
    make_repo: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    repo = make_repo({H + "profil.md": PROFIL, H + "kontak.md": DRAFT})
    listing = run_cli("new", "halaman", "--site", "dinkes", "--root", repo)
    assert listing.exit_code == 0, listing.output
    lines = listing.stdout.splitlines()
    assert lines[0] == "Halaman wajib yang belum ada di situs dinkes:"
    assert "  visi-misi (Visi dan Misi): opdgen new halaman --site dinkes visi-misi" in lines
    assert "  struktur-organisasi (Struktur Organisasi): opdgen new halaman --site dinkes struktur-organisasi" in lines
    assert any(x.startswith(f"  kontak: masih draf di {H}kontak.md") for x in lines)
    assert not any("profil" in x for x in lines)

    made = run_cli("new", "halaman", "--site", "dinkes", "--root", repo, "visi-misi")
    assert made.exit_code == 0 and made.stdout.strip() == f"{repo}/{H}visi-misi.md"
    text = (repo / H / "visi-misi.md").read_text()
    assert text.startswith('---\ntitle: "Visi dan Misi"\n') and "RPJMD" in text
    struktur = run_cli("new", "halaman", "--site", "dinkes", "--root", repo, "struktur-organisasi")
    assert struktur.exit_code == 0 and "bagan" in (repo / H / "struktur-organisasi.md").read_text()
    assert "visi-misi" not in run_cli("new", "halaman", "--site", "dinkes", "--root", repo).stdout
    assert run_cli("check", "--root", repo).exit_code == 0  # the guided pages are valid halaman

    assert run_cli("new", "halaman", "--site", "dinkes", "--root", repo, "Any Title").exit_code == 0
    plain = (repo / H / "any-title.md").read_text()
    assert plain.startswith('---\ntitle: "Any Title"\n') and "Petunjuk" not in plain
    assert run_cli("new", "halaman", "--site", "dinkes", "--root", repo, "visi-misi").exit_code == 1  # exists


def test_new_without_a_title(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({"opdgen.yaml": REGION_YAML + "standing_pages: []\n"})
    assert run_cli("new", "berita", "--site", "dinkes", "--root", repo).exit_code == 2
    off = run_cli("new", "halaman", "--site", "dinkes", "--root", repo)
    assert off.exit_code == 0 and "standing_pages: []" in off.stdout
    (repo / "opdgen.yaml").write_text(REGION_YAML + "standing_pages: Profil\n")
    broken = run_cli("new", "halaman", "--site", "dinkes", "--root", repo)
    assert broken.exit_code == 1 and "opdgen.yaml:9:" in broken.stderr


def test_init_scaffolds_every_standing_page_and_checks_clean(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    target = tmp_path / "kab"
    assert run_cli("init", target).exit_code == 0
    for slug in STANDING_PAGES:
        assert "Petunjuk untuk admin" in (target / f"content/contoh/halaman/{slug}.md").read_text(), slug
    checked = run_cli("check", "--root", target, "--strict")
    assert checked.exit_code == 0, checked.output
    assert "content/contoh/halaman" not in checked.stderr
    assert "Semua 9 halaman wajib situs contoh sudah ada." in run_cli(
        "new", "halaman", "--site", "contoh", "--root", target).stdout
    assert run_cli("build", "--root", target).exit_code == 0
    page = (target / "output/contoh/visi-misi/index.html").read_text()
    assert "Visi dan Misi" in page and "RPJMD" in page


def test_report_counts_the_configured_pages(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({H + "profil.md": PROFIL, H + "kontak.md": DRAFT,
                      "opdgen.yaml": REGION_YAML + "standing_pages: [profil, kontak, sop-pelayanan]\n"})
    data = json.loads(run_cli("report", "--root", repo, "--format", "json").stdout)
    assert [a["missing_pages"] for a in data["agencies"]] == [["kontak", "sop-pelayanan"]]
    (repo / "opdgen.yaml").write_text(REGION_YAML)
    data = json.loads(run_cli("report", "--root", repo, "--format", "json").stdout)
    assert data["agencies"][0]["missing_pages"] == [p for p in STANDING_PAGES if p != "profil"]
