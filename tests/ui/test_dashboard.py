"""The Dashboard on the embedded chain: real contributions, a refund and a report through the core,
then the page's curves against chart_series computed directly, the evaluation set, PNG and CSV
exports, a refresh after another contribution, and light/dark screenshots."""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from eth_utils import to_checksum_address
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from dacwallet.chain.connect import NetworkSpec
from dacwallet.contracts.deploy import DAY_S
from dacwallet.ml.evaluate import encode_reviews
from dacwallet.ml.dataset import load_reviews
from dacwallet.sync.mirror import rebuild_mirror
from dacwallet.sync.series import (
    ChartSeries,
    chart_series,
    contribution_count,
    deposit_costs,
    pending_refunds,
    pool_balance,
    reputation,
)
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.chainops import advance_clock
from dacwallet.usecases.claims import claim_refund
from dacwallet.usecases.community import report, reportable
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.sending import signer_for
from tests.ui.conftest import SCREENSHOTS, screenshot
from tests.ui.helpers import TIMEOUT_MS, click, wait_idle
from ui.app import build, dark_palette, make_application
from ui.charts.buffer import CurveBuffer
from ui.charts.board import ChartBoard
from ui.charts.csv_export import HEADER
from ui.charts.data import DashboardData, evaluation_every
from ui.charts.specs import CHARTS
from ui.pages.dashboard import DashboardPage

GOOD = ["A wonderful film: brilliant acting, a moving story and a great score.",
        "Superb and touching, one of the best films this year; I loved every minute.",
        "Excellent direction, a beautiful and funny script, great performances all round."]
BAD = "Dreadful and boring. The worst acting, a stupid plot, a waste of time; awful from start to end."
REVIEWS = [(1, "A wonderful, moving and brilliant film."), (0, "Boring, awful and a waste of time."),
           (1, "Great acting and a beautiful story."), (0, "The worst plot; dreadful and stupid."),
           (1, "Excellent, funny and touching."), (0, "Terrible, dull and badly acted.")] * 4


@pytest.fixture(scope="module")
def history(tmp_path_factory, gui_env):  # noqa: ANN001, ANN201
    """alice: three good contributions, one refunded after a day; bob: a bad one, which alice reports."""
    data_dir: Path = tmp_path_factory.mktemp("dashboard-wallet")
    ctx = open_wallet(data_dir, NetworkSpec())
    try:
        alice, bob = ctx.keys.create("alice", "alice-pw"), ctx.keys.create("bob", "bob-pw")
        for info in (alice, bob):
            fund_new_account(ctx, info)
        signer = signer_for(ctx, alice.address, "alice-pw")
        first = contribute(ctx, signer, GOOD[0], "Positive")
        advance_clock(ctx, 3600)  # events an hour apart: distinct steps on the time axis
        contribute(ctx, signer, GOOD[1], "Positive")
        advance_clock(ctx, 3600)
        contribute(ctx, signer_for(ctx, bob.address, "bob-pw"), BAD, "Positive")
        advance_clock(ctx, DAY_S + 3600)
        claim_refund(ctx, signer, first.id)
        advance_clock(ctx, 600)
        targets = reportable(ctx, alice.address)
        assert len(targets) == 1, "bob's bad contribution should be reportable by now"
        report(ctx, signer, targets[0].id)
        advance_clock(ctx, 600)
    finally:
        ctx.close()
    reviews = data_dir.parent / "evaluation.jsonl.gz"
    with gzip.open(reviews, "wt", encoding="utf-8") as handle:
        for number, (label, text) in enumerate(REVIEWS, 1):
            handle.write(json.dumps({"id": number, "rating": 8 if label else 2, "label": label, "text": text}) + "\n")
    return data_dir, alice.address, reviews


@pytest.fixture(scope="module")
def dashboard(history, gui_env):  # noqa: ANN001, ANN201
    make_application()
    data_dir, alice, _reviews = history
    session, window = build(data_dir, NetworkSpec())
    session.set_account(alice)
    window.show()
    page: DashboardPage = window.page(DashboardPage)
    yield session, window, page
    window.close()
    session.close()


def direct_series(qtbot, session, account: str, evaluation=None) -> ChartSeries:  # noqa: ANN001
    """chart_series computed straight from the store (in the runner, which owns the connection)."""
    out: list[ChartSeries] = []

    def op(ctx):  # noqa: ANN001, ANN202
        trainer = to_checksum_address(ctx.deployment.trainer)
        count = ctx.db.execute("SELECT COUNT(*) FROM sync_contributions WHERE chain_key = ? AND trainer = ?",
                               (ctx.chain_key, trainer)).fetchone()[0]
        rebuilt = rebuild_mirror(ctx.db, ctx.chain_key, trainer, ctx.bundle.new_mirror(), evaluation=evaluation,
                                 every=evaluation_every(count))
        return chart_series(ctx.db, ctx.chain_key, trainer, account, rebuilt)

    session.call(op, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=TIMEOUT_MS)
    return out[0]


def shown_after(qtbot, page: DashboardPage, trigger, accept=lambda d: True) -> DashboardData:  # noqa: ANN001
    """Runs ``trigger`` and waits for the page to draw data that ``accept`` likes."""
    seen: list[DashboardData] = []
    page.sig_data_shown.connect(seen.append)
    try:
        trigger()
        qtbot.waitUntil(lambda: any(accept(d) for d in seen), timeout=TIMEOUT_MS)
    finally:
        page.sig_data_shown.disconnect(seen.append)
    return next(d for d in reversed(seen) if accept(d))


def curve_points(page: DashboardPage, chart: str, key: str) -> tuple[np.ndarray, np.ndarray]:
    """(event times, levels) as the curve draws them: a step curve has two vertices per event."""
    x, y = page.board.charts[chart].curves[key].getData()
    if x is None:
        return np.zeros(0), np.zeros(0)
    step = next(c for c in page.board.charts[chart].spec.curves if c.key == key).step
    return (x[::2], y[::2]) if step else (x, y)


def assert_curves_match(page: DashboardPage, expected: ChartSeries, now: int) -> None:
    for chart in CHARTS:
        for curve in chart.curves:
            picked = curve.pick(expected)
            x, y = page.board.charts[chart.key].curves[curve.key].getData()
            if picked is None:
                assert y is None or len(y) == 0, curve.key
                continue
            times, values = picked
            if curve.step:  # a level from each event's time to the next; the last one up to the chain's now
                assert len(y) == 2 * len(values), curve.key
                np.testing.assert_allclose(y[0::2], values * curve.scale, err_msg=curve.key)
                np.testing.assert_array_equal(y[0::2], y[1::2], err_msg=curve.key)
                np.testing.assert_array_equal(x[0::2], times, err_msg=curve.key)
                np.testing.assert_array_equal(x[1:-1:2], times[1:], err_msg=curve.key)
                assert x[-1] == max(now, times[-1]), curve.key
            else:
                assert len(y) == len(values), curve.key
                np.testing.assert_allclose(y, values * curve.scale, err_msg=curve.key)
                np.testing.assert_array_equal(x, times, err_msg=curve.key)


def test_curves_hold_the_series_of_the_store(qtbot, dashboard, history) -> None:  # noqa: ANN001
    session, window, page = dashboard
    _data_dir, alice, _reviews = history
    wait_idle(qtbot, session)
    data = shown_after(qtbot, page, lambda: window.show_page(DashboardPage))
    expected = direct_series(qtbot, session, alice)
    assert len(expected.contributions) == 3 and len(expected.reputation.times) == 1
    assert_curves_match(page, expected, data.now)
    assert list(curve_points(page, "reputation", "num_valid")[1]) == [1.0]
    assert list(curve_points(page, "reputation", "score")[1]) == [100.0]  # the only refund so far is alice's
    # alice's open contributions: 1, 2, then the refund closes one
    assert list(curve_points(page, "pending", "pending_count")[1]) == [1.0, 2.0, 1.0]
    # pool: three deposits, then the refund and the report each take one out
    assert len(curve_points(page, "pool", "pool_balance")[1]) == 5
    assert not any(c.empty.isVisible() for c in page.board.charts.values())
    assert "3 contributions in all" in page.summary.text()
    assert page.png_button.isEnabled() and page.csv_button.isEnabled()


def test_evaluation_set_adds_its_accuracy_curve(qtbot, dashboard, history) -> None:  # noqa: ANN001
    session, window, page = dashboard
    data_dir, alice, reviews = history
    window.show_page(DashboardPage)
    wait_idle(qtbot, session)
    assert page.evaluation_label.text() == "Evaluation set: none"
    data = shown_after(qtbot, page, lambda: page.set_evaluation_file(reviews),
                       lambda d: d.series.evaluation_accuracy is not None)
    wait_idle(qtbot, session)
    assert f"{reviews.name} ({len(REVIEWS)} reviews)" in page.evaluation_label.text()
    assert json.loads((data_dir / "dashboard.json").read_text())["evaluation_file"] == str(reviews)
    encoded = encode_reviews(session.opened.bundle.encoder, load_reviews(reviews))
    expected = direct_series(qtbot, session, alice, encoded.batch)
    assert_curves_match(page, expected, data.now)
    # every contribution is a point for short histories, plus the model as deployed
    assert len(curve_points(page, "accuracy", "evaluation_accuracy")[1]) == 3 + 1
    assert "on the evaluation set" in page.board.charts["accuracy"].legend_text()
    assert "on the evaluation set" in page.board.charts["accuracy"].plot.titleLabel.text


def test_export_png_and_csv(qtbot, dashboard, history, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    session, window, page = dashboard
    _data_dir, alice, _reviews = history
    window.show_page(DashboardPage)
    wait_idle(qtbot, session)
    written: list[Path] = []
    page.sig_exported.connect(written.append)

    png = tmp_path / "dashboard.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(png), "PNG image (*.png)"))
    click(qtbot, page.png_button)
    qtbot.waitUntil(lambda: png in written, timeout=TIMEOUT_MS)
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= page.board.width() - 2 and image.height() > 300
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 8, "the PNG should show axes, text and curves, not a blank"

    table = tmp_path / "dashboard.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(table), "CSV (*.csv)"))
    click(qtbot, page.csv_button)
    qtbot.waitUntil(lambda: table in written, timeout=TIMEOUT_MS)
    with open(table, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADER
    counts = Counter(row[1] for row in rows[1:])
    expected = page.data.series
    for chart in CHARTS:
        for curve in chart.curves:
            picked = curve.pick(expected)
            assert counts.get(curve.key, 0) == (0 if picked is None else len(picked[1])), curve.key
    pool = [row for row in rows[1:] if row[1] == "pool_balance"]
    assert [float(row[5]) for row in pool] == pytest.approx(list(expected.pool_balance.values))
    assert [int(row[3]) for row in pool] == list(expected.pool_balance.times)
    assert all(row[2] == "ETH" and row[4].endswith("Z") for row in pool)
    assert "Saved" in page.message.text()


def test_refresh_after_another_contribution_extends_the_curves(qtbot, dashboard, history) -> None:  # noqa: ANN001
    session, window, page = dashboard
    _data_dir, alice, _reviews = history
    window.show_page(DashboardPage)
    wait_idle(qtbot, session)
    before = {key: len(curve_points(page, "pool", key)[1]) for key in ("pool_balance",)}
    deposits_before = len(curve_points(page, "deposit", "deposit_cost")[1])

    def contribute_more() -> None:
        session.call(lambda ctx: (advance_clock(ctx, 1800),
                                  contribute(ctx, signer_for(ctx, alice, "alice-pw"), GOOD[2], "Positive")),
                     lambda _r: session.notify_changed())  # what the Contribute page does after sending

    data = shown_after(qtbot, page, contribute_more, lambda d: len(d.series.contributions) == 4)
    assert len(curve_points(page, "pool", "pool_balance")[1]) == before["pool_balance"] + 1
    assert len(curve_points(page, "deposit", "deposit_cost")[1]) == deposits_before + 1
    assert list(curve_points(page, "pending", "pending_count")[1])[-1] == 2.0
    wait_idle(qtbot, session)
    assert_curves_match(page, page.data.series, page.data.now)
    assert len(curve_points(page, "accuracy", "evaluation_accuracy")[1]) == 4 + 1
    assert data.series.contributions.values[-1] == 4


def test_screenshots_light_and_dark(qtbot, dashboard) -> None:  # noqa: ANN001
    session, window, page = dashboard
    window.show_page(DashboardPage)
    wait_idle(qtbot, session)
    screenshot(window, "15-dashboard")
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(dark_palette())
    try:
        qtbot.wait(50)
        assert screenshot(window, "16-dashboard-dark").stat().st_size > 10_000
        assert page.board.backgroundBrush().color().lightness() < 128
    finally:
        app.setPalette(light)
    assert (SCREENSHOTS / "15-dashboard.png").stat().st_size > 10_000


def test_empty_history_says_so(qtbot, gui_env) -> None:  # noqa: ANN001
    """No chain needed: a board fed with empty series shows what is missing instead of blank axes."""
    make_application()
    board = ChartBoard()
    qtbot.addWidget(board)
    board.resize(900, 600)
    board.show()
    empty = np.zeros(0, dtype=np.int64)
    nobody = "0x" + "1" * 40
    series = ChartSeries(pool_balance([]), deposit_costs([]), contribution_count([]), reputation([], nobody),
                         pending_refunds([], nobody), None, None)
    board.show_data(DashboardData(None, 1_700_000_000, series, None))
    assert all(chart.empty.isVisible() for chart in board.charts.values())
    assert board.charts["pool"].empty.textItem.toPlainText() == "No contributions yet."
    assert "Select an account" in board.charts["reputation"].empty.textItem.toPlainText()
    assert all(len(item.getData()[1] if item.getData()[1] is not None else empty) == 0
               for chart in board.charts.values() for item in chart.curves.values())
    screenshot(board, "17-dashboard-empty")


def test_curve_buffer_grows_by_doubling() -> None:
    buffer = CurveBuffer(step=True, capacity=4)
    buffer.load(np.arange(3), np.arange(3.0), until=10)
    assert buffer.capacity == 4 and list(buffer.x) == [0, 1, 1, 2, 2, 10] and list(buffer.y) == [0, 0, 1, 1, 2, 2]
    storage = buffer.y.base
    buffer.load(np.arange(4), np.arange(4.0), until=2)  # still fits: same storage, no allocation
    assert buffer.y.base is storage and list(buffer.x)[-2:] == [3, 3] and list(buffer.levels) == [0, 1, 2, 3]
    buffer.load(np.arange(9), np.arange(9.0) / 2, until=20, scale=100)
    assert buffer.capacity == 16 and buffer.y[-1] == 400.0 and buffer.x[-1] == 20
    points = CurveBuffer(step=False)
    points.load(np.arange(5), np.ones(5), until=99)
    assert len(points.x) == len(points.y) == 5
