// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Classifier64} from "./Classifier64.sol";

/// @title SparsePerceptron: a binary perceptron over sets of feature indices.
/// @notice margin = intercept + sum of weights[i] over the indices; class 1 when margin > 0.
/// Learns only from mistakes: each index's weight moves by learningRate toward the label.
/// @dev Weights are int48, packed five to a storage word (lane k of word w is
/// feature 5w+k), so an upload costs a fifth of one-slot-per-weight and a zero
/// group of five costs nothing. Any uint64 index is valid (reference clients
/// send 1337 for unknown words); its weight starts at zero.
contract SparsePerceptron is Classifier64 {
    // Also written as literals in the assembly below (5 lanes, 48 bits, mask 0xffffffffffff).
    uint256 private constant LANES = 5;
    uint256 private constant LANE_BITS = 48;

    int80 public immutable intercept;
    uint32 public immutable learningRate;

    mapping(uint256 => uint256) private _words;

    constructor(string[] memory classifications_, int80 intercept_, uint32 learningRate_)
        Classifier64(classifications_)
    {
        require(classifications_.length == 2, "A perceptron has exactly two classes.");
        intercept = intercept_;
        learningRate = learningRate_;
    }

    /// Uploads packed weight words starting at word `firstWord` (deployment only:
    /// after ownership moves to the entry point nobody can call this).
    function initializeWords(uint256 firstWord, uint256[] calldata words) external onlyOwner {
        for (uint256 i = 0; i < words.length; ++i) {
            _words[firstWord + i] = words[i];
        }
    }

    function weights(uint64 index) external view returns (int80) {
        return int80(_weight(index));
    }

    function predict(int64[] calldata data) public view override returns (uint64) {
        return _margin(data) > 0 ? 1 : 0;
    }

    function update(int64[] calldata data, uint64 classification) external override onlyOwner {
        if (predict(data) == classification) {
            return;
        }
        int256 step = classification == 1 ? int256(uint256(learningRate)) : -int256(uint256(learningRate));
        bool overflow = false;
        assembly ("memory-safe") {
            mstore(0x20, _words.slot)
            let end := add(data.offset, shl(5, data.length))
            for { let p := data.offset } lt(p, end) { p := add(p, 0x20) } {
                let index := and(calldataload(p), 0xffffffffffffffff) // uint64(int64)
                mstore(0x00, div(index, 5))
                let slot := keccak256(0x00, 0x40)
                let word := sload(slot)
                let shift := mul(48, mod(index, 5))
                let next := add(signextend(5, shr(shift, word)), step)
                if iszero(eq(signextend(5, next), next)) { overflow := 1 }
                sstore(slot, or(and(word, not(shl(shift, 0xffffffffffff))), shl(shift, and(next, 0xffffffffffff))))
            }
        }
        require(!overflow, "A weight would overflow.");
    }

    function _weight(uint256 index) private view returns (int256) {
        return int48(uint48(_words[index / LANES] >> ((index % LANES) * LANE_BITS)));
    }

    /// intercept + the weights of the indices; int48 terms cannot overflow an int256 sum.
    function _margin(int64[] calldata data) private view returns (int256 margin) {
        margin = intercept;
        assembly ("memory-safe") {
            mstore(0x20, _words.slot)
            let end := add(data.offset, shl(5, data.length))
            for { let p := data.offset } lt(p, end) { p := add(p, 0x20) } {
                let index := and(calldataload(p), 0xffffffffffffffff) // uint64(int64)
                mstore(0x00, div(index, 5))
                margin := add(margin, signextend(5, shr(mul(48, mod(index, 5)), sload(keccak256(0x00, 0x40)))))
            }
        }
    }
}
