"""An embedded chain whose default model was deployed from an earlier shipped model (another encoder, or the same
encoder on another kind of model: the perceptron default before issue 17): the next start deploys the current
default and keeps the old one as an ordinary deployment without a local copy, so no page encodes or mirrors the
old contract with the new model's files."""

from __future__ import annotations

from dataclasses import replace

import pytest
from eth_account import Account

from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY
from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.deploy import deploy
from dacwallet.ml.model_file import load_model
from dacwallet.store import chains
from dacwallet.usecases.context import DEFAULT_INCENTIVE, bundle_for, open_wallet
from tests.support import models


@pytest.mark.parametrize("same_encoder", [False, True], ids=["another encoder", "another model type"])
def test_an_outdated_default_is_kept_aside_and_the_current_one_deployed(tmp_path, same_encoder: bool) -> None:
    ctx = open_wallet(tmp_path)
    try:  # make this wallet look like one whose default came from an earlier shipped model
        [current] = chains.list_deployments(ctx.db, ctx.chain_key)
        encoder = current.deployment.encoder if same_encoder else "dacwallet-words/1 sha256:earlier"
        old_spec = replace(models.sparse_perceptron(), name="imdb-default", encoder=encoder)
        old = deploy(TransactionSender(ctx.w3, Account.from_key(FAUCET_PRIVATE_KEY)), old_spec, DEFAULT_INCENTIVE)
        chains.remove_deployment(ctx.db, ctx.chain_key, current.deployment.trainer)
        chains.add_deployment(ctx.db, ctx.chain_key, old, model_file="default", is_default=True)
        [stale] = chains.list_deployments(ctx.db, ctx.chain_key)
        assert bundle_for(stale) is None  # "default" is now another model: no local copy rather than a wrong one
    finally:
        ctx.close()

    ctx = open_wallet(tmp_path)
    try:
        known = {k.deployment.trainer: k for k in chains.list_deployments(ctx.db, ctx.chain_key)}
        assert ctx.deployment is not None and ctx.deployment.trainer not in (old.trainer, current.deployment.trainer)
        assert ctx.deployment.encoder == load_model("default")["encoder"] and known[ctx.deployment.trainer].is_default
        assert ctx.bundle is not None and ctx.bundle.model["encoder"] == ctx.deployment.encoder
        kept = known[old.trainer]
        assert not kept.is_default and kept.model_file is None  # still listed: its contributions stay reachable
    finally:
        ctx.close()

    ctx = open_wallet(tmp_path)  # and once is enough: the next start deploys nothing
    try:
        assert len(chains.list_deployments(ctx.db, ctx.chain_key)) == 2
    finally:
        ctx.close()
