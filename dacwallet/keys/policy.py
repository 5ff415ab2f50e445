"""The password policy for new passwords: a minimum length, then zxcvbn's estimate of how guessable it is.

The keystore's scrypt makes each guess slow, so "score 3" (about 10^10 guesses) is what we ask for;
zxcvbn knows common passwords, names, keyboard walks, dates and l33t substitutions, which a
hand-written rule would not. The account's name is passed as a hint: a password built from it is weak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zxcvbn import zxcvbn

from dacwallet.keys.errors import WeakPasswordError

MIN_LENGTH = 8
MIN_SCORE = 3  # zxcvbn's 0..4; 3 = "safely unguessable: moderate protection from an offline slow-hash attack"
# zxcvbn's time grows quickly with length: a longer password is judged by its first 64 characters (a
# guessable start, e.g. one letter repeated, still fails; anything else at that length scores 3 or 4).
_ESTIMATE_CHARS = 64
LABELS = ("very weak", "weak", "fair", "strong", "very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    acceptable: bool
    reason: str | None  # why it is refused (None when acceptable)
    advice: str  # zxcvbn's suggestions, for a meter under the field (may be empty)


def estimate(password: str, hints: Iterable[str] = ()) -> Strength:
    """How strong ``password`` is, and why it would be refused; ``hints`` are words the user chose nearby."""
    if not password:
        return Strength(0, LABELS[0], False, "Choose a password: it protects the key on this computer.", "")
    result = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=[h for h in hints if h])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    advice = " ".join(feedback.get("suggestions") or [])
    if len(password) < MIN_LENGTH:
        reason = f"The password is too short: use at least {MIN_LENGTH} characters (it has {len(password)})."
    elif score < MIN_SCORE:
        warning = (feedback.get("warning") or "").rstrip(".")
        because = f" ({warning.lower()})" if warning else ""
        reason = (
            f"The password is too easy to guess{because}. Add a few uncommon words, "
            "or make it longer and less predictable."
        )
    else:
        reason = None
    return Strength(score, LABELS[score], reason is None, reason, advice)


def require_strong(password: str, hints: Iterable[str] = ()) -> str:
    """Return the password if the policy accepts it as a new password, else raise ``WeakPasswordError``."""
    strength = estimate(password, hints)
    if strength.reason is not None:
        raise WeakPasswordError(strength.reason)
    return password
