// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Classifier64} from "./Classifier64.sol";

/// @title SparseCountsClassifier64: shared storage of the count-based sparse models.
/// @notice For every (class, feature) pair: how many contributions of that class
/// contained the feature. Per class: the number of samples and one aggregate that
/// the concrete model keeps in step with the counts (Naive Bayes: the sum of the
/// counts; nearest centroid: the sum of their squares).
/// @dev Counts are uint64, packed four classes to a word; the words of feature f
/// start at key f * wordsPerFeature, so a binary model reads one word per index.
abstract contract SparseCountsClassifier64 is Classifier64 {
    uint256 internal constant LANES = 4;
    uint256 internal constant LANE_BITS = 64;
    uint256 internal constant LANE_MASK = (1 << LANE_BITS) - 1;

    struct ClassInfo {
        uint128 numSamples;
        uint128 aggregate;
    }

    uint256 internal immutable _numClasses;
    uint256 internal immutable _wordsPerFeature;
    /// Size of the feature space (the vocabulary); smoothing and distances use it.
    uint256 public immutable numFeatures;

    mapping(uint256 => uint256) internal _counts;
    mapping(uint256 => ClassInfo) internal _classInfo;

    constructor(string[] memory classifications_, uint256 numFeatures_, uint128[] memory numSamples_)
        Classifier64(classifications_)
    {
        require(numFeatures_ > 0, "A model needs at least one feature.");
        require(numSamples_.length == classifications_.length, "Give one sample count per class.");
        _numClasses = classifications_.length;
        _wordsPerFeature = (classifications_.length + LANES - 1) / LANES;
        numFeatures = numFeatures_;
        for (uint256 c = 0; c < numSamples_.length; ++c) {
            _classInfo[c].numSamples = numSamples_[c];
        }
    }

    /// Uploads packed count words from key `firstWord` on (deployment only), keeping
    /// each class's aggregate in step with what was uploaded.
    function initializeCounts(uint256 firstWord, uint256[] calldata words) external onlyOwner {
        uint256[] memory added = new uint256[](_numClasses);
        for (uint256 i = 0; i < words.length; ++i) {
            uint256 key = firstWord + i;
            require(_counts[key] == 0, "These counts were already uploaded.");
            uint256 word = words[i];
            _counts[key] = word;
            uint256 firstClass = (key % _wordsPerFeature) * LANES;
            for (uint256 lane = 0; lane < LANES && firstClass + lane < _numClasses; ++lane) {
                added[firstClass + lane] += _initialAggregate((word >> (lane * LANE_BITS)) & LANE_MASK);
            }
        }
        for (uint256 c = 0; c < _numClasses; ++c) {
            if (added[c] != 0) {
                // Checked before narrowing: a cast alone would silently drop the high bits.
                uint256 total = _classInfo[c].aggregate + added[c];
                require(total <= type(uint128).max, "A class total would overflow.");
                _classInfo[c].aggregate = uint128(total);
            }
        }
    }

    function getFeatureCount(uint256 classIndex, uint32 featureIndex) external view returns (uint256) {
        return _count(classIndex, featureIndex);
    }

    function getNumSamples(uint256 classIndex) external view returns (uint256) {
        return _classInfo[classIndex].numSamples;
    }

    function update(int64[] calldata data, uint64 classification) external override onlyOwner {
        uint256 key0 = classification / LANES;
        uint256 shift = (classification % LANES) * LANE_BITS;
        uint256 aggregateDelta = 0;
        for (uint256 i = 0; i < data.length; ++i) {
            uint256 key = uint256(uint64(data[i])) * _wordsPerFeature + key0;
            uint256 word = _counts[key];
            uint256 count = (word >> shift) & LANE_MASK;
            require(count < LANE_MASK, "A feature count would overflow.");
            aggregateDelta += _aggregateStep(count);
            _counts[key] = word + (1 << shift);
        }
        ClassInfo storage info = _classInfo[classification];
        info.numSamples += 1;
        info.aggregate += uint128(aggregateDelta);
    }

    function _count(uint256 classIndex, uint256 featureIndex) internal view returns (uint256) {
        uint256 word = _counts[featureIndex * _wordsPerFeature + classIndex / LANES];
        return (word >> ((classIndex % LANES) * LANE_BITS)) & LANE_MASK;
    }

    /// What one uploaded count adds to its class's aggregate.
    function _initialAggregate(uint256 count) internal pure virtual returns (uint256);

    /// What raising a count from `count` to `count + 1` adds to the aggregate.
    function _aggregateStep(uint256 count) internal pure virtual returns (uint256);
}
