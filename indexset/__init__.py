"""Deciding and certifying the index condition A/c + sum_{i in S} a_i b_i^T = 0 for given weights.

Instances and their exact arithmetic, the methods and the `auto` portfolio, certificates. Imports only `symbolic`;
never `checkpoints` (a block is anything with `.read()`), `montecarlo` or `absorb`.
"""
