"""The engine's blocks, transactions and receipts rendered as the JSON-RPC values a real node sends.

The embedded provider answers in the wire format (hex quantities and data), so
web3 applies exactly the formatters it applies to an HTTP node.
"""

from __future__ import annotations

from collections.abc import Sequence

from dacwallet.chain.wire import Block, Header, Receipt, Transaction, contract_address


def hex_int(value: int) -> str:
    return hex(value)


def hex_bytes(value: bytes) -> str:
    return "0x" + value.hex()


def format_transaction(tx: Transaction, sender: bytes, header: Header, index: int) -> dict[str, object]:
    kind = tx.type_id
    out: dict[str, object] = {
        "blockHash": hex_bytes(header.hash),
        "blockNumber": hex_int(header.block_number),
        "transactionIndex": hex_int(index),
        "hash": hex_bytes(tx.hash),
        "type": hex_int(kind),
        "from": hex_bytes(sender),
        "to": hex_bytes(tx.to) if tx.to else None,
        "nonce": hex_int(tx.nonce),
        "gas": hex_int(tx.gas),
        "value": hex_int(tx.value),
        "input": hex_bytes(tx.data),
        "gasPrice": hex_int(tx.effective_gas_price(header.base_fee_per_gas)),
        "r": hex_int(tx.r),
        "s": hex_int(tx.s),
    }
    if kind == 0:
        out["v"] = hex_int(tx.v)
        return out
    assert tx.chain_id is not None  # typed transactions (EIP-2718) always carry their chain id
    out["chainId"] = hex_int(tx.chain_id)
    out["yParity"] = out["v"] = hex_int(tx.y_parity)
    out["accessList"] = [
        {"address": hex_bytes(address), "storageKeys": [hex_bytes(k.to_bytes(32, "big")) for k in keys]}
        for address, keys in tx.access_list
    ]
    if kind >= 2:
        out["maxFeePerGas"] = hex_int(tx.max_fee_per_gas)
        out["maxPriorityFeePerGas"] = hex_int(tx.max_priority_fee_per_gas)
    return out


def format_block(block: Block, senders: Sequence[bytes] | None) -> dict[str, object]:
    """The block with full transactions when their ``senders`` are given, else hashes."""
    header = block.header
    transactions: list[object] = [
        format_transaction(tx, senders[i], header, i) if senders is not None else hex_bytes(tx.hash)
        for i, tx in enumerate(block.transactions)
    ]
    return {
        "number": hex_int(header.block_number),
        "hash": hex_bytes(header.hash),
        "parentHash": hex_bytes(header.parent_hash),
        "nonce": hex_bytes(header.nonce),
        "mixHash": hex_bytes(header.mix_hash),
        "sha3Uncles": hex_bytes(header.uncles_hash),
        "logsBloom": hex_bytes(header.bloom.to_bytes(256, "big")),
        "transactionsRoot": hex_bytes(header.transaction_root),
        "stateRoot": hex_bytes(header.state_root),
        "receiptsRoot": hex_bytes(header.receipt_root),
        "miner": hex_bytes(header.coinbase),
        "difficulty": hex_int(header.difficulty),
        "totalDifficulty": hex_int(header.difficulty),
        "extraData": hex_bytes(header.extra_data),
        "size": hex_int(block.size),
        "gasLimit": hex_int(header.gas_limit),
        "gasUsed": hex_int(header.gas_used),
        "timestamp": hex_int(header.timestamp),
        "baseFeePerGas": hex_int(header.base_fee_per_gas),
        "withdrawalsRoot": hex_bytes(header.withdrawals_root),
        "withdrawals": [],
        "blobGasUsed": hex_int(header.blob_gas_used),
        "excessBlobGas": hex_int(header.excess_blob_gas),
        "parentBeaconBlockRoot": hex_bytes(header.parent_beacon_block_root),
        "requestsHash": hex_bytes(header.requests_hash),
        "transactions": transactions,
        "uncles": [],
    }


def format_receipt(
    block: Block,
    receipts: Sequence[Receipt],
    index: int,
    sender: bytes,
    first_log_index: int,
) -> dict[str, object]:
    """Receipt of transaction ``index``; ``first_log_index`` counts earlier logs in the block."""
    header = block.header
    tx = block.transactions[index]
    receipt = receipts[index]
    previous_gas = receipts[index - 1].cumulative_gas_used if index else 0
    base = {
        "blockHash": hex_bytes(header.hash),
        "blockNumber": hex_int(header.block_number),
        "transactionHash": hex_bytes(tx.hash),
        "transactionIndex": hex_int(index),
    }
    logs = [
        {
            **base,
            "address": hex_bytes(log.address),
            "topics": [hex_bytes(t) for t in log.topics],
            "data": hex_bytes(log.data),
            "logIndex": hex_int(first_log_index + i),
            "removed": False,
        }
        for i, log in enumerate(receipt.logs)
    ]
    return {
        **base,
        "from": hex_bytes(sender),
        "to": hex_bytes(tx.to) if tx.to else None,
        "contractAddress": None if tx.to else hex_bytes(contract_address(sender, tx.nonce)),
        "cumulativeGasUsed": hex_int(receipt.cumulative_gas_used),
        "gasUsed": hex_int(receipt.cumulative_gas_used - previous_gas),
        "effectiveGasPrice": hex_int(tx.effective_gas_price(header.base_fee_per_gas)),
        "logs": logs,
        "logsBloom": hex_bytes(receipt.bloom.to_bytes(256, "big")),
        "status": hex_int(1 if receipt.success else 0),
        "type": hex_int(tx.type_id),
    }
