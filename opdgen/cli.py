"""The command line: parse options, call one function, print, return an exit code.

DESIGN exit codes: 0 success, 1 content problems (reported), 2 usage errors (click's own).
Only this module reads the clock for "now" (OPDGEN_NOW overrides it for tests and rebuilds).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from opdgen import __version__
from opdgen.build.pipeline import BuildOptions, BuildResult, build, render_all
from opdgen.content.frontmatter import DateError, parse_date, slugify
from opdgen.content.loader import CONTENT_DIR
from opdgen.content.model import Kind
from opdgen.messages import format_problem, pick_language, text
from opdgen.problems import Problem
from opdgen.scaffold import init_repository, new_post_path, new_post_text

WIB = ZoneInfo("Asia/Jakarta")


def build_now() -> datetime:
    """The build's "now", which decides which scheduled posts are due: OPDGEN_NOW, else
    SOURCE_DATE_EPOCH (reproducible-builds.org), else the clock. Nothing else reads the time."""
    value = os.environ.get("OPDGEN_NOW")
    if value:
        try:
            return parse_date(value, WIB)
        except DateError:
            raise click.UsageError(f"OPDGEN_NOW={value!r}: use e.g. 2026-11-28 09:00") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), WIB)
        except (ValueError, OverflowError, OSError):
            raise click.UsageError(f"SOURCE_DATE_EPOCH={epoch!r}: seconds since 1970") from None
    return datetime.now(WIB)


def common(func: Callable[..., int]) -> Callable[..., Any]:
    """--root and --lang on every command, and the exit code returned as the process's."""
    func = click.option("--lang", type=click.Choice(["id", "en"]), default=None,
                        help="Bahasa pesan / message language (default: OPDGEN_LANG or id).")(func)
    func = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                        show_default=True, help="Folder repositori / repository folder.")(func)

    def run(**kwargs: Any) -> None:
        sys.exit(func(**kwargs))

    run.__name__ = func.__name__
    run.__doc__ = func.__doc__
    run.__click_params__ = func.__click_params__  # type: ignore[attr-defined]
    return run


def report(problems: Iterable[Problem], lang: str) -> None:
    for problem in problems:
        click.echo(format_problem(problem, lang), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opdgen")
def main() -> None:
    """opdgen: situs statis untuk perangkat daerah dan portal kabupaten/kota."""


@main.command("build")
@click.option("--site", "sites", multiple=True, help="Bangun situs ini saja (boleh berulang).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder hasil (default: ROOT/output).")
@click.option("--drafts", is_flag=True, help="Sertakan draf dan tulisan terjadwal.")
@click.option("--quiet", "-q", is_flag=True, help="Hanya tampilkan masalah.")
@common
def build_cmd(root: Path, lang: str | None, sites: tuple[str, ...], output: Path | None,
              drafts: bool, quiet: bool) -> int:
    """Bangun semua situs (atau yang disebut) dan portal ke output/."""
    lang = pick_language(lang)
    result = build(BuildOptions(root=root, now=build_now(), output=output,
                                sites=frozenset(sites), include_drafts=drafts))
    return _finish_build(result, lang, quiet)


def _finish_build(result: BuildResult, lang: str, quiet: bool) -> int:
    report(result.problems, lang)
    if not result.ok:
        click.echo(text("cli.build.failed", lang, errors=len(result.problems.errors)), err=True)
        return 1
    if not quiet:
        seconds = f"{result.seconds:.2f}"
        click.echo(text("cli.build.done", lang, sites=result.site_count, pages=result.pages,
                        files=len(result.files),
                        seconds=seconds.replace(".", ",") if lang == "id" else seconds))
    return 0


@main.command()
@click.option("--site", "sites", multiple=True, help="Periksa situs ini saja.")
@common
def check(root: Path, lang: str | None, sites: tuple[str, ...]) -> int:
    """Periksa semua konten tanpa menulis apa pun; keluar 1 bila ada masalah."""
    lang = pick_language(lang)
    result = render_all(BuildOptions(root=root, now=build_now(), sites=frozenset(sites),
                                     with_portal=not sites))
    report(result.problems, lang)
    if result.problems.warnings:
        click.echo(text("cli.check.warnings", lang, warnings=len(result.problems.warnings)), err=True)
    if not result.ok:
        click.echo(text("cli.check.failed", lang, errors=len(result.problems.errors)), err=True)
        return 1
    posts = sum(len(s.posts) for s in result.region.sites) if result.region else 0
    click.echo(text("cli.check.ok", lang, sites=len(result.region.sites) if result.region else 0,
                    posts=posts))
    return 0


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["id", "en"]), default=None, help="Bahasa pesan.")
def init(directory: Path, lang: str | None) -> None:
    """Buat repositori baru: opdgen.yaml, satu situs contoh, alur CI, .gitignore."""
    lang = pick_language(lang)
    if (directory / "opdgen.yaml").exists():
        click.echo(text("cli.init.not_empty", lang, path=directory), err=True)
        sys.exit(1)
    for path in init_repository(directory, build_now()):
        click.echo(f"  + {path.relative_to(directory).as_posix()}")
    click.echo(text("cli.init.done", lang, path=directory))


@main.command()
@click.argument("kind", type=click.Choice([k.value for k in Kind]))
@click.argument("title")
@click.option("--site", required=True, help="Nama folder situs di content/.")
@common
def new(root: Path, lang: str | None, kind: str, title: str, site: str) -> int:
    """Buat berkas tulisan baru dengan kolom pengaturan terisi; cetak lokasinya."""
    lang = pick_language(lang)
    site_dir = root / CONTENT_DIR / site
    if not (site_dir / "site.yaml").is_file():
        names = ", ".join(sorted(p.parent.name for p in (root / CONTENT_DIR).glob("*/site.yaml")))
        click.echo(text("cli.new.no_site", lang, site=site, sites=names or "-"), err=True)
        return 1
    if not slugify(title):
        click.echo(text("cli.new.bad_title", lang, title=title), err=True)
        return 1
    now = build_now()
    path = new_post_path(site_dir, Kind(kind), title, now)
    if path.exists():
        click.echo(text("cli.new.exists", lang, path=path), err=True)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new_post_text(Kind(kind), title, now), encoding="utf-8")
    click.echo(path.as_posix())
    click.echo(text("cli.new.created", lang, path=path.as_posix(), site=site), err=True)
    return 0



@main.command()
@click.option("--site", "sites", multiple=True, help="Pratinjau situs ini saja (dan portal).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--drafts", is_flag=True, help="Tampilkan juga draf dan tulisan terjadwal.")
@common
def serve(root: Path, lang: str | None, sites: tuple[str, ...], port: int, drafts: bool) -> int:
    """Bangun, sajikan di 127.0.0.1, dan bangun ulang setiap kali berkas berubah."""
    from opdgen.serve.preview import run_preview

    lang = pick_language(lang)
    return run_preview(root, frozenset(sites), port, drafts, lang, build_now, report)
