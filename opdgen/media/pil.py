"""Pillow, imported when an image is first decoded, drawn or encoded (an edit build that makes no
image never imports it: a tenth of its start), and configured before any use.

Every module of opdgen takes Pillow's modules from here, so its guard against decompression bombs is
set whichever module uses Pillow first.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

# DESIGN: refuse decompression bombs. Pillow's own guard (a warning past the limit, an error past
# twice the limit) plus the explicit check in media.images._open, which also names the size.
MAX_PIXELS = 40_000_000


@functools.cache
def _module(name: str) -> ModuleType:
    from PIL import Image as image

    image.MAX_IMAGE_PIXELS = MAX_PIXELS  # before any image is opened
    return importlib.import_module(f"PIL.{name}")


class _Lazy:
    """A module of Pillow, imported at the first name asked of it."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(_module(self._name), attr)


if TYPE_CHECKING:
    from PIL import Image as Image
    from PIL import ImageCms as ImageCms
    from PIL import ImageDraw as ImageDraw
    from PIL import ImageFile as ImageFile
    from PIL import ImageFont as ImageFont
else:
    Image, ImageCms, ImageDraw, ImageFile, ImageFont = (
        _Lazy(name) for name in ("Image", "ImageCms", "ImageDraw", "ImageFile", "ImageFont"))
