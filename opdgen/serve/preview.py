"""`opdgen serve`: build into a temporary folder, serve it, rebuild on change, reload the tabs.

DESIGN: preview never touches output/; it binds to the loopback interface unless told otherwise
(and then warns).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from types import FrameType

import click

from opdgen.build.pipeline import BuildOptions, build
from opdgen.messages import text
from opdgen.outputs.headers import security_headers
from opdgen.problems import Problem
from opdgen.serve.errorpage import error_page
from opdgen.serve.livereload import EVERY_PAGE, changed_urls
from opdgen.serve.server import PreviewState, make_server
from opdgen.serve.watch import Debouncer, watch

HOST = "127.0.0.1"
DEBOUNCE = 0.05  # seconds: an editor's save (temp file, rename, touch) lands well within it
SEARCH_DELAY = 1.5  # seconds without a save before the search index is brought up to date


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def preview_headers(video_hosts: Iterable[str], host: str) -> tuple[tuple[str, str], ...]:
    """The production headers; away from loopback (plain HTTP on a LAN address) without
    upgrade-insecure-requests, which would send every asset request to https and break the page."""
    headers = security_headers(video_hosts)
    if is_loopback(host):
        return headers
    return tuple((name, value.replace("; upgrade-insecure-requests", "")) for name, value in headers)


class Rebuilder:
    """One build into the served folder, then the state and the open tabs brought up to date."""

    def __init__(self, state: PreviewState, options: BuildOptions, lang: str,
                 report: Callable[[Iterable[Problem], str], None], host: str = HOST,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.state = state
        self.host = host
        self.options = options
        self.lang = lang
        self.report = report
        self.clock = clock or (lambda: options.now)
        self.search_later = Debouncer(SEARCH_DELAY, self._search_pass)

    def __call__(self, now: datetime) -> None:
        """Rebuild without the search index, so the tabs show the change at once; once the admin
        has stopped saving for SEARCH_DELAY, index again (the preview's search lags by that)."""
        self.search_later.cancel()
        if self._pass(now, search=False):
            self.search_later.trigger()

    def close(self) -> None:
        self.search_later.cancel()

    def _search_pass(self) -> None:
        self._pass(self.clock(), search=True, quiet=True)

    def _pass(self, now: datetime, search: bool, quiet: bool = False) -> bool:
        with self.state.lock:
            result = build(dataclasses.replace(self.options, now=now, search=search))
            was_failing = self.state.failure is not None
            if result.ok:
                if result.region is not None:
                    self.state.headers = preview_headers(result.region.config.video_hosts, self.host)
                self.state.failure = None
            else:
                self.state.failure = error_page(result.problems, self.options.root, self.lang)
        changed = changed_urls(result)
        self.state.hub.publish([EVERY_PAGE] if was_failing or not result.ok else changed)
        if quiet and result.ok:
            return True
        self.report(result.problems, self.lang)
        if result.ok:
            seconds = f"{result.seconds:.2f}"
            click.echo(text("cli.serve.rebuilt", self.lang,
                            seconds=seconds.replace(".", ",") if self.lang == "id" else seconds))
        else:
            click.echo(text("cli.serve.problems", self.lang, errors=len(result.problems.errors)), err=True)
        return result.ok


def run_preview(
    root: Path, sites: frozenset[str], port: int, drafts: bool, lang: str,
    now: Callable[[], datetime], report: Callable[[Iterable[Problem], str], None],
    host: str = HOST,
) -> int:
    if not is_loopback(host):
        click.echo(text("cli.serve.host_warning", lang, host=host), err=True)
    workdir = Path(tempfile.mkdtemp(prefix="opdgen-serve-"))
    state = PreviewState(directory=workdir / "site", headers=preview_headers((), host))
    server = make_server(state, host, port)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{server.server_address[1]}/"
    options = BuildOptions(root=root, now=now(), output=state.directory, sites=sites,
                           include_drafts=drafts, preview_url=url)
    rebuild = Rebuilder(state, options, lang, report, host, clock=now)
    stop_watch: Callable[[], None] = lambda: None  # noqa: E731
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        rebuild._pass(now(), search=True)  # the first build is whole
        stop_watch = watch(root, lambda: rebuild(now()), delay=DEBOUNCE, sites=sites)
        start = url + (f"{sorted(sites)[0]}/" if sites else "")
        click.echo(text("cli.serve.ready", lang, url=start))
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop_watch()
        rebuild.close()
        state.hub.close()
        server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)
        click.echo(text("cli.serve.stopped", lang))
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops the preview as Ctrl-C does."""
    raise KeyboardInterrupt
