"""`dacwallet deployment ...` on the embedded chain: new from a model file, interrupted and resumed or abandoned,
use / list / remove; and the embedded chain's first-start deploy killed part-way, resumed on the next start.

One data folder (default model deployed, account "rita" created) is made once per module and copied per test.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from web3 import Web3

from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY
from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.deploy import DeploymentProgress
from dacwallet.contracts.deployment import attach, classifier_contract, trainer_contract
from dacwallet.errors import ChainError
from dacwallet.ml.model_file import load_model
from dacwallet.store import deploy_progress
from dacwallet.store.db import open_database
from dacwallet.usecases.context import TEST_SCRYPT_ENV, open_wallet
from tests.usecases.conftest import Cli

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PW = "rita-pw\n"
GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
SIGN = ("--account", "rita", "--password-stdin")
FAUCET = Web3().eth.account.from_key(FAUCET_PRIVATE_KEY).address


def gapped_model(path: Path) -> Path:
    """The shipped perceptron with two zero stretches, so its upload takes three chunks (six transactions)."""
    model = load_model("imdb-perceptron")
    weights = list(model["weights"])
    for zero in (range(600, 1200), range(1800, 2400)):
        for i in zero:
            weights[i] = 0
    model.update(name="gapped", description="three upload chunks", weights=weights)
    path.write_text(json.dumps(model), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TEST_SCRYPT_ENV, str(2**4))
        mp.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
        ctx = open_wallet(folder)
        try:
            from dacwallet.usecases.accounts import fund_new_account

            fund_new_account(ctx, ctx.keys.create("rita", PW.strip()))
        finally:
            ctx.close()
    return folder


@pytest.fixture
def cli(template, tmp_path, capsys) -> Cli:
    data = tmp_path / "data"
    shutil.copytree(template, data)
    return Cli(data, "embedded", capsys)


@pytest.fixture
def model_file(tmp_path) -> Path:
    return gapped_model(tmp_path / "gapped.json")


def listed(cli: Cli) -> list[dict]:
    return cli.ok("deployment", "list", "--json").json()


def nonce(cli: Cli, address: str) -> int:
    ctx = open_wallet(cli.data_dir)
    try:
        return ctx.w3.eth.get_transaction_count(address)
    finally:
        ctx.close()


def check_deployed(cli: Cli, trainer: str, model_path: Path) -> None:
    """The stack verifies (attach: the entry point owns its parts) and holds every weight of the file."""
    model = json.loads(model_path.read_text())
    ctx = open_wallet(cli.data_dir)
    try:
        found = attach(ctx.w3, trainer)
        assert found.name == model["name"] and found.model_type == "sparse_perceptron"
        weights = classifier_contract(ctx.w3, found.classifier).get_function_by_signature("weights(uint64)")
        for i in (0, 1, 599, 600, 1199, 1200, 1799, 2400, 2999):
            assert weights(i).call() == model["weights"][i], i
    finally:
        ctx.close()


def test_new_from_a_model_file(cli: Cli, model_file: Path) -> None:
    (default,) = listed(cli)
    assert default["default"] is True and default["active"] is True and default["name"] == "imdb-default"
    rita = cli.ok("account", "list", "--json").json()[0]["address"]
    run = cli.ok(
        "deployment",
        "new",
        "--model",
        str(model_file),
        "--refund-wait",
        "2h",
        "--take-wait",
        "3d",
        "--cost-weight",
        "2000000000000000",
        *SIGN,
        "--json",
        stdin=PW,
    )
    made = run.json()
    assert made["name"] == "gapped" and made["model"] == "sparse_perceptron" and made["incentive"] == "stakeable"
    assert made["transactions"] == 6 and made["active"] is True and made["model_file"] == str(model_file.resolve())
    lines = [line for line in run.err.splitlines() if line.startswith("deploying: ")]
    assert lines[0] == "deploying: model contract deployed (1/6)"
    assert "deploying: uploaded parameter chunk 3 of 3 (4/6)" in lines
    assert lines[-1] == "deploying: model handed over (6/6)"
    assert nonce(cli, rita) == 6
    check_deployed(cli, made["trainer"], model_file)
    ctx = open_wallet(cli.data_dir)
    try:
        trainer = trainer_contract(ctx.w3, made["trainer"])
        assert trainer.functions.refundWaitTimeS().call() == 7200
        assert trainer.functions.anyAddressClaimWaitTimeS().call() == 3 * 86_400
        assert trainer.functions.costWeight().call() == 2 * 10**15
    finally:
        ctx.close()
    rows = listed(cli)
    assert [(r["trainer"], r["default"], r["active"]) for r in rows] == [
        (default["trainer"], True, False),
        (made["trainer"], False, True),
    ]
    assert cli.ok("status", "--json").json()["trainer"] == made["trainer"]
    prediction = cli.ok("predict", GOOD, "--json").json()
    assert prediction["model"] == "gapped" and prediction["mirror_agrees"] is True


def test_points_and_usage_errors(cli: Cli, model_file: Path) -> None:
    made = cli.ok("deployment", "new", "--model", str(model_file), "--points", *SIGN, "--json", stdin=PW).json()
    assert made["incentive"] == "points"
    assert cli("deployment", "new", *SIGN, stdin=PW).code == 2  # no --model
    assert (
        cli("deployment", "new", "--model", str(model_file), "--points", "--cost-weight", "1", *SIGN, stdin=PW).code
        == 2
    )
    bad_wait = cli(
        "deployment", "new", "--model", str(model_file), "--refund-wait", "5d", "--take-wait", "1d", *SIGN, stdin=PW
    )
    assert bad_wait.code == 1 and "refund <= owner claim" in bad_wait.err
    missing = cli("deployment", "new", "--model", str(model_file.parent / "nope.json"), *SIGN, stdin=PW)
    assert missing.code == 1 and "Cannot read the model file" in missing.err
    wrong_pw = cli("deployment", "new", "--model", str(model_file), *SIGN, stdin="not-it\n")
    assert wrong_pw.code == 1 and "Nothing was deployed" in wrong_pw.err
    assert cli("deployment", "resume", *SIGN, stdin=PW).code == 1  # nothing left to resume
    assert len(listed(cli)) == 2


def fail_on(monkeypatch, method: str, at: int, error: Exception) -> None:
    """The ``at``-th call (1-based) of TransactionSender.``method`` raises ``error``: ``send_raw`` before the
    transaction reaches the node, ``wait`` once it was sent (the embedded chain mined it) but no receipt came."""
    calls = {"n": 0}
    original = getattr(TransactionSender, method)

    def patched(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == at:
            raise error
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TransactionSender, method, patched)


def test_a_refused_chunk_then_resume(cli: Cli, model_file: Path, monkeypatch) -> None:
    rita = cli.ok("account", "list", "--json").json()[0]["address"]
    with monkeypatch.context() as mp:
        fail_on(mp, "send_raw", 3, ChainError("The node refused the transaction: test fault."))
        stopped = cli("deployment", "new", "--model", str(model_file), *SIGN, stdin=PW)
    assert stopped.code == 1
    assert "test fault" in stopped.err and "parameter chunks uploaded: 1" in stopped.err
    assert "entry point: not deployed" in stopped.err and "dacwallet deployment resume" in stopped.err
    assert nonce(cli, rita) == 2
    rows = cli.ok("deployment", "list", "--json")
    assert "unfinished deployment" in rows.err and len(rows.json()) == 1
    again = cli("deployment", "new", "--model", str(model_file), *SIGN, stdin=PW)
    assert again.code == 1 and "unfinished" in again.err  # one at a time: resume or abandon first
    resumed = cli.ok("deployment", "resume", "--password-stdin", "--json", stdin=PW)
    assert "resuming" in resumed.err and "deploying: uploaded parameter chunk 2 of 3" in resumed.err
    made = resumed.json()
    assert nonce(cli, rita) == 6  # nothing redone
    check_deployed(cli, made["trainer"], model_file)
    assert listed(cli)[1]["active"] is True
    assert cli("deployment", "resume", *SIGN, stdin=PW).code == 1


def test_node_gone_after_a_broadcast_then_resume(cli: Cli, model_file: Path, monkeypatch) -> None:
    """The 4th transaction (chunk 3) reached the chain but its receipt never came: resuming takes it, not resends."""
    rita = cli.ok("account", "list", "--json").json()[0]["address"]
    with monkeypatch.context() as mp:
        fail_on(mp, "wait", 4, requests.ConnectionError("node gone"))
        stopped = cli("deployment", "new", "--model", str(model_file), *SIGN, stdin=PW)
    assert stopped.code == 1 and "node stopped answering" in stopped.err
    assert "parameter chunks uploaded: 2" in stopped.err and "(chunk:2) was sent but not seen mined" in stopped.err
    assert nonce(cli, rita) == 4
    made = cli.ok("deployment", "resume", *SIGN, "--json", stdin=PW).json()
    assert nonce(cli, rita) == 6  # the chunk sent before the node went away was not sent again
    check_deployed(cli, made["trainer"], model_file)


def test_abandon_forgets(cli: Cli, model_file: Path, monkeypatch) -> None:
    assert cli("deployment", "abandon").code == 1  # nothing to abandon
    with monkeypatch.context() as mp:
        fail_on(mp, "send_raw", 2, ChainError("The node refused the transaction: test fault."))
        assert cli("deployment", "new", "--model", str(model_file), *SIGN, stdin=PW).code == 1
    gone = cli.ok("deployment", "abandon", "--json").json()
    assert gone["abandoned"] == "gapped" and gone["chunks_uploaded"] == 0 and gone["entry_point"] is None
    assert Web3.is_checksum_address(gone["model_contract"]) and "stays on the chain" in gone["note"]
    assert cli.ok("deployment", "list").err == ""
    assert cli("deployment", "resume", *SIGN, stdin=PW).code == 1
    assert len(listed(cli)) == 1
    made = cli.ok("deployment", "new", "--model", str(model_file), *SIGN, "--json", stdin=PW).json()
    assert made["classifier"] != gone["model_contract"]  # a new start: the abandoned contract stays unused


def test_use_switches_and_contributions_follow(cli: Cli, model_file: Path) -> None:
    (default,) = listed(cli)
    added = cli.ok("contribute", "--label", "Positive", GOOD, *SIGN, "--json", stdin=PW).json()
    made = cli.ok("deployment", "new", "--model", str(model_file), *SIGN, "--json", stdin=PW).json()
    assert cli.ok("contributions", "--json").json() == []  # the new one is active: nothing on it yet
    assert cli.ok("status", "--json").json()["model"] == "gapped"
    used = cli.ok("deployment", "use", default["trainer"].lower(), "--json").json()
    assert used["active"] is True and used["trainer"] == default["trainer"] and used["contributions"] == 1
    assert [c["id"] for c in cli.ok("contributions", "--json").json()] == [added["id"]]
    assert cli.ok("status", "--json").json()["model"] == "imdb-default"
    assert [(r["name"], r["active"], r["contributions"]) for r in listed(cli)] == [
        ("imdb-default", True, 1),
        ("gapped", False, 0),
    ]
    # Remove the other one, add it back: known again, but the choice stays.
    assert cli.ok("deployment", "remove", made["trainer"], "--json").json()["removed"] == made["trainer"]
    assert [r["name"] for r in listed(cli)] == ["imdb-default"]
    cli.ok("deployment", "add", made["trainer"], "--model-file", str(model_file))
    assert [(r["name"], r["active"]) for r in listed(cli)] == [("imdb-default", True), ("gapped", False)]
    cli.ok("deployment", "use", made["trainer"])
    assert cli.ok("status", "--json").json()["model"] == "gapped"
    unknown = cli("deployment", "use", FAUCET)
    assert unknown.code == 1 and "deployment add" in unknown.err
    assert cli("deployment", "use", "0x1234").code == 1


def test_remove_refusals(cli: Cli, model_file: Path) -> None:
    (default,) = listed(cli)
    refused = cli("deployment", "remove", default["trainer"])
    assert refused.code == 1 and "default model" in refused.err and "deployment use" in refused.err
    made = cli.ok("deployment", "new", "--model", str(model_file), *SIGN, "--json", stdin=PW).json()
    refused = cli("deployment", "remove", made["trainer"])
    assert refused.code == 1 and "is the active deployment" in refused.err and default["trainer"] in refused.err
    cli.ok("deployment", "use", default["trainer"])
    refused = cli("deployment", "remove", default["trainer"])  # the default stays, active or not
    assert refused.code == 1 and "default model" in refused.err
    assert cli("deployment", "remove", FAUCET).code == 1  # not known
    assert cli("deployment", "remove", "not-an-address").code == 1
    assert cli("deployment", "remove").code == 2
    assert len(listed(cli)) == 2
    assert cli.ok("status", "--json").json()["trainer"] == default["trainer"]  # no new default was deployed


CHILD = """
import os, signal, sys
from pathlib import Path
from dacwallet.chain.transactions import TransactionSender
from dacwallet.usecases.context import open_wallet

where = sys.argv[2]
if where == "receipt":  # the first chunk is mined, the process dies before it hears so
    original = TransactionSender.wait
    def wait(self, tx_hash, tx, *, action):
        if action.startswith("Uploading"):
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, tx_hash, tx, action=action)
    TransactionSender.wait = wait

def progress(step, done, total):
    print(step, flush=True)
    if where == "step" and done == 1:  # the model contract is deployed and recorded
        os.kill(os.getpid(), signal.SIGKILL)

open_wallet(Path(sys.argv[1]), on_progress=progress)
print("finished", flush=True)
"""


@pytest.mark.parametrize("where", ["step", "receipt"])
def test_first_start_killed_part_way_resumes(tmp_path: Path, where: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path), where],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == -signal.SIGKILL, run.stdout + run.stderr
    assert "finished" not in run.stdout
    db = open_database(tmp_path)
    try:
        (chain_key,) = [r["chain_key"] for r in db.execute("SELECT chain_key FROM networks")]
        saved = deploy_progress.load(db, chain_key, deploy_progress.DEFAULT_SLOT)
    finally:
        db.close()
    progress = DeploymentProgress.from_dict(saved.progress)
    assert progress.classifier is not None and progress.trainer is None
    assert (progress.pending is not None) == (where == "receipt")
    ctx = open_wallet(tmp_path)
    try:
        assert ctx.deployment is not None and ctx.deployment.classifier == progress.classifier
        assert ctx.deployment.name == "imdb-default"
        assert ctx.w3.eth.get_transaction_count(FAUCET) == 4  # model, one chunk, entry point, hand-over: once each
        assert deploy_progress.load(ctx.db, ctx.chain_key, deploy_progress.DEFAULT_SLOT) is None
        assert attach(ctx.w3, ctx.deployment.trainer) == ctx.deployment
    finally:
        ctx.close()


@pytest.mark.anvil
def test_anvil_node_gone_half_way_then_resume(tmp_path: Path, capsys) -> None:
    """A real anvil behind a proxy takes the third transaction and then stops answering; resuming once it is
    back finishes the deployment without sending anything twice."""
    from tests.support.chains import run_anvil
    from tests.support.rpc_proxy import RpcProxy, no_faults

    gone = {"yes": False}

    def node_goes_away(method: str, params, n: int) -> str | None:
        if gone["yes"]:
            return "down"
        if method == "eth_sendRawTransaction" and n == 2:  # the second chunk: taken, but never answered
            gone["yes"] = True
            return "lose"
        return None

    model = gapped_model(tmp_path / "gapped.json")
    with run_anvil(n_accounts=3) as node, RpcProxy(node.w3.provider.endpoint_uri) as proxy:
        cli = Cli(tmp_path / "data", proxy.url, capsys)
        key = node.accounts[2].key.hex()
        dev = cli.ok("account", "import", "dev", "--json", stdin=f"{key}\ndev-cedar-violet-64\n").json()["address"]
        assert cli.ok("deployment", "list", "--json").json() == []
        proxy.set_rule(node_goes_away)
        stopped = cli(
            "deployment",
            "new",
            "--model",
            str(model),
            "--account",
            "dev",
            "--password-stdin",
            stdin="dev-cedar-violet-64\n",
        )
        assert stopped.code == 1 and "dacwallet deployment resume" in stopped.err, stopped.err
        assert "parameter chunks uploaded: 1" in stopped.err and "(chunk:1) was sent but not seen mined" in stopped.err
        assert node.w3.eth.get_transaction_count(dev) == 3  # the model contract, chunk 1, chunk 2 (taken)
        proxy.set_rule(no_faults)  # the node is back
        assert "unfinished deployment" in cli.ok("deployment", "list").err
        unfinished = cli.ok("activity", "--account", "dev", "--json").json()
        assert [(r["kind"], r["state"]) for r in unfinished] == [("deployment", "unfinished")]
        made = cli.ok("deployment", "resume", "--password-stdin", "--json", stdin="dev-cedar-violet-64\n").json()
        assert node.w3.eth.get_transaction_count(dev) == 6
        [deployed] = cli.ok("activity", "--account", "dev", "--json").json()  # in the account's activity
        assert (deployed["kind"], deployed["state"], deployed["to"]) == ("deployment", "mined", made["trainer"])
        assert "6 transactions" in deployed["detail"] and int(deployed["fee_wei"]) > 0
        found = attach(node.w3, made["trainer"])
        assert found.name == "gapped" and found.classifier == made["classifier"]
        rows = cli.ok("deployment", "list", "--json").json()
        assert [(r["trainer"], r["active"], r["default"]) for r in rows] == [(made["trainer"], True, False)]
        assert cli.ok("status", "--json").json()["model"] == "gapped"
        # Not the embedded chain: the only (active) deployment may be removed; then no model is active, said so.
        removed = cli.ok("deployment", "remove", made["trainer"], "--json").json()
        assert removed["removed"] == made["trainer"] and "no model is active" in removed["note"]
        assert cli.ok("deployment", "list", "--json").json() == []
        no_model = cli("predict", GOOD)
        assert no_model.code == 1 and "deployment add" in no_model.err
