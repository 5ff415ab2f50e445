// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IncentiveMechanism64} from "./IncentiveMechanism64.sol";

/// @title Stakeable64: "Deposit, Refund and Take" - self-assessment with deposits.
/// @notice The deposit falls with the time since the last accepted contribution:
/// costWeight * 3600 / isqrt(seconds since then), the divisor 1 when no time passed.
/// The author gets the deposit back after refundWaitTimeS if the model then agrees;
/// if it disagrees, validated contributors may take shares of it; the owner may take
/// what is left after ownerClaimWaitTimeS and anyone after anyAddressClaimWaitTimeS.
abstract contract Stakeable64 is IncentiveMechanism64 {
    uint80 public immutable costWeight;

    event Refund(address recipient, uint256 amount);
    event Report(address recipient, uint256 amount);

    constructor(uint80 costWeight_) {
        costWeight = costWeight_;
    }

    function lastUpdateTimeS() external view returns (uint256) {
        return _totals.lastUpdateTimeS;
    }

    function _nextAddDataCost(uint256 currentTimeS) internal view override returns (uint256) {
        uint256 last = _totals.lastUpdateTimeS;
        uint256 divisor = currentTimeS > last ? _isqrt(currentTimeS - last) : 1;
        // costWeight < 2^80, so the cost stays below 2^92 and fits a Record's uint96.
        return uint256(costWeight) * 3600 / divisor;
    }

    function _handleAddData(uint256 value) internal view override returns (uint256 deposit) {
        deposit = _nextAddDataCost(block.timestamp);
        require(value >= deposit, "The deposit sent is below the current cost (see getNextAddDataCost).");
    }

    function _takeAmount(
        int64[] calldata data,
        uint64 classification,
        uint256 initialDeposit,
        uint256 claimableAmount,
        uint256 timeSinceAddedS,
        address reporter
    ) internal view override returns (uint256 amount) {
        if (timeSinceAddedS >= anyAddressClaimWaitTimeS) {
            return claimableAmount;
        }
        if (timeSinceAddedS >= ownerClaimWaitTimeS && reporter == owner) {
            return claimableAmount;
        }
        require(!_modelAgrees(data, classification), "The model agrees with this contribution, so it cannot be reported.");
        uint256 numValid = addressStats[reporter].numValid;
        require(numValid > 0, "Only contributors with a validated (refunded) contribution may report before the any-address wait.");
        amount = initialDeposit * numValid / _totals.totalGoodDataCount;
        if (amount == 0 || amount > claimableAmount) {
            amount = claimableAmount;
        }
    }

    function _emitRefund(address recipient, uint256 amount) internal override {
        emit Refund(recipient, amount);
    }

    function _emitReport(address recipient, uint256 amount) internal override {
        emit Report(recipient, amount);
    }

    /// Floor of the square root: a power-of-two first guess, then Newton from above.
    function _isqrt(uint256 x) internal pure returns (uint256 y) {
        if (x < 2) {
            return x;
        }
        uint256 guess = 1;
        uint256 rest = x;
        if (rest >= 1 << 128) { rest >>= 128; guess <<= 64; }
        if (rest >= 1 << 64) { rest >>= 64; guess <<= 32; }
        if (rest >= 1 << 32) { rest >>= 32; guess <<= 16; }
        if (rest >= 1 << 16) { rest >>= 16; guess <<= 8; }
        if (rest >= 1 << 8) { rest >>= 8; guess <<= 4; }
        if (rest >= 1 << 4) { rest >>= 4; guess <<= 2; }
        if (rest >= 1 << 2) { guess <<= 1; }
        // guess <= sqrt(x) < 2 * guess, so 2 * guess is an upper bound to descend from.
        y = guess << 1;
        uint256 next = (y + x / y) >> 1;
        while (next < y) {
            y = next;
            next = (y + x / y) >> 1;
        }
    }
}
