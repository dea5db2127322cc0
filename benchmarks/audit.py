"""`make audit`: Lighthouse (npm, mobile preset) on the built sample, served as in production.

The sample content is built into a temporary folder (OPDGEN_NOW defaults to the tests' moment, so
the audited bytes are reproducible), then real nginx serves every web root with the server blocks
opdgen ships (output/.opdgen/<site>/nginx.conf: HTTP/2, security headers, cache rules, gzip), only moved to
127.0.0.1 with a throwaway self-signed certificate. Chromium reaches the sites by their real https
base URLs (--host-resolver-rules maps those host names to nginx and every other name to nothing),
so canonical URLs, HSTS and the CSP are the deployed ones. Lighthouse runs with its default mobile
form factor and simulated throttling on each page of PAGES, one after the other, three times each
(--runs, AUDIT_RUNS): the run with the median performance score is the page's, as Lighthouse's docs
advise for a score that varies with the machine's load.

Prints the four category scores per page and every failing audit; the JSON reports are written to
benchmarks/results/lighthouse/ (git-ignored). Exit 1 when any score is below 100. Not in `make test`.

    python -m benchmarks.audit [--output DIR] [--url NAME=URL]... [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.lighthouse import CATEGORIES, PageResult, median_run, page_result, table, verdict
from tests.e2e.test_nginx import HTTP_BLOCK  # the same nginx frame as the serving tests

ROOT = Path(__file__).resolve().parent.parent
OPDGEN = ROOT / ".venv" / "bin" / "opdgen"
# LIGHTHOUSE=/path/to/node_modules/.bin/lighthouse tries another version than package.json's
LIGHTHOUSE = Path(os.environ.get("LIGHTHOUSE", ROOT / "node_modules" / ".bin" / "lighthouse"))
REPORTS = ROOT / "benchmarks" / "results" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NOW = "2026-11-28 12:00"  # tests/conftest.py's NOW: the moment the sample content is built at
# An agency home page, a post page with a photo (the largest paint), and the portal home.
PAGES = (
    ("dinkes-home", "https://dinkes.sukamajukab.go.id/"),
    ("dinkes-post", "https://dinkes.sukamajukab.go.id/berita/posyandu-prima-percepat-penurunan-stunting/"),
    ("portal-home", "https://sukamajukab.go.id/"),
)
CHROME_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                "--ignore-certificate-errors")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build(output: Path) -> None:
    """The sample content, built by the project's opdgen into `output`."""
    env = {**os.environ, "OPDGEN_NOW": os.environ.get("OPDGEN_NOW", NOW)}
    done = subprocess.run([str(OPDGEN), "build", "--root", str(ROOT), "--output", str(output), "--quiet"],
                          env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"audit: the sample content did not build (exit {done.returncode}; problems above)")


def certificate(work: Path, hosts: list[str]) -> tuple[Path, Path]:
    """A self-signed certificate for the sample host names, valid two days; Chromium is told to accept it."""
    cert, key = work / "fullchain.pem", work / "privkey.pem"
    names = ",".join(f"DNS:{h}" for h in hosts)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=opdgen-audit", "-addext", f"subjectAltName={names}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def server_name(shipped: str) -> str:
    """The host name a shipped server block answers for."""
    found = re.search(r"^\s*server_name (\S+);", shipped, re.M)
    if found is None:
        raise SystemExit("audit: no server_name in a shipped nginx.conf")
    return found.group(1)


def local_block(shipped: str, www: Path, cert: Path, key: Path, https: int, http: int) -> str:
    """The shipped server block with only its ports, certificate and root moved."""
    name = server_name(shipped)
    block, ipv6 = re.subn(r"^[ \t]*listen \[::\]:[^\n]*\n", "", shipped, flags=re.M)
    if ipv6 != 2:
        raise SystemExit(f"audit: expected two IPv6 listen lines in the nginx.conf of {name}")
    moves = [  # "listen 443 ssl http2;" keeps its options: the audit serves what production serves
        ("listen 80;", f"listen 127.0.0.1:{http};"), ("listen 443 ", f"listen 127.0.0.1:{https} "),
        (f"/etc/letsencrypt/live/{name}/fullchain.pem", str(cert)),
        (f"/etc/letsencrypt/live/{name}/privkey.pem", str(key)),
    ]
    for old, new in moves:
        if old not in block:
            raise SystemExit(f"audit: the shipped nginx.conf of {name} no longer has {old.strip()!r}")
        block = block.replace(old, new)
    block, roots = re.subn(r"^(\s*)root \S+;", lambda m: f"{m.group(1)}root {www};", block, flags=re.M)
    if roots != 1:
        raise SystemExit(f"audit: expected one root line in the nginx.conf of {name}")
    return block


def start_nginx(output: Path, work: Path, port: int) -> tuple[subprocess.Popen[bytes], list[str]]:
    """nginx serving every web root of `output` on 127.0.0.1:port (HTTPS); returns it and the host names."""
    confs = sorted((output / ".opdgen").glob("*/nginx.conf"))
    shipped = {conf.parent.name: conf.read_text() for conf in confs}
    hosts = [server_name(text) for text in shipped.values()]
    cert, key = certificate(work, hosts)
    http = free_port()
    servers = "".join(local_block(text, output / web_root, cert, key, port, http)
                      for web_root, text in shipped.items())
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the temporary folder
    (work / "nginx.conf").write_text(HTTP_BLOCK.format(user=user, work=work, servers=servers))
    process = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e",
                                str(work / "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while True:
        if process.poll() is not None:
            raise SystemExit(f"audit: nginx exited: {(work / 'error.log').read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, hosts
        except OSError:
            if time.monotonic() > deadline:
                process.terminate()
                raise SystemExit("audit: nginx did not start listening") from None
            time.sleep(0.05)


def lighthouse(name: str, url: str, hosts: list[str], port: int) -> PageResult:
    """One Lighthouse run (default config: mobile, simulated throttling); its JSON is REPORTS/NAME.json."""
    rules = ", ".join([f"MAP {h} 127.0.0.1:{port}" for h in hosts] + ["MAP * ~NOTFOUND"])
    flags = " ".join([*CHROME_FLAGS, f'--host-resolver-rules="{rules}"'])
    target = REPORTS / f"{name}.json"
    target.unlink(missing_ok=True)  # never read the report of an earlier run
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={target}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
    done = subprocess.run(command, env=env, check=False, capture_output=True, text=True)
    if target.is_file():  # written also when the page failed: its runtimeError says why
        return page_result(name, json.loads(target.read_text("utf-8")))
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    print(f"audit: {name}: lighthouse exited {done.returncode} without a report: {last}", flush=True)
    return page_result(name, {"requestedUrl": url, "runtimeError": {"code": "NO_REPORT", "message": last}})


def audit_page(name: str, url: str, hosts: list[str], port: int, runs: int) -> PageResult:
    """`runs` Lighthouse runs of one page; the median one (by performance) decides, kept as NAME.json."""
    (REPORTS / f"{name}.json").unlink(missing_ok=True)
    done = []
    for run in range(1, runs + 1):
        print(f"audit: {name} ({run}/{runs}): {url}", flush=True)
        result = lighthouse(f"{name}-{run}" if runs > 1 else name, url, hosts, port)
        if result.error:  # a broken trace (NO_NAVSTART, seen on a busy machine) says nothing: once more
            print(f"audit: {name} ({run}/{runs}): {result.error[:200]}; trying again", flush=True)
            result = lighthouse(f"{name}-{run}" if runs > 1 else name, url, hosts, port)
        done.append(result)
    chosen = median_run(done)
    if runs > 1 and (REPORTS / f"{chosen.name}.json").is_file():
        shutil.copyfile(REPORTS / f"{chosen.name}.json", REPORTS / f"{name}.json")
    return replace(chosen, name=name)


def parse_pages(given: list[str]) -> tuple[tuple[str, str], ...]:
    """--url NAME=URL options, or PAGES when there are none."""
    pages = []
    for item in given:
        name, sep, url = item.partition("=")
        if not sep or not re.fullmatch(r"[a-z0-9-]+", name) or not url.startswith("https://"):
            raise SystemExit(f"audit: --url wants NAME=https://..., got {item!r}")
        pages.append((name, url))
    return tuple(pages) or PAGES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, help="audit this built output/ instead of building the sample")
    parser.add_argument("--url", action="append", default=[], metavar="NAME=URL", help="a page to audit")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("AUDIT_RUNS", "3")),
                        help="Lighthouse runs per page; the median by performance decides (default 3)")
    args = parser.parse_args(argv)
    pages = parse_pages(args.url)
    for tool in (LIGHTHOUSE, Path(os.environ.get("CHROME_PATH", CHROMIUM)), Path(NGINX),
                 Path(shutil.which("openssl") or "/usr/bin/openssl")):
        if not tool.exists():
            raise SystemExit(f"audit: {tool} is missing (make audit; apt-get install chromium nginx openssl)")
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="opdgen-audit-") as tmp:
        work = Path(tmp)
        output = args.output.resolve() if args.output else work / "output"
        if not args.output:
            build(output)
        port = free_port()
        nginx, hosts = start_nginx(output, work, port)
        try:
            results = [audit_page(name, url, hosts, port, max(1, args.runs)) for name, url in pages]
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
    print(table(results))
    code = verdict(results)
    print(f"audit: {'every score is 100' if code == 0 else 'a score is below 100'}; reports in "
          f"{REPORTS.relative_to(ROOT)}/")
    return code


if __name__ == "__main__":
    sys.exit(main())
