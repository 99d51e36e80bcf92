"""Monte Carlo engine: deciding and certifying the index-set condition (BLUEPRINT §8) and the experiments of §5-§7.

Modules: weights (loading), gram (Hadamard Gram matrix), exact (dyadic integer arithmetic), certificate (r_LS, r_box,
the exact Farkas certificate phi(Y)), search (Numba Gray-code enumeration), decide (the `auto` policy), kernels
(activation kernels generated from the SymPy registry), experiments/ (one module per `absorb mc` experiment).
"""
