"""Shared fixtures: small repositories written from a dict of files, and the CLI run in-process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from opdgen.cli import main

PROJECT = Path(__file__).resolve().parent.parent
NOW = "2026-11-28 12:00"

REGION_YAML = """\
region:
  name: Pemerintah Kabupaten Uji
portal:
  title: Portal Kabupaten Uji
  base_url: https://ujikab.go.id/
security:
  contact: mailto:csirt@ujikab.go.id
  video_hosts: [www.youtube-nocookie.com]
"""

SITE_YAML = """\
name: Dinas Kesehatan Kabupaten Uji
short_name: Dinkes
base_url: https://dinkes.ujikab.go.id/
description: Situs resmi Dinas Kesehatan Kabupaten Uji.
colour: "#0e7c66"
"""

POST = """\
---
title: Pekan Imunisasi Dimulai
date: 2026-11-20 08:30
author: Humas
tags: [imunisasi, puskesmas]
---
Pekan imunisasi dimulai di seluruh puskesmas.

## Jadwal

| Hari | Tempat |
|---|---|
| Senin | Puskesmas Kota |
"""


def requires(tool: str, package: str) -> None:
    """Skip (or, under CI=true, fail) when a system tool is missing."""
    if shutil.which(tool) is None and not Path(tool).exists():
        message = f"{tool} not found: install it with `apt-get install {package}`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPDGEN_NOW", NOW)
    monkeypatch.delenv("OPDGEN_LANG", raising=False)


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """Write files (path -> text or bytes) under a fresh repository; a base region and site by default."""

    def make(files: Mapping[str, str | bytes] | None = None, *, base: bool = True) -> Path:
        root = tmp_path / "repo"
        root.mkdir(exist_ok=True)
        defaults: dict[str, str | bytes] = {
            "opdgen.yaml": REGION_YAML,
            "content/dinkes/site.yaml": SITE_YAML,
        } if base else {}
        for rel, data in {**defaults, **(files or {})}.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        return root

    return make


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    runner = CliRunner()

    def run(*args: str | Path) -> Result:
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file below root with its bytes, for byte-for-byte comparisons."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content of this repository, built once for the whole session."""
    out = tmp_path_factory.mktemp("sample") / "output"
    runner = CliRunner()
    os.environ["OPDGEN_NOW"] = NOW
    result = runner.invoke(main, ["build", "--root", str(PROJECT), "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out
