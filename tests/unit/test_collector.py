"""build.pipeline._collector_tuned: the garbage collector's full scans stay rare, with what was
loaded frozen out of them, until the outermost block ends (a build writes its output after
render_all's block has ended)."""

from __future__ import annotations

import gc

from opdgen.build.pipeline import _collector_tuned


def test_only_the_outermost_block_restores_the_collector() -> None:
    before = gc.get_threshold()
    lasting = [[n] for n in range(1000)]  # (objects that live through the block)
    with _collector_tuned():
        tuned = gc.get_threshold()
        assert tuned[2] >= 100 and gc.get_freeze_count() >= len(lasting)
        with _collector_tuned():
            assert gc.get_threshold() == tuned
        assert gc.get_threshold() == tuned and gc.get_freeze_count() >= len(lasting)  # still
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
