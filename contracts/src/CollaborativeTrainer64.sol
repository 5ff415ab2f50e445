// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Classifier64} from "./Classifier64.sol";
import {CollaborativeTrainerBase64} from "./CollaborativeTrainerBase64.sol";
import {IncentiveMechanism64} from "./IncentiveMechanism64.sol";
import {Stakeable64} from "./Stakeable64.sol";

/// @title CollaborativeTrainer64: the entry point of a model trained with deposits (Stakeable64).
contract CollaborativeTrainer64 is CollaborativeTrainerBase64, Stakeable64 {
    constructor(
        string memory name_,
        string memory description_,
        string memory encoder_,
        Classifier64 classifier_,
        uint32 refundWaitTimeS_,
        uint32 ownerClaimWaitTimeS_,
        uint32 anyAddressClaimWaitTimeS_,
        uint80 costWeight_
    )
        CollaborativeTrainerBase64(name_, description_, encoder_, classifier_)
        IncentiveMechanism64(refundWaitTimeS_, ownerClaimWaitTimeS_, anyAddressClaimWaitTimeS_)
        Stakeable64(costWeight_)
    {}
}
