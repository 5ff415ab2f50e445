"""A child process for the pending-transaction crash tests: speeds up or cancels a pending transaction and
SIGKILLs itself at a chosen stage of it.

    python -m tests.support.pending_child DATA_DIR URL speed-up|cancel STAGE ACCOUNT PASSWORD TX_HASH

STAGE is one of the ``on_stage`` names of ``pending.speed_up``/``cancel`` ("checking it is still pending",
"signing", "sending" - journaled, not sent - or "sent").
"""

from __future__ import annotations

import sys
from pathlib import Path

from dacwallet.chain.connect import NetworkSpec
from dacwallet.usecases import pending
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.sending import signer_for
from tests.support.crash_child import killer


def main(argv: list[str]) -> int:
    data_dir, url, op, stage, account, password, tx_hash = argv
    ctx = open_wallet(Path(data_dir), NetworkSpec.parse(url))
    signer = signer_for(ctx, account, password)
    print("ready", flush=True)
    replace = pending.cancel if op == "cancel" else pending.speed_up
    replace(ctx, signer, tx_hash, on_stage=killer(stage))
    print("done", flush=True)
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
