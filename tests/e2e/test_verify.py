"""`opdgen verify` against a deployed copy in a folder and behind a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from opdgen.verify.remote import GOOGLE_VISITOR, fetch, sample_pages, served_path
from tests.conftest import POST

B = "content/dinkes/berita/"
SPAM = '<p>Situs SLOT GACOR maxwin, <a href="https://gacor88.example/daftar">daftar</a></p>\n'
Verify = Callable[..., tuple[int, dict[str, Any]]]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Cloaking(Quiet):
    """A hacked server: spam for Googlebot, a gambling redirect for phones coming from Google."""

    post_path = ""

    def do_GET(self) -> None:
        agent = self.headers.get("User-Agent", "")
        if "Googlebot" in agent and self.path == "/":
            return self._send(200, ("<html><body>" + SPAM + "</body></html>").encode())
        if "google.com" in self.headers.get("Referer", "") and self.path == self.post_path:
            self.send_response(302)
            self.send_header("Location", "https://gacor88.example/")
            self.end_headers()
            return None
        return super().do_GET()

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class CatchAll(Cloaking):
    """A hacked server that answers every unknown address with a doorway page."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            return super().send_error(code, message, explain)
        return self._send(200, SPAM.encode())


class Server(ThreadingHTTPServer):
    request_queue_size = 64  # verify asks 8 at a time; the default backlog of 5 drops connections


@contextmanager
def serve(folder: Path, handler: type[SimpleHTTPRequestHandler] = Quiet) -> Iterator[str]:
    server = Server(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def site(make_repo: Callable[..., Path], run_cli: Callable[..., Result], tmp_path: Path) -> tuple[Path, Path]:
    """(repository, deployed copy of output/dinkes)."""
    second = POST.replace("Pekan Imunisasi Dimulai", "Posyandu Prima").replace("2026-11-20", "2026-11-21")
    repo = make_repo({B + "2026-11-20-imunisasi.md": POST, B + "2026-11-21-posyandu.md": second})
    assert run_cli("build", "--root", repo).exit_code == 0
    deployed = tmp_path / "www"
    shutil.copytree(repo / "output/dinkes", deployed)
    return repo, deployed


@pytest.fixture
def verify(site: tuple[Path, Path], run_cli: Callable[..., Result]) -> Verify:
    repo, deployed = site

    def run(kind: str, handler: type[SimpleHTTPRequestHandler] = Quiet) -> tuple[int, dict[str, Any]]:
        if kind == "folder":
            result = run_cli("verify", "--root", repo, "--site", "dinkes", "--json", deployed)
        else:
            with serve(deployed, handler) as url:
                result = run_cli("verify", "--root", repo, "--site", "dinkes", "--json", url)
        return result.exit_code, json.loads(result.output)

    return run


def findings(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["code"], f["path"]) for f in report["findings"]}


@pytest.mark.parametrize("kind", ["folder", "http"])
def test_an_untouched_copy_passes(verify: Verify, kind: str) -> None:
    code, report = verify(kind)
    assert code == 0 and report["ok"] and report["findings"] == []
    assert report["matched"] == report["files"] > 10


@pytest.mark.parametrize("kind", ["folder", "http"])
def test_a_changed_byte_is_caught(verify: Verify, site: tuple[Path, Path], kind: str) -> None:
    page = site[1] / "berita/imunisasi/index.html"
    data = bytearray(page.read_bytes())
    data[data.index(b"<h1") + 1] ^= 0x20  # one letter's case: a changed byte and nothing else
    page.write_bytes(bytes(data))
    code, report = verify(kind)
    assert code == 1 and findings(report) == {("verify.changed", "berita/imunisasi/index.html")}
    assert report["counts"]["changed"] == 1


@pytest.mark.parametrize("kind", ["folder", "http"])
def test_a_missing_file_is_caught(verify: Verify, site: tuple[Path, Path], kind: str) -> None:
    (site[1] / "feed.xml").unlink()
    code, report = verify(kind)
    assert code == 1 and findings(report) == {("verify.missing", "feed.xml")}


@pytest.mark.parametrize("kind", ["folder", "http"])
def test_an_added_shell_php_is_caught(verify: Verify, site: tuple[Path, Path], kind: str) -> None:
    (site[1] / "shell.php").write_text("<?php system($_GET['c']); ?>\n")
    code, report = verify(kind)
    assert code == 1 and findings(report) == {("verify.unexpected", "shell.php")}


@pytest.mark.parametrize("kind", ["folder", "http"])
def test_an_added_doorway_page_is_caught(verify: Verify, site: tuple[Path, Path], kind: str) -> None:
    doorway = site[1] / "slot-gacor-hari-ini.html"
    doorway.write_text(f"<html><body>\n{SPAM}</body></html>\n")
    if kind == "http":  # over HTTP only what is linked can be found: doorways get a hidden link
        home = site[1] / "index.html"
        home.write_text(home.read_text().replace("</main>", '<a href="/slot-gacor-hari-ini.html" hidden>.</a></main>'))
    code, report = verify(kind)
    assert code == 1
    assert ("verify.unexpected", "slot-gacor-hari-ini.html") in findings(report)
    spam = {(f["code"], f["line"], json.dumps(f["params"])) for f in report["findings"]
            if f["path"] == "slot-gacor-hari-ini.html"}
    assert ("verify.term", 2, '{"term": "slot gacor"}') in spam
    assert ("verify.link", 2, '{"domain": "gacor88.example"}') in spam
    if kind == "http":
        assert ("verify.changed", "index.html") in findings(report)


def test_a_page_cloaked_for_googlebot_is_caught(verify: Verify, site: tuple[Path, Path]) -> None:
    Cloaking.post_path = "/berita/posyandu/"
    code, report = verify("http", Cloaking)
    assert code == 1
    assert findings(report) >= {("verify.cloaked", "index.html"),
                                ("verify.cloaked_redirect", "berita/posyandu/index.html"),
                                ("verify.term", "index.html"), ("verify.link", "index.html")}
    assert {f["params"].get("agent") for f in report["findings"]} >= {
        "Googlebot", "Chrome Android, Referer google.com"}
    assert report["counts"] == {"changed": 0, "missing": 0, "unexpected": 0, "cloaked": 2}
    assert verify("folder")[0] == 0  # the files themselves are untouched: only the server lies


def test_a_catch_all_doorway_is_caught(verify: Verify) -> None:
    code, report = verify("http", CatchAll)
    assert code == 1 and ("verify.catch_all", "opdgen-verify-tidak-ada") in findings(report)
    assert ("verify.term", "opdgen-verify-tidak-ada") in findings(report)
    assert report["counts"]["unexpected"] == 1  # probes for backdoor names are not repeated


def test_the_text_report_suits_a_cron_mail(site: tuple[Path, Path], run_cli: Callable[..., Result]) -> None:
    repo, deployed = site
    (deployed / "shell.php").write_text("<?php ?>")
    result = run_cli("verify", "--root", repo, "--site", "dinkes", deployed)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("shell.php: Berkas ini tidak berasal dari build opdgen. Hapus berkas itu.")
    assert lines[-1].startswith(f"TIDAK COCOK di {deployed}: 0 berubah, 0 hilang, 1 tak dikenal, 0 disamarkan")
    (deployed / "shell.php").unlink()
    result = run_cli("verify", "--root", repo, "--site", "dinkes", "--lang", "en", deployed)
    assert result.exit_code == 0 and result.output.startswith("Match: ")


def test_usage_problems(site: tuple[Path, Path], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    repo, deployed = site
    assert run_cli("verify", "--root", repo, "--site", "disdik", deployed).exit_code == 2  # no manifest
    assert run_cli("verify", "--root", repo, "--site", "../dinkes", deployed).exit_code == 2
    manifest = repo / "output/.opdgen/dinkes/manifest.json"
    assert run_cli("verify", "--site", "portal", "--manifest", manifest, deployed).exit_code == 2  # wrong site
    other = tmp_path / "copy.json"
    shutil.copy(manifest, other)
    assert run_cli("verify", "--site", "dinkes", "--manifest", other, deployed).exit_code == 0
    result = run_cli("verify", "--root", repo, "--site", "dinkes", "http://127.0.0.1:9/")
    assert result.exit_code == 1 and "Tidak dapat membaca http://127.0.0.1:9/" in result.output


def test_fetch_follows_redirects_on_the_same_host_only(site: tuple[Path, Path]) -> None:
    with serve(site[1], Cloaking) as url:
        Cloaking.post_path = "/berita/imunisasi/"
        answer = fetch(url + "berita")  # 301 to /berita/ on the same host
        assert answer.status == 200 and answer.body == (site[1] / "berita/index.html").read_bytes()
        away = fetch(url + "berita/imunisasi/", GOOGLE_VISITOR)
        assert away.status == 302 and away.redirect == "https://gacor88.example/" and away.body == b""


def test_the_sample_is_spread_and_fixed() -> None:
    posts = [f"berita/p{i:03d}/index.html" for i in range(100)] + ["tag/x/index.html", "index.html"]
    chosen = sample_pages(posts, 5)
    assert chosen == ["index.html", "berita/p000/index.html", "berita/p020/index.html",
                      "berita/p040/index.html", "berita/p060/index.html", "berita/p080/index.html"]
    assert sample_pages(list(reversed(posts)), 5) == chosen
    assert sample_pages(posts, 0) == ["index.html"]
    assert [served_path(p) for p in ("index.html", "berita/x/index.html", "feed.xml")] == ["", "berita/x/", "feed.xml"]
