// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Classifier64} from "./Classifier64.sol";

/// @title NearestCentroidClassifier: nearest class mean over dense feature vectors.
/// @notice Keeps, per class, the sum S of its samples and their number n; the centroid
/// is S / n. An update adds the vector to S (no rounding drift, unlike the
/// reference's moving average). The squared distance scaled by n^2 is
/// sum_j (n * x_j - S_j)^2, and classes are compared exactly by cross-multiplying.
/// @dev Sums are int128, packed two to a word; class c's dimension j is at key
/// c * wordsPerClass + j / 2.
contract NearestCentroidClassifier is Classifier64 {
    uint256 private constant LANES = 2;
    uint256 private constant LANE_BITS = 128;
    uint256 private constant LANE_MASK = (1 << LANE_BITS) - 1;

    uint256 public immutable numFeatures;
    uint256 private immutable _wordsPerClass;

    mapping(uint256 => uint256) private _sums;
    mapping(uint256 => uint256) private _numSamples;

    constructor(string[] memory classifications_, uint256 numFeatures_, uint128[] memory numSamples_)
        Classifier64(classifications_)
    {
        require(numFeatures_ > 0, "A model needs at least one feature.");
        require(numSamples_.length == classifications_.length, "Give one sample count per class.");
        numFeatures = numFeatures_;
        _wordsPerClass = (numFeatures_ + LANES - 1) / LANES;
        for (uint256 c = 0; c < numSamples_.length; ++c) {
            _numSamples[c] = numSamples_[c];
        }
    }

    function initializeSums(uint256 firstWord, uint256[] calldata words) external onlyOwner {
        for (uint256 i = 0; i < words.length; ++i) {
            _sums[firstWord + i] = words[i];
        }
    }

    function getNumSamples(uint256 classIndex) external view returns (uint256) {
        return _numSamples[classIndex];
    }

    /// The centroid's value in dimension `dim`, scaled like the data (truncated toward zero).
    function getCentroidValue(uint256 classIndex, uint256 dim) external view returns (int256) {
        uint256 n = _numSamples[classIndex];
        return n == 0 ? int256(0) : _sum(classIndex, dim) / int256(n);
    }

    function predict(int64[] calldata data) external view override returns (uint64) {
        require(data.length == numFeatures, "The data has the wrong number of features.");
        uint256 numClasses = classifications.length;
        bool found = false;
        uint256 best = 0;
        int256 bestDistance = 0;
        int256 bestN = 0;
        for (uint256 c = 0; c < numClasses; ++c) {
            int256 n = int256(_numSamples[c]);
            if (n == 0) {
                continue;
            }
            int256 distance = 0;
            uint256 word;
            for (uint256 j = 0; j < data.length; ++j) {
                if (j % LANES == 0) {
                    word = _sums[c * _wordsPerClass + j / LANES];
                }
                int256 diff = n * int256(data[j]) - int256(int128(uint128(word >> ((j % LANES) * LANE_BITS))));
                distance += diff * diff;
            }
            if (!found || distance * bestN * bestN < bestDistance * n * n) {
                found = true;
                best = c;
                bestDistance = distance;
                bestN = n;
            }
        }
        return uint64(best);
    }

    function update(int64[] calldata data, uint64 classification) external override onlyOwner {
        require(data.length == numFeatures, "The data has the wrong number of features.");
        uint256 base = classification * _wordsPerClass;
        for (uint256 key = 0; key * LANES < data.length; ++key) {
            uint256 word = _sums[base + key];
            for (uint256 lane = 0; lane < LANES && key * LANES + lane < data.length; ++lane) {
                uint256 shift = lane * LANE_BITS;
                int256 next = int256(int128(uint128(word >> shift))) + int256(data[key * LANES + lane]);
                require(next >= type(int128).min && next <= type(int128).max, "A centroid sum would overflow.");
                word = (word & ~(LANE_MASK << shift)) | (uint256(uint128(int128(next))) << shift);
            }
            _sums[base + key] = word;
        }
        _numSamples[classification] += 1;
    }

    function _sum(uint256 classIndex, uint256 dim) private view returns (int256) {
        uint256 word = _sums[classIndex * _wordsPerClass + dim / LANES];
        return int128(uint128(word >> ((dim % LANES) * LANE_BITS)));
    }
}
