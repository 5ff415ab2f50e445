// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Classifier64} from "./Classifier64.sol";

/// @title PackedNaiveBayes: binary multinomial Naive Bayes with packed counts and a confidence gate.
/// @notice Predicts with NaiveBayesClassifier's integer arithmetic. Learns every contribution's
/// counts unless the model is already sure of its label: an update is skipped when
/// score[label] > e^5 * score[other], i.e. when the log-odds margin toward the label exceeds 5.
/// Sure labels are mostly redundant for an honest stream; an attacker's flipped label is
/// never "sure", so it is counted, but honest counts outweigh it.
/// @dev Counts are uint24, two classes for each of five features in one storage word
/// (lane 2 * (f % 5) + c of word f / 5), so uploading a 3,000-feature model writes 600 words
/// (NaiveBayesClassifier's one word per feature made that 3,000). A count reaches 2^24 only
/// after some 16.7 million contributions of one class containing the feature.
contract PackedNaiveBayes is Classifier64 {
    uint256 private constant FEATURES_PER_WORD = 5;
    uint256 private constant LANE_BITS = 24;
    uint256 private constant LANE_MASK = 0xffffff;
    /// e^5 = 148.4131...; the gate compares scores with this fraction, no logarithm needed.
    uint256 public constant GATE_NUMERATOR = 148413;
    uint256 public constant GATE_DENOMINATOR = 1000;

    uint256 public immutable smoothingFactor;
    /// Size of the feature space (the vocabulary); smoothing uses it.
    uint256 public immutable numFeatures;

    struct ClassInfo {
        uint128 numSamples;
        uint128 totalFeatureCount;
    }

    mapping(uint256 => uint256) private _words;
    ClassInfo[2] private _classInfo;

    constructor(
        string[] memory classifications_,
        uint256 numFeatures_,
        uint128[] memory numSamples_,
        uint256 smoothingFactor_
    ) Classifier64(classifications_) {
        require(classifications_.length == 2, "This Naive Bayes has exactly two classes.");
        require(numFeatures_ > 0, "A model needs at least one feature.");
        require(numSamples_.length == 2, "Give one sample count per class.");
        require(smoothingFactor_ > 0, "The smoothing factor must be positive.");
        numFeatures = numFeatures_;
        smoothingFactor = smoothingFactor_;
        _classInfo[0].numSamples = numSamples_[0];
        _classInfo[1].numSamples = numSamples_[1];
    }

    /// Uploads packed count words from word `firstWord` on (deployment only), adding
    /// them to the class totals.
    function initializeCounts(uint256 firstWord, uint256[] calldata words) external onlyOwner {
        uint256[2] memory added;
        for (uint256 i = 0; i < words.length; ++i) {
            uint256 key = firstWord + i;
            require(_words[key] == 0, "These counts were already uploaded.");
            uint256 word = words[i];
            _words[key] = word;
            for (uint256 lane = 0; lane < 2 * FEATURES_PER_WORD; ++lane) {
                added[lane % 2] += (word >> (lane * LANE_BITS)) & LANE_MASK;
            }
        }
        for (uint256 c = 0; c < 2; ++c) {
            // Checked before narrowing: a cast alone would silently drop the high bits.
            uint256 total = _classInfo[c].totalFeatureCount + added[c];
            require(total <= type(uint128).max, "A class total would overflow.");
            _classInfo[c].totalFeatureCount = uint128(total);
        }
    }

    function getFeatureCount(uint256 classIndex, uint32 featureIndex) external view returns (uint256) {
        require(classIndex < 2, "The label is not one of this model's classes.");
        (uint256 key, uint256 shift) = _lane(featureIndex, classIndex);
        return (_words[key] >> shift) & LANE_MASK;
    }

    function getNumSamples(uint256 classIndex) external view returns (uint256) {
        return _classInfo[classIndex].numSamples;
    }

    function getClassTotalFeatureCount(uint256 classIndex) external view returns (uint256) {
        return _classInfo[classIndex].totalFeatureCount;
    }

    function predict(int64[] calldata data) external view override returns (uint64) {
        (uint256 score0, uint256 score1) = _scores(data);
        return score1 > score0 ? 1 : 0;
    }

    function update(int64[] calldata data, uint64 classification) external override onlyOwner {
        require(classification < 2, "The label is not one of this model's classes.");
        (uint256 score0, uint256 score1) = _scores(data);
        (uint256 mine, uint256 other) = classification == 0 ? (score0, score1) : (score1, score0);
        if (mine * GATE_DENOMINATOR > other * GATE_NUMERATOR) {
            return; // already sure of this label
        }
        for (uint256 i = 0; i < data.length; ++i) {
            (uint256 key, uint256 shift) = _lane(uint64(data[i]), classification);
            uint256 word = _words[key];
            require((word >> shift) & LANE_MASK < LANE_MASK, "A feature count would overflow.");
            _words[key] = word + (1 << shift);
        }
        ClassInfo storage info = _classInfo[classification];
        info.numSamples += 1;
        info.totalFeatureCount += uint128(data.length);
    }

    function _lane(uint64 featureIndex, uint256 classIndex) private pure returns (uint256 key, uint256 shift) {
        key = featureIndex / FEATURES_PER_WORD;
        shift = (2 * (featureIndex % FEATURES_PER_WORD) + classIndex) * LANE_BITS;
    }

    /// NaiveBayesClassifier's scores for two classes: numSamples << 128 times, per index,
    /// (count * toFloat + s) / (total * toFloat + s * numFeatures), both shifted up 64 bits
    /// whenever the larger falls below 2^128, so their ratio survives long reviews.
    function _scores(int64[] calldata data) private view returns (uint256 score0, uint256 score1) {
        uint256 smoothing = smoothingFactor;
        ClassInfo memory info0 = _classInfo[0];
        ClassInfo memory info1 = _classInfo[1];
        score0 = uint256(info0.numSamples) << 128;
        score1 = uint256(info1.numSamples) << 128;
        uint256 denominator0 = uint256(info0.totalFeatureCount) * toFloat + smoothing * numFeatures;
        uint256 denominator1 = uint256(info1.totalFeatureCount) * toFloat + smoothing * numFeatures;
        for (uint256 i = 0; i < data.length; ++i) {
            (uint256 key, uint256 shift) = _lane(uint64(data[i]), 0);
            uint256 pair = _words[key] >> shift;
            score0 = score0 * ((pair & LANE_MASK) * toFloat + smoothing) / denominator0;
            score1 = score1 * (((pair >> LANE_BITS) & LANE_MASK) * toFloat + smoothing) / denominator1;
            uint256 largest = score0 > score1 ? score0 : score1;
            if (largest != 0 && largest < (1 << 128)) {
                score0 <<= 64;
                score1 <<= 64;
            }
        }
    }
}
