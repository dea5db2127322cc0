"""opdgen.records: a record's repr, equality and hash are those of the frozen dataclass it stands
for (page keys hash views by their repr), made when first called; a subclass that takes a record's
method gets the same one."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from opdgen.records import record


@record
class Rec:
    a: int
    b: str = ""
    c: tuple[object, ...] = ()
    d: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class Ref:
    a: int
    b: str = ""
    c: tuple[object, ...] = ()
    d: bytes = field(default=b"", repr=False, compare=False)


@record(kw_only=True)
class Named:
    x: str
    y: float | None = None


class Taking(Rec):  # a plain subclass that takes the record's own hash, as content.model.DeferredSite
    __slots__ = ()
    __hash__ = Rec.__hash__


@pytest.mark.parametrize("values", [(1,), (2, "x"), (3, "y", (4, "z")), (5, "", (), b"hidden"), (-1, "é\n'\"")])
def test_as_the_frozen_dataclass(values: tuple[object, ...]) -> None:
    mine, theirs = Rec(*values), Ref(*values)  # type: ignore[arg-type]
    assert repr(mine) == repr(theirs).replace("Ref(", "Rec(", 1)
    assert hash(mine) == hash(theirs) and mine == Rec(*values) and mine != Ref(*values)  # type: ignore[arg-type]
    assert (mine == Rec(99)) is False and mine.__eq__(theirs) is NotImplemented
    assert pickle.loads(pickle.dumps(mine)) == mine
    assert dataclasses.replace(mine, a=7) == Rec(7, *values[1:])  # type: ignore[arg-type]


def test_nested_and_keyword_records() -> None:
    inner = Named(x="in", y=1.5)
    assert repr(Rec(1, "o", (inner,))) == "Rec(a=1, b='o', c=(Named(x='in', y=1.5),))"
    assert Rec(1, d=b"one") == Rec(1, d=b"two") and hash(Rec(1, d=b"one")) == hash(Rec(1, d=b"two"))
    assert {Named(x="k"): 1}[Named(x="k")] == 1


def test_a_subclass_that_takes_the_hash_gets_the_one_method() -> None:
    plain = Taking(1, "a")
    assert hash(plain) == hash(Rec(1, "a")) == hash(Taking(1, "a"))
    made = Rec.__dict__["__hash__"]
    assert made is not Taking.__dict__["__hash__"]  # the subclass holds the first-call function ...
    assert hash(plain) == hash(Rec(1, "a")) and Rec.__dict__["__hash__"] is made  # ... made only once
