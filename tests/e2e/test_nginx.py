"""Real nginx serves the built sample with the generated server block: every header is there, nothing
runs on the server, and headless Chromium loads the pages with no CSP violation and no console error.

nginx runs as a child process on 127.0.0.1 (pid, logs and temp files in a temporary folder); its
server blocks come from opdgen.outputs.headers, the same code that writes output/.opdgen/<site>/nginx.conf.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from opdgen.outputs.headers import IMMUTABLE, SHORT, nginx_conf, nginx_rules, security_headers
from opdgen.verify import read_manifest, verify
from tests.conftest import PROJECT, requires
from tests.e2e.sitecheck import site_origins

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ROOTS = ("dinkes", "portal")
HTTP_BLOCK = """\
daemon off;
master_process on;
worker_processes 1;
{user}pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    types {{ application/atom+xml xml; }}
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{servers}}}
"""
Served = dict[str, tuple[str, int, Path]]  # web root -> (base URL in the build, port, folder served)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def video_hosts() -> list[str]:
    return list(yaml.safe_load((PROJECT / "opdgen.yaml").read_text())["security"]["video_hosts"])


@pytest.fixture(scope="module")
def nginx(sample_output: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    requires(NGINX, "nginx")
    work = tmp_path_factory.mktemp("nginx")
    bases = {folder: base for base, folder in site_origins(PROJECT).items()}
    served: Served = {}
    servers = ""
    for root in ROOTS:
        www = work / "www" / root
        shutil.copytree(sample_output / root, www)
        (www / "shell.php").write_text("<?php echo 'pwned-' . 'now'; ?>\n")  # an uploaded backdoor
        port = free_port()
        served[root] = (bases[root], port, www)
        servers += nginx_conf(root, bases[root], security_headers(video_hosts()), root=str(www),
                              listen=f"127.0.0.1:{port}")
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the temporary folder
    (work / "nginx.conf").write_text(HTTP_BLOCK.format(user=user, work=work, servers=servers))
    process = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e",
                                str(work / "error.log")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_for(process, [port for _, port, _ in served.values()], work / "error.log")
        yield served
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def _wait_for(process: subprocess.Popen[bytes], ports: list[int], log: Path) -> None:
    deadline = time.monotonic() + 15
    for port in ports:
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited: {log.read_text() if log.exists() else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("nginx did not start listening")
                time.sleep(0.05)


def get(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path)
        answer = conn.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        conn.close()


def test_the_shipped_nginx_conf_holds_the_tested_rules(sample_output: Path) -> None:
    headers = security_headers(video_hosts())
    for root in ROOTS:
        shipped = (sample_output / ".opdgen" / root / "nginx.conf").read_text()
        assert nginx_rules("/", headers, f"/var/www/opdgen/{root}") in shipped


def assert_security_headers(headers: dict[str, str]) -> None:
    for name, value in security_headers(video_hosts()):
        assert headers.get(name.lower()) == value, name
    assert "unsafe-inline" not in headers["content-security-policy"]


@pytest.mark.parametrize("root", ROOTS)
def test_every_response_carries_the_security_headers(nginx: Served, root: str) -> None:
    port = nginx[root][1]
    status, headers, body = get(port, "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert_security_headers(headers)
    assert headers["cache-control"] == SHORT
    status, headers, body = get(port, "/tidak-ada/")
    assert status == 404 and b"<h1" in body  # the site's own 404 page
    assert_security_headers(headers)
    status, headers, body = get(port, "/.well-known/security.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain") and b"Contact: " in body
    assert_security_headers(headers)


@pytest.mark.parametrize("root", ROOTS)
def test_fingerprinted_assets_are_immutable_and_html_short(nginx: Served, sample_output: Path, root: str) -> None:
    port = nginx[root][1]
    assets = [p.relative_to(sample_output / root).as_posix() for p in (sample_output / root / "assets").rglob("*.*")]
    assert any(a.endswith(".css") for a in assets)
    for asset in assets:
        status, headers, body = get(port, "/" + asset)
        assert status == 200 and headers["cache-control"] == IMMUTABLE, asset
        assert body == (sample_output / root / asset).read_bytes()
        assert_security_headers(headers)
    status, headers, _ = get(port, "/berita/")
    assert status == 200 and headers["cache-control"] == SHORT
    assert get(port, "/feed.xml")[1]["cache-control"] == SHORT


def test_fingerprinted_photos_are_immutable_documents_short(nginx: Served, sample_output: Path) -> None:
    """Photos are named with their hash (media/x-800.<hash>.webp) like assets; documents keep their names."""
    media = sorted((sample_output / "dinkes/media").iterdir())
    photo = next(p.name for p in media if p.suffix == ".webp")
    status, headers, body = get(nginx["dinkes"][1], f"/media/{photo}")
    assert status == 200 and headers["cache-control"] == IMMUTABLE and body == (sample_output / "dinkes/media" / photo).read_bytes()
    assert_security_headers(headers)
    document = next(p.name for p in media if p.suffix == ".pdf")
    status, headers, _ = get(nginx["dinkes"][1], f"/media/{document}")
    assert status == 200 and headers["cache-control"] == SHORT
    assert get(nginx["dinkes"][1], f"/media/{photo}", method="POST")[0] in (403, 405)


@pytest.mark.parametrize("path", ["/shell.php", "/shell.php/x", "/SHELL.PHP", "/assets/../shell.php", "/.htaccess",
                                  "/_headers", "/.well-known/../.htaccess"])
def test_server_side_files_are_neither_run_nor_served(nginx: Served, path: str) -> None:
    status, headers, body = get(nginx["dinkes"][1], path)
    assert status == 404, path
    assert b"<?php" not in body and b"pwned" not in body and b"Require all denied" not in body
    assert_security_headers(headers)


def test_no_listings_and_only_reading_methods(nginx: Served) -> None:
    port = nginx["dinkes"][1]
    assert get(port, "/assets/")[0] == 404
    assert get(port, "/assets/css/")[0] == 404
    assert get(port, "/", method="POST")[0] in (403, 405)
    assert get(port, "/", method="HEAD")[0] == 200


PAGES = {
    "dinkes": ["/", "/berita/", "/berita/psn-serentak-cegah-dbd/", "/pengumuman/", "/tag/", "/tag/dbd/",
               "/profil/", "/kontak/", "/404.html", "/cari/?q=demam"],
    "portal": ["/", "/berita/", "/opd/", "/cari/?q=demam"],  # search: Pagefind's wasm under the real CSP
}
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def watched_page(chromium: Any) -> tuple[Any, Any, list[str]]:
    context = chromium.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    return context, page, problems


def test_the_watch_sees_inline_code_and_a_bad_integrity(nginx: Served, chromium: Any) -> None:
    """Control: the checks below would notice what a strict CSP and SRI are there to stop."""
    _, port, www = nginx["dinkes"]
    css = next((www / "assets/css").glob("site.*.css")).name
    (www / "csp-probe.html").write_text(
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>x</title>'
        f'<link rel="stylesheet" href="/assets/css/{css}" integrity="sha384-AAAA"></head>'
        '<body><p style="color:red">x</p><script>document.title = "ran"</script></body></html>')
    context, page, problems = watched_page(chromium)
    page.goto(f"http://127.0.0.1:{port}/csp-probe.html")
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__csp")
    title = page.title()
    context.close()
    assert title == "x"  # the inline script did not run
    assert any(v.startswith("script-src") for v in violations), violations
    assert any(v.startswith("style-src") for v in violations), violations
    assert any("integrity" in p for p in problems), problems


@pytest.mark.parametrize("root", ROOTS)
def test_chromium_loads_pages_without_csp_violations_or_console_errors(nginx: Served, chromium: Any,
                                                                       root: str) -> None:
    port = nginx[root][1]
    context, page, problems = watched_page(chromium)
    for path in PAGES[root]:
        answer = page.goto(f"http://127.0.0.1:{port}{path}")
        assert answer is not None and answer.status == 200, path
        assert answer.headers["content-security-policy"].startswith("default-src 'self'")
        page.wait_for_load_state("networkidle")  # the favicon too, before the next page
        problems += [f"{path}: CSP {v}" for v in page.evaluate("window.__csp")]
        brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()")
        assert brand.startswith("#"), f"{path}: the brand stylesheet (with SRI) did not apply"
        sheets = page.evaluate("document.styleSheets.length")
        assert sheets == 2, f"{path}: {sheets} stylesheets applied"
    context.close()
    assert not problems, problems


@pytest.mark.parametrize("root", ROOTS)
def test_verify_passes_against_the_real_server(nginx: Served, sample_output: Path, root: str) -> None:
    """The manifest matches what nginx serves byte for byte; its 404 for shell.php is no finding."""
    manifest = read_manifest(sample_output / ".opdgen" / root / "manifest.json", root)
    outcome = verify(manifest, f"http://127.0.0.1:{nginx[root][1]}/")
    assert outcome.ok, outcome.problems
    assert outcome.matched == outcome.files == len(manifest.files) - 2  # _headers and .htaccess are not served


def test_the_shipped_https_block_passes_nginx_t(sample_output: Path, tmp_path: Path) -> None:
    """output/.opdgen/<site>/nginx.conf as written (only the certificate and root paths moved)."""
    requires(NGINX, "nginx")
    requires("openssl", "openssl")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=uji",
                    "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
                   check=True, capture_output=True)
    shipped = (sample_output / ".opdgen/dinkes/nginx.conf").read_text()
    site = shipped.replace("/etc/letsencrypt/live/dinkes.sukamajukab.go.id", str(tmp_path)).replace(
        "/var/www/opdgen/dinkes", str(sample_output / "dinkes"))
    conf = HTTP_BLOCK.format(user="", work=tmp_path, servers=site).replace("daemon off;\n", "")
    (tmp_path / "nginx.conf").write_text(conf)
    done = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e",
                           str(tmp_path / "error.log")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
