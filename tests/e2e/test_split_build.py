"""Split CI (issue 10): each agency and the portal built by jobs of their own give the same web roots
as one whole build, the portal's search index included."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import POST, tree_bytes

B = "content/dinkes/berita/"
SITE2 = "content/disdik/"


def test_portal_job_and_site_jobs_equal_a_whole_build(make_repo: Callable[..., Path],
                                                      run_cli: Callable[..., Result], tmp_path: Path) -> None:
    base = make_repo()
    disdik_yaml = (base / "content/dinkes/site.yaml").read_text().replace("dinkes.", "disdik.").replace(
        "Dinas Kesehatan", "Dinas Pendidikan").replace("Dinkes", "Disdik")
    repo = make_repo({
        B + "2026-11-20-imunisasi.md": POST,
        SITE2 + "site.yaml": disdik_yaml,
        SITE2 + "berita/2026-11-21-ppdb.md": POST.replace("Pekan Imunisasi Dimulai", "Jadwal PPDB Diumumkan")
        .replace("Pekan imunisasi dimulai", "Pendaftaran peserta didik baru dibuka"),
    })
    whole, jobs = tmp_path / "whole", {name: tmp_path / name for name in ("portal", "dinkes", "disdik")}
    assert run_cli("build", "--root", repo, "--output", whole).exit_code == 0
    for name, out in jobs.items():  # each CI job starts from an empty output
        result = run_cli("build", "--root", repo, "--output", out, "--site", name)
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in jobs["portal"].iterdir() if not p.name.startswith(".")) == ["portal"]
    full = tree_bytes(whole)
    for name, out in jobs.items():
        mine = {k: v for k, v in tree_bytes(out).items() if k.startswith(f"{name}/")}
        assert mine == {k: v for k, v in full.items() if k.startswith(f"{name}/")}, name
    index = [k for k in tree_bytes(jobs["portal"]) if k.startswith("portal/pagefind/fragment/")]
    assert len(index) == 2  # both agencies' posts are in the portal's search index
    assert run_cli("check", "--root", repo, "--site", "portal").exit_code == 0
