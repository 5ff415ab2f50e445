// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IncentiveMechanism64} from "./IncentiveMechanism64.sol";

/// @title Points64: contributions are free and earn points; the first claim wins.
/// @notice After refundWaitTimeS the author claims a point if the model agrees;
/// anyone else may close the contribution if the model disagrees. Score shown to
/// users: numValid / totalGoodDataCount.
abstract contract Points64 is IncentiveMechanism64 {
    event Refund(address recipient);
    event Report(address recipient);

    function _nextAddDataCost(uint256) internal pure override returns (uint256) {
        return 0;
    }

    function _handleAddData(uint256 value) internal pure override returns (uint256) {
        require(value == 0, "Contributions to a points model are free: send no Ether.");
        return 0;
    }

    function _takeAmount(int64[] calldata data, uint64 classification, uint256, uint256, uint256, address)
        internal
        view
        override
        returns (uint256)
    {
        require(!_modelAgrees(data, classification), "The model agrees with this contribution, so it cannot be reported.");
        return 0;
    }

    function _emitRefund(address recipient, uint256) internal override {
        emit Refund(recipient);
    }

    function _emitReport(address recipient, uint256) internal override {
        emit Report(recipient);
    }
}
