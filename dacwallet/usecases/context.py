"""Opening a wallet: keys, local store, chain connection and the model deployment in use."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account import Account
from web3 import Web3

from dacwallet.chain.connect import Connection, NetworkSpec, connect
from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY
from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.deploy import DAY_S, DeploymentProgress, IncentiveParams, missing_parts
from dacwallet.contracts.deployment import Deployment
from dacwallet.errors import ContractError, DacwalletError
from dacwallet.keys.store import KeyStore
from dacwallet.ml.catalog import ModelBundle
from dacwallet.ml.encoders import IMDB_VOCAB_IDENTITY
from dacwallet.ml.model_file import load_model
from dacwallet.ml.registry import get_encoder
from dacwallet.store import chains, contributions, deploy_progress, lifecycle
from dacwallet.store.chains import KnownDeployment
from dacwallet.store.db import open_database
from dacwallet.store.deploy_progress import DEFAULT_SLOT
from dacwallet.sync.mirror import MirrorCache
from dacwallet.usecases.deploy_run import (
    Finished,
    ProgressCallback,
    begin,
    choose_active,
    run_saved,
    saved_digest_differs,
)

DEFAULT_MODEL = "default"
# The reference demo's rules: refund after a day, anyone may take after nine.
DEFAULT_INCENTIVE = IncentiveParams(
    refund_wait_s=DAY_S, owner_claim_wait_s=9 * DAY_S, any_address_claim_wait_s=9 * DAY_S, cost_weight=10**15
)

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
            raise ContractError(
                "No model is known on this chain yet; add one by its address (`dacwallet deployment add ADDRESS`)."
            )
        return self.deployment

    def close(self) -> None:
        self.db.close()
        self.connection.close()


def open_wallet(
    data_dir: Path,
    network: NetworkSpec = NetworkSpec(),
    *,
    scrypt_n: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> WalletContext:
    """Opens the data folder on ``network``; on the embedded chain, deploys the default model the first time."""
    scrypt_n = scrypt_n or int(os.environ.get(TEST_SCRYPT_ENV, "0"))
    keys = KeyStore(data_dir, scrypt_n=scrypt_n) if scrypt_n else KeyStore(data_dir)
    db = open_database(data_dir)
    # The lifecycle's tables (contributions, journal); importing it registered how a chain reset closes them.
    for module in (chains, lifecycle, deploy_progress):
        module.ensure_schema(db)
    connection = connect(network, data_dir)
    try:
        reset_from = chains.check_network(db, network.url, connection.chain_key)
        known = chains.list_deployments(db, connection.chain_key)
        # The first start deploys the default; a first start that stopped part-way is resumed.
        if network.is_embedded and (
            not known
            or deploy_progress.load(db, connection.chain_key, DEFAULT_SLOT)
            or _retire_outdated_default(db, connection.chain_key, known)
        ):
            deploy_default_model(db, connection, on_progress)
            known = chains.list_deployments(db, connection.chain_key)
        chosen = choose_active(known, deploy_progress.active(db, connection.chain_key))
    except BaseException:
        connection.close()
        db.close()
        raise
    bundle = bundle_for(chosen)
    kept = contributions.count_reset(db, network.url, reset_from) if reset_from else 0
    return WalletContext(
        data_dir, keys, db, connection, chosen.deployment if chosen else None, bundle, reset_from, kept
    )


def reset_notice(ctx: WalletContext) -> str | None:
    """What to tell the user, once, when this network turned out to be another chain than last time."""
    if ctx.reset_from is None:
        return None
    n = ctx.reset_kept
    kept = (
        f"{n} contribution{' you made on the old chain is' if n == 1 else 's you made on the old chain are'} "
        'kept (text, label, transaction) and listed with the status "chain reset"'
        if n
        else "you had made no contributions on it"
    )
    return f"This network was reset (it is a new chain now): its cached state was dropped; {kept}."


def bundle_for(known: KnownDeployment | None) -> ModelBundle | None:
    """The local model (encoder + mirror) of a known deployment; None when it has none or it cannot be loaded
    (a model file moved away must not keep the wallet from opening: the chain's own predict still works)."""
    return load_local_copy(known)[0]


def load_local_copy(known: KnownDeployment | None) -> tuple[ModelBundle | None, str | None]:
    """(the local model of ``known``, None) or (None, what is missing, in words a person can act on)."""
    if known is None:
        return None, None
    if not known.model_file:
        return None, (
            "This model has no local copy here: it was added without its model file, so reviews cannot "
            "be encoded for it. Add it again with its model file (`dacwallet deployment add ADDRESS "
            "--model-file FILE`, or Add by address on the Model page)."
        )
    vocab = Path(known.vocab_file) if known.vocab_file else None
    if vocab is None and known.deployment.encoder.strip().casefold() == IMDB_VOCAB_IDENTITY.casefold():
        return None, (
            f"This model's file is here ({known.model_file}) but not its vocabulary: it uses the "
            'reference "IMDB vocab" encoder, so reviews cannot be encoded for it. Add it again with its '
            "vocabulary (`dacwallet deployment add ADDRESS --vocab FILE`, or Add by address on the Model "
            "page)."
        )
    try:
        model = load_model(known.model_file)
    except DacwalletError as exc:
        return None, f"This model's local copy cannot be used: {exc.user_message}"
    try:
        bundle = ModelBundle(model, get_encoder(model["encoder"], imdb_vocab=vocab))
    except DacwalletError as exc:  # the file was checked when it was added: what is missing is the encoder
        return None, f"This model's file is here ({known.model_file}) but not its encoder: {exc.user_message}"
    # A file that no longer fits the contract ("default" after the shipped model changed) would encode and mirror
    # for another model, and statuses would follow it: no local copy is the honest answer then.
    if bundle.model.get("encoder") != known.deployment.encoder:
        return None, (
            f"The model file {known.model_file} uses another encoder than the deployment "
            f"({known.deployment.encoder}), so it is not used as its local copy."
        )
    if not _same_kind(bundle.model, known.deployment):
        return None, (
            f"The model file {known.model_file} holds a {bundle.model['type'].replace('_', ' ')} but the "
            f"deployment is a {known.deployment.model_type.replace('_', ' ')}, so it is not used as its local copy."
        )
    return bundle, None


def _same_kind(model: dict[str, Any], deployment: Deployment) -> bool:
    """Whether a model file describes the kind of contract deployed (what it learns and how it predicts)."""
    return bool(model["type"] == deployment.model_type)


def _retire_outdated_default(db: sqlite3.Connection, chain_key: str, known: list[KnownDeployment]) -> bool:
    """When the embedded default was deployed from an earlier shipped model (another encoder or model type), it
    stays known, as an ordinary deployment without a local copy, and True says to deploy the current one as the
    default."""
    old = next((k for k in known if k.is_default), None)
    if old is None:
        return False
    current = load_model(DEFAULT_MODEL)
    if old.deployment.encoder == current["encoder"] and _same_kind(current, old.deployment):
        return False
    chains.add_deployment(db, chain_key, old.deployment, model_file=None, is_default=False)
    return True


def deploy_default_model(
    db: sqlite3.Connection, connection: Connection, on_progress: ProgressCallback | None = None
) -> Deployment:
    """Deploys the shipped default model with the embedded chain's (test-only) faucet as owner.

    Its progress is saved as it goes: after a crash part-way, the next call resumes it.
    """
    key = connection.chain_key
    model = load_model(DEFAULT_MODEL)
    saved = deploy_progress.load(db, key, DEFAULT_SLOT)
    # Another version of the shipped model, or parts this chain does not have: start over (test ether only).
    if saved is not None and (
        saved_digest_differs(saved, model) or missing_parts(connection.w3, DeploymentProgress.from_dict(saved.progress))
    ):
        deploy_progress.forget(db, key, DEFAULT_SLOT)
        saved = None
    if saved is None:
        begin(db, key, DEFAULT_SLOT, DEFAULT_MODEL, model, DEFAULT_INCENTIVE)
    sender = TransactionSender(connection.w3, Account.from_key(FAUCET_PRIVATE_KEY))

    def progress(step: str, done: int, total: int) -> None:
        if on_progress is not None:
            on_progress(f"Deploying the default model: {step}", done, total)

    finished: Finished = run_saved(db, key, sender, DEFAULT_SLOT, progress)
    return finished.deployment
