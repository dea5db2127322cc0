"""The CSP, the headers files for Netlify/Cloudflare, Apache and nginx, and security.txt."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from opdgen.config import RegionConfig
from opdgen.outputs.headers import (
    IMMUTABLE,
    csp,
    expires,
    headers_file,
    htaccess,
    nginx_conf,
    security_headers,
    security_txt,
    serving_files,
)


def region_config() -> RegionConfig:
    return RegionConfig(
        source=PurePosixPath("opdgen.yaml"), name="Pemerintah Kabupaten Uji", short_name="Kab. Uji",
        portal_title="Portal", portal_description="Portal", portal_base_url="https://ujikab.go.id/",
        portal_colour="#1f5f8b", theme="default", timezone=ZoneInfo("Asia/Jakarta"), language="id",
        security_contact="mailto:csirt@ujikab.go.id", video_hosts=("www.youtube-nocookie.com",), per_page=10,
    )


HOSTS = ["www.youtube-nocookie.com", "player.vimeo.com"]
NAMES = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy",
         "Permissions-Policy", "Cross-Origin-Opener-Policy")


def test_csp_is_strict() -> None:
    policy = csp(HOSTS)
    assert policy == (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
        "frame-src https://player.vimeo.com https://www.youtube-nocookie.com; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests"
    )
    # the one 'unsafe' word: WebAssembly compilation for Pagefind's search, never eval() or inline code
    assert policy.replace("'wasm-unsafe-eval'", "").count("unsafe") == 0


def test_csp_without_video_hosts_allows_no_frames() -> None:
    assert "frame-src 'none'" in csp([])


def test_a_bad_video_host_cannot_widen_the_policy() -> None:
    policy = csp(['evil.example; script-src *', "x.example'unsafe-inline'", 'a"b.example', "ok.example"])
    assert policy.count(";") == 9 and "script-src 'self' 'wasm-unsafe-eval';" in policy
    assert "frame-src https://ok.example;" in policy and "evil" not in policy and '"' not in policy


def test_every_server_gets_every_header() -> None:
    headers = security_headers(HOSTS)
    assert tuple(n for n, _ in headers)[: len(NAMES)] == NAMES
    netlify = headers_file("/", headers).decode()
    apache = htaccess("/", headers).decode()
    nginx = nginx_conf("dinkes", "https://dinkes.ujikab.go.id/", headers)
    for name, value in headers:
        assert f"  {name}: {value}\n" in netlify
        assert f'Header always set {name} "{value}"' in apache
        # every location that sets a cache rule repeats the whole set (add_header does not inherit)
        assert nginx.count(f'add_header {name} "{value}" always;') == nginx.count("add_header Cache-Control") >= 3


def test_cache_rules() -> None:
    headers = security_headers(HOSTS)
    assert headers_file("/", headers).decode().endswith(f"/assets/*\n  Cache-Control: {IMMUTABLE}\n")
    apache = htaccess("/", headers).decode()
    assert 'Header set Cache-Control "public, max-age=300"' in apache
    assert f'<FilesMatch "\\.[0-9a-f]{{10}}\\.[A-Za-z0-9]+$">\n    Header set Cache-Control "{IMMUTABLE}"' in apache
    nginx = nginx_conf("dinkes", "https://dinkes.ujikab.go.id/", headers)
    assert 'location /assets/ {' in nginx and f'add_header Cache-Control "{IMMUTABLE}" always;' in nginx
    photos = 'location ~ "^/.+\\.[0-9a-f]{10}\\.[A-Za-z0-9]+$" {'  # fingerprinted media, as in .htaccess
    assert photos in nginx


def test_apache_runs_no_scripts_and_lists_nothing() -> None:
    apache = htaccess("/", security_headers([])).decode()
    assert "Options -Indexes -ExecCGI -Includes -MultiViews" in apache
    assert "php_flag engine off" in apache and "RemoveHandler .php .php3" in apache
    assert '<FilesMatch "(?i)\\.(php[0-9]?|phtml|phar' in apache and "Require all denied" in apache
    assert "ErrorDocument 404 /404.html" in apache


def test_nginx_production_block_redirects_to_https() -> None:
    conf = nginx_conf("dinkes", "https://dinkes.ujikab.go.id/", security_headers([]))
    assert "listen 443 ssl http2;" in conf and "return 301 https://$host$request_uri;" in conf
    assert "server_name dinkes.ujikab.go.id;" in conf and "root /var/www/opdgen/dinkes;" in conf
    assert "ssl_certificate /etc/letsencrypt/live/dinkes.ujikab.go.id/fullchain.pem;" in conf
    test = nginx_conf("dinkes", "https://dinkes.ujikab.go.id/", security_headers([]), root="/srv/x",
                      listen="127.0.0.1:8080")
    assert "listen 127.0.0.1:8080;" in test and "ssl" not in test and "root /srv/x;" in test


def test_security_txt_follows_rfc_9116() -> None:
    released = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    text = security_txt("csirt@ujikab.go.id", "https://x.go.id/.well-known/security.txt", released, "id").decode()
    assert "Contact: mailto:csirt@ujikab.go.id\n" in text
    assert "Expires: 2027-11-27T09:30:00Z\n" in text
    assert "Preferred-Languages: id, en\n" in text
    assert "Canonical: https://x.go.id/.well-known/security.txt\n" in text
    assert all(line.startswith("#") or ": " in line for line in text.splitlines())


def test_expires_is_one_year_after_the_release() -> None:
    assert expires(datetime(2028, 2, 29, 12, tzinfo=UTC)) == datetime(2029, 2, 28, 12, tzinfo=UTC)


def test_serving_files_live_in_and_beside_the_web_root() -> None:
    files = serving_files("dinkes", "https://dinkes.ujikab.go.id/", region_config(),
                          datetime(2026, 1, 1, tzinfo=UTC))
    assert sorted(str(f.path) for f in files) == [
        ".opdgen/dinkes/nginx.conf", "dinkes/.htaccess", "dinkes/.well-known/security.txt", "dinkes/_headers",
    ]
    assert all(not f.is_page for f in files)
    assert PurePosixPath("dinkes/nginx.conf") not in {f.path for f in files}
