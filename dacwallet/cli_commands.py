"""The CLI's commands: argument definitions and what each does, over the use-cases."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dacwallet.chain.connect import NetworkSpec
from dacwallet.errors import InputError
from dacwallet.paths import default_data_dir

if TYPE_CHECKING:  # the CLI imports the heavy modules only in the command that runs
    from dacwallet.keys.store import AccountInfo
    from dacwallet.usecases.context import WalletContext


@contextmanager
def wallet(args: argparse.Namespace) -> Iterator[Any]:
    """Opens the data folder on the chosen network, settling what a previous run left in the journal."""
    from dacwallet.usecases.context import open_wallet, reset_notice
    from dacwallet.usecases.settle import resolve_journal

    ctx = open_wallet(data_dir(args), NetworkSpec.parse(args.network, args.chain_id))
    notice = reset_notice(ctx)
    if notice is not None:  # said once: the next open finds the network as it is now
        print(f"dacwallet: {notice}", file=sys.stderr)
    try:
        resolve_journal(ctx)
        yield ctx
    finally:
        ctx.close()


def read_text_file(path: str, what: str, limit: int) -> str:
    """A small text file the user named (at most ``limit`` bytes, a regular file), or a clear InputError."""
    from dacwallet.disk import read_bounded

    try:
        return read_bounded(Path(path), limit, what).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"The {what} file {path} is not UTF-8 text.") from None


def data_dir(args: argparse.Namespace) -> Path:
    return args.data_dir if args.data_dir is not None else default_data_dir()


def _signer(ctx: Any, args: argparse.Namespace, account: str | None = None) -> Any:
    from dacwallet.cli import read_secret_lines
    from dacwallet.usecases.sending import signer_for

    password = read_secret_lines(1)[0] if args.password_stdin else None
    return signer_for(ctx, args.account or account, password)


def _fee(args: argparse.Namespace) -> Any:
    """The fee the user typed (--max-fee-gwei / --priority-fee-gwei), or None for the node's suggestion."""
    from dacwallet.chain.fees import FeeOverride

    return FeeOverride.from_gwei(args.max_fee_gwei, args.priority_fee_gwei, args.allow_high_fee)


# ----------------------------------------------------------------------------- accounts


def account_new(args: argparse.Namespace) -> Any:
    from dacwallet.cli import read_secret_lines
    from dacwallet.usecases.account_setup import create_account

    with wallet(args) as ctx:
        password = read_secret_lines(1)[0]
        info, phrase = create_account(ctx.keys, args.name, password)
        # Shown once, on the terminal rather than in the (often saved or piped) result.
        print(
            f"dacwallet: the recovery phrase of '{info.name}' (shown once; write it down, it restores this "
            f"account in any wallet):\n{phrase}",
            file=sys.stderr,
        )
        return _added_account(ctx, info, password, args.remember)


def account_import(args: argparse.Namespace) -> Any:
    from dacwallet.cli import read_secret_lines
    from dacwallet.keys.keyfile import MAX_KEYFILE_BYTES
    from dacwallet.usecases.account_setup import check_new_password

    with wallet(args) as ctx:
        if args.keystore is not None:
            keystore_password, password = read_secret_lines(2)
            text = read_text_file(args.keystore, "keystore", MAX_KEYFILE_BYTES)  # a bad file is said first
            if password:
                check_new_password(password, args.name)
            info = ctx.keys.import_keystore(args.name, text, keystore_password, password or None)
            password = password or keystore_password
        elif args.mnemonic:
            phrase, password = read_secret_lines(2)
            info = ctx.keys.import_mnemonic(
                args.name, phrase, check_new_password(password, args.name), index=args.index
            )
        else:
            key, password = read_secret_lines(2)
            info = ctx.keys.import_private_key(args.name, key, check_new_password(password, args.name))
        return _added_account(ctx, info, password, args.remember)


def _added_account(ctx: WalletContext, info: AccountInfo, password: str, remember: bool) -> dict[str, str]:
    """After create or import: remember the password if asked, fund it (embedded chain), say what was added."""
    from dacwallet.keys.signer import Signer
    from dacwallet.usecases.accounts import fund_new_account

    if remember:
        Signer(ctx.keys, info.address).unlock(password, remember=True)
    fund_new_account(ctx, info)
    return {"name": info.name, "address": info.address}


def account_list(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.accounts import list_accounts

    with wallet(args) as ctx:
        return [
            {
                "name": a.name,
                "address": a.address,
                "balance_eth": None if a.balance_wei is None else a.balance_wei / 1e18,
                "balance_wei": None if a.balance_wei is None else str(a.balance_wei),
            }
            for a in list_accounts(ctx)
        ]


def account_export(args: argparse.Namespace) -> Any:
    from dacwallet.keys.store import KeyStore

    keys = KeyStore(data_dir(args))
    if args.out:
        keys.export_keystore_file(args.name, Path(args.out), replace=args.force)
        return {"exported": args.name, "file": args.out}
    print(keys.export_keystore(args.name))
    return None


def account_delete(args: argparse.Namespace) -> Any:
    from dacwallet.cli import read_secret_lines
    from dacwallet.keys.store import KeyStore

    KeyStore(data_dir(args)).delete(args.name, read_secret_lines(1)[0])
    return {"deleted": args.name}


def account_fund(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.accounts import TEST_ETHER_WEI, give_test_ether

    with wallet(args) as ctx:
        info = ctx.keys.account(args.name) if args.name else ctx.keys.default_account()
        give_test_ether(ctx, info.address)
        return {"funded": info.name, "address": info.address, "eth": TEST_ETHER_WEI / 1e18}


# ----------------------------------------------------------------------------- model


def predict(args: argparse.Namespace) -> Any:
    """The free preview: the encoding, the mirror's and the chain's predictions, the next deposit and refund date;
    with --label also the gas, the most the fee can be and what would block sending, for --account (default:
    the only or last used one)."""
    from dacwallet.cli import format_time
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
            **_quote_fields(deployment, preview.deposit_wei, preview.deposit),
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
            "max_fee_wei": _wei(preview.max_fee_wei),
            "max_fee_eth": None if preview.max_fee_wei is None else preview.max_fee_wei / 1e18,
            "can_send": not preview.blocking,
            "blocking": preview.blocking,
            "advice": preview.advice,
        }


def _quote_fields(deployment: Any, deposit_wei: int | None, quote: Any) -> dict[str, Any]:
    """The deposit before sending, in the words the GUI uses (text lines) and every figure (--json); a points
    model says it takes none and what a refund earns."""
    from dacwallet.usecases.payout import CLAIM_POINTS, pays_points

    if pays_points(deployment):
        return _points_deposit() | {"refund_earns_points": CLAIM_POINTS["refund"]}
    return {
        "deposit_eth": None if deposit_wei is None else deposit_wei / 1e18,
        "deposit_wei": _wei(deposit_wei),
        **(
            {}
            if quote is None
            else {"deposit": quote.summary(), "deposit_why": quote.why(), "deposit_quote": quote.as_json()}
        ),
    }


def _points_deposit() -> dict[str, Any]:
    from dacwallet.usecases.payout import NO_DEPOSIT

    return {"pays": "points", "deposit": NO_DEPOSIT}


def _outcome_fields(deployment: Any, told: Any) -> dict[str, Any]:
    """What the contract kept and what came back at once, in the words the GUI uses (nothing for a points model)."""
    from dacwallet.usecases.payout import pays_points

    if pays_points(deployment):
        return _points_deposit()
    return {} if told is None else {"deposit": told.summary(), "deposit_outcome": told.as_json()}


def _wei(value: int | None) -> str | None:
    """An amount in wei as the CLI prints it: a decimal string (exact in any JSON reader), or None."""
    return None if value is None else str(value)


def contribute(args: argparse.Namespace) -> Any:
    from dacwallet.cli import format_time
    from dacwallet.usecases.contribute import contribute as run_contribute
    from dacwallet.usecases.deposit import outcome
    from dacwallet.usecases.preview import chain_preview

    with wallet(args) as ctx:
        signer = _signer(ctx, args)
        preview = chain_preview(ctx, args.text, args.label, signer.address)
        if preview.blocking:
            raise InputError(" ".join(preview.blocking))
        stored = run_contribute(
            ctx, signer, args.text, args.label, fee=_fee(args), deposit_at_most=preview.deposit.send_wei
        )
        return {
            "id": stored.id,
            "state": stored.state,
            "tx": stored.tx_hash,
            "label": preview.label_name,
            "model_says": preview.chain_class_name,
            **_quote_fields(ctx.deployment, stored.cost or 0, None),
            **_outcome_fields(ctx.deployment, outcome(ctx, stored)),
            "refund_from": format_time(preview.refund_at),
            "advice": preview.advice,
        }


def contributions(args: argparse.Namespace) -> Any:
    from dacwallet.cli import format_time
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
        return [_contribution_row(ctx, s, format_time) for s in listed]


def _contribution_row(ctx: Any, s: Any, format_time: Any) -> dict[str, Any]:
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
        "seconds_left": s.seconds_left,
        "anyone_may_take_now": s.anyone_may_take_now,
        "author": s.stored.author,
        "text": s.stored.text[:60],
        "taken_by": [
            {"by": to, **({"points": 0} if pays_points(deployment) else {"eth": wei / 1e18})} for to, wei in s.taken_by
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


def _claim(deployment: Any, kind: str, wei: int, name: str, *, paid: bool = True) -> dict[str, Any]:
    """What a refund or report pays, in ether or points (a claim that failed earned no points)."""
    from dacwallet.usecases.payout import claim_fields

    fields = claim_fields(deployment, kind, wei, name)
    return fields if paid or f"{name}_points" not in fields else {f"{name}_points": 0}


def _contribution_amounts(deployment: Any, s: Any) -> dict[str, Any]:
    """A listed contribution's deposit and what is left to claim; on a points model, the points its refund earned."""
    from dacwallet.usecases.payout import CLAIM_POINTS, pays_points

    if pays_points(deployment):
        return {**_points_deposit(), "points": CLAIM_POINTS["refund"] if s.status == "refunded" else 0}
    return {
        "deposit_eth": (s.stored.cost or 0) / 1e18,
        **_outcome_fields(deployment, s.deposit),
        "claimable_wei": str(s.claimable),
    }


def refund(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.claims import claim_refund, refund_all

    wanted = None if args.all else _contribution_id(args.id)  # a bad id is refused before anything is opened
    with wallet(args) as ctx:
        signer = _signer(ctx, args)
        if wanted is None:
            return _refunded_all(ctx.deployment, refund_all(ctx, signer, fee=_fee(args)), as_json=args.json)
        receipt = claim_refund(ctx, signer, wanted, fee=_fee(args))
        return {
            "id": wanted,
            "tx": receipt["transactionHash"].to_0x_hex(),
            "gas": receipt["gasUsed"],
            **_earned(ctx.deployment, "refund"),
        }


def _earned(deployment: Any, kind: str) -> dict[str, Any]:
    """On a points model, the points the refund or report (``kind``) earned, as its event counts them."""
    from dacwallet.usecases.payout import CLAIM_POINTS, pays_points, points

    if not pays_points(deployment):
        return {}
    return {"pays": "points", "points": CLAIM_POINTS[kind], "earned": points(CLAIM_POINTS[kind])}


def _refunded_all(deployment: Any, results: list[Any], *, as_json: bool) -> Any:
    """`refund --all`'s rows; when every refund tried failed, the rows are shown and the command fails (exit 1)."""
    from dacwallet.cli import show
    from dacwallet.errors import DacwalletError

    rows = [
        {
            "id": r.contribution_id,
            **_claim(deployment, "refund", r.amount, "amount", paid=r.error is None),
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
    from dacwallet.cli import format_time
    from dacwallet.usecases.community import reportable as find

    with wallet(args) as ctx:
        reporter = ctx.keys.account(args.account).address if args.account else ctx.keys.default_account().address
        return [
            {
                "id": r.id,
                "author": r.contribution.author,
                "label": r.contribution.label,
                "added": format_time(r.contribution.added_time),
                **_claim(ctx.deployment, "report", r.reward_wei, "reward"),
                "why": r.reason,
                "model_says": ctx.require_deployment().classifications[r.prediction],
                "words": list(r.words),
            }
            for r in find(ctx, reporter)
        ]


def report(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.community import report as run_report

    with wallet(args) as ctx:
        target, receipt = run_report(ctx, _signer(ctx, args), args.id, fee=_fee(args))
        return {
            "reported": target.id,
            **_claim(ctx.deployment, "report", target.reward_wei, "reward"),
            **_earned(ctx.deployment, "report"),
            "tx": receipt["transactionHash"].to_0x_hex(),
        }


# ----------------------------------------------------------------------------- pending transactions


def tx_list(args: argparse.Namespace) -> Any:
    from dacwallet.chain.fees import gwei
    from dacwallet.usecases.pending import pending_transactions

    with wallet(args) as ctx:
        sender = ctx.keys.account(args.account).address if args.account else None
        return [
            {
                "hash": p.tx_hash,
                "nonce": p.nonce,
                "account": p.sender,
                "action": p.action,
                "kind": p.kind,
                "contribution_id": p.contribution_id,
                "max_fee_gwei": gwei(p.max_fee_wei),
                "priority_fee_gwei": None if p.priority_fee_wei is None else gwei(p.priority_fee_wei),
                "max_cost_eth": p.max_cost_wei / 1e18,
                "age_s": round(p.age_s),
                "known_to_node": p.known_to_node,
                "replaces": list(p.earlier),
            }
            for p in pending_transactions(ctx, sender)
        ]


def tx_replace(args: argparse.Namespace) -> Any:
    """`tx speed-up HASH` and `tx cancel HASH`: signed by the account that sent HASH (or --account)."""
    from dacwallet.chain.fees import gwei
    from dacwallet.usecases import pending

    with wallet(args) as ctx:
        signer = _signer(ctx, args, pending.sender_of(ctx, args.hash))
        replace = pending.cancel if args.tx_command == "cancel" else pending.speed_up
        r = replace(ctx, signer, args.hash, allow_high_fee=args.allow_high_fee)
        return {
            "replaced": r.replaced,
            "tx": r.tx_hash,
            "nonce": r.nonce,
            "kind": r.kind,
            "max_fee_gwei": gwei(r.max_fee_wei),
            "priority_fee_gwei": None if r.priority_fee_wei is None else gwei(r.priority_fee_wei),
            "mined": r.mined,
            **_deposit_fields(r.deposit),
        }


def _deposit_fields(deposit: Any) -> dict[str, Any]:
    """A sped-up contribution's deposit; the signed one too when the contract now asks for more."""
    if deposit is None:
        return {}
    fields = {"deposit_eth": deposit.carried_wei / 1e18, "deposit_wei": _wei(deposit.carried_wei)}
    if deposit.rose:
        fields.update(
            deposit_raised_from_eth=deposit.signed_wei / 1e18, deposit_raised_from_wei=_wei(deposit.signed_wei)
        )
    return fields


def status(args: argparse.Namespace) -> Any:
    from dataclasses import asdict

    from dacwallet.usecases.chainops import status as chain_status

    with wallet(args) as ctx:
        fields = asdict(chain_status(ctx))
        fields.update(_quote_fields(ctx.deployment, fields.pop("deposit_wei"), None))
        return {**fields, "reset_kept_contributions": ctx.reset_kept}


def chain_advance(args: argparse.Namespace) -> Any:
    from dacwallet.cli import format_time
    from dacwallet.usecases.chainops import advance_clock, parse_duration

    seconds = parse_duration(args.duration)
    with wallet(args) as ctx:
        now = advance_clock(ctx, seconds)
        return {"advanced_s": seconds, "chain_time": format_time(now)}


# ----------------------------------------------------------------------------- registration


def register(commands: argparse._SubParsersAction) -> None:
    def command(
        parent: argparse._SubParsersAction,
        name: str,
        run: Any,
        help_text: str,
        *,
        data: bool = False,
        signs: bool = False,
        fees: bool = False,
    ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(run=run)
        if data:
            p.add_argument("--json", action="store_true", help="print JSON")
        if signs:
            p.add_argument("--account", help="account name (default: the only or the last used one)")
            p.add_argument(
                "--password-stdin",
                action="store_true",
                help="read the password from standard input (default: the OS keyring)",
            )
        if fees:
            p.add_argument(
                "--max-fee-gwei",
                help="max fee per gas (the gas price on a legacy network); default: the node's suggestion",
            )
            p.add_argument("--priority-fee-gwei", help="priority fee (tip) per gas; default: the node's suggestion")
            p.add_argument(
                "--allow-high-fee",
                action="store_true",
                help="confirm a fee past its bounds: more than 10x the node's suggestion, or a "
                "suggestion far above what recent blocks paid (refused otherwise); the total cost must "
                "still fit the balance",
            )
        return p

    account = commands.add_parser("account", help="create, import, list, export, delete accounts")
    acc = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    p = command(acc, "new", account_new, "create an account (password on standard input)", data=True)
    p.add_argument("name")
    p.add_argument("--remember", action="store_true", help="keep the password in the OS keyring")
    p = command(
        acc,
        "import",
        account_import,
        "import an account; standard input: the key or phrase, then the new password "
        "(--keystore: the file's password, then a new one or an empty line to keep it)",
        data=True,
    )
    p.add_argument("name")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--keystore", metavar="FILE", help="a keystore v3 JSON file")
    source.add_argument("--mnemonic", action="store_true", help="a BIP-39 phrase")
    p.add_argument("--index", type=int, default=0, help="account index on m/44'/60'/0'/0/i (mnemonic)")
    p.add_argument("--remember", action="store_true", help="keep the password in the OS keyring")
    command(acc, "list", account_list, "list accounts with balances", data=True)
    p = command(acc, "export", account_export, "print (or --out FILE) an account's keystore JSON", data=True)
    p.add_argument("name")
    p.add_argument("--out", help="write to FILE (mode 0600) instead of printing")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = command(acc, "delete", account_delete, "delete an account (password on standard input)", data=True)
    p.add_argument("name")
    p = command(acc, "fund", account_fund, "get test ether on the embedded chain", data=True)
    p.add_argument("name", nargs="?")

    p = command(
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
    p = command(
        commands, "contribute", contribute, "add a labelled review with a deposit", data=True, signs=True, fees=True
    )
    p.add_argument("--label", required=True, help="a class name (e.g. Positive) or index")
    p.add_argument("text")
    p = command(commands, "contributions", contributions, "your contributions and their status", data=True)
    p.add_argument("--account")
    p.add_argument(
        "--reset", action="store_true", help="only those kept from before this network was reset (their chain is gone)"
    )
    p = command(
        commands, "refund", refund, "claim the refund of contribution ID, or --all", data=True, signs=True, fees=True
    )
    p.add_argument("id", nargs="?")
    p.add_argument("--all", action="store_true")
    p = command(commands, "reportable", reportable, "others' contributions you may report now", data=True)
    p.add_argument("--account")
    p = command(
        commands,
        "report",
        report,
        "report contribution ID (its key, from `reportable`)",
        data=True,
        signs=True,
        fees=True,
    )
    p.add_argument("id")
    command(commands, "status", status, "network, block, model and deposit", data=True)
    tx = commands.add_parser("tx", help="pending transactions: list, speed up, cancel")
    tx_actions = tx.add_subparsers(dest="tx_command", metavar="ACTION", required=True)
    p = command(tx_actions, "list", tx_list, "this wallet's transactions sent but not mined yet", data=True)
    p.add_argument("--account", help="only this account's")
    for action, help_text in (
        ("speed-up", "send pending transaction HASH again with higher fees"),
        ("cancel", "replace pending transaction HASH by a 0-value transfer to yourself (higher fees)"),
    ):
        p = command(tx_actions, action, tx_replace, help_text, data=True, signs=True)
        p.add_argument("hash")
        p.add_argument(
            "--allow-high-fee",
            action="store_true",
            help="confirm a node suggestion far above what recent blocks paid (refused otherwise)",
        )
    chain = commands.add_parser("chain", help="the embedded chain")
    chain_actions = chain.add_subparsers(dest="chain_command", metavar="ACTION", required=True)
    p = command(chain_actions, "advance", chain_advance, "move the embedded chain's clock, e.g. 1d or 12h", data=True)
    p.add_argument("duration")
    from dacwallet.cli_deployments import register_deployments

    register_deployments(commands, command)
    from dacwallet.cli_wallet import register_wallet

    register_wallet(commands, command)
    from dacwallet.sim.cli import register_simulate

    register_simulate(commands)
