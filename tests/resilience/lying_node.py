"""Lying-node scenarios: the wallet CLI behind the proxy of tests/support/rpc_proxy.py, which answers some
questions with lies (another chain id after connect, an absurd tip, an absurd deposit) or dribbles its
answers one byte at a time. Nothing may be signed for a lie, and nothing may hang.

Each scenario returns a Tally: "survived" is the refusal the scenario expects (exit 1 with the words it
names, or the outcome asked for), "lost" counts transactions that reached the node when they must not.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from eth_account import Account
from web3 import Web3

from dacwallet.chain import http_provider
from tests.resilience.harness import DEV_KEYS, CliRun, Tally, http_w3
from tests.resilience.node_faults import WalletSetup
from tests.support.rpc_proxy import Rule, no_faults


def lie(result: object) -> str:
    """The proxy's fault that answers ``result`` without asking the node."""
    return "result:" + json.dumps(result)


# Past the deadline, allowed for the command's own work (opening the wallet, encoding; slow on a loaded
# machine) and a retry's back-off. Without the deadline a dribbled answer (its headers alone are ~80 bytes)
# would take minutes.
LATE_S = 10.0
GWEI = 10**9
ETHER = 10**18
MAINNET = lie("0x1")
COST_SELECTORS = ("0x1bce9b4d", "0x722489f9")  # getNextAddDataCost() and getNextAddDataCost(uint256)
ALICE = Account.from_key(DEV_KEYS[1]).address  # the account wallet_on imports
BOB_KEY = Web3.keccak(text="dacwallet resilience: bob, who holds 1 ETH")  # an account of our own, not a dev one
REFUND_ALL = ("refund", "--all", "--account", "alice", "--password-stdin", "--json")
REVIEWS = (
    "wonderful brilliant moving great score",
    "superb touching film with a great cast",
    "a beautiful and moving story, brilliant acting",
    "great fun, wonderful music and a superb ending",
)


def chain_id_after_connect(method: str, params: object, n: int) -> str | None:
    """Chain 31337 to the first question (connect), mainnet's chain id to every later one."""
    return MAINNET if method == "eth_chainId" and n >= 1 else None


def suggests_tip(wei: int) -> Rule:
    return lambda method, params, n: lie(hex(wei)) if method == "eth_maxPriorityFeePerGas" else None


def answers_deposit(wei: int) -> Rule:
    """getNextAddDataCost (either form) answered with ``wei``; every other call passes through."""

    def rule(method: str, params: object, n: int) -> str | None:
        if method == "eth_call" and isinstance(params, list) and params and isinstance(params[0], dict):
            data = params[0].get("input") or params[0].get("data") or ""
            if data.startswith(COST_SELECTORS):
                return lie("0x" + wei.to_bytes(32, "big").hex())
        return None

    return rule


def dribbling(every_s: float, methods: set[str] | None = None) -> Rule:
    return lambda method, params, n: f"dribble:{every_s}" if methods is None or method in methods else None


@dataclass
class Attempt:
    """One command under a lie, and what must be true of it."""

    name: str
    rule: Rule
    args: tuple[str, ...]
    words: str  # the message must contain these (case-insensitive)
    sender: str | None = None  # the account whose nonce must not move (default: alice)
    expect_codes: tuple[int, ...] = (1,)


# ``refund --all`` refuses as a whole (exit 1) what it checks first (fees), and exits 1 too when every refund
# it tried failed on the way (each one's error is listed).
REFUND_ALL_CODES = (1,)


def nonce(url: str, address: str) -> int:
    return http_w3(url).eth.get_transaction_count(Web3.to_checksum_address(address), "pending")


def attempt(node_url: str, setup: WalletSetup, a: Attempt, tally: Tally, *, stdin: str | None = None) -> CliRun:
    """Runs ``a`` through the lying proxy: it must end with one of ``expect_codes``, say ``words`` and send nothing."""
    sender = a.sender or ALICE
    before = nonce(node_url, sender)
    setup.proxy.set_rule(a.rule)
    try:
        run = setup.cli(*a.args, stdin=setup.password + "\n" if stdin is None else stdin)
        sent = setup.proxy.calls["eth_sendRawTransaction"]
    finally:
        setup.proxy.set_rule(no_faults)
    moved = nonce(node_url, sender) - before
    tally.lost += max(moved, sent)
    said = (run.err + run.out).lower()
    if run.crash is None and run.code in a.expect_codes and a.words.lower() in said and not (moved or sent):
        tally.ok()
    else:
        why = run.crash.strip().splitlines()[-1] if run.crash else f"exit {run.code}: {(run.err or run.out)[:160]}"
        tally.fail(f"{a.name}: {why} (sent {sent}, nonce moved {moved})")
    return run


def contribute_args(review: str, *extra: str, account: str = "alice") -> tuple[str, ...]:
    return ("contribute", "--account", account, "--password-stdin", "--label", "Positive", review, "--json", *extra)


def advance(node_url: str, seconds: int) -> None:
    w3 = http_w3(node_url)
    w3.provider.make_request("evm_increaseTime", [seconds])
    w3.provider.make_request("evm_mine", [])


def refundable_contribution(node_url: str, setup: WalletSetup, review: str, tally: Tally) -> bool:
    """A refund needs a contribution past its wait: one made honestly, then two days later the lie. Each scenario
    makes its own, so none depends on what another left behind."""
    honest = setup.cli(*contribute_args(review), stdin=setup.password + "\n")
    if honest.code != 0:
        tally.fail(f"the honest contribution before the refund failed: {honest.err or honest.crash}")
        return False
    advance(node_url, 2 * 86_400)
    return True


def network_switch(node_url: str, setup: WalletSetup, rounds: int = 1) -> Tally:
    """A node that answers chain 31337 at connect and chain 1 afterwards: contribute (with and without
    --chain-id) and refund --all sign nothing and say the node changed networks."""
    tally = Tally("node changes chain id after connect")
    words = "changed networks"
    for r in range(rounds):
        review = f"{REVIEWS[r % len(REVIEWS)]} {r}"
        attempt(node_url, setup, Attempt("contribute", chain_id_after_connect, contribute_args(review), words), tally)
        attempt(
            node_url,
            setup,
            Attempt(
                "contribute --chain-id 31337",
                chain_id_after_connect,
                ("--chain-id", "31337", *contribute_args(review)),
                words,
            ),
            tally,
        )
    if not refundable_contribution(node_url, setup, "a wonderful brilliant film, great acting", tally):
        return tally
    attempt(
        node_url,
        setup,
        Attempt("refund --all", chain_id_after_connect, REFUND_ALL, words, expect_codes=REFUND_ALL_CODES),
        tally,
    )
    return tally


def absurd_tip(node_url: str, setup: WalletSetup) -> Tally:
    """A node suggesting a 50,000 gwei tip: refused unless confirmed; and even confirmed, refused when the most
    it can cost is more than the balance (an account 'bob' holding 1 ETH)."""
    tally = Tally("node suggests a 50,000 gwei tip")
    lie = suggests_tip(50_000 * GWEI)
    words = "suggests a priority fee of 50000 gwei"
    attempt(node_url, setup, Attempt("contribute", lie, contribute_args(REVIEWS[1] + " tip"), words), tally)
    if not refundable_contribution(node_url, setup, "a moving, brilliant and wonderful story", tally):
        return tally
    attempt(node_url, setup, Attempt("refund --all", lie, REFUND_ALL, words, expect_codes=REFUND_ALL_CODES), tally)
    bob = poor_account(node_url, setup, ETHER)
    attempt(
        node_url,
        setup,
        Attempt(
            "contribute --allow-high-fee, 1 ETH balance",
            lie,
            contribute_args(REVIEWS[2] + " tip", "--allow-high-fee", account="bob"),
            "not enough ether",
            sender=bob,
        ),
        tally,
    )
    return tally


def poor_account(node_url: str, setup: WalletSetup, wei: int) -> str:
    """A fresh account 'bob' in the wallet (imported once) holding exactly ``wei``."""
    key = Account.from_key(BOB_KEY)
    listed = setup.cli("account", "list", "--json")
    if "bob" not in listed.out:
        run = setup.cli("account", "import", "bob", stdin=f"{key.key.hex()}\n{setup.password}\n")
        assert run.code == 0, (run.err, run.crash)
    http_w3(node_url).provider.make_request("anvil_setBalance", [key.address, hex(wei)])
    return key.address


def absurd_deposit(node_url: str, setup: WalletSetup) -> Tally:
    """getNextAddDataCost() answered with 9,000 ETH (the contract can never ask more than costWeight x 3600)."""
    tally = Tally("node says the deposit is 9,000 ETH")
    lie = answers_deposit(9_000 * ETHER)
    for extra in ((), ("--allow-high-fee",)):
        attempt(
            node_url,
            setup,
            Attempt(
                f"contribute {' '.join(extra)}".strip(),
                lie,
                contribute_args(REVIEWS[3] + " deposit", *extra),
                "can never ask more than 3.600000 ETH",
            ),
            tally,
        )
    return tally


@contextmanager
def request_deadline(seconds: float) -> Iterator[None]:
    """Within it, the wallet's node requests (in this process) get ``seconds`` in total instead of the default."""
    saved = http_provider.REQUEST_DEADLINE_S
    http_provider.REQUEST_DEADLINE_S = seconds
    try:
        yield
    finally:
        http_provider.REQUEST_DEADLINE_S = saved


def slow_loris(
    node_url: str, setup: WalletSetup, *, every_s: float, deadline_s: float = http_provider.REQUEST_DEADLINE_S
) -> Tally:
    """A node that dribbles its answers one byte every ``every_s`` seconds: each command ends within the total
    deadline (plus a little: a retry's back-off, the last byte's wait) and says the node is not answering;
    nothing is sent."""
    tally = Tally(f"slow-loris node (1 byte / {every_s:g} s, deadline {deadline_s:g} s)")
    cases = (
        Attempt("status, every call", dribbling(every_s), ("status",), "not answering"),
        Attempt("status, eth_call", dribbling(every_s, {"eth_call"}), ("status",), "not answering"),
        Attempt(
            "contribute, eth_estimateGas",
            dribbling(every_s, {"eth_estimateGas"}),
            contribute_args(REVIEWS[0] + " loris"),
            "not answering",
        ),
    )
    with request_deadline(deadline_s):
        for case in cases:
            started = time.monotonic()
            attempt(node_url, setup, case, tally)
            took = time.monotonic() - started
            if took > deadline_s + every_s + LATE_S:
                tally.survived -= 1
                tally.failures.append(f"{case.name}: took {took:.1f} s, the deadline is {deadline_s:g} s")
    return tally
