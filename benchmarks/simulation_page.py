"""The Simulation page running the paper's attack, timed from its Run button to the end of the run.

    python benchmarks/simulation_page.py [--samples 18400] [--data PATH] [--screenshot FILE] [--json]

Offscreen Qt (or the display QT_QPA_PLATFORM names): the app's main window at 1280x860 on a fresh wallet, the
Simulation page's attack scenario with the reviews at ``--data`` (default: ../shared/data/imdb/imdb_train.jsonl.gz
beside the checkout), Run clicked, and the live charts drawn as a person would see them until the page reports the
run finished. Prints the wall and CPU time, the transactions and the headline figures, which must equal
``dacwallet simulate --scenario attack --samples N --seed 1``'s; compare its time with that command's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "data" / "imdb" / "imdb_train.jsonl.gz"


def run(samples: int, data: Path, screenshot: Path | None) -> dict[str, Any]:
    from PySide6.QtCore import QEventLoop

    from dacwallet.chain.connect import NetworkSpec
    from ui.app import build, make_application, shut_down
    from ui.pages.simulation import SimulationPage

    make_application()
    with tempfile.TemporaryDirectory(prefix="dacwallet-bench-") as home:
        session, window = build(Path(home) / "wallet", NetworkSpec())
        try:
            window.resize(1280, 860)
            window.show()
            page = window.page(SimulationPage)
            window.show_page(SimulationPage)
            page.scenario_combo.setCurrentIndex(page.scenario_combo.findData("attack"))
            page.samples_spin.setValue(samples)
            page.data_edit.setText(str(data))
            loop, finished = QEventLoop(), []
            page.sig_run_finished.connect(lambda result: (finished.append(result), loop.quit()))
            started, cpu = time.perf_counter(), time.process_time()
            page.run_button.click()
            loop.exec()
            wall_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu
            if screenshot is not None:
                window.grab().save(str(screenshot))
            summary = finished[0].summary
        finally:
            shut_down(session, window)
    keys = ("accuracy_start", "accuracy_min", "accuracy_end", "good_final_balance_pct", "attacker_final_balance_pct")
    return {
        "samples": samples,
        "wall_s": round(wall_s, 1),
        "cpu_s": round(cpu_s, 1),
        "transactions": summary["transactions"],
        **{key: summary[key] for key in keys},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=18_400, help="contributions (default: the paper's 18,400)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the IMDB reviews (JSONL.gz)")
    parser.add_argument("--screenshot", type=Path, help="save the window as it ends (PNG)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    figures = run(args.samples, args.data, args.screenshot)
    if args.json:
        print(json.dumps(figures))
        return
    minutes, seconds = divmod(figures["wall_s"], 60)
    print(
        f"Simulation page, attack, {figures['samples']:,} contributions: {int(minutes)} min {seconds:.0f} s "
        f"({figures['cpu_s']} s of CPU), {figures['transactions']:,} transactions"
    )
    print(
        f"accuracy {figures['accuracy_start']} -> {figures['accuracy_end']} (lowest {figures['accuracy_min']}), "
        f"good {figures['good_final_balance_pct']} %, attacker {figures['attacker_final_balance_pct']} %"
    )


if __name__ == "__main__":
    main()
