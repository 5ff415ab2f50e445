"""While background work runs, the GUI thread keeps telling the worker it is idle (see dacwallet.gil)."""

from __future__ import annotations

import threading

from dacwallet import gil
from ui.runner import Runner


def test_the_idle_beat_runs_only_while_work_is_pending(qtbot) -> None:
    runner = Runner()
    release = threading.Event()
    results: list[str] = []
    runner.run(lambda: release.wait(10) and "done", results.append)
    first = gil._foreground_idle_at
    assert first is not None  # noted at once when work starts
    qtbot.waitUntil(lambda: gil._foreground_idle_at != first, timeout=2000)  # and again by the timer
    release.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)
    # Nothing pending: this runner's beat stops (other runners alive in the test process may still beat).
    assert not runner._idle_beat.isActive()
    runner.run(lambda: "again", results.append)
    assert runner._idle_beat.isActive()
    qtbot.waitUntil(lambda: results == ["done", "again"], timeout=5000)
    assert not runner._idle_beat.isActive()
    assert runner.wait(1000)
