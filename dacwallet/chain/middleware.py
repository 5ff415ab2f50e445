"""The web3 middleware of every connection the wallet makes, to the embedded chain or to a node by URL.

web3's default stack minus what has nothing to do here and cost most of a request's time (a contribution made
~40 requests): ENS names (the wallet passes addresses only), the gas price strategy and the buffered gas estimate
(both for eth_sendTransaction, which the wallet never sends: it signs itself), and the validation layer, which
asked the node's chain id before every eth_call and eth_estimateGas - a second round trip to a remote node - to
compare a "chainId" no call of ours carries (every signature is checked against the chain id fixed at connect by
chain.guard), and checks extraData for proof-of-authority chains.
"""

from __future__ import annotations

from web3.middleware import AttributeDictMiddleware

WALLET_MIDDLEWARE = [(AttributeDictMiddleware, "attrdict")]
