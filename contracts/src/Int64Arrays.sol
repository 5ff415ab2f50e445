// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Int64Arrays: a contribution's int64[] handled straight from calldata.
/// @notice Solidity's encoder copies and re-checks the array element by element for every
/// use (key, event, model call). Here each use is one calldatacopy, and the event and the
/// model call share one buffer, so the data array is copied once per use, not re-encoded.
library Int64Arrays {
    /// keccak256(abi.encodePacked(data, classification, addedTime, author)) - the reference's key.
    /// Returns valid = false when an element is not a clean (sign-extended) int64.
    function key(int64[] calldata data, uint64 classification, uint256 addedTime, address author)
        internal
        pure
        returns (bytes32 result, bool valid)
    {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := shl(5, data.length)
            calldatacopy(ptr, data.offset, size)
            valid := 1
            let end := add(ptr, size)
            for { let p := ptr } lt(p, end) { p := add(p, 0x20) } {
                let v := mload(p)
                if iszero(eq(signextend(7, v), v)) { valid := 0 }
            }
            mstore(end, shl(192, classification))
            mstore(add(end, 8), addedTime)
            mstore(add(end, 40), shl(96, author))
            result := keccak256(ptr, add(size, 60))
        }
    }

    /// Emits AddData(data, classification, block.timestamp, msg.sender, cost) with topic `eventTopic`,
    /// then calls `model.update(data, classification)` (selector `updateSelector`) from the same
    /// buffer, passing on the model's revert reason if it refuses.
    function emitAndUpdate(
        bytes32 eventTopic,
        address model,
        bytes4 updateSelector,
        int64[] calldata data,
        uint64 classification,
        uint256 cost
    ) internal {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := shl(5, data.length)
            let items := add(ptr, 0xa0)
            calldatacopy(items, data.offset, size)
            // Event data: abi.encode(d, c, t, cost) = [0x80][c][t][cost][length][items].
            mstore(ptr, 0x80)
            mstore(add(ptr, 0x20), classification)
            mstore(add(ptr, 0x40), timestamp())
            mstore(add(ptr, 0x60), cost)
            mstore(add(ptr, 0x80), data.length)
            log2(ptr, add(0xa0, size), eventTopic, caller())
            // Call data: update(int64[],uint64) = [selector][0x40][c][length][items], ending where the event's did.
            mstore(add(ptr, 0x20), shr(224, updateSelector))
            mstore(add(ptr, 0x40), 0x40)
            mstore(add(ptr, 0x60), classification)
            if iszero(call(gas(), model, 0, add(ptr, 0x3c), add(0x64, size), 0, 0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
    }

    /// `model.predict(data)` (selector `predictSelector`), reverting with the model's reason if it refuses.
    function predict(address model, bytes4 predictSelector, int64[] calldata data)
        internal
        view
        returns (uint256 prediction)
    {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := shl(5, data.length)
            // [selector][0x20][length][items]
            mstore(ptr, shr(224, predictSelector))
            mstore(add(ptr, 0x20), 0x20)
            mstore(add(ptr, 0x40), data.length)
            calldatacopy(add(ptr, 0x60), data.offset, size)
            if iszero(staticcall(gas(), model, add(ptr, 0x1c), add(0x44, size), 0, 0x20)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            if lt(returndatasize(), 0x20) { revert(0, 0) }
            prediction := mload(0)
        }
    }
}
