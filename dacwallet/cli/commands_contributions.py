"""Contributing to the model: `predict` (free), `contribute`, `contributions`, `refund`, `reportable`, `report`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from dacwallet.cli.fields import claim, earned, outcome_fields, points_deposit, quote_fields, wei
from dacwallet.cli.options import Subcommands, add_command
from dacwallet.cli.output import Worded, format_time, show, span
from dacwallet.cli.session import fee, signer, wallet
from dacwallet.errors import InputError

if TYPE_CHECKING:
    from dacwallet.contracts.deployment import Deployment
    from dacwallet.usecases.claims import ClaimResult, ContributionStatus
    from dacwallet.usecases.context import WalletContext


def predict(args: argparse.Namespace) -> Any:
    """The free preview: the encoding, the mirror's and the chain's predictions, the next deposit and refund date;
    with --label also the gas, the most the fee can be and what would block sending, for --account (default:
    the only or last used one)."""
    from dacwallet.usecases.preview import chain_preview
    from dacwallet.usecases.sync_mirror import current_mirror

    if args.account is not None and args.label is None:
        raise InputError("--account picks who would send the contribution: give its --label too.")
    with wallet(args) as ctx:
        deployment = ctx.require_deployment()
        sender = None
        if args.label is not None:
            sender = (ctx.keys.account(args.account) if args.account else ctx.keys.default_account()).address
        label = args.label if args.label is not None else 0
        preview = chain_preview(ctx, args.text, label, sender, current_mirror(ctx))
        local = preview.local
        result = {
            "prediction": preview.chain_class_name,
            "label_index": preview.chain_prediction,
            "mirror_prediction": local.class_name if local else None,
            "mirror_agrees": preview.mirror_agrees,
            "features": list(local.indices) if local else None,
            "model": deployment.name,
            **quote_fields(deployment, preview.deposit_wei, preview.deposit),
            "refund_from": format_time(preview.refund_at),
            "anyone_may_take_from": format_time(preview.anyone_may_take_at),
        }
        if sender is None:
            return result
        return {
            **result,
            "label": preview.label_name,
            "model_agrees": preview.model_agrees,
            "account": sender,
            "gas": preview.gas,
            "max_fee_wei": wei(preview.max_fee_wei),
            "max_fee_eth": None if preview.max_fee_wei is None else preview.max_fee_wei / 1e18,
            "can_send": not preview.blocking,
            "blocking": preview.blocking,
            "advice": preview.advice,
        }


def contribute(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.contribution_send import send_previewed
    from dacwallet.usecases.deposit import outcome
    from dacwallet.usecases.preview import chain_preview

    with wallet(args) as ctx:
        sender = signer(ctx, args)
        preview = chain_preview(ctx, args.text, args.label, sender.address)
        stored = send_previewed(ctx, sender, args.text, preview, fee=fee(args))
        return {
            "id": stored.id,
            "state": stored.state,
            "tx": stored.tx_hash,
            "label": preview.label_name,
            "model_says": preview.chain_class_name,
            **quote_fields(ctx.deployment, stored.cost or 0, None),
            **outcome_fields(ctx.deployment, outcome(ctx, stored)),
            "refund_from": format_time(preview.refund_at),
            "advice": preview.advice,
        }


def contributions(args: argparse.Namespace) -> Any:
    from dacwallet.errors import ContractError
    from dacwallet.usecases.claims import own_contributions, reset_contributions

    with wallet(args) as ctx:
        author = ctx.keys.account(args.account).address if args.account else None
        kept = reset_contributions(ctx, author)
        if args.reset:  # works with no model on this chain: only the store is read
            listed = kept
        elif ctx.deployment is None and kept:
            raise ContractError(
                f"No model is known on this chain yet; add one by its address (`dacwallet deployment "
                f"add ADDRESS`). {len(kept)} contribution(s) from before this network was reset are "
                "kept: `dacwallet contributions --reset` lists them."
            )
        else:
            listed = own_contributions(ctx, author)
        return [_contribution_row(ctx, s) for s in listed]


def _contribution_row(ctx: WalletContext, s: ContributionStatus) -> dict[str, Any]:
    from dacwallet.usecases.payout import pays_points

    if s.stored.reset_at is not None:  # its own (old) deployment's class name, or the index if that is unknown
        label = s.label_name or str(s.stored.label)
    else:
        label = ctx.require_deployment().classifications[s.stored.label]
    deployment = ctx.deployment if s.stored.reset_at is None else None
    row = {
        "id": s.id,
        "status": s.status,
        "label": label,
        "model_agrees": s.model_agrees,
        **_contribution_amounts(deployment, s),
        "refund_from": format_time(s.refund_at),
        "seconds_left": span(s.seconds_left),
        "anyone_may_take_now": s.anyone_may_take_now,
        "author": s.stored.author,
        "text": s.stored.text[:60],
        "taken_by": [
            {"by": to, **({"points": 0} if pays_points(deployment) else {"eth": amount / 1e18})}
            for to, amount in s.taken_by
        ],
        "error": s.stored.error,
    }
    if s.status == "draft":  # saved, then the run stopped (killed, a full disk) before anything was signed
        row.update(
            text=s.stored.text,
            note="not sent: the run that saved it stopped before signing, so nothing "
            "was paid; contribute the text again to send it",
        )
    if s.stored.reset_at is not None:  # the whole text, to copy and contribute again
        row.update(
            text=s.stored.text,
            tx=s.stored.tx_hash,
            label_index=s.stored.label,
            note="chain reset: not on this chain any more; the text is kept",
        )
    return row


def _contribution_amounts(deployment: Deployment | None, s: ContributionStatus) -> dict[str, Any]:
    """A listed contribution's deposit and what is left to claim; on a points model, the points its refund earned."""
    from dacwallet.usecases.payout import CLAIM_POINTS, pays_points

    if pays_points(deployment):
        return {**points_deposit(), "points": CLAIM_POINTS["refund"] if s.status == "refunded" else 0}
    return {
        "deposit_eth": (s.stored.cost or 0) / 1e18,
        **outcome_fields(deployment, s.deposit),
        "claimable_wei": str(s.claimable),
    }


def refund(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.activity import paid_out
    from dacwallet.usecases.claims import claim_refund, refund_all

    wanted = None if args.all else _contribution_id(args.id)  # a bad id is refused before anything is opened
    with wallet(args) as ctx:
        sender = signer(ctx, args)
        if wanted is None:
            return _refunded_all(ctx.deployment, refund_all(ctx, sender, fee=fee(args)), as_json=args.json)
        receipt = claim_refund(ctx, sender, wanted, fee=fee(args))
        return {
            "id": wanted,
            "tx": receipt["transactionHash"].to_0x_hex(),
            "gas": receipt["gasUsed"],
            # The point it earned (points), or what came back as the Refund event says (ether).
            **(
                earned(ctx.deployment, "refund")
                or claim(ctx.deployment, "refund", paid_out(receipt, sender.address), "amount")
            ),
        }


def _refunded_all(deployment: Deployment | None, results: list[ClaimResult], *, as_json: bool) -> Any:
    """`refund --all`'s rows; when every refund tried failed, the rows are shown and the command fails (exit 1)."""
    from dacwallet.errors import DacwalletError

    rows = [
        {
            "id": r.contribution_id,
            **claim(deployment, "refund", r.amount, "amount", paid=r.error is None),
            "error": r.error,
        }
        for r in results
    ]
    if rows and all(r.error is not None for r in results):
        show(rows, as_json=as_json)
        raise DacwalletError(f"No refund was claimed: all {len(rows)} tried failed (each one's error is above).")
    return rows


# SQLite's largest integer: a longer number cannot be a contribution's id.
_MAX_ID = 2**63 - 1


def _contribution_id(text: str | None) -> int:
    """A contribution id as typed (ASCII digits), or a clear InputError."""
    if text is None or not (text.isascii() and text.isdigit()):
        raise InputError("Give the id of a contribution (see `dacwallet contributions`) or --all.")
    if len(text) > len(str(_MAX_ID)) or int(text) > _MAX_ID:
        raise InputError(
            f"There is no contribution {text[:24]}{'…' if len(text) > 24 else ''}; see `dacwallet contributions`."
        )
    return int(text)


def reportable(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.community import reportable as find

    with wallet(args) as ctx:
        reporter = ctx.keys.account(args.account).address if args.account else ctx.keys.default_account().address
        classes = ctx.require_deployment().classifications
        return [
            {
                "id": r.id,
                "author": r.contribution.author,
                "label": _label(classes, r.contribution.label),
                "added": format_time(r.contribution.added_time),
                **claim(ctx.deployment, "report", r.reward_wei, "reward"),
                "why": r.reason,
                "model_says": classes[r.prediction],
                "words": list(r.words),
            }
            for r in find(ctx, reporter)
        ]


def _label(classes: tuple[str, ...], index: int) -> Worded:
    """A label index as its class name in text lines (the index itself when the model has no such class)."""
    return Worded(index, classes[index] if 0 <= index < len(classes) else str(index))


def report(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.community import report as run_report

    with wallet(args) as ctx:
        target, receipt = run_report(ctx, signer(ctx, args), args.id, fee=fee(args))
        return {
            "reported": target.id,
            **claim(ctx.deployment, "report", target.reward_wei, "reward"),
            **earned(ctx.deployment, "report"),
            "tx": receipt["transactionHash"].to_0x_hex(),
        }


def register(commands: Subcommands) -> None:
    p = add_command(
        commands,
        "predict",
        predict,
        "what the model predicts for TEXT, the deposit and refund date (free); "
        "with --label the whole preview of contributing it: gas, max fee, what blocks sending",
        data=True,
    )
    p.add_argument("text")
    p.add_argument("--label", help="the label you would contribute it with (a class name or index)")
    p.add_argument("--account", help="who would send it (default: the only or the last used one)")
    p = add_command(
        commands, "contribute", contribute, "add a labelled review with a deposit", data=True, signs=True, fees=True
    )
    p.add_argument("--label", required=True, help="a class name (e.g. Positive) or index")
    p.add_argument("text")
    p = add_command(commands, "contributions", contributions, "your contributions and their status", data=True)
    p.add_argument("--account")
    p.add_argument(
        "--reset", action="store_true", help="only those kept from before this network was reset (their chain is gone)"
    )
    p = add_command(
        commands, "refund", refund, "claim the refund of contribution ID, or --all", data=True, signs=True, fees=True
    )
    p.add_argument("id", nargs="?")
    p.add_argument("--all", action="store_true")
    p = add_command(commands, "reportable", reportable, "others' contributions you may report now", data=True)
    p.add_argument("--account")
    p = add_command(
        commands,
        "report",
        report,
        "report contribution ID (its key, from `reportable`)",
        data=True,
        signs=True,
        fees=True,
    )
    p.add_argument("id")
