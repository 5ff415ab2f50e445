"""Re-takes the README's Dashboard screenshots with real data, as a person sees them:

    xvfb-run -a -s "-screen 0 1600x1000x24" python docs/take_dashboard_screenshots.py

A throw-away data folder on the embedded chain: alice and bob contribute 14 IMDB training reviews (one with
the wrong label) over a day, alice claims a refund and reports bob's bad one; then the app is shown at
1440x900 with the crosshair on (docs/screenshots/dashboard.png) and in the dark palette
(dashboard-dark.png), and at 1024x700 (dashboard-1024.png). Keystores use the tests' cheap scrypt cost.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def history(data_dir: Path) -> str:
    """Alice's address, after the contributions, a refund and a report."""
    from dacwallet.chain.connect import NetworkSpec
    from dacwallet.contracts.deploy import DAY_S
    from dacwallet.ml.dataset import load_reviews
    from dacwallet.sim.config import find_default_data
    from dacwallet.usecases.accounts import fund_new_account
    from dacwallet.usecases.chainops import advance_clock
    from dacwallet.usecases.claims import claim_refund
    from dacwallet.usecases.community import report, reportable
    from dacwallet.usecases.context import open_wallet
    from dacwallet.usecases.contribute import contribute
    from dacwallet.usecases.sending import signer_for

    ctx = open_wallet(data_dir, NetworkSpec())
    try:
        alice, bob = ctx.keys.create("alice", "alice-pw"), ctx.keys.create("bob", "bob-pw")
        for info in (alice, bob):
            fund_new_account(ctx, info)
        signers = signer_for(ctx, alice.address, "alice-pw"), signer_for(ctx, bob.address, "bob-pw")
        names = ("Negative", "Positive")
        first = None
        for i, review in enumerate(load_reviews(find_default_data())[:14]):
            signer = signers[0] if i % 3 else signers[1]
            label = names[review.label] if i != 5 else names[1 - review.label]  # bob's wrong one
            added = contribute(ctx, signer, review.text, label)
            first = first or (added if signer is signers[0] else None)
            advance_clock(ctx, 1800 + 600 * (i % 4))
        advance_clock(ctx, DAY_S)
        claim_refund(ctx, signers[0], first.id)
        advance_clock(ctx, 600)
        for target in reportable(ctx, alice.address)[:1]:
            report(ctx, signers[0], target.id)
        advance_clock(ctx, 600)
        return alice.address
    finally:
        ctx.close()


def main() -> None:
    from dacwallet.usecases.context import TEST_SCRYPT_ENV

    os.environ[TEST_SCRYPT_ENV] = "16"
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    data_dir = Path(tempfile.mkdtemp(prefix="dashboard-shots-"))
    alice = history(data_dir)

    from PySide6.QtCore import QPointF

    from dacwallet.chain.connect import NetworkSpec
    from ui.app import build, dark_palette, make_application
    from ui.pages.dashboard import DashboardPage

    app = make_application()
    session, window = build(data_dir, NetworkSpec())
    session.set_account(alice)
    window.show()
    page = window.show_page(DashboardPage)

    def settle(seconds: float = 0.8, until=lambda: True) -> None:
        end = time.time() + seconds
        while time.time() < end or not until():
            app.processEvents()
            time.sleep(0.02)

    settle(until=lambda: page.data is not None and page.data.accuracy is not None and not page.board.drawing)
    window.banner.hide()
    window.resize(1024, 700)
    settle()
    window.grab().save(str(OUT / "dashboard-1024.png"))
    window.resize(1440, 900)
    settle()
    view = page.board.charts["pool"].plot.vb
    (x0, x1), (y0, y1) = view.viewRange()
    page.board.show_cursor_at(view.mapViewToScene(QPointF(x0 + (x1 - x0) * 0.3, (y0 + y1) / 2)))
    settle()
    window.grab().save(str(OUT / "dashboard.png"))
    page.board.show_cursor_at(QPointF(-1.0, -1.0))
    app.setPalette(dark_palette())
    settle()
    window.grab().save(str(OUT / "dashboard-dark.png"))
    print(f"wrote {OUT / 'dashboard.png'}, dashboard-dark.png and dashboard-1024.png")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: destroying Qt objects late can crash at exit


if __name__ == "__main__":
    main()
