// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SparseCountsClassifier64} from "./SparseCountsClassifier64.sol";

/// @title NaiveBayesClassifier: multinomial Naive Bayes over sets of feature indices.
/// @notice P(c | x) is proportional to numSamples[c] * prod over x of
/// (count[c][i] + s) / (total[c] + s * numFeatures), with s the smoothing factor.
/// @dev The product is kept as one big integer per class, starting at numSamples << 128,
/// and shifted left by 64 bits
/// for all classes together whenever the largest falls below 2^128. The ratio between
/// classes is preserved, so long reviews never underflow to zero (the reference's
/// flaw) and no logarithm is needed.
contract NaiveBayesClassifier is SparseCountsClassifier64 {
    uint256 public immutable smoothingFactor;

    constructor(
        string[] memory classifications_,
        uint256 numFeatures_,
        uint128[] memory numSamples_,
        uint256 smoothingFactor_
    ) SparseCountsClassifier64(classifications_, numFeatures_, numSamples_) {
        require(smoothingFactor_ > 0, "The smoothing factor must be positive.");
        smoothingFactor = smoothingFactor_;
    }

    function getClassTotalFeatureCount(uint256 classIndex) external view returns (uint256) {
        return _classInfo[classIndex].aggregate;
    }

    function predict(int64[] calldata data) external view override returns (uint64) {
        uint256 numClasses = _numClasses;
        uint256[] memory score = new uint256[](numClasses);
        uint256[] memory denominator = new uint256[](numClasses);
        uint256 smoothing = smoothingFactor;
        for (uint256 c = 0; c < numClasses; ++c) {
            ClassInfo memory info = _classInfo[c];
            // Start 128 bits up so the first divisions keep their precision (numSamples < 2^64 in practice).
            score[c] = uint256(info.numSamples) << 128;
            denominator[c] = uint256(info.aggregate) * toFloat + smoothing * numFeatures;
        }
        for (uint256 i = 0; i < data.length; ++i) {
            uint256 base = uint256(uint64(data[i])) * _wordsPerFeature;
            uint256 word;
            uint256 largest = 0;
            for (uint256 c = 0; c < numClasses; ++c) {
                uint256 lane = c % LANES;
                if (lane == 0) {
                    word = _counts[base + c / LANES];
                }
                uint256 count = (word >> (lane * LANE_BITS)) & LANE_MASK;
                uint256 s = score[c] * (count * toFloat + smoothing) / denominator[c];
                score[c] = s;
                if (s > largest) {
                    largest = s;
                }
            }
            if (largest != 0 && largest < (1 << 128)) {
                for (uint256 c = 0; c < numClasses; ++c) {
                    score[c] <<= 64;
                }
            }
        }
        uint256 best = 0;
        for (uint256 c = 1; c < numClasses; ++c) {
            if (score[c] > score[best]) {
                best = c;
            }
        }
        return uint64(best);
    }

    function _initialAggregate(uint256 count) internal pure override returns (uint256) {
        return count;
    }

    function _aggregateStep(uint256) internal pure override returns (uint256) {
        return 1;
    }
}
