"""dacwallet: the Qt-free core of the collaborative-AI wallet."""

import os

__version__ = "0.1.0"

# eth-hash takes the first Keccak it finds, pycryptodome's: Python around C, several times slower than
# safe-pysha3's (a dependency already). web3 hashes for every checksum address and every ABI lookup,
# a good part of a contract call's time. Set before anything hashes (the backend is chosen at first use).
os.environ.setdefault("ETH_HASH_BACKEND", "pysha3")
