"""Deployment mechanics: chunked uploads that skip zeros, progress, stopping and resuming, and attach()."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.artifacts import TRAINER_POINTS, TRAINER_STAKEABLE
from dacwallet.contracts.deploy import DeploymentProgress, IncentiveParams, deploy
from dacwallet.contracts.deployment import attach
from dacwallet.contracts.packing import upload_runs
from dacwallet.errors import ContractError, DacwalletError, DeploymentError, InputError
from tests.support import models
from tests.support.raw_contracts import deploy_artifact
from tests.support.trainer import TrainerClient

E9 = 10**9
DAY = 86_400
POINTS = IncentiveParams(kind="points")


def gapped_perceptron(n: int, zero: range, name: str = "gapped") -> Any:
    """n weights, all non-zero except the ``zero`` stretch."""
    weights = [0 if i in zero else ((i % 7) - 3 or 1) * E9 // 10 * ((i % 5) + 1) for i in range(n)]
    spec = models.sparse_perceptron(weights=weights)
    return spec.__class__(**{**spec.__dict__, "name": name})


def predict(spec, data: list[int]) -> int:
    weights = dict(enumerate(spec.weights))
    return int(spec.intercept + sum(weights.get(i, 0) for i in data) > 0)


def weight(client: TrainerClient, index: int) -> int:
    return client.model.get_function_by_signature("weights(uint64)")(index).call()


@dataclass
class FailingSigner:
    """Signs like the account it wraps, except that its N-th signature (1-based) fails."""

    account: Any
    fail_at: int
    calls: int = 0

    @property
    def address(self) -> str:
        return self.account.address

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> Any:
        self.calls += 1
        if self.calls == self.fail_at:
            raise DacwalletError("The hardware wallet was unplugged.")
        return self.account.sign_transaction(transaction_dict)


def test_large_model_uploads_in_chunks_and_skips_zeros(chain) -> None:
    spec = gapped_perceptron(3000, range(1000, 2000))
    seen: list[tuple[str, int, int]] = []
    progress_box: list[DeploymentProgress] = []

    def on_progress(progress: DeploymentProgress, step: str, done: int, total: int) -> None:
        progress_box.append(progress)
        seen.append((step, done, total))

    deployment = deploy(chain.sender(0), spec, POINTS, on_progress=on_progress)
    progress = progress_box[-1]
    words = spec.upload_words()
    runs = upload_runs(words, max_words=progress.chunk_words)
    assert len(words) == 600 and sum(1 for w in words if w == 0) == 200
    assert len(runs) >= 2  # at least the zero stretch splits the upload
    assert all(0 < len(chunk) <= progress.chunk_words for _, chunk in runs)
    assert sum(len(chunk) for _, chunk in runs) == 400  # the 200 zero words cost no transaction
    assert progress.chunks_done == len(runs)
    assert len(progress.transactions) == len(set(progress.transactions)) == len(runs) + 3
    assert progress.handed_over and progress.trainer == deployment.trainer
    assert progress.classifier == deployment.classifier
    # The gas limit is 30M and a chunk may use 40% of it: each chunk's gas says so.
    limit = chain.w3.eth.get_block("latest")["gasLimit"]
    for tx_hash in progress.transactions[1:-2]:
        assert chain.w3.eth.get_transaction_receipt(tx_hash)["gasUsed"] <= 0.4 * limit
    done = [d for _, d, _ in seen]
    assert done == sorted(set(done)) and done[0] == 1 and done[-1] == seen[-1][2] == len(runs) + 3
    assert all(total == len(runs) + 3 for _, _, total in seen)
    assert seen[-1][0] == "model handed over"
    client = TrainerClient(chain, deployment)
    assert deployment.model_type == "sparse_perceptron" and deployment.name == "gapped"
    for i in (0, 1, 999, 1000, 1500, 1999, 2000, 2999, 3000):
        assert weight(client, i) == (spec.weights[i] if i < 3000 else 0), i
    for data in ([0, 1, 2], [999, 2000, 2001], list(range(2990, 3000)), [1500], [5, 6, 7, 2500]):
        assert client.predict(data) == predict(spec, data)


def test_a_stopped_deployment_resumes_where_it_stopped(chain) -> None:
    spec = gapped_perceptron(100, range(25, 75), name="resumable")
    assert len(upload_runs(spec.upload_words(), max_words=2_000)) == 2
    # Signatures: 1 model, 2-3 chunks, 4 entry point, 5 hand-over. The third fails.
    failing = TransactionSender(chain.w3, FailingSigner(chain.accounts[0], fail_at=3))
    with pytest.raises(DeploymentError) as caught:
        deploy(failing, spec, POINTS)
    progress = caught.value.progress
    assert isinstance(progress, DeploymentProgress)
    assert progress.classifier and progress.chunks_done == 1 and progress.trainer is None
    assert not progress.handed_over and len(progress.transactions) == 2
    message = caught.value.user_message
    assert "hardware wallet was unplugged" in message
    assert f"model contract: {progress.classifier}" in message and "parameter chunks uploaded: 1" in message
    assert "entry point: not deployed" in message and "Resume" in message
    # The saved progress is JSON; a fresh process would load it back.
    saved = json.loads(json.dumps(progress.to_dict()))
    other = gapped_perceptron(100, range(25, 76), name="resumable")
    with pytest.raises(InputError, match="different model"):
        deploy(chain.sender(0), other, POINTS, resume=DeploymentProgress.from_dict(saved))
    with pytest.raises(InputError, match="different model or incentive"):
        deploy(chain.sender(0), spec, IncentiveParams(), resume=DeploymentProgress.from_dict(saved))
    deployment = deploy(chain.sender(0), spec, POINTS, resume=DeploymentProgress.from_dict(saved))
    assert deployment.classifier == progress.classifier
    assert chain.w3.eth.get_transaction_count(chain.accounts[0].address) == 2 + 3  # nothing was redone
    client = TrainerClient(chain, deployment)
    assert [weight(client, i) for i in range(100)] == list(spec.weights)
    for data in ([0, 1, 2], [80, 90], [24, 75], list(range(100))):
        assert client.predict(data) == predict(spec, data)
    client.add(1, [30], 1)  # the entry point owns the model: it learns through addData
    assert weight(client, 30) == spec.learning_rate


def test_resume_after_the_entry_point_was_deployed(chain) -> None:
    spec = models.sparse_perceptron()
    # Signatures: 1 model, 2 the one chunk, 3 entry point, 4 hand-over (fails).
    with pytest.raises(DeploymentError) as caught:
        deploy(TransactionSender(chain.w3, FailingSigner(chain.accounts[0], fail_at=4)), spec)
    progress = caught.value.progress
    assert progress.trainer and not progress.handed_over
    assert "model not yet handed over" in caught.value.user_message
    with pytest.raises(ContractError, match="owned by"):
        attach(chain.w3, progress.trainer)  # half-deployed: attach refuses it
    deployment = deploy(chain.sender(0), spec, resume=progress)
    assert (deployment.trainer, deployment.classifier) == (progress.trainer, progress.classifier)
    assert deployment.incentive == "stakeable"
    assert TrainerClient(chain, deployment).predict([0, 1]) == 1


def test_attach_refuses_an_account_without_code(chain) -> None:
    with pytest.raises(ContractError, match="no contract"):
        attach(chain.w3, chain.accounts[3].address)
    with pytest.raises(ContractError, match="not an Ethereum address"):
        attach(chain.w3, "0x1234")


def test_attach_refuses_a_model_address(chain) -> None:
    deployment = deploy(chain.sender(0), models.naive_bayes(), POINTS)
    with pytest.raises(ContractError, match="does not answer"):
        attach(chain.w3, deployment.classifier)
    assert attach(chain.w3, deployment.trainer) == deployment


@pytest.mark.parametrize("trainer_kind", [TRAINER_STAKEABLE, TRAINER_POINTS])
def test_attach_refuses_a_model_never_handed_over(chain, trainer_kind: str) -> None:
    sender = chain.sender(0)
    model = deploy_artifact(sender, "SparsePerceptron", [["Negative", "Positive"], 0, E9])
    args = ["by hand", "", "none", model.address, DAY, DAY, DAY]
    trainer = deploy_artifact(sender, trainer_kind, args + ([10**15] if trainer_kind == TRAINER_STAKEABLE else []))
    with pytest.raises(ContractError, match="owned by") as caught:
        attach(chain.w3, trainer.address)
    assert sender.address in caught.value.user_message and model.address in caught.value.user_message


SPECS = {
    "sparse_perceptron": models.sparse_perceptron,
    "dense_perceptron": models.dense_perceptron,
    "naive_bayes": models.naive_bayes,
    "sparse_nearest_centroid": models.sparse_nearest_centroid,
    "nearest_centroid": models.nearest_centroid,
}


@pytest.mark.parametrize("incentive", ["stakeable", "points"])
@pytest.mark.parametrize("model_type", list(SPECS))
def test_attach_identifies_model_and_incentive(chain, model_type: str, incentive: str) -> None:
    spec = SPECS[model_type]()
    deployed = deploy(chain.sender(0), spec, IncentiveParams(kind=incentive))
    found = attach(chain.w3, deployed.trainer.lower())
    assert (found.model_type, found.incentive) == (model_type, incentive)
    assert found.trainer == found.data_handler == found.incentive_mechanism == deployed.trainer
    assert found.classifier == deployed.classifier
    assert (found.name, found.description, found.encoder) == (spec.name, spec.description, spec.encoder)
    assert found.classifications == spec.classifications
