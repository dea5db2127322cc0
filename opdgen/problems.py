"""Problems found in a repository: where (file, line), what (a code) and details; no wording here."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import field
from pathlib import PurePosixPath

from opdgen.records import record


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"  # reported; --strict makes it an error (suspected spam)
    NOTICE = "notice"  # advice on what the law asks an agency to publish: `check` reports it, never fails


@record
class Problem:
    """One problem: a repository-relative path, a 1-based line (None for the whole file), a code."""

    path: PurePosixPath
    line: int | None
    code: str  # e.g. "frontmatter.date.format"; the words live in opdgen.messages
    params: Mapping[str, str] = field(default_factory=dict)
    severity: Severity = Severity.ERROR

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.path), self.line or 0, self.code)


class Problems:
    """Collects problems so that one run reports every one of them."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, path: PurePosixPath | str, line: int | None, code: str, **params: object) -> None:
        """Record an error."""
        self._record(path, line, code, Severity.ERROR, params)

    def warn(self, path: PurePosixPath | str, line: int | None, code: str, **params: object) -> None:
        """Record a warning: reported, but the build goes on (until --strict, later)."""
        self._record(path, line, code, Severity.WARNING, params)

    def notice(self, path: PurePosixPath | str, line: int | None, code: str, **params: object) -> None:
        """Record a notice: shown by `opdgen check`, never fails a run (not even with --strict), so a
        stale PPID register or a missing standing page never stops the news from being published."""
        self._record(path, line, code, Severity.NOTICE, params)

    def _record(
        self, path: PurePosixPath | str, line: int | None, code: str, severity: Severity,
        params: dict[str, object],
    ) -> None:
        values = {k: str(v) for k, v in params.items()}
        self._items.append(Problem(PurePosixPath(path), line, code, values, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    def promote_warnings(self) -> None:
        """--strict: every warning becomes an error (CI fails on suspected spam); notices stay."""
        self._items = [dataclasses.replace(p, severity=Severity.ERROR) if p.severity is Severity.WARNING
                       else p for p in self._items]

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self._items, key=Problem.sort_key))

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]

    @property
    def notices(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.NOTICE]

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self._items)


class ProblemError(Exception):
    """Raised by a stage that cannot go on; carries the problems that stopped it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.path}:{p.line}: {p.code}" for p in self.problems))
