"""The Model page's "Models on this chain": add a deployment by its address (bad ones refused inline, nothing
changed), Use switches the model every page follows, Remove refusals show the core's reasons, and a deployment
that stopped part-way is resumed (signed in the SignDialog) or abandoned (after saying what stays on the chain).
Real clicks, the real runner, the embedded chain; the no-model case on a fresh anvil node.

The second deployment (the shipped model again, at another address) and the interrupted deployments are made
through the core API, in the session's runner.
"""

from __future__ import annotations

import pytest
from eth_account import Account
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from dacwallet.chain.connect import NetworkSpec
from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY
from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.deploy import deploy
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.errors import ChainError, DeploymentError
from dacwallet.ml.model_file import model_path
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.context import DEFAULT_INCENTIVE
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.deployments import start_deployment
from dacwallet.usecases.sending import signer_for
from tests.support.chains import needs_anvil
from tests.ui.conftest import screenshot
from tests.ui.helpers import TIMEOUT_MS, active_dialog, click, shown_app, sign_in_open_dialog, type_into, wait_idle
from ui.app import build, make_application
from ui.pages.base import NO_MODEL
from ui.pages.contribute import ContributePage
from ui.pages.contributions import ContributionsPage
from ui.pages.dashboard import DashboardPage
from ui.pages.model import NO_MODEL_HERE, ModelPage
from ui.widgets.deployments_panel import DeploymentsPanel

PASSWORD = "dana-pw"
GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
FAUCET = Account.from_key(FAUCET_PRIVATE_KEY).address


def in_runner(qtbot, session, fn):
    """``fn(ctx)`` run through the session's runner (like the GUI's own work); returns its result or raises."""
    out: dict[str, object] = {}
    session.call(fn, lambda r: out.setdefault("result", r), lambda e: out.setdefault("error", e))
    qtbot.waitUntil(lambda: bool(out), timeout=TIMEOUT_MS)
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out["result"]


def deploy_shipped_again(ctx):
    """The shipped default model deployed once more (not registered: the GUI adds it by its address)."""
    sender = TransactionSender(ctx.w3, Account.from_key(FAUCET_PRIVATE_KEY))
    return deploy(sender, ModelSpec.from_file(model_path("default")), DEFAULT_INCENTIVE).trainer


def interrupt_a_deployment(qtbot, session, monkeypatch, dana: str) -> None:
    """Starts deploying the shipped model as dana; the node refuses its 2nd transaction: it stops part-way."""
    calls = {"n": 0}
    original = TransactionSender.send_raw

    def refusing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ChainError("The node refused the transaction: test fault.")
        return original(self, *args, **kwargs)

    with monkeypatch.context() as mp:
        mp.setattr(TransactionSender, "send_raw", refusing)
        with pytest.raises(DeploymentError, match="test fault"):
            in_runner(
                qtbot,
                session,
                lambda ctx: start_deployment(ctx, signer_for(ctx, dana, PASSWORD), "default", DEFAULT_INCENTIVE),
            )


@pytest.fixture(scope="module")
def app(tmp_path_factory, gui_env):
    with shown_app(tmp_path_factory.mktemp("gui-deployments")) as opened:
        yield opened


@pytest.fixture(scope="module")
def setup(app, gui_env):
    """dana (funded) with one contribution on the default model; a second deployment, not yet known."""
    from pytestqt.qtbot import QtBot

    session, window = app
    qtbot = QtBot(window)
    qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)

    def prepare(ctx):
        info = ctx.keys.create("dana", PASSWORD)
        fund_new_account(ctx, info)
        contribute(ctx, signer_for(ctx, info.address, PASSWORD), GOOD, "Positive")
        return info.address, deploy_shipped_again(ctx), ctx.deployment.trainer, ctx.deployment.classifier

    dana, second, default, classifier = in_runner(qtbot, session, prepare)
    session.set_account(dana)
    return {"dana": dana, "second": second, "default": default, "classifier": classifier}


@pytest.fixture(autouse=True)
def default_in_use_after(qtbot, app, setup):
    """Each test stands alone, in any order: whichever model a test switched to, the default is in use after it."""
    yield
    _page, panel = model_page(qtbot, app[1])
    if panel.model.active_row() != trainers(panel).index(setup["default"]):
        use(qtbot, panel, setup["default"])


def known(qtbot, panel: DeploymentsPanel, trainer: str) -> None:
    """``trainer`` in the list (the add test may not have run before)."""
    if trainer not in trainers(panel):
        add_address(qtbot, panel, trainer)
        qtbot.waitUntil(lambda: trainer in trainers(panel), timeout=TIMEOUT_MS)


def model_page(qtbot, window) -> tuple[ModelPage, DeploymentsPanel]:
    page: ModelPage = window.show_page(ModelPage)
    wait_idle(qtbot, page.session)
    return page, page.deployments


def trainers(panel: DeploymentsPanel) -> list[str]:
    return [r.known.deployment.trainer for r in panel.model.rows]


def select(panel: DeploymentsPanel, trainer: str) -> None:
    panel.table.selectRow(trainers(panel).index(trainer))


def add_address(qtbot, panel: DeploymentsPanel, text: str) -> None:
    panel.address.clear()
    type_into(qtbot, panel.address, text)
    click(qtbot, panel.add_button)
    wait_idle(qtbot, panel.session)


def use(qtbot, panel: DeploymentsPanel, trainer: str) -> None:
    """Selects ``trainer``, clicks Use and waits until the reopened session and the list show it in use."""
    select(panel, trainer)
    switched(qtbot, panel.session, lambda: click(qtbot, panel.use_button))
    qtbot.waitUntil(lambda: panel.model.active_row() == trainers(panel).index(trainer), timeout=TIMEOUT_MS)


def switched(qtbot, session, action) -> None:
    """Runs ``action`` and waits until the session reopened (what a change of the active model does)."""
    before = session.opened
    action()
    qtbot.waitUntil(lambda: session.opened is not before, timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)


def test_add_by_address_refuses_bad_ones_and_adds_a_good_one(qtbot, app, setup) -> None:
    session, window = app
    page, panel = model_page(qtbot, window)
    fresh = in_runner(qtbot, session, deploy_shipped_again)  # a deployment no test has added yet
    listed = trainers(panel)
    assert listed[0] == setup["default"] and fresh not in listed
    assert panel.model.data(panel.model.index(0, panel.model.STATE)) == "active, default"
    assert panel.model.data(panel.model.index(0, panel.model.MINE)) == "1"
    address = panel.model.data(panel.model.index(0, panel.model.ADDRESS))
    tooltip = panel.model.data(panel.model.index(0, panel.model.ADDRESS), Qt.ItemDataRole.ToolTipRole)
    assert "…" in address and setup["default"] in tooltip
    for bad, reason in (
        ("0x1234", "is not an Ethereum address"),
        (FAUCET, "There is no contract at"),
        (setup["classifier"], "does not answer the collaborative-trainer interface"),
    ):
        add_address(qtbot, panel, bad)
        assert panel.message.isVisible() and reason in panel.message.text(), panel.message.text()
        assert "198, 40, 40" in panel.message.styleSheet()  # shown as an error
        assert trainers(panel) == listed
    before = session.opened
    add_address(qtbot, panel, fresh)
    qtbot.waitUntil(lambda: len(panel.model.rows) == len(listed) + 1, timeout=TIMEOUT_MS)
    assert "Added" in panel.message.text() and "Use" in panel.message.text()
    added = panel.model.rows[len(listed)]
    assert added.known.deployment.trainer == fresh and not added.active
    assert added.known.model_file == "imdb-default"  # the shipped model with its name and encoder: a local copy
    assert session.opened is before  # not active: nothing reopened
    assert panel.address.text() == ""
    add_address(qtbot, panel, fresh.lower())
    assert "already known" in panel.message.text() and len(panel.model.rows) == len(listed) + 1
    panel.address.clear()
    panel.message.clear()
    qtbot.wait(50)  # the layout settles once the message is hidden
    path = screenshot(window, "model-deployments")
    assert path.exists()


def test_use_switches_the_model_and_the_pages_follow(qtbot, app, setup) -> None:
    session, window = app
    mine: ContributionsPage = window.show_page(ContributionsPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: len(mine.model.rows) == 1, timeout=TIMEOUT_MS)
    page, panel = model_page(qtbot, window)
    known(qtbot, panel, setup["second"])
    use(qtbot, panel, setup["second"])
    assert "Now using" in panel.message.text()
    qtbot.waitUntil(lambda: page.fields["Contract"].text() == setup["second"], timeout=TIMEOUT_MS)
    assert not panel.use_button.isEnabled()  # the selected one is in use already
    window.show_page(ContributionsPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: not mine.model.rows, timeout=TIMEOUT_MS)  # nothing of dana's on the new model
    assert mine.summary.text() == "No contributions yet."
    dashboard: DashboardPage = window.show_page(DashboardPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(
        lambda: dashboard.data is not None and not len(dashboard.data.series.contributions), timeout=TIMEOUT_MS
    )
    contribute_page: ContributePage = window.show_page(ContributePage)
    type_into(qtbot, contribute_page.editor, "A wonderful film")
    assert contribute_page.local is not None  # the new model's local copy previews at once
    contribute_page.editor.clear()
    # Back to the default: the contribution shows again.
    _page, panel = model_page(qtbot, window)
    use(qtbot, panel, setup["default"])
    window.show_page(ContributionsPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: len(mine.model.rows) == 1, timeout=TIMEOUT_MS)
    window.show_page(DashboardPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(
        lambda: dashboard.data is not None and len(dashboard.data.series.contributions) == 1, timeout=TIMEOUT_MS
    )


def test_remove_refusals_show_the_core_reason(qtbot, app, setup) -> None:
    session, window = app
    _page, panel = model_page(qtbot, window)
    known(qtbot, panel, setup["second"])
    count = len(panel.model.rows)
    assert trainers(panel)[0] == setup["default"] and panel.model.active_row() == 0
    select(panel, setup["default"])
    click(qtbot, panel.remove_button)
    wait_idle(qtbot, session)
    assert "default model" in panel.message.text() and "cannot be removed" in panel.message.text()
    use(qtbot, panel, setup["second"])
    select(panel, setup["second"])
    click(qtbot, panel.remove_button)
    wait_idle(qtbot, session)
    assert "is the active deployment" in panel.message.text() and setup["default"] in panel.message.text()
    assert len(panel.model.rows) == count
    use(qtbot, panel, setup["default"])
    select(panel, setup["second"])
    click(qtbot, panel.remove_button)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: setup["second"] not in trainers(panel), timeout=TIMEOUT_MS)
    assert len(panel.model.rows) == count - 1
    assert "Forgot" in panel.message.text() and "the chain keeps it" in panel.message.text()


def test_an_interrupted_deployment_is_resumed_then_another_abandoned(qtbot, app, setup, monkeypatch) -> None:
    session, window = app
    page, panel = model_page(qtbot, window)
    assert not panel.notice.isVisible()
    known = len(panel.model.rows)
    interrupt_a_deployment(qtbot, session, monkeypatch, setup["dana"])
    page.refresh()
    qtbot.waitUntil(panel.notice.isVisible, timeout=TIMEOUT_MS)
    text = panel.notice_text.text()
    assert "stopped part-way" in text and "model contract 0x" in text and "entry point not deployed" in text
    assert "model contract: 0x" in panel.notice_text.toolTip()  # the full addresses
    assert "dana" in text and panel.resume_button.isEnabled()
    screenshot(window, "model-deployments-unfinished")
    click(qtbot, panel.resume_button)
    dialog = sign_in_open_dialog(qtbot, PASSWORD)
    assert "Done." in dialog.progress.text() and "model in use" in dialog.progress.text()
    switched(qtbot, session, lambda: click(qtbot, dialog.ok))
    qtbot.waitUntil(lambda: len(panel.model.rows) == known + 1, timeout=TIMEOUT_MS)
    assert panel.model.active_row() == known and not panel.notice.isVisible()
    resumed = panel.model.rows[known].known.deployment.trainer
    qtbot.waitUntil(lambda: page.fields["Contract"].text() == resumed, timeout=TIMEOUT_MS)

    interrupt_a_deployment(qtbot, session, monkeypatch, setup["dana"])
    page.refresh()
    qtbot.waitUntil(panel.notice.isVisible, timeout=TIMEOUT_MS)
    click(qtbot, panel.abandon_button)
    box = active_dialog(qtbot, QMessageBox)
    assert "stay on the chain, unused" in box.informativeText() and "the model contract 0x" in box.informativeText()
    assert "owned by " + setup["dana"] in box.informativeText()
    click(qtbot, panel.abandon_yes)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: not panel.notice.isVisible(), timeout=TIMEOUT_MS)
    assert "Forgot the deployment" in panel.message.text()
    assert len(panel.model.rows) == known + 1 and panel.model.active_row() == known  # nothing else changed


@pytest.mark.anvil
@needs_anvil
def test_a_fresh_node_says_no_model_until_one_is_added(qtbot, tmp_path) -> None:
    from tests.resilience.harness import deploy_default, http_w3
    from tests.resilience.nodes import AnvilProcess

    make_application()
    with AnvilProcess() as node:
        session, window = build(tmp_path, NetworkSpec.parse(node.url))
        window.show()
        try:
            qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)
            wait_idle(qtbot, session)
            assert session.opened.model_name is None
            contribute_page: ContributePage = window.show_page(ContributePage)
            assert contribute_page.message.text() == NO_MODEL
            type_into(qtbot, contribute_page.editor, "A wonderful film")
            assert contribute_page.prediction.text() == NO_MODEL
            contribute_page.editor.clear()
            mine: ContributionsPage = window.show_page(ContributionsPage)
            wait_idle(qtbot, session)
            qtbot.waitUntil(lambda: mine.summary.text() == NO_MODEL, timeout=TIMEOUT_MS)
            dashboard: DashboardPage = window.show_page(DashboardPage)
            wait_idle(qtbot, session)
            assert dashboard.message.text() == NO_MODEL and dashboard.data is None
            page, panel = model_page(qtbot, window)
            assert page.message.text() == NO_MODEL_HERE and not panel.model.rows
            screenshot(window, "model-no-model")
            trainer = deploy_default(http_w3(node.url)).trainer
            switched(qtbot, session, lambda: add_address(qtbot, panel, trainer))
            assert session.opened.model_name == "imdb-default"
            qtbot.waitUntil(lambda: trainers(panel) == [trainer] and panel.model.active_row() == 0, timeout=TIMEOUT_MS)
            qtbot.waitUntil(lambda: page.fields["Contract"].text() == trainer, timeout=TIMEOUT_MS)
            assert not page.message.isVisible()
            window.show_page(ContributePage)
            assert [b.text() for b in contribute_page.label_buttons] == ["Negative", "Positive"]
            assert not contribute_page.message.isVisible()
        finally:
            window.close()
            session.close()
