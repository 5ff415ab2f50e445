// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Classifier64} from "./Classifier64.sol";

/// @title DensePerceptron: a binary perceptron over fixed-length feature vectors.
/// @notice Features and weights are scaled by toFloat (1e9), so their products are
/// scaled by 1e18; the intercept (scaled 1e9) is raised to the same 1e18 scale
/// before it is added - the reference added it at 1e9 and so almost ignored it.
/// @dev Weights are int64, packed four to a storage word.
contract DensePerceptron is Classifier64 {
    uint256 private constant LANES = 4;
    uint256 private constant LANE_BITS = 64;
    uint256 private constant LANE_MASK = (1 << LANE_BITS) - 1;

    int80 public immutable intercept;
    uint32 public immutable learningRate;
    uint256 public immutable numFeatures;

    mapping(uint256 => uint256) private _words;

    constructor(string[] memory classifications_, int80 intercept_, uint32 learningRate_, uint256 numFeatures_)
        Classifier64(classifications_)
    {
        require(classifications_.length == 2, "A perceptron has exactly two classes.");
        require(numFeatures_ > 0, "A model needs at least one feature.");
        intercept = intercept_;
        learningRate = learningRate_;
        numFeatures = numFeatures_;
    }

    function initializeWords(uint256 firstWord, uint256[] calldata words) external onlyOwner {
        for (uint256 i = 0; i < words.length; ++i) {
            _words[firstWord + i] = words[i];
        }
    }

    function weights(uint256 index) external view returns (int80) {
        return int80(int64(uint64(_words[index / LANES] >> ((index % LANES) * LANE_BITS))));
    }

    function predict(int64[] calldata data) public view override returns (uint64) {
        require(data.length == numFeatures, "The data has the wrong number of features.");
        int256 margin = int256(intercept) * int256(uint256(toFloat));
        uint256 word;
        for (uint256 i = 0; i < data.length; ++i) {
            if (i % LANES == 0) {
                word = _words[i / LANES];
            }
            margin += int256(int64(uint64(word >> ((i % LANES) * LANE_BITS)))) * int256(data[i]);
        }
        return margin > 0 ? 1 : 0;
    }

    function update(int64[] calldata data, uint64 classification) external override onlyOwner {
        if (predict(data) == classification) {
            return;
        }
        int256 rate = classification == 1 ? int256(uint256(learningRate)) : -int256(uint256(learningRate));
        for (uint256 key = 0; key * LANES < data.length; ++key) {
            uint256 word = _words[key];
            for (uint256 lane = 0; lane < LANES && key * LANES + lane < data.length; ++lane) {
                uint256 shift = lane * LANE_BITS;
                // Signed division truncates toward zero; the mirror does the same.
                int256 next = int256(int64(uint64(word >> shift))) + rate * int256(data[key * LANES + lane]) / int256(uint256(toFloat));
                require(next >= type(int64).min && next <= type(int64).max, "A weight would overflow.");
                word = (word & ~(LANE_MASK << shift)) | (uint256(uint64(int64(next))) << shift);
            }
            _words[key] = word;
        }
    }
}
