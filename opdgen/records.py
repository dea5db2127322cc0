"""Records: opdgen's immutable values, frozen for the type checker, plain slotted classes at run time.

`@record` (or `@record(kw_only=True)`) is `@dataclass(frozen=True, slots=True)` as mypy sees it:
assigning to a field of a record is a type error (`make lint` runs mypy over every module). At run
time the class is a slotted dataclass with a hash made of its fields (as a frozen one has), without
dataclasses' guard against assignment. That guard is what a frozen dataclass costs: two generated
methods more to compile at import (0.64 against 0.34 ms a class on the 2-core machine; opdgen has
over a hundred of them, and every build, even one edit, imports them all) and an __init__ that sets
each field through object.__setattr__ (0.63 against 0.17 microseconds to make a record of five
fields; a build makes millions).

A record is still hashable by value and compared by value; dataclasses.replace and fields work on it
as on any dataclass, and it pickles by its slots.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T] | None = None, /, *, kw_only: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """The class as a record (see the module's text)."""

    def make(cls: type[T]) -> type[T]:
        return dataclasses.dataclass(cls, slots=True, unsafe_hash=True, kw_only=kw_only)

    return make if cls is None else make(cls)
