"""The media files of one agency's web root: the variants of every image that its published posts and
its logo use, and its documents. Never an original image.

Pure: the loaded site in, OutputFile values out, one per path (an image used twice is one file).
"""

from __future__ import annotations

import dataclasses
from pathlib import PurePosixPath

from opdgen.content.model import Region, Site, unread
from opdgen.media.html import for_cards
from opdgen.media.model import Document, MediaImage, Variant
from opdgen.outputs.files import OutputFile, PageReuse


def media_files(root: str, site: Site, reuse: PageReuse | None = None) -> list[OutputFile]:
    """Image variants and documents under output/<root>/, sorted by path. A variant kept out of
    memory (a social preview) that the previous output already holds is linked, never loaded."""
    images: list[MediaImage] = [site.logo] if site.logo is not None else []
    documents: list[Document] = list(site.documents)
    for post in site.posts:  # drafts are gone by now: their photos are not published
        images += post.media.images()
        documents += post.media.documents()
        if post.media.social is not None:
            images.append(MediaImage(post.source.path, (post.media.social,)))
    files = _files(root, images, documents)
    if reuse is None:
        return files
    out = []
    for f in files:
        digest = reuse.lookup(f.path, f.key) if f.load is not None else None
        out.append(dataclasses.replace(f, reused=True) if digest == f.digest and digest else f)
    return out


def portal_card_files(root: str, region: Region, reuse: PageReuse | None = None) -> list[OutputFile]:
    """The portal's own copies of the card sizes of the photo of every post it has a view of (its CSP,
    like the sites', allows images from itself only; one origin is also faster on a phone).

    When the build trusts that only some posts changed (PageReuse.trusted), the copies made from the
    posts of kept sites not read yet (model.unread: unchanged since the last build) are the last
    build's files, carried over as recorded; a copy they share with a site that is read is made again
    with that site's posts."""
    unread_sites = {s.slug for s in region.sites if unread(s) is not None} \
        if reuse is not None and reuse.trusted is not None else set()
    previous: list[tuple[str, tuple[str, str, frozenset[str], bool], set[str | None]]] = []
    if unread_sites:
        assert reuse is not None
        head = f"{root}/media/"
        previous = [(path, entry, {_owner(dep) for dep in entry[2]})
                    for path, entry in reuse.state(root).every.items() if path.startswith(head)]
    while True:
        changed = True
        while changed:  # a site that shares a copy with one being read is read too, and so on
            changed = False
            for _, _, owners in previous:
                if not owners <= unread_sites and owners & unread_sites:
                    unread_sites -= owners
                    changed = True
        images = [for_cards(p.media.hero.image) for s in region.sites if s.slug not in unread_sites
                  for p in s.posts if p.kind.is_news and p.media.hero is not None]
        made = _files(root, images, [])
        paths = {str(f.path) for f in made}
        shared = [owners for path, _, owners in previous if owners <= unread_sites and path in paths]
        if not shared:
            break
        for owners in shared:  # a post read now shows a photo a kept site's post shows too
            unread_sites -= owners
    carried = [OutputFile(PurePosixPath(path), b"", made_of, is_page, key, digest, reused=True)
               for path, (digest, key, made_of, is_page), owners in previous if owners <= unread_sites]
    return sorted([*made, *carried], key=lambda f: f.path)


def _owner(dep: str) -> str | None:
    """The site a source belongs to (content/<slug>/...), None for anything else."""
    parts = dep.split("/", 2)
    return parts[1] if len(parts) == 3 and parts[0] == "content" else None


def _files(root: str, images: list[MediaImage], documents: list[Document]) -> list[OutputFile]:
    files: dict[PurePosixPath, OutputFile] = {}

    def add(rel: str, data: bytes, source: PurePosixPath, variant: Variant | None = None) -> None:
        path = PurePosixPath(root) / rel
        known = files.get(path)
        deps = frozenset({str(source)}) | (known.deps if known else frozenset())
        if variant is not None and variant.load is not None:  # bytes stay in the cache until written
            files[path] = OutputFile(path, b"", deps, key=f"media:{variant.digest}", digest=variant.digest,
                                     load=variant.load, source=variant.source)
        else:
            files[path] = OutputFile(path, data, deps)

    for image in images:
        for variant in image.variants:
            add(variant.rel, variant.data, image.source, variant)
    for document in documents:
        add(document.rel, document.data, document.source)
    return [files[p] for p in sorted(files)]
