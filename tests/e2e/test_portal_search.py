"""The portal's search (opdgen.outputs.search): every agency's posts are indexed once, into its own
bundle, and the portal publishes a copy of each beside its own bundle (a document per agency); an
edit re-indexes only its agency and refreshes that copy, a portal-only build and an incremental one
give the bytes of a whole clean build, and the portal's /cari/ page, served by real nginx under the
real CSP, merges the copies in real Chromium into one list of results."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import Result

from opdgen.build import pipeline
from opdgen.outputs import search
from opdgen.outputs.headers import nginx_conf, security_headers
from tests.conftest import POST, REGION_YAML, SITE_YAML, requires, tree_bytes
from tests.e2e.test_nginx import HTTP_BLOCK, NGINX, _wait_for, free_port, watched_page

# agency -> words of each of its posts
AGENCIES = {
    "agam": ["rendang festival kuliner"],
    "bone": ["pinisi perahu tradisional"],
    "dinkes": ["posyandu balita sehat", "vaksinasi lansia desa"],
    "wajo": ["tenun sutera sengkang", "danau tempe nelayan", "sutera ekspor perajin"],
}
BUNDLES = ["pagefind", *(f"pagefind-{slug}" for slug in AGENCIES)]


def agency_files(slug: str, topics: list[str]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        f"content/{slug}/site.yaml": SITE_YAML.replace("dinkes.", f"{slug}.").replace(
            "Dinas Kesehatan", f"Dinas {slug.title()}").replace("Dinkes", slug.title()),
    }
    for i, words in enumerate(topics):
        files[f"content/{slug}/berita/2026-11-{10 + i:02d}-kabar-{i}.md"] = POST.replace(
            "Pekan Imunisasi Dimulai", f"Kabar {words.split()[0].title()}").replace(
            "Pekan imunisasi dimulai di seluruh puskesmas.", f"Kabar tentang {words} di kabupaten.")
    return files


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    files: dict[str, str | bytes] = {}
    for slug, topics in AGENCIES.items():
        files.update(agency_files(slug, topics))
    return make_repo(files)


def built_bundles(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[list[str]]]:
    """Record which bundles Pagefind builds (the others are reused from the previous output), and
    the agencies whose search documents each build makes."""
    seen: list[str] = []
    documented: list[list[str]] = []
    real_build, real_documents = search._build_one, search.region_documents

    def spy(spawner: Any, binary: str, job: Any, *args: Any) -> list[Any]:
        seen.append(f"{job.sr.root}/{job.sr.bundle}")
        return real_build(spawner, binary, job, *args)

    def documents(region: Any, kind_label: Any, only: Any = None) -> list[Any]:
        documented.append(sorted(only) if only is not None else ["*"])
        return real_documents(region, kind_label, only)

    monkeypatch.setattr(search, "_build_one", spy)
    monkeypatch.setattr(search, "region_documents", documents)
    return seen, documented


def bundle(out: Path, folder: str) -> dict[str, bytes]:
    return {p.relative_to(out / folder).as_posix(): p.read_bytes()
            for p in (out / folder).rglob("*") if p.is_file()}


def test_each_agency_is_indexed_once_and_the_portal_copies_its_bundle(
        repo: Path, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = tmp_path / "whole"
    seen, documented = built_bundles(monkeypatch)
    assert run_cli("build", "--root", repo, "--output", whole).exit_code == 0
    assert sorted(seen) == sorted(["portal/pagefind", *(f"{slug}/pagefind" for slug in AGENCIES)])  # once each
    folders = sorted(p.name for p in (whole / "portal").iterdir() if p.name.startswith("pagefind"))
    assert folders == BUNDLES
    assert (whole / "portal/pagefind/pagefind.js").is_file()
    for slug in AGENCIES:  # the index without the script and WebAssembly the primary bundle serves
        own, copy = bundle(whole, f"{slug}/pagefind"), bundle(whole, f"portal/pagefind-{slug}")
        assert copy == {rel: data for rel, data in own.items() if rel.startswith(("index/", "fragment/"))
                        or rel == "pagefind-entry.json" or rel.endswith(".pf_meta")}
        assert "pagefind.js" in own and any(rel.startswith("fragment/") for rel in copy)
    page = (whole / "portal/cari/index.html").read_text("utf-8")
    merged = " ".join(f"/pagefind-{slug}/" for slug in AGENCIES)
    assert 'data-bundle="/pagefind/"' in page and f'data-merge="{merged}"' in page
    assert "data-merge" not in (whole / "wajo/cari/index.html").read_text("utf-8")  # one index each

    portal_only = tmp_path / "portal-only"
    assert run_cli("build", "--root", repo, "--output", portal_only, "--site", "portal").exit_code == 0
    full = tree_bytes(whole)
    assert {k: v for k, v in tree_bytes(portal_only).items() if k.startswith("portal/")} == \
        {k: v for k, v in full.items() if k.startswith("portal/")}

    seen.clear()
    documented.clear()
    post = repo / "content/wajo/berita/2026-11-11-kabar-1.md"
    post.write_text(post.read_text("utf-8") + "\nPerahu baru diluncurkan oleh nelayan.\n", "utf-8")
    before = {p: p.stat().st_mtime_ns for p in (whole / "portal").glob("pagefind*/**/*") if p.is_file()
              and "pagefind-wajo" not in p.parts}
    old_copy = bundle(whole, "portal/pagefind-wajo")
    assert run_cli("build", "--root", repo, "--output", whole).exit_code == 0
    assert seen == ["wajo/pagefind"]  # its agency only, once: the portal's copy shares its bytes
    # only a post changed, in place (opdgen.build.changes): the other copies are carried over unread
    assert documented == [["wajo"]]
    assert {p: p.stat().st_mtime_ns for p in before} == before  # the other copies were not rewritten
    assert bundle(whole, "portal/pagefind-wajo") != old_copy
    clean = tmp_path / "clean"
    assert run_cli("build", "--root", repo, "--output", clean).exit_code == 0
    assert tree_bytes(whole) == tree_bytes(clean)


def test_a_missing_copy_is_made_from_the_agencys_unchanged_bundle(
        repo: Path, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    shutil.rmtree(out / "portal/pagefind-bone")  # e.g. the agencies were built before the portal
    seen, _ = built_bundles(monkeypatch)
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    assert seen == []  # copied from bone/pagefind, not indexed again
    clean = tmp_path / "clean"
    assert run_cli("build", "--root", repo, "--output", clean).exit_code == 0
    assert tree_bytes(out) == tree_bytes(clean)


def test_the_portal_merges_every_agency_that_has_posts(
        repo: Path, make_repo: Callable[..., Path], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    make_repo(agency_files("soppeng", ["kemiri hutan lindung"]))
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    assert (out / "portal/pagefind-soppeng/pagefind-entry.json").is_file()
    page = (out / "portal/cari/index.html").read_text("utf-8")
    assert "/pagefind-soppeng/" in page.split('data-merge="')[1].split('"')[0]
    clean = tmp_path / "clean"
    assert run_cli("build", "--root", repo, "--output", clean).exit_code == 0
    assert tree_bytes(out) == tree_bytes(clean)
    (repo / "content/soppeng/berita/2026-11-10-kabar-0.md").unlink()  # nothing left to find there
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    assert not (out / "portal/pagefind-soppeng").exists()
    assert "/pagefind-soppeng/" not in (out / "portal/cari/index.html").read_text("utf-8")
    assert (out / "soppeng/pagefind/pagefind.js").is_file()  # its own search page still loads


@pytest.fixture
def portal_nginx(repo: Path, run_cli: Callable[..., Result], tmp_path: Path) -> Iterator[int]:
    """The portal's web root of the repository's build, served by real nginx with its server block."""
    requires(NGINX, "nginx")
    out = tmp_path / "output"
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    work = tmp_path / "nginx"
    work.mkdir()
    port = free_port()
    region = yaml.safe_load(REGION_YAML)
    headers = security_headers(region["security"]["video_hosts"])
    servers = nginx_conf("portal", region["portal"]["base_url"], headers, root=str(out / "portal"),
                         listen=f"127.0.0.1:{port}")
    user = "user root;\n" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(HTTP_BLOCK.format(user=user, work=work, servers=servers))
    command = [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(process, [port], work / "error.log")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def results(page: Any, port: int, words: str) -> list[str]:
    from playwright.sync_api import expect

    page.goto(f"http://127.0.0.1:{port}/cari/?q={words}")
    # done: the status quotes the query (a function to wait for would be eval, refused by the CSP)
    expect(page.locator("[data-search-status]")).to_contain_text(f"\u201c{words}\u201d", timeout=15000)
    return list(page.eval_on_selector_all(".search-item a", "els => els.map(e => e.href)"))


def test_the_portal_search_page_merges_every_agency(portal_nginx: int, chromium: Any) -> None:
    context, page, problems = watched_page(chromium)
    last = results(page, portal_nginx, "sengkang")  # wajo: the last copy merged
    assert last == ["https://wajo.ujikab.go.id/berita/kabar-0/"]
    first = results(page, portal_nginx, "rendang")  # agam: the first
    assert first == ["https://agam.ujikab.go.id/berita/kabar-0/"]
    agency = results(page, portal_nginx, "bone")  # the portal's own index: the agency itself, first
    assert agency[0] == "https://bone.ujikab.go.id/", agency
    every = results(page, portal_nginx, "kabar")  # every post: one list over every agency
    hosts = {urlsplit(h).netloc.split(".")[0] for h in every}
    assert hosts == set(AGENCIES) and len(every) == sum(len(t) for t in AGENCIES.values())
    status = page.locator("[data-search-status]").inner_text()
    assert re.search(r"\b7\b", status), status  # the count is over every agency
    problems += [f"CSP {v}" for v in page.evaluate("window.__csp")]
    context.close()
    assert not problems, problems


def test_a_build_that_fails_its_checks_stops_indexing_and_publishes_nothing(
        repo: Path, make_repo: Callable[..., Path], run_cli: Callable[..., Result], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    before = tree_bytes(out)
    for slug in AGENCIES:  # every index must be made again
        post = repo / f"content/{slug}/berita/2026-11-10-kabar-0.md"
        post.write_text(post.read_text("utf-8") + "\nTambahan.\n", "utf-8")
    # the register checks run while Pagefind already indexes (it starts before them): their error
    # ends the build, and the indexing with it
    make_repo({"content/dinkes/dokumen/lk.md": "---\ntitle: Laporan\ncategory: berkala\ntype: lainnya\n"
                                               "year: 2026\ndate: 2026-06-01\nunit: Sekretariat\n"
                                               "file: lk-2025.pdf\n---\nIsi.\n"})
    seen: list[str] = []
    running = threading.Event()
    real_build, real_check = search._build_one, pipeline.check_register

    def slow(spawner: Any, binary: str, job: Any, *args: Any) -> list[Any]:
        seen.append(job.sr.root)
        running.set()
        time.sleep(0.5)
        return real_build(spawner, binary, job, *args)

    def check_later(*args: Any) -> None:  # the checks end once Pagefind is running
        assert running.wait(30)
        real_check(*args)

    monkeypatch.setattr(search, "_build_one", slow)
    monkeypatch.setattr(pipeline, "check_register", check_later)
    threads = threading.active_count()
    begun = time.perf_counter()
    result = run_cli("build", "--root", repo, "--output", out)
    assert result.exit_code == 1 and "lk-2025.pdf" in result.output
    assert 1 <= len(seen) < len(AGENCIES) + 1  # stopped after the runs going when the checks failed
    assert time.perf_counter() - begun < 0.5 * len(AGENCIES)
    assert threading.active_count() == threads  # no thread left behind
    assert tree_bytes(out) == before  # the previous output, untouched
