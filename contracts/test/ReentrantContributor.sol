// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

interface ITrainer {
    function addData(int64[] calldata data, uint64 classification) external payable;
    function refund(int64[] calldata data, uint64 classification, uint256 addedTime) external;
    function report(int64[] calldata data, uint64 classification, uint256 addedTime, address originalAuthor) external;
}

/// Test-only: a contributor that tries to call back into the trainer whenever it is paid.
contract ReentrantContributor {
    ITrainer public immutable trainer;
    int64[] private _data;
    uint64 private _classification;
    uint256 private _addedTime;
    address private _author;
    uint8 private _mode; // 1 = re-enter refund, 2 = re-enter report
    uint256 public reentryAttempts;
    uint256 public reentrySuccesses;

    constructor(ITrainer trainer_) {
        trainer = trainer_;
    }

    function contribute(int64[] calldata data, uint64 classification) external payable {
        trainer.addData{value: msg.value}(data, classification);
    }

    function claimRefund(int64[] calldata data, uint64 classification, uint256 addedTime) external {
        _remember(data, classification, addedTime, address(this), 1);
        trainer.refund(data, classification, addedTime);
    }

    function claimReport(int64[] calldata data, uint64 classification, uint256 addedTime, address author) external {
        _remember(data, classification, addedTime, author, 2);
        trainer.report(data, classification, addedTime, author);
    }

    receive() external payable {
        if (_mode == 0) {
            return;
        }
        reentryAttempts += 1;
        if (_mode == 1) {
            try trainer.refund(_data, _classification, _addedTime) {
                reentrySuccesses += 1;
            } catch {}
        } else {
            try trainer.report(_data, _classification, _addedTime, _author) {
                reentrySuccesses += 1;
            } catch {}
        }
    }

    function _remember(int64[] calldata data, uint64 classification, uint256 addedTime, address author, uint8 mode)
        private
    {
        _data = data;
        _classification = classification;
        _addedTime = addedTime;
        _author = author;
        _mode = mode;
    }
}
