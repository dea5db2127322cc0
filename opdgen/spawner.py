"""Run programs from a small helper process instead of from the build's own, large one.

A build starts Pagefind once per index (seventy times at sixty agencies) while its own process holds
hundreds of megabytes. Each start is a vfork: until the program is loaded, the child shares the
parent's memory and shows it as its own, so whatever sums the memory of the process tree (a CI
runner's limit, `make bench`) sees the build's memory twice. The helper is a fresh interpreter of
a few megabytes that starts each program in a thread of its own and reports how it ended, one JSON
line per run; many runs may be in flight at once.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from opdgen.build import walk as walk_module

_HELPER = r"""
import json, os, shutil, subprocess, sys, threading
lock = threading.Lock()
def unpack(request):
    with open(request["blob"], "rb") as f:
        data = f.read()
    made = set()
    for rel, start, size in request["files"]:
        path = os.path.join(request["folder"], rel)
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(path, "xb") as out:
            out.write(data[start:start + size])
def pack(request):
    root, found = request["folder"], []
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if not rel.startswith(tuple(request["skip"])):
                found.append((rel, path))
    files, offset = [], 0
    with open(request["blob"], "xb") as out:
        for rel, path in sorted(found, key=lambda item: item[0].split("/")):  # as paths sort
            with open(path, "rb") as f:
                data = f.read()
            out.write(data)
            files.append([rel, offset, len(data)])
            offset += len(data)
    return files
walkers = {}
def walk(request):
    import importlib.util
    module = walkers.get(request["module"])
    if module is None:  # opdgen.build.walk, by its path: standard library only
        spec = importlib.util.spec_from_file_location("opdgen_walk", request["module"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        walkers[request["module"]] = module
    return module.walk_into(request["folder"], request["blob"])
def serve(request):
    try:
        if "walk" in request:
            reply = {"id": request["id"], "digest": walk(request["walk"])}
        elif "unpack" in request:
            unpack(request["unpack"])
            reply = {"id": request["id"]}
        elif "pack" in request:
            reply = {"id": request["id"], "files": pack(request["pack"])}
        else:
            done = subprocess.run(request["argv"], capture_output=True, text=True,
                                  timeout=request["timeout"], check=False)
            reply = {"id": request["id"], "returncode": done.returncode, "stdout": done.stdout,
                     "stderr": done.stderr}
    except Exception as exc:
        reply = {"id": request["id"], "error": type(exc).__name__ + ": " + str(exc)}
    with lock:
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    if "pack" in request and request["pack"].get("remove"):  # once answered: nobody waits for it
        shutil.rmtree(request["pack"]["folder"], ignore_errors=True)
running = []
for line in sys.stdin:
    thread = threading.Thread(target=serve, args=(json.loads(line),))
    thread.start()
    running.append(thread)
for thread in running:
    thread.join()
"""


class SpawnerError(OSError):
    """The helper could not run the program, or is gone."""


class Spawner:
    """Thread-safe: `run` from any thread; `close` when done (also as a context manager)."""

    def __init__(self) -> None:
        # -I -S: no user site, no site-packages, no PYTHON* variables: nothing but the standard library
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1,
        )
        self._lock = threading.Lock()
        self._waiting: dict[int, Future[dict[str, Any]]] = {}
        self._next = 0
        self._gone = False
        self._reader = threading.Thread(target=self._read, name="opdgen-spawner", daemon=True)
        self._reader.start()

    def run(self, argv: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str]:
        """Like subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False);
        SpawnerError when the program could not be started or ran out of time."""
        answer = self._ask({"argv": list(argv), "timeout": timeout})
        return subprocess.CompletedProcess(list(argv), int(answer["returncode"]), str(answer["stdout"]),
                                           str(answer["stderr"]))

    # Many small files are written and read by the helper, not by this process: each file costs a
    # few system calls, and a thread of a busy Python process waits for the interpreter lock after
    # every one (10,000 search documents took two seconds beside the page renderer, 0.2 s alone).

    def unpack(self, blob: Path, files: Sequence[tuple[str, int, int]], folder: Path) -> None:
        """Write each (path, start, size) of the bytes in the file `blob` as folder/path, in order
        (new files only)."""
        self._ask({"unpack": {"blob": str(blob), "files": [list(f) for f in files], "folder": str(folder)}})

    def pack(self, folder: Path, blob: Path, skip: Sequence[str] = (),
             remove: bool = False) -> list[tuple[str, int, int]]:
        """Every file below folder (but those whose relative path starts with one of `skip`), in
        path order, one after the other into the new file `blob`: (path, start, size) of each.
        `remove`: the helper then removes the folder, after answering (before it ends)."""
        answer = self._ask({"pack": {"folder": str(folder), "blob": str(blob), "skip": list(skip),
                                     "remove": remove}})
        return [(str(rel), int(start), int(size)) for rel, start, size in answer["files"]]

    def walk(self, folder: Path, blob: Path) -> Future[dict[str, Any]]:
        """Start walking folder (opdgen.build.walk.walk_into: its files' identities into the new
        file `blob`); the answer's "digest" is theirs, or "error" says why it failed. Returns at once."""
        return self._send({"walk": {"module": str(Path(walk_module.__file__).resolve()),
                                    "folder": str(folder), "blob": str(blob)}})

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        answer = self._send(request).result()
        if "error" in answer:
            raise SpawnerError(str(answer["error"]))
        return answer

    def _send(self, request: dict[str, Any]) -> Future[dict[str, Any]]:
        reply: Future[dict[str, Any]] = Future()
        with self._lock:
            if self._gone or self._process.stdin is None:
                raise SpawnerError("the helper process has ended")
            self._next += 1
            number = self._next
            self._waiting[number] = reply
            try:
                self._process.stdin.write(json.dumps({"id": number, **request}) + "\n")
                self._process.stdin.flush()
            except OSError as exc:
                del self._waiting[number]
                raise SpawnerError(f"the helper process has ended ({exc})") from None
        return reply

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            try:
                answer = json.loads(line)
                with self._lock:
                    reply = self._waiting.pop(int(answer["id"]))
            except (ValueError, KeyError, TypeError):
                continue
            reply.set_result(answer)
        with self._lock:  # the helper ended: nobody waits forever
            self._gone = True
            waiting, self._waiting = self._waiting, {}
        for reply in waiting.values():
            reply.set_result({"error": "the helper process has ended"})

    def kill(self) -> None:
        """End the helper at once, whatever it is doing (a run in flight answers with an error)."""
        with contextlib.suppress(OSError):
            self._process.kill()
        self.close()

    def ask_no_more(self) -> None:
        """Tell the helper no request will follow: it ends once the runs in flight are answered, while
        the caller goes on (`close` then finds it gone)."""
        with self._lock:
            if self._process.stdin is not None and not self._process.stdin.closed:
                with contextlib.suppress(OSError):  # the helper is gone already
                    self._process.stdin.close()

    def close(self) -> None:
        """Let the runs in flight finish, then end the helper."""
        self.ask_no_more()
        self._process.wait()
        self._reader.join()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> Spawner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
