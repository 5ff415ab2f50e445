// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IncentiveMechanism64: the contributor statistics and waiting periods that
/// every incentive rule shares.
/// @dev Global counters share one storage word so a contribution writes it once.
abstract contract IncentiveMechanism64 {
    struct AddressStats {
        uint128 numValid;
        uint128 numSubmitted;
    }

    struct Totals {
        uint64 lastUpdateTimeS;
        uint96 totalSubmitted;
        uint96 totalGoodDataCount;
    }

    uint32 public immutable refundWaitTimeS;
    uint32 public immutable ownerClaimWaitTimeS;
    uint32 public immutable anyAddressClaimWaitTimeS;
    /// The deployer: may take what is left after ownerClaimWaitTimeS.
    address public immutable owner;

    mapping(address => AddressStats) public addressStats;
    Totals internal _totals;

    constructor(uint32 refundWaitTimeS_, uint32 ownerClaimWaitTimeS_, uint32 anyAddressClaimWaitTimeS_) {
        require(refundWaitTimeS_ <= ownerClaimWaitTimeS_, "The refund wait must not exceed the owner's claim wait.");
        require(
            ownerClaimWaitTimeS_ <= anyAddressClaimWaitTimeS_, "The owner's claim wait must not exceed the any-address wait."
        );
        refundWaitTimeS = refundWaitTimeS_;
        ownerClaimWaitTimeS = ownerClaimWaitTimeS_;
        anyAddressClaimWaitTimeS = anyAddressClaimWaitTimeS_;
        owner = msg.sender;
        _totals.lastUpdateTimeS = uint64(block.timestamp);
    }

    function numValidForAddress(address a) external view returns (uint128) {
        return addressStats[a].numValid;
    }

    function totalGoodDataCount() external view returns (uint256) {
        return _totals.totalGoodDataCount;
    }

    function totalSubmitted() external view returns (uint256) {
        return _totals.totalSubmitted;
    }

    function getNextAddDataCost() external view returns (uint256) {
        return _nextAddDataCost(block.timestamp);
    }

    function getNextAddDataCost(uint256 currentTimeS) external view returns (uint256) {
        return _nextAddDataCost(currentTimeS);
    }

    /// Checks the payment of a contribution and returns the deposit it keeps.
    function _handleAddData(uint256 value) internal virtual returns (uint256 deposit);

    /// How much a reporter takes from a contribution that is open and past the refund wait.
    function _takeAmount(
        int64[] calldata data,
        uint64 classification,
        uint256 initialDeposit,
        uint256 claimableAmount,
        uint256 timeSinceAddedS,
        address reporter
    ) internal view virtual returns (uint256);

    function _nextAddDataCost(uint256 currentTimeS) internal view virtual returns (uint256);

    function _emitRefund(address recipient, uint256 amount) internal virtual;

    function _emitReport(address recipient, uint256 amount) internal virtual;

    /// Whether the model currently predicts `classification` for `data`.
    function _modelAgrees(int64[] calldata data, uint64 classification) internal view virtual returns (bool);

    function _recordSubmission(address contributor, uint256 nowS) internal {
        Totals memory t = _totals;
        t.lastUpdateTimeS = uint64(nowS);
        t.totalSubmitted += 1;
        _totals = t;
        addressStats[contributor].numSubmitted += 1;
    }

    function _recordValid(address contributor) internal {
        _totals.totalGoodDataCount += 1;
        addressStats[contributor].numValid += 1;
    }
}
