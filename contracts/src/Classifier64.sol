// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Classifier64: what every on-chain model offers.
/// @notice `predict` is free to call. `update` is only for the owner, which is the
/// entry point (CollaborativeTrainer64) once deployment has handed the model over.
abstract contract Classifier64 {
    /// Scale of fixed-point values (dense features, weights, smoothing).
    uint32 public constant toFloat = 1e9;

    string[] public classifications;
    address public owner;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    modifier onlyOwner() {
        require(msg.sender == owner, "Only the owner may change this model.");
        _;
    }

    constructor(string[] memory classifications_) {
        require(classifications_.length >= 2, "A classifier needs at least two classes.");
        require(classifications_.length <= 256, "At most 256 classes are supported.");
        classifications = classifications_;
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    function getNumClassifications() external view returns (uint256) {
        return classifications.length;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "The new owner cannot be the zero address.");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function predict(int64[] calldata data) external view virtual returns (uint64);

    function update(int64[] calldata data, uint64 classification) external virtual;
}
