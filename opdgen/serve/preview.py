"""`opdgen serve`: build into a temporary folder, serve it on 127.0.0.1, rebuild on change.

DESIGN: preview never touches output/; it binds to the loopback interface only.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import click

from opdgen.build.pipeline import BuildOptions, build
from opdgen.messages import text
from opdgen.problems import Problem
from opdgen.serve.server import make_server
from opdgen.serve.watch import watch

HOST = "127.0.0.1"


def run_preview(
    root: Path, sites: frozenset[str], port: int, drafts: bool, lang: str,
    now: Callable[[], datetime], report: Callable[[Iterable[Problem], str], None],
) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="opdgen-serve-"))
    output = workdir / "site"
    lock = threading.Lock()  # held while a rebuild swaps the served folder
    server = make_server(output, HOST, port, lock)
    url = f"http://{HOST}:{server.server_address[1]}/"

    def rebuild() -> None:
        with lock:
            result = build(BuildOptions(root=root, now=now(), output=output, sites=sites,
                                        include_drafts=drafts, preview_url=url))
        report(result.problems, lang)
        if result.ok:
            seconds = f"{result.seconds:.2f}"
            click.echo(text("cli.serve.rebuilt", lang,
                            seconds=seconds.replace(".", ",") if lang == "id" else seconds))
        else:
            click.echo(text("cli.serve.problems", lang, errors=len(result.problems.errors)), err=True)

    rebuild()
    stop_watch = watch(root, rebuild)
    start = url + (f"{sorted(sites)[0]}/" if sites else "")
    click.echo(text("cli.serve.ready", lang, url=start))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop_watch()
        server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)
        click.echo(text("cli.serve.stopped", lang))
    return 0
