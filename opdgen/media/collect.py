"""Resolve, read and process the media of a region's sites for the loader; every fault is a Problem.

It reads through fsguard only, never writes output, and processes each image at most once per build
(and not at all when the cache has it). Images are published only through the posts that use them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import PIL

from opdgen.build import progress
from opdgen.cachedb import CacheDB
from opdgen.config import SiteConfig
from opdgen.fsguard import Refused, Repo
from opdgen.media import documents as docs
from opdgen.media import social
from opdgen.media.cache import CACHE_DIR, ImageCache, ImageStore, PreviewFiles, file_stamp
from opdgen.media.images import LOGO, PHOTO, ImageError, ImageSettings, derive
from opdgen.media.model import (
    BodyImage,
    BodyLink,
    Document,
    ImageUse,
    MediaImage,
    MediaStats,
    PostMedia,
    Variant,
)
from opdgen.media.refs import IMAGE_SUFFIXES, UNSUPPORTED_IMAGES, Ref, body_refs, kind_of
from opdgen.media.svg import check_svg
from opdgen.problems import Problems
from opdgen.records import record
from opdgen.yamlload import YMap, YNode, YScalar

MAX_IMAGE_BYTES = 40 * 1024 * 1024
_BATCH = 48  # previews per task sent to a worker (a few ms of pickling per 100 ms of drawing)
MEDIA_FOLDERS = ("media", "dokumen")  # DESIGN: images and documents live here (or beside a post)
_FORM_PROBLEM = {"remote": "media.ref.remote", "path": "media.ref.path", "anchor": "media.ref.not_image"}
_EXT = {"jpeg": "jpg", "webp": "webp", "png": "png", "svg": "svg"}
# An alt that is only a camera file name or a word like "foto" tells a blind reader nothing.
_FILENAME_ALT = re.compile(r"^(img|dsc|dscn|pxl|wa|foto|gambar|image|photo|screenshot)?[-_ ]?[\d_-]*"
                           r"(\.[a-z]{3,4})?$", re.IGNORECASE)


PREVIEW_DIGESTS = "preview-digest"  # CacheDB namespace: preview cache key -> SHA-256 of its JPEG
_SHA256 = re.compile(r"[0-9a-f]{64}")


class MediaCollector:
    """The media of one load of the region, with the store that derives (or recalls) images."""

    def __init__(self, repo: Repo, lang: str, problems: Problems, cache_dir: Path | None = None,
                 index: CacheDB | None = None) -> None:
        self.repo = repo
        self.index = index  # preview digests by key, in one database: one query, not 10,000 file reads
        self.lang = lang
        self.problems = problems
        folder = cache_dir if cache_dir is not None else repo.root / CACHE_DIR
        self.store = ImageStore(ImageCache(folder), derive)
        self.previews = PreviewFiles(folder)
        self._images: dict[tuple[PurePosixPath, str], MediaImage | ImageError] = {}
        self._documents: dict[PurePosixPath, Document | None] = {}
        self._published: dict[str, PurePosixPath] = {}  # site-relative document path -> its source
        self._digests: dict[str, str] = {}  # preview cache key -> SHA-256 of its JPEG

    @property
    def stats(self) -> MediaStats:
        return self.store.stats

    # --- site level -------------------------------------------------------------------------------

    def documents(self, site: Path) -> tuple[Document, ...]:
        """Every document in media/ and dokumen/ (all are published); other file types are refused."""
        out = []
        for sub in MEDIA_FOLDERS:
            if not (site / sub).is_dir():
                continue
            for item in self.repo.walk(site / sub):
                if isinstance(item, Refused):
                    continue  # the loader's walk of the whole site folder reports it
                suffix = item.suffix.lower()
                if suffix in IMAGE_SUFFIXES or (sub == "dokumen" and suffix == ".md"):
                    continue  # images are published as used; dokumen/*.md is the PPID register's
                document = self._document(site, item)
                if document is not None:
                    out.append(document)
        return tuple(sorted(out, key=lambda d: d.rel))

    def logo(
        self, site: Path, name: str, where: PurePosixPath, line: Callable[[], int | None]
    ) -> MediaImage | None:
        """site.yaml `logo:` (already checked for its form and type by the loader), processed."""
        path = self._find(site, None, name)
        if path is None:
            self.problems.add(where, line(), "media.missing", value=name)
            return None
        image = self._image(path, LOGO)
        if isinstance(image, ImageError):
            self.problems.add(where, line(), image.code, value=str(self.repo.rel(path)), **image.params)
            return None
        return image

    def with_preview(self, media: PostMedia, title: str, slug: str, site: SiteConfig, region: str,
                     logo: MediaImage | None, planned: tuple[str, PreviewTask] | None = None) -> PostMedia:
        """The post's media with its 1200x630 social preview: its photo cropped, else a drawn card.
        `planned`: its preview_task, when the caller has it already."""
        key, task = planned or self.preview_task(media, title, site, region, logo)
        # 10,000 previews are about 700 MB: only their names and digests stay in memory
        digest = self._digests.get(key) or self.previews.write(key, make_preview(task))
        cached = CachedPreview(self.previews, key, digest, task)
        variant = Variant(f"media/og-{slug}.{digest[:10]}.jpg", social.WIDTH, social.HEIGHT, "jpeg", b"",
                          load=cached, digest=digest, source=CachedPreviewFile(cached))
        return media.with_social(variant)

    def preview_task(self, media: PostMedia, title: str, site: SiteConfig, region: str,
                     logo: MediaImage | None) -> tuple[str, PreviewTask]:
        """The cache key of a post's preview and the pure work that makes it."""
        photo = media.hero.image.largest if media.hero is not None else None
        if photo is not None and photo.format != "svg":
            parts = f"{social.VERSION}|{PIL.__version__}|crop|{_short(photo.data)}"
            return hashlib.sha256(parts.encode()).hexdigest(), photo.data
        logo_png = next((v.data for v in (logo.variants if logo else ()) if v.format == "png"
                         and v.height == max(LOGO.sizes)), b"")
        card = social.Card(title=title, site_name=site.name, colour=site.colour, logo_png=logo_png,
                           footer=f"{region} · {urlsplit(site.base_url).hostname or ''}")
        return card.key(), card

    def warm_previews(self, tasks: dict[str, PreviewTask], jobs: int) -> None:
        """Learn the digest of every preview; make those the cache lacks over `jobs` worker processes,
        which write the cache entries themselves and send back only the digests."""
        missing = []
        indexed = self.index.get_many(PREVIEW_DIGESTS, tasks) if self.index is not None else {}
        learnt: dict[str, bytes] = {}
        for key, task in sorted(tasks.items(), key=_site_first):  # a worker draws a site's part once
            # a preview's bytes follow from its key (drawing is deterministic): if its file went
            # missing since, writing it out makes the same bytes again (with_preview's load)
            digest = indexed.get(key, b"").decode("ascii", "replace")
            if not _SHA256.fullmatch(digest):
                kept = self.previews.read(key)
                digest = hashlib.sha256(kept).hexdigest() if kept is not None else ""
            if digest:
                self._digests[key] = digest
                if key not in indexed:
                    learnt[key] = digest.encode("ascii")
            else:
                missing.append((key, task))
        if missing:
            self._make_previews(missing, jobs)
            learnt.update({key: self._digests[key].encode("ascii") for key, _ in missing})
        if self.index is not None and learnt:
            self.index.put_many(PREVIEW_DIGESTS, learnt)

    def _make_previews(self, missing: list[tuple[str, PreviewTask]], jobs: int) -> None:
        batches = [missing[i:i + _BATCH] for i in range(0, len(missing), _BATCH)]
        make = functools.partial(make_previews, self.store.cache.folder)
        with progress.stage("progress.previews", len(missing)), contextlib.ExitStack() as stack:
            if jobs > 1 and len(batches) > 1:
                pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
                made: Iterator[list[tuple[str, str]]] = stack.enter_context(pool).map(make, batches)
            else:
                made = map(make, batches)
            for digests in made:
                self._digests.update(digests)
                if self.previews.folder is not None:  # written by the workers just now
                    self.previews.made.update(digests)
                progress.advance(len(digests))
        self.store.count_previews(len(missing))

    # --- post level -------------------------------------------------------------------------------

    def post(self, site: Path, path: Path, values: Mapping[str, Any], front: YNode | None,
             markdown: str, body_line: int, body_html: str) -> PostMedia:
        """The post's front-matter image, gallery and body references, resolved and processed."""
        where = self.repo.rel(path)
        hero = None
        if values.get("image"):
            hero = self._use(site, path.parent, where, values["image"], values.get("image_alt") or "",
                             bool(values.get("image_decorative")), _line(front, "image"), "media.alt.missing")
        gallery = []
        for item in values.get("gallery") or ():
            if item.get("src"):
                use = self._use(site, path.parent, where, item["src"], item.get("alt") or "", False,
                                item.get("_line"), "media.alt.missing_gallery")
                if use is not None:
                    gallery.append(use)
        images: dict[str, BodyImage] = {}
        links: dict[str, BodyLink] = {}
        for ref in body_refs(body_html, markdown, body_line):
            if ref.tag == "img":
                body = self._body_image(site, path.parent, where, ref)
                if body is not None:
                    images.setdefault(ref.raw, body)
            else:
                link = self._body_link(site, path.parent, where, ref)
                if link is not None:
                    links.setdefault(ref.raw, link)
        return PostMedia(hero=hero, body=tuple(images.values()), links=tuple(links.values()),
                         gallery=tuple(gallery))

    def _use(self, site: Path, here: Path, where: PurePosixPath, name: str, alt: str, decorative: bool,
             line: int | None, alt_code: str) -> ImageUse | None:
        image = self._resolve_image(site, here, where, name, line)
        if image is None:
            return None
        self._check_alt(where, line, name, alt, decorative, alt_code)
        return ImageUse(image=image, alt="" if decorative else alt)

    def _body_image(self, site: Path, here: Path, where: PurePosixPath, ref: Ref) -> BodyImage | None:
        if not ref.target:
            return None  # the sanitizer removed a dangerous URL: nothing to publish
        if kind_of(ref.target) == "local" and not ref.suffix:  # no extension: not a file we know
            self.problems.warn(where, ref.line, "media.ref.not_image", value=ref.target)
            return None
        image = self._resolve_image(site, here, where, ref.target, ref.line)
        if image is None:
            return None
        self._check_alt(where, ref.line, ref.target, ref.alt or "", ref.is_decorative,
                        "media.alt.missing_body")
        return BodyImage(src=ref.raw, image=image, decorative=ref.is_decorative)

    def _body_link(self, site: Path, here: Path, where: PurePosixPath, ref: Ref) -> BodyLink | None:
        kind = kind_of(ref.target)
        if kind == "path":
            self.problems.add(where, ref.line, "media.ref.path", value=ref.target)
            return None
        if ref.suffix in IMAGE_SUFFIXES:
            image = self._resolve_image(site, here, where, ref.target, ref.line)
            return BodyLink(ref.raw, image) if image is not None else None
        path = self._find(site, here, ref.target)
        if path is None:
            self.problems.add(where, ref.line, "media.missing", value=ref.target)
            return None
        document = self._document(site, path)
        return BodyLink(ref.raw, document) if document is not None else None

    def _resolve_image(self, site: Path, here: Path | None, where: PurePosixPath, name: str,
                       line: int | None) -> MediaImage | None:
        """A reference to an image, checked for its form, found and processed; None after a problem."""
        kind = kind_of(name)
        suffix = PurePosixPath(name).suffix.lower()
        code = _FORM_PROBLEM.get(kind)
        if code is None and suffix not in IMAGE_SUFFIXES:
            code = "media.image.type" if suffix in UNSUPPORTED_IMAGES else "media.ref.not_image"
        if code is not None:
            self.problems.add(where, line, code, value=name, ext=suffix or "?")
            return None
        path = self._find(site, here, name)
        if path is None:
            self.problems.add(where, line, "media.missing", value=name)
            return None
        image = self._image(path, PHOTO)
        if isinstance(image, ImageError):
            self.problems.add(where, line, image.code, value=str(self.repo.rel(path)), **image.params)
            return None
        if image.animated:
            self.problems.warn(where, line, "media.image.animated", value=str(self.repo.rel(path)))
        return image

    def _check_alt(self, where: PurePosixPath, line: int | None, name: str, alt: str, decorative: bool,
                   code: str) -> None:
        if decorative:
            return
        if not alt.strip():
            self.problems.add(where, line, code, value=name)
        elif _FILENAME_ALT.match(alt.strip()) or alt.strip() == PurePosixPath(name).name:
            self.problems.warn(where, line, "media.alt.filename", value=name, alt=alt.strip())

    def _find(self, site: Path, here: Path | None, name: str) -> Path | None:
        """Beside the post, then in the site's media/, then from the site folder (e.g. dokumen/x.pdf)."""
        for base in (here, site / "media", site):
            if base is not None:
                candidate = base / name
                if candidate.is_file() or candidate.is_symlink():
                    return candidate
        return None

    # --- files ------------------------------------------------------------------------------------

    def _image(self, path: Path, settings: ImageSettings) -> MediaImage | ImageError:
        """The processed image of a file, once per build; the original bytes are read only when needed."""
        rel = self.repo.rel(path)
        key = (rel, settings.key())
        if key not in self._images:
            try:
                self._images[key] = self._process(path, rel, settings)
            except ImageError as exc:
                self._images[key] = exc
            except Refused as refused:
                code = "media.file_too_large" if refused.code == "fs.too_large" else refused.code
                self._images[key] = ImageError(code, detail=refused.detail,
                                               max=str(MAX_IMAGE_BYTES // (1024 * 1024)))
        return self._images[key]

    def _process(self, path: Path, rel: PurePosixPath, settings: ImageSettings) -> MediaImage:
        suffix = path.suffix.lower()
        if suffix == ".svg":
            data = self.repo.read_bytes(path, MAX_IMAGE_BYTES)
            info = check_svg(data)
            name = f"media/{_stem(rel)}.{_short(data)}.svg"
            return MediaImage(rel, (Variant(name, info.width, info.height, "svg", data),), animated=False)
        self.repo.check_name(path)
        resolved = self.repo.confine(path)
        stamp = file_stamp(resolved)
        cache = self.store.cache
        sha = cache.known_sha(resolved, stamp)
        data = b""
        if sha is None:
            data = self.repo.read_bytes(path, MAX_IMAGE_BYTES)
            sha = hashlib.sha256(data).hexdigest()
            cache.remember_sha(resolved, stamp, sha)
        derived = self.store.get(sha, suffix, settings,
                                 lambda: data or self.repo.read_bytes(path, MAX_IMAGE_BYTES))
        stem = _stem(rel)
        variants = tuple(
            Variant(f"media/{stem}-{v.width if settings.fit == 'width' else v.height}.{_short(v.data)}."
                    f"{_EXT[v.format]}", v.width, v.height, v.format, v.data)
            for v in derived.variants
        )
        return MediaImage(rel, variants, animated=derived.animated)

    def _document(self, site: Path, path: Path) -> Document | None:
        rel = self.repo.rel(path)
        if rel in self._documents:
            return self._documents[rel]
        self._documents[rel] = document = self._read_document(site, path, rel)
        return document

    def _read_document(self, site: Path, path: Path, rel: PurePosixPath) -> Document | None:
        suffix = path.suffix.lower()
        try:
            self.repo.check_name(path)
        except Refused:
            return None  # server-side or hidden: the loader's walk of the site folder reports it
        try:
            kind = docs.DOCUMENT_TYPES.get(suffix)
            if kind is None:
                code = "media.image.type" if suffix in UNSUPPORTED_IMAGES else "media.type_refused"
                self.problems.add(rel, None, code, value=str(rel), ext=suffix or "?")
                return None
            data = self.repo.read_bytes(path, docs.MAX_DOCUMENT_BYTES)
        except Refused as refused:
            code = "media.file_too_large" if refused.code == "fs.too_large" else refused.code
            self.problems.add(refused.path, None, code, detail=refused.detail, value=str(rel),
                              max=str(docs.MAX_DOCUMENT_BYTES // (1024 * 1024)))
            return None
        if not docs.holds_its_type(data, suffix):
            self.problems.add(rel, None, "media.document.mismatch", value=str(rel), kind=kind)
            return None
        parent = PurePosixPath(*(_slug(p) or "x" for p in path.parent.relative_to(site).parts))
        published = (parent / f"{_slug(path.stem) or 'dokumen'}{suffix}").as_posix()
        other = self._published.setdefault(f"{site.name}/{published}", rel)
        if other != rel:
            self.problems.add(rel, None, "media.name_conflict", value=str(rel), other=str(other),
                              published=published)
            return None
        return Document(source=rel, rel=published, kind=kind, label=docs.label(kind, len(data), self.lang),
                        data=data)


PreviewTask = bytes | social.Card  # a photo to crop, or a card to draw


@record
class CachedPreview:
    """A social preview kept out of memory: its bytes and file in the preview cache, drawn again (the
    same bytes) when the file went missing. A value, not a closure, so a region can be kept between
    builds (opdgen.build.snapshot)."""

    files: PreviewFiles
    key: str
    digest: str
    task: PreviewTask

    def __call__(self) -> bytes:
        """The bytes, at write time (Variant.load)."""
        data = self.files.read(self.key, self.digest)
        if data is None:
            data = make_preview(self.task)
            self.files.write(self.key, data)
        return data


@record
class CachedPreviewFile:
    """The cached file of a preview itself, to link into the output (Variant.source)."""

    preview: CachedPreview

    def __call__(self) -> Path | None:
        preview = self.preview
        path = preview.files.checked(preview.key, preview.digest)
        if path is None and hashlib.sha256(preview()).hexdigest() == preview.digest:
            path = preview.files.checked(preview.key, preview.digest)
        return path


def make_preview(task: PreviewTask) -> bytes:
    """The preview JPEG for a task: pure, so worker processes can run it."""
    return social.crop_photo(task) if isinstance(task, bytes) else social.draw_card(task)


def make_previews(folder: Path | None, batch: list[tuple[str, PreviewTask]]) -> list[tuple[str, str]]:
    """Make each preview of a batch and keep its file (in a worker process): (key, digest) pairs,
    not the JPEGs, go back to the main process, so its memory stays flat."""
    files = PreviewFiles(folder)
    return [(key, files.write(key, make_preview(task))) for key, task in batch]


def _site_first(item: tuple[str, PreviewTask]) -> tuple[bool, str, str]:
    """Cards grouped by site (they share the drawing of the site's part), then photos; by key within."""
    key, task = item
    site = "" if isinstance(task, bytes) else "\0".join((task.site_name, task.footer, task.colour))
    return isinstance(task, bytes), site, key


def _line(front: YNode | None, key: str) -> int | None:
    """File line of a front-matter key's value (the opening --- is line 1)."""
    if isinstance(front, YMap):
        for k, value in front.entries:
            if isinstance(k, YScalar) and k.text == key:
                return value.line + 1
    return None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _stem(rel: PurePosixPath) -> str:
    return _slug(rel.stem)[:60].strip("-") or "gambar"


def _short(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]
