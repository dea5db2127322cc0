"""The portal's search index in shards (opdgen.outputs.search_shards), with a tiny shard size: each
shard is a bundle of its own, an edit re-indexes only its shard, a portal-only build and an
incremental one give the bytes of a whole clean build, and the portal's /cari/ page, served by real
nginx under the real CSP, finds posts of the first shard and of the last one in real Chromium."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
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
from opdgen.outputs import search, search_shards
from opdgen.outputs.headers import nginx_conf, security_headers
from tests.conftest import POST, REGION_YAML, SITE_YAML, requires, tree_bytes
from tests.e2e.test_nginx import HTTP_BLOCK, NGINX, _wait_for, free_port, watched_page

# agency -> words of each of its posts; with at most 2 documents a shard: (agam, bone) (dinkes) (wajo)
AGENCIES = {
    "agam": ["rendang festival kuliner"],
    "bone": ["pinisi perahu tradisional"],
    "dinkes": ["posyandu balita sehat", "vaksinasi lansia desa"],
    "wajo": ["tenun sutera sengkang", "danau tempe nelayan", "sutera ekspor perajin"],
}
SHARDS = ["pagefind", "pagefind-1", "pagefind-2"]


def agency_files(slug: str, topics: list[str]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        f"content/{slug}/site.yaml": SITE_YAML.replace("dinkes.", f"{slug}.").replace(
            "Dinas Kesehatan", f"Dinas {slug.title()}").replace("Dinkes", slug.title()),
    }
    for i, words in enumerate(topics):
        files[f"content/{slug}/berita/2026-11-{10 + i:02d}-kabar-{i}.md"] = dated_post("2026-11-20", words)
    return files


def dated_post(day: str, words: str) -> str:
    """A post of that day about those words (titled by the first)."""
    return POST.replace("2026-11-20 08:30", f"{day} 08:30").replace(
        "Pekan Imunisasi Dimulai", f"Kabar {words.split()[0].title()}").replace(
        "Pekan imunisasi dimulai di seluruh puskesmas.", f"Kabar tentang {words} di kabupaten.")


@pytest.fixture
def repo(make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(search_shards, "SHARD_DOCS", 2)
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

    def spy(spawner: Any, binary: str, sr: search.SearchRoot, *args: Any) -> list[Any]:
        seen.append(f"{sr.root}/{sr.bundle}")
        return real_build(spawner, binary, sr, *args)

    def documents(region: Any, kind_label: Any, only: Any = None, leads: Any = None,
                  whole: Any = None, sources: Any = None) -> list[Any]:
        documented.append(sorted(only) if only is not None else ["*"])
        return real_documents(region, kind_label, only, leads, whole, sources)

    monkeypatch.setattr(search, "_build_one", spy)
    monkeypatch.setattr(search, "region_documents", documents)
    return seen, documented


def test_shards_are_bundles_of_their_own_and_builds_agree(
        repo: Path, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = tmp_path / "whole"
    assert run_cli("build", "--root", repo, "--output", whole).exit_code == 0
    folders = sorted(p.name for p in (whole / "portal").iterdir() if p.name.startswith("pagefind"))
    assert folders == SHARDS
    for name in SHARDS:  # the first bundle's code and WebAssembly search them all: a shard has none
        names = {p.name for p in (whole / "portal" / name).iterdir()}
        assert "pagefind-entry.json" in names and "index" in names and "fragment" in names
        code = {n for n in names if n in ("pagefind.js", "pagefind-worker.js") or n.startswith("wasm.")}
        assert code == ({"pagefind.js", "pagefind-worker.js", "wasm.id.pagefind", "wasm.unknown.pagefind"}
                        if name == "pagefind" else set()), name
    page = (whole / "portal/cari/index.html").read_text("utf-8")
    assert 'data-bundle="/pagefind/"' in page and 'data-merge="/pagefind-1/ /pagefind-2/"' in page
    assert "data-merge" not in (whole / "wajo/cari/index.html").read_text("utf-8")  # one index each

    portal_only = tmp_path / "portal-only"
    assert run_cli("build", "--root", repo, "--output", portal_only, "--site", "portal").exit_code == 0
    full = tree_bytes(whole)
    assert {k: v for k, v in tree_bytes(portal_only).items() if k.startswith("portal/")} == \
        {k: v for k, v in full.items() if k.startswith("portal/")}

    seen, documented = built_bundles(monkeypatch)
    post = repo / "content/wajo/berita/2026-11-11-kabar-1.md"
    post.write_text(post.read_text("utf-8") + "\nPerahu baru diluncurkan oleh nelayan.\n", "utf-8")
    before = {p: p.stat().st_mtime_ns for p in (whole / "portal").glob("pagefind/**/*") if p.is_file()}
    assert run_cli("build", "--root", repo, "--output", whole).exit_code == 0
    assert sorted(seen) == ["portal/pagefind-2", "wajo/pagefind"]  # its agency and its shard only
    # only a post changed, in place (opdgen.build.changes): the other shards are carried over unread
    assert documented == [["wajo"]]
    assert {p: p.stat().st_mtime_ns for p in before} == before  # shard 0 was not rewritten
    clean = tmp_path / "clean"
    assert run_cli("build", "--root", repo, "--output", clean).exit_code == 0
    assert tree_bytes(whole) == tree_bytes(clean)


def test_an_edit_past_a_posts_opening_leaves_the_portal_shard_as_it_was(
        repo: Path, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal indexes a post's title, summary and opening (search.lead_doc): an edit further
    down re-indexes the agency's own shard only, and the portal's shard is carried over without the
    documents of its other agencies being made (the last build's digests of its agencies' portal
    documents, in the sidecar); a new title re-indexes it. Each build is a clean build's bytes."""
    post = repo / "content/wajo/berita/2026-11-11-kabar-1.md"
    opening = " ".join(f"kata{i}" for i in range(search.LEAD_WORDS + 10))
    post.write_text(post.read_text("utf-8") + f"\n{opening}\n", "utf-8")
    out = tmp_path / "out"
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    seen, documented = built_bundles(monkeypatch)
    post.write_text(post.read_text("utf-8") + "\nPerahu baru diluncurkan oleh nelayan.\n", "utf-8")
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    assert seen == ["wajo/pagefind"] and documented == [["wajo"]]
    clean = tmp_path / "clean"
    assert run_cli("build", "--root", repo, "--output", clean).exit_code == 0
    assert tree_bytes(out) == tree_bytes(clean)

    seen.clear()
    documented.clear()
    post.write_text(post.read_text("utf-8").replace("title: Kabar Danau", "title: Kabar Danau Tempe"), "utf-8")
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    assert sorted(seen) == ["portal/pagefind-2", "wajo/pagefind"] and documented == [["wajo"]]
    shutil.rmtree(clean)
    assert run_cli("build", "--root", repo, "--output", clean).exit_code == 0
    assert tree_bytes(out) == tree_bytes(clean)


def test_a_build_without_the_previous_output_takes_the_bundles_from_the_cache(
        repo: Path, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = tmp_path / "first"
    assert run_cli("build", "--root", repo, "--output", first).exit_code == 0
    seen, _ = built_bundles(monkeypatch)
    ci = tmp_path / "ci"  # a CI job: .opdgen-cache/ restored, no output/
    assert run_cli("build", "--root", repo, "--output", ci).exit_code == 0
    assert seen == []  # Pagefind never ran
    assert tree_bytes(ci) == tree_bytes(first)

    post = repo / "content/wajo/berita/2026-11-11-kabar-1.md"
    post.write_text(post.read_text("utf-8") + "\nPerahu baru diluncurkan oleh nelayan.\n", "utf-8")
    shutil.rmtree(ci)
    assert run_cli("build", "--root", repo, "--output", ci).exit_code == 0
    assert sorted(seen) == ["portal/pagefind-2", "wajo/pagefind"]  # what the edit changed, only
    fresh = tmp_path / "fresh"  # the same tree with no cache at all
    shutil.copytree(repo, fresh, ignore=shutil.ignore_patterns(".opdgen-cache"))
    assert run_cli("build", "--root", fresh, "--output", tmp_path / "clean").exit_code == 0
    assert tree_bytes(ci) == tree_bytes(tmp_path / "clean")
    with sqlite3.connect(repo / ".opdgen-cache/cache.sqlite") as db:  # the replaced bundles are gone
        keys = [k for (k,) in db.execute("SELECT key FROM entry WHERE ns = 'search' ORDER BY key")]
    assert sorted(k.partition(":")[0] for k in keys) == sorted(
        [*(f"{slug}/pagefind" for slug in AGENCIES), *(f"portal/{name}" for name in SHARDS)])


def test_the_build_hears_when_pagefind_starts_even_with_nothing_to_index(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opdgen.cli import build_now
    from opdgen.content.loader import LoadOptions, load_region

    region, _ = load_region(repo, LoadOptions(now=build_now()))
    assert region is not None
    events: list[str] = []
    real_build = search._build_one
    monkeypatch.setattr(search, "_build_one", lambda *a: events.append("pagefind") or real_build(*a))
    sites = [s.slug for s in region.sites]
    cache = tmp_path / "cache.sqlite"
    first = search.search_files(region, None, sites, cache=cache, launching=lambda: events.append("launching"))
    assert events[0] == "launching" and events.count("launching") == 1
    assert events.count("pagefind") == len(AGENCIES) + len(SHARDS)  # after the documents were laid out
    events.clear()
    again = search.search_files(region, None, sites, cache=cache, launching=lambda: events.append("launching"))
    assert events == ["launching"]  # every bundle from the cache: no run, and still told
    assert again == first


def test_after_an_edit_pagefind_starts_before_the_previous_output_is_looked_at(
        repo: Path, run_cli: Callable[..., Result], tmp_path: Path) -> None:
    """With the agencies of the changed posts known, the search thread lays out their documents and
    starts Pagefind first; the other shards are carried over once the previous output's pages come."""
    from opdgen.cli import build_now
    from opdgen.content.loader import LoadOptions, load_region
    from opdgen.outputs.files import PageReuse

    out = tmp_path / "out"
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    region, _ = load_region(repo, LoadOptions(now=build_now()))
    assert region is not None
    events: list[str] = []

    def previous() -> PageReuse:
        events.append("previous output")
        reuse = PageReuse.load(out)
        reuse.trusted = frozenset({"content/wajo/berita/2026-11-11-kabar-1.md"})
        return reuse

    files = search.search_files(region, previous, ["wajo"], launching=lambda: events.append("launching"),
                                touched=frozenset({"wajo"}))
    assert events == ["launching", "previous output"]
    made = {str(f.path) for f in files if not f.reused}
    assert {p.partition("/pagefind")[0] + "/" + p.split("/")[1] for p in made} == {
        "wajo/pagefind", "portal/pagefind-2"}
    carried = {str(f.path) for f in files if f.reused}
    assert carried and all(p.startswith(("portal/pagefind/", "portal/pagefind-1/")) for p in carried)
    alike = {str(f.path): f.data for f in search.search_files(region, None, ["wajo"])}
    assert {str(f.path): f.data for f in files if not f.reused} == {
        k: v for k, v in alike.items() if k.startswith(("wajo/", "portal/pagefind-2/"))}


def test_a_shard_that_cannot_be_carried_is_indexed_after_all(repo: Path, tmp_path: Path) -> None:
    from opdgen.cli import build_now
    from opdgen.content.loader import LoadOptions, load_region
    from opdgen.outputs.files import PageReuse

    region, _ = load_region(repo, LoadOptions(now=build_now()))
    assert region is not None
    sites = [s.slug for s in region.sites]
    whole = {str(f.path): f.data for f in search.search_files(region, None, sites)}
    # no previous output at all (as if output/ had lost its bundles): nothing to carry
    files = search.search_files(region, lambda: PageReuse.load(tmp_path / "none"), ["wajo"],
                                touched=frozenset({"wajo"}))
    got = {str(f.path): f.data for f in files}
    assert got == {k: v for k, v in whole.items() if k.startswith(("wajo/", "portal/"))}


def test_new_posts_move_shard_boundaries_and_the_search_page_follows(
        repo: Path, make_repo: Callable[..., Path], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    make_repo(agency_files("bone", ["pinisi perahu tradisional", "benteng kerajaan tua"]))
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0  # (agam) (bone) (dinkes) (wajo)
    assert sorted(p.name for p in (out / "portal").iterdir() if p.name.startswith("pagefind")) == \
        [*SHARDS, "pagefind-3"]
    page = (out / "portal/cari/index.html").read_text("utf-8")
    assert 'data-merge="/pagefind-1/ /pagefind-2/ /pagefind-3/"' in page
    clean = tmp_path / "clean"
    assert run_cli("build", "--root", repo, "--output", clean).exit_code == 0
    assert tree_bytes(out) == tree_bytes(clean)
    (repo / "content/bone/berita/2026-11-11-kabar-1.md").unlink()
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    assert not (out / "portal/pagefind-3").exists()  # a shard no longer made is gone from the output


# wajo's news over three months; with at most one document a shard, its index has a shard a month
MONTHS = {"2026-09-14": "tenun sutera sengkang", "2026-10-14": "danau tempe nelayan",
          "2026-11-14": "sutera ekspor perajin"}
MONTHLY = ["pagefind", "pagefind-1", "pagefind-2"]


@pytest.fixture
def monthly(make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(search_shards, "AGENCY_SHARD_DOCS", 1)
    files = agency_files("wajo", [])
    for i, (day, words) in enumerate(MONTHS.items()):
        files[f"content/wajo/berita/{day}-kabar-{i}.md"] = dated_post(day, words)
    return make_repo(files)


def test_an_agency_index_comes_in_shards_of_months_and_an_edit_indexes_one(
        monthly: Path, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--root", monthly, "--output", out).exit_code == 0
    assert sorted(p.name for p in (out / "wajo").iterdir() if p.name.startswith("pagefind")) == MONTHLY
    assert (out / "wajo/pagefind/pagefind.js").is_file() and not (out / "wajo/pagefind-1/pagefind.js").exists()
    assert 'data-merge="/pagefind-1/ /pagefind-2/"' in (out / "wajo/cari/index.html").read_text("utf-8")
    entries = [json.loads((out / "wajo" / name / "pagefind-entry.json").read_text()) for name in MONTHLY]
    assert [e["languages"]["id"]["page_count"] for e in entries] == [1, 1, 1]

    seen, _ = built_bundles(monkeypatch)
    october = monthly / "content/wajo/berita/2026-10-14-kabar-1.md"
    october.write_text(october.read_text("utf-8") + "\nPerahu baru diluncurkan oleh nelayan.\n", "utf-8")
    assert run_cli("build", "--root", monthly, "--output", out).exit_code == 0
    assert sorted(seen) == ["portal/pagefind", "wajo/pagefind-1"]  # its month's shard, and the portal's
    clean = tmp_path / "clean"
    assert run_cli("build", "--root", monthly, "--output", clean).exit_code == 0
    assert tree_bytes(out) == tree_bytes(clean)

    seen.clear()  # a new post of the newest month: only the last shard changes
    (monthly / "content/wajo/berita/2026-11-25-baru.md").write_text(dated_post("2026-11-25", "songkok recca"))
    assert run_cli("build", "--root", monthly, "--output", out).exit_code == 0
    assert sorted(seen) == ["portal/pagefind", "wajo/pagefind-2"]
    shutil.rmtree(clean)
    assert run_cli("build", "--root", monthly, "--output", clean).exit_code == 0
    assert tree_bytes(out) == tree_bytes(clean)


def test_a_halaman_cannot_take_the_folder_of_a_search_shard(
        monthly: Path, make_repo: Callable[..., Path], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    make_repo({"content/wajo/halaman/pagefind-2.md": "---\ntitle: Cari\n---\nTeks.\n"})
    result = run_cli("build", "--root", monthly, "--output", tmp_path / "out")
    assert result.exit_code == 1
    assert "content/wajo/halaman/pagefind-2.md" in result.output and "pagefind-2" in result.output


@contextlib.contextmanager
def served(out: Path, web_root: str, base_url: str, work: Path) -> Iterator[int]:
    """A web root of a build, served by real nginx with its server block (under the real CSP): the port."""
    requires(NGINX, "nginx")
    work.mkdir()
    port = free_port()
    headers = security_headers(yaml.safe_load(REGION_YAML)["security"]["video_hosts"])
    servers = nginx_conf(web_root, base_url, headers, root=str(out / web_root), listen=f"127.0.0.1:{port}")
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


def test_an_agency_search_page_searches_every_shard(
        monthly: Path, run_cli: Callable[..., Result], tmp_path: Path, chromium: Any) -> None:
    requires(NGINX, "nginx")
    out = tmp_path / "output"
    assert run_cli("build", "--root", monthly, "--output", out).exit_code == 0
    with served(out, "wajo", "https://wajo.ujikab.go.id/", tmp_path / "nginx") as port:
        context, page, problems = watched_page(chromium)
        assert results(page, port, "tenun") == ["https://wajo.ujikab.go.id/berita/kabar-0/"]  # the first
        assert results(page, port, "perajin") == ["https://wajo.ujikab.go.id/berita/kabar-2/"]  # the last
        every = results(page, port, "kabupaten")  # one list over the three shards
        assert sorted(every) == [f"https://wajo.ujikab.go.id/berita/kabar-{i}/" for i in range(3)]
        problems += [f"CSP {v}" for v in page.evaluate("window.__csp")]
        context.close()
    assert not problems, problems


@pytest.fixture
def portal_nginx(repo: Path, run_cli: Callable[..., Result], tmp_path: Path) -> Iterator[int]:
    """The portal's web root of the repository's build, served by real nginx with its server block."""
    requires(NGINX, "nginx")
    out = tmp_path / "output"
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    with served(out, "portal", yaml.safe_load(REGION_YAML)["portal"]["base_url"], tmp_path / "nginx") as port:
        yield port


def results(page: Any, port: int, words: str) -> list[str]:
    from playwright.sync_api import expect

    page.goto(f"http://127.0.0.1:{port}/cari/?q={words}")
    # done: the status quotes the query (a function to wait for would be eval, refused by the CSP)
    expect(page.locator("[data-search-status]")).to_contain_text(f"\u201c{words}\u201d", timeout=15000)
    return list(page.eval_on_selector_all(".search-item a", "els => els.map(e => e.href)"))


def test_the_portal_search_page_searches_every_shard(portal_nginx: int, chromium: Any) -> None:
    context, page, problems = watched_page(chromium)
    last = results(page, portal_nginx, "sengkang")  # wajo: the last shard
    assert last == ["https://wajo.ujikab.go.id/berita/kabar-0/"]
    first = results(page, portal_nginx, "rendang")  # agam: the first shard (the primary bundle)
    assert first == ["https://agam.ujikab.go.id/berita/kabar-0/"]
    every = results(page, portal_nginx, "kabupaten")  # every post: one list over the three shards
    hosts = {urlsplit(h).netloc.split(".")[0] for h in every}
    assert hosts == set(AGENCIES) and len(every) == sum(len(t) for t in AGENCIES.values())
    status = page.locator("[data-search-status]").inner_text()
    assert re.search(r"\b7\b", status), status  # the count is over every shard
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

    def slow(spawner: Any, binary: str, sr: search.SearchRoot, *args: Any) -> list[Any]:
        seen.append(f"{sr.root}/{sr.bundle}")
        running.set()
        time.sleep(0.5)
        return real_build(spawner, binary, sr, *args)

    def check_later(*args: Any) -> None:  # the checks end once Pagefind is running
        assert running.wait(30)
        real_check(*args)

    monkeypatch.setattr(search, "_build_one", slow)
    monkeypatch.setattr(pipeline, "check_register", check_later)
    threads = threading.active_count()
    result = run_cli("build", "--root", repo, "--output", out)
    assert result.exit_code == 1 and "lk-2025.pdf" in result.output
    runs = len(AGENCIES) + len(SHARDS)  # every agency's index and every shard
    assert 1 <= len(seen) < runs  # stopped after the runs going when the checks failed
    assert threading.active_count() == threads  # no thread left behind
    assert tree_bytes(out) == before  # the previous output, untouched
