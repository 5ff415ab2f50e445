"""The reference's other model types - its dense perceptron, Naive Bayes, nearest-centroid and sparse nearest-centroid
JSON - deployed from the shared compiled contracts as the reference client's ModelDeployer uploads them, on the
embedded chain and on anvil. Predicted and updated through the client (its read path, signed addData transactions),
the mirror built from the reference's file equals the chain exactly, refusals included; then `deployment add
--model-file` accepts the file after replaying the chain's contributions, and refuses an altered one naming what does
not match. The two text models (Naive Bayes with the MurmurHash3 encoder, the sparse nearest centroid with "IMDB
vocab") are also predicted and contributed to as text through the CLI."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from eth_account import Account

from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY
from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.calls import read
from dacwallet.contracts.deployment import classifier_contract, trainer_contract
from dacwallet.errors import DacwalletError
from dacwallet.ml.mirrors import Mirror, ModelRevert, mirror_for
from dacwallet.ml.reference_model import from_reference
from dacwallet.usecases.context import open_wallet
from tests.support.chains import run_anvil
from tests.support.reference import ReferenceIncentive, ReferenceStack, deploy_reference_model, reference_abi
from tests.support.shared_data import REFERENCE_VOCAB
from tests.usecases.conftest import Cli, funding_new_accounts

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("reference_contracts_path", "reference_vocab_path")]

SPARSE = ("naive_bayes", "sparse_nearest_centroid")  # text models: indices, encoded from text by the CLI
CENTROID_VALUE = "getCentroidValue(uint256,uint256)"  # the combined ABI also has the sparse one's (uint256,uint64)
Sending = Callable[[], Any]  # a context manager giving a TransactionSender on the test's chain


def unit(rng: random.Random, n: int, scale: float = 1.0) -> list[float]:
    v = [rng.gauss(0, 1) for _ in range(n)]
    norm = math.sqrt(sum(x * x for x in v))
    return [scale * x / norm for x in v]


def scaled(v: list[float]) -> list[int]:
    return [round(x * 10**9) for x in v]


def dense_perceptron(rng: random.Random) -> dict[str, Any]:
    # 320 weights: the first 300 in the constructor, the rest by initializeWeights; featureIndices kept on-chain.
    return {
        "type": "dense perceptron",
        "classifications": ["NOT HOT DOG", "HOT DOG"],
        "weights": [rng.uniform(-1, 1) for _ in range(320)],
        "intercept": 0.25,
        "learningRate": 0.5,
        "featureIndices": rng.sample(range(1280), 320),
    }


def nearest_centroid(rng: random.Random) -> dict[str, Any]:
    # 260 dimensions: 200 in the constructor or addClass, the rest by extendCentroid; one class without samples.
    return {
        "type": "nearest centroid classifier",
        "centroids": {
            name: {"centroid": unit(rng, 260), "dataCount": count}
            for name, count in (("CANCEL", 5), ("TIMER", 3), ("OTHER", 0))
        },
    }


def sparse_nearest_centroid(rng: random.Random) -> dict[str, Any]:
    # 300 of 400 features per class: 200 in the constructor or addClass, the rest by extendCentroid.
    return {
        "type": "sparse nearest centroid classifier",
        "centroids": {
            name: {"centroid": {str(i): rng.uniform(0, 1) for i in rng.sample(range(400), 300)}, "dataCount": count}
            for name, count in (("Negative", 5), ("Positive", 3))
        },
    }


def naive_bayes(rng: random.Random) -> dict[str, Any]:
    # 400 features per class: 150 in the constructor or addClass, the rest by initializeCounts; a repeated index
    # (the contract keeps its last count but adds both to the class total).
    counts = []
    for _ in range(2):
        pairs = [[i, rng.randint(0, 20)] for i in rng.sample(range(400), 400)]
        pairs.append([pairs[0][0], 7])
        counts.append(pairs)
    return {
        "type": "naive bayes",
        "classifications": ["Negative", "Positive"],
        "classCounts": [30, 40],
        "featureCounts": counts,
        "totalNumFeatures": 400,
        "smoothingFactor": 1,
    }


def dense_samples(rng: random.Random, n: int) -> Iterator[list[int]]:
    for k in range(14):
        if k == 5:
            yield scaled(unit(rng, n, 1.5))  # not of norm 1: update refuses it, predict does not
        elif k == 9:
            yield scaled(unit(rng, n - 1))  # the wrong length: both refuse it
        else:
            yield scaled(unit(rng, n))


def sparse_samples(rng: random.Random, n: int) -> Iterator[list[int]]:
    special = [1337, 2**32 + 3, -1, n + 5]  # past the features; cut to uint32 (2**32 + 3 is feature 3); -1 too
    for k in range(14):
        if k == 4:
            yield [rng.randrange(n) for _ in range(60)]  # long: every class's product floors to 0, class 0 wins
        elif k == 8:
            yield [2, 2**33 + 1]  # update refuses an index at or past 2**33
        else:
            yield [rng.choice(special) if rng.random() < 0.2 else rng.randrange(n) for _ in range(rng.randint(1, 9))]


# model type -> (the reference file's maker, the encoder the deployment names, inputs)
CASES = {
    "dense_perceptron": (dense_perceptron, "MobileNetV2", dense_samples),
    "nearest_centroid": (nearest_centroid, "universal sentence encoder", dense_samples),
    "naive_bayes": (naive_bayes, "MurmurHash3", sparse_samples),
    "sparse_nearest_centroid": (sparse_nearest_centroid, "IMDB vocab", sparse_samples),
}


@contextmanager
def node(kind: str, tmp_path, capsys) -> Iterator[tuple[Cli, Sending]]:
    """(the CLI on a fresh chain, a way to get a funded sender on it)."""
    if kind == "anvil":
        with run_anvil() as chain:

            @contextmanager
            def anvil_sender() -> Iterator[TransactionSender]:
                yield chain.sender(0)

            yield funding_new_accounts(Cli(tmp_path, chain.w3.provider.endpoint_uri, capsys), chain), anvil_sender
        return

    @contextmanager
    def faucet() -> Iterator[TransactionSender]:
        ctx = open_wallet(tmp_path)  # the embedded chain lives in the data folder: one user at a time
        try:
            yield TransactionSender(ctx.w3, Account.from_key(FAUCET_PRIVATE_KEY))
        finally:
            ctx.close()

    yield Cli(tmp_path, "embedded", capsys), faucet


def outcome(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except (ModelRevert, DacwalletError):
        return "refused"


def predicted(mirror: Mirror, data: list[int]) -> Any:
    return outcome(lambda: mirror.predict(data))


def learnt(mirror: Mirror, data: list[int], label: int) -> Any:
    return outcome(lambda: mirror.update(data, label))


def exercise(sender: TransactionSender, stack: ReferenceStack, mirror: Mirror, samples: Iterator[list[int]]) -> int:
    """Predicts each sample on both, then contributes it (labels at random) where the chain takes it; the mirror
    learns what the chain learns and refuses what it refuses. Returns how many contributions were added."""
    model = classifier_contract(sender.w3, stack.classifier).functions
    trainer = trainer_contract(sender.w3, stack.trainer)
    rng = random.Random(7)
    added = 0
    for data in samples:
        assert predicted(mirror, data) == outcome(lambda d=data: read(model.predict(d), "A prediction"))
        label = rng.randint(0, mirror.num_classes - 1)
        tx = {"to": stack.trainer, "data": trainer.encode_abi("addData", args=[data, label])}
        chain = outcome(lambda t=tx: sender.transact(t, action="Contributing"))
        assert learnt(mirror, data, label) == ("refused" if chain == "refused" else None)
        added += chain != "refused"
    return added


def parameters(w3: Any, stack: ReferenceStack, model_type: str, mirror: Any, keys: list[int]) -> Iterator[tuple]:
    """(what, the chain's value, the mirror's) for every parameter the model holds."""
    contract = classifier_contract(w3, stack.classifier)
    f = contract.functions
    if model_type == "dense_perceptron":
        weight = contract.get_function_by_signature("weights(uint256)")
        for i, w in enumerate(mirror.weights):
            yield f"weight {i}", weight(i).call(), w
        return
    for c in range(mirror.num_classes):
        yield f"samples {c}", f.getNumSamples(c).call(), mirror.num_samples[c]
        if model_type == "nearest_centroid":
            for j, v in enumerate(mirror.centroids[c]):
                yield f"centroid {c}/{j}", contract.get_function_by_signature(CENTROID_VALUE)(c, j).call(), v
        elif model_type == "sparse_nearest_centroid":
            views = w3.eth.contract(address=stack.classifier, abi=reference_abi("SparseNearestCentroidClassifier"))
            yield f"magnitude {c}", views.functions.getSquaredMagnitude(c).call(), mirror.squared_magnitude[c]
            for key in keys:
                yield f"centroid {c}/{key}", views.functions.getCentroidValue(c, key).call(), mirror.centroid(c, key)
        else:
            yield f"total {c}", f.getClassTotalFeatureCount(c).call(), mirror.total_feature_count[c]
            for key in keys:
                yield f"count {c}/{key}", f.getFeatureCount(c, key).call(), mirror.count(c, key)


@pytest.mark.parametrize("kind", ["embedded", pytest.param("anvil", marks=pytest.mark.anvil)])
@pytest.mark.parametrize("model_type", list(CASES))
def test_the_mirror_equals_the_reference_chain_and_the_file_is_checked(kind, model_type, tmp_path, capsys) -> None:
    make, encoder, samples = CASES[model_type]
    raw = make(random.Random(13))
    path = tmp_path / "reference-model.json"
    path.write_text(json.dumps(raw))
    with node(kind, tmp_path, capsys) as (cli, sending):
        with sending() as sender:
            stack = deploy_reference_model(sender, raw, encoder, ReferenceIncentive(kind="points"))
            mirror = mirror_for(from_reference(raw, name="", description="", encoder=encoder))
            n = 400 if model_type in SPARSE else len(getattr(mirror, "weights", None) or mirror.centroids[0])
            assert exercise(sender, stack, mirror, samples(random.Random(5), n)) >= 10
            keys = [0, 3, 7, 1337, 2**32 - 1, *range(0, 400, 37)]
            differing = [p for p in parameters(sender.w3, stack, model_type, mirror, keys) if p[1] != p[2]]
            assert differing == []

        added = cli.ok("deployment", "add", stack.trainer, "--model-file", str(path), "--json")
        assert added.json()["model"] == model_type
        if model_type not in SPARSE:  # the file is kept; the notice names what is missing: the encoder, not the file
            assert f'but not its encoder: This model expects encoder "{encoder}"' in added.err
        if encoder == "IMDB vocab":
            assert "not its vocabulary" in added.err
            cli.ok("deployment", "add", stack.trainer, "--vocab", str(REFERENCE_VOCAB))
        if model_type in SPARSE:
            text_through_the_cli(cli, stack)

        altered, what = alter(raw, model_type)
        wrong = tmp_path / "altered.json"
        wrong.write_text(json.dumps(altered))
        refused = cli("deployment", "add", stack.trainer, "--model-file", str(wrong))
        assert refused.code == 1 and what in refused.err and "Traceback" not in refused.err


def alter(raw: dict[str, Any], model_type: str) -> tuple[dict[str, Any], str]:
    """A copy of ``raw`` with one parameter changed, and the words the refusal must name."""
    altered = json.loads(json.dumps(raw))
    if model_type == "dense_perceptron":
        altered["weights"][319] += 0.5  # the replay then learns differently too: the first weight checked differs
        return altered, "does not match the deployment: the contract holds weight "
    if model_type == "nearest_centroid":
        altered["centroids"]["TIMER"]["dataCount"] += 1
        return altered, "the sample count of class 1"
    if model_type == "sparse_nearest_centroid":
        altered["centroids"]["Positive"]["centroid"]["3999"] = 0.5  # a feature the deployment never had
        return altered, "the contract holds centroid value 3999 of class 1 = 0,"
    altered["smoothingFactor"] = 2
    return altered, "the smoothing factor"


def text_through_the_cli(cli: Cli, stack: ReferenceStack) -> None:
    """The MurmurHash3 encoder turns text into indices: the free predict and a contribution, the mirror agreeing."""
    text = "a wonderful film with brilliant acting"
    cli.ok("deployment", "use", stack.trainer)
    cli.ok("account", "new", "carol", "--json", stdin="carol-amber-field-19\n")
    before = cli.ok("predict", text, "--json").json()
    assert before["mirror_agrees"] is True and len(before["features"]) == 6
    added = cli.ok(
        "contribute",
        "--account",
        "carol",
        "--password-stdin",
        "--label",
        "Positive",
        text,
        "--json",
        stdin="carol-amber-field-19\n",
    ).json()
    assert added["state"] == "added"
    after = cli.ok("predict", text, "--json").json()
    assert after["mirror_agrees"] is True  # one review moves counts, seldom the answer
