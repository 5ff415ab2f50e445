"""Property-based fuzzing of every input a user or a peer controls. Each ``fuzz_*`` runs hypothesis
(derandomized: the same cases every run) and returns a Tally: every case must end in success or a
DacwalletError with a user_message (in the CLI: exit 0, 1 or 2), never another exception."""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import Any

from eth_account import Account
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dacwallet.chain.connect import NetworkSpec
from dacwallet.contracts.deployment import attach
from dacwallet.errors import DacwalletError
from dacwallet.keys.store import KeyStore
from dacwallet.ml.catalog import load_bundle
from dacwallet.sync.decode import EVENT_TOPICS, MalformedLog, decode_log
from dacwallet.usecases.labels import parse_label
from dacwallet.usecases.preview import local_preview
from tests.resilience.harness import Tally, run_argv

FAST_N = 2**4
CLASSES = ("Negative", "Positive")
_names = count()

# Text a person can paste: every Unicode category incl. control characters, RTL marks, emoji, NUL.
any_text = st.text(st.characters(codec="utf-8"), max_size=200)
nasty_text = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\x00" * 50,
        "\u202e\u202dtxet\u200f",
        "مرحبا بالعالم فيلم رائع",
        "שלום עולם",
        "😀🎬🍿" * 30,
        "\r\n\t\x0b\x0c\x1b[31m",
        "\ud7ff\ue000\uffff",
        "a" * 100_000,
        "word " * 20_000,
        "ä" * 5000,
        "\u0301" * 1000,
    ]
)
hexish = st.text("0123456789abcdefABCDEFxX", max_size=80).map(lambda s: s if s.startswith("0") else "0x" + s)


def _settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def attempt(tally: Tally, fn: Callable[[], Any]) -> None:
    try:
        fn()
    except DacwalletError as exc:
        if exc.user_message.strip():
            tally.ok()
        else:
            tally.fail(f"{type(exc).__name__} with an empty user_message")
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        tally.fail(f"{type(exc).__name__}: {str(exc)[:80]} at {Path(where.filename).name}:{where.lineno}")
    else:
        tally.ok()


def fuzz_private_keys(tmp: Path, max_examples: int) -> Tally:
    tally = Tally("private keys (import)")
    store = KeyStore(tmp / "keys-pk", scrypt_n=FAST_N)
    secp_n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAEDCE6AF48A03BBFD25E8CD0364141
    keys = st.one_of(
        any_text,
        hexish,
        st.integers(0, 2**300).map(lambda n: hex(n)),
        st.sampled_from(
            [
                hex(secp_n),
                hex(secp_n - 1),
                "0x" + "00" * 32,
                "0x" + "ff" * 32,
                "0x01",
                " 0x" + "11" * 32 + " ",
                "11" * 32,
                "0X" + "22" * 32,
            ]
        ),
    )

    @_settings(max_examples)
    @given(keys)
    def run(key: str) -> None:
        attempt(tally, lambda: store.import_private_key(f"pk{next(_names)}", key, "pw-pk-123"))

    run()
    return tally


def fuzz_mnemonics(tmp: Path, max_examples: int) -> Tally:
    from eth_account.hdaccount.mnemonic import Language, Mnemonic

    tally = Tally("mnemonics (import)")
    store = KeyStore(tmp / "keys-mn", scrypt_n=FAST_N)
    words = Mnemonic(Language.ENGLISH).wordlist
    phrases = st.one_of(
        any_text,
        st.lists(st.sampled_from(words), min_size=0, max_size=25).map(" ".join),
        st.lists(st.sampled_from(words), min_size=11, max_size=11).map(lambda w: " ".join(w + ["abandon"])),
        st.just("test test test test test test test test test test test junk"),
    )

    @_settings(max_examples)
    @given(phrases, st.integers(-3, 2**32))
    def run(phrase: str, index: int) -> None:
        attempt(tally, lambda: store.import_mnemonic(f"mn{next(_names)}", phrase, "pw-mn-123", index=index))

    run()
    return tally


def fuzz_keystore_json(tmp: Path, max_examples: int) -> Tally:
    tally = Tally("keystore JSON (import)")
    store = KeyStore(tmp / "keys-ks", scrypt_n=FAST_N)
    valid = Account.encrypt(os.urandom(32), "ks-pw", kdf="scrypt", iterations=FAST_N)
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | any_text,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
        max_leaves=12,
    )

    def mutate(path: list[str], value: Any) -> str:
        doc = json.loads(json.dumps(valid))
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return json.dumps(doc, allow_nan=True)

    paths = st.sampled_from(
        [
            ["crypto", "cipher"],
            ["crypto", "ciphertext"],
            ["crypto", "cipherparams", "iv"],
            ["crypto", "kdf"],
            ["crypto", "kdfparams", "n"],
            ["crypto", "kdfparams", "salt"],
            ["crypto", "kdfparams", "dklen"],
            ["crypto", "kdfparams", "r"],
            ["crypto", "mac"],
            ["version"],
            ["address"],
            ["crypto"],
        ]
    )
    documents = st.one_of(
        any_text,
        json_values.map(lambda v: json.dumps(v, allow_nan=True)),
        st.builds(mutate, paths, json_values),
        st.just(json.dumps(valid)),
    )

    @_settings(max_examples)
    @given(documents, st.sampled_from(["ks-pw", "wrong", ""]))
    def run(text: str, password: str) -> None:
        attempt(tally, lambda: store.import_keystore(f"ks{next(_names)}", text, password, "new-pw-123"))

    run()
    return tally


def fuzz_account_names_and_passwords(tmp: Path, max_examples: int) -> Tally:
    tally = Tally("account names / passwords")
    store = KeyStore(tmp / "keys-names", scrypt_n=FAST_N)

    @_settings(max_examples)
    @given(any_text, any_text)
    def run(name: str, password: str) -> None:
        attempt(tally, lambda: store.create(name, password))

    run()
    return tally


def fuzz_rpc_urls(max_examples: int) -> Tally:
    tally = Tally("RPC URLs / chain ids (NetworkSpec.parse)")
    urls = st.one_of(
        any_text,
        st.builds(
            lambda scheme, rest: f"{scheme}{rest}",
            st.sampled_from(["http://", "https://", "ws://", "file://", "http:", ""]),
            any_text,
        ),
    )

    @_settings(max_examples)
    @given(urls, st.one_of(st.none(), st.integers(-(2**70), 2**70)))
    def run(url: str, chain_id: int | None) -> None:
        attempt(tally, lambda: NetworkSpec.parse(url, chain_id))

    run()
    return tally


def fuzz_labels(max_examples: int) -> Tally:
    tally = Tally("labels")

    @_settings(max_examples)
    @given(
        st.one_of(
            any_text,
            st.integers(-(2**70), 2**70),
            st.sampled_from(["Positive", "negative", "1", " 0 ", "-1", "2", "1e3", "०", "١"]),
        )
    )
    def run(label: Any) -> None:
        attempt(tally, lambda: parse_label(label, CLASSES))

    run()
    return tally


def fuzz_review_text(max_examples: int) -> Tally:
    tally = Tally("review text (encode + preview)")
    bundle = load_bundle("default")
    mirror = bundle.new_mirror()

    @_settings(max_examples)
    @given(st.one_of(any_text, nasty_text, st.binary(max_size=300).map(lambda b: b.decode("latin-1"))))
    def run(text: str) -> None:
        attempt(tally, lambda: local_preview(bundle, mirror, text))

    run()
    return tally


def fuzz_addresses(w3: Any, known: list[str], max_examples: int) -> Tally:
    """``known``: addresses of real contracts that are not an entry point (classifier, data handler...)."""
    tally = Tally("deployment addresses (attach)")
    addresses = st.one_of(
        any_text,
        hexish,
        st.binary(min_size=20, max_size=20).map(lambda b: "0x" + b.hex()),
        st.sampled_from(known + [a.lower() for a in known] + [a.upper().replace("0X", "0x") for a in known]),
    )

    @_settings(max_examples)
    @given(addresses)
    def run(address: str) -> None:
        attempt(tally, lambda: attach(w3, address))

    run()
    return tally


def fuzz_event_logs(trainer: str, incentive: str, max_examples: int) -> Tally:
    """Logs under our event topics with garbage data, as a hostile contract (or node) could serve them:
    decode_log must return an event or raise MalformedLog (which the indexer skips and counts)."""
    tally = Tally("event logs (decode)")
    word = st.binary(min_size=32, max_size=32)
    small = st.integers(0, 2**16).map(lambda n: n.to_bytes(32, "big"))
    huge = st.sampled_from([(2**256 - 1).to_bytes(32, "big"), (2**64).to_bytes(32, "big"), (2**63).to_bytes(32, "big")])
    data = st.one_of(st.binary(max_size=400), st.lists(st.one_of(word, small, huge), max_size=12).map(b"".join))
    topics = st.lists(st.one_of(word, st.binary(max_size=40)), max_size=3)

    @_settings(max_examples)
    @given(st.sampled_from(sorted(EVENT_TOPICS)), topics, data, st.sampled_from([trainer, incentive]))
    def run(topic0: bytes, rest: list[bytes], raw: bytes, emitter: str) -> None:
        log = {"topics": [topic0, *rest], "data": raw, "address": emitter}

        def decode() -> None:
            try:
                decode_log(log, trainer, incentive)
            except MalformedLog:
                pass

        attempt(tally, decode)

    run()
    return tally


CLI_WORDS = [
    "account",
    "new",
    "import",
    "list",
    "export",
    "delete",
    "fund",
    "predict",
    "contribute",
    "contributions",
    "refund",
    "reportable",
    "report",
    "status",
    "chain",
    "advance",
    "deployment",
    "add",
    "remove",
    "--json",
    "--account",
    "--password-stdin",
    "--label",
    "--all",
    "--remember",
    "--keystore",
    "--mnemonic",
    "--index",
    "--out",
    "--model-file",
    "--chain-id",
    "--version",
    "--help",
    "-h",
    "Positive",
    "Negative",
    "alice",
    "1d",
    "0",
    "-1",
    "31337",
    "default",
    "x" * 300,
    # absurd values that once escaped as tracebacks (issue 11)
    "²",
    "--1",
    "--label=²",
    "--label=--1",
    "9" * 40,
    "--max-fee-gwei=1e999999999",
    "--priority-fee-gwei=1e999999",
    "99999999999999999999999d",
    "4611686018427387904s",
    "1 " * 26 + "x",
]


def fuzz_cli_argv(data_dir: Path, network: str, max_examples: int) -> Tally:
    """Random argv through dacwallet.cli.main (on ``network``, in ``data_dir``, with the working directory
    there too, so relative paths a random argv names stay inside). ``simulate`` is left out: it runs long."""
    tally = Tally("CLI argv (cli.main)")
    token = st.one_of(
        st.sampled_from(CLI_WORDS),
        any_text.filter(lambda s: not s.startswith(("-", "/", "~"))),
        hexish,
        st.integers(-(2**70), 2**70).map(str),
    )
    commands = st.sampled_from(
        [
            ["account", "new"],
            ["account", "import"],
            ["account", "import", "--mnemonic"],
            ["account", "import", "--keystore"],
            ["account", "export"],
            ["account", "delete"],
            ["account", "fund"],
            ["account", "list"],
            ["predict"],
            ["contribute", "--label"],
            ["contribute", "--password-stdin", "--label", "Positive"],
            ["contributions"],
            ["refund"],
            ["refund", "--password-stdin"],
            ["reportable"],
            ["report"],
            ["report", "--password-stdin"],
            ["status"],
            ["chain", "advance"],
            ["deployment", "add"],
            ["deployment", "remove"],
            ["deployment", "list"],
        ]
    )
    argvs = st.one_of(
        st.lists(token, max_size=7), st.builds(lambda head, tail: head + tail, commands, st.lists(token, max_size=4))
    )

    @_settings(max_examples)
    @given(argvs, st.sampled_from(["", "pw\n", "pw\npw\n", "\x00\n", "alice-pw\n" * 3]))
    def run(argv: list[str], stdin: str) -> None:
        cwd = os.getcwd()
        os.chdir(data_dir)
        try:
            result = run_argv(["--data-dir", str(data_dir), "--network", network, *argv], stdin=stdin)
        finally:
            os.chdir(cwd)
        if result.crash is not None:
            last = result.crash.strip().splitlines()[-1]
            tally.fail(f"{argv!r}: {last[:100]}")
        elif result.code not in (0, 1, 2):
            tally.fail(f"{argv!r}: exit {result.code}")
        elif result.code in (1, 2) and not result.err.strip():
            tally.fail(f"{argv!r}: exit {result.code} without a message")
        else:
            tally.ok()

    run()
    return tally
