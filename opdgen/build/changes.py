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
index, its news posts' portal signatures and its posts' signatures, both as JSON. A build reads the
lines of the sites whose posts changed, and copies the others' as they are (`Signatures`). With the
digest, an edit that leaves its post's opening, title and summary as they were re-indexes the
agency's own shard only: the portal's shard is carried over without the documents of its other
agencies (outputs.search.search_files). With the portal signatures, an edit that leaves all the
portal shows of its post as it was (`portal_signature`) leaves the portal's web root whole
(outputs.portal.portal_unchanged).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import field
from datetime import datetime
from pathlib import Path

from opdgen.build.uptodate import Inputs, Verdict
from opdgen.content.model import Post, Region, Site
from opdgen.records import record

FORMAT = 4  # 2: a line of signatures per site; 3: with the digest of the site's portal documents;
# 4: with its news posts' portal signatures


class Signatures:
    """The last build's signature of each published post, by source: each site's line of the sidecar
    read only when one of its posts is asked for. `leads`: by site, the digest of its documents in
    the portal's search index in that build (outputs.search.lead_digests; "" when not known).
    `portal`: by site, the JSON of its news posts' portal signatures (`portal_signature`)."""

    def __init__(self, lines: Mapping[str, str], leads: Mapping[str, str] | None = None,
                 portal: Mapping[str, str] | None = None) -> None:
        self.lines = lines  # by site: the JSON of its posts' signatures, as the sidecar holds it
        self.leads: Mapping[str, str] = leads or {}
        self.portal_lines: Mapping[str, str] = portal or {}
        self._read: dict[tuple[int, str], dict[str, str]] = {}

    def get(self, rel: str) -> str | None:
        """The post's signature in the last build (`signature`); None: not a published post then."""
        return self._of(self.lines, rel)

    def portal(self, rel: str) -> str | None:
        """The news post's portal signature in the last build; None or "": not known."""
        return self._of(self.portal_lines, rel)

    def site_portal(self, slug: str) -> Mapping[str, str]:
        """Every portal signature of one site's news posts in the last build."""
        return self._line(self.portal_lines, slug) if slug in self.portal_lines else {}

    def _of(self, lines: Mapping[str, str], rel: str) -> str | None:
        parts = rel.split("/", 2)
        if len(parts) < 3 or parts[1] not in lines:
            return None
        return self._line(lines, parts[1]).get(rel)

    def _line(self, lines: Mapping[str, str], site: str) -> dict[str, str]:
        read = self._read.get((id(lines), site))
        if read is None:
            raw = json.loads(lines[site])
            if not isinstance(raw, dict):
                raise ValueError(f"signatures of {site}: {raw!r}")
            read = self._read[(id(lines), site)] = {str(k): str(v) for k, v in raw.items()}
        return read


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
        rows = [line.split("\t", 3) for line in rest[:-1]]
        lines = {slug: line for slug, _, _, line in rows}
        leads = {slug: lead for slug, lead, _, _ in rows}
        portal = {slug: shown for slug, _, shown, _ in rows}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if markdown.keys() != inputs.markdown.keys():
        return None  # a post was added, removed or renamed: listings and neighbours move
    changed = frozenset(rel for rel, identity in inputs.markdown.items() if markdown[rel] != identity)
    return Changes(changed, Signatures(lines, leads, portal), stamp.roots, stamp.released)


def signature(post: Post) -> str:
    """What decides where a post appears on other pages, and what other pages say of it without
    listing it as a dep (an agency card's last update): changing any of it is a structural change."""
    return json.dumps([post.site, post.kind.value, post.slug, post.date.isoformat() if post.date else None,
                       post.updated.isoformat() if post.updated else None, list(post.tags), post.order,
                       post.is_draft, post.is_scheduled], ensure_ascii=False)


def portal_signature(post: Post, lead: str) -> str:
    """All the portal shows of a news post but in its feed, beyond its `signature`: what its card
    shows (render.context.card_view: title, summary, author, photo and its text, social preview)
    and its document in the portal's search index (`lead`: outputs.search.lead_digest, "" when not
    known: then so is this). When the build trusts that only some posts changed and each one's
    portal signature is as it was, no page of the portal changes but its feed's (which holds the
    posts' text), nor its index."""
    if not lead:
        return ""
    hero, social = post.media.hero, post.media.social
    # a photo by its published files (each name holds a digest of its bytes), not by what is loaded
    photo = None if hero is None else [hero.alt, str(hero.image.source),
                                        [[v.rel, v.width, v.height, v.format] for v in hero.image.variants]]
    shown = [post.title, post.summary, post.author, post.image_alt, photo, social.rel if social else None,
             lead]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


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


def sidecar_text(inputs: Inputs, region: Region, known: Changes | None = None,
                 unchanged: Iterable[str] = (), leads: Mapping[str, str] | None = None,
                 post_leads: Mapping[str, str] | None = None) -> str:
    """The sidecar of a build of these inputs (made while the build waits for its search indexes).
    `known`: what the last clean build changed and its signatures, whose lines are copied for the
    `unchanged` sites (kept as that build loaded them: the same posts, so the same signatures and
    portal documents, and none is read), and whose portal signatures are copied for the posts not
    changed since (the same context: the same cards and documents). `leads`: the digests of the
    other sites' portal documents, as this build's search thread made them (a site without one is
    written without: ""); `post_leads`: each post's (outputs.search.lead_digest), by source."""
    same = set(unchanged) if known is not None else set()
    head = {"format": FORMAT, "inputs": inputs.digest, "markdown": dict(inputs.markdown)}
    lines = [json.dumps(head, sort_keys=True, ensure_ascii=False)]
    earlier = known.signatures if known is not None else None
    for site in sorted(region.sites, key=lambda site: site.slug):
        line = earlier.lines.get(site.slug) if earlier is not None and site.slug in same else None
        lead = earlier.leads.get(site.slug, "") if earlier is not None and line is not None else None
        shown = earlier.portal_lines.get(site.slug) if earlier is not None and line is not None else None
        if line is None:
            line = json.dumps({str(p.source.path): signature(p) for p in site.posts}, sort_keys=True,
                              ensure_ascii=False)
        if lead is None:
            lead = (leads or {}).get(site.slug, "")
        if shown is None:
            shown = json.dumps(_portal_signatures(site, known, post_leads or {}), sort_keys=True,
                               ensure_ascii=False)
        lines.append(f"{site.slug}\t{lead}\t{shown}\t{line}\n")
    return f"{lines[0]}\n{''.join(lines[1:])}"


def _portal_signatures(site: Site, known: Changes | None, post_leads: Mapping[str, str]) -> dict[str, str]:
    """The portal signature of each published news post of a site: the last build's for a post not
    changed since, else made from this build's lead digest (none: not known, "")."""
    before: Mapping[str, str] = {}
    if known is not None:
        with contextlib.suppress(ValueError):  # (a damaged line: each one made again)
            before = known.signatures.site_portal(site.slug)
    out = {}
    for post in site.posts:
        if not post.kind.is_news or post.is_draft or post.is_scheduled:
            continue
        rel = str(post.source.path)
        value = before.get(rel) if known is not None and rel not in known.sources else None
        out[rel] = value if value else portal_signature(post, post_leads.get(rel, ""))
    return out


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
