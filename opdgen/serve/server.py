"""A preview server: serves a folder the build fills; knows nothing of pages.

The portal is served at `/`, each agency site at `/<slug>/` (the preview build uses those URLs).
Every response carries the production security headers; every HTML response links the reload
script; while the last build failed every HTML page is the problem page. `/__opdgen/` holds what
only the preview serves: the event stream, the reload script and the problem page's stylesheet.
"""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path

from opdgen.serve.errorpage import PREVIEW_CSS, STYLESHEET
from opdgen.serve.livereload import EVENTS, RELOAD_JS, SCRIPT, EventHub, inject

NO_STORE = ("Cache-Control", "no-store")  # the preview changes on every save


@dataclass
class PreviewState:
    """What the handler serves; the preview updates it after every build."""

    directory: Path
    lock: threading.Lock = field(default_factory=threading.Lock)  # held while a build swaps the folder
    hub: EventHub = field(default_factory=EventHub)
    headers: tuple[tuple[str, str], ...] = ()  # the production security headers
    failure: bytes | None = None  # the problem page while the last build failed


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: object, state: PreviewState, **kwargs: object) -> None:
        self.state = state
        super().__init__(*args, directory=str(state.directory), **kwargs)  # type: ignore[arg-type]

    def translate_path(self, path: str) -> str:
        """`/dinkes/x/` -> <dir>/dinkes/x/; anything else -> <dir>/portal/..."""
        first = path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        root = Path(self.directory)
        if first and first != "portal" and (root / first).is_dir():
            return super().translate_path(path)
        return super().translate_path("/portal" + path)

    def end_headers(self) -> None:
        for name, value in (*self.state.headers, NO_STORE):
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:
        route = self.path.split("?", 1)[0]
        if route == EVENTS:
            self._events()
        elif route in (SCRIPT, STYLESHEET):
            kind = "text/javascript" if route == SCRIPT else "text/css"
            self._send(200, RELOAD_JS if route == SCRIPT else PREVIEW_CSS, kind)
        else:
            with self.state.lock:  # never serve a half-swapped tree
                self._file()

    def _file(self) -> None:
        target = Path(self.translate_path(self.path))
        if target.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            target = target / "index.html"
        is_html = target.suffix == ".html" or not target.suffix
        if self.state.failure is not None and is_html:
            self._send(500, self.state.failure, "text/html; charset=utf-8")
        elif target.suffix == ".html" and target.is_file():
            self._send(200, inject(target.read_bytes()), "text/html; charset=utf-8")
        else:
            super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page shows the site's own 404.html, as the production server does."""
        root = Path(self.directory)
        first = self.path.lstrip("/").split("/", 1)[0]
        site_404 = root / first / "404.html" if first else root / "portal" / "404.html"
        target = site_404 if site_404.is_file() else root / "portal" / "404.html"
        if code != 404 or not target.is_file():
            super().send_error(code, message, explain)
            return
        self._send(404, inject(target.read_bytes()), "text/html; charset=utf-8")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for chunk in self.state.hub.stream():
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the tab was closed
            return

    def log_message(self, format: str, *args: object) -> None:
        return


def make_server(state: PreviewState, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Handler, state=state)
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
