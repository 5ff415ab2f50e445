"""The stored states and kinds of the wallet's transactions and contributions, as StrEnums.

The values are the strings stores have always held, so an existing wallet opens unchanged. The moves
between them are the lifecycle's (``dacwallet.store.lifecycle``); this module is only the names, so the
row stores can use them without importing the lifecycle that writes through them.
"""

from __future__ import annotations

from enum import StrEnum


class TxState(StrEnum):
    SIGNED = "signed"  # journaled, not yet accepted by the node
    SENT = "sent"  # the node took it; waiting to be mined
    MINED = "mined"
    FAILED = "failed"  # refused by the node at its first broadcast, or mined and reverted
    DROPPED = "dropped"  # its nonce was used by another transaction, or its chain was reset
    REPLACED = "replaced"  # another attempt of its group (a speed-up or cancel) was mined


OPEN_TX_STATES = (TxState.SIGNED, TxState.SENT)


class TxKind(StrEnum):
    """What a journaled transaction does (its pending-list name comes from here)."""

    CONTRIBUTE = "contribute"
    REFUND = "refund"
    REPORT = "report"
    SEND = "send"  # ether sent to an address (usecases.transfer)
    CANCEL = "cancel"  # a 0-value transfer to self that takes a pending transaction's nonce
    CALL = "call"  # any other transaction sent through the journal (a plain transfer, a contract call)

    @classmethod
    def of(cls, stored: str) -> TxKind:
        """The kind a row holds; a kind this version does not know reads as a plain call."""
        try:
            return cls(stored)
        except ValueError:
            return cls.CALL


class ContributionState(StrEnum):
    DRAFT = "draft"  # saved before anything is signed
    SENDING = "sending"  # signed and journaled; its transaction is not settled yet
    ADDED = "added"
    FAILED = "failed"
    DROPPED = "dropped"  # never mined: another transaction took its nonce; the text stays to send again
    CANCELLED = "cancelled"  # the user cancelled it while pending; the text stays
