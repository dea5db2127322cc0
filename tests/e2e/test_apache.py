"""Real Apache with mod_php serves a built site with its generated .htaccess: the headers are there and
no PHP runs, even where the server is set up to run PHP for the file's type.

Apache runs in the foreground on 127.0.0.1 with a minimal configuration written here; a control
folder without the .htaccess shows that the same set-up would run the code.
"""

from __future__ import annotations

import glob
import http.client
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from opdgen.outputs.headers import IMMUTABLE, SHORT, security_headers
from tests.conftest import requires
from tests.e2e.test_nginx import free_port, video_hosts

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
PHP = "<?php echo 'pwned-' . 'now'; ?>\n"
CONFIG = """\
ServerRoot /etc/apache2
ServerName localhost
PidFile {work}/httpd.pid
ErrorLog {work}/error.log
Listen 127.0.0.1:{port}
User www-data
Group www-data
LoadModule mpm_prefork_module {modules}/mod_mpm_prefork.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule dir_module {modules}/mod_dir.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule alias_module {modules}/mod_alias.so
LoadModule headers_module {modules}/mod_headers.so
LoadModule php_module {php}
TypesConfig /etc/mime.types
# a careless (but common) set-up: PHP for .php, and for images too
AddHandler application/x-httpd-php .php .jpg
DocumentRoot {work}/www
<Directory {work}/www>
    AllowOverride All
    Require all granted
</Directory>
Alias /control {work}/control
<Directory {work}/control>
    AllowOverride None
    Require all granted
</Directory>
"""


@pytest.fixture(scope="module")
def apache(sample_output: Path) -> Iterator[int]:
    requires(APACHE, "apache2")
    php = sorted(glob.glob(str(MODULES / "libphp*.so")))
    if not php:
        requires("/usr/lib/apache2/modules/libphp.so", "libapache2-mod-php")
    work = Path(tempfile.mkdtemp(prefix="opdgen-apache-"))  # readable by Apache's www-data workers
    try:
        shutil.copytree(sample_output / "dinkes", work / "www")
        (work / "control").mkdir()
        for folder in (work / "www", work / "www/assets", work / "control"):
            (folder / "shell.php").write_text(PHP)
            (folder / "foto.jpg").write_text(PHP)
        port = free_port()
        (work / "httpd.conf").write_text(CONFIG.format(work=work, port=port, modules=MODULES, php=php[-1]))
        for path in (work, *work.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        # its own process group: prefork stops by signalling its whole group, which would be pytest's
        process = subprocess.Popen([APACHE, "-f", str(work / "httpd.conf"), "-DFOREGROUND"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            _wait(process, port, work / "error.log")
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _wait(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"apache exited: {log.read_text() if log.exists() else ''}")
        try:
            if get(port, "/")[0] == 200:
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail("apache did not answer")


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        conn.close()


def test_htaccess_sends_every_header_and_cache_rule(apache: int, sample_output: Path) -> None:
    css = next((sample_output / "dinkes/assets/css").glob("site.*.css")).name
    for path, cache in (("/", SHORT), ("/berita/", SHORT), (f"/assets/css/{css}", IMMUTABLE),
                        ("/tidak-ada/", SHORT), ("/.well-known/security.txt", SHORT)):
        status, headers, _ = get(apache, path)
        assert status == (404 if "tidak-ada" in path else 200), path
        for name, value in security_headers(video_hosts()):
            assert headers.get(name.lower()) == value, (path, name)
        assert headers.get("cache-control") == cache, path


@pytest.mark.parametrize("path", ["/shell.php", "/assets/shell.php", "/foto.jpg", "/assets/foto.jpg"])
def test_no_php_runs_or_is_shown(apache: int, path: str) -> None:
    status, _, body = get(apache, path)
    assert b"pwned-now" not in body, path  # never run
    assert status == 403 or body == PHP.encode(), path  # refused, or at worst plain text


def test_hidden_and_host_files_are_refused(apache: int) -> None:
    for path in ("/.htaccess", "/_headers"):
        assert get(apache, path)[0] == 403


def test_control_without_htaccess_would_run_php(apache: int) -> None:
    assert get(apache, "/control/foto.jpg")[2] == b"pwned-now"
