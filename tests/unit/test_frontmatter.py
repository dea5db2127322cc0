from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from opdgen.content.frontmatter import (
    DateError,
    FrontMatterError,
    parse_date,
    slug_from_filename,
    slugify,
    split,
)

WIB = ZoneInfo("Asia/Jakarta")


def test_split_keeps_body_line() -> None:
    parts = split("---\ntitle: A\n---\nIsi\n")
    assert (parts.front, parts.body, parts.body_line) == ("title: A", "Isi\n", 4)


@pytest.mark.parametrize(("text", "code"), [("Isi", "frontmatter.missing"), ("---\ntitle: A\n", "frontmatter.unclosed")])
def test_split_refuses(text: str, code: str) -> None:
    with pytest.raises(FrontMatterError) as info:
        split(text)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-27", datetime(2026, 11, 27, tzinfo=WIB)),
        ("2026-11-27 09:30", datetime(2026, 11, 27, 9, 30, tzinfo=WIB)),
        ("2026-11-27T09:30:15", datetime(2026, 11, 27, 9, 30, 15, tzinfo=WIB)),
        ("2026-11-27 09.30", datetime(2026, 11, 27, 9, 30, tzinfo=WIB)),
        ("2026-11-27 09:30 WITA", datetime(2026, 11, 27, 9, 30, tzinfo=timezone(timedelta(hours=8)))),
        ("2026-11-27 09:30+09:00", datetime(2026, 11, 27, 9, 30, tzinfo=timezone(timedelta(hours=9)))),
        ("2026-11-27T02:30Z", datetime(2026, 11, 27, 2, 30, tzinfo=UTC)),
    ],
)
def test_dates(value: str, expected: datetime) -> None:
    parsed = parse_date(value, WIB)
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(("value", "code"), [
    ("27/11/2026", "frontmatter.date.format"),
    ("kemarin", "frontmatter.date.format"),
    ("2026-02-30", "frontmatter.date.invalid"),
    ("2026-11-27 25:00", "frontmatter.date.invalid"),
])
def test_bad_dates(value: str, code: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(value, WIB)
    assert info.value.code == code


def test_slugs() -> None:
    assert slug_from_filename("2026-11-27-Bimtek Admin_OPD") == "bimtek-admin-opd"
    assert slugify("Kesehatan Ibu & Anak") == "kesehatan-ibu-anak"
    assert slugify("Café ../../etc") == "cafe-etc"
    assert slug_from_filename("profil") == "profil"
