"""The embedded chain behaves like a node, persists, travels in time and refuses clearly."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web3 import Web3
from web3._utils.transactions import fill_transaction_defaults
from web3.exceptions import ContractLogicError, TransactionNotFound, Web3RPCError

from dacwallet.chain.embedded import FAUCET_GENESIS_WEI, EmbeddedChain, open_embedded_chain
from dacwallet.errors import ChainError
from dacwallet.paths import resources_dir

REPO = Path(__file__).resolve().parents[2]
STORED_TOPIC = keccak(b"Stored(uint256,address)")
REASON = "value too small"

# --- a hand-assembled test contract ---------------------------------------------

_OPCODES = {
    "STOP": 0x00,
    "LT": 0x10,
    "EQ": 0x14,
    "SHL": 0x1B,
    "SHR": 0x1C,
    "CALLER": 0x33,
    "CALLDATALOAD": 0x35,
    "CODECOPY": 0x39,
    "TIMESTAMP": 0x42,
    "MSTORE": 0x52,
    "SLOAD": 0x54,
    "SSTORE": 0x55,
    "JUMPI": 0x57,
    "JUMPDEST": 0x5B,
    "DUP1": 0x80,
    "DUP2": 0x81,
    "LOG3": 0xA3,
    "RETURN": 0xF3,
    "REVERT": 0xFD,
}


def assemble(source: str) -> bytes:
    """Tiny two-pass assembler: opcodes, ``PUSHn 0x..``, ``label:`` and ``@label`` (PUSH2)."""
    tokens = source.split()
    labels: dict[str, int] = {}
    for final in (False, True):
        code = bytearray()
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.endswith(":"):
                labels[token[:-1]] = len(code)
                code.append(_OPCODES["JUMPDEST"])
            elif token.startswith("@"):
                code += b"\x61" + labels.get(token[1:], 0).to_bytes(2, "big")
            elif token.startswith("PUSH"):
                width = int(token[4:])
                i += 1
                code += bytes([0x5F + width]) + int(tokens[i], 16).to_bytes(width, "big")
            else:
                code.append(_OPCODES[token])
            i += 1
        if final:
            return bytes(code)
    raise AssertionError("unreachable")


def _error_string(reason: str) -> str:
    """Store Error(string) revert data for a short reason at memory 0 and revert."""
    padded = reason.encode().ljust(32, b"\0")
    return (
        f"PUSH4 0x08c379a0 PUSH1 0xe0 SHL PUSH1 0x00 MSTORE "
        f"PUSH1 0x20 PUSH1 0x04 MSTORE PUSH1 {hex(len(reason))} PUSH1 0x24 MSTORE "
        f"PUSH32 0x{padded.hex()} PUSH1 0x44 MSTORE PUSH1 0x64 PUSH1 0x00 REVERT"
    )


# Calldata is one op byte then a 32-byte word:
#   0x01 store(v): reverts with REASON if v < 10; else sstore(0, v) and
#        LOG3(data=v, Stored, topic1=v, topic2=caller)
#   0x03 load() -> sload(0);   0x04 now() -> block.timestamp;   else: empty revert
RUNTIME = assemble(f"""
    PUSH1 0x00 CALLDATALOAD PUSH1 0xf8 SHR
    DUP1 PUSH1 0x01 EQ @store JUMPI
    DUP1 PUSH1 0x03 EQ @load JUMPI
    DUP1 PUSH1 0x04 EQ @now JUMPI
    PUSH1 0x00 DUP1 REVERT
  store:
    PUSH1 0x0a PUSH1 0x01 CALLDATALOAD LT @fail JUMPI
    PUSH1 0x01 CALLDATALOAD DUP1 PUSH1 0x00 SSTORE DUP1 PUSH1 0x00 MSTORE
    CALLER DUP2 PUSH32 0x{STORED_TOPIC.hex()} PUSH1 0x20 PUSH1 0x00 LOG3 STOP
  fail:
    {_error_string(REASON)}
  load:
    PUSH1 0x00 SLOAD PUSH1 0x00 MSTORE PUSH1 0x20 PUSH1 0x00 RETURN
  now:
    TIMESTAMP PUSH1 0x00 MSTORE PUSH1 0x20 PUSH1 0x00 RETURN
""")
_LOADER_LENGTH = 13
INITCODE = (
    assemble(f"PUSH2 {hex(len(RUNTIME))} DUP1 PUSH2 {hex(_LOADER_LENGTH)} PUSH1 0x00 CODECOPY PUSH1 0x00 RETURN")
    + RUNTIME
)


def store_data(value: int) -> bytes:
    return b"\x01" + value.to_bytes(32, "big")


# --- helpers -------------------------------------------------------------------


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[EmbeddedChain]:
    with open_embedded_chain(tmp_path / "chain") as opened:
        yield opened


def funded(chain: EmbeddedChain) -> LocalAccount:
    account = Account.create()
    chain.fund(account.address, 10**21)
    return account


def send(chain: EmbeddedChain, account: LocalAccount, **tx: Any) -> dict[str, Any]:
    """Sign with the account (as the wallet does) with web3-estimated fees and gas."""
    w3 = chain.w3
    tx.setdefault("chainId", w3.eth.chain_id)
    tx.setdefault("nonce", w3.eth.get_transaction_count(account.address, "pending"))
    tx.setdefault("maxPriorityFeePerGas", w3.eth.max_priority_fee)
    tx.setdefault("maxFeePerGas", 2 * w3.eth.get_block("latest")["baseFeePerGas"] + tx["maxPriorityFeePerGas"])
    if "gas" not in tx:
        tx["gas"] = w3.eth.estimate_gas({"from": account.address, **tx})
    signed = account.sign_transaction(tx)
    return w3.eth.get_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))


def deploy(chain: EmbeddedChain, account: LocalAccount) -> str:
    receipt = send(chain, account, data=INITCODE)
    assert receipt["status"] == 1
    return receipt["contractAddress"]


def load(chain: EmbeddedChain, address: str, block: int | str = "latest") -> int:
    return int.from_bytes(chain.w3.eth.call({"to": address, "data": b"\x03"}, block), "big")


# --- tests -----------------------------------------------------------------------


def test_fresh_chain_identity(chain: EmbeddedChain) -> None:
    w3 = chain.w3
    assert w3.eth.chain_id == 31338 == chain.chain_id
    assert w3.eth.block_number == 0
    assert w3.eth.get_balance(chain.faucet_address) == FAUCET_GENESIS_WEI
    genesis = w3.eth.get_block(0)
    assert genesis["hash"] == chain.genesis_hash
    assert genesis["gasLimit"] == chain.block_gas_limit == 60_000_000


def test_transfer_signed_elsewhere_is_mined_at_once(chain: EmbeddedChain) -> None:
    alice, bob = funded(chain), Account.create()
    receipt = send(chain, alice, to=bob.address, value=12345)
    assert receipt["status"] == 1 and receipt["gasUsed"] == 21_000
    assert receipt["blockNumber"] == chain.w3.eth.block_number == 2
    assert chain.w3.eth.get_balance(bob.address) == 12345
    assert chain.w3.eth.get_transaction_count(alice.address, "pending") == 1
    tx = chain.w3.eth.get_transaction(receipt["transactionHash"])
    assert tx["from"] == alice.address and tx["type"] == 2
    block = chain.w3.eth.get_block(receipt["blockHash"], full_transactions=True)
    assert block["transactions"][0]["hash"] == receipt["transactionHash"]


def test_web3_fills_type2_fees_and_gas(chain: EmbeddedChain) -> None:
    alice, bob = funded(chain), Account.create()
    w3 = chain.w3
    tx = {
        "from": alice.address,
        "to": bob.address,
        "value": 1,
        "nonce": w3.eth.get_transaction_count(alice.address, "pending"),
    }
    # What Contract.build_transaction does to fill fees and gas.
    filled = fill_transaction_defaults(w3, tx)
    assert filled["maxFeePerGas"] > filled["maxPriorityFeePerGas"] > 0
    signed = alice.sign_transaction(filled)
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))
    assert receipt["status"] == 1
    assert w3.eth.gas_price > 0
    history = w3.eth.fee_history(3, "latest", [50])
    assert len(history["baseFeePerGas"]) == 4 and len(history["reward"]) == 3


def test_contract_storage_logs_and_code(chain: EmbeddedChain) -> None:
    alice = funded(chain)
    address = deploy(chain, alice)
    assert chain.w3.eth.get_code(address) == RUNTIME
    receipt = send(chain, alice, to=address, data=store_data(42))
    assert load(chain, address) == 42
    [log] = receipt["logs"]
    assert log["address"] == address
    assert log["topics"] == [STORED_TOPIC, (42).to_bytes(32, "big"), bytes(12) + bytes.fromhex(alice.address[2:])]
    assert chain.w3.eth.get_logs({"fromBlock": 0, "address": address}) == [log]
    assert load(chain, address, receipt["blockNumber"] - 1) == 0


def test_revert_reason_reaches_web3(chain: EmbeddedChain) -> None:
    alice = funded(chain)
    address = deploy(chain, alice)
    request = {"from": alice.address, "to": address, "data": store_data(3)}
    with pytest.raises(ContractLogicError, match=REASON):
        chain.w3.eth.call(request)
    with pytest.raises(ContractLogicError, match=REASON):
        chain.w3.eth.estimate_gas(request)
    with pytest.raises(ContractLogicError, match="execution reverted"):
        chain.w3.eth.call({"to": address, "data": b"\x09"})
    # Sent anyway (gas given), a real node mines it as failed and spends the nonce.
    receipt = send(chain, alice, to=address, data=store_data(3), gas=100_000)
    assert receipt["status"] == 0
    assert chain.w3.eth.get_transaction_count(alice.address) == 2


def test_rejected_transaction_leaves_chain_untouched(chain: EmbeddedChain) -> None:
    alice, bob = funded(chain), Account.create()
    send(chain, alice, to=bob.address, value=1)
    head = chain.w3.eth.block_number
    with pytest.raises(Web3RPCError, match="nonce"):
        send(chain, alice, to=bob.address, value=1, nonce=0)
    poor = Account.create()
    with pytest.raises(Web3RPCError):
        send(chain, poor, to=bob.address, value=1, gas=21_000)
    assert chain.w3.eth.block_number == head
    send(chain, alice, to=bob.address, value=1)
    assert chain.w3.eth.get_balance(bob.address) == 2


def test_unknown_things_answer_none(chain: EmbeddedChain) -> None:
    with pytest.raises(TransactionNotFound):
        chain.w3.eth.get_transaction_receipt(b"\x11" * 32)
    assert chain.w3.provider.make_request("eth_getBlockByNumber", ["0x99", False])["result"] is None


def test_time_travel(chain: EmbeddedChain) -> None:
    alice = funded(chain)
    address = deploy(chain, alice)
    before = chain.now()
    after = chain.advance(7 * 86400)
    assert after >= before + 7 * 86400
    assert chain.now() == after == chain.w3.eth.get_block("latest")["timestamp"]
    # Calls see the new clock, and later blocks never go back.
    seen = int.from_bytes(chain.w3.eth.call({"to": address, "data": b"\x04"}), "big")
    assert seen > after
    receipt = send(chain, alice, to=address, data=store_data(11))
    assert chain.w3.eth.get_block(receipt["blockNumber"])["timestamp"] > after
    with pytest.raises(ValueError):
        chain.advance(-1)
    # Even a zero jump mines a block, and a block always moves time on.
    assert chain.advance(0) > chain.w3.eth.get_block(receipt["blockNumber"])["timestamp"]


def test_everything_survives_a_restart(tmp_path: Path) -> None:
    folder = tmp_path / "chain"
    with open_embedded_chain(folder) as chain:
        alice = funded(chain)
        address = deploy(chain, alice)
        send(chain, alice, to=address, data=store_data(77))
        clock = chain.advance(3 * 86400)
        seen = (
            chain.w3.eth.block_number,
            chain.w3.eth.get_balance(alice.address),
            chain.w3.eth.get_logs({"fromBlock": 0}),
            chain.genesis_hash,
            chain.w3.eth.get_block("latest"),
        )
    with open_embedded_chain(folder) as chain:
        assert (
            chain.w3.eth.block_number,
            chain.w3.eth.get_balance(alice.address),
            chain.w3.eth.get_logs({"fromBlock": 0}),
            chain.genesis_hash,
            chain.w3.eth.get_block("latest"),
        ) == seen
        assert load(chain, address) == 77
        assert chain.now() == clock
        # The clock offset persisted too: the next block is not back at wall time.
        receipt = send(chain, alice, to=address, data=store_data(78))
        assert chain.w3.eth.get_block(receipt["blockNumber"])["timestamp"] > clock
        assert chain.w3.eth.get_transaction_count(alice.address, "pending") == 3


def test_second_process_gets_a_clear_lock_error(chain: EmbeddedChain) -> None:
    script = (
        "import sys; from pathlib import Path\n"
        "from dacwallet.chain.embedded import open_embedded_chain\n"
        "from dacwallet.errors import ChainError\n"
        "try:\n    open_embedded_chain(Path(sys.argv[1]))\n"
        "except ChainError as e:\n    print(e.user_message); sys.exit(3)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(chain.data_dir)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 3, done.stderr
    assert f"The embedded chain in {chain.data_dir} is open in another dacwallet window" in done.stdout
    with pytest.raises(ChainError, match="open in another dacwallet window"):
        open_embedded_chain(chain.data_dir)
    assert chain.w3.eth.block_number == 0  # the first opener is unharmed


def test_corrupt_file_says_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "chain"
    open_embedded_chain(folder).close()
    (folder / "chain.sqlite3").write_bytes(b"this is not a database" * 100)
    for extra in folder.glob("chain.sqlite3-*"):
        extra.unlink()
    with pytest.raises(ChainError, match="damaged.*Restore chain.sqlite3 from a backup") as raised:
        open_embedded_chain(folder)
    assert "delete" not in raised.value.user_message and "aside" not in raised.value.user_message


def test_a_chain_of_the_old_py_evm_engine_says_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "chain"
    open_embedded_chain(folder).close()
    conn = sqlite3.connect(folder / "chain.sqlite3")
    with conn:
        conn.execute("UPDATE meta SET value = 1 WHERE name = 'format'")  # what py-evm's layout recorded
    conn.close()
    with pytest.raises(ChainError, match="earlier dacwallet.*Move or delete"):
        open_embedded_chain(folder)


# --- eth_getLogs against a brute-force scan ---------------------------------------------


@pytest.fixture(scope="module")
def busy_chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedChain, list]]:
    """Two contracts, three senders, a few dozen Stored logs spread over many blocks."""
    with open_embedded_chain(tmp_path_factory.mktemp("logs")) as chain:
        senders = [funded(chain) for _ in range(3)]
        contracts = [deploy(chain, senders[0]) for _ in range(2)]
        for i in range(36):
            send(chain, senders[i % 3], to=contracts[i % 2], data=store_data(10 + i % 5))
        yield chain, contracts


def _brute_force(chain: EmbeddedChain, spec: dict[str, Any]) -> list[Any]:
    head = chain.w3.eth.block_number
    found = []
    for number in range(spec["fromBlock"], min(spec["toBlock"], head) + 1):
        for tx_hash in chain.w3.eth.get_block(number)["transactions"]:
            for log in chain.w3.eth.get_transaction_receipt(tx_hash)["logs"]:
                addresses = spec.get("address") or []
                if addresses and log["address"] not in addresses:
                    continue
                wanted = spec.get("topics") or []
                if len(wanted) > len(log["topics"]) and any(wanted[len(log["topics"]) :]):
                    continue
                if all(not w or log["topics"][i] in w for i, w in enumerate(wanted)):
                    found.append(log)
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_get_logs_matches_brute_force(busy_chain: tuple[EmbeddedChain, list], data: st.DataObject) -> None:
    chain, contracts = busy_chain
    head = chain.w3.eth.block_number
    first = data.draw(st.integers(0, head))
    last = data.draw(st.integers(first, head + 2))
    spec: dict[str, Any] = {"fromBlock": first, "toBlock": last}
    addresses = data.draw(st.lists(st.sampled_from(contracts), max_size=2, unique=True))
    if addresses:
        spec["address"] = addresses
    values = [(10 + i).to_bytes(32, "big") for i in range(6)]
    topic_choice = st.one_of(
        st.none(), st.lists(st.sampled_from([STORED_TOPIC, keccak(b"x")]), min_size=1, max_size=2, unique=True)
    )
    value_choice = st.one_of(st.none(), st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
    topics = data.draw(st.lists(st.one_of(topic_choice, value_choice), max_size=3))
    if topics:
        spec["topics"] = [None if t is None else ["0x" + x.hex() for x in t] for t in topics]
    expected = _brute_force(
        chain, {**spec, "topics": [t and [bytes.fromhex(x[2:]) for x in t] for t in spec.get("topics", [])]}
    )
    if last > head:
        spec["toBlock"] = "latest"
    assert chain.w3.eth.get_logs(spec) == expected


def test_get_logs_by_block_hash(busy_chain: tuple[EmbeddedChain, list]) -> None:
    chain, _ = busy_chain
    block = chain.w3.eth.get_block("latest")
    logs = chain.w3.eth.get_logs({"blockHash": block["hash"]})
    assert [log["blockNumber"] for log in logs] == [block["number"]]
    assert Web3.to_checksum_address(logs[0]["address"]) == logs[0]["address"]


def test_concurrent_funding_never_reuses_a_nonce(chain: EmbeddedChain) -> None:
    accounts = [Account.create().address for _ in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda address: chain.fund(address, 5), accounts))
    assert [chain.w3.eth.get_balance(a) for a in accounts] == [5] * 8
    assert chain.w3.eth.block_number == 8


def test_closed_chain_says_so(tmp_path: Path) -> None:
    chain = open_embedded_chain(tmp_path / "chain")
    chain.close()
    chain.close()
    with pytest.raises(ChainError, match="was closed"):
        _ = chain.w3.eth.block_number  # reading the property is what raises


def test_real_cancun_artifact_deploys_and_reverts_with_its_reason(chain: EmbeddedChain) -> None:
    """A solc artifact (evmVersion cancun) through web3's own build_transaction."""
    artifact_file = resources_dir() / "contracts" / "DensePerceptron.json"
    if not artifact_file.exists():
        pytest.skip("contract artifacts not built yet")
    artifact = json.loads(artifact_file.read_text())
    owner, stranger = funded(chain), funded(chain)
    factory = chain.w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    tx = factory.constructor(["neg", "pos"], 0, 1, 1000).build_transaction({"from": owner.address, "nonce": 0})
    tx_hash = chain.w3.eth.send_raw_transaction(owner.sign_transaction(tx).raw_transaction)
    receipt = chain.w3.eth.get_transaction_receipt(tx_hash)
    assert receipt["status"] == 1
    model = chain.w3.eth.contract(address=receipt["contractAddress"], abi=artifact["abi"])
    assert model.functions.getNumClassifications().call() == 2
    with pytest.raises(ContractLogicError, match="Only the owner"):
        model.functions.transferOwnership(stranger.address).build_transaction({"from": stranger.address})
