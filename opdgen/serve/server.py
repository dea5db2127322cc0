"""A preview server on 127.0.0.1: serves a folder the build callable fills; knows nothing of pages.

The portal is served at `/`, each agency site at `/<slug>/` (the preview build uses those URLs).
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: object, directory: str, lock: threading.Lock, **kwargs: object) -> None:
        self._lock = lock
        super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

    def translate_path(self, path: str) -> str:
        """`/dinkes/x/` -> <dir>/dinkes/x/; anything else -> <dir>/portal/..."""
        first = path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        root = Path(self.directory)
        if first and first != "portal" and (root / first).is_dir():
            return super().translate_path(path)
        return super().translate_path("/portal" + path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page shows the site's own 404.html, as the production server does."""
        root = Path(self.directory)
        first = self.path.lstrip("/").split("/", 1)[0]
        site_404 = root / first / "404.html" if first else root / "portal" / "404.html"
        target = site_404 if site_404.is_file() else root / "portal" / "404.html"
        if code != 404 or not target.is_file():
            super().send_error(code, message, explain)
            return
        body = target.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        with self._lock:  # never serve a half-swapped tree
            super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        return


def make_server(
    directory: Path, host: str, port: int, lock: threading.Lock
) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Handler, directory=str(directory), lock=lock)
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
