"""Bad input from a user or a peer: every case ends in success or a clear error, never a traceback.
Each fuzzer counts what it tried (a Tally per input kind); hypothesis runs derandomized."""

from __future__ import annotations

import os

import pytest
from eth_utils import keccak

from dacwallet.store.db import open_database
from dacwallet.sync.decode import EVENT_TOPICS
from dacwallet.sync.indexer import Indexer
from tests.resilience import fuzz
from tests.resilience import node_faults as nf
from tests.resilience.harness import cheap_test_env, http_w3, run_argv
from tests.support.rpc_proxy import RpcProxy
from tests.sync.support import HOSTILE_RUNTIME, deploy_small

EXAMPLES = 60


def assert_all_clear(tally, minimum: int = EXAMPLES) -> None:
    assert tally.tried >= minimum, f"{tally.scenario}: only {tally.tried} cases ran"
    assert tally.survived == tally.tried, tally.failures


def test_private_keys(tmp_path) -> None:
    assert_all_clear(fuzz.fuzz_private_keys(tmp_path, EXAMPLES))


def test_mnemonics(tmp_path) -> None:
    assert_all_clear(fuzz.fuzz_mnemonics(tmp_path, EXAMPLES))


def test_keystore_json(tmp_path) -> None:
    assert_all_clear(fuzz.fuzz_keystore_json(tmp_path, EXAMPLES))


def test_account_names_and_passwords(tmp_path) -> None:
    assert_all_clear(fuzz.fuzz_account_names_and_passwords(tmp_path, EXAMPLES))


def test_rpc_urls_and_chain_ids() -> None:
    assert_all_clear(fuzz.fuzz_rpc_urls(2 * EXAMPLES), 2 * EXAMPLES)


def test_labels() -> None:
    assert_all_clear(fuzz.fuzz_labels(2 * EXAMPLES), 2 * EXAMPLES)


def test_review_text() -> None:
    assert_all_clear(fuzz.fuzz_review_text(EXAMPLES))


def test_event_logs_under_our_topics() -> None:
    trainer, incentive = "0x" + "11" * 20, "0x" + "22" * 20
    assert_all_clear(fuzz.fuzz_event_logs(fuzz_checksum(trainer), fuzz_checksum(incentive), 4 * EXAMPLES), 4 * EXAMPLES)


def fuzz_checksum(address: str) -> str:
    from eth_utils import to_checksum_address

    return to_checksum_address(address)


@pytest.fixture(scope="module")
def wallet(node, tmp_path_factory):
    with cheap_test_env(), RpcProxy(node.url) as proxy:
        yield nf.wallet_on(node.url, proxy, tmp_path_factory.mktemp("wallet"))


@pytest.mark.anvil
def test_deployment_addresses(wallet) -> None:
    d = wallet.deployment
    assert_all_clear(
        fuzz.fuzz_addresses(
            http_w3(wallet.proxy.url), [d.classifier, d.data_handler, d.incentive_mechanism], EXAMPLES // 2
        ),
        EXAMPLES // 2,
    )


@pytest.mark.anvil
def test_cli_argv(wallet) -> None:
    assert_all_clear(fuzz.fuzz_cli_argv(wallet.data_dir, wallet.proxy.url, 2 * EXAMPLES), 2 * EXAMPLES)


@pytest.mark.anvil
@pytest.mark.parametrize(
    "text, says",
    [
        ("", "empty"),
        ("\x00\x01\x02", "known"),
        ("😀🎬" * 400, "known"),
        ("great " * 5000, "limit"),
        ("\u202eevif\u202c \u0645\u0631\u062d\u0628\u0627", "known"),
    ],
)
def test_unusable_reviews_are_refused_before_signing(wallet, text, says) -> None:
    run = wallet.cli("contribute", "--password-stdin", "--label", "Positive", text, stdin=wallet.password + "\n")
    assert run.crash is None and run.code == 1 and says in run.err


@pytest.mark.anvil
@pytest.mark.parametrize(
    "args",
    [
        ("--chain-id", "1", "status"),
        ("--chain-id", "x", "status"),
        ("--network", "ftp://127.0.0.1:1", "status"),
        ("--network", "", "status"),
    ],
)
def test_wrong_networks_and_chain_ids_are_refused(wallet, args) -> None:
    result = run_argv(["--data-dir", str(wallet.data_dir), "--network", wallet.proxy.url, *args])
    assert result.clear and result.code in (1, 2), (result.err, result.crash)


@pytest.mark.anvil
def test_import_from_a_missing_keystore_file_says_so(wallet, tmp_path) -> None:
    run = wallet.cli("account", "import", "bob", "--keystore", str(tmp_path / "missing.json"), stdin="a\nb\n")
    assert run.clear and run.code == 1 and "Cannot read the keystore file" in run.err


@pytest.mark.anvil
def test_export_to_an_unwritable_path_says_so(wallet, tmp_path) -> None:
    run = wallet.cli("account", "export", "alice", "--out", str(tmp_path / "no" / "such" / "dir.json"))
    assert run.clear and run.code == 1


@pytest.mark.anvil
def test_a_hostile_contract_at_the_entry_point_serves_garbage_logs_and_sync_skips_them(node, tmp_path) -> None:
    """anvil_setCode puts a contract that emits LOG2(first calldata word, caller, rest) at the trainer's
    address: each call emits a log under one of our topics with whatever data the attacker chose."""
    chain = nf.dev_chain(node.url)
    deployment = deploy_small(chain)
    chain.w3.provider.make_request("anvil_setCode", [deployment.trainer, "0x" + HOSTILE_RUNTIME.hex()])
    sender = chain.sender(1)
    sent = 0
    for topic in sorted(EVENT_TOPICS):
        for garbage in (
            b"",
            os.urandom(31),
            os.urandom(64),
            (2**255).to_bytes(32, "big") * 3,
            (32).to_bytes(32, "big") + (2**64).to_bytes(32, "big") + os.urandom(96),
        ):
            sender.transact(
                {"to": deployment.trainer, "data": "0x" + (topic + garbage).hex(), "gas": 200_000}, action="garbage"
            )
            sent += 1
    conn = open_database(tmp_path)
    report = Indexer(chain.w3, conn, nf.CHAIN_KEY, deployment).sync()
    stored = sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("sync_contributions", "sync_claims"))
    # Every garbage log is either skipped and counted, or had exactly the shape of a real event.
    assert report.skipped + stored == sent and report.skipped >= sent // 2, (report, stored)
    assert keccak(text="AddData(int64[],uint64,uint256,address,uint256)") in EVENT_TOPICS


def test_a_broken_ipv6_url_is_refused_clearly() -> None:
    result = run_argv(["--network", "http://[::1", "status"])
    assert result.clear and result.code == 1, result.crash
