"""Deciding and certifying the index condition A/c + sum_{i in S} a_i b_i^T = 0 for given weights.

Instances and their exact arithmetic, the methods and the `auto` portfolio, certificates. Imports only `symbolic`;
never `checkpoints` (a block is anything with `.read()`), `montecarlo` or `absorb`.
"""


def validate(w_up, w_down, **kwargs):
    """indexset.api.validate: every argument checked once; returns the validated Problem."""
    from indexset.api import validate as _validate
    return _validate(w_up, w_down, **kwargs)


def certify_blocks(blocks, **kwargs):
    """indexset.api.certify_blocks: [(Certificate, answer JSON)] for anything with `.read()`."""
    from indexset.api import certify_blocks as _certify_blocks
    return _certify_blocks(blocks, **kwargs)
