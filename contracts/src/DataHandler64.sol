// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Int64Arrays} from "./Int64Arrays.sol";

/// @title DataHandler64: what is owed for each contribution, and who has claimed it.
/// @notice A contribution's key is keccak256(abi.encodePacked(data, classification,
/// addedTime, originalAuthor)), as in the reference. The data, the time and the author
/// live only in the AddData event; a claim resends them and the key binds them.
/// @dev One storage word per contribution (the reference used six). `addedData`
/// therefore returns 0 for the time and the sender: read them from the AddData event.
abstract contract DataHandler64 {
    uint8 internal constant EXISTS = 1;
    uint8 internal constant AUTHOR_CLAIMED = 2;

    struct Record {
        uint96 initialDeposit;
        uint96 claimableAmount;
        uint16 numClaims;
        uint8 flags;
        uint40 classification;
    }

    mapping(bytes32 => Record) internal _records;
    mapping(bytes32 => mapping(address => bool)) internal _claimedByOthers;

    function addedData(bytes32 key)
        external
        view
        returns (
            uint64 classification,
            uint256 addedTime,
            address sender,
            uint256 initialDeposit,
            uint256 claimableAmount,
            uint256 numClaims
        )
    {
        Record memory r = _records[key];
        return (r.classification, 0, address(0), r.initialDeposit, r.claimableAmount, r.numClaims);
    }

    function getClaimableAmount(int64[] calldata data, uint64 classification, uint256 addedTime, address originalAuthor)
        external
        view
        returns (uint256)
    {
        return _records[_key(data, classification, addedTime, originalAuthor)].claimableAmount;
    }

    function getInitialDeposit(int64[] calldata data, uint64 classification, uint256 addedTime, address originalAuthor)
        external
        view
        returns (uint256)
    {
        return _records[_key(data, classification, addedTime, originalAuthor)].initialDeposit;
    }

    function getNumClaims(int64[] calldata data, uint64 classification, uint256 addedTime, address originalAuthor)
        external
        view
        returns (uint256)
    {
        return _records[_key(data, classification, addedTime, originalAuthor)].numClaims;
    }

    function hasClaimed(
        int64[] calldata data,
        uint64 classification,
        uint256 addedTime,
        address originalAuthor,
        address claimer
    ) external view returns (bool) {
        bytes32 key = _key(data, classification, addedTime, originalAuthor);
        if (claimer == originalAuthor) {
            return _records[key].flags & AUTHOR_CLAIMED != 0;
        }
        return _claimedByOthers[key][claimer];
    }

    function _key(int64[] calldata data, uint64 classification, uint256 addedTime, address originalAuthor)
        internal
        pure
        returns (bytes32 key)
    {
        // An unclean element cannot have been added, so its key finds nothing either way.
        (key,) = Int64Arrays.key(data, classification, addedTime, originalAuthor);
    }

    /// The record of a contribution that exists and is still open to a claim.
    function _openRecord(bytes32 key) internal view returns (Record memory r) {
        r = _records[key];
        require(r.flags & EXISTS != 0, "No such contribution: check the data, label, time and author.");
        // Open while nobody has claimed it, or while a deposit is left to take.
        require(r.numClaims == 0 || r.claimableAmount > 0, "Nothing is left to claim for this contribution.");
    }
}
