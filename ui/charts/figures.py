"""Today's value of each Dashboard chart, as the large number beside its question (Qt-free)."""

from __future__ import annotations

from dacwallet.usecases.dashboard import DashboardData
from dacwallet.usecases.evaluation import AccuracyNow, EvaluationProgress
from dacwallet.usecases.payout import NO_DEPOSIT
from ui import format as fmt

Figure = tuple[str, str]  # (the number, what it counts)


def _wei(ether: float) -> int:
    return round(ether * fmt.WEI_PER_ETH)


def accuracy_figure(accuracy: AccuracyNow | None, evaluation: EvaluationProgress | None) -> Figure:
    """'89.6 %' and 'on 5,000 held-out reviews, 3 Dec 14:02' (or why there is no number yet)."""
    if accuracy is not None:
        which = "held-out reviews" if evaluation is None or evaluation.training_known else "reviews"
        return f"{accuracy.accuracy * 100:.1f} %", f"on {accuracy.n:,} {which} · {fmt.when(accuracy.as_of)}"
    if evaluation is None or evaluation.path is None:
        return "—", "no held-out reviews for this model"
    if evaluation.error:
        return "—", "evaluation set unusable"
    return "…", "reading held-out reviews"


def figures(data: DashboardData) -> dict[str, Figure]:
    s = data.series
    out: dict[str, Figure] = {}
    if data.account is None:
        out["reputation"] = out["pending"] = ("—", "no account selected")
    else:
        valid = int(s.reputation.num_valid[-1]) if len(s.reputation.times) else 0
        out["reputation"] = (f"{valid:,}", "validated")
        held = float(s.pending_refunds.ether[-1]) if len(s.pending_refunds.times) else 0.0
        open_now = int(s.pending_refunds.count[-1]) if len(s.pending_refunds.times) else 0
        out["pending"] = (fmt.eth(_wei(held), 4), f"held, {open_now:,} open")
        if data.pays_points:  # numValid is the points earned; nothing is ever held
            out["reputation"] = (f"{valid:,}", f"point{'' if valid == 1 else 's'} earned")
            out["pending"] = (f"{open_now:,}", "open · no deposit held")
    pool = float(s.pool_balance.values[-1]) if len(s.pool_balance) else 0.0
    out["pool"] = (fmt.eth(_wei(pool), 4), "in the pool now")
    out["deposit"] = (fmt.eth(data.deposit_now_wei, 4), "to contribute now")
    if data.pays_points:
        out["pool"] = ("none", "no deposits, no pool: this model pays points")
        out["deposit"] = ("none", NO_DEPOSIT)
    out["accuracy"] = accuracy_figure(data.accuracy, data.evaluation)
    return out
