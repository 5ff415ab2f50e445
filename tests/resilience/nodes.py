"""anvil on a port of our choosing, so it can be stopped and started again at the same address."""

from __future__ import annotations

import os
import subprocess
import time

from web3 import Web3

from tests.support.chains import ANVIL_MNEMONIC, anvil_binary, free_port

START_TIMEOUT_S = 20


class AnvilProcess:
    """One anvil process on ``port`` (a free one by default); ``restart()`` loses all its state."""

    def __init__(self, port: int | None = None, n_accounts: int = 10) -> None:
        self.port = port or free_port()
        self.n_accounts = n_accounts
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = anvil_binary()
        if binary is None:
            raise RuntimeError("anvil is not installed: run `npm ci` in contracts/ (CI does).")
        args = [
            binary,
            "--port",
            str(self.port),
            "--accounts",
            str(self.n_accounts),
            "--mnemonic",
            ANVIL_MNEMONIC,
            "--hardfork",
            "cancun",
            "--gas-limit",
            "60000000",
            "--silent",
        ]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
        w3 = Web3(Web3.HTTPProvider(self.url, request_kwargs={"timeout": 5}))
        deadline = time.monotonic() + START_TIMEOUT_S
        while not w3.is_connected():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("anvil did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> AnvilProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
