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
    uint256 private constant LANES = 5;
    uint256 private constant LANE_BITS = 48;
    uint256 private constant LANE_MASK = (1 << LANE_BITS) - 1;

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
        for (uint256 i = 0; i < data.length; ++i) {
            uint256 index = uint64(data[i]);
            uint256 key = index / LANES;
            uint256 shift = (index % LANES) * LANE_BITS;
            uint256 word = _words[key];
            int256 next = int256(int48(uint48(word >> shift))) + step;
            require(next >= type(int48).min && next <= type(int48).max, "A weight would overflow.");
            word = (word & ~(LANE_MASK << shift)) | (uint256(uint48(int48(next))) << shift);
            _words[key] = word;
        }
    }

    function _weight(uint256 index) private view returns (int256) {
        return int48(uint48(_words[index / LANES] >> ((index % LANES) * LANE_BITS)));
    }

    function _margin(int64[] calldata data) private view returns (int256 margin) {
        margin = intercept;
        // int48 terms cannot overflow an int256 sum for any array that fits in a block.
        unchecked {
            for (uint256 i = 0; i < data.length; ++i) {
                margin += _weight(uint64(data[i]));
            }
        }
    }
}
