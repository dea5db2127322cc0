"""Public-service content (issue 8): agenda, the PPID document register, services and SKM results.

Each kind is a folder of content/<site>/ holding Markdown files with front matter, loaded by the
same loader as berita (front matter, Markdown body, media, drafts, cache); what differs per kind is
declared by a KindSpec (opdgen.public.spec): its schema, the typed details it adds to a Post, and
how `opdgen new` starts a file. This package is pure (no I/O); rendering lives in opdgen.outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opdgen.public import agenda, dokumen, layanan, skm
from opdgen.public.agenda import EventDetails
from opdgen.public.dokumen import DocumentDetails
from opdgen.public.layanan import ServiceDetails
from opdgen.public.skm import SurveyDetails
from opdgen.public.spec import DetailsInput, KindSpec

Details = EventDetails | DocumentDetails | ServiceDetails | SurveyDetails

# folder name under content/<site>/ -> its spec
SPECS: Mapping[str, KindSpec[Any]] = {
    "agenda": agenda.SPEC,
    "dokumen": dokumen.SPEC,
    "layanan": layanan.SPEC,
    "skm": skm.SPEC,
}

__all__ = ["SPECS", "Details", "DetailsInput", "DocumentDetails", "EventDetails", "KindSpec",
           "ServiceDetails", "SurveyDetails"]
