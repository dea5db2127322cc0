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

Its __repr__, __eq__ and __hash__ are those dataclasses would write, but written and compiled the
first time each is called on the class (`_later`), not at import: most classes never need one of
them in a given run, and compiling four methods a class was most of the time of making it.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T] | None = None, /, *, kw_only: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """The class as a record (see the module's text)."""

    def make(cls: type[T]) -> type[T]:
        made = dataclasses.dataclass(cls, slots=True, eq=False, repr=False, kw_only=kw_only)
        for name in ("__repr__", "__eq__", "__hash__"):
            setattr(made, name, _later(made, name))
        return made

    return make if cls is None else make(cls)


def _later(cls: type, name: str) -> Callable[..., Any]:
    """The method `name` of the record class cls, made when first called: the method dataclasses
    would make (the same text, the same result), compiled then and put in the class in its place."""

    def first(self: object, *args: object) -> Any:
        method: Callable[..., Any] = cls.__dict__[name]
        if method is first:  # (a subclass may have taken this very function: it is made once)
            method = _method(cls, name)
            setattr(cls, name, method)
        return method(self, *args)

    first.__qualname__ = f"{cls.__qualname__}.{name}"
    return first


def _method(cls: type, name: str) -> Callable[..., Any]:
    fields = dataclasses.fields(cls)
    compared = "".join(f"self.{f.name}," for f in fields if f.compare)
    if name == "__repr__":
        shown = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fields if f.repr)
        source = f'def __repr__(self):\n return self.__class__.__qualname__ + f"({shown})"'
    elif name == "__eq__":
        others = "".join(f"other.{f.name}," for f in fields if f.compare)
        source = (f"def __eq__(self, other):\n if other.__class__ is self.__class__:\n"
                  f"  return ({compared}) == ({others})\n return NotImplemented")
    else:
        source = f"def __hash__(self):\n return hash(({compared}))"
    space: dict[str, Any] = {}
    exec(source, {}, space)  # (field names only: identifiers, as dataclasses checked)
    method: Callable[..., Any] = space[name]
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    return reprlib.recursive_repr()(method) if name == "__repr__" else method
