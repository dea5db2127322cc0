"""`opdgen verify` over HTTP: every file of the manifest, a cloaking sample, backdoor probes, a 404 check.

It only sends GET requests to the target's own host (redirects elsewhere are reported, not
followed) and reads the answers; it changes nothing.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from opdgen import __version__
from opdgen.outputs.manifest import Manifest
from opdgen.problems import Problems
from opdgen.records import record
from opdgen.verify.findings import MAX_SCAN, Outcome, scan_into

Agent = tuple[str, str | None]  # User-Agent, Referer
USER_AGENT = f"opdgen-verify/{__version__}"
GOOGLEBOT: Agent = ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", None)
# Hacked sites often send visitors who come from a Google search on a phone to a gambling site.
GOOGLE_VISITOR: Agent = ("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/126.0.0.0 Mobile Safari/537.36", "https://www.google.com/")
TIMEOUT = 20  # seconds per request
MAX_BODY = 50 * 1024 * 1024

NOT_SERVED = frozenset({"_headers", ".htaccess"})  # read by the host, never served to readers
# Names that backdoors and doorway pages on hacked Indonesian sites often take: a file nothing
# links to cannot be listed over HTTP, so these are asked for by name.
PROBES = (
    "index.php", "shell.php", "wp-login.php", "xmlrpc.php", "up.php", "upload.php", "alfa.php",
    "wso.php", "cmd.php", "c99.php", "r57.php", "b374k.php", "adminer.php", "1.php", "x.php",
    "about.php", "radio.php", "wp-content/", "slot-gacor/", "slot/", "gacor/", "togel/", "sbobet/",
)
NOT_FOUND_PROBE = "opdgen-verify-tidak-ada/"  # must answer 404
MAX_LINKED = 50  # unknown same-site URLs found in pages that are looked at
_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']|<loc>\s*([^<\s]+)\s*</loc>|^Sitemap:\s*(\S+)""",
                   re.IGNORECASE | re.MULTILINE)


@record
class Response:
    status: int
    body: bytes
    redirect: str | None = None  # a redirect to another host, not followed: where it leads

    def same_as(self, other: Response) -> bool:
        return (self.status, self.body, self.redirect) == (other.status, other.body, other.redirect)


class FetchError(Exception):
    """No HTTP answer (connection refused, time-out, TLS failure, too many redirects)."""


Fetch = Callable[[str, Agent | None], Response]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # redirects are followed by fetch() itself, and only on the same host


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def fetch(url: str, agent: Agent | None = None) -> Response:
    """GET a URL as opdgen-verify (or as `agent`), following redirects on the same host only."""
    headers = {"User-Agent": agent[0] if agent else USER_AGENT, "Accept": "*/*"}
    if agent and agent[1]:
        headers["Referer"] = agent[1]
    opener = urllib.request.build_opener(_NoRedirect)
    for _ in range(6):
        try:
            with opener.open(urllib.request.Request(url, headers=headers), timeout=TIMEOUT) as answer:
                return Response(answer.status, answer.read(MAX_BODY))
        except urllib.error.HTTPError as exc:
            with exc:  # an error answer still holds the connection
                location = exc.headers.get("Location") if 300 <= exc.code < 400 else None
                if not location:
                    return Response(exc.code, exc.read(MAX_BODY))
            target = urljoin(url, location)
            if _origin(target) != _origin(url):
                return Response(exc.code, b"", redirect=target)
            url = target
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            raise FetchError(str(getattr(exc, "reason", exc))) from None
    raise FetchError("too many redirects")


def served_path(rel: str) -> str:
    """The URL path (inside the web root) a reader asks for: `berita/x/index.html` -> `berita/x/`."""
    if rel == "index.html":
        return ""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def sample_pages(paths: Iterable[str], size: int) -> list[str]:
    """The home page and up to `size` posts spread evenly over the site, in a fixed order."""
    posts = sorted(p for p in paths if re.fullmatch(r"(berita|pengumuman)/[^/]+/index\.html", p))
    if size <= 0:
        return ["index.html"]
    step = max(1, len(posts) / size)
    chosen = sorted({posts[int(i * step)] for i in range(min(size, len(posts)))})
    return ["index.html", *chosen]


class Remote:
    """One verification over HTTP: every manifest file, a cloaking sample, probes, a 404 check."""

    def __init__(self, manifest: Manifest, base: str, fetcher: Fetch, sample: int) -> None:
        self.manifest = manifest
        self.base = base
        self.fetcher = fetcher
        self.sample = sample
        self.problems = Problems()
        self.bodies: dict[str, Response] = {}
        origins = {urlsplit(base).netloc.lower(), urlsplit(manifest.base_url).netloc.lower()}
        self.origins = {o for o in origins if o}

    def run(self) -> Outcome:
        wanted = sorted(p for p in self.manifest.files if p not in NOT_SERVED)
        try:
            self.fetcher(self.base, None)
        except FetchError as exc:
            self.problems.add(".", None, "verify.unreachable", target=self.base, detail=str(exc))
            return self._outcome(len(wanted), 0)
        responses = self._many([(p, served_path(p)) for p in wanted], None)
        matched = sum(self._compare(rel, responses[rel]) for rel in wanted)
        self._cloaking(responses)
        self._unexpected(responses)
        return self._outcome(len(wanted), matched)

    def _outcome(self, files: int, matched: int) -> Outcome:
        return Outcome(self.manifest.site, self.base, files, matched, tuple(self.problems))

    def _many(self, jobs: list[tuple[str, str]], agent: Agent | None) -> dict[str, Response | FetchError]:
        def one(job: tuple[str, str]) -> tuple[str, Response | FetchError]:
            try:
                return job[0], self.fetcher(self.base + job[1], agent)
            except FetchError as exc:
                return job[0], exc

        with ThreadPoolExecutor(max_workers=8) as pool:
            return dict(pool.map(one, jobs))

    def _compare(self, rel: str, response: Response | FetchError) -> bool:
        allowed = self.manifest.link_domains
        if isinstance(response, FetchError) or response.status == 404:
            self.problems.add(rel, None, "verify.missing")
            return False
        if response.redirect:
            self.problems.add(rel, None, "verify.redirect", location=response.redirect)
            return False
        if response.status != 200:
            self.problems.add(rel, None, "verify.status", status=response.status)
            return False
        actual = hashlib.sha256(response.body).hexdigest()
        if actual == self.manifest.files[rel]:
            return True
        self.problems.add(rel, None, "verify.changed", expected=self.manifest.files[rel][:12],
                          found=actual[:12])
        scan_into(self.problems, rel, response.body, allowed)
        return False

    def _cloaking(self, normal: dict[str, Response | FetchError]) -> None:
        """A sample of pages asked for as Googlebot and as a visitor from Google must not differ."""
        pages = [p for p in sample_pages(self.manifest.files, self.sample)
                 if isinstance(normal.get(p), Response)]
        for name, agent in (("Googlebot", GOOGLEBOT), ("Chrome Android, Referer google.com", GOOGLE_VISITOR)):
            variant = self._many([(p, served_path(p)) for p in pages], agent)
            for rel in pages:
                seen, usual = variant[rel], normal[rel]
                if isinstance(seen, FetchError) or not isinstance(usual, Response) or seen.same_as(usual):
                    continue
                if seen.redirect:
                    self.problems.add(rel, None, "verify.cloaked_redirect", agent=name,
                                      location=seen.redirect)
                else:
                    self.problems.add(rel, None, "verify.cloaked", agent=name)
                    scan_into(self.problems, rel, seen.body, self.manifest.link_domains)

    def _unexpected(self, normal: dict[str, Response | FetchError]) -> None:
        """Same-site URLs that pages link to but the build did not make, known backdoor names, 404s."""
        catch_all = self._catch_all()
        known = {served_path(p) for p in self.manifest.files}
        linked: set[str] = set()
        for rel, response in normal.items():
            if isinstance(response, Response) and response.status == 200:
                linked |= self._same_site_links(self.base + served_path(rel), response.body)
        # behind a catch-all every name answers 200: probing names would only repeat that finding
        probes = [] if catch_all else [p for p in PROBES if p not in known]
        candidates = dict.fromkeys([*sorted(linked - known)[:MAX_LINKED], *probes])
        for rel, response in self._many([(p, p) for p in candidates], None).items():
            if isinstance(response, Response) and response.status == 200 and not response.redirect:
                self.problems.add(rel, None, "verify.unexpected")
                scan_into(self.problems, rel, response.body, self.manifest.link_domains)

    def _catch_all(self) -> bool:
        """An address that cannot exist must answer 404, not a page (a planted rewrite rule)."""
        try:
            answer = self.fetcher(self.base + NOT_FOUND_PROBE, None)
        except FetchError:
            return False
        if answer.status != 200:
            return False
        self.problems.add(NOT_FOUND_PROBE, None, "verify.catch_all")
        scan_into(self.problems, NOT_FOUND_PROBE, answer.body, self.manifest.link_domains)
        return True

    def _same_site_links(self, page_url: str, body: bytes) -> set[str]:
        base_path = urlsplit(self.base).path
        out = set()
        for match in _LINK.finditer(body[:MAX_SCAN].decode("utf-8", "replace")):
            url = urljoin(page_url, next(g for g in match.groups() if g).strip())
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc.lower() in self.origins:
                path = unquote(parts.path)
                if path.startswith(base_path) and ".." not in PurePosixPath(path).parts:
                    out.add(path[len(base_path):])
        return out
