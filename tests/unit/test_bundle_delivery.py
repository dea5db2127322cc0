"""The search thread's bundles reach the build with, after a web root's last one, that root's name
(opdgen.build.pipeline._Delivery): the build then makes its serving files and pages.json early."""

from __future__ import annotations

import queue
import threading
from pathlib import PurePosixPath

from opdgen.build.pipeline import _Delivery
from opdgen.outputs.files import OutputFile


def bundle(root: str, folder: str, *names: str) -> list[OutputFile]:
    return [OutputFile(PurePosixPath(root, folder, name), b"x", frozenset({"search"})) for name in names]


def drained(out: queue.SimpleQueue[list[OutputFile] | str | None]) -> list[object]:
    items: list[object] = []
    while not out.empty():
        item = out.get()
        assert item is not None
        items.append(item if isinstance(item, str) else sorted({str(f.path).rsplit("/", 1)[0] for f in item}))
    return items


def test_a_root_is_named_once_after_its_last_bundle() -> None:
    out: queue.SimpleQueue[list[OutputFile] | str | None] = queue.SimpleQueue()
    asked: list[int] = []

    def plan() -> dict[str, frozenset[str]]:
        asked.append(1)
        return {"portal": frozenset({"pagefind", "pagefind-1"}), "dinkes": frozenset({"pagefind"}),
                "empty": frozenset()}

    delivery = _Delivery(out, plan)
    assert asked == []  # (the plan is asked for by the search thread, with the first bundle)
    delivery.deliver(bundle("portal", "pagefind-1", "a", "b"))
    delivery.deliver(bundle("portal", "pagefind", "c") + bundle("disdik", "pagefind", "d"))  # two roots at once
    delivery.deliver(bundle("portal", "pagefind", "e"))  # (more of a named root: never named again)
    delivery.deliver(bundle("dinkes", "pagefind-1", "f"))  # not a bundle it waits for
    assert drained(out) == [["portal/pagefind-1"], ["disdik/pagefind", "portal/pagefind"], "portal",
                            ["portal/pagefind"], ["dinkes/pagefind-1"]]
    delivery.deliver(bundle("dinkes", "pagefind", "g"))
    assert drained(out) == [["dinkes/pagefind"], "dinkes"] and asked == [1]


def test_bundles_from_several_threads_come_before_their_roots_name() -> None:
    out: queue.SimpleQueue[list[OutputFile] | str | None] = queue.SimpleQueue()
    folders = frozenset(f"pagefind-{n}" if n else "pagefind" for n in range(40))
    delivery = _Delivery(out, lambda: {"portal": folders})
    threads = [threading.Thread(target=delivery.deliver, args=(bundle("portal", folder, "x"),)) for folder in folders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    items = drained(out)
    assert items[-1] == "portal" and len(items) == len(folders) + 1
