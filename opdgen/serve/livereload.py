"""Live reload over server-sent events: the client script, the event hub, and what changed.

The script is served by `serve` only (never written to output/) and linked from every served HTML
page with `<script src=... defer>`: the production CSP (script-src 'self', no inline code) allows it,
and EventSource's connection is covered by default-src 'self'. The browser reconnects by itself
after the server restarts; a page that missed a change while disconnected reloads on reconnect.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from opdgen.config import PORTAL_SLUG

if TYPE_CHECKING:
    from opdgen.build.pipeline import BuildResult

PREFIX = "/__opdgen/"
EVENTS = PREFIX + "events"
SCRIPT = PREFIX + "reload.js"
TAG = f'<script src="{SCRIPT}" defer></script>'.encode()
EVERY_PAGE = "*"  # in a change list: reload every tab (the build failed, or recovered)
KEEPALIVE = 15.0  # seconds between comments that keep proxies and the browser from timing out

RELOAD_JS = b"""\
// opdgen serve: brings this tab up to date when its page is rebuilt. Served by the preview only.
(function () {
  "use strict";
  var seen = null;
  function here() {
    var path = decodeURIComponent(location.pathname);
    return path.charAt(path.length - 1) === "/" ? path + "index.html" : path;
  }
  var source = new EventSource("/__opdgen/events");
  source.addEventListener("hello", function (event) {
    if (seen !== null && seen !== event.data) { location.reload(); }
    seen = event.data;
    document.documentElement.setAttribute("data-opdgen-live", seen);  // connected (tests wait for it)
  });
  // The stylesheets and scripts a page loads: when they are the same, the new page's <body> can
  // replace the old one in place (faster than a reload, and the admin keeps their scroll position).
  function assets(doc) {
    return Array.prototype.map.call(doc.querySelectorAll("link[rel=stylesheet], script[src]"),
      function (e) { return e.getAttribute("href") || e.getAttribute("src"); }).join(" ");
  }
  function refresh() {
    fetch(location.href, {cache: "no-store", credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      if (assets(doc) !== assets(document) || !doc.body) { location.reload(); return; }
      document.title = doc.title;
      document.body.replaceWith(document.adoptNode(doc.body));
    }).catch(function () { location.reload(); });
  }
  source.addEventListener("change", function (event) {
    var data = JSON.parse(event.data);
    seen = data.build;
    if (data.paths.indexOf("*") !== -1) { location.reload(); }
    else if (data.paths.indexOf(here()) !== -1) { refresh(); }
  });
}());
"""


def inject(html: bytes) -> bytes:
    """The page with the reload script linked at the end of <head> (or of the document)."""
    at = html.find(b"</head>")
    if at < 0:
        return html + TAG
    return html[:at] + TAG + html[at:]


def changed_urls(result: BuildResult) -> list[str]:
    """URL paths (as served: portal at /, sites at /<slug>/) of the files a build wrote anew (the
    writer links unchanged ones) and of the pages it removed: the writer says, no folder is walked."""
    written = result.stats.written_paths if result.stats is not None else ()
    paths = {PurePosixPath(p) for p in (*written, *result.removed_pages)}
    return sorted(url_of(p) for p in paths if p.parts and not p.parts[0].startswith("."))


def url_of(path: PurePosixPath) -> str:
    """output-relative file path -> served URL path (`portal/a/index.html` -> `/a/index.html`)."""
    if path.parts[0] == PORTAL_SLUG:
        return "/" + "/".join(path.parts[1:])
    return "/" + path.as_posix()


class EventHub:
    """Fans change events out to every connected browser tab; one queue per connection."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards _queues and build
        self._queues: set[queue.Queue[str | None]] = set()
        self._started = time.time_ns()
        self._generation = 0
        self.closed = False

    @property
    def build(self) -> str:
        return f"{self._started}-{self._generation}"

    def publish(self, paths: Iterable[str]) -> None:
        """Tell every tab which URL paths changed (a new build id either way)."""
        with self._lock:
            self._generation += 1
            message = _event("change", json.dumps({"build": self.build, "paths": sorted(paths)}))
            for q in self._queues:
                q.put(message)

    def close(self) -> None:
        """Ends every stream (server shutting down)."""
        with self._lock:
            self.closed = True
            for q in self._queues:
                q.put(None)

    def stream(self) -> Iterator[bytes]:
        """The bytes of one connection: a hello with the build id, then changes and keep-alives."""
        q: queue.Queue[str | None] = queue.Queue()
        with self._lock:
            self._queues.add(q)
            hello = _event("hello", self.build)
        try:
            yield ("retry: 500\n" + hello).encode()
            while not self.closed:
                try:
                    message = q.get(timeout=KEEPALIVE)
                except queue.Empty:
                    message = ": keep-alive\n\n"
                if message is None:
                    return
                yield message.encode()
        finally:
            with self._lock:
                self._queues.discard(q)


def _event(name: str, data: str) -> str:
    return f"event: {name}\ndata: {data}\n\n"
