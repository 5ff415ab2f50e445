"""Running a saved deployment to its end, and choosing the active one among those known on a chain.

A deployment's progress is saved in the data folder (``store.deploy_progress``) before each of its
transactions is sent and after it is mined, so one that stops — an error, a node gone, a killed
process — is resumed or abandoned later (``usecases.deployments``), never silently left half-built or
started over. The embedded chain's first-start deploy (``usecases.context``) goes through ``run_saved``
too, in its own slot, resumed automatically on the next start.

Nothing here needs an opened wallet, so opening one can deploy the default model through it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dacwallet.chain.fees import FeeOverride
from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.deploy import DeploymentProgress, IncentiveParams, deploy, new_progress, stopped
from dacwallet.contracts.deployment import Deployment
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.errors import DacwalletError, DeploymentError, InputError
from dacwallet.store import chains, deploy_progress, deployment_log
from dacwallet.store.chains import KnownDeployment
from dacwallet.store.deploy_progress import DEFAULT_SLOT, USER_SLOT, SavedProgress

ProgressCallback = Callable[[str, int, int], None]
USER_NEXT_STEPS = (
    "Finish it with `dacwallet deployment resume`, or forget it with `dacwallet deployment abandon` "
    "(what exists stays on the chain, unused)."
)
DEFAULT_NEXT_STEPS = "It is resumed the next time dacwallet opens this data folder."


@dataclass(frozen=True)
class Finished:
    deployment: Deployment
    gas_used: int
    transactions: int
    model_file: str | None  # None when the model has no local mirror (see ``mirror_note``)
    mirror_note: str | None


def choose_active(known: list[KnownDeployment], chosen: str | None) -> KnownDeployment | None:
    """The deployment ``chosen`` (an entry point) when it is known, else the default, else the first added."""
    for k in known:
        if chosen is not None and k.deployment.trainer == chosen:
            return k
    return known[0] if known else None  # list_deployments puts the default first


# ----------------------------------------------------------------------------- running a saved deployment


def run_saved(
    db: sqlite3.Connection,
    chain_key: str,
    sender: TransactionSender,
    slot: str,
    on_progress: ProgressCallback | None = None,
    *,
    allow_high_fee: bool = False,
) -> Finished:
    """Runs (or resumes) the deployment saved in ``slot`` to the end; registers it and forgets its progress.
    ``allow_high_fee``: the user confirmed the node's fee suggestion even past its bounds.

    Stops with DeploymentError (progress kept, saying what exists) — or, when nothing exists on the chain
    yet, with the plain error (progress forgotten: there is nothing to resume).
    """
    saved = deploy_progress.load(db, chain_key, slot)
    if saved is None:
        raise InputError("There is no unfinished deployment on this chain.")
    spec = ModelSpec.from_dict(saved.model)
    incentive = IncentiveParams(**saved.progress["incentive"])
    progress = DeploymentProgress.from_dict(saved.progress)

    def save(p: DeploymentProgress) -> None:
        deploy_progress.update(db, chain_key, slot, p.to_dict())

    def report(_p: DeploymentProgress, step: str, done: int, total: int) -> None:
        if on_progress is not None:
            on_progress(step, done, total)

    next_steps = DEFAULT_NEXT_STEPS if slot == DEFAULT_SLOT else USER_NEXT_STEPS
    try:
        deployment = deploy(
            sender,
            spec,
            incentive,
            on_progress=report,
            resume=progress,
            save=save,
            next_steps=next_steps,
            fee=FeeOverride(allow_high=True) if allow_high_fee else None,
        )
    except DeploymentError as exc:
        save(progress)
        if _nothing_exists(progress):
            deploy_progress.forget(db, chain_key, slot)
            reason = exc.__cause__.user_message if isinstance(exc.__cause__, DacwalletError) else exc.user_message
            raise DeploymentError(f"The deployment did not start: {reason} Nothing was deployed.") from exc
        raise
    except Exception as exc:
        from dacwallet.sync.faults import node_trouble_message

        message = node_trouble_message(exc)
        if message is None:
            raise
        save(progress)
        raise stopped(progress, f"the node stopped answering ({type(exc).__name__}).", next_steps) from exc
    finished = _register(db, chain_key, slot, saved, deployment)
    deployment_log.record(db, chain_key, deployment.trainer, sender.address, deployment.name, progress.transactions)
    return Finished(deployment, progress.gas_used, len(progress.transactions), *finished)


def _nothing_exists(progress: DeploymentProgress) -> bool:
    return progress.classifier is None and progress.pending is None


def _register(
    db: sqlite3.Connection, chain_key: str, slot: str, saved: SavedProgress, deployment: Deployment
) -> tuple[str | None, str | None]:
    """Adds the finished deployment to the known ones (the user's becomes the active one); forgets its progress."""
    model_file: str | None = saved.model_file
    note = None
    try:
        from dacwallet.ml.catalog import load_bundle

        load_bundle(saved.model_file)
    except DacwalletError as exc:
        model_file, note = None, f"No local mirror (instant preview) for this model: {exc.user_message}"
    chains.add_deployment(db, chain_key, deployment, model_file=model_file, is_default=slot == DEFAULT_SLOT)
    if slot == USER_SLOT:
        deploy_progress.set_active(db, chain_key, deployment.trainer)
    deploy_progress.forget(db, chain_key, slot)
    return model_file, note


def begin(
    db: sqlite3.Connection,
    chain_key: str,
    slot: str,
    model_file: str,
    model: dict[str, Any],
    incentive: IncentiveParams,
) -> None:
    """Saves a deployment about to start (nothing sent yet)."""
    incentive.validate()
    spec = ModelSpec.from_dict(model)
    deploy_progress.start(db, chain_key, slot, model_file, model, new_progress(spec, incentive).to_dict())


def saved_digest_differs(saved: SavedProgress, model: dict[str, Any]) -> bool:
    """True when ``saved`` was started from another version of ``model`` (e.g. the shipped default changed)."""
    return bool(saved.progress["model_digest"] != ModelSpec.from_dict(model).digest())
