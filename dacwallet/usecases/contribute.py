"""Contributing a labelled review: encode, save, sign, journal, send, record the outcome."""

from __future__ import annotations

from collections.abc import Callable

from dacwallet.chain.fees import FeeOverride
from dacwallet.contracts.codec import trainer_codec
from dacwallet.errors import DacwalletError
from dacwallet.store import contributions
from dacwallet.store.contributions import StoredContribution
from dacwallet.store.lifecycle import ContributionState as ContributionState  # the GUI reads states from here
from dacwallet.store.lifecycle import Drafted, DraftRefused, Stage, TxKind, apply
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.deposit import checked_send, quote
from dacwallet.usecases.labels import parse_label
from dacwallet.usecases.local_copy import require_encoder
from dacwallet.usecases.sending import NotMinedYet, UnlockedSigner, send_journaled


def contribute(
    ctx: WalletContext,
    signer: UnlockedSigner,
    text: str,
    label: str | int,
    *,
    on_stage: Callable[[Stage], None] | None = None,
    fee: FeeOverride | None = None,
    pending_ok: bool = False,
    deposit_at_most: int | None = None,
) -> StoredContribution:
    """Adds the review on-chain with the current deposit; the text is saved before anything is signed.

    The transaction carries the deposit quote's "send at most" (the contract keeps the deposit of the
    moment it is mined and returns the rest at once). ``deposit_at_most`` is what the user confirmed:
    if the deposit rose past it since (another contribution came first), nothing is sent (InputError).

    ``fee`` overrides the node's suggested fees. A receipt that does not come in time (the sender's
    wait, or a ``receipt_wait_cap``) raises NotMinedYet (a ChainError)
    and leaves the contribution "sending": it is then in the pending list (speed up / cancel). With
    ``pending_ok`` that case returns the contribution, still "sending", instead of raising: the journal
    resolution (the pending list, the next start) finishes it once it is mined.

    Raises InputError (bad text or label), RevertError (the contract refused, with its reason),
    NotSent (cancelled from the pending list meanwhile, or its nonce used by another transaction),
    KeyStoreError (wrong password) or ChainError (node trouble). The saved record says what happened.
    """
    deployment = ctx.require_deployment()
    bundle = require_encoder(ctx)
    label_index = parse_label(label, deployment.classifications)
    indices = bundle.encoder.encode(text)
    value = checked_send(ctx, deployment.trainer, deposit_at_most)
    contribution_id = apply(
        ctx.db, Drafted(ctx.chain_key, deployment.trainer, signer.address, text, tuple(indices), label_index)
    ).created
    assert contribution_id is not None  # a Drafted event always creates its row
    fields = {
        "to": deployment.trainer,
        "value": value,
        "data": trainer_codec().add_data.encode(indices, label_index),  # web3's encode_abi took a millisecond
    }
    try:
        send_journaled(
            ctx,
            signer,
            fields,
            kind=TxKind.CONTRIBUTE,
            action="The contribution",
            contribution_id=contribution_id,
            on_stage=on_stage,
            fee=fee,
        )
    except DacwalletError as exc:
        stored = contributions.get(ctx.db, contribution_id)
        if stored is not None and stored.state == ContributionState.DRAFT:  # refused before signing
            apply(ctx.db, DraftRefused(contribution_id, exc.user_message))
        if pending_ok and isinstance(exc, NotMinedYet) and stored is not None:
            return stored  # still "sending": it was sent and journaled, only its receipt is late
        raise
    return contributions.get_known(ctx.db, contribution_id)


def required_deposit(ctx: WalletContext, trainer: str) -> int:
    """What an addData to ``trainer`` must carry if sent now: the deposit quote's "send at most" (in wei).

    It depends on the time since the last contribution, so it can change between two signatures.
    """
    return quote(ctx, trainer).send_wei
