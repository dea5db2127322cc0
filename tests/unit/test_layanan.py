"""Services (layanan/): the Standar Pelayanan components are required, each missing one is an error at
path:line naming it in the admin's words; the typed details; `opdgen new layanan` starts a valid file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import Result

from opdgen.content.loader import LoadOptions, load_region
from opdgen.content.model import Kind
from opdgen.messages import text
from opdgen.public.layanan import COMPONENTS, ServiceDetails

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
L = "content/dinkes/layanan/"
GOOD = """\
---
title: Surat Keterangan Sehat
summary: Untuk melamar kerja dan mendaftar sekolah.
requirements:
  - KTP elektronik
  - Pas foto 3x4
procedure:
  - Mendaftar di loket.
  - Diperiksa dokter.
time: 1 jam
cost: Gratis
product: Surat Keterangan Sehat
complaints: Kotak saran puskesmas atau SP4N-LAPOR!
legal_basis: [Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik]
order: 5
---
Bawa kacamata bila memakainya.
"""


def load(make_repo: Callable[..., Path], files: dict[str, str]
         ) -> tuple[list[ServiceDetails], list[tuple[str, int | None, str]]]:
    repo = make_repo(files)
    region, problems = load_region(repo, LoadOptions(now=NOW, jobs=1, use_cache=False))
    found = [(str(p.path), p.line, p.code) for p in problems.errors]
    services = [] if region is None else [
        p.details for s in region.sites for p in s.of_kind(Kind.LAYANAN) if isinstance(p.details, ServiceDetails)]
    return services, found


def without(line_prefix: str) -> str:
    """GOOD without the front-matter line (and its list items) that starts with line_prefix."""
    out, skipping = [], False
    for line in GOOD.splitlines(keepends=True):
        if line.startswith(line_prefix):
            skipping = True
            continue
        if skipping and line.startswith("  - "):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def test_a_complete_service_has_typed_details(make_repo: Callable[..., Path]) -> None:
    [service], found = load(make_repo, {L + "sks.md": GOOD})
    assert found == []
    assert service.requirements == ("KTP elektronik", "Pas foto 3x4")
    assert service.procedure == ("Mendaftar di loket.", "Diperiksa dokter.")
    assert (service.time, service.cost, service.product) == ("1 jam", "Gratis", "Surat Keterangan Sehat")
    assert service.legal_basis == ("Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",)


@pytest.mark.parametrize("key", COMPONENTS)
def test_each_missing_component_is_an_error_naming_it(make_repo: Callable[..., Path], key: str) -> None:
    services, found = load(make_repo, {L + "sks.md": without(f"{key}:")})
    assert services == []
    assert found == [(L + "sks.md", 1, f"layanan.missing.{key}")]


def test_an_empty_component_is_reported_at_its_own_line(make_repo: Callable[..., Path]) -> None:
    text_ = GOOD.replace("cost: Gratis\n", "cost:\n").replace("time: 1 jam\n", "time: \"\"\n")
    _, found = load(make_repo, {L + "sks.md": text_})
    assert found == [(L + "sks.md", 10, "layanan.missing.time"), (L + "sks.md", 11, "layanan.missing.cost")]


def test_an_empty_list_of_requirements_is_missing(make_repo: Callable[..., Path]) -> None:
    text_ = without("requirements:").replace("procedure:", "requirements: []\nprocedure:")
    _, found = load(make_repo, {L + "sks.md": text_})
    assert found == [(L + "sks.md", 4, "layanan.missing.requirements")]


def test_every_component_is_named_in_the_admins_words() -> None:
    words = {"requirements": "Persyaratan", "procedure": "Prosedur", "time": "Jangka Waktu",
             "cost": "Biaya/Tarif", "product": "Produk Pelayanan", "complaints": "Pengaduan"}
    for key, word in words.items():
        message = text(f"layanan.missing.{key}", "id")
        assert word in message and f"{key}:" in message
        assert key in text(f"layanan.missing.{key}", "en")


def test_an_unknown_key_is_an_error_with_a_suggestion(make_repo: Callable[..., Path]) -> None:
    _, found = load(make_repo, {L + "sks.md": GOOD.replace("order: 5", "requirement: x")})
    assert (L + "sks.md", 15, "schema.unknown_key_near") in found


def test_new_layanan_starts_a_file_that_checks_clean(make_repo: Callable[..., Path],
                                                     run_cli: Callable[..., Result]) -> None:
    repo = make_repo()
    result = run_cli("new", "layanan", "--root", repo, "--site", "dinkes", "Legalisir Ijazah")
    assert result.exit_code == 0, result.output
    path = repo / "content/dinkes/layanan/legalisir-ijazah.md"
    written = path.read_text(encoding="utf-8")
    assert written.startswith('---\ntitle: "Legalisir Ijazah"\n')
    for key in (*COMPONENTS, "legal_basis"):
        assert f"\n{key}:" in written
    assert "PERSYARATAN" in written and "PENANGANAN PENGADUAN" in written  # guidance for the admin
    check = run_cli("check", "--root", repo)
    assert check.exit_code == 0, check.output
    path.write_text(written.replace("draft: true", "draft: false"), encoding="utf-8")
    assert run_cli("build", "--root", repo).exit_code == 0
    page = (repo / "output/dinkes/layanan/legalisir-ijazah/index.html").read_text(encoding="utf-8")
    assert "Fotokopi KTP pemohon" in page
