// Hardhat Network for the tests (tests/support/chains.py run_hardhat): the chain id and hardfork anvil runs.
module.exports = { networks: { hardhat: { chainId: 31337, hardfork: "cancun" } } };
