"""`dacwallet deployment ...`: add, list, use, remove known deployments; deploy new ones, resume, abandon.

`remove` refuses (exit 1) the embedded chain's default model, and the active deployment while other
deployments are known (`use` another first); removing forgets only the address: the chain keeps the
contracts and the store keeps your contributions on it (add it again to see them).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from dacwallet.cli.options import Subcommands, add_command, allow_high_fee
from dacwallet.cli.session import signer, wallet
from dacwallet.errors import InputError

if TYPE_CHECKING:
    from dacwallet.contracts.deploy import IncentiveParams
    from dacwallet.usecases.deploy_run import Finished
    from dacwallet.usecases.deployments import KnownRow


def deployment_add(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.deployments import add_known

    with wallet(args) as ctx:
        row = add_known(ctx, args.address, args.model_file, args.vocab)
        if row.local_note:
            print(f"dacwallet: {row.local_note}", file=sys.stderr)
        return _row(row)


def deployment_list(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.deployments import known_deployments, unfinished

    with wallet(args) as ctx:
        stopped = unfinished(ctx)
        if stopped is not None:
            print(
                f"dacwallet: an unfinished deployment: {stopped.describe()}; `dacwallet deployment resume` "
                "finishes it, `dacwallet deployment abandon` forgets it.",
                file=sys.stderr,
            )
        return [_row(r) for r in known_deployments(ctx)]


def _row(r: KnownRow) -> dict[str, Any]:
    d = r.known.deployment
    return {
        "trainer": d.trainer,
        "name": d.name,
        "model": d.model_type,
        "incentive": d.incentive,
        "active": r.active,
        "default": r.known.is_default,
        "contributions": r.own_contributions,
        "model_file": r.known.model_file,
        "vocab_file": r.known.vocab_file,
    }


def deployment_use(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.deployments import use_deployment

    with wallet(args) as ctx:
        return _row(use_deployment(ctx, args.address))


def deployment_remove(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.deployments import remove_deployment

    with wallet(args) as ctx:
        row = remove_deployment(ctx, args.address)
        result: dict[str, Any] = {"removed": row.known.deployment.trainer, "name": row.known.deployment.name}
        if row.own_contributions:
            result["kept_contributions"] = row.own_contributions
            result["note"] = (
                "your contributions to it stay in the local store; `dacwallet deployment add` it again to see them"
            )
        if row.active:
            result["note"] = "no model is active on this chain now; `dacwallet deployment add ADDRESS` adds one"
        return result


def _incentive(args: argparse.Namespace) -> IncentiveParams:
    from dacwallet.contracts.deploy import IncentiveParams
    from dacwallet.usecases.context import DEFAULT_INCENTIVE

    refund = _wait(args.refund_wait, DEFAULT_INCENTIVE.refund_wait_s)
    take = _wait(args.take_wait, DEFAULT_INCENTIVE.any_address_claim_wait_s)
    if args.points:
        params = IncentiveParams(
            kind="points", refund_wait_s=refund, owner_claim_wait_s=take, any_address_claim_wait_s=take
        )
    else:
        cost = DEFAULT_INCENTIVE.cost_weight if args.cost_weight is None else args.cost_weight
        params = IncentiveParams(
            refund_wait_s=refund, owner_claim_wait_s=take, any_address_claim_wait_s=take, cost_weight=cost
        )
    params.validate()
    return params


def _wait(text: str | None, default: int) -> int:
    from dacwallet.usecases.chainops import parse_duration

    if text is None:
        return default
    return 0 if text.strip() in ("0", "0s") else parse_duration(text)


def _progress_lines(step: str, done: int, total: int) -> None:
    print(f"deploying: {step} ({done}/{total})", file=sys.stderr, flush=True)


def _finished(finished: Finished) -> dict[str, Any]:
    d = finished.deployment
    result = {
        "trainer": d.trainer,
        "classifier": d.classifier,
        "name": d.name,
        "model": d.model_type,
        "incentive": d.incentive,
        "classifications": list(d.classifications),
        "gas_used": finished.gas_used,
        "transactions": finished.transactions,
        "active": True,
        "model_file": finished.model_file,
    }
    if finished.mirror_note:
        result["mirror"] = finished.mirror_note
    return result


def deployment_new(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.deployments import start_deployment

    incentive = _incentive(args)  # usage problems before anything is opened or signed
    with wallet(args) as ctx:
        return _finished(
            start_deployment(
                ctx, signer(ctx, args), args.model, incentive, _progress_lines, allow_high_fee=args.allow_high_fee
            )
        )


def deployment_resume(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.deployments import resume_deployment, unfinished

    with wallet(args) as ctx:
        stopped = unfinished(ctx)
        if stopped is None:
            raise InputError("There is no unfinished deployment on this chain; `dacwallet deployment new` starts one.")
        print(f"dacwallet: resuming: {stopped.describe()}", file=sys.stderr)
        deployer = signer(ctx, args, stopped.progress.deployer)
        return _finished(resume_deployment(ctx, deployer, _progress_lines, allow_high_fee=args.allow_high_fee))


def deployment_abandon(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.deployments import abandon_deployment

    with wallet(args) as ctx:
        gone = abandon_deployment(ctx)
        p = gone.progress
        exists = p.classifier is not None or p.pending is not None
        note = (
            f"forgotten; what exists stays on the chain, unused (the model contract stays owned by {p.deployer})"
            if exists
            else "forgotten; nothing of it was on the chain"
        )
        if p.pending is not None:
            note += f"; its last transaction {p.pending['tx']} was sent and may still be mined"
        return {
            "abandoned": gone.model_name,
            "model_file": gone.model_file,
            "model_contract": p.classifier,
            "chunks_uploaded": p.chunks_done,
            "entry_point": p.trainer,
            "handed_over": p.handed_over,
            "pending_tx": p.pending["tx"] if p.pending else None,
            "note": note,
        }


def register(commands: Subcommands) -> None:
    deployments = commands.add_parser("deployment", help="models known on this chain; deploy a new one")
    dep = deployments.add_subparsers(dest="deployment_command", metavar="ACTION", required=True)
    p = add_command(dep, "add", deployment_add, "validate and add a deployment by its entry-point address", data=True)
    p.add_argument("address")
    p.add_argument(
        "--model-file",
        help="the model file it was deployed from, for the local mirror (a dacwallet "
        "model file, or the reference's own model JSON); checked against the chain",
    )
    p.add_argument("--vocab", metavar="PATH", help='the vocabulary JSON of the reference\'s "IMDB vocab" encoder')
    add_command(
        dep, "list", deployment_list, "known deployments (which one is active, which is the default)", data=True
    )
    p = add_command(
        dep, "use", deployment_use, "make a known deployment the active one (kept for the next commands)", data=True
    )
    p.add_argument("address")
    p = add_command(
        dep,
        "remove",
        deployment_remove,
        "forget a deployment (not the embedded default; not the active one while others are known)",
        data=True,
    )
    p.add_argument("address")
    p = add_command(
        dep, "new", deployment_new, "deploy a model file (progress on standard error; resumable)", data=True, signs=True
    )
    p.add_argument("--model", required=True, metavar="FILE", help="a model file (the resources/models/*.json format)")
    p.add_argument("--refund-wait", metavar="DURATION", help="before a contributor's refund, e.g. 1d (default 1d)")
    p.add_argument(
        "--take-wait",
        metavar="DURATION",
        help="before an unrefunded deposit may be reported and taken, e.g. 9d (default 9d)",
    )
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--cost-weight", type=int, metavar="WEI", help="deposit scale (default 10^15 wei)")
    kind.add_argument("--points", action="store_true", help="reputation points instead of deposits")
    allow_high_fee(p, "every transaction of the deployment")
    p = add_command(
        dep, "resume", deployment_resume, "finish the deployment that stopped part-way", data=True, signs=True
    )
    allow_high_fee(p, "every transaction of the deployment")
    add_command(
        dep,
        "abandon",
        deployment_abandon,
        "forget the deployment that stopped part-way, saying what stays on the chain",
        data=True,
    )
