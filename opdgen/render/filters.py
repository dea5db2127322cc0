"""Date formatting for templates, in Indonesian or English; pure functions."""

from __future__ import annotations

from datetime import datetime, timedelta

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
# Indonesia's zones by UTC offset in hours.
ZONE_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}


def tanggal(value: datetime, lang: str = "id") -> str:
    """27 November 2026"""
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


def zone_name(value: datetime) -> str:
    offset = value.utcoffset() or timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if not rest and hours in ZONE_NAMES:
        return ZONE_NAMES[hours]
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def tanggal_jam(value: datetime, lang: str = "id") -> str:
    """27 November 2026, 09.30 WIB (Indonesian writes the time with a dot)."""
    sep = "." if lang == "id" else ":"
    return f"{tanggal(value, lang)}, {value.hour:02d}{sep}{value.minute:02d} {zone_name(value)}"


def iso(value: datetime) -> str:
    """2026-11-27T09:30:00+07:00"""
    return value.isoformat(timespec="seconds")
