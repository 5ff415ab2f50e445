"""The core's types and pure helpers that the faces hold or call themselves (a network to open, a fee typed in,
a contribution, a model's files, a chart's series), named once here so the GUI imports nothing below the
use-cases (the import-linter contracts in pyproject.toml hold it to that)."""

from __future__ import annotations

from dacwallet.chain.connect import EMBEDDED, NetworkSpec
from dacwallet.chain.fees import (
    FeeError,
    FeeOverride,
    FeeSuggestion,
    HighFeeError,
    apply_override,
    gwei,
    max_cost,
    short_gwei,
)
from dacwallet.contracts.deploy import DeploymentProgress
from dacwallet.keys.errors import WrongPasswordError
from dacwallet.keys.store import AccountInfo, KeyStore
from dacwallet.ml.catalog import ModelBundle
from dacwallet.ml.mirrors import Mirror
from dacwallet.store.contributions import StoredContribution
from dacwallet.sync.series import ChartSeries

__all__ = [
    "EMBEDDED",
    "AccountInfo",
    "ChartSeries",
    "DeploymentProgress",
    "FeeError",
    "FeeOverride",
    "FeeSuggestion",
    "HighFeeError",
    "KeyStore",
    "Mirror",
    "ModelBundle",
    "NetworkSpec",
    "StoredContribution",
    "WrongPasswordError",
    "apply_override",
    "gwei",
    "max_cost",
    "short_gwei",
]
