"""content/<site>/dokumen/: the PPID register (UU 14/2008): one public document per file.

SKELETON (issue 8): the schema and details below are the minimum the loader needs; the kind's
owner completes them (fields, checks with path:line problems, `opdgen new` text).
"""

from __future__ import annotations

from dataclasses import dataclass

from opdgen import schema as s
from opdgen.public.spec import DetailsInput, KindSpec

SCHEMA = (
    s.Field("title", s.text(200), required=True, example="title: Judul"),
    s.Field("summary", s.text(400), default=""),
    s.Field("draft", s.boolean, default=False),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentDetails:
    pass


def build(given: DetailsInput) -> DocumentDetails | None:
    return DocumentDetails()


SPEC = KindSpec(
    schema=SCHEMA,
    build=build,
    schedulable=False,
    dated_filename=False,
    new_front='title: {title}\nsummary: ""\ndraft: false\n',
    new_body="Tulis isinya di sini.\n",
)
