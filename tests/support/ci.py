"""Whether the tests run under CI, where a missing prerequisite fails a test instead of skipping it."""

from __future__ import annotations

import os


def on_ci() -> bool:
    """CI set to anything but empty, 0, false or no (CI systems set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
