"""`opdgen report`: load the region, read git history, compute, render a format, write the files.

The only writing is into the folder the admin names with --output (never output/, which belongs
to build/writer.py); without --output the caller prints the text, CSV or JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from opdgen.content.loader import LoadOptions, load_region
from opdgen.problems import Problems
from opdgen.report.compute import compute_report
from opdgen.report.data import render_csv, render_json
from opdgen.report.gitlog import read_history
from opdgen.report.html import PageLinks, render_html, stylesheet
from opdgen.report.model import Report
from opdgen.report.text import render_text

FORMATS = ("html", "csv", "json", "text")
PAGE = "index.html"
CSS = "laporan.css"
# File name of each format's data in the --output folder.
DATA_FILES = {"csv": "laporan.csv", "json": "laporan.json", "text": "laporan.txt"}


def make_report(root: Path, now: datetime, since: date | None = None) -> tuple[Report | None, Problems]:
    """The report of the repository at root as of `now`; None when the region cannot be read.

    Drafts and scheduled posts are left out; files with problems are left out (and reported)."""
    region, problems = load_region(root, LoadOptions(now=now))
    if region is None:
        return None, problems
    today = now.astimezone(region.config.timezone).date()
    return compute_report(region, read_history(root), today, since, problems), problems


def render_format(report: Report, fmt: str, lang: str) -> Mapping[str, bytes]:
    """File name -> bytes for one format: the page and its stylesheet, or one data file."""
    if fmt == "html":
        return {PAGE: render_html(report, lang, PageLinks(css=CSS)).encode("utf-8"), CSS: stylesheet()}
    if fmt == "csv":
        data = render_csv(report)
    elif fmt == "json":
        data = render_json(report)
    else:
        data = render_text(report, lang)
    return {DATA_FILES[fmt]: data.encode("utf-8")}


def write_files(files: Mapping[str, bytes], folder: Path) -> list[Path]:
    """Write each file into folder (created when missing), replacing it in one rename."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in sorted(files.items()):
        target = folder / name
        partial = folder / f".{name}.opdgen-new"
        partial.write_bytes(data)
        partial.replace(target)
        written.append(target)
    return written
