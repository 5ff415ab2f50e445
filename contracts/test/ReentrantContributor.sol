// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

interface ITrainer {
    function addData(int64[] calldata data, uint64 classification) external payable;
    function refund(int64[] calldata data, uint64 classification, uint256 addedTime) external;
    function report(int64[] calldata data, uint64 classification, uint256 addedTime, address originalAuthor) external;
}

/// Test-only: a contributor contract that, once armed, calls back into the trainer whenever
/// it is paid (a refund, a report's take, or the overpayment addData returns), or refuses
/// the payment outright. Without arming it accepts Ether and does nothing.
contract ReentrantContributor {
    uint8 public constant NONE = 0;
    uint8 public constant REFUND = 1; // re-enter refund(target)
    uint8 public constant REPORT = 2; // re-enter report(target)
    uint8 public constant ADD_DATA = 3; // re-enter addData(target) with the Ether just received
    uint8 public constant REFUSE = 4; // revert in receive(): the payment fails

    ITrainer public immutable trainer;
    uint8 public action;
    int64[] private _data;
    uint64 private _classification;
    uint256 private _addedTime;
    address private _author;
    uint256 public reentryAttempts;
    uint256 public reentrySuccesses;
    /// The revert reason of the last failed re-entry ("" when it carried none).
    string public lastReentryError;

    constructor(ITrainer trainer_) {
        trainer = trainer_;
    }

    /// What receive() does from now on, and the contribution a re-entry targets.
    function arm(uint8 action_, int64[] calldata data, uint64 classification, uint256 addedTime, address author)
        external
    {
        action = action_;
        _data = data;
        _classification = classification;
        _addedTime = addedTime;
        _author = author;
    }

    function contribute(int64[] calldata data, uint64 classification) external payable {
        trainer.addData{value: msg.value}(data, classification);
    }

    /// The same contribution twice in one transaction (so in one block): `firstValue` with the first.
    function contributeTwice(int64[] calldata data, uint64 classification, uint256 firstValue) external payable {
        trainer.addData{value: firstValue}(data, classification);
        trainer.addData{value: msg.value - firstValue}(data, classification);
    }

    function claimRefund(int64[] calldata data, uint64 classification, uint256 addedTime) external {
        trainer.refund(data, classification, addedTime);
    }

    function claimReport(int64[] calldata data, uint64 classification, uint256 addedTime, address author) external {
        trainer.report(data, classification, addedTime, author);
    }

    receive() external payable {
        uint8 a = action;
        if (a == NONE) {
            return;
        }
        require(a != REFUSE, "ReentrantContributor refuses Ether.");
        reentryAttempts += 1;
        bool ok;
        string memory reason;
        if (a == REFUND) {
            try trainer.refund(_data, _classification, _addedTime) {
                ok = true;
            } catch Error(string memory r) {
                reason = r;
            } catch {}
        } else if (a == REPORT) {
            try trainer.report(_data, _classification, _addedTime, _author) {
                ok = true;
            } catch Error(string memory r) {
                reason = r;
            } catch {}
        } else {
            try trainer.addData{value: msg.value}(_data, _classification) {
                ok = true;
            } catch Error(string memory r) {
                reason = r;
            } catch {}
        }
        if (ok) {
            reentrySuccesses += 1;
        } else {
            lastReentryError = reason;
        }
    }
}
