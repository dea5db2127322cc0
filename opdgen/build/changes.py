"""Which posts alone changed since the last clean build: the dependency-trusting fast path.

A whole build normally judges every page by its key (a digest of the template and every variable),
which at 15,000 pages costs seconds even when one post changed. When the last clean build's stamp
(opdgen.build.uptodate) shows that nothing but some Markdown files of content/ changed, and output/
is intact, the build can trust the pages' deps instead: a page that did not show any changed source,
in the last build or in this one, is kept without computing its key.

That is sound only when the changed posts moved nothing around: the same files exist, and each
changed post keeps what decides where other pages place it (kind, slug, dates, tags, order; see
`signature`), so every page whose bytes can differ lists the post among its deps. Anything else
(a new or deleted file, a new date or tag, a halaman that may be in a menu, a public-service
document shown on home pages) means the keys decide, as before. tests/e2e/test_speed_correctness.py
compares such builds with clean ones.

The last build's Markdown identities and post signatures are kept beside its stamp
(`<stamp>.posts.json` in the cache folder), never in output/: a first line of JSON (format, inputs,
identities), then one line per site: its slug, the digest of its documents in the portal's search
index, and its posts' signatures as JSON. A build reads the lines of the sites whose posts changed,
and copies the others' as they are (`Signatures`). With the digest, an edit that leaves its post's
opening, title and summary as they were re-indexes the agency's own shard only: the portal's shard
is carried over without the documents of its other agencies (outputs.search.search_files).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import field
from datetime import datetime
from pathlib import Path

from opdgen.build.uptodate import Inputs, Verdict
from opdgen.content.model import Post, Region
from opdgen.records import record

FORMAT = 3  # 2: a line of signatures per site; 3: with the digest of the site's portal documents


class Signatures:
    """The last build's signature of each published post, by source: each site's line of the sidecar
    read only when one of its posts is asked for. `leads`: by site, the digest of its documents in
    the portal's search index in that build (outputs.search.lead_digests; "" when not known)."""

    def __init__(self, lines: Mapping[str, str], leads: Mapping[str, str] | None = None) -> None:
        self.lines = lines  # by site: the JSON of its posts' signatures, as the sidecar holds it
        self.leads: Mapping[str, str] = leads or {}
        self._read: dict[str, dict[str, str]] = {}

    def get(self, rel: str) -> str | None:
        parts = rel.split("/", 2)
        if len(parts) < 3 or parts[1] not in self.lines:
            return None
        site = parts[1]
        if site not in self._read:
            raw = json.loads(self.lines[site])
            if not isinstance(raw, dict):
                raise ValueError(f"signatures of {site}: {raw!r}")
            self._read[site] = {str(k): str(v) for k, v in raw.items()}
        return self._read[site].get(rel)


@record
class Changes:
    sources: frozenset[str]  # repository paths of the Markdown files whose identity changed
    signatures: Signatures  # the last build's signature of each published post
    counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # its files, pages by web root
    released: str = ""  # the release date its serving files say (uptodate.Stamp.released)


def sidecar(stamp_file: Path) -> Path:
    return stamp_file.with_name(stamp_file.stem + ".posts.json")


def since_last_build(verdict: Verdict, inputs: Inputs | None, stamp_file: Path,
                     now: datetime) -> Changes | None:
    """The Markdown files changed since the last clean build, when nothing else changed, output/ is
    as that build left it and the clock has not crossed a boundary (midnight, a scheduled post)."""
    stamp = verdict.previous
    if stamp is None or inputs is None or not verdict.intact or stamp.context != inputs.context \
            or not stamp.built_at <= now < stamp.valid_until:
        return None
    try:
        head, *rest = sidecar(stamp_file).read_text("utf-8").split("\n")
        raw = json.loads(head)
        if raw.get("format") != FORMAT or raw.get("inputs") != stamp.inputs or rest[-1:] != [""]:
            return None
        markdown = {str(k): str(v) for k, v in raw["markdown"].items()}
        rows = [line.split("\t", 2) for line in rest[:-1]]
        lines = {slug: line for slug, _, line in rows}
        leads = {slug: lead for slug, lead, _ in rows}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if markdown.keys() != inputs.markdown.keys():
        return None  # a post was added, removed or renamed: listings and neighbours move
    changed = frozenset(rel for rel, identity in inputs.markdown.items() if markdown[rel] != identity)
    return Changes(changed, Signatures(lines, leads), stamp.roots, stamp.released)


def signature(post: Post) -> str:
    """What decides where a post appears on other pages, and what other pages say of it without
    listing it as a dep (an agency card's last update): changing any of it is a structural change."""
    return json.dumps([post.site, post.kind.value, post.slug, post.date.isoformat() if post.date else None,
                       post.updated.isoformat() if post.updated else None, list(post.tags), post.order,
                       post.is_draft, post.is_scheduled], ensure_ascii=False)


def trusted_sources(changes: Changes | None, region: Region) -> frozenset[str] | None:
    """The changed sources when every one is a published news post whose signature is unchanged
    (berita and pengumuman: other kinds feed menus and home blocks); else None."""
    if changes is None:
        return None
    folders = {rel.split("/", 2)[1] for rel in changes.sources if rel.count("/") >= 2}  # content/<slug>/
    posts = {str(p.source.path): p for site in region.sites if site.slug in folders for p in site.posts}
    try:
        for rel in changes.sources:
            post = posts.get(rel)
            if post is None or not post.kind.is_news or changes.signatures.get(rel) != signature(post):
                return None
    except ValueError:  # a line of the sidecar that is not what a build writes: judge by the keys
        return None
    return changes.sources


def sidecar_text(inputs: Inputs, region: Region, known: Signatures | None = None,
                 unchanged: Iterable[str] = (), leads: Mapping[str, str] | None = None) -> str:
    """The sidecar of a build of these inputs (made while the build waits for its search indexes).
    `known`: the last clean build's signatures, whose lines are copied for the `unchanged` sites
    (kept as that build loaded them: the same posts, so the same signatures and portal documents,
    and none is read). `leads`: the digests of the other sites' portal documents, as this build's
    search thread made them (a site without one is written without: "")."""
    same = set(unchanged) if known is not None else set()
    head = {"format": FORMAT, "inputs": inputs.digest, "markdown": dict(inputs.markdown)}
    lines = [json.dumps(head, sort_keys=True, ensure_ascii=False)]
    for site in sorted(region.sites, key=lambda site: site.slug):
        line = known.lines.get(site.slug) if known is not None and site.slug in same else None
        lead = known.leads.get(site.slug, "") if known is not None and line is not None else None
        if line is None:
            line = json.dumps({str(p.source.path): signature(p) for p in site.posts}, sort_keys=True,
                              ensure_ascii=False)
        if lead is None:
            lead = (leads or {}).get(site.slug, "")
        lines.append(f"{site.slug}\t{lead}\t{line}\n")
    return f"{lines[0]}\n{''.join(lines[1:])}"


def write_sidecar(stamp_file: Path, inputs: Inputs, region: Region, text: str | None = None) -> None:
    """Record the Markdown identities and post signatures of a clean build, beside its stamp
    (`text`: sidecar_text of the same, made earlier)."""
    try:  # without it the next build judges pages by their keys
        stamp_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = sidecar(stamp_file).with_suffix(".tmp")
        temporary.write_text(text or sidecar_text(inputs, region), encoding="utf-8")
        os.replace(temporary, sidecar(stamp_file))
    except OSError:
        pass


def remove_sidecar(stamp_file: Path) -> None:
    with contextlib.suppress(OSError):
        sidecar(stamp_file).unlink(missing_ok=True)
