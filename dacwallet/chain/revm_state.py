"""The embedded chain's world state, executed by revm (through pyrevm).

pyrevm keeps the state in revm's in-memory database and runs each transaction inside
revm's journal, but it never finalises that journal: an account or slot touched once
would stay "warm" for every later transaction (EIP-2929 gas would then differ from any
real node), and it offers no way to ask which slots a transaction wrote. So every
execution here runs inside a journal checkpoint that is always reverted: the changes are
read from the journal (its debug rendering, the only place pyrevm exposes storage
writes), the checkpoint is reverted, and the caller decides whether to ``apply`` them,
which writes them into revm's database beneath the journal. Between transactions the
journal is empty, so each one starts cold, exactly as on a real node.

pyrevm 0.3.7 is pinned: the journal rendering parsed here is revm 8's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyrevm import EVM, AccountInfo, BlockEnv, CfgEnv, Env, TxEnv

from dacwallet.chain.wire import Log, keccak

# revm 8 implements forks up to Cancun; our contracts are compiled for Cancun (transient
# storage, MCOPY, PUSH0). py-evm ran Prague: the same gas for every call we make (Prague's
# calldata floor only binds on data-heavy calls that execute almost nothing).
SPEC_ID = "CANCUN"
EMPTY_CODE_HASH = keccak(b"")

_ACCOUNT = re.compile(
    r"(0x[0-9a-f]{40}): Account \{ info: AccountInfo \{ balance: (\d+), nonce: (\d+), "
    r"code_hash: 0x([0-9a-f]{64}), code: (None|Some\(Bytecode \{ bytecode: 0x([0-9a-f]*), "
    r"state: (?:(?:Analysed|Checked) \{ len: (\d+))?).*?storage: \{(.*?)\}, "
    r"status: AccountStatus\(([^)]*)\) \}"
)
_SLOT = re.compile(r"(\d+): StorageSlot \{ previous_or_original_value: (\d+), present_value: (\d+) \}")
_REVERT_OUTPUT = re.compile(r"output: 0x([0-9a-f]*)")


class ExecutionRejected(Exception):
    """revm refused to start the transaction (intrinsic gas, funds...): nothing happened."""


@dataclass(frozen=True)
class Account:
    balance: int
    nonce: int
    code_hash: bytes = EMPTY_CODE_HASH

    @property
    def is_empty(self) -> bool:
        return self.balance == 0 and self.nonce == 0 and self.code_hash == EMPTY_CODE_HASH


@dataclass
class StateDiff:
    """What one transaction changed: accounts (None = deleted), slots, new code by hash."""

    accounts: dict[bytes, Account | None] = field(default_factory=dict)
    storage: dict[bytes, dict[int, int]] = field(default_factory=dict)
    code: dict[bytes, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    success: bool
    gas_used: int  # after the refund
    gas_refunded: int
    output: bytes  # return data, or revert data when not successful
    logs: tuple[Log, ...]
    diff: StateDiff
    halt_reason: str = ""


def _hex(address: bytes) -> str:
    return "0x" + address.hex()


class WorldState:
    """Accounts, code and storage in revm, with a Python mirror of the accounts for reads."""

    def __init__(self, chain_id: int, gas_limit: int) -> None:
        self._evm = EVM(env=Env(cfg=CfgEnv(chain_id=chain_id)), gas_limit=gas_limit, spec_id=SPEC_ID)
        self._evm.set_tx_env(TxEnv(chain_id=chain_id))
        self._chain_id = chain_id
        self._gas_limit = gas_limit
        self.accounts: dict[bytes, Account] = {}
        self.code: dict[bytes, bytes] = {EMPTY_CODE_HASH: b""}

    # --- loading and applying ------------------------------------------------------

    def load(
        self,
        accounts: Iterable[tuple[bytes, Account]],
        code: Iterable[tuple[bytes, bytes]],
        storage: Iterable[tuple[bytes, int, int]],
    ) -> None:
        """Fill an empty state from stored rows."""
        self.code.update(code)
        diff = StateDiff(accounts=dict(accounts))
        for address, slot, value in storage:
            diff.storage.setdefault(address, {})[slot] = value
        self.apply(diff)

    def apply(self, diff: StateDiff) -> None:
        """Write a diff into revm's database (beneath the journal, so nothing turns warm)."""
        self.code.update(diff.code)
        for address, account in diff.accounts.items():
            if account is None:
                self.accounts.pop(address, None)
                account = Account(0, 0)
            else:
                self.accounts[address] = account
            code = self.code[account.code_hash]
            info = AccountInfo(
                balance=account.balance,
                nonce=account.nonce,  # type: ignore[call-arg]  # stub lags
                code=code or None,
            )
            self._evm.insert_account_info(_hex(address), info)
        for address, slots in diff.storage.items():
            target = _hex(address)
            for slot, value in slots.items():
                # pyrevm loads the account into the journal to insert a slot; the checkpoint
                # keeps that load out of the next transaction's warm set.
                checkpoint = self._evm.snapshot()
                self._evm.insert_account_storage(target, slot, value)
                self._evm.revert(checkpoint)

    # --- reading -----------------------------------------------------------------------

    def account(self, address: bytes) -> Account:
        return self.accounts.get(address) or Account(0, 0)

    def code_of(self, address: bytes) -> bytes:
        return self.code[self.account(address).code_hash]

    def storage(self, address: bytes, slot: int) -> int:
        checkpoint = self._evm.snapshot()
        try:
            return self._evm.storage(_hex(address), slot)
        finally:
            self._evm.revert(checkpoint)

    # --- execution -------------------------------------------------------------------------

    def set_block(self, number: int, timestamp: int, coinbase: bytes, prevrandao: bytes) -> None:
        # pyrevm runs with a zero base fee (see execute); gas_limit is the EVM's own.
        self._evm.set_block_env(
            BlockEnv(
                number=number,
                coinbase=_hex(coinbase),
                timestamp=timestamp,
                difficulty=0,
                prevrandao=prevrandao,
                gas_limit=self._gas_limit,
            )
        )

    def execute(
        self,
        sender: bytes,
        to: bytes,
        value: int,
        data: bytes,
        gas: int,
        gas_price: int,
        access_list: tuple[tuple[bytes, tuple[int, ...]], ...] = (),
        *,
        changes: bool = True,
    ) -> Outcome:
        """Run a transaction or call and return what it would change, changing nothing.

        pyrevm runs with a zero base fee; the node passes a zero ``gas_price`` and settles
        fees itself (pyrevm charges them for a creation but not for a call). Without
        ``changes`` the outcome's diff is left empty: reading it from the journal's text was
        half the time of a call, and an eth_call or a gas estimate never uses it.
        """
        evm = self._evm
        evm.set_tx_env(
            TxEnv(
                chain_id=self._chain_id,
                access_list=[(_hex(address), list(keys)) for address, keys in access_list],
            )
        )
        checkpoint = evm.snapshot()
        try:
            output, error = self._run(sender, to, value, data, gas, gas_price)
            result = evm.result
            if result is None:  # revm refused before executing anything
                raise ExecutionRejected(error or "rejected")
            diff = self._read_diff(evm.journal_str) if changes or not to else StateDiff()
            if not to and result.is_success:  # like every node's eth_call, a creation returns the code it deploys
                created = diff.accounts.get(output)
                output = (
                    b"" if created is None else diff.code.get(created.code_hash, self.code.get(created.code_hash, b""))
                )
            logs = tuple(
                Log(bytes.fromhex(log.address[2:]), tuple(bytes(t) for t in log.data[0]), bytes(log.data[1]))
                for log in (result.logs if result.is_success else ())
            )
        finally:
            evm.revert(checkpoint)
        if not result.is_success:
            match = _REVERT_OUTPUT.search(error)
            output = bytes.fromhex(match.group(1)) if match and result.reason == "Revert" else b""
        return Outcome(
            result.is_success,
            result.gas_used,
            result.gas_refunded,
            output,
            logs,
            diff,
            "" if result.is_success or result.reason == "Revert" else error,
        )

    def _run(self, sender: bytes, to: bytes, value: int, data: bytes, gas: int, gas_price: int) -> tuple[bytes, str]:
        try:
            if to:
                return bytes(
                    self._evm.message_call(_hex(sender), _hex(to), data, value=value, gas=gas, gas_price=gas_price)
                ), ""
            created = self._evm.deploy(_hex(sender), data, value=value, gas=gas, gas_price=gas_price)  # type: ignore[call-arg]  # pyrevm's stub lags its code
            return bytes.fromhex(created[2:]), ""  # the new address: ``execute`` swaps it for the deployed code
        except RuntimeError as error:  # reverts and halts come back as errors
            return b"", str(error)

    def _read_diff(self, journal: str) -> StateDiff:
        diff = StateDiff()
        for match in _ACCOUNT.finditer(journal):
            (address_hex, balance, nonce, code_hash_hex, code_field, code_hex, code_len, slots, status) = match.groups()
            if "Touched" not in status:
                continue
            address = bytes.fromhex(address_hex[2:])
            account = Account(int(balance), int(nonce), bytes.fromhex(code_hash_hex))
            if "SelfDestructed" in status or account.is_empty:
                diff.accounts[address] = None  # EIP-161 / EIP-6780: the account is gone
                continue
            diff.accounts[address] = account
            if account.code_hash not in self.code and code_field != "None":
                code = bytes.fromhex(code_hex)
                # revm pads analysed code; ``len`` is the code's real length.
                diff.code[account.code_hash] = code[: int(code_len)] if code_len else code
            written = {int(k): int(new) for k, old, new in _SLOT.findall(slots) if old != new}
            if written:
                diff.storage[address] = written
        return diff
