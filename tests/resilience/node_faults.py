"""Node-fault scenarios: the indexer and the wallet behind the fault-injecting proxy, reorgs made with
evm_snapshot/evm_revert, and a node restarted (state lost) at the same address.

Each scenario returns a Tally; "lost" counts index rows missing or doubled against a clean sync,
and contributions whose transaction is on the chain twice, or on the chain while the store says
otherwise (after the journal was resolved), or said "added" while not on the chain.
"""

from __future__ import annotations

import json
import random
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account

from dacwallet.chain.connect import NetworkSpec
from dacwallet.contracts.deployment import Deployment
from dacwallet.errors import DacwalletError
from dacwallet.store.db import open_database
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.retry import RetryPolicy
from dacwallet.usecases.context import open_wallet
from tests.resilience.harness import DEV_KEYS, Tally, deploy_default, http_w3, run_cli
from tests.resilience.nodes import AnvilProcess
from tests.support.chains import ANVIL_MNEMONIC, DevChain
from tests.support.crash_child import vocab_words
from tests.support.rpc_proxy import RpcProxy, no_faults
from tests.support.trainer import TrainerClient
from tests.sync.support import deploy_small, dump

CHAIN_KEY = "resilience"
TRANSPORT_FAULTS = ("delay:0.05", "drop", "lose", "429", "down")
LOG_FAULTS = ("range", "results")
FAST_RETRY = RetryPolicy(attempts=8, base_delay_s=0.01, max_delay_s=0.05)
MAX_SYNC_ATTEMPTS = 6


def random_rule(seed: int, rate: float, kinds: tuple[str, ...], methods: set[str] | None = None):
    """Faults ``rate`` of the calls (of ``methods``, default all) with a kind drawn from ``kinds``;
    the range/result-size kinds only on eth_getLogs."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def rule(method: str, params: object, n: int) -> str | None:
        if methods is not None and method not in methods:
            return None
        with lock:
            if rng.random() >= rate:
                return None
            kind = rng.choice(kinds)
        if kind in LOG_FAULTS and method != "eth_getLogs":
            return "429"
        return kind

    return rule


def dev_chain(url: str, n_accounts: int = 3) -> DevChain:
    Account.enable_unaudited_hdwallet_features()
    accounts = [Account.from_mnemonic(ANVIL_MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(n_accounts)]
    return DevChain(w3=http_w3(url), accounts=accounts, kind="anvil")


def busy_deployment(chain: DevChain, empty_blocks: int = 300) -> Deployment:
    """A small model with contributions spread over a few hundred blocks, a refund and a report."""
    deployment = deploy_small(chain)
    client = TrainerClient(chain, deployment)
    added = [client.add(1 + i % 2, [i % 10], 1) for i in range(10)]
    chain.w3.provider.make_request("anvil_mine", [hex(empty_blocks)])
    added += [client.add(1 + i % 2, [i % 10, 10 + i % 7], 1) for i in range(6)]
    chain.advance(700)
    client.refund(1, added[0])
    client.report(1, added[5])
    return deployment


def clean_dump(url: str, deployment: Deployment, path: Path) -> dict:
    conn = open_database(path)
    try:
        Indexer(http_w3(url), conn, CHAIN_KEY, deployment).sync()
        return dump(conn)
    finally:
        conn.close()


def rows_lost(got: dict, want: dict) -> int:
    """Rows of a clean sync missing from ``got``, plus rows ``got`` holds more than once or that are not there."""
    lost = 0
    for table in ("sync_contributions", "sync_claims"):
        have, expected = Counter(got[table]), Counter(want[table])
        lost += sum((expected - have).values()) + sum((have - expected).values())
    return lost


def sync_until_done(indexer: Indexer, proxy: RpcProxy) -> tuple[int, str | None]:
    """Syncs until it finishes; a clear error means "sync again" (the last attempt runs with the faults off).
    Returns (clear errors seen, the traceback of anything that was not a DacwalletError)."""
    clear = 0
    for attempt in range(MAX_SYNC_ATTEMPTS):
        if attempt == MAX_SYNC_ATTEMPTS - 1:
            proxy.set_rule(no_faults)
        try:
            indexer.sync()
            return clear, None
        except DacwalletError as exc:
            assert exc.user_message
            clear += 1
        except Exception:
            proxy.set_rule(no_faults)
            try:
                indexer.sync()
            except Exception:
                pass
            return clear, traceback.format_exc(limit=3)
    return clear, None


def indexer_under_faults(
    url: str,
    deployment: Deployment,
    tmp: Path,
    *,
    rounds: int,
    seed: int,
    rate: float,
    kinds: tuple[str, ...],
    name: str,
) -> Tally:
    """Each round indexes the deployment from scratch through the proxy and compares with a clean sync."""
    tally = Tally(name)
    want = clean_dump(url, deployment, tmp / "clean.sqlite")
    rng = random.Random(seed)
    for r in range(rounds):
        with RpcProxy(url, random_rule(seed * 1000 + r, rate, kinds)) as proxy:
            conn = open_database(tmp / f"{name}-{r}.sqlite")
            indexer = Indexer(
                http_w3(proxy.url, timeout=5),
                conn,
                CHAIN_KEY,
                deployment,
                initial_range=rng.choice([3, 16, 64, 2000]),
                retry=FAST_RETRY,
            )
            _, crash = sync_until_done(indexer, proxy)
            lost = rows_lost(dump(conn), want)
            conn.close()
        tally.lost += lost
        if crash is not None:
            tally.fail(f"round {r}: not a DacwalletError: {crash.strip().splitlines()[-1]}")
        elif lost:
            tally.fail(f"round {r}: {lost} rows differ from a clean sync")
        else:
            tally.ok()
    return tally


def reorgs(chain: DevChain, deployment: Deployment, tmp: Path, *, rounds: int, seed: int) -> Tally:
    """Index, revert the chain to a snapshot, build a different branch (longer or shorter), index again."""
    tally = Tally("reorg (evm_snapshot / evm_revert)")
    rng = random.Random(seed)
    client = TrainerClient(chain, deployment)
    conn = open_database(tmp / "reorg.sqlite")
    indexer = Indexer(chain.w3, conn, CHAIN_KEY, deployment, initial_range=rng.choice([2, 8, 100]))
    indexer.sync()
    for r in range(rounds):
        snapshot = chain.w3.provider.make_request("evm_snapshot", [])["result"]
        for i in range(rng.randint(1, 3)):
            client.add(1, [100 + r, 200 + i], 1)
        chain.w3.provider.make_request("anvil_mine", [hex(rng.randint(0, 5))])
        indexer.sync()
        chain.w3.provider.make_request("evm_revert", [snapshot])
        for i in range(rng.randint(0, 2)):
            client.add(2, [300 + r, 400 + i], 0)
        chain.w3.provider.make_request("anvil_mine", [hex(rng.randint(0, 6))])
        try:
            report = indexer.sync()
        except Exception:
            tally.fail(f"round {r}: {traceback.format_exc(limit=2).strip().splitlines()[-1]}")
            continue
        lost = rows_lost(dump(conn), clean_dump_w3(chain, deployment, tmp / f"reorg-clean-{r}.sqlite"))
        tally.lost += lost
        if lost:
            tally.fail(f"round {r}: {lost} rows differ after rolling back {report.rolled_back_blocks} blocks")
        else:
            tally.ok()
    conn.close()
    return tally


def clean_dump_w3(chain: DevChain, deployment: Deployment, path: Path) -> dict:
    conn = open_database(path)
    try:
        Indexer(chain.w3, conn, CHAIN_KEY, deployment).sync()
        return dump(conn)
    finally:
        conn.close()


# ----------------------------------------------------------------------------- the wallet


@dataclass
class WalletSetup:
    data_dir: Path
    proxy: RpcProxy
    deployment: Deployment
    password: str = "resilience-opal-quarry-35"

    def cli(self, *args: str, stdin: str = ""):
        return run_cli(self.data_dir, self.proxy.url, *args, stdin=stdin)


def wallet_on(node_url: str, proxy: RpcProxy, data_dir: Path, deployment: Deployment | None = None) -> WalletSetup:
    """A data folder with the default model known and anvil's account 1 imported as 'alice'."""
    deployment = deployment or deploy_default(http_w3(node_url))
    setup = WalletSetup(data_dir, proxy, deployment)
    for args, stdin in (
        (("deployment", "add", deployment.trainer, "--model-file", "default"), ""),
        (("account", "import", "alice"), f"{DEV_KEYS[1]}\n{setup.password}\n"),
    ):
        run = setup.cli(*args, stdin=stdin)
        assert run.code == 0, (run.err, run.crash)
    return setup


def review(rng: random.Random, words: list[str]) -> str:
    """A short review no earlier round used (five vocabulary words, so it encodes to its own features)."""
    return " ".join(rng.sample(words, 5))


def wallet_under_faults(
    node_url: str, setup: WalletSetup, *, rounds: int, seed: int, rate: float, kinds: tuple[str, ...] = TRANSPORT_FAULTS
) -> Tally:
    """Random commands (status, account list, contributions, contribute) through a faulty node; afterwards,
    with the node healthy, the store and the chain must agree about every contribution, each sent once."""
    tally = Tally("wallet CLI under node faults")
    rng = random.Random(seed)
    words = vocab_words(0, 3000)
    attempts: list[tuple[str, int | None]] = []
    for r in range(rounds):
        command = rng.choice(["status", "account list", "contributions", "contribute", "contribute"])
        setup.proxy.set_rule(random_rule(seed * 1000 + r, rate, kinds))
        if command == "contribute":
            text = review(rng, words)
            run = setup.cli(
                "contribute", "--password-stdin", "--label", "Positive", text, "--json", stdin=setup.password + "\n"
            )
            attempts.append((text, run.code))
        else:
            run = setup.cli(*command.split(), "--json")
        if run.clear:
            tally.ok()
        else:
            why = run.crash.strip().splitlines()[-1] if run.crash else f"exit {run.code}: {run.err.strip()[:80]}"
            tally.fail(f"round {r} ({command}): {why}")
    setup.proxy.set_rule(no_faults)
    settle = setup.cli("contributions", "--json")  # a healthy run resolves whatever the journal holds
    assert settle.code == 0, (settle.err, settle.crash)
    tally.lost += contributions_lost(node_url, setup, attempts, tally)
    return tally


def contributions_lost(node_url: str, setup: WalletSetup, attempts: list[tuple[str, int | None]], tally: Tally) -> int:
    """Compares each attempted contribution's stored row with the AddData events on the chain."""
    on_chain = Counter()
    conn = open_database(setup.data_dir / "check-index")
    try:
        Indexer(http_w3(node_url), conn, CHAIN_KEY, setup.deployment).sync()
        for (data,) in conn.execute("SELECT data FROM sync_contributions"):
            on_chain[tuple(json.loads(data))] += 1
    finally:
        conn.close()
    wallet = open_wallet(setup.data_dir, NetworkSpec.parse(setup.proxy.url))
    try:
        stored = {row["text"]: row for row in wallet.db.execute("SELECT text, data, state FROM contributions")}
    finally:
        wallet.close()
    lost = 0
    for text, code in attempts:
        row = stored.get(text)
        count = on_chain[tuple(json.loads(row["data"]))] if row is not None else 0
        problem = None
        if count > 1:
            problem = f"sent {count} times"
        elif code == 0 and count == 0:
            problem = "the CLI said added, the chain has nothing"
        elif count == 1 and (row is None or row["state"] != "added"):
            problem = f"on the chain but stored as {row['state'] if row else 'nothing'}"
        elif row is None and code == 0:
            problem = "what the user typed was not saved"
        if problem:
            lost += 1
            tally.failures.append(f"{text!r}: {problem}")
    return lost


def node_reset(tmp: Path) -> Tally:
    """anvil stopped (the wallet says it is not answering) and started again at the same address with
    nothing in it: the wallet says the node was reset, drops that chain's cached state, and goes on."""
    tally = Tally("node restarted (state lost)")

    def check(condition: bool, why: str) -> None:
        tally.ok() if condition else tally.fail(why)

    with AnvilProcess() as node, RpcProxy(node.url) as proxy:
        setup = wallet_on(node.url, proxy, tmp / "reset-wallet")
        added = setup.cli(
            "contribute",
            "--password-stdin",
            "--label",
            "Positive",
            "a wonderful brilliant film",
            "--json",
            stdin=setup.password + "\n",
        )
        check(added.code == 0, f"contribute before the restart: {added.err or added.crash}")
        before = setup.cli("status", "--json")
        old_key = f"{before.json_value()['chain_id']}:" if before.code == 0 else None
        node.stop()
        for args in (("status",), ("contributions",)):
            run = setup.cli(*args)
            check(
                run.clear and run.code == 1 and "not answering" in run.err,
                f"{' '.join(args)} while the node is down: exit {run.code} {run.err.strip()[:80]} {run.crash or ''}",
            )
        listed = setup.cli("account", "list", "--json")
        check(
            listed.code == 1 or listed.json_value()[0]["balance_wei"] is None,
            "a node that does not answer must never show a zero balance",
        )
        time.sleep(1.1)  # anvil's genesis carries its start second: make sure the new chain is another one
        node.start()
        status = setup.cli("status", "--json")
        reset_from = status.json_value().get("reset_from") if status.code == 0 else None
        check(
            reset_from is not None and old_key is not None and reset_from.startswith(old_key),
            f"status after the restart must say the node was reset: {status.out or status.err}",
        )
        again = setup.cli("status", "--json")
        check(again.code == 0 and again.json_value()["reset_from"] is None, "the reset is reported once")
        stale = setup.cli("contributions")
        check(
            stale.code == 1 and "deployment add" in stale.err,
            f"after a reset the old model is gone and the wallet says what to do: {stale.err} {stale.crash or ''}",
        )
        redeployed = deploy_default(http_w3(node.url))
        readd = setup.cli("deployment", "add", redeployed.trainer, "--model-file", "default")
        check(readd.code == 0, f"adding the model again: {readd.err} {readd.crash or ''}")
        redo = setup.cli(
            "contribute",
            "--password-stdin",
            "--label",
            "Positive",
            "a wonderful brilliant film",
            "--json",
            stdin=setup.password + "\n",
        )
        check(redo.code == 0, f"contributing on the new chain: {redo.err} {redo.crash or ''}")
    return tally


# ----------------------------------------------------------------------------- answers of the wrong shape

_REVIEW = "A wonderful film: brilliant acting, a moving story and a great score."
# (method, the JSON result the proxy answers instead, the command, what its message must name)
WRONG_SHAPES = [
    ("eth_chainId", json.dumps("0x" + "f" * 50_000_000), ("status",), "eth_chainId"),
    ("eth_chainId", '{"id": 1}', ("status",), "eth_chainId"),
    ("eth_getBlockByNumber", '"latest"', ("status",), "eth_getBlockByNumber"),
    ("eth_call", '"0x"', ("status",), "could not be read"),
    ("eth_call", "12", ("predict", _REVIEW), "eth_call"),
    ("eth_estimateGas", '"lots"', ("contribute",), "eth_estimateGas"),
    ("eth_getLogs", '"no logs"', ("reportable",), "eth_getLogs"),
    ("eth_getLogs", '[{"blockNumber": {"x": 1}}]', ("reportable",), "eth_getLogs"),
    ("eth_getTransactionReceipt", '"mined"', ("contribute",), "eth_getTransactionReceipt"),
]


def wrong_shape_failure(
    setup: WalletSetup, method: str, result: str, command: tuple[str, ...], says: str
) -> str | None:
    """One answer of the wrong shape through the proxy: None when the command said so (exit 1), took nothing from
    it (not a reset, nothing lost, a contribution sent before it settled once) and the wallet works after it."""
    before = setup.cli("contributions", "--json").json_value()
    text = f"({method} {len(before)}) {_REVIEW}"
    http_w3(setup.proxy.upstream).provider.make_request("anvil_mine", ["0x1"])  # a new block: logs to ask for
    setup.proxy.set_rule(lambda m, params, n: f"result:{result}" if m == method else None)
    try:
        run = (
            setup.cli(
                "contribute", "--password-stdin", "--label", "Positive", text, "--json", stdin=setup.password + "\n"
            )
            if command == ("contribute",)
            else setup.cli(*command)
        )
    finally:
        setup.proxy.set_rule(no_faults)
    if run.crash is not None or run.code != 1 or says not in run.err:
        return f"{method}: exit {run.code} {run.err.strip()[:100]} {(run.crash or '').strip()[-100:]}"
    status = setup.cli("status", "--json")
    if status.code != 0 or status.json_value()["reset_from"] is not None:
        return f"{method}: the wallet took the answer for another chain, or does not open: {status.err[:100]}"
    after = {c["text"] for c in setup.cli("contributions", "--json").json_value()}
    if any(c["text"] not in after for c in before):
        return f"{method}: a contribution is missing after the bad answer"
    tally = Tally("settled")
    if command == ("contribute",) and contributions_lost(setup.proxy.upstream, setup, [(text, None)], tally):
        return f"{method}: {tally.failures}"
    return None


def wrong_shapes(setup: WalletSetup) -> Tally:
    tally = Tally("node answers of the wrong shape / size")
    for case in WRONG_SHAPES:
        failure = wrong_shape_failure(setup, *case)
        tally.ok() if failure is None else tally.fail(failure)
    return tally
