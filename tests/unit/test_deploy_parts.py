"""The pure parts of `opdgen deploy`: target syntax, release ids, names, per-site targets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from opdgen.deploy import _free_name, _link_sources, release_id
from opdgen.deploy.command import target_for
from opdgen.deploy.target import ID_RE, LocalSide, SshSide, State, is_remote, open_side


@pytest.mark.parametrize(("spec", "remote"), [
    ("deploy@web.ujikab.go.id:/srv/www/dinkes", True),
    ("web:/srv/www", True),
    ("deploy@[::1]:/srv/www", True),
    ("/srv/www/dinkes", False),
    ("./www", False),
    ("www", False),
    ("~/www", False),
], ids=["user-host", "host", "ipv6", "absolute", "relative", "bare", "home"])
def test_remote_or_folder(spec: str, remote: bool) -> None:
    assert is_remote(spec) is remote
    assert isinstance(open_side(spec, "ssh -p 2222"), SshSide if remote else LocalSide)


def test_ssh_side_keeps_the_ssh_command() -> None:
    side = open_side("deploy@web:/srv/www/dinkes/", "ssh -p 2222 -i '/k e y'")
    assert isinstance(side, SshSide)
    assert side.rsh == ("ssh", "-p", "2222", "-i", "/k e y") and side.base == "/srv/www/dinkes"
    assert side.rsync() == ("rsync", "-e", "ssh -p 2222 -i '/k e y'")


def test_release_id_is_commit_time_in_utc_and_manifest_hash() -> None:
    wib = timezone(timedelta(hours=7))
    rid = release_id(b"{}", datetime(2026, 11, 28, 9, 0, tzinfo=wib))
    assert rid == "20261128T020000Z-44136fa355b3" and ID_RE.match(rid)
    assert release_id(b"{}", datetime(2026, 11, 28, 2, 0, tzinfo=UTC)) == rid


def test_a_build_already_on_the_target_gets_a_fresh_name() -> None:
    rid = "20261128T020000Z-44136fa355b3"
    assert _free_name(rid, State((), None)) == rid
    assert _free_name(rid, State((rid, f"{rid}-r01"), rid)) == f"{rid}-r02"
    assert ID_RE.match(f"{rid}-r02") and not ID_RE.match(f"{rid}-x") and not ID_RE.match("../etc")


def test_hard_links_come_from_the_live_release_first() -> None:
    state = State(tuple(f"r{i}" for i in range(30)), "r3")
    sources = _link_sources(state)
    assert sources[:3] == ["r3", "r29", "r28"] and len(sources) == 20


def test_target_per_site(tmp_path: Path) -> None:
    assert target_for("d@web:/srv/www/{site}", "dinkes", False) == "d@web:/srv/www/dinkes"
    assert target_for("/srv/www/", "dinkes", True) == "/srv/www/dinkes"
    assert target_for("/srv/www/dinkes", "dinkes", False) == "/srv/www/dinkes"
