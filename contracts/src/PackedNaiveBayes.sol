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

    mapping(uint256 => uint256) private _words;
    /// Per class c: numSamples at [c], the total feature count at [2 + c]; one storage word, so a
    /// contribution reads one slot for both classes, not two.
    uint64[4] private _classTotals;

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
        // The bound under which _scores cannot overflow (see there); real models are far inside it.
        require(smoothingFactor_ < 1 << 63, "The smoothing factor is too large.");
        require(numSamples_[0] < 1 << 63 && numSamples_[1] < 1 << 63, "A sample count is too large.");
        numFeatures = numFeatures_;
        smoothingFactor = smoothingFactor_;
        _classTotals[0] = uint64(numSamples_[0]);
        _classTotals[1] = uint64(numSamples_[1]);
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
            uint256 total = _classTotals[2 + c] + added[c];
            require(total <= type(uint64).max, "A class total would overflow.");
            _classTotals[2 + c] = uint64(total);
        }
    }

    function getFeatureCount(uint256 classIndex, uint32 featureIndex) external view returns (uint256) {
        require(classIndex < 2, "The label is not one of this model's classes.");
        (uint256 key, uint256 shift) = _lane(featureIndex, classIndex);
        return (_words[key] >> shift) & LANE_MASK;
    }

    function getNumSamples(uint256 classIndex) external view returns (uint256) {
        require(classIndex < 2, "The label is not one of this model's classes.");
        return _classTotals[classIndex];
    }

    function getClassTotalFeatureCount(uint256 classIndex) external view returns (uint256) {
        require(classIndex < 2, "The label is not one of this model's classes.");
        return _classTotals[2 + classIndex];
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
        uint256 wordsSlot;
        bool overflow;
        assembly ("memory-safe") {
            wordsSlot := _words.slot
            mstore(0x20, wordsSlot)
            let end := add(data.offset, shl(5, data.length))
            for { let p := data.offset } lt(p, end) { p := add(p, 0x20) } {
                // _scores read every element and refused unclean ones; uint64(data[i]) as in _lane.
                let feature := and(calldataload(p), 0xffffffffffffffff)
                mstore(0, div(feature, FEATURES_PER_WORD))
                let slot := keccak256(0, 0x40)
                let shift := mul(add(shl(1, mod(feature, FEATURES_PER_WORD)), classification), LANE_BITS)
                let word := sload(slot)
                if eq(and(shr(shift, word), LANE_MASK), LANE_MASK) {
                    overflow := 1
                    break
                }
                sstore(slot, add(word, shl(shift, 1)))
            }
        }
        require(!overflow, "A feature count would overflow.");
        uint64[4] memory totals = _classTotals;
        totals[classification] += 1;
        totals[2 + classification] += uint64(data.length);
        _classTotals = totals;
    }

    function _lane(uint64 featureIndex, uint256 classIndex) private pure returns (uint256 key, uint256 shift) {
        key = featureIndex / FEATURES_PER_WORD;
        shift = (2 * (featureIndex % FEATURES_PER_WORD) + classIndex) * LANE_BITS;
    }

    /// NaiveBayesClassifier's scores for two classes: numSamples << 128 times, per index,
    /// (count * toFloat + s) / (total * toFloat + s * numFeatures), both shifted up 64 bits
    /// whenever the larger falls below 2^128, so their ratio survives long reviews.
    /// @dev In assembly for gas (a third of a skipped contribution's cost was checked arithmetic
    /// and index bookkeeping), with the same operations in the same order, so the integers are
    /// the ones the checked version gave. Nothing can overflow: a score stays below 2^192 (it only
    /// shrinks, by a factor count * toFloat + s <= total * toFloat + s * numFeatures, and a shift
    /// leaves it below 2^192; it starts below 2^192, numSamples being a uint64), and that factor is
    /// below 2^64 (the constructor bounds s), so every product stays below 2^256.
    function _scores(int64[] calldata data) private view returns (uint256 score0, uint256 score1) {
        uint256 smoothing = smoothingFactor;
        uint64[4] memory totals = _classTotals;
        score0 = uint256(totals[0]) << 128;
        score1 = uint256(totals[1]) << 128;
        uint256 denominator0 = uint256(totals[2]) * toFloat + smoothing * numFeatures;
        uint256 denominator1 = uint256(totals[3]) * toFloat + smoothing * numFeatures;
        bool unclean;
        assembly ("memory-safe") {
            mstore(0x20, _words.slot)
            let end := add(data.offset, shl(5, data.length))
            for { let p := data.offset } lt(p, end) { p := add(p, 0x20) } {
                let value := calldataload(p)
                // What Solidity's decoder refuses: a word that is not a sign-extended int64.
                if iszero(eq(signextend(7, value), value)) {
                    unclean := 1
                    break
                }
                let feature := and(value, 0xffffffffffffffff) // uint64(data[i]), as _lane takes it
                mstore(0, div(feature, FEATURES_PER_WORD))
                let pair := shr(mul(shl(1, mod(feature, FEATURES_PER_WORD)), LANE_BITS), sload(keccak256(0, 0x40)))
                score0 := div(mul(score0, add(mul(and(pair, LANE_MASK), toFloat), smoothing)), denominator0)
                score1 :=
                    div(mul(score1, add(mul(and(shr(LANE_BITS, pair), LANE_MASK), toFloat), smoothing)), denominator1)
                let largest := score0
                if gt(score1, score0) { largest := score1 }
                if and(iszero(iszero(largest)), lt(largest, shl(128, 1))) {
                    score0 := shl(64, score0)
                    score1 := shl(64, score1)
                }
            }
        }
        if (unclean) {
            revert();
        }
    }
}
