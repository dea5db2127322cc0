"""The PPID register's front matter (opdgen.public.dokumen) and opdgen.yaml's `ppid:` block."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import pytest
from click.testing import Result

from opdgen import schema as s
from opdgen.config import PPID_YEARLY_TYPES, RegionConfig, load_region_config
from opdgen.fsguard import Repo
from opdgen.problems import Problems
from opdgen.public.dokumen import SCHEMA, DocumentDetails, build
from opdgen.public.spec import DetailsInput
from opdgen.yamlload import parse_yaml
from tests.conftest import REGION_YAML

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=WIB)
PATH = PurePosixPath("content/dinkes/dokumen/x.md")

BERKALA = """\
title: Laporan Keuangan 2025
category: berkala
type: laporan-keuangan
year: 2025
period: Semester II
date: 2026-05-20
unit: Subbagian Keuangan
file: laporan-keuangan-2025.pdf
"""
EXCLUDED = """\
title: Rekam Medis
category: dikecualikan
type: lainnya
year: 2026
date: 2026-01-05
unit: Bidang Pelayanan
reason: Pasal 17 huruf h angka 2 UU 14/2008
"""


def load(front: str) -> tuple[DocumentDetails | None, list[tuple[int | None, str, dict[str, str]]]]:
    """Check the front matter (the loader's way: line 1 is the opening ---) and build the details."""
    problems = Problems()
    node = parse_yaml(front)
    where = s.Where(PATH, problems, line_offset=1)
    values = s.check_map(node, SCHEMA, where, whole_line=1)
    details = None
    if not problems.errors:
        details = build(DetailsInput(values, node, where, WIB, NOW))
    return details, [(p.line, p.code, {k: str(v) for k, v in p.params.items()}) for p in problems]


def test_a_berkala_document_with_its_file() -> None:
    details, problems = load(BERKALA)
    assert problems == []
    assert details == DocumentDetails(category="berkala", type="laporan-keuangan", year=2025,
                                      period="Semester II", unit="Subbagian Keuangan",
                                      file="laporan-keuangan-2025.pdf", reason="", file_line=9,
                                      date_line=7)
    assert details.is_yearly and not details.is_excluded


def test_an_excluded_document_gives_its_reason_and_no_file() -> None:
    details, problems = load(EXCLUDED)
    assert problems == []
    assert details is not None and details.is_excluded and details.file is None
    assert details.reason.startswith("Pasal 17 huruf h")


@pytest.mark.parametrize(("front", "line", "code", "param"), [
    (BERKALA.replace("category: berkala", "category: berkla"), 3, "dokumen.choice_near",
     ("suggestion", "berkala")),
    (BERKALA.replace("category: berkala", "category: rahasia"), 3, "schema.choice", None),
    (BERKALA.replace("type: laporan-keuangan", "type: laporan-keuangn"), 4, "dokumen.choice_near",
     ("suggestion", "laporan-keuangan")),
    (BERKALA.replace("year: 2025", "year: 2205"), 5, "dokumen.year.range", ("latest", "2031")),
    (BERKALA.replace("year: 2025", "year: dua ribu"), 5, "schema.type.int", None),
    (BERKALA.replace("unit: Subbagian Keuangan\n", ""), 1, "schema.missing", ("key", "unit")),
    (BERKALA.replace("unit: Subbagian Keuangan", 'unit: ""'), 8, "schema.empty", ("key", "unit")),
    (BERKALA.replace("date: 2026-05-20\n", ""), 1, "schema.missing", ("key", "date")),
    (BERKALA.replace("file: laporan-keuangan-2025.pdf\n", ""), 1, "dokumen.file.missing_key",
     ("category", "berkala")),
    (BERKALA.replace("laporan-keuangan-2025.pdf", "https://contoh.go.id/lk.pdf"), 9, "dokumen.file.remote",
     None),
    (BERKALA.replace("laporan-keuangan-2025.pdf", "../lain/lk.pdf"), 9, "media.ref.path", None),
    (BERKALA.replace("laporan-keuangan-2025.pdf", "laporan.exe"), 9, "dokumen.file.type", ("ext", ".exe")),
    (BERKALA.replace("laporan-keuangan-2025.pdf", "foto.jpg"), 9, "dokumen.file.type", ("ext", ".jpg")),
    (BERKALA + "reason: Pasal 17\n", 10, "dokumen.reason.not_excluded", ("category", "berkala")),
    (EXCLUDED + "file: rekam-medis.pdf\n", 9, "dokumen.file.excluded", ("value", "rekam-medis.pdf")),
    (EXCLUDED.replace("reason: Pasal 17 huruf h angka 2 UU 14/2008\n", ""), 1, "dokumen.reason.missing",
     None),
    (BERKALA + "lokasi: kantor\n", 10, "schema.unknown_key", None),
], ids=["category-typo", "category-unknown", "type-typo", "year-future", "year-text", "unit-missing", "unit-empty",
        "date-missing", "file-missing", "file-remote", "file-path", "file-exe", "file-image",
        "reason-not-excluded", "excluded-with-file", "excluded-without-reason", "unknown-key"])
def test_every_fault_names_its_line_and_code(front: str, line: int, code: str,
                                            param: tuple[str, str] | None) -> None:
    details, problems = load(front)
    assert details is None
    assert [(p_line, p_code) for p_line, p_code, _ in problems] == [(line, code)]
    if param is not None:
        assert problems[0][2][param[0]] == param[1]


def test_a_typo_is_answered_with_maksud_anda(make_repo: Callable[..., Path],
                                             run_cli: Callable[..., Result]) -> None:
    repo = make_repo({"content/dinkes/dokumen/lk.md": "---\n" + BERKALA.replace("berkala", "berkla") + "---\n"})
    result = run_cli("check", "--root", repo)
    assert result.exit_code == 1
    assert ('content/dinkes/dokumen/lk.md:3: Nilai "berkla" tidak dikenal untuk "category". '
            'Maksud Anda "berkala"?') in result.output


# --- opdgen.yaml `ppid:` ------------------------------------------------------------------------


def region(make_repo: Callable[..., Path], extra: str) -> tuple[RegionConfig | None, list[tuple[int | None, str]]]:
    repo = Repo(make_repo({"opdgen.yaml": REGION_YAML + extra}))
    problems = Problems()
    config = load_region_config(repo, problems)
    return config, [(p.line, p.code) for p in problems]


def test_ppid_defaults(make_repo: Callable[..., Path]) -> None:
    config, problems = region(make_repo, "")
    assert problems == [] and config is not None
    assert config.ppid.yearly_types == PPID_YEARLY_TYPES and config.ppid.yearly_due_month == 4


def test_ppid_settings(make_repo: Callable[..., Path]) -> None:
    config, problems = region(make_repo, "ppid:\n  yearly_types: [lkjip, dpa, lkjip]\n  yearly_due_month: 6\n")
    assert problems == [] and config is not None
    assert config.ppid.yearly_types == ("lkjip", "dpa") and config.ppid.yearly_due_month == 6


@pytest.mark.parametrize(("extra", "line", "code"), [
    ("ppid:\n  yearly_types: [lkjip, laporan-tahunan]\n", 10, "config.ppid.type"),
    ("ppid:\n  yearly_due_month: 13\n", 10, "config.ppid.month"),
    ("ppid:\n  yearly_due_month: april\n", 10, "schema.type.int"),
    ("ppid:\n  due_month: 4\n", 10, "schema.unknown_key_near"),
], ids=["unknown-type", "month-13", "month-text", "unknown-key"])
def test_ppid_config_errors(make_repo: Callable[..., Path], extra: str, line: int, code: str) -> None:
    config, problems = region(make_repo, extra)
    assert config is None and problems == [(line, code)]
