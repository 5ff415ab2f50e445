"""A child process for the crash tests: runs one use-case and SIGKILLs itself at a chosen stage.

    python -m tests.support.crash_child DATA_DIR contribute STAGE ACCOUNT PASSWORD LABEL TEXT
    python -m tests.support.crash_child DATA_DIR refund STAGE ACCOUNT PASSWORD CONTRIBUTION_ID
    python -m tests.support.crash_child DATA_DIR report STAGE ACCOUNT PASSWORD KEY
    python -m tests.support.crash_child DATA_DIR send STAGE ACCOUNT PASSWORD TO WEI
    python -m tests.support.crash_child DATA_DIR loop - ACCOUNT PASSWORD LABEL COUNT FIRST

STAGE is one of the ``on_stage`` names of ``send_journaled`` ("estimating", "signing", "sending",
"waiting for the receipt"); when it is reached the process kills itself with SIGKILL, so nothing
(no finally, no atexit, no SQLite close) runs after it. A stage never reached lets the use-case
finish and prints "done". ``loop`` contributes COUNT distinct reviews (from the FIRST-th on), printing "added ID" after
each, for the parent to kill at a random moment (often in the middle of a block write).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from dacwallet.paths import resources_dir
from dacwallet.usecases.claims import claim_refund
from dacwallet.usecases.community import report
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.sending import signer_for
from dacwallet.usecases.transfer import send_ether

LOOP_BASE = "Loop review: a film and a story"


def vocab_words(start: int, count: int) -> list[str]:
    """Plain words from the shipped vocabulary, so reviews that differ by one of them encode differently."""
    words = []
    for line in (resources_dir() / "models" / "imdb-words.vocab.txt").read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word.isalpha() and word.isascii() and len(word) > 3:
            words.append(word)
    return words[start : start + count]


def loop_words(count: int) -> list[str]:
    return vocab_words(50, count)


def loop_text(words: list[str], i: int) -> str:
    return f"{LOOP_BASE} {words[i]}"


def killer(stage: str):
    def on_stage(reached: str) -> None:
        print(f"stage {reached}", flush=True)
        if reached == stage:
            os.kill(os.getpid(), signal.SIGKILL)

    return on_stage


def main(argv: list[str]) -> int:
    data_dir, op, stage, account, password, *rest = argv
    ctx = open_wallet(Path(data_dir))
    signer = signer_for(ctx, account, password)
    print("ready", flush=True)
    if op == "contribute":
        label, text = rest
        stored = contribute(ctx, signer, text, label, on_stage=killer(stage))
        print(f"done {stored.id} {stored.state}", flush=True)
    elif op == "refund":
        claim_refund(ctx, signer, int(rest[0]), on_stage=killer(stage))
        print("done", flush=True)
    elif op == "report":
        report(ctx, signer, rest[0], on_stage=killer(stage))
        print("done", flush=True)
    elif op == "send":
        send_ether(ctx, signer, rest[0], int(rest[1]), on_stage=killer(stage))
        print("done", flush=True)
    elif op == "loop":
        label, count, first = rest[0], int(rest[1]), int(rest[2])
        words = loop_words(first + count)
        for i in range(first, first + count):
            stored = contribute(ctx, signer, loop_text(words, i), label)
            print(f"added {stored.id}", flush=True)
        print("done", flush=True)
    else:
        raise SystemExit(f"unknown operation {op!r}")
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
