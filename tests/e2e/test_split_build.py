"""Split CI (issue 10): each agency and the portal built by jobs of their own give the same web roots
as one whole build, the portal's search index included."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import POST, tree_bytes

B = "content/dinkes/berita/"
SITE2 = "content/disdik/"


def two_agencies(make_repo: Callable[..., Path]) -> Path:
    base = make_repo()
    disdik_yaml = (base / "content/dinkes/site.yaml").read_text().replace("dinkes.", "disdik.").replace(
        "Dinas Kesehatan", "Dinas Pendidikan").replace("Dinkes", "Disdik")
    repo = make_repo({
        B + "2026-11-20-imunisasi.md": POST,
        SITE2 + "site.yaml": disdik_yaml,
        SITE2 + "berita/2026-11-21-ppdb.md": POST.replace("Pekan Imunisasi Dimulai", "Jadwal PPDB Diumumkan")
        .replace("Pekan imunisasi dimulai", "Pendaftaran peserta didik baru dibuka"),
    })
    return repo


def test_portal_job_and_site_jobs_equal_a_whole_build(make_repo: Callable[..., Path],
                                                      run_cli: Callable[..., Result], tmp_path: Path) -> None:
    repo = two_agencies(make_repo)
    whole, jobs = tmp_path / "whole", {name: tmp_path / name for name in ("portal", "dinkes", "disdik")}
    assert run_cli("build", "--root", repo, "--output", whole).exit_code == 0
    for name, out in jobs.items():  # each CI job starts from an empty output
        alone = [] if name == "portal" else ["--no-portal"]  # an agency's job reads that agency only
        result = run_cli("build", "--root", repo, "--output", out, "--site", name, *alone)
        assert result.exit_code == 0, result.output
        assert "Selesai: 1 situs," in result.output
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [name]
    full = tree_bytes(whole)
    for name, out in jobs.items():
        mine = {k: v for k, v in tree_bytes(out).items() if k.startswith(f"{name}/")}
        assert mine == {k: v for k, v in full.items() if k.startswith(f"{name}/")}, name
    index = [k for k in tree_bytes(jobs["portal"]) if k.startswith("portal/pagefind/fragment/")]
    assert len(index) == 2  # both agencies' posts are in the portal's search index
    assert run_cli("check", "--root", repo, "--site", "portal").exit_code == 0


def test_no_portal_needs_an_agency(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo()
    for args in ([], ["--site", "portal"], ["--site", "portal", "--site", "dinkes"]):
        result = run_cli("build", "--root", repo, "--no-portal", *args)
        assert result.exit_code == 2 and "--no-portal" in result.output, result.output
        assert not (repo / "output").exists()


def test_an_agency_alone_leaves_the_rest_of_the_output_as_it_was(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = two_agencies(make_repo)
    assert run_cli("build", "--root", repo).exit_code == 0
    before = tree_bytes(repo / "output")
    post = repo / B / "2026-11-20-imunisasi.md"
    post.write_text(post.read_text().replace("dimulai di seluruh", "dimulai serentak di seluruh"))
    result = run_cli("build", "--root", repo, "--site", "dinkes", "--no-portal")
    assert result.exit_code == 0, result.output
    after = tree_bytes(repo / "output")
    assert {k for k in after if not k.startswith(("dinkes/", ".opdgen/dinkes/"))} == \
        {k for k in before if not k.startswith(("dinkes/", ".opdgen/dinkes/"))}
    for rel, data in before.items():
        if rel.startswith(("disdik/", "portal/", ".opdgen/disdik/", ".opdgen/portal/")):
            assert after[rel] == data, rel  # not even read: as the whole build left them
    assert b"serentak" in after["dinkes/berita/imunisasi/index.html"]
