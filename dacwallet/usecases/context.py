"""Opening a wallet: keys, local store, chain connection and the model deployment in use."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from eth_account import Account
from web3 import Web3

from dacwallet.chain.connect import Connection, NetworkSpec, connect
from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY
from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.deploy import DAY_S, IncentiveParams, deploy
from dacwallet.contracts.deployment import Deployment
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.errors import ContractError
from dacwallet.keys.store import KeyStore
from dacwallet.ml.catalog import ModelBundle, load_bundle
from dacwallet.ml.model_file import model_path
from dacwallet.store import chains, contributions, journal
from dacwallet.store.db import open_database
from dacwallet.sync.mirror import MirrorCache

DEFAULT_MODEL = "default"
# The reference demo's rules: refund after a day, anyone may take after nine.
DEFAULT_INCENTIVE = IncentiveParams(refund_wait_s=DAY_S, owner_claim_wait_s=9 * DAY_S,
                                    any_address_claim_wait_s=9 * DAY_S, cost_weight=10**15)

ProgressCallback = Callable[[str, int, int], None]
# Tests only: a cheap scrypt cost for keystores they create (the default takes ~0.8 s to unlock).
TEST_SCRYPT_ENV = "DACWALLET_TEST_SCRYPT_N"


@dataclass
class WalletContext:
    """Everything a use-case needs; plain objects, no Qt."""

    data_dir: Path
    keys: KeyStore
    db: sqlite3.Connection
    connection: Connection
    deployment: Deployment | None
    bundle: ModelBundle | None
    reset_from: str | None = None  # the chain key this network had before it was reset
    reset_kept: int = 0  # contributions made on that old chain, kept (marked reset) rather than deleted
    cache: dict[object, object] = field(default_factory=dict)  # values that never change on a deployment
    mirror_cache: MirrorCache = field(default_factory=MirrorCache)  # the ledger's replay, extended per refresh

    @property
    def w3(self) -> Web3:
        return self.connection.w3

    @property
    def chain_key(self) -> str:
        return self.connection.chain_key

    def require_deployment(self) -> Deployment:
        if self.deployment is None:
            raise ContractError("No model is known on this chain yet; add one by its address "
                                "(`dacwallet deployment add ADDRESS`).")
        return self.deployment

    def close(self) -> None:
        self.db.close()
        self.connection.close()


def open_wallet(data_dir: Path, network: NetworkSpec = NetworkSpec(), *, scrypt_n: int | None = None,
                on_progress: ProgressCallback | None = None) -> WalletContext:
    """Opens the data folder on ``network``; on the embedded chain, deploys the default model the first time."""
    scrypt_n = scrypt_n or int(os.environ.get(TEST_SCRYPT_ENV, "0"))
    keys = KeyStore(data_dir, scrypt_n=scrypt_n) if scrypt_n else KeyStore(data_dir)
    db = open_database(data_dir)
    for module in (chains, contributions, journal):
        module.ensure_schema(db)
    connection = connect(network, data_dir)
    try:
        reset_from = chains.check_network(db, network.url, connection.chain_key)
        known = chains.list_deployments(db, connection.chain_key)
        if not known and network.is_embedded:
            deploy_default_model(db, connection, on_progress)
            known = chains.list_deployments(db, connection.chain_key)
    except BaseException:
        connection.close()
        db.close()
        raise
    chosen = known[0] if known else None
    bundle = load_bundle(chosen.model_file) if chosen and chosen.model_file else None
    kept = contributions.count_reset(db, network.url, reset_from) if reset_from else 0
    return WalletContext(data_dir, keys, db, connection, chosen.deployment if chosen else None, bundle, reset_from,
                         kept)


def reset_notice(ctx: WalletContext) -> str | None:
    """What to tell the user, once, when this network turned out to be another chain than last time."""
    if ctx.reset_from is None:
        return None
    n = ctx.reset_kept
    kept = (f"{n} contribution{' you made on the old chain is' if n == 1 else 's you made on the old chain are'} "
            "kept (text, label, transaction) and listed with the status \"chain reset\"" if n
            else "you had made no contributions on it")
    return f"This network was reset (it is a new chain now): its cached state was dropped; {kept}."


def deploy_default_model(db: sqlite3.Connection, connection: Connection,
                         on_progress: ProgressCallback | None = None) -> Deployment:
    """Deploys the shipped default model with the embedded chain's (test-only) faucet as owner."""
    spec = ModelSpec.from_file(model_path(DEFAULT_MODEL))
    sender = TransactionSender(connection.w3, Account.from_key(FAUCET_PRIVATE_KEY))

    def progress(_state: object, step: str, done: int, total: int) -> None:
        if on_progress is not None:
            on_progress(f"Deploying the default model: {step}", done, total)

    deployment = deploy(sender, spec, DEFAULT_INCENTIVE, on_progress=progress)
    chains.add_deployment(db, connection.chain_key, deployment, model_file=DEFAULT_MODEL, is_default=True)
    return deployment
