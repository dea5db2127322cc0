"""What a public-service kind declares: its schema, its typed details, how `opdgen new` starts it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from typing import Any, Generic, TypeVar

from opdgen import schema as s
from opdgen.records import record
from opdgen.yamlload import YNode, value_line

D = TypeVar("D")


@record
class DetailsInput:
    """What a kind's details builder gets: checked values, the front-matter node (for lines),
    where to report problems, the region's time zone and the build's "now"."""

    values: Mapping[str, Any]
    node: YNode | None
    where: s.Where
    timezone: tzinfo
    now: datetime

    def line(self, key: str) -> int | None:
        """The file line of a front-matter key's value, for problems about it."""
        found = value_line(self.node, key)
        return found + self.where.line_offset if found is not None else None


@record
class KindSpec(Generic[D]):
    schema: tuple[s.Field, ...]  # must include title, summary and draft (the loader reads them)
    build: Callable[[DetailsInput], D | None]  # None: problems were recorded, the file is skipped
    schedulable: bool  # a `date:` after "now" holds the file back (agenda: no, start is not publication)
    dated_filename: bool  # `opdgen new` names the file <date>-<slug>.md (else <slug>.md)
    new_front: str  # front matter of `opdgen new`, with {title} {date} {year} placeholders
    new_body: str  # the guide under it, telling the admin what to write
