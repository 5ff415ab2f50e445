"""The reference framework's own IMDB demo contracts (compiled unchanged, deployed as its migration does) in the
app: added on the Model page by address with the reference's model file but no vocabulary (the Contribute page says the
vocabulary is what is missing), then with its vocabulary; the Model page's strongest words; contribute and, after
the 15 s refund wait, claim the refund; the Dashboard charts the contribution. The Points64 variant says points,
never ether, from the Contribute page to the claim, the Dashboard, the notices and the Activity page. Real clicks,
the real runner, the embedded chain."""

from __future__ import annotations

import pytest
from eth_account import Account

from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY
from dacwallet.chain.transactions import TransactionSender
from dacwallet.usecases.accounts import fund_new_account
from tests.support.reference import ReferenceIncentive, ReferenceStack, deploy_imdb_demo
from tests.support.shared_data import REFERENCE_MODEL, REFERENCE_VOCAB
from tests.ui.helpers import TIMEOUT_MS, active_dialog, click, shown_app, sign_in_open_dialog, type_into, wait_idle
from tests.ui.test_model_deployments import in_runner, model_page, switched, trainers, use
from ui.dialogs.confirm_contribution import ConfirmContributionDialog
from ui.pages.activity import ActivityPage
from ui.pages.contribute import ContributePage
from ui.pages.contributions import ContributionsPage
from ui.pages.dashboard import DashboardPage
from ui.pages.model import ModelPage

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("reference_contracts_path", "reference_model_path", "reference_vocab_path"),
]

PASSWORD = "rosa-amber-violin-58"
GOOD = "a wonderful film with brilliant acting and a great story one of the best this year"


@pytest.fixture(scope="module")
def app(tmp_path_factory, gui_env):
    with shown_app(tmp_path_factory.mktemp("gui-reference")) as opened:
        yield opened


@pytest.fixture(scope="module")
def reference(app, gui_env):
    """rosa (funded) and the reference's IMDB demo deployed on the embedded chain, not yet known to the wallet."""
    from pytestqt.qtbot import QtBot

    session, window = app
    qtbot = QtBot(window)
    qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)

    def prepare(ctx):
        info = ctx.keys.create("rosa", PASSWORD)
        fund_new_account(ctx, info)
        return info.address, deploy_imdb_demo(TransactionSender(ctx.w3, Account.from_key(FAUCET_PRIVATE_KEY)))

    rosa, stack = in_runner(qtbot, session, prepare)
    session.set_account(rosa)
    return stack


def add(qtbot, panel, address: str, model_file: str | None, vocab: str | None) -> None:
    panel.set_model_file(model_file)
    panel.set_vocab_file(vocab)
    panel.address.clear()
    type_into(qtbot, panel.address, address)
    click(qtbot, panel.add_button)
    wait_idle(qtbot, panel.session)


def in_use(qtbot, window, stack: ReferenceStack) -> None:
    """Whatever ran before: ``stack`` known to the wallet with its model file and vocabulary, and in use."""
    _page, panel = model_page(qtbot, window)
    if stack.trainer not in trainers(panel):
        add(qtbot, panel, stack.trainer, str(REFERENCE_MODEL), str(REFERENCE_VOCAB))
        qtbot.waitUntil(lambda: stack.trainer in trainers(panel), timeout=TIMEOUT_MS)
    if panel.model.active_row() != trainers(panel).index(stack.trainer):
        use(qtbot, panel, stack.trainer)


def deploy_reference(qtbot, session, incentive: ReferenceIncentive | None = None) -> ReferenceStack:
    """A reference stack no test has added yet."""

    def deploy(ctx) -> ReferenceStack:
        sender = TransactionSender(ctx.w3, Account.from_key(FAUCET_PRIVATE_KEY))
        return deploy_imdb_demo(sender, incentive or ReferenceIncentive())

    return in_runner(qtbot, session, deploy)


def test_the_missing_vocabulary_is_named_then_given(qtbot, app, reference) -> None:
    session, window = app
    stack = deploy_reference(qtbot, session)  # one of its own: not yet known, whichever test ran before
    _page, panel = model_page(qtbot, window)
    add(qtbot, panel, stack.trainer, str(REFERENCE_MODEL), None)
    qtbot.waitUntil(lambda: stack.trainer in trainers(panel), timeout=TIMEOUT_MS)
    assert "not its vocabulary" in panel.message.text()
    use(qtbot, panel, stack.trainer)
    contribute_page: ContributePage = window.show_page(ContributePage)
    type_into(qtbot, contribute_page.editor, GOOD)
    qtbot.waitUntil(lambda: "vocabulary" in contribute_page.prediction.text(), timeout=TIMEOUT_MS)
    assert "without its model file" not in contribute_page.prediction.text()

    _page, panel = model_page(qtbot, window)
    switched(qtbot, session, lambda: add(qtbot, panel, stack.trainer, None, str(REFERENCE_VOCAB)))
    assert "Local copy" in panel.message.text(), panel.message.text()
    assert session.opened.bundle is not None and session.opened.local_copy_note is None


def test_strongest_words_of_the_reference_model(qtbot, app, reference) -> None:
    session, window = app
    in_use(qtbot, window, reference)
    page: ModelPage = window.show_page(ModelPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: page.positive.count() > 0 and page.negative.count() > 0, timeout=TIMEOUT_MS)
    assert page.positive.item(0).text().startswith("enjoyable")  # the demo's largest weight (+15.1)
    assert page.negative.item(0).text().startswith("worst")  # and its smallest (-17.8)
    assert page.fields["Encoder"].text() == "IMDB vocab"  # the reference's encoder name, whole


def test_contribute_then_refund_after_the_wait(qtbot, app, reference) -> None:
    session, window = app
    in_use(qtbot, window, reference)
    page: ContributePage = window.show_page(ContributePage)
    page.editor.clear()
    type_into(qtbot, page.editor, GOOD)
    qtbot.waitUntil(lambda: page.local is not None, timeout=TIMEOUT_MS)
    assert page.local.class_name == "Positive"
    click(qtbot, next(b for b in page.label_buttons if b.text() == "Positive"))
    click(qtbot, page.submit_button)
    dialog = active_dialog(qtbot, ConfirmContributionDialog)
    if dialog.needs_password:
        type_into(qtbot, dialog.password, PASSWORD)
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=TIMEOUT_MS)
    assert "The deposit is" in dialog.stake.text()
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=TIMEOUT_MS)
    assert dialog.result_.state == "added" and dialog.result_.cost > 0
    click(qtbot, dialog.confirm_button)

    in_runner(qtbot, session, lambda ctx: ctx.connection.embedded.advance(16))  # past the demo's 15 s wait
    mine: ContributionsPage = window.show_page(ContributionsPage)
    session.notify_changed()
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: [r.status for r in mine.model.rows] == ["refundable"], timeout=TIMEOUT_MS)
    mine.table.selectRow(0)
    click(qtbot, mine.claim_button)
    claim = sign_in_open_dialog(qtbot, PASSWORD)
    assert "Refund claimed" in claim.progress.text()
    click(qtbot, claim.ok)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: mine.model.rows[0].status == "refunded", timeout=TIMEOUT_MS)
    dashboard: DashboardPage = window.show_page(DashboardPage)  # its charts read the reference's events too
    wait_idle(qtbot, session)
    qtbot.waitUntil(
        lambda: dashboard.data is not None and len(dashboard.data.series.contributions) == 1, timeout=TIMEOUT_MS
    )


def test_a_points_deployment_says_points_not_ether(qtbot, app, reference) -> None:
    """The reference stack with Points64: no deposit on the Contribute page and in the confirmation; My
    contributions and the claim dialog say the point a refund earns, never "0 ETH"; then the Dashboard and Activity."""
    session, window = app
    points = deploy_reference(qtbot, session, ReferenceIncentive(kind="points"))
    _page, panel = model_page(qtbot, window)
    add(qtbot, panel, points.trainer, str(REFERENCE_MODEL), str(REFERENCE_VOCAB))
    qtbot.waitUntil(lambda: points.trainer in trainers(panel), timeout=TIMEOUT_MS)
    use(qtbot, panel, points.trainer)
    assert session.opened.pays_points
    model: ModelPage = window.show_page(ModelPage)
    qtbot.waitUntil(lambda: "pays points" in model.fields["Current deposit"].text(), timeout=TIMEOUT_MS)

    page: ContributePage = window.show_page(ContributePage)
    page.editor.clear()
    type_into(qtbot, page.editor, GOOD)
    click(qtbot, next(b for b in page.label_buttons if b.text() == "Positive"))
    qtbot.waitUntil(lambda: "this model pays points" in page.chain_line.text(), timeout=TIMEOUT_MS)
    assert "ETH margin" not in page.chain_line.text() and "earns 1 point" in page.chain_line.text()
    click(qtbot, page.submit_button)
    dialog = active_dialog(qtbot, ConfirmContributionDialog)
    if dialog.needs_password:
        type_into(qtbot, dialog.password, PASSWORD)
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=TIMEOUT_MS)
    assert "this model pays points" in dialog.stake.text() and "1 point" in dialog.stake.text()
    assert "The deposit is" not in dialog.stake.text()
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=TIMEOUT_MS)
    assert dialog.result_.state == "added" and dialog.result_.cost == 0
    assert "nothing was kept" in dialog.progress.text()
    click(qtbot, dialog.confirm_button)

    in_runner(qtbot, session, lambda ctx: ctx.connection.embedded.advance(16))
    mine: ContributionsPage = window.show_page(ContributionsPage)
    session.notify_changed()
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: [r.status for r in mine.model.rows] == ["refundable"], timeout=TIMEOUT_MS)
    shown = [mine.model.data(mine.model.index(0, column)) for column in (mine.model.DEPOSIT, mine.model.CLAIMABLE)]
    assert shown == ["none (points)", "1 point"] and "1 point can be claimed now" in mine.summary.text()
    # No deposit to claim, yet the refund (its point) is: the banner says so as it does for a deposit.
    qtbot.waitUntil(lambda: "your refund can be claimed now" in window.banner.label.text(), timeout=TIMEOUT_MS)
    mine.table.selectRow(0)
    click(qtbot, mine.claim_button)
    claim = sign_in_open_dialog(qtbot, PASSWORD)
    assert "You get <b>1 point</b>" in claim.amounts.text() and "ETH</b>" not in claim.amounts.text()
    assert "Refund claimed" in claim.progress.text() and "earns 1 point" in claim.progress.text()
    click(qtbot, claim.ok)
    dashboard_and_activity_say_points(qtbot, session, window)


def dashboard_and_activity_say_points(qtbot, session, window) -> None:
    """Continues the points story (its contribution refunded): the Dashboard's figures and charts hold no
    ether curve, pool or deposit; the Activity page says the contribution took no deposit and the refund earned
    a point (the network fee stays in ether: gas is paid in ether on any model)."""
    assert session.opened.pays_points
    dashboard: DashboardPage = window.show_page(DashboardPage)
    session.notify_changed()
    wait_idle(qtbot, session)
    qtbot.waitUntil(
        lambda: (
            dashboard.data is not None
            and dashboard.data.pays_points
            and len(dashboard.data.series.contributions) == 1
            and not dashboard.board.drawing
        ),
        timeout=TIMEOUT_MS,
    )
    assert "pays points" in dashboard._hint.text() and "deposits (ringed)" not in dashboard._hint.text()
    assert "earns you a point" in window.page(ContributePage)._hint.text()
    assert "point can be claimed" in window.page(ContributionsPage)._hint.text()
    charts = dashboard.board.charts
    figures = {key: chart.figure_text() for key, chart in charts.items()}
    assert figures["reputation"] == "1 point earned", figures
    assert figures["pending"] == "0 open · no deposit held", figures
    assert figures["pool"].startswith("none") and figures["deposit"].startswith("none"), figures
    assert all("ETH" not in text for text in figures.values()), figures
    assert charts["pool"].empty.isVisible() and "pays points" in charts["pool"].empty.textItem.toPlainText()
    assert (
        "deposit paid" not in charts["deposit"].legend_text()
        and "contributions so far" in charts["deposit"].legend_text()
    )
    assert "deposits still held" not in charts["pending"].legend_text()
    for key in ("pending", "pool", "deposit"):
        assert charts[key].plot.getAxis("left").labelText == "", key

    activity: ActivityPage = window.show_page(ActivityPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: {"contribution", "refund"} <= {r.kind for r in activity.model.rows}, timeout=TIMEOUT_MS)
    model = activity.model
    shown: dict[str, list[str]] = {}  # the newest of each kind: the points deployment's (rows are newest first)
    for i, row in enumerate(model.rows):
        cells = [model.data(model.index(i, c)) for c in (model.AMOUNT, model.RECEIVED, model.FEE, model.DETAIL)]
        shown.setdefault(row.kind, cells)
    sent, received, fee, detail = shown["contribution"]
    assert (sent, received) == ("", "") and "no deposit" in detail and "ETH" not in detail
    assert fee.endswith("ETH")  # the network fee: gas is paid in ether on a points model too
    assert shown["refund"][1] == "1 point"
