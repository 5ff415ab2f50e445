"""The simulator: the reference paper's agent simulations, run through the real contracts.

Library use (the GUI's Simulation page, benchmarks):

    from dacwallet.sim.config import SimConfig
    from dacwallet.sim.chain import open_sim_chain
    from dacwallet.sim.runner import run_simulation
    from dacwallet.sim.outputs import write_outputs
"""
