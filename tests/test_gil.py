"""dacwallet.gil: when a background loop hands the GIL over, and when it steps aside for the GUI."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from dacwallet import gil


class FakeTime:
    """The clock and sleep gil uses: sleeping moves the clock, every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.on_sleep = lambda: None

    def perf_counter(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.on_sleep()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTime]:
    fake = FakeTime()
    monkeypatch.setattr(gil, "time", fake)
    monkeypatch.setattr(gil, "_foreground_idle_at", None)
    monkeypatch.setattr(gil, "_state", threading.local())
    yield fake


def in_worker(work) -> None:
    """Runs ``work`` on a background thread (share_gil never pauses the main thread) and re-raises."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def test_main_thread_never_pauses(clock: FakeTime) -> None:
    for _ in range(100):
        gil.share_gil()
        clock.now += 0.005
    assert clock.sleeps == []


def test_a_background_loop_pauses_once_per_slice(clock: FakeTime) -> None:
    def work() -> None:
        for _ in range(40):  # 40 iterations of 1 ms: five slices of 8 ms
            gil.share_gil()
            clock.now += 0.001

    in_worker(work)
    assert clock.sleeps == [gil.PAUSE_S] * 4


def test_the_worker_steps_aside_while_the_foreground_is_busy_and_resumes_when_it_is_idle(clock: FakeTime) -> None:
    gil.note_foreground_idle()
    clock.now += 0.05  # the GUI thread has been painting for 50 ms

    def idle_again_after_three_steps() -> None:
        if len(clock.sleeps) == 4:  # the pause and three steps aside
            gil.note_foreground_idle()

    clock.on_sleep = idle_again_after_three_steps

    def work() -> None:
        gil.share_gil()  # starts the slice
        clock.now += gil.SLICE_S
        gil.share_gil()

    in_worker(work)
    assert clock.sleeps == [gil.PAUSE_S] + [gil.STEP_ASIDE_S] * 3


def test_a_foreground_that_stopped_beating_long_ago_is_not_waited_for(clock: FakeTime) -> None:
    gil.note_foreground_idle()
    clock.now += 1.0  # blocked (or waiting for this very worker): stepping aside would help nobody

    def work() -> None:
        gil.share_gil()
        clock.now += gil.SLICE_S
        gil.share_gil()

    in_worker(work)
    assert clock.sleeps == [gil.PAUSE_S]


def test_a_busy_foreground_is_waited_for_at_most_until_it_counts_as_gone(clock: FakeTime) -> None:
    gil.note_foreground_idle()
    clock.now += 0.02

    def work() -> None:
        gil.share_gil()
        clock.now += gil.SLICE_S
        gil.share_gil()

    in_worker(work)
    waited = sum(clock.sleeps)
    assert gil.FOREGROUND_GONE_S - 0.028 - gil.STEP_ASIDE_S <= waited <= gil.FOREGROUND_GONE_S
