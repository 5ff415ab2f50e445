"""What most commands share: the wallet opened on the chosen network, the signer, the fee the user typed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from dacwallet.chain.connect import NetworkSpec
from dacwallet.cli.inputs import read_secrets
from dacwallet.paths import default_data_dir

if TYPE_CHECKING:  # the CLI imports the heavy modules only in the command that runs
    from dacwallet.chain.fees import FeeOverride
    from dacwallet.usecases.context import WalletContext
    from dacwallet.usecases.sending import UnlockedSigner


@contextmanager
def wallet(args: argparse.Namespace) -> Iterator[WalletContext]:
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


def data_dir(args: argparse.Namespace) -> Path:
    return args.data_dir if args.data_dir is not None else default_data_dir()


def signer(ctx: WalletContext, args: argparse.Namespace, account: str | None = None) -> UnlockedSigner:
    """The account that signs: --account, else ``account``, else the default; unlocked by the password on standard
    input (--password-stdin) or the one the OS keyring remembers."""
    from dacwallet.usecases.sending import signer_for

    password = read_secrets("password")[0] if args.password_stdin else None
    return signer_for(ctx, args.account or account, password)


def fee(args: argparse.Namespace) -> FeeOverride | None:
    """The fee the user typed (--max-fee-gwei / --priority-fee-gwei), or None for the node's suggestion."""
    from dacwallet.chain.fees import FeeOverride

    return FeeOverride.from_gwei(args.max_fee_gwei, args.priority_fee_gwei, args.allow_high_fee)
