// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Classifier64} from "./Classifier64.sol";
import {DataHandler64} from "./DataHandler64.sol";
import {IncentiveMechanism64} from "./IncentiveMechanism64.sol";
import {Int64Arrays} from "./Int64Arrays.sol";

/// @title CollaborativeTrainerBase64: the entry point's flow, whatever the incentive rule.
/// @notice addData: the incentive rule checks the payment, the data handler records
/// what is owed, the model learns. refund / report: the claim is checked against the
/// record, the waiting periods and the current model, then paid.
/// @dev The data handler and the incentive mechanism are parts of this contract, so
/// `dataHandler()` and `incentiveMechanism()` return this address: a contribution
/// makes one external call (to the model) instead of the reference's three, and the
/// data array goes from calldata to the key, the event and the model call without
/// being re-encoded (Int64Arrays).
abstract contract CollaborativeTrainerBase64 is DataHandler64, IncentiveMechanism64 {
    string public name;
    string public description;
    string public encoder;
    Classifier64 public immutable classifier;
    uint256 private immutable _numClasses;

    bool private transient _entered;

    event AddData(int64[] d, uint64 c, uint256 t, address indexed sender, uint256 cost);

    modifier nonReentrant() {
        require(!_entered, "Reentrant call.");
        _entered = true;
        _;
        _entered = false;
    }

    constructor(string memory name_, string memory description_, string memory encoder_, Classifier64 classifier_) {
        name = name_;
        description = description_;
        encoder = encoder_;
        classifier = classifier_;
        _numClasses = classifier_.getNumClassifications();
    }

    function dataHandler() external view returns (address) {
        return address(this);
    }

    function incentiveMechanism() external view returns (address) {
        return address(this);
    }

    function addData(int64[] calldata data, uint64 classification) external payable nonReentrant {
        require(classification < _numClasses, "The label is not one of this model's classes.");
        require(data.length > 0, "A contribution needs at least one feature.");
        uint256 deposit = _handleAddData(msg.value);
        (bytes32 key, bool valid) = Int64Arrays.key(data, classification, block.timestamp, msg.sender);
        require(valid, "Every data value must be a 64-bit signed integer.");
        require(_records[key].flags == 0, "This exact contribution was already added in this block.");
        _records[key] = Record(uint96(deposit), uint96(deposit), 0, EXISTS, uint40(classification));
        _recordSubmission(msg.sender, block.timestamp);
        Int64Arrays.emitAndUpdate(
            AddData.selector, address(classifier), Classifier64.update.selector, data, classification, deposit
        );
        if (msg.value > deposit) {
            _pay(msg.sender, msg.value - deposit);
        }
    }

    function refund(int64[] calldata data, uint64 classification, uint256 addedTime) external nonReentrant {
        bytes32 key = _key(data, classification, addedTime, msg.sender);
        // No AUTHOR_CLAIMED check needed: a refund empties the record and counts a claim, so
        // _openRecord already refuses a second one ("Nothing is left to claim").
        Record memory r = _openRecord(key);
        require(block.timestamp - addedTime >= refundWaitTimeS, "The refund wait is not over yet.");
        require(_modelAgrees(data, classification), "The model does not agree with this label now, so no refund yet.");
        uint256 amount = r.claimableAmount;
        r.claimableAmount = 0;
        r.numClaims += 1;
        r.flags |= AUTHOR_CLAIMED;
        _records[key] = r;
        _recordValid(msg.sender);
        _emitRefund(msg.sender, amount);
        if (amount > 0) {
            _pay(msg.sender, amount);
        }
    }

    function report(int64[] calldata data, uint64 classification, uint256 addedTime, address originalAuthor)
        external
        nonReentrant
    {
        require(msg.sender != originalAuthor, "You cannot report your own contribution; claim a refund instead.");
        bytes32 key = _key(data, classification, addedTime, originalAuthor);
        Record memory r = _openRecord(key);
        require(!_claimedByOthers[key][msg.sender], "You already claimed this contribution.");
        uint256 timeSinceAddedS = block.timestamp - addedTime;
        require(timeSinceAddedS >= refundWaitTimeS, "The refund wait is not over yet.");
        uint256 amount =
            _takeAmount(data, classification, r.initialDeposit, r.claimableAmount, timeSinceAddedS, msg.sender);
        r.claimableAmount -= uint96(amount);
        r.numClaims += 1;
        _records[key] = r;
        _claimedByOthers[key][msg.sender] = true;
        _emitReport(msg.sender, amount);
        if (amount > 0) {
            _pay(msg.sender, amount);
        }
    }

    function _modelAgrees(int64[] calldata data, uint64 classification) internal view override returns (bool) {
        return Int64Arrays.predict(address(classifier), Classifier64.predict.selector, data) == classification;
    }

    function _pay(address to, uint256 amount) private {
        (bool sent,) = payable(to).call{value: amount}("");
        require(sent, "Sending Ether failed.");
    }
}
