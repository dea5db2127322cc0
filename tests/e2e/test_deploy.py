"""`opdgen deploy` with real rsync to a folder and over real SSH (an sshd on 127.0.0.1 started here):
releases, the atomic `current` switch under a polling reader, hard links, rollback, verify after switching."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import requires

SLUG = "rilis"
PAGE = f"berita/{SLUG}/index.html"
MARK = re.compile(rb"Penanda (\w+)")
OTHER_SITE = ("name: Dinas Lain\nshort_name: Lain\nbase_url: https://lain.ujikab.go.id/\n"
              "description: Situs uji kedua.\n")


def post(marker: str) -> str:
    return f"---\ntitle: Penanda {marker}\ndate: 2026-11-20 08:30\n---\nRilis {marker} untuk uji deploy.\n"


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Uji", "GIT_AUTHOR_EMAIL": "uji@ujikab.go.id",
           "GIT_COMMITTER_NAME": "Uji", "GIT_COMMITTER_EMAIL": "uji@ujikab.go.id",
           "GIT_AUTHOR_DATE": "2026-11-27T10:00:00+07:00", "GIT_COMMITTER_DATE": "2026-11-27T10:00:00+07:00"}
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


@pytest.fixture
def builds(make_repo: Callable[..., Path], run_cli: Callable[..., Result],
           tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """A git repository and two builds of it (outputs A and B) differing in one post's title."""
    requires("rsync", "rsync")
    requires("git", "git")
    repo = make_repo({f"content/dinkes/berita/2026-11-20-{SLUG}.md": post("A"),
                      "content/dinas-lain/site.yaml": OTHER_SITE})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "awal")
    outputs = {}
    for marker in ("A", "B"):
        (repo / f"content/dinkes/berita/2026-11-20-{SLUG}.md").write_text(post(marker), encoding="utf-8")
        out = tmp_path / f"out-{marker}"
        result = run_cli("build", "--root", repo, "--output", out, "-q")
        assert result.exit_code == 0, result.output
        outputs[marker] = out
    return repo, outputs


def deploy(run_cli: Callable[..., Result], repo: Path, out: Path, to: str, *extra: str) -> Result:
    return run_cli("deploy", "--root", repo, "--output", out, "--to", to, "--lang", "en", *extra)


def marker_pair(current: Path) -> tuple[bytes, bytes]:
    """index.html and a post read through one resolution of `current`, as one request would."""
    fd = os.open(current, os.O_RDONLY | os.O_DIRECTORY)
    try:
        pages = []
        for rel in ("index.html", PAGE):
            page = os.open(rel, os.O_RDONLY, dir_fd=fd)
            with os.fdopen(page, "rb") as handle:
                found = MARK.search(handle.read())
            assert found, rel
            pages.append(found.group(1))
        return pages[0], pages[1]
    finally:
        os.close(fd)


def test_folder_deploy_switches_atomically_links_unchanged_files_and_rolls_back(
        builds: tuple[Path, dict[str, Path]], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    repo, out = builds
    www = tmp_path / "www" / "dinkes"
    first = deploy(run_cli, repo, out["A"], str(www), "--site", "dinkes")
    assert first.exit_code == 0, first.output
    assert re.search(r"release 20261127T030000Z-[0-9a-f]{12} is live", first.output)
    seen: list[tuple[bytes, bytes]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.append(marker_pair(www / "current"))
            except Exception as exc:  # any failure to read is what this test looks for
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for marker in ("B", "A", "B"):
            result = deploy(run_cli, repo, out[marker], str(www), "--site", "dinkes")
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        thread.join()
    assert not errors, errors
    assert {a for a, _ in seen} == {b"A", b"B"} and all(a == b for a, b in seen), set(seen)
    releases = sorted(p.name for p in (www / "releases").iterdir() if p.is_dir())
    assert len(releases) == 4 and any(r.endswith("-r01") for r in releases)  # A twice: a fresh copy
    live = (www / "current").resolve()
    assert (live / "404.html").stat().st_nlink == 4  # unchanged in every release: one file, four links
    assert (live / "index.html").stat().st_nlink == 2
    back = deploy(run_cli, repo, out["B"], str(www), "--site", "dinkes", "--rollback")
    assert back.exit_code == 0, back.output
    assert "switched back" in back.output and marker_pair(www / "current") == (b"A", b"A")


def test_tampering_is_found_and_a_deploy_repairs_it(
        builds: tuple[Path, dict[str, Path]], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    repo, out = builds
    www = tmp_path / "www"
    assert deploy(run_cli, repo, out["A"], str(www), "--all", "--keep", "2").exit_code == 0
    assert sorted(p.name for p in www.iterdir()) == ["dinas-lain", "dinkes", "portal"]
    assert deploy(run_cli, repo, out["B"], str(www), "--all").exit_code == 0
    again = deploy(run_cli, repo, out["B"], str(www), "--all")
    assert again.exit_code == 0 and again.output.count("already live") == 3
    (www / "dinkes/current/index.html").write_text("<p>SLOT GACOR maxwin</p>", encoding="utf-8")
    (www / "dinkes/current/shell.php").write_text("<?php system($_GET['c']);", encoding="utf-8")
    manifest = out["B"] / ".opdgen/dinkes/manifest.json"
    checked = run_cli("verify", "--site", "dinkes", "--manifest", manifest, www / "dinkes/current",
                      "--lang", "en")
    assert checked.exit_code == 1 and "shell.php" in checked.output
    # the older release was tampered with too: rolling back to it fails loudly
    live = os.readlink(www / "dinkes/current").removeprefix("releases/")
    older = next(p.name for p in (www / "dinkes/releases").iterdir() if p.is_dir() and p.name != live)
    (www / "dinkes/releases" / older / "404.html").unlink()
    back = deploy(run_cli, repo, out["B"], f"{www}/{{site}}", "--site", "dinkes", "--rollback")
    assert back.exit_code == 1
    assert "404.html: File missing on the server." in back.output and "DIFFERS from the build" in back.output
    repaired = deploy(run_cli, repo, out["B"], f"{www}/{{site}}", "--site", "dinkes", "--keep", "2")
    assert repaired.exit_code == 0, repaired.output
    assert "1 old releases removed, 2 kept" in repaired.output
    assert run_cli("verify", "--site", "dinkes", "--manifest", manifest, www / "dinkes/current").exit_code == 0
    kept = sorted(p.name for p in (www / "dinkes/releases").iterdir() if p.is_dir())
    assert kept == sorted([live, os.readlink(www / "dinkes/current").removeprefix("releases/")])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[str]:
    """An sshd on 127.0.0.1 with a throwaway host key and user key; yields the ssh command for --rsh."""
    requires("/usr/sbin/sshd", "openssh-server")
    requires("ssh", "openssh-client")
    keys = tmp_path / "ssh"
    keys.mkdir()
    for name in ("host", "user"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True)
    (keys / "authorized_keys").write_bytes((keys / "user.pub").read_bytes())
    port = free_port()
    (keys / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys / 'host'}\nPidFile {keys / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {keys / 'authorized_keys'}\nPermitRootLogin yes\nStrictModes no\nUsePAM no\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\n", encoding="utf-8")
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation folder
    log = (keys / "sshd.log").open("wb")
    server = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(keys / "sshd_config")], stderr=log)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (keys / "sshd.log").read_text()
                time.sleep(0.05)
        yield (f"ssh -p {port} -i {keys / 'user'} -o StrictHostKeyChecking=no "
               "-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR")
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_ssh_deploy_uploads_switches_verifies_and_rolls_back(
        builds: tuple[Path, dict[str, Path]], run_cli: Callable[..., Result], tmp_path: Path,
        sshd: str) -> None:
    repo, out = builds
    user = subprocess.run(["id", "-un"], capture_output=True, check=True, text=True).stdout.strip()
    remote = tmp_path / "server" / "srv" / "www"
    to = f"{user}@127.0.0.1:{remote}/{{site}}"
    first = deploy(run_cli, repo, out["A"], to, "--all", "--rsh", sshd)
    assert first.exit_code == 0, first.output
    assert first.output.count("is live at") == 3 and f"127.0.0.1:{remote}/portal" in first.output
    assert marker_pair(remote / "dinkes/current") == (b"A", b"A")
    second = deploy(run_cli, repo, out["B"], to, "--site", "dinkes", "--rsh", sshd)
    assert second.exit_code == 0, second.output
    assert marker_pair(remote / "dinkes/current") == (b"B", b"B")
    live = (remote / "dinkes/current").resolve()
    assert (live / "404.html").stat().st_nlink == 2 and (live / "index.html").stat().st_nlink == 1
    # tamper with the older release on the server: rolling back to it switches, then fails loudly
    older = next(p for p in (remote / "dinkes/releases").iterdir() if p.is_dir() and p != live)
    (older / "robots.txt").write_text("User-agent: *\nAllow: /slot-gacor/\n", encoding="utf-8")
    (older / "wp-login.php").write_text("<?php", encoding="utf-8")
    back = deploy(run_cli, repo, out["B"], to, "--site", "dinkes", "--rollback", "--rsh", sshd)
    assert back.exit_code == 1
    assert "robots.txt: File changed" in back.output and "wp-login.php: This file does not come" in back.output
    assert "DIFFERS from the build" in back.output
    assert marker_pair(remote / "dinkes/current") == (b"A", b"A")
    # a deploy of the current build puts a clean copy live again
    again = deploy(run_cli, repo, out["B"], to, "--site", "dinkes", "--rsh", sshd)
    assert again.exit_code == 0, again.output
    assert marker_pair(remote / "dinkes/current") == (b"B", b"B")


def test_ssh_failure_leaves_the_live_release_alone(
        builds: tuple[Path, dict[str, Path]], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    repo, out = builds
    www = tmp_path / "www"
    assert deploy(run_cli, repo, out["A"], str(www / "dinkes"), "--site", "dinkes").exit_code == 0
    failed = deploy(run_cli, repo, out["B"], f"nobody@127.0.0.1:{www}/dinkes", "--site", "dinkes",
                    "--rsh", f"ssh -p {free_port()} -o BatchMode=yes -o ConnectTimeout=5")
    assert failed.exit_code == 1 and "The live site was not changed" in failed.output
    assert marker_pair(www / "dinkes/current") == (b"A", b"A")


def test_deploy_usage_and_config(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({"opdgen.yaml": "region:\n  name: Uji\nportal:\n  title: Uji\n"
                                     "  base_url: https://ujikab.go.id/\ndeploy:\n  keep: 0\n"})
    assert run_cli("deploy", "--root", repo, "--to", "/tmp/x").exit_code == 2
    assert run_cli("deploy", "--root", repo, "--to", "/tmp/x", "--all", "--site", "a").exit_code == 2
    result = run_cli("deploy", "--root", repo, "--to", str(repo / "www"), "--all", "--lang", "en")
    assert result.exit_code == 1
    assert "opdgen.yaml:7:" in result.output and '"deploy.keep" must be 1 or more, not 0' in result.output
    (repo / "opdgen.yaml").write_text("region:\n  name: Uji\nportal:\n  title: Uji\n"
                                      "  base_url: https://ujikab.go.id/\ndeploy:\n  keep: 3\n")
    result = run_cli("deploy", "--root", repo, "--to", str(repo / "www"), "--all", "--lang", "en")
    assert result.exit_code == 1 and "No build output in" in result.output


def test_nginx_serves_current_and_follows_each_switch(
        builds: tuple[Path, dict[str, Path]], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    """The generated nginx block with root at `current` (disable_symlinks from=$document_root)."""
    from opdgen.outputs.headers import nginx_conf, security_headers
    from tests.e2e.test_nginx import HTTP_BLOCK, NGINX, _wait_for, get

    requires(NGINX, "nginx")
    repo, out = builds
    www = tmp_path / "srv" / "dinkes"
    assert deploy(run_cli, repo, out["A"], str(www), "--site", "dinkes").exit_code == 0
    work = tmp_path / "nginx"
    work.mkdir()
    port = free_port()
    server = nginx_conf("dinkes", "https://dinkes.ujikab.go.id/", security_headers([]),
                        root=str(www / "current"), listen=f"127.0.0.1:{port}")
    user = "user root;\n" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(HTTP_BLOCK.format(user=user, work=work, servers=server))
    process = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e",
                                str(work / "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(process, [port], work / "error.log")
        assert b"Penanda A" in get(port, f"/berita/{SLUG}/")[2]
        assert deploy(run_cli, repo, out["B"], str(www), "--site", "dinkes").exit_code == 0
        status, _, body = get(port, f"/berita/{SLUG}/")
        assert status == 200 and b"Penanda B" in body
        assert deploy(run_cli, repo, out["B"], str(www), "--site", "dinkes", "--rollback").exit_code == 0
        assert b"Penanda A" in get(port, "/")[2]
        assert get(port, "/releases/")[0] == 404 and get(port, "/current/")[0] == 404
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_apache_document_root_at_current_follows_each_switch(
        builds: tuple[Path, dict[str, Path]], run_cli: Callable[..., Result]) -> None:
    """Apache with DocumentRoot at `current` and the release's own .htaccess (README's set-up)."""
    import shutil
    import tempfile

    from tests.e2e.test_apache import APACHE, CONFIG, MODULES, _wait, get

    requires(APACHE, "apache2")
    php = sorted(MODULES.glob("libphp*.so"))
    if not php:
        requires("/usr/lib/apache2/modules/libphp.so", "libapache2-mod-php")
    repo, out = builds
    work = Path(tempfile.mkdtemp(prefix="opdgen-deploy-apache-"))  # readable by www-data
    work.chmod(0o755)
    try:
        assert deploy(run_cli, repo, out["A"], str(work / "www"), "--site", "dinkes").exit_code == 0
        (work / "control").mkdir()
        port = free_port()
        config = CONFIG.format(work=work, port=port, modules=MODULES, php=php[-1])
        config = config.replace(f"DocumentRoot {work}/www\n", f"DocumentRoot {work}/www/current\n")
        (work / "httpd.conf").write_text(config)
        process = subprocess.Popen([APACHE, "-f", str(work / "httpd.conf"), "-DFOREGROUND"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            _wait(process, port, work / "error.log")
            assert b"Penanda A" in get(port, f"/berita/{SLUG}/")[2]
            assert deploy(run_cli, repo, out["B"], str(work / "www"), "--site", "dinkes").exit_code == 0
            status, headers, body = get(port, f"/berita/{SLUG}/")
            assert status == 200 and b"Penanda B" in body and "content-security-policy" in headers
            (work / "www/current/shell.php").write_text("<?php echo 'pwned-' . 'now'; ?>\n")
            assert b"pwned-now" not in get(port, "/shell.php")[2]
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)
