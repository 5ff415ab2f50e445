// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SparseCountsClassifier64} from "./SparseCountsClassifier64.sol";

/// @title SparseNearestCentroidClassifier: nearest class mean over sets of feature indices.
/// @notice A class's centroid is count[c] / n[c] (the share of its samples that had
/// each feature). With Q[c] = sum of count[c][i]^2 kept up to date, the squared
/// distance of x scaled by n^2 is n^2*|x| - 2n*sum_{i in x} count[c][i] + Q[c]:
/// one storage read per index, and an update touches only the indices it carries
/// (the reference rewrote every dimension of the centroid on each update).
/// @dev Classes are compared exactly by cross-multiplying (D_b * n_a^2 < D_a * n_b^2);
/// a class with no samples is never chosen, ties go to the lower class.
contract SparseNearestCentroidClassifier is SparseCountsClassifier64 {
    constructor(string[] memory classifications_, uint256 numFeatures_, uint128[] memory numSamples_)
        SparseCountsClassifier64(classifications_, numFeatures_, numSamples_)
    {}

    /// The centroid's value for a feature, scaled by toFloat (0 for a class with no samples).
    function getCentroidValue(uint256 classIndex, uint64 featureIndex) external view returns (uint256) {
        uint256 n = _classInfo[classIndex].numSamples;
        return n == 0 ? 0 : _count(classIndex, featureIndex) * toFloat / n;
    }

    function getSumOfSquares(uint256 classIndex) external view returns (uint256) {
        return _classInfo[classIndex].aggregate;
    }

    function predict(int64[] calldata data) external view override returns (uint64) {
        uint256 numClasses = _numClasses;
        int256[] memory sums = new int256[](numClasses);
        for (uint256 i = 0; i < data.length; ++i) {
            uint256 base = uint256(uint64(data[i])) * _wordsPerFeature;
            uint256 word;
            for (uint256 c = 0; c < numClasses; ++c) {
                uint256 lane = c % LANES;
                if (lane == 0) {
                    word = _counts[base + c / LANES];
                }
                sums[c] += int256((word >> (lane * LANE_BITS)) & LANE_MASK);
            }
        }
        bool found = false;
        uint256 best = 0;
        int256 bestDistance = 0;
        int256 bestN = 0;
        int256 length = int256(data.length);
        for (uint256 c = 0; c < numClasses; ++c) {
            ClassInfo memory info = _classInfo[c];
            if (info.numSamples == 0) {
                continue;
            }
            int256 n = int256(uint256(info.numSamples));
            int256 distance = n * n * length - 2 * n * sums[c] + int256(uint256(info.aggregate));
            if (!found || distance * bestN * bestN < bestDistance * n * n) {
                found = true;
                best = c;
                bestDistance = distance;
                bestN = n;
            }
        }
        return uint64(best);
    }

    function _initialAggregate(uint256 count) internal pure override returns (uint256) {
        return count * count;
    }

    function _aggregateStep(uint256 count) internal pure override returns (uint256) {
        return 2 * count + 1;
    }
}
