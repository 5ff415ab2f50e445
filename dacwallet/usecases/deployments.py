"""The user's deployments: deploying a model, resuming or abandoning one that stopped part-way, and the known
deployments of a chain (add, use, remove).

A deployment's progress is saved as it goes (see ``usecases.deploy_run``), so one that stops is resumed
(``resume_deployment``) or abandoned (``abandon_deployment``) later, never silently left half-built or started over.

The active deployment is the one the user chose (``use_deployment``); without a choice, the default
(the embedded chain's shipped model), else the one added first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from web3 import Web3

from dacwallet.chain.transactions import Signer, TransactionSender
from dacwallet.contracts.deploy import DeploymentProgress, IncentiveParams
from dacwallet.contracts.deployment import Deployment
from dacwallet.errors import ContractError, DacwalletError, InputError
from dacwallet.ml.model_file import load_model, model_path
from dacwallet.paths import resources_dir
from dacwallet.store import chains, contributions, deploy_progress
from dacwallet.store.chains import KnownDeployment
from dacwallet.store.deploy_progress import USER_SLOT
from dacwallet.usecases import local_copy
from dacwallet.usecases.context import WalletContext, bundle_for, load_local_copy
from dacwallet.usecases.deploy_run import USER_NEXT_STEPS, Finished, ProgressCallback, begin, run_saved


@dataclass(frozen=True)
class Unfinished:
    """A deployment that stopped part-way: what it deploys and what exists so far."""

    model_name: str
    model_file: str
    progress: DeploymentProgress
    started_at: float
    updated_at: float

    def describe(self) -> str:
        return f"model {self.model_name!r} from {self.model_file}: {self.progress.describe()}"


# ----------------------------------------------------------------------------- the user's deployments


def unfinished(ctx: WalletContext) -> Unfinished | None:
    """The deployment the user started on this chain that has not finished, if any."""
    saved = deploy_progress.load(ctx.db, ctx.chain_key, USER_SLOT)
    if saved is None:
        return None
    return Unfinished(
        str(saved.model.get("name", "?")),
        saved.model_file,
        DeploymentProgress.from_dict(saved.progress),
        saved.started_at,
        saved.updated_at,
    )


def start_deployment(
    ctx: WalletContext,
    signer: Signer,
    model_file: str,
    incentive: IncentiveParams,
    on_progress: ProgressCallback | None = None,
    *,
    allow_high_fee: bool = False,
) -> Finished:
    """Deploys the model in ``model_file`` (a resources/models JSON file) with ``incentive``, signed by ``signer``.

    Refuses while another deployment on this chain is unfinished. The new deployment becomes the active one.
    ``allow_high_fee``: the user confirmed a node fee suggestion past its bounds (refused otherwise).
    """
    earlier = unfinished(ctx)
    if earlier is not None:
        raise InputError(f"A deployment started earlier is unfinished ({earlier.describe()}). {USER_NEXT_STEPS}")
    path = model_path(model_file)
    model = load_model(path)
    shipped = path != Path(model_file)  # a shipped model's name stays a name; a path is kept absolute
    begin(ctx.db, ctx.chain_key, USER_SLOT, model_file if shipped else str(path.resolve()), model, incentive)
    return run_saved(
        ctx.db, ctx.chain_key, TransactionSender(ctx.w3, signer), USER_SLOT, on_progress, allow_high_fee=allow_high_fee
    )


def resume_deployment(
    ctx: WalletContext, signer: Signer, on_progress: ProgressCallback | None = None, *, allow_high_fee: bool = False
) -> Finished:
    """Finishes the unfinished deployment (signed by the account that started it); ``allow_high_fee`` as in
    ``start_deployment``."""
    if unfinished(ctx) is None:
        raise InputError("There is no unfinished deployment on this chain; `dacwallet deployment new` starts one.")
    return run_saved(
        ctx.db, ctx.chain_key, TransactionSender(ctx.w3, signer), USER_SLOT, on_progress, allow_high_fee=allow_high_fee
    )


def abandon_deployment(ctx: WalletContext) -> Unfinished:
    """Forgets the unfinished deployment; returns it, to say what stays on the chain (unused)."""
    found = unfinished(ctx)
    if found is None:
        raise InputError("There is no unfinished deployment on this chain.")
    deploy_progress.forget(ctx.db, ctx.chain_key, USER_SLOT)
    return found


# ----------------------------------------------------------------------------- choosing among known deployments


@dataclass(frozen=True)
class KnownRow:
    known: KnownDeployment
    active: bool
    own_contributions: int
    local_note: str | None = None  # set by add_known: what its local copy lacks (model file, vocabulary), if anything


def known_deployments(ctx: WalletContext) -> list[KnownRow]:
    active = ctx.deployment.trainer if ctx.deployment is not None else None
    return [
        KnownRow(k, k.deployment.trainer == active, _own_count(ctx, k.deployment.trainer))
        for k in chains.list_deployments(ctx.db, ctx.chain_key)
    ]


def _own_count(ctx: WalletContext, trainer: str) -> int:
    return len(contributions.list_for(ctx.db, ctx.chain_key, trainer))


def _find(ctx: WalletContext, address: str) -> KnownDeployment:
    try:
        trainer = Web3.to_checksum_address(address.strip())
    except (ValueError, TypeError) as exc:
        raise InputError(f"{address!r} is not an Ethereum address.") from exc
    for k in chains.list_deployments(ctx.db, ctx.chain_key):
        if k.deployment.trainer == trainer:
            return k
    raise InputError(
        f"No deployment {trainer} is known on this chain; `dacwallet deployment list` shows the known "
        f"ones, `dacwallet deployment add {trainer}` adds it."
    )


def use_deployment(ctx: WalletContext, address: str) -> KnownRow:
    """Makes the known deployment at ``address`` the active one on this chain (kept for the next runs)."""
    found = _find(ctx, address)
    deploy_progress.set_active(ctx.db, ctx.chain_key, found.deployment.trainer)
    ctx.deployment, ctx.bundle = found.deployment, bundle_for(found)
    return KnownRow(found, True, _own_count(ctx, found.deployment.trainer))


def remove_deployment(ctx: WalletContext, address: str) -> KnownRow:
    """Forgets a known deployment (the chain keeps it; so does the store the user's contributions on it).

    Refused for the embedded chain's default model (without it the next start would deploy another one)
    and for the active deployment while others are known (say which one to use instead first).
    """
    found = _find(ctx, address)
    trainer = found.deployment.trainer
    if found.is_default:
        raise ContractError(
            f"{trainer} is the embedded chain's default model; it cannot be removed (the next start "
            "would deploy a new one, and your contributions to it would no longer show). "
            "Switch to another model with `dacwallet deployment use ADDRESS`."
        )
    others = [k for k in chains.list_deployments(ctx.db, ctx.chain_key) if k.deployment.trainer != trainer]
    active = ctx.deployment is not None and ctx.deployment.trainer == trainer
    if active and others:
        raise ContractError(
            f"{trainer} is the active deployment; choose another first with `dacwallet deployment "
            f"use ADDRESS` (known: {', '.join(k.deployment.trainer for k in others)})."
        )
    row = KnownRow(found, active, _own_count(ctx, trainer))
    chains.remove_deployment(ctx.db, ctx.chain_key, trainer)
    if active:
        ctx.deployment = ctx.bundle = None
    return row


def shipped_model_for(deployment: Deployment) -> str | None:
    """The shipped model (a name under resources/models) with the deployment's name and encoder, if any.

    The local mirror replays the chain's events from that file's weights; were the deployment made from
    other weights with the same name, the mirror would disagree and the chain's own prediction is trusted.
    """
    for path in sorted((resources_dir() / "models").glob("*.json")):
        try:
            model = load_model(path)
        except DacwalletError:
            continue
        if model.get("name") == deployment.name and model.get("encoder") == deployment.encoder:
            return path.stem
    return None


def add_known(
    ctx: WalletContext, address: str, model_file: str | None = None, vocab_file: str | None = None
) -> KnownRow:
    """Validates the deployment at ``address`` (the collaborative-trainer interface, parts owned by the entry
    point) and adds it to the known ones; it becomes the active one when none is.

    ``model_file`` gives the local mirror: one of our model files or the reference's own model JSON; ``vocab_file``
    the vocabulary of the reference's "IMDB vocab" encoder. Both are checked against the chain (see
    ``local_copy``). Without a model file, a shipped model with the deployment's name and encoder is used, if any.
    Adding a known deployment again with files replaces its local copy. Refused, changing nothing, when the address
    is not a deployment, is known already (and no file is given), or a file does not fit.
    """
    from dacwallet.contracts.deployment import attach

    found = attach(ctx.w3, address)
    earlier = next(
        (k for k in chains.list_deployments(ctx.db, ctx.chain_key) if k.deployment.trainer == found.trainer), None
    )
    if earlier is not None and model_file is None and vocab_file is None:
        raise InputError(
            f"{found.trainer} is already known on this chain (give its model file or vocabulary to "
            "replace its local copy)."
        )
    files = local_copy.prepare(ctx, found, model_file, vocab_file)
    stored_model = files.model_file
    if stored_model is None:
        stored_model = earlier.model_file if earlier is not None else shipped_model_for(found)
    stored_vocab = files.vocab_file or (earlier.vocab_file if earlier is not None else None)
    if earlier is not None:
        chains.set_local_copy(ctx.db, ctx.chain_key, found.trainer, stored_model, stored_vocab)
    else:
        chains.add_deployment(ctx.db, ctx.chain_key, found, model_file=stored_model, vocab_file=stored_vocab)
    known = KnownDeployment(found, stored_model, earlier is not None and earlier.is_default, stored_vocab)
    note = load_local_copy(known)[1]
    if ctx.deployment is None or ctx.deployment.trainer == found.trainer:
        return replace(use_deployment(ctx, found.trainer), local_note=note)
    return KnownRow(known, False, _own_count(ctx, found.trainer), note)
