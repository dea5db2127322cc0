"""Every web root ships its headers, security.txt and SRI; the server files and manifest sit beside it."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import POST, requires

ROOTS = ("dinkes", "disdik", "diskominfo", "dpupr", "kec-cibeureum", "portal")
URL_ATTRS = ("href", "src", "action", "formaction", "poster", "xlink:href", "srcset", "data")


def test_each_web_root_has_its_serving_files(sample_output: Path) -> None:
    for root in ROOTS:
        for name in ("_headers", ".htaccess", ".well-known/security.txt"):
            assert (sample_output / root / name).is_file(), f"{root}/{name}"
        for name in ("nginx.conf", "manifest.json"):
            assert (sample_output / ".opdgen" / root / name).is_file()
            assert not (sample_output / root / name).exists()  # never published


def test_manifest_matches_the_web_root_exactly(sample_output: Path) -> None:
    for root in ROOTS:
        manifest = json.loads((sample_output / ".opdgen" / root / "manifest.json").read_bytes())
        on_disk = {
            p.relative_to(sample_output / root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (sample_output / root).rglob("*") if p.is_file()
        }
        assert manifest["files"] == on_disk, root


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.subresources: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "style" or "style" in values:
            self.bad.append(f"style: <{tag}>")
        if tag == "script" and not values.get("src") and values.get("type") != "application/ld+json":
            self.bad.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"handler {name} on <{tag}>")
            if name in URL_ATTRS and value and "".join(value.split()).lower().startswith(("javascript:", "vbscript:")):
                self.bad.append(f"{name}={value}")
        if (tag == "link" and values.get("rel") == "stylesheet") or (tag == "script" and values.get("src")):
            self.subresources.append((values.get("href") or values.get("src") or "", values.get("integrity")))


def test_no_page_needs_unsafe_inline_and_every_subresource_has_integrity(sample_output: Path) -> None:
    pages = sorted(sample_output.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        scan = _Scan()
        scan.feed(page.read_text("utf-8"))
        assert not scan.bad, (page, scan.bad)
        assert scan.subresources, page
        root = sample_output / page.relative_to(sample_output).parts[0]
        for url, integrity in scan.subresources:
            data = (root / url.lstrip("/")).read_bytes()
            assert integrity == "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode(), (page, url)


def git(repo: Path, *args: str, date: str = "2026-03-01T10:00:00+07:00") -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date, "GIT_AUTHOR_NAME": "Uji",
           "GIT_AUTHOR_EMAIL": "uji@ujikab.go.id", "GIT_COMMITTER_NAME": "Uji",
           "GIT_COMMITTER_EMAIL": "uji@ujikab.go.id", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def expires(repo: Path) -> str:
    text = (repo / "output/dinkes/.well-known/security.txt").read_text()
    return next(line for line in text.splitlines() if line.startswith("Expires: "))


def test_security_txt_expires_a_year_after_the_commit(make_repo: Callable[..., Path],
                                                      run_cli: Callable[..., Result],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    requires("git", "git")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = make_repo({"content/dinkes/berita/2026-11-20-a.md": POST})
    assert run_cli("build", "--root", repo).exit_code == 0
    assert expires(repo) == "Expires: 2027-11-20T01:30:00Z"  # no git: the newest post, 08:30 WIB
    git(repo, "init", "-q")
    git(repo, "add", "content", "opdgen.yaml")
    git(repo, "commit", "-q", "-m", "awal")
    assert run_cli("build", "--root", repo).exit_code == 0
    assert expires(repo) == "Expires: 2027-03-01T03:00:00Z"  # the commit, in UTC
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert run_cli("build", "--root", repo).exit_code == 0
    assert expires(repo) == "Expires: 2027-01-01T00:00:00Z"


def test_building_one_site_keeps_the_others_server_files(make_repo: Callable[..., Path],
                                                         run_cli: Callable[..., Result]) -> None:
    site2 = make_repo().joinpath("content/dinkes/site.yaml").read_text().replace("dinkes.", "disdik.")
    repo = make_repo({"content/dinkes/berita/2026-11-20-a.md": POST, "content/disdik/site.yaml": site2,
                      "content/disdik/berita/2026-11-20-a.md": POST})
    assert run_cli("build", "--root", repo).exit_code == 0
    kept = repo / "output/.opdgen/disdik/manifest.json"
    before = kept.stat().st_ino, kept.read_bytes()
    result = run_cli("build", "--root", repo, "--site", "dinkes")
    assert result.exit_code == 0 and result.output.startswith("Selesai: 2 situs, ")  # .opdgen is no site
    assert (kept.stat().st_ino, kept.read_bytes()) == before
    assert (repo / "output/.opdgen/dinkes/manifest.json").is_file()
    assert (repo / "output/.opdgen/portal/manifest.json").is_file()
