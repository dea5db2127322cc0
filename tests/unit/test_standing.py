"""Standing pages (issue 8): which a site lacks, the notice that says so, the opdgen.yaml list."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import pytest

from opdgen.config import STANDING_PAGES, RegionConfig, SiteConfig, load_region_config
from opdgen.content.frontmatter import split
from opdgen.content.loader import LoadOptions, load_region
from opdgen.content.model import Kind, Post, Region, Site, Source
from opdgen.fsguard import Repo
from opdgen.problems import Problems, Severity
from opdgen.public.standing import (
    check_standing,
    entries_on_disk,
    find_gap,
    page_text,
    page_title,
    present_pages,
    record_gaps,
)
from opdgen.public.standing_guides import GUIDES
from opdgen.yamlload import parse_yaml, value_line
from tests.conftest import REGION_YAML, SITE_YAML

NOW = datetime(2026, 11, 28, 5, tzinfo=UTC)


def site_config(slug: str = "dinkes") -> SiteConfig:
    return SiteConfig(
        slug=slug, source=PurePosixPath(f"content/{slug}/site.yaml"), name="Dinas Kesehatan",
        short_name="Dinkes", base_url="https://dinkes.ujikab.go.id/", description="", logo=None,
        colour="#1f5f8b", address="", phone="", email="", whatsapp="", office_hours="", social=(), menu=None,
    )


def post(slug: str, kind: Kind = Kind.HALAMAN, **changes: object) -> Post:
    value = Post(
        source=Source(PurePosixPath(f"content/dinkes/{kind.value}/{slug}.md"), 1), site="dinkes",
        kind=kind, slug=slug, title=slug, date=None, updated=None, author="", tags=(), summary="",
        body_html="", image=None, image_alt="", order=100, is_draft=False, is_scheduled=False, content_hash="",
    )
    return dataclasses.replace(value, **changes)  # type: ignore[arg-type]


def notices(problems: Problems) -> list[tuple[str, str, dict[str, str]]]:
    assert all(p.severity is Severity.NOTICE for p in problems)
    return [(str(p.path), p.code, dict(p.params)) for p in problems]


def test_default_list_is_the_issues() -> None:
    assert STANDING_PAGES == ("profil", "visi-misi", "struktur-organisasi", "tugas-fungsi", "layanan",
                              "standar-pelayanan", "maklumat-pelayanan", "ppid", "kontak")
    assert set(GUIDES) == set(STANDING_PAGES)  # every default page has guidance


def test_published_halaman_are_present_drafts_and_scheduled_are_not() -> None:
    posts = [post("profil"), post("kontak", is_draft=True), post("ppid", is_scheduled=True),
             post("visi-misi", Kind.BERITA)]  # a berita with that slug is not the page
    assert present_pages(posts) == {"profil"}


def test_published_services_stand_for_the_layanan_page() -> None:
    """DECISION: /layanan/ lists the layanan/ entries; halaman/layanan.md is only its introduction."""
    assert "layanan" in present_pages([post("izin-praktik", Kind.LAYANAN)])
    assert "layanan" not in present_pages([post("izin-praktik", Kind.LAYANAN, is_draft=True)])
    assert "layanan" in present_pages([post("layanan")])


@pytest.mark.parametrize(("present", "drafts", "code", "missing", "shown_drafts", "first"), [
    ({"profil"}, set(), "standing.missing", "visi-misi, kontak", "", "visi-misi"),
    ({"profil"}, {"kontak"}, "standing.missing_draft", "visi-misi, kontak", "kontak", "visi-misi"),
    ({"profil", "visi-misi"}, {"kontak"}, "standing.draft", "kontak", "kontak", ""),
], ids=["missing", "missing-and-draft", "only-a-draft"])
def test_one_notice_per_site_names_what_is_missing(
    present: set[str], drafts: set[str], code: str, missing: str, shown_drafts: str, first: str,
) -> None:
    gap = find_gap("dinkes", ("profil", "visi-misi", "kontak"), present, drafts)
    assert gap is not None
    problems = Problems()
    record_gaps([gap], problems)
    params = {"site": "dinkes", "pages": missing, "drafts": shown_drafts, "first": first}
    assert notices(problems) == [("content/dinkes/halaman", code, params)]
    assert problems.notices and not problems.errors and not problems.warnings


def test_nothing_missing_or_no_list_gives_no_gap() -> None:
    assert find_gap("dinkes", ("profil", "kontak"), {"profil", "kontak", "lain"}, set()) is None
    assert find_gap("dinkes", (), set(), set()) is None


def test_notices_are_not_promoted_by_strict() -> None:
    problems = Problems()
    record_gaps([find_gap("dinkes", ("profil",), set(), set())], problems)  # type: ignore[list-item]
    problems.promote_warnings()
    assert len(problems.notices) == 1 and not problems.has_errors


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, data in {"opdgen.yaml": REGION_YAML, "content/dinkes/site.yaml": SITE_YAML, **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(data, encoding="utf-8")
    return root


def config(root: Path, **changes: object) -> RegionConfig:
    problems = Problems()
    loaded = load_region_config(Repo(root), problems)
    assert loaded is not None, list(problems)
    return dataclasses.replace(loaded, **changes)  # type: ignore[arg-type]


def test_the_check_tells_a_draft_from_a_missing_page(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "content/dinkes/halaman/profil.md": "---\ntitle: Profil\n---\nIsi.\n",
        "content/dinkes/halaman/kontak.md": "---\ntitle: Kontak\ndraft: true\n---\nIsi.\n",
        "content/dinkes/halaman/rusak.md": "---\ntitle: [\n---\n",  # unreadable: neither draft nor page
    })
    on_disk = entries_on_disk(Repo(root), root / "content/dinkes")
    assert on_disk == {"profil": (PurePosixPath("content/dinkes/halaman/profil.md"), False),
                       "kontak": (PurePosixPath("content/dinkes/halaman/kontak.md"), True),
                       "rusak": (PurePosixPath("content/dinkes/halaman/rusak.md"), False)}
    pages = ("profil", "visi-misi", "kontak")
    (root / "content/dinkes/halaman/rusak.md").unlink()  # (the loader refuses it: a build stops there)
    loaded, problems = load_region(root, LoadOptions(now=NOW))
    assert loaded is not None and not problems.has_errors, list(problems)
    assert [p.slug for p in loaded.sites[0].posts] == ["profil"]  # the loader drops drafts ...
    assert loaded.sites[0].halaman_drafts == {"kontak"}  # ... and says which it dropped
    region = dataclasses.replace(loaded, config=config(root, standing_pages=pages))
    problems = Problems()
    check_standing(region, problems)
    assert notices(problems) == [("content/dinkes/halaman", "standing.missing_draft",
                                  {"site": "dinkes", "pages": "visi-misi, kontak", "drafts": "kontak",
                                   "first": "visi-misi"})]


def test_an_empty_list_switches_the_check_off_and_only_named_sites_are_checked(tmp_path: Path) -> None:
    root = write(tmp_path, {"opdgen.yaml": REGION_YAML + "standing_pages: []\n"})
    assert config(root).standing_pages == ()
    sites = (Site(config=site_config(), posts=()), Site(config=site_config("disdik"), posts=()))
    problems = Problems()
    check_standing(Region(config=config(root), sites=sites, now=NOW), problems)
    assert not len(problems)
    region = Region(config=config(root, standing_pages=("profil",)), sites=sites, now=NOW)
    check_standing(region, problems, only={"disdik"})
    assert [p for _, _, p in notices(problems)] == [
        {"site": "disdik", "pages": "profil", "drafts": "", "first": "profil"}]


@pytest.mark.parametrize(("yaml", "line", "code"), [
    ("standing_pages:\n  - profil\n  - Visi Misi\n", 11, "config.standing_pages.slug"),
    ("standing_pages:\n  - profil\n  - kontak\n  - profil\n", 12, "config.standing_pages.duplicate"),
    ("standing_pages:\n  - profil\n  - berita\n", 11, "config.standing_pages.reserved"),
    ("standing_pages:\n  - profil\n  - [a, b]\n", 11, "config.standing_pages.slug"),
    ("standing_pages: profil\n", 9, "schema.type.list"),
], ids=["not-a-slug", "twice", "reserved", "not-text", "not-a-list"])
def test_bad_entries_are_problems_with_lines(tmp_path: Path, yaml: str, line: int, code: str) -> None:
    root = write(tmp_path, {"opdgen.yaml": REGION_YAML + yaml})
    problems = Problems()
    assert load_region_config(Repo(root), problems) is None
    assert [(str(p.path), p.line, p.code) for p in problems] == [("opdgen.yaml", line, code)]


def test_a_custom_list_keeps_its_order(tmp_path: Path) -> None:
    root = write(tmp_path, {"opdgen.yaml": REGION_YAML + "standing_pages: [kontak, sop-pelayanan]\n"})
    assert config(root).standing_pages == ("kontak", "sop-pelayanan")
    assert config(write(tmp_path, {"opdgen.yaml": REGION_YAML})).standing_pages == STANDING_PAGES


@pytest.mark.parametrize("slug", STANDING_PAGES)
def test_every_guided_page_is_a_valid_halaman(slug: str) -> None:
    text = page_text(slug, "dinkes")
    assert text is not None
    parts = split(text)
    front = parse_yaml(parts.front)
    assert value_line(front, "title") == 1 and f'title: "{page_title(slug)}"' in parts.front
    assert "Petunjuk untuk admin" in parts.body and "{site}" not in parts.body
    assert "](" not in parts.body  # no image or link the admin would have to supply first


def test_titles_and_guidance_say_what_the_law_expects() -> None:
    assert page_title("visi-misi") == "Visi dan Misi" and page_title("sop-pelayanan") == "Sop Pelayanan"
    assert page_text("sop-pelayanan", "dinkes") is None
    assert "RPJMD" in GUIDES["visi-misi"].body
    assert "Peraturan Bupati" in GUIDES["tugas-fungsi"].body
    assert "bagan" in GUIDES["struktur-organisasi"].body and "nama" in GUIDES["struktur-organisasi"].body
    assert "UU 25/2009" in GUIDES["maklumat-pelayanan"].body and "UU 25/2009" in GUIDES["standar-pelayanan"].body
    assert "UU 14/2008" in GUIDES["ppid"].body and "keberatan" in GUIDES["ppid"].body
    text = page_text("layanan", "dinkes")
    assert text is not None and "opdgen new layanan --site dinkes" in text
