"""Helpers to check a built output folder: which URL is which file, the links of a page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml


def site_origins(project: Path) -> dict[str, str]:
    """base URL -> folder name under output/, for every sample site and the portal."""
    region = yaml.safe_load((project / "opdgen.yaml").read_text())
    out = {region["portal"]["base_url"]: "portal"}
    for site_yaml in sorted((project / "content").glob("*/site.yaml")):
        out[yaml.safe_load(site_yaml.read_text())["base_url"]] = site_yaml.parent.name
    return out


def url_to_file(output: Path, origins: dict[str, str], url: str) -> Path | None:
    """The file of output/ that an absolute URL on one of our sites serves, or None."""
    for base, folder in origins.items():
        if url.startswith(base) or url + "/" == base:
            rest = unquote(urlsplit(url).path)[len(urlsplit(base).path):]
            target = output / folder / rest
            if rest == "" or rest.endswith("/"):
                return target / "index.html"
            return target
    return None


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            value = values.get(name)
            if value and not (tag == "a" and name == "src"):
                self.links.append(value)


def parse(path: Path) -> LinkParser:
    parser = LinkParser()
    parser.feed(path.read_text("utf-8"))
    return parser
