"""A wallet on a real anvil whose transactions stay pending: the default model deployed, a funded account,
automine switched off so the test decides when a block is mined."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dacwallet.chain.connect import NetworkSpec
from dacwallet.contracts.deploy import DAY_S, IncentiveParams, deploy
from dacwallet.contracts.deployment import trainer_contract
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.ml.model_file import model_path
from dacwallet.store.chains import add_deployment
from dacwallet.usecases.context import TEST_SCRYPT_ENV, WalletContext, open_wallet
from tests.support.chains import DevChain, run_anvil

PASSWORD = "alice-pw"


@dataclass
class PendingChain:
    node: DevChain
    data_dir: Path
    trainer: str

    @property
    def url(self) -> str:
        return self.node.w3.provider.endpoint_uri

    def open(self) -> WalletContext:
        return open_wallet(self.data_dir, NetworkSpec.parse(self.url))

    def automine(self, on: bool) -> None:
        self.node.w3.provider.make_request("evm_setAutomine", [on])

    def mine(self) -> None:
        self.node.w3.provider.make_request("evm_mine", [])

    def refundable(self, text: str) -> None:
        """Alice contributes ``text`` (Positive) and the chain moves past its refund wait."""
        from dacwallet.usecases.contribute import contribute
        from dacwallet.usecases.sending import signer_for

        ctx = self.open()
        try:
            contribute(ctx, signer_for(ctx, "alice", PASSWORD), text, "Positive")
        finally:
            ctx.close()
        self.node.w3.provider.make_request("evm_increaseTime", [DAY_S + 60])
        self.mine()

    def pool_size(self) -> int:
        status = self.node.w3.provider.make_request("txpool_status", [])["result"]
        return int(status["pending"], 16) + int(status["queued"], 16)

    def add_data_count(self, data: tuple[int, ...], author: str) -> int:
        event = trainer_contract(self.node.w3, self.trainer).events.AddData()
        return sum(
            1
            for log in event.get_logs(from_block=0)
            if tuple(log["args"]["d"]) == data and log["args"]["sender"].lower() == author.lower()
        )


@contextmanager
def pending_chain(data_dir: Path) -> Iterator[PendingChain]:
    """anvil with the default model and an account "alice" (50 ETH) in ``data_dir``; automine left on.
    Keystores use a cheap scrypt cost while it runs (child processes inherit it)."""
    saved = os.environ.get(TEST_SCRYPT_ENV)
    os.environ[TEST_SCRYPT_ENV] = str(2**4)
    try:
        with _deployed(data_dir) as chain:
            yield chain
    finally:
        if saved is None:
            os.environ.pop(TEST_SCRYPT_ENV, None)
        else:
            os.environ[TEST_SCRYPT_ENV] = saved


@contextmanager
def _deployed(data_dir: Path) -> Iterator[PendingChain]:
    with run_anvil(n_accounts=2) as node:
        spec = ModelSpec.from_file(model_path("default"))
        deployment = deploy(
            node.sender(0),
            spec,
            IncentiveParams(refund_wait_s=DAY_S, owner_claim_wait_s=9 * DAY_S, any_address_claim_wait_s=9 * DAY_S),
        )
        chain = PendingChain(node, data_dir, deployment.trainer)
        ctx = chain.open()
        try:
            add_deployment(ctx.db, ctx.chain_key, deployment, model_file="default", is_default=True)
            alice = ctx.keys.create("alice", PASSWORD)
            node.sender(1).transact({"to": alice.address, "value": 50 * 10**18}, action="funding")
        finally:
            ctx.close()
        yield chain
