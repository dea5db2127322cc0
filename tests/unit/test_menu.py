"""The header menu: the item whose section holds the page is current (the longest such path, home
only on the home page); the pages of one section share one MenuItems, which page keys hash once."""

from __future__ import annotations

from opdgen.outputs.files import _digest_of
from opdgen.render.context import Menu, MenuItem, MenuItems, Urls

ENTRIES = [("Beranda", "/"), ("Berita", "/berita/"), ("Profil", "/profil/"),
           ("Struktur", "/profil/struktur/"), ("LAPOR!", "https://www.lapor.go.id/")]


def current(items: tuple[MenuItem, ...]) -> list[str]:
    return [item.label for item in items if item.is_current]


def test_the_current_item_is_the_longest_section_holding_the_page() -> None:
    menu = Menu(ENTRIES, Urls("https://dinkes.sukamajukab.go.id/"))
    assert current(menu("/")) == ["Beranda"]
    assert current(menu("/berita/")) == ["Berita"]
    assert current(menu("/berita/vaksin/")) == ["Berita"]
    assert current(menu("/profil/struktur/")) == ["Struktur"]
    assert current(menu("/profil/visi-misi/")) == ["Profil"]
    assert current(menu("/cari/")) == []  # home is current on the home page only
    items = menu("/")
    assert [(i.url, i.is_external) for i in items] == [
        ("/", False), ("/berita/", False), ("/profil/", False), ("/profil/struktur/", False),
        ("https://www.lapor.go.id/", True)]


def test_a_site_below_a_path_resolves_its_entries() -> None:
    menu = Menu(ENTRIES, Urls("https://sukamajukab.go.id/dinkes/"))
    assert [i.url for i in menu("/dinkes/berita/x/")][:2] == ["/dinkes/", "/dinkes/berita/"]
    assert current(menu("/dinkes/berita/x/")) == ["Berita"]
    assert current(menu("/dinkes/")) == ["Beranda"]


def test_the_pages_of_a_section_share_one_menu_hashed_once() -> None:
    menu = Menu(ENTRIES, Urls("https://dinkes.sukamajukab.go.id/"))
    a, b, other = menu("/berita/a/"), menu("/berita/b/"), menu("/profil/")
    assert a is b and a is not other
    assert isinstance(a, MenuItems) and isinstance(a, tuple) and a == tuple(a)
    memo: dict[int, tuple[object, str]] = {}
    first = _digest_of({"menu": a}, memo)
    assert id(a) in memo and _digest_of({"menu": b}, memo) == first
    assert _digest_of({"menu": other}, memo) != first  # another item is current
    fresh = MenuItems(MenuItem(i.label, i.url, i.is_current, i.is_external) for i in a)
    assert _digest_of({"menu": fresh}, {}) == first  # by value, not by identity
