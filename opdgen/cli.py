"""The command line: parse options, call one function, print, return an exit code.

DESIGN exit codes: 0 success, 1 content problems (reported), 2 usage errors (click's own).
Only this module reads the clock for "now" (OPDGEN_NOW overrides it for tests and rebuilds).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from opdgen import __version__
from opdgen.build import progress
from opdgen.build.pipeline import BuildOptions, BuildResult, build, render_all
from opdgen.config import PORTAL_SLUG
from opdgen.content.frontmatter import DateError, parse_date, slugify
from opdgen.content.loader import CONTENT_DIR
from opdgen.content.model import Kind
from opdgen.messages import format_problem, pick_language, text
from opdgen.problems import Problem, Severity

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


_QUICK_EXIT = False  # a build has finished: the process may end without freeing its heap (entry)


def entry() -> None:
    """The `opdgen` command and `python -m opdgen`: main(), and once a build has finished, the
    process ends at once. Freeing a build's hundreds of thousands of objects one by one took 0.1 s
    of an incremental build at 10,000 posts; everything the build opened it has closed by then,
    and the output streams are flushed here. (Tests run main() through click's runner.)"""
    try:
        main()
    except SystemExit as exc:
        if not _QUICK_EXIT:
            raise
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: nothing more to say
                code = code or 1
        os._exit(code)


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


def report(problems: Iterable[Problem], lang: str, *, notices: bool = False) -> None:
    """Print problems; notices (compliance advice) only where asked: `check`, not every build."""
    for problem in problems:
        if notices or problem.severity is not Severity.NOTICE:
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
@click.option("--strict", is_flag=True, help="Peringatan (mis. dugaan spam) dihitung sebagai masalah.")
@click.option("--jobs", "-j", type=click.IntRange(0, 256), default=0,
              help="Jumlah proses kerja (default 0: semua inti prosesor).")
@click.option("--no-portal", "no_portal", is_flag=True,
              help="Tanpa portal: baca dan bangun situs yang disebut saja (job CI per OPD).")
@click.option("--prune-cache", "prune_cache", is_flag=True,
              help="Setelah berhasil, hapus dari cache semua yang tidak dipakai build ini (job CI "
                   "dengan cache sendiri; build seluruh daerah melakukannya sendiri).")
@common
def build_cmd(root: Path, lang: str | None, sites: tuple[str, ...], output: Path | None,
              drafts: bool, quiet: bool, strict: bool, jobs: int, no_portal: bool, prune_cache: bool) -> int:
    """Bangun semua situs (atau yang disebut) dan portal ke output/."""
    lang = pick_language(lang)
    if no_portal and (not sites or PORTAL_SLUG in sites):
        click.echo(text("cli.build.no_portal_needs_site", lang), err=True)
        return 2
    if not quiet and progress.on_terminal(sys.stderr):
        progress.TRACKER.enable(sys.stderr, lambda code: text(code, lang))
    try:
        result = build(BuildOptions(root=root, now=build_now(), output=output, jobs=jobs,
                                    sites=frozenset(sites), include_drafts=drafts, strict=strict,
                                    with_portal=not no_portal, prune_cache=prune_cache))
    finally:
        progress.TRACKER.clear()
    progress.TRACKER.report_timings(sys.stderr)
    code = _finish_build(result, lang, quiet)
    global _QUICK_EXIT
    _QUICK_EXIT = True
    return code


def _finish_build(result: BuildResult, lang: str, quiet: bool) -> int:
    report(result.problems, lang)
    if not result.ok:
        click.echo(text("cli.build.failed", lang, errors=len(result.problems.errors)), err=True)
        return 1
    if not quiet:
        seconds = f"{result.seconds:.2f}"
        click.echo(text("cli.build.up_to_date" if result.up_to_date else "cli.build.done", lang,
                        sites=result.site_count, pages=result.pages, written=result.pages_written,
                        unchanged=result.pages - result.pages_written, files=result.file_count,
                        seconds=seconds.replace(".", ",") if lang == "id" else seconds))
        swept = result.swept
        if swept is not None and (swept.entries or swept.files):
            megabytes = f"{swept.bytes / 1e6:.1f}"
            click.echo(text("cli.build.swept", lang, entries=swept.entries, files=swept.files,
                            megabytes=megabytes.replace(".", ",") if lang == "id" else megabytes))
    return 0


@main.command()
@click.option("--site", "sites", multiple=True, help="Periksa situs ini saja.")
@click.option("--strict", is_flag=True, help="Peringatan (mis. dugaan spam) dihitung sebagai masalah.")
@common
def check(root: Path, lang: str | None, sites: tuple[str, ...], strict: bool) -> int:
    """Periksa semua konten tanpa menulis apa pun; keluar 1 bila ada masalah."""
    lang = pick_language(lang)
    result = render_all(BuildOptions(root=root, now=build_now(), sites=frozenset(sites),
                                     with_portal=not sites or PORTAL_SLUG in sites, strict=strict))
    report(result.problems, lang, notices=True)
    if result.problems.warnings:
        click.echo(text("cli.check.warnings", lang, warnings=len(result.problems.warnings)), err=True)
    if result.problems.notices:
        click.echo(text("cli.check.notices", lang, notices=len(result.problems.notices)), err=True)
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
    from opdgen.scaffold import init_repository  # (with the CI workflows: not imported to build)

    lang = pick_language(lang)
    if (directory / "opdgen.yaml").exists():
        click.echo(text("cli.init.not_empty", lang, path=directory), err=True)
        sys.exit(1)
    for path in init_repository(directory, build_now()):
        click.echo(f"  + {path.relative_to(directory).as_posix()}")
    click.echo(text("cli.init.done", lang, path=directory))


@main.command()
@click.argument("kind", type=click.Choice([k.value for k in Kind]))
@click.argument("title", required=False)
@click.option("--site", required=True, help="Nama folder situs di content/.")
@common
def new(root: Path, lang: str | None, kind: str, title: str | None, site: str) -> int:
    """Buat berkas tulisan baru dengan kolom pengaturan terisi; cetak lokasinya.

    `opdgen new halaman --site SLUG` tanpa judul: daftar halaman wajib yang belum ada."""
    from opdgen.scaffold import configured_standing, new_post_path, new_post_text

    lang = pick_language(lang)
    site_dir = root / CONTENT_DIR / site
    if not (site_dir / "site.yaml").is_file():
        names = ", ".join(sorted(p.parent.name for p in (root / CONTENT_DIR).glob("*/site.yaml")))
        click.echo(text("cli.new.no_site", lang, site=site, sites=names or "-"), err=True)
        return 1
    if title is None:  # issue 8: `new halaman --site S` lists the standing pages still to write
        return _standing_pages(root, site_dir, kind, lang)
    if not slugify(title):
        click.echo(text("cli.new.bad_title", lang, title=title), err=True)
        return 1
    now = build_now()
    path = new_post_path(site_dir, Kind(kind), title, now)
    if path.exists():
        click.echo(text("cli.new.exists", lang, path=path), err=True)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    standing = configured_standing(root)[0] if kind == Kind.HALAMAN.value else None
    path.write_text(new_post_text(Kind(kind), title, now, site, standing or ()), encoding="utf-8")
    click.echo(path.as_posix())
    click.echo(text("cli.new.created", lang, path=path.as_posix(), site=site), err=True)
    return 0


def _standing_pages(root: Path, site_dir: Path, kind: str, lang: str) -> int:
    """`opdgen new halaman --site S`: each missing standing page and the command that writes it."""
    from opdgen.scaffold import configured_standing, standing_lines

    if kind != Kind.HALAMAN.value:
        raise click.UsageError(text("cli.new.title_required", lang, kind=kind, site=site_dir.name))
    standing, problems = configured_standing(root)
    report(problems, lang)
    if standing is None:
        return 1
    for line in standing_lines(root, site_dir, standing, lang):
        click.echo(line)
    return 0



@main.command("report")
@click.option("--since", default=None, help="Hitung sejak tanggal ini, mis. 2026-01-01 (default: 12 bulan).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Tulis laporan ke folder ini (wajib untuk html).")
@click.option("--format", "fmt", type=click.Choice(["html", "csv", "json", "text"]), default=None,
              help="Format laporan (default: text di layar, html bila ada --output).")
@common
def report_cmd(root: Path, lang: str | None, since: str | None, output: Path | None,
               fmt: str | None) -> int:
    """Laporan keaktifan: tulisan per bulan, terbit terakhir, situs yang diam."""
    from opdgen.report.run import make_report, render_format, write_files

    lang = pick_language(lang)
    now = build_now()
    fmt = fmt or ("html" if output else "text")
    if fmt == "html" and output is None:
        raise click.UsageError(text("cli.report.html_needs_output", lang))
    result, problems = make_report(root, now, _since(since, now, lang))
    report(problems, lang)
    if result is not None:
        files = render_format(result, fmt, lang)
        if output is None:
            click.echo(b"".join(files.values()).decode("utf-8"), nl=False)
        for path in write_files(files, output) if output else ():
            click.echo(text("cli.report.written", lang, path=path.as_posix()), err=True)
    if problems.has_errors:
        click.echo(text("cli.report.problems", lang, errors=len(problems.errors)), err=True)
    return 1 if result is None or problems.has_errors else 0


def _since(value: str | None, now: datetime, lang: str) -> date | None:
    """--since as a day; a usage error (exit 2) when it is not a date or lies after today."""
    if value is None:
        return None
    try:
        day = parse_date(value, WIB).date()
    except DateError:
        raise click.BadParameter(text("cli.report.since_format", lang, value=value),
                                 param_hint="--since") from None
    if day > now.date():
        raise click.BadParameter(text("cli.report.since_future", lang, value=day, today=now.date()),
                                 param_hint="--since")
    return day


@main.command("verify")
@click.argument("target")
@click.option("--site", required=True, help="Situs yang diperiksa (nama foldernya, atau portal).")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Manifest hasil build (default: ROOT/output/.opdgen/SITE/manifest.json).")
@click.option("--sample", type=click.IntRange(0, 1000), default=10, show_default=True,
              help="Tulisan yang juga diminta sebagai Googlebot (untuk URL).")
@click.option("--json", "as_json", is_flag=True, help="Laporan JSON.")
@common
def verify_cmd(root: Path, lang: str | None, target: str, site: str, manifest_path: Path | None,
               sample: int, as_json: bool) -> int:
    """Bandingkan salinan terpasang (folder atau URL http/https) dengan build; keluar 1 bila berbeda."""
    from opdgen.outputs.manifest import MANIFEST, SERVER_DIR, ManifestError
    from opdgen.verify import read_manifest, report_json, report_text, verify

    lang = pick_language(lang)
    path = manifest_path or root / "output" / SERVER_DIR / site / MANIFEST
    try:
        manifest = read_manifest(path, site)
    except ManifestError as exc:
        raise click.UsageError(text("cli.verify.no_manifest", lang, path=path, detail=exc)) from None
    outcome = verify(manifest, target, sample=sample)
    click.echo(report_json(outcome, lang) if as_json else report_text(outcome, lang))
    return 0 if outcome.ok else 1


@main.command("deploy")
@click.option("--site", "sites", multiple=True, help="Situs yang di-deploy (boleh berulang; portal juga).")
@click.option("--all", "all_sites", is_flag=True, help="Semua situs hasil build, termasuk portal.")
@click.option("--to", "to", required=True,
              help="Folder tujuan, atau user@host:/srv/www/{site} (rsync lewat SSH).")
@click.option("--rollback", is_flag=True, help="Kembali ke rilis sebelum yang sedang tayang.")
@click.option("--keep", type=click.IntRange(1, 1000), default=None,
              help="Rilis yang disimpan (default: deploy.keep di opdgen.yaml, 5).")
@click.option("--rsh", default=None, help="Perintah ssh (default: OPDGEN_RSH atau ssh).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder hasil build (default: ROOT/output).")
@common
def deploy_cmd(root: Path, lang: str | None, sites: tuple[str, ...], all_sites: bool, to: str,
               rollback: bool, keep: int | None, rsh: str | None, output: Path | None) -> int:
    """Unggah rilis baru, tayangkan seketika (symlink current), lalu periksa salinan di server."""
    from opdgen.deploy.command import DeployRequest, deploy_keep, run_deploy

    lang = pick_language(lang)
    if bool(sites) == all_sites:
        raise click.UsageError(text("cli.deploy.which_sites", lang))
    keep = keep or deploy_keep(root, lang, report)
    if keep is None:
        return 1
    request = DeployRequest(root=root, output=output or root / "output", sites=sites, to=to,
                            rollback=rollback, keep=keep, rsh=rsh or os.environ.get("OPDGEN_RSH", "ssh"),
                            now=build_now())
    return run_deploy(request, lang, click.echo, lambda line: click.echo(line, err=True))


@main.command()
@click.option("--site", "sites", multiple=True, help="Pratinjau situs ini saja (dan portal).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--drafts", is_flag=True, help="Tampilkan juga draf dan tulisan terjadwal.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Alamat yang didengarkan; selain 127.0.0.1 dapat dibuka orang lain di jaringan.")
@common
def serve(root: Path, lang: str | None, sites: tuple[str, ...], port: int, drafts: bool, host: str) -> int:
    """Bangun, sajikan di 127.0.0.1, dan bangun ulang setiap kali berkas berubah."""
    from opdgen.serve.preview import run_preview

    lang = pick_language(lang)
    return run_preview(root, frozenset(sites), port, drafts, lang, build_now, report, host)


@main.command()
@click.option("--site", required=True, help="Nama folder situs di content/.")
@click.option("--since", default=None, help="Tulisan sejak tanggal ini (default: 7 hari terakhir).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@common
def sosmed(root: Path, lang: str | None, site: str, since: str | None, fmt: str) -> int:
    """Keterangan siap tempel untuk Instagram, Facebook dan X dari tulisan terbaru."""
    from datetime import timedelta

    from opdgen.content.loader import LoadOptions, load_region
    from opdgen.sosmed import captions_for, format_json, format_text, recent_posts

    lang = pick_language(lang)
    now = build_now()
    try:
        start = parse_date(since, now.tzinfo or WIB) if since else now - timedelta(days=7)
    except DateError:
        message = text("frontmatter.date.format", lang, value=since)
        raise click.BadParameter(message, param_hint="--since") from None
    region, problems = load_region(root, LoadOptions(now=now, only_sites=frozenset({site})))
    report(problems, lang)
    chosen = next((s for s in region.sites if s.slug == site), None) if region else None
    if chosen is None or problems.has_errors:
        if chosen is None and not problems.has_errors:
            click.echo(text("site.unknown", lang, site=site), err=True)
        return 1
    items = [captions_for(p, chosen, lang) for p in recent_posts(chosen, start)]
    if not items:
        click.echo(text("cli.sosmed.none", lang, site=site, since=f"{start:%Y-%m-%d}"), err=True)
        return 0
    click.echo(format_json(items) if fmt == "json" else format_text(items, lang))
    return 0
