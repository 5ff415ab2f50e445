"""Through the CLI on the embedded chain: naming an account with a wrong password does not make it the
default one; only a signature that went through does."""

from __future__ import annotations

import pytest

from tests.usecases.conftest import Cli

GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
OTHER_GOOD = "A great film, brilliant and moving, the best score this year."
DAY = 86_400


def default_account(cli: Cli) -> str:
    """The account a command without --account uses (`account fund` names it)."""
    return cli.ok("account", "fund", "--json").json()["funded"]


@pytest.mark.slow
def test_a_wrong_password_leaves_the_default_account_alone(tmp_path, capsys) -> None:
    cli = Cli(tmp_path, "embedded", capsys)
    cli.ok("account", "new", "alice", "--json", stdin="alice-quiet-harbor-71\n")
    cli.ok("account", "new", "bob", "--json", stdin="bob-lantern-orbit-42\n")
    assert default_account(cli) == "bob"  # the last one added

    wrong = cli(
        "contribute", "--account", "alice", "--password-stdin", "--label", "Positive", GOOD, stdin="not-her-password\n"
    )
    assert wrong.code == 1 and "password" in wrong.err.lower()
    assert default_account(cli) == "bob"

    added = cli.ok(
        "contribute",
        "--account",
        "alice",
        "--password-stdin",
        "--label",
        "Positive",
        GOOD,
        "--json",
        stdin="alice-quiet-harbor-71\n",
    ).json()
    assert default_account(cli) == "alice"  # a signature went through: now she is the last used
    cli.ok(
        "contribute",
        "--account",
        "bob",
        "--password-stdin",
        "--label",
        "Positive",
        OTHER_GOOD,
        "--json",
        stdin="bob-lantern-orbit-42\n",
    )
    assert default_account(cli) == "bob"

    cli.ok("chain", "advance", f"{DAY + 60}s")
    # The reported case: a failed `refund --account alice` switched the default to alice.
    refused = cli("refund", str(added["id"]), "--account", "alice", "--password-stdin", stdin="not-her-password\n")
    assert refused.code == 1 and "password" in refused.err.lower()
    assert default_account(cli) == "bob"
    refused_all = cli("refund", "--all", "--account", "alice", "--password-stdin", stdin="not-her-password\n")
    assert refused_all.code == 1 and "password" in refused_all.err.lower()
    assert default_account(cli) == "bob"
    # An action refused before anything is signed does not switch it either.
    early = cli("refund", "999", "--account", "alice", "--password-stdin", stdin="alice-quiet-harbor-71\n")
    assert early.code == 1 and "no contribution 999" in early.err.lower()
    assert default_account(cli) == "bob"

    refunded = cli.ok(
        "refund", str(added["id"]), "--account", "alice", "--password-stdin", "--json", stdin="alice-quiet-harbor-71\n"
    ).json()
    assert refunded["id"] == added["id"]
    assert default_account(cli) == "alice"
