"""Installed versions of the libraries whose upgrade can change the output (cache keys, the
up-to-date stamp), read from the names of their distributions' folders on sys.path
(`<name>-<version>.dist-info`), the first found winning as importlib.metadata's does. Importing
importlib.metadata itself (email, zipfile, csv ...) cost tens of milliseconds of every build's start."""

from __future__ import annotations

import functools
import os
import re
import sys

_INFO = re.compile(r"(?P<name>[^-]+)-(?P<version>[^-]+)(?:-py[0-9][0-9.]*)?\.(?:dist|egg)-info")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def _installed() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, a folder that is gone
            continue
        for name in sorted(names):
            info = _INFO.fullmatch(name)
            if info is not None:
                found.setdefault(_normal(info["name"]), info["version"])
    return found


def version(name: str) -> str | None:
    """The installed version of the distribution `name` (None: not installed)."""
    return _installed().get(_normal(name))
