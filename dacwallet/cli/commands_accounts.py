"""`dacwallet account ...`: create, import, list, export, delete and fund accounts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dacwallet.cli.inputs import confirmed, read_secrets, read_text_file
from dacwallet.cli.options import Subcommands, add_command, secrets_from_stdin
from dacwallet.cli.session import data_dir, wallet

if TYPE_CHECKING:
    from dacwallet.usecases.account_add import Added


def account_new(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.account_add import finish_new_account
    from dacwallet.usecases.account_setup import create_account

    with wallet(args) as ctx:
        password = confirmed(read_secrets("the new password")[0])
        info, phrase = create_account(ctx.keys, args.name, password)
        # Shown once, on the terminal rather than in the (often saved or piped) result.
        print(
            f"dacwallet: the recovery phrase of '{info.name}' (shown once; write it down, it restores this "
            f"account in any wallet):\n{phrase}",
            file=sys.stderr,
        )
        return _said(finish_new_account(ctx.keys, ctx, info, password, args.remember))


def account_import(args: argparse.Namespace) -> Any:
    from dacwallet.keys.keyfile import MAX_KEYFILE_BYTES
    from dacwallet.usecases.account_add import add_imported

    with wallet(args) as ctx:
        if args.keystore is not None:
            keystore_password, password = read_secrets(
                "the keystore file's password", "a new password (an empty line keeps that one)"
            )
            password = confirmed(password)
            text = read_text_file(args.keystore, "keystore", MAX_KEYFILE_BYTES)  # a bad file is said first
            added = add_imported(ctx.keys, ctx, "keystore", args.name, text, password, args.remember, keystore_password)
        elif args.mnemonic:
            phrase, password = read_secrets("the recovery phrase", "the new password")
            password = confirmed(password)
            added = add_imported(
                ctx.keys, ctx, "mnemonic", args.name, phrase, password, args.remember, index=args.index
            )
        else:
            key, password = read_secrets("the private key", "the new password")
            password = confirmed(password)
            added = add_imported(ctx.keys, ctx, "key", args.name, key, password, args.remember)
        return _said(added)


def _said(added: Added) -> dict[str, str]:
    """What was added; and, when remembering the password or the test ether failed, why (the account is there)."""
    said = {"name": added.info.name, "address": added.info.address}
    return said if added.note is None else {**said, "note": added.note}


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
    from dacwallet.keys.store import KeyStore

    KeyStore(data_dir(args)).delete(args.name, read_secrets(f"the password of {args.name}")[0])
    return {"deleted": args.name}


def account_fund(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.accounts import TEST_ETHER_WEI, give_test_ether

    with wallet(args) as ctx:
        info = ctx.keys.account(args.name) if args.name else ctx.keys.default_account()
        give_test_ether(ctx, info.address)
        return {"funded": info.name, "address": info.address, "eth": TEST_ETHER_WEI / 1e18}


def register(commands: Subcommands) -> None:
    account = commands.add_parser("account", help="create, import, list, export, delete accounts")
    acc = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    p = add_command(acc, "new", account_new, "create an account (password on standard input)", data=True)
    p.add_argument("name")
    secrets_from_stdin(p, "the new password")
    p.add_argument("--remember", action="store_true", help="keep the password in the OS keyring")
    p = add_command(
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
    secrets_from_stdin(p, "the key or phrase (or the file's password) and the new password")
    p.add_argument("--remember", action="store_true", help="keep the password in the OS keyring")
    add_command(acc, "list", account_list, "list accounts with balances", data=True)
    p = add_command(acc, "export", account_export, "print (or --out FILE) an account's keystore JSON", data=True)
    p.add_argument("name")
    p.add_argument("--out", help="write to FILE (mode 0600) instead of printing")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = add_command(acc, "delete", account_delete, "delete an account (password on standard input)", data=True)
    p.add_argument("name")
    secrets_from_stdin(p, "the account's password")
    p = add_command(acc, "fund", account_fund, "get test ether on the embedded chain", data=True)
    p.add_argument("name", nargs="?")
