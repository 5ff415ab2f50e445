"""The local copy of a deployment added by address: its model file (ours, or the reference's own JSON) and the
vocabulary its encoder needs, both checked against the chain before they are trusted.

A model file is checked against the chain (``model_check``) so the mirror is never silently wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dacwallet.contracts.deployment import Deployment
from dacwallet.errors import InputError
from dacwallet.ml.encoders import IMDB_VOCAB_IDENTITY, ImdbVocabEncoder
from dacwallet.ml.model_file import load_model, model_path, save_model
from dacwallet.ml.reference_model import from_reference, is_reference_model
from dacwallet.usecases.model_check import check_against_chain

if TYPE_CHECKING:
    from dacwallet.ml.catalog import ModelBundle
    from dacwallet.usecases.context import WalletContext


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


def require_encoder(ctx: WalletContext) -> ModelBundle:
    """The active deployment's bundle; InputError naming what is missing when its text cannot be encoded here."""
    if ctx.bundle is None:
        raise InputError(
            missing_note(ctx) or "This model's encoder is not available here, so text cannot be encoded for it."
        )
    return ctx.bundle
