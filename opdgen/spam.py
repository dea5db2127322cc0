"""Spam tripwire: online-gambling terms and links to domains outside the allowlist, found with a line.

Hacked go.id sites are filled with Indonesian gambling spam ("slot gacor", "maxwin", togel ...).
This module finds it in text (content files, or deployed pages for `verify`) and reports warnings;
it never changes, refuses or renders anything. Reading goes through fsguard.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from opdgen.cachedb import CacheDB
from opdgen.content.model import Region
from opdgen.fsguard import Refused, Repo
from opdgen.problems import Problems
from opdgen.records import record

# Terms only gambling promotion uses: always reported.
PROMO_TERMS = (
    "slot gacor", "situs gacor", "link gacor", "akun gacor", "pola gacor", "gacor hari ini",
    "max win", "scatter hitam", "rtp live", "rtp slot", "bocoran slot",
    "pola slot", "deposit pulsa", "depo #k", "bonus new member", "anti rungkad",
    "login slot", "link slot", "agen slot", "bandar slot", "slot#", "slot demo", "demo slot",
    "slot thailand", "slot kamboja", "server thailand", "akun pro thailand", "akun pro kamboja",
    "slot mahjong", "mahjong ways", "gates of olympus", "sweet bonanza", "starlight princess",
    "pragmatic play", "kakek zeus", "sbobet", "toto macau", "situs toto", "toto slot",
    "prediksi togel", "togel hongkong", "togel singapore", "togel sgp", "keluaran sgp",
    "keluaran hk", "paito", "bandarq", "bandar ceme", "bandar poker", "domino qq",
    "pkv games", "idn poker", "idn play", "live casino", "mpo#",
)
# Terms that news against gambling also uses ("Polres tangkap bandar togel"): reported unless
# the paragraph speaks against gambling (see CONTEXT_WORDS).
TOPIC_TERMS = (
    "judi online", "judol", "situs judi", "judi slot", "slot online", "situs slot", "judi bola",
    "bandar judi", "bandar togel", "bandar bola", "agen judi", "agen bola", "togel", "kasino online",
    "casino online", "poker online",
)
CONTEXT_WORDS = frozenset((
    "bahaya", "berbahaya", "berantas", "memberantas", "pemberantasan", "perangi", "memerangi", "blokir",
    "memblokir", "diblokir", "pemblokiran", "takedown", "stop", "hentikan", "tolak", "menolak", "larang",
    "larangan", "dilarang", "melarang", "sosialisasi", "satgas", "razia", "tangkap", "ditangkap",
    "menangkap", "penangkapan", "tersangka", "pelaku", "korban", "kecanduan", "jerat", "terjerat",
    "dampak", "cegah", "mencegah", "pencegahan", "waspada", "waspadai", "lawan", "melawan", "jauhi",
    "hindari", "edukasi", "kampanye", "penindakan", "ditindak", "menindak", "laporkan", "aduan",
    "pengaduan", "pidana", "hukum", "hukuman", "penjara", "polisi", "polres", "polsek", "polda",
    "kepolisian", "kominfo", "komdigi", "literasi", "merusak", "ancaman", "kerugian", "haram",
))
# Where content may link without a warning, unless opdgen.yaml sets security.link_domains.
# A domain also covers its subdomains. The region's own hosts and video hosts are always allowed.
DEFAULT_LINK_DOMAINS = (
    "go.id", "ac.id", "sch.id", "desa.id", "mil.id",
    "youtube.com", "youtu.be", "youtube-nocookie.com", "instagram.com", "facebook.com", "x.com",
    "twitter.com", "tiktok.com", "wa.me", "whatsapp.com", "vimeo.com", "wikipedia.org",
    "maps.google.com", "maps.app.goo.gl", "docs.google.com", "drive.google.com", "forms.gle",
    # online meetings: agenda entries link them (`online:`)
    "zoom.us", "meet.google.com", "teams.microsoft.com", "teams.live.com",
)
# Hosts the generated pages themselves name: the schema.org vocabulary of the JSON-LD and the
# share links of the default theme. Allowed whatever a region lists in security.link_domains.
GENERATED_HOSTS = ("schema.org", "wa.me", "www.facebook.com", "x.com", "t.me")

# Digits and signs written for letters ("s1ot g4c0r"); "1" and "|" may stand for i or l.
_LEET = {"4": "a", "@": "a", "3": "e", "0": "o", "5": "s", "$": "s", "7": "t", "+": "t", "9": "g", "!": "i"}
_AS_I = str.maketrans({**_LEET, "1": "i", "|": "i"})
_AS_L = str.maketrans({**_LEET, "1": "l", "|": "l"})
# a word with a letter in it, not ending in a sign ("maxwin!" is not "maxwini"): digits beside letters
_LEET_TOKEN = re.compile(r"(?=[a-z0-9@$!|+]*[a-z])[a-z0-9$](?:[a-z0-9@$!|+]*[a-z0-9])?")
_LEET_RUN = re.compile(r"(?<![a-z0-9@$!|+])(?=[a-z0-9@$!|+]*[a-z])(?=[a-z0-9@$!|+]*[0-9@$!|+])"
                       r"[a-z0-9@$!|+]+")  # a whole run of word characters with a letter and a digit or sign
_MIXED = re.compile(r"[a-z][0-9@$!|+]|[0-9$][a-z]")  # a word that may hide a letter behind a sign
_FILLER = re.compile(r"(?<=[a-z0-9@$!|+])[._*~'`-](?=[a-z0-9@$!|+])")  # "s.l.o.t", "s-l-o-t"
# Look-alike letters that spam uses to slip past filters (Cyrillic and Greek), mapped to Latin.
_HOMOGLYPHS = str.maketrans("асеорхуіѕјкмнтвАСЕОРХУІЅЈКМНТВαοικνρτ", "aceopxyisjkmhtbaceopxyisjkmhtbaoikvpt")
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2064\u206a-\u206f\ufeff]")
_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"(?:\bhttps?:)?//[^\s<>\"'()\[\]{}`]+|\bwww\.[a-z0-9][^\s<>\"'()\[\]{}`]*", re.IGNORECASE)


@record
class Hit:
    line: int  # 1-based line of the text
    kind: str  # "term" or "link"
    value: str  # the term as listed (or as written, for numbered brands), or the link's host


@record
class _Term:
    """One listed term: a literal first word for a quick `in` test, then the exact pattern."""

    name: str
    first: str
    regex: re.Pattern[str]
    numbered: bool  # slot88, mpo500, depo 10k: matched before digits are read as letters

    @classmethod
    def of(cls, term: str) -> _Term:
        words = []
        for word in term.split():
            if word == "#k":
                words.append(r"\d{1,3}[^a-z0-9]?(?:k|rb)")
            else:
                words.append(re.escape(word.rstrip("#")) + (r"\d{2,4}" if word.endswith("#") else ""))
        body = r"[^a-z0-9]{0,3}".join(words)
        return cls(term, term.split()[0].rstrip("#"), re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])"),
                   "#" in term)


_PROMO = tuple(_Term.of(t) for t in PROMO_TERMS)
_TOPIC = tuple(_Term.of(t) for t in TOPIC_TERMS)
_LETTERS = re.compile(r"[a-z]+")
_FIRSTS = tuple(sorted({t.first for t in (*_PROMO, *_TOPIC)}))
assert all(_LETTERS.fullmatch(first) for first in _FIRSTS), "find_terms' quick test needs letters"


def normalise(line: str) -> str:
    """What a reader sees: entities decoded, tags and invisible characters dropped, look-alikes folded."""
    if line.isascii() and "&" not in line and "<" not in line:  # most lines: every other step is a no-op
        return _FILLER.sub("", line.lower())
    text = html.unescape(_TAG.sub("", html.unescape(line)))
    text = unicodedata.normalize("NFKC", text).translate(_HOMOGLYPHS)
    return _FILLER.sub("", _INVISIBLE.sub("", text).casefold())


def _paragraphs(text: str) -> Iterator[list[tuple[int, str]]]:
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _read_leet(text: str, table: dict[int, str]) -> str:
    """Digits and signs inside words read as letters; the length stays, so offsets agree.

    Only a run of word characters with both a letter and a digit or sign can read differently (every
    _LEET_TOKEN lies inside one run), so the tokens are looked for in those runs alone."""
    return _LEET_RUN.sub(
        lambda run: _LEET_TOKEN.sub(lambda m: m.group(0).translate(table), run.group(0)), text)


@record
class _Block:
    """A paragraph searched as one (a term may wrap), as written and with digits read as letters."""

    plain: str
    readings: tuple[str, ...]  # "1" read as i, and as l
    starts: tuple[tuple[int, int], ...]  # (offset, line number); offsets agree in every reading

    @classmethod
    def of(cls, lines: list[tuple[int, str]]) -> _Block:
        plain, starts = "", []
        for number, raw in lines:
            starts.append((len(plain), number))
            plain += normalise(raw) + " "
        readings: tuple[str, ...] = (plain,)
        if _MIXED.search(plain):
            readings = tuple(dict.fromkeys(_read_leet(plain, table) for table in (_AS_I, _AS_L)))
        return cls(plain, readings, tuple(starts))

    def line(self, offset: int) -> int:
        return max(n for start, n in self.starts if start <= offset)

    def find(self, term: _Term) -> Hit | None:
        for text in (self.plain,) if term.numbered else self.readings:
            if term.first in text:  # a quick test before the pattern
                match = term.regex.search(text)
                if match is not None:
                    found = " ".join(match.group(0).split()) if term.numbered else term.name
                    return Hit(self.line(match.start()), "term", found)
        return None


def find_terms(text: str) -> list[Hit]:
    """Gambling terms in text, each at the line of its first occurrence.

    Topic terms are left out when the text speaks against gambling; promotion terms never are.
    """
    if _surely_clean(text):
        return []
    blocks = [_Block.of(lines) for lines in _paragraphs(text)]
    everything = " ".join(t for b in blocks for t in (b.plain, *b.readings))
    words = set(_LETTERS.findall(everything))
    against = bool(words & CONTEXT_WORDS)
    heads = _heads(words)
    hits: list[Hit] = []
    for term in _PROMO if against else (*_PROMO, *_TOPIC):
        if term.first not in heads:
            continue
        hit = next((h for h in (b.find(term) for b in blocks) if h is not None), None)
        if hit is not None:
            hits.append(hit)
    return hits


_RUN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|+")
_RUN = re.compile(r"[a-z0-9@$!|+]+")  # a run of word characters, as _LEET_RUN reads them


def _surely_clean(text: str) -> bool:
    """Whether no term can be in text, known from the text as a whole: most posts are plain ASCII
    (each line normalises to itself lowered, less its fillers), and no run of letters in them, or
    in the runs that read differently with their digits as letters ("Rp3" as "rpe"), begins a
    term's first word. Then each paragraph would be normalised and searched for nothing (0.6 ms a
    post, 6 CPU-seconds of a cold build at 10,000 posts); else find_terms reads it by paragraphs."""
    if not text.isascii() or "&" in text or "<" in text:
        return False
    plain = _FILLER.sub("", text.lower())  # (a filler needs a word character on both sides: the
    words = set(_LETTERS.findall(plain))  # same per line or in the whole text)
    mixed: set[str] = set()
    for match in _MIXED.finditer(plain):  # (rarer than runs: a run is found from its mixed pair)
        start = match.start()
        while start and plain[start - 1] in _RUN_CHARACTERS:
            start -= 1
        whole = _RUN.match(plain, start)
        assert whole is not None
        mixed.add(whole.group(0))
    for run in mixed:  # (maximal runs: their letters join no others in a reading)
        for table in (_AS_I, _AS_L):
            words.update(_LETTERS.findall(_read_leet(run, table)))
    return not _heads(words)


def _heads(words: set[str]) -> set[str]:
    """The first words of terms that begin one of these runs of letters (a term's pattern starts
    after no letter or digit, so a match begins a run of letters): most text is ruled out by a
    lookup in the sorted runs, no pattern and no substring search."""
    runs = sorted(words)
    return {first for first in _FIRSTS if (i := bisect_left(runs, first)) < len(runs)
            and runs[i].startswith(first)}


def link_host(url: str) -> str | None:
    """The host a link leads to, as a browser reads it (backslashes as slashes, user info dropped)."""
    url = url.replace("\\", "/")
    if url.lower().startswith("www."):
        url = "//" + url
    if url.startswith("//"):
        url = "https:" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def is_allowed(host: str, allowed: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in allowed)


def find_links(text: str, allowed: Sequence[str]) -> list[Hit]:
    """Links to hosts outside `allowed`, each host at the line of its first occurrence."""
    hits: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        # without "&" or a backslash the line is read as it is, and a link needs "//" or "www."
        if "&" not in line and "\\" not in line and "//" not in line and "www." not in line.lower():
            continue
        for match in _URL.finditer(html.unescape(line).replace("\\", "/")):
            host = link_host(match.group(0))
            if host and not is_allowed(host, allowed):
                hits.setdefault(host, number)
    return [Hit(line, "link", host) for host, line in hits.items()]


def scan_text(text: str, allowed: Sequence[str]) -> list[Hit]:
    """Terms and foreign links of one text, by line."""
    return sorted([*find_terms(text), *find_links(text, allowed)], key=lambda h: (h.line, h.kind, h.value))


def allowed_domains(region: Region) -> tuple[str, ...]:
    """The link allowlist: opdgen.yaml's security.link_domains (or the defaults) plus the region's hosts."""
    config = region.config
    listed = config.link_domains if config.link_domains is not None else DEFAULT_LINK_DOMAINS
    own = [urlsplit(config.portal_base_url).hostname or "", *config.video_hosts, *GENERATED_HOSTS,
           *(urlsplit(s.config.base_url).hostname or "" for s in region.sites),
           *(urlsplit(url).hostname or "" for _, url in region.elsewhere)]
    hosts = {(link_host(d) or "") if "/" in d else d.lower().strip(".") for d in (*listed, *own)}
    return tuple(sorted(h for h in hosts if h))  # a URL written instead of a domain still counts


class RegionScan:
    """Warn about spam in every Markdown file and site.yaml of the region's sites (drafts too).

    Findings are cached by the file's text (its SHA-256) and the allowlist, so an unchanged file is
    not scanned again, and a published post, whose text the loader has hashed, is not even read
    again. Files not in the cache are scanned by `jobs` processes when there are many.

    In two steps: made, it has read what the cache does not know and started its processes (forked
    now: a build starts its search thread after this, and a child forked from a process with other
    threads may inherit a lock one of them held); `finish` scans and warns.

    `apart`: scan in a worker process even with one job, because the build indexes beside it (a
    scan in this process would hold the interpreter lock the search thread needs). The build asks
    for one job fewer than its cores then: the index takes the other core, and each forked worker
    counts the whole loaded region in its resident memory.

    `changed`: the only files that can have findings, when the build knows them: the Markdown files
    changed since the last clean build (opdgen.build.changes), which warned of nothing, with the
    scanner, its allowlist and every other file as they are now. None: every file."""

    def __init__(self, repo: Repo, region: Region, only: frozenset[str] = frozenset(),
                 cache: CacheDB | None = None, jobs: int = 1, apart: bool = False,
                 changed: frozenset[str] | None = None) -> None:
        self.allowed = allowed_domains(region)
        self.cache = cache
        scanned = list(_scanned(repo, region, only, changed))
        # the loaded posts' digests, of the sites scanned (after an edit: the edited posts' only)
        folders = {repo.rel(item).parts[1] for item in scanned if not isinstance(item, Refused)
                   and len(repo.rel(item).parts) > 2} if changed is not None else None
        hashed = {str(p.source.path): p.content_hash for site in region.sites
                  if folders is None or site.slug in folders for p in site.posts}
        texts: dict[PurePosixPath, str] = {}
        digests: dict[PurePosixPath, str] = {}
        for item in scanned:
            if isinstance(item, Refused) or item.suffix.lower() not in (".md", ".yaml"):
                continue  # the loader reports refused files
            rel = repo.rel(item)
            known = hashed.get(str(rel))
            if known is not None:
                digests[rel] = known
                continue
            try:
                texts[rel] = repo.read_text(item)
            except Refused:
                continue
            digests[rel] = hashlib.sha256(texts[rel].encode("utf-8")).hexdigest()
        prefix = _cache_prefix(self.allowed)
        self.keys = {rel: hashlib.sha256((prefix + digest).encode()).hexdigest()
                     for rel, digest in digests.items()}
        self.found = cache.get_many(CACHE_NAMESPACE, self.keys.values()) if cache is not None else {}
        self.missing = sorted(rel for rel in self.keys if self.keys[rel] not in self.found)
        for rel in self.missing:
            if rel not in texts:
                texts[rel] = repo.read_text(repo.root / rel)
        self.texts = [texts[rel] for rel in self.missing]
        self.jobs = jobs
        self.pool = _pool(jobs, len(self.texts), apart)

    def finish(self, problems: Problems) -> None:
        try:
            found = _scan_with(self.pool, self.jobs, self.texts, self.allowed)
            fresh = dict(zip((self.keys[rel] for rel in self.missing), found, strict=True))
        finally:
            self.close()
        for rel in sorted(self.keys):
            for line, kind, value in json.loads(self.found.get(self.keys[rel]) or fresh[self.keys[rel]]):
                if kind == "term":
                    problems.warn(rel, line, "spam.term", term=value)
                else:
                    problems.warn(rel, line, "spam.link", domain=value)
        if self.cache is not None and fresh:
            self.cache.put_many(CACHE_NAMESPACE, fresh)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def _scanned(repo: Repo, region: Region, only: frozenset[str],
             changed: frozenset[str] | None) -> Iterator[Path | Refused]:
    """The files of the region's sites (or of the sites `only`) to scan: all, or those `changed`."""
    folders = [f"content/{site.slug}/" for site in region.sites if not only or site.slug in only]
    if changed is not None:
        for rel in sorted(changed):
            if any(rel.startswith(folder) for folder in folders) and (repo.root / rel).is_file():
                yield repo.root / rel
        return
    for folder in folders:
        yield from repo.walk(repo.root / folder)


def _pool(jobs: int, count: int, apart: bool = False) -> ProcessPoolExecutor | None:
    """A pool of `jobs` processes, started, for scanning `count` texts; None when this process does
    it faster (forking costs more than it saves), unless `apart` (RegionScan)."""
    if (jobs <= 1 and not apart) or count < _POOL_FROM:
        return None
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    pool.submit(int).result()  # every process of a fork pool starts with its first job
    return pool


def _scan_with(pool: ProcessPoolExecutor | None, jobs: int, texts: list[str],
               allowed: Sequence[str]) -> list[bytes]:
    """The findings of each text as cached JSON, in the pool when there is one."""
    if pool is None:
        return [_findings(text, allowed) for text in texts]
    chunk = max(50, len(texts) // (jobs * 4))
    return list(pool.map(_findings, texts, [allowed] * len(texts), chunksize=chunk))


def _findings(text: str, allowed: Sequence[str]) -> bytes:
    return json.dumps([[h.line, h.kind, h.value] for h in scan_text(text, allowed)]).encode()


_POOL_FROM = 400  # fewer texts than this: forking costs more than it saves
CACHE_NAMESPACE = "spam"


def _cache_prefix(allowed: Sequence[str]) -> str:
    """The scanner's own code and the allowlist: a change to either invalidates every finding."""
    return hashlib.sha256(Path(__file__).read_bytes() + "\0".join(allowed).encode()).hexdigest() + "\0"
