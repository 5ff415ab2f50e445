"""My contributions after the node was reset: the review made on the old chain is listed as
"chain reset" with its label, and "Contribute again" puts it in the Contribute page's editor."""

from __future__ import annotations

import time

import pytest

from dacwallet.chain.connect import NetworkSpec, connect
from dacwallet.store import chains
from dacwallet.store.db import open_database
from tests.resilience.harness import DEV_KEYS, deploy_default, http_w3, run_cli
from tests.resilience.nodes import AnvilProcess
from tests.support.chains import needs_anvil
from tests.ui.helpers import TIMEOUT_MS, click, wait_idle
from ui.app import build, make_application
from ui.models.contributions_model import ContributionsModel
from ui.pages.contribute import ContributePage
from ui.pages.contributions import ContributionsPage

OLD_TEXT = "a wonderful brilliant film, made before the node was reset"
PASSWORD = "gui-reset-amber-fjord-27"


def _cli_ok(data_dir, url: str, *args: str, stdin: str = "") -> None:
    run = run_cli(data_dir, url, *args, stdin=stdin)
    assert run.code == 0, (run.err, run.crash)


def _add_model_quietly(data_dir, url: str) -> None:
    """The model on the new chain, written to the store without opening the wallet: the GUI's open finds the reset."""
    connection = connect(NetworkSpec.parse(url), data_dir)
    db = open_database(data_dir)
    try:
        chains.ensure_schema(db)
        chains.add_deployment(db, connection.chain_key, deploy_default(http_w3(url)), model_file="default")
    finally:
        db.close()
        connection.close()


@pytest.mark.anvil
@needs_anvil
def test_a_reset_contribution_is_listed_and_can_be_contributed_again(qtbot, tmp_path) -> None:
    make_application()
    with AnvilProcess() as node:
        _cli_ok(
            tmp_path,
            node.url,
            "deployment",
            "add",
            deploy_default(http_w3(node.url)).trainer,
            "--model-file",
            "default",
        )
        _cli_ok(tmp_path, node.url, "account", "import", "alice", stdin=f"{DEV_KEYS[1]}\n{PASSWORD}\n")
        _cli_ok(
            tmp_path, node.url, "contribute", "--password-stdin", "--label", "Positive", OLD_TEXT, stdin=PASSWORD + "\n"
        )
        node.stop()
        time.sleep(1.1)  # anvil's genesis carries its start second: the new chain is another one
        node.start()
        _add_model_quietly(tmp_path, node.url)

        session, window = build(tmp_path, NetworkSpec.parse(node.url))
        window.show()
        try:
            page: ContributionsPage = window.show_page(ContributionsPage)
            qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)
            wait_idle(qtbot, session)
            qtbot.waitUntil(lambda: len(page.model.rows) == 1, timeout=TIMEOUT_MS)
            model = page.model
            status = model.data(model.index(0, ContributionsModel.STATUS))
            assert status.startswith("chain reset") and "not on this chain" in status
            assert model.data(model.index(0, ContributionsModel.LABEL)) == "Positive"
            assert "kept from before this network was reset" in page.summary.text()
            assert "the 1 contribution(s) you made on the old chain are kept" in page.message.text()
            assert not page.claim_button.isEnabled() and not page.claim_all_button.isEnabled()
            page.table.selectRow(0)
            assert page.again_button.isEnabled()
            click(qtbot, page.again_button)
            contribute = window.stack.currentWidget()
            assert isinstance(contribute, ContributePage)
            assert contribute.editor.toPlainText() == OLD_TEXT
            positive = session.opened.classifications.index("Positive")
            assert contribute.chosen_label() == positive
        finally:
            window.close()
            session.close()
