"""Where dacwallet finds its shipped resources and keeps the user's data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "dacwallet"


def resources_dir() -> Path:
    """The folder with contract artifacts and model files.

    Inside an installed wheel they sit in ``dacwallet/_resources``; in a checkout
    they are the top-level ``resources/`` folder.
    """
    packaged = Path(__file__).resolve().parent / "_resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def default_data_dir() -> Path:
    """The user's data folder; ``DACWALLET_DATA_DIR`` overrides the platform default."""
    override = os.environ.get("DACWALLET_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
