"""What a user does, as functions over a WalletContext: the GUI, the CLI and the simulator call these."""
