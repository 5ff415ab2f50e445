"""The local copy of a deployment added by address: its model file (ours, or the reference's own JSON) and the
vocabulary its encoder needs, both checked against the chain before they are trusted.

The model file is replayed through every contribution the chain has seen, then the parameters the contract holds
(weights, counts, intercept, learning rate) are spot-checked against that replay: a file the deployment was not
made from is refused with what differs, so the mirror is never silently wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dacwallet.contracts.calls import read
from dacwallet.contracts.deployment import Deployment, classifier_contract
from dacwallet.errors import InputError
from dacwallet.ml.encoders import IMDB_VOCAB_IDENTITY, ImdbVocabEncoder
from dacwallet.ml.mirrors import mirror_for
from dacwallet.ml.model_file import load_model, model_path, save_model
from dacwallet.ml.reference_model import from_reference, is_reference_model
from dacwallet.sync.events import read_contributions
from dacwallet.sync.indexer import Indexer

if TYPE_CHECKING:
    from dacwallet.usecases.context import WalletContext

SPOT_CHECKS = 24  # parameters compared with the contract: spread over the features, plus those contributions moved


@dataclass(frozen=True)
class LocalCopy:
    model_file: str | None  # what the store keeps: a shipped name, a path, or the converted reference file
    vocab_file: str | None


def prepare(ctx: WalletContext, deployment: Deployment, model_file: str | None, vocab_file: str | None) -> LocalCopy:
    """Checks the given files against ``deployment`` on the chain; InputError says what does not match."""
    vocab = _checked_vocabulary(deployment, vocab_file) if vocab_file is not None else None
    if model_file is None:
        return LocalCopy(None, vocab)
    path = model_path(model_file)
    raw = _read_json(path)
    if is_reference_model(raw):
        model = from_reference(
            raw, name=deployment.name, description=deployment.description, encoder=deployment.encoder, where=str(path)
        )
        stored = _save_converted(ctx, deployment, model)
    else:
        model = load_model(model_file)
        if model.get("encoder") != deployment.encoder:
            raise InputError(
                f"The model file {model_file} does not use this deployment's encoder "
                f"({deployment.encoder}); choose the file it was deployed from, or none (the chain's "
                "own predictions only)."
            )
        stored = model_file if path != Path(model_file) else str(path.resolve())
    check_against_chain(ctx, deployment, model, str(model_file))
    if vocab is not None:
        _check_vocabulary_fits(vocab, model)
    return LocalCopy(stored, vocab)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"Cannot read the model file {path}.", detail=str(exc)) from None


def _save_converted(ctx: WalletContext, deployment: Deployment, model: dict[str, Any]) -> str:
    """The reference model, as our model file, in the data folder (the user's file may move away later)."""
    folder = ctx.data_dir / "models"
    folder.mkdir(parents=True, exist_ok=True)
    chain = "".join(ch if ch.isalnum() else "-" for ch in ctx.chain_key)[:24]
    path = folder / f"{chain}-{deployment.trainer}.json"
    save_model(model, path)
    return str(path)


def _checked_vocabulary(deployment: Deployment, vocab_file: str) -> str:
    if deployment.encoder.strip().casefold() != IMDB_VOCAB_IDENTITY.casefold():
        raise InputError(
            f'A vocabulary file is for the reference "{IMDB_VOCAB_IDENTITY}" encoder, but this '
            f'deployment\'s entry point reports the encoder "{deployment.encoder}"; leave --vocab out.'
        )
    path = Path(vocab_file).expanduser()
    ImdbVocabEncoder.from_file(path)  # refuses a file that is not a word -> index object
    return str(path.resolve())


def _check_vocabulary_fits(vocab_file: str, model: dict[str, Any]) -> None:
    size = len(ImdbVocabEncoder.from_file(Path(vocab_file)).vocabulary)
    if size > int(model["num_features"]):
        raise InputError(
            f"The vocabulary {vocab_file} has word indices up to {size - 1}, but the model has "
            f"{model['num_features']} features: they do not belong together."
        )


def check_against_chain(ctx: WalletContext, deployment: Deployment, model: dict[str, Any], where: str) -> None:
    """Refuses ``model`` unless, replayed through the chain's contributions, it holds what the contract holds."""
    if model["type"] != deployment.model_type:
        raise InputError(
            f"{where} is a {model['type'].replace('_', ' ')} model, but the deployment's model "
            f"contract is a {deployment.model_type.replace('_', ' ')}."
        )
    if tuple(model["classifications"]) != tuple(deployment.classifications):
        raise InputError(
            f"{where} has the classes {', '.join(model['classifications'])}; the deployment's are "
            f"{', '.join(deployment.classifications)}."
        )
    Indexer(ctx.w3, ctx.db, ctx.chain_key, deployment).sync()
    batch, _ = read_contributions(ctx.db, ctx.chain_key, deployment.trainer)
    mirror = mirror_for(model)
    mirror.replay(batch)
    touched = sorted({int(i) for i in batch.data if 0 <= i < 2**63})
    contract = classifier_contract(ctx.w3, deployment.classifier)
    for what, on_chain, local in _spot_checks(contract, mirror, model, touched):
        if on_chain != local:
            raise InputError(
                f"{where} does not match the deployment: the contract holds {what} = {on_chain}, the "
                f"file (after the chain's {len(batch)} contributions) gives {local}. Choose the file "
                "it was deployed from."
            )


def _indices(count: int, touched: list[int]) -> list[int]:
    spread = sorted({round(k * (count - 1) / (SPOT_CHECKS - 1)) for k in range(SPOT_CHECKS)}) if count > 0 else []
    return sorted(set(spread) | set(touched[:SPOT_CHECKS]))


def _spot_checks(
    contract: Any, mirror: Any, model: dict[str, Any], touched: list[int]
) -> Iterator[tuple[str, int, int]]:
    """(what, the contract's value, the mirror's value) for a sample of parameters; ``mirror`` is the mirror of
    ``model["type"]`` (perceptrons have weights, count models counts)."""
    kind, n = model["type"], int(model["num_features"])
    if kind.endswith("perceptron"):
        yield "the intercept", read(contract.functions.intercept(), "The intercept"), mirror.intercept
        yield "the learning rate", read(contract.functions.learningRate(), "The learning rate"), mirror.learning_rate
        for i in _indices(n, touched if kind == "sparse_perceptron" else []):
            if kind == "sparse_perceptron":
                yield (
                    f"weight {i}",
                    read(contract.get_function_by_signature("weights(uint64)")(i), "A weight"),
                    mirror.weight(i),
                )
            elif i < n:
                yield (
                    f"weight {i}",
                    read(contract.get_function_by_signature("weights(uint256)")(i), "A weight"),
                    mirror.weights[i],
                )
        return
    for c in range(len(model["classifications"])):
        yield (
            f"the sample count of class {c}",
            read(contract.functions.getNumSamples(c), "A sample count"),
            mirror.num_samples[c],
        )
        if kind in ("naive_bayes", "gated_naive_bayes", "sparse_nearest_centroid"):
            for i in _indices(n, [t for t in touched if t < 2**32]):
                yield (
                    f"the count of feature {i} in class {c}",
                    read(contract.functions.getFeatureCount(c, i), "A count"),
                    mirror.count(c, i),
                )


def missing_note(ctx: WalletContext) -> str | None:
    """Why the active deployment has no local copy (no model file, no vocabulary, a file gone), or None."""
    from dacwallet.store import chains
    from dacwallet.usecases.context import load_local_copy

    if ctx.deployment is None or ctx.bundle is not None:
        return None
    known = next(
        (k for k in chains.list_deployments(ctx.db, ctx.chain_key) if k.deployment.trainer == ctx.deployment.trainer),
        None,
    )
    return load_local_copy(known)[1]


def require_encoder(ctx: WalletContext) -> None:
    """InputError naming what is missing when the active deployment's text cannot be encoded here."""
    if ctx.bundle is None:
        raise InputError(
            missing_note(ctx) or "This model's encoder is not available here, so text cannot be encoded for it."
        )
