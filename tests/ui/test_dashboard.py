"""The Dashboard on the embedded chain: real contributions, a refund and a report through the core,
then the page's curves against chart_series computed directly, today's values, the held-out evaluation
set prepared without being asked (and the training file refused or filtered), the hover readout, a
click on one's own deposit, the layout at two window sizes, PNG and CSV exports, a refresh after
another contribution, and light/dark screenshots."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from eth_utils import to_checksum_address
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from dacwallet.chain.connect import NetworkSpec
from dacwallet.contracts.deploy import DAY_S
from dacwallet.ml.dataset import load_reviews, split
from dacwallet.ml.evaluate import encode_reviews
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
from dacwallet.usecases.contribute import contribute, required_deposit
from dacwallet.usecases.dashboard import DashboardData, evaluation_every
from dacwallet.usecases.sending import signer_for
from tests.ui.chart_layout import axis_texts, overlaps
from tests.ui.conftest import SCREENSHOTS, screenshot
from tests.ui.helpers import TIMEOUT_MS, click, wait_idle
from ui import format as fmt
from ui.app import build, dark_palette, make_application
from ui.charts.board import ChartBoard
from ui.charts.buffer import CurveBuffer
from ui.charts.csv_export import header
from ui.charts.specs import CHARTS, LEFT
from ui.pages.contributions import ContributionsPage
from ui.pages.dashboard import DashboardPage
from ui.pages.model import ModelPage

GOOD = [
    "A wonderful film: brilliant acting, a moving story and a great score.",
    "Superb and touching, one of the best films this year; I loved every minute.",
    "Excellent direction, a beautiful and funny script, great performances all round.",
]
BAD = "Dreadful and boring. The worst acting, a stupid plot, a waste of time; awful from start to end."
REVIEWS = [
    (1, "A wonderful, moving and brilliant film."),
    (0, "Boring, awful and a waste of time."),
    (1, "Great acting and a beautiful story."),
    (0, "The worst plot; dreadful and stupid."),
    (1, "Excellent, funny and touching."),
    (0, "Terrible, dull and badly acted."),
] * 4


@pytest.fixture(scope="module")
def history(tmp_path_factory, gui_env):
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
def dashboard(history, gui_env):
    make_application()
    data_dir, alice, _reviews = history
    session, window = build(data_dir, NetworkSpec())
    session.set_account(alice)
    window.show()
    page: DashboardPage = window.page(DashboardPage)
    yield session, window, page
    window.close()
    session.close()


def direct_series(qtbot, session, account: str, evaluation=None) -> ChartSeries:
    """chart_series computed straight from the store (in the runner, which owns the connection)."""
    out: list[ChartSeries] = []

    def op(ctx):
        trainer = to_checksum_address(ctx.deployment.trainer)
        count = ctx.db.execute(
            "SELECT COUNT(*) FROM sync_contributions WHERE chain_key = ? AND trainer = ?", (ctx.chain_key, trainer)
        ).fetchone()[0]
        rebuilt = rebuild_mirror(
            ctx.db,
            ctx.chain_key,
            trainer,
            ctx.bundle.new_mirror(),
            evaluation=evaluation,
            every=evaluation_every(count),
        )
        return chart_series(ctx.db, ctx.chain_key, trainer, account, rebuilt)

    session.call(op, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=TIMEOUT_MS)
    return out[0]


def shown_after(qtbot, page: DashboardPage, trigger, accept=lambda d: True) -> DashboardData:
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


def held_out_ready(qtbot, page: DashboardPage) -> DashboardData:
    """Waits until the page has drawn the accuracy on its evaluation set (prepared in the background)."""
    qtbot.waitUntil(
        lambda: page.data is not None and page.data.accuracy is not None and not page.board.drawing,
        timeout=TIMEOUT_MS * 3,
    )
    return page.data


def test_curves_hold_the_series_of_the_store(qtbot, dashboard, history, imdb_train_path) -> None:
    session, window, page = dashboard
    _data_dir, alice, _reviews = history
    window.show_page(DashboardPage)
    data = held_out_ready(qtbot, page)
    wait_idle(qtbot, session)
    expected = direct_series(qtbot, session, alice, page.feed.evaluation.batch)
    assert len(expected.contributions) == 3 and len(expected.reputation.times) == 1
    assert_curves_match(page, expected, data.now)
    # 0 from the first contribution, 1 from the refund on
    assert list(curve_points(page, "reputation", "num_valid")[1]) == [0.0, 1.0]
    assert list(curve_points(page, "reputation", "score")[1]) == [0.0, 100.0]  # the only refund so far is alice's
    # alice's open contributions: 1, 2, then the refund closes one
    assert list(curve_points(page, "pending", "pending_count")[1]) == [1.0, 2.0, 1.0]
    # pool: three deposits, then the refund and the report each take one out
    assert len(curve_points(page, "pool", "pool_balance")[1]) == 5
    assert not any(c.empty.isVisible() for c in page.board.charts.values())
    assert page.png_button.isEnabled() and page.csv_button.isEnabled()


def test_today_is_a_large_number_beside_each_question(qtbot, dashboard, history) -> None:
    session, window, page = dashboard
    window.show_page(DashboardPage)
    data = held_out_ready(qtbot, page)
    charts, s = page.board.charts, data.series
    assert all(chart.spec.title.endswith("?") for chart in charts.values())
    assert charts["reputation"].figure_text() == "1 validated"
    pending_wei = round(float(s.pending_refunds.ether[-1]) * fmt.WEI_PER_ETH)
    assert charts["pending"].figure_text() == f"{fmt.eth(pending_wei, 4)} held, 1 open"
    assert charts["pool"].figure_text().startswith(fmt.eth(round(float(s.pool_balance.values[-1]) * 10**18), 4))
    now_wei: list[int] = []
    session.call(lambda ctx: required_deposit(ctx, ctx.deployment.trainer), now_wei.append)
    qtbot.waitUntil(lambda: bool(now_wei), timeout=TIMEOUT_MS)
    # The contract's own figure when the data was read; it falls as time passes since the last contribution.
    assert 0 < now_wei[0] <= data.deposit_now_wei and now_wei[0] > 0.9 * data.deposit_now_wei
    # The watcher's cycle redraws a visible page with a newer (lower) deposit: the figure is the one of the data
    # drawn last.
    qtbot.waitUntil(
        lambda: charts["deposit"].figure_text() == f"{fmt.eth(page.data.deposit_now_wei, 4)} to contribute now",
        timeout=TIMEOUT_MS,
    )
    accuracy = data.accuracy
    assert charts["accuracy"].figure_text() == (
        f"{accuracy.accuracy * 100:.1f} % on {accuracy.n:,} held-out reviews · {fmt.when(accuracy.as_of)}"
    )
    assert accuracy.as_of == int(s.contributions.times[-1]) and accuracy.contributions == 3
    # The heading shows plain words; the contract's names are in its tooltip.
    assert "validated contributions" in charts["reputation"].legend_text()
    assert "numValid" not in charts["reputation"].heading.text()
    assert "numValid" in charts["reputation"].heading.toolTip()


def test_held_out_reviews_are_ready_without_being_asked(qtbot, dashboard, imdb_train_path) -> None:
    """The default evaluation set is the validation split build_model carved: none of its reviews trained
    the shipped model, and the page and the Model page say so, with the accuracy's n and date."""
    session, window, page = dashboard
    window.show_page(DashboardPage)
    data = held_out_ready(qtbot, page)
    progress = page.evaluation
    assert progress.ready and not progress.chosen and progress.training_known
    reviews = load_reviews(imdb_train_path)
    trained, held_out = split(reviews)
    trained_texts = {r.text for r in trained}
    kept = [r for r in reviews if r.text not in trained_texts]  # in the file's order
    assert {r.id for r in kept} <= {r.id for r in held_out}
    assert progress.total == len(kept) and progress.left_out == len(reviews) - len(kept)
    assert progress.n == len(page.feed.evaluation.batch) == data.accuracy.n
    encoded = encode_reviews(session.opened.bundle.encoder, kept)
    np.testing.assert_array_equal(page.feed.evaluation.batch.labels, encoded.labels)
    assert "held-out reviews (the validation split of imdb_train.jsonl.gz)" in page.evaluation_label.text()
    assert "seed 1234, 20% of imdb_train" in page.evaluation_label.toolTip()
    # The accuracy is the model as it is now (the local mirror, all contributions learnt) on that set.
    mirror = session.mirror
    expected = float((mirror.predict_batch(encoded.batch) == encoded.labels).mean())
    assert data.accuracy.accuracy == pytest.approx(expected)
    model_page: ModelPage = window.show_page(ModelPage)
    field = model_page.fields["Accuracy"]
    qtbot.waitUntil(lambda: "%" in field.text(), timeout=TIMEOUT_MS)
    assert f"{expected * 100:.1f} %" in field.text() and f"{data.accuracy.n:,} held-out reviews" in field.text()
    assert fmt.when(data.accuracy.as_of) in field.text() and "after 3 contributions" in field.text()
    window.show_page(DashboardPage)


def test_the_training_file_is_filtered_and_one_of_only_training_reviews_refused(
    qtbot, dashboard, imdb_train_path, tmp_path
) -> None:
    session, window, page = dashboard
    window.show_page(DashboardPage)
    held_out_ready(qtbot, page)
    reviews = load_reviews(imdb_train_path)
    trained, _held_out = split(reviews)
    only_trained = tmp_path / "trained.jsonl"
    only_trained.write_text(
        "".join(json.dumps({"id": r.id, "label": r.label, "text": r.text}) + "\n" for r in trained[:20]),
        encoding="utf-8",
    )
    try:
        page.set_evaluation_file(only_trained)
        qtbot.waitUntil(lambda: page.evaluation is not None and page.evaluation.error is not None, timeout=TIMEOUT_MS)
        assert "Every review in trained.jsonl trained this model" in page.message.text()
        assert "unusable" in page.evaluation_label.text()

        page.set_evaluation_file(imdb_train_path)  # the training file itself: its training reviews left out
        qtbot.waitUntil(
            lambda: page.evaluation is not None and page.evaluation.ready and page.evaluation.chosen,
            timeout=TIMEOUT_MS * 3,
        )
        progress = page.evaluation
        assert progress.left_out >= len(trained) and progress.total == len(reviews) - progress.left_out
        assert f"{progress.left_out:,} reviews that trained this model left out" in page.evaluation_label.toolTip()
        assert page.clear_button.isEnabled()
    finally:
        page.set_evaluation_file(None)
    qtbot.waitUntil(
        lambda: page.evaluation is not None and page.evaluation.ready and not page.evaluation.chosen,
        timeout=TIMEOUT_MS * 3,
    )


def test_another_review_file_gives_its_accuracy_curve(qtbot, dashboard, history) -> None:
    session, window, page = dashboard
    data_dir, alice, reviews = history
    window.show_page(DashboardPage)
    held_out_ready(qtbot, page)
    try:
        data = shown_after(
            qtbot,
            page,
            lambda: page.set_evaluation_file(reviews),
            lambda d: d.evaluation is not None and d.evaluation.chosen and d.evaluation.ready,
        )
        wait_idle(qtbot, session)
        assert f"{len(REVIEWS)} reviews of {reviews.name} not used to train it" in page.evaluation_label.text()
        assert json.loads((data_dir / "dashboard.json").read_text())["evaluation_file"] == str(reviews)
        encoded = encode_reviews(session.opened.bundle.encoder, load_reviews(reviews))
        expected = direct_series(qtbot, session, alice, encoded.batch)
        assert_curves_match(page, expected, data.now)
        # every contribution is a point for short histories, plus the model as deployed
        assert len(curve_points(page, "accuracy", "evaluation_accuracy")[1]) == 3 + 1
        assert data.accuracy.n == len(REVIEWS)
    finally:
        page.set_evaluation_file(None)
    held = shown_after(
        qtbot,
        page,
        lambda: None,
        lambda d: d.evaluation is not None and not d.evaluation.chosen and d.accuracy is not None,
    )
    assert json.loads((data_dir / "dashboard.json").read_text())["evaluation_file"] is None
    assert held.accuracy.n > 4000


def test_hover_reads_every_series_at_that_moment(qtbot, dashboard) -> None:
    session, window, page = dashboard
    window.show_page(DashboardPage)
    data = held_out_ready(qtbot, page)
    after_report = float(data.now) - 300  # the refund, then the report 10 minutes later, then 10 more minutes
    assert after_report > data.series.pool_balance.times[-1]
    pool = page.board.charts["pool"]
    view = pool.plot.vb
    scene_point = view.mapViewToScene(QPointF(after_report, 0.0))
    target = page.board.mapFromScene(scene_point)
    qtbot.mouseMove(page.board.viewport(), target)
    qtbot.waitUntil(lambda: all(c.cursor.isVisible() for c in page.board.charts.values()), timeout=5_000)
    for chart in page.board.charts.values():
        assert abs(chart.cursor.value() - after_report) < 60 * 4  # one moment for every chart
        assert chart.readout.isVisible()
    moment = pool.cursor.value()  # a pixel spans minutes: read the series where the mouse really is
    level = data.series.pool_balance.values[np.searchsorted(data.series.pool_balance.times, moment, side="right") - 1]
    text = pool.readout.textItem.toPlainText()
    assert f"ether in the pool: {float(level):.4f}".rstrip("0").rstrip(".") + " ETH" in text
    reputation_text = page.board.charts["reputation"].readout.textItem.toPlainText()
    assert "validated contributions: 1" in reputation_text and "share of all refunds: 100.0 %" in reputation_text
    qtbot.mouseMove(page.board.viewport(), QPoint(2, 2))  # off the plots: the crosshair goes
    qtbot.waitUntil(lambda: not pool.cursor.isVisible(), timeout=5_000)


def test_a_click_on_your_deposit_opens_it_in_my_contributions(qtbot, dashboard, history) -> None:
    session, window, page = dashboard
    window.show_page(DashboardPage)
    data = held_out_ready(qtbot, page)
    assert len(data.own.ids) == 2  # alice's two contributions (bob's is not ringed)
    target_id = int(data.own.ids[1])
    view = page.board.charts["deposit"].plot.vb
    scene_point = view.mapViewToScene(QPointF(float(data.own.times[1]), float(data.own.deposits[1])))
    qtbot.mouseClick(page.board.viewport(), Qt.MouseButton.LeftButton, pos=page.board.mapFromScene(scene_point))
    contributions: ContributionsPage = window.page(ContributionsPage)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is contributions, timeout=5_000)
    qtbot.waitUntil(lambda: contributions.selected() is not None, timeout=TIMEOUT_MS)
    assert contributions.selected().id == target_id
    window.show_page(DashboardPage)


@pytest.mark.parametrize("size", [(1024, 700), (1440, 900)])
def test_nothing_overlaps_and_every_axis_has_three_ticks(qtbot, dashboard, size) -> None:
    session, window, page = dashboard
    window.show_page(DashboardPage)
    held_out_ready(qtbot, page)
    before = window.size()
    window.resize(*size)
    try:
        qtbot.wait(100)
        assert window.size().toTuple() == size, (
            f"the window will not be {size}: at least {window.minimumSizeHint()}; pages: "
            + ", ".join(f"{p.title} {p.minimumSizeHint().height()}" for p in window.pages)
            + f"; banner {window.banner.isVisible()} {window.banner.sizeHint()}"
        )
        qtbot.wait(200)
        QApplication.processEvents()
        problems, texts = [], []
        for key, chart in page.board.charts.items():
            for cell in (chart.heading, chart.figure):
                texts.append(
                    (
                        f"{key} {'title' if cell is chart.heading else 'figure'}",
                        cell.text_rect().intersected(cell.sceneBoundingRect()),
                    )
                )
                if not cell.fits():
                    problems.append(f"{key}: {cell.text()!r} does not fit its {cell.size().toTuple()} box")
            for name in ("left", "bottom", "right"):
                named = [(f"{key} {n}", r) for n, r in axis_texts(chart.plot, name)]
                texts.extend(named)
                has_data = any(
                    chart.buffers[c.key].size
                    for c in chart.spec.curves
                    if name == "bottom" or (c.axis == LEFT) == (name == "left")
                )
                ticks = [n for n, _r in named if " tick " in n]
                if has_data and chart.plot.getAxis(name).isVisible() and len(ticks) < 3:
                    problems.append(f"{key} {name} axis has {len(ticks)} tick labels: {ticks}")
        problems += overlaps(texts)
        visible = page.board.mapToScene(page.board.viewport().rect()).boundingRect()
        problems += [
            f"{name} is cut by the board's edge"
            for name, rect in texts
            if not visible.adjusted(-0.5, -0.5, 0.5, 0.5).contains(rect)
        ]
        screenshot(window, f"15-dashboard-{size[0]}x{size[1]}")
        assert not problems, "\n".join(problems)
        # No "(x0.001)": ether and percent read as they are.
        assert not any("x0." in name or "x1e" in name for name, _r in texts)
    finally:
        window.resize(before)


def test_export_png_at_twice_the_resolution_and_csv_with_units(
    qtbot, dashboard, history, tmp_path, monkeypatch
) -> None:
    session, window, page = dashboard
    window.show_page(DashboardPage)
    held_out_ready(qtbot, page)
    written: list[Path] = []
    page.sig_exported.connect(written.append)

    png = tmp_path / "dashboard.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(png), "PNG image (*.png)"))
    ratio, size = page.board.devicePixelRatioF(), page.board.size()  # before "Saved …" takes a line of the page
    click(qtbot, page.png_button)
    qtbot.waitUntil(lambda: png in written, timeout=TIMEOUT_MS)
    image = QImage(str(png))
    assert (image.width(), image.height()) == (round(size.width() * ratio * 2), round(size.height() * ratio * 2))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 8, "the PNG should show axes, text and curves, not a blank"

    table = tmp_path / "dashboard.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(table), "CSV (*.csv)"))
    click(qtbot, page.csv_button)
    qtbot.waitUntil(lambda: table in written, timeout=TIMEOUT_MS)
    with open(table, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == header()
    assert "ether in the pool (ETH)" in rows[0] and "on held-out reviews (%)" in rows[0]
    assert "open contributions (count)" in rows[0]
    expected = page.data.series
    moments = sorted(
        {
            int(t)
            for chart in CHARTS
            for curve in chart.curves
            if (picked := curve.pick(expected)) is not None
            for t in picked[0]
        }
    )
    assert [int(row[1]) for row in rows[1:]] == moments and all(row[0].endswith("Z") for row in rows[1:])
    pool = rows[0].index("ether in the pool (ETH)")
    # a level holds until its next change: the pool column at each moment is the balance then
    for row in rows[1:]:
        t = int(row[1])
        i = np.searchsorted(expected.pool_balance.times, t, side="right") - 1
        assert (row[pool] == "") == (i < 0)
        if i >= 0:
            assert float(row[pool]) == pytest.approx(float(expected.pool_balance.values[i]))
    deposit = rows[0].index("deposit paid (ETH)")
    assert [float(r[deposit]) for r in rows[1:] if r[deposit]] == pytest.approx(list(expected.deposit_costs.values))
    accuracy = rows[0].index("on held-out reviews (%)")
    last = [r[accuracy] for r in rows[1:] if r[accuracy]][-1]
    assert float(last) == pytest.approx(float(expected.evaluation_accuracy.values[-1]) * 100)
    assert "Saved" in page.message.text()


def test_screenshots_light_and_dark(qtbot, dashboard) -> None:
    session, window, page = dashboard
    window.show_page(DashboardPage)
    held_out_ready(qtbot, page)
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


def test_empty_history_says_so(qtbot, gui_env) -> None:
    """No chain needed: a board fed with empty series shows what is missing instead of blank axes."""
    make_application()
    board = ChartBoard()
    qtbot.addWidget(board)
    board.resize(900, 600)
    board.show()
    empty = np.zeros(0, dtype=np.int64)
    nobody = "0x" + "1" * 40
    series = ChartSeries(
        pool_balance([]),
        deposit_costs([]),
        contribution_count([]),
        reputation([], nobody),
        pending_refunds([], nobody),
        None,
        None,
    )
    board.show_data(DashboardData(None, 1_700_000_000, series, None))
    assert all(chart.empty.isVisible() for chart in board.charts.values())
    assert board.charts["pool"].empty.textItem.toPlainText() == "No contributions yet."
    assert "Select an account" in board.charts["reputation"].empty.textItem.toPlainText()
    assert all(
        len(item.getData()[1] if item.getData()[1] is not None else empty) == 0
        for chart in board.charts.values()
        for item in chart.curves.values()
    )
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


def test_axes_read_as_a_person_reads() -> None:
    """Dates with day and month (times when zoomed in), ether with sensible decimals, never an SI prefix."""
    from datetime import datetime

    from ui.charts.axes import TimeAxis, ValueAxis, nice_range, time_strings
    from ui.charts.specs import ETH, PERCENT

    make_application()
    midnight = datetime(2026, 12, 3).timestamp()
    assert time_strings([midnight - 12 * 3600, midnight, midnight + 12 * 3600], 12 * 3600) == [
        "12:00",
        "3 Dec",
        "12:00",
    ]
    assert time_strings([midnight + 3600, midnight + 7200], 3600) == ["3 Dec 01:00", "02:00"]  # the day, once
    assert time_strings([midnight, midnight + 86400], 86400) == ["3 Dec", "4 Dec"]
    axis = TimeAxis()
    ((step, values),) = axis.tickValues(midnight, midnight + 3 * 86400, 600)
    assert len(values) >= 3 and step in (6 * 3600, 12 * 3600, 86400)
    ether = ValueAxis("left", ETH)
    assert ether.tickStrings([0.0, 0.0025, 0.005], 1.0, 0.0025) == ["0.0000", "0.0025", "0.0050"]
    assert ether.tickStrings([0.0, 0.5, 1.0], 1.0, 0.5) == ["0.0", "0.5", "1.0"]
    ether.setLabel("ETH")
    ether.setRange(0.0, 0.004)
    assert "x0.001" not in ether.labelString() and ether.autoSIPrefixScale == 1.0
    percent = ValueAxis("left", PERCENT)
    low, high = percent.fit(84.2, 90.6, 240, floor=0.0, ceiling=100.0)
    ((step, values),) = percent.tickValues(low, high, 240)
    assert step == 1.0 and values == [float(v) for v in range(84, 92)]  # an accuracy range, a tick a point
    assert nice_range(96.1, 101.9, 1, whole=True) == (95.0, 105.0, 5.0)  # three ticks however short the axis
    assert nice_range(1.0, 1.0, 8, whole=True, floor=0.0) == (1.0, 3.0, 1.0)  # a flat count: room above it
    assert nice_range(99.5, 100.0, 2, whole=True, floor=0.0, ceiling=100.0) == (98.0, 100.0, 1.0)
