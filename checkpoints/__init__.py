"""Reading real models: validated, memory-mapped safetensors (sharded), model families, the config's activation,
one weight pair from .npz/.safetensors, and singular-vector continuity between layers.

Imports `symbolic` and `indexset` (to certify the blocks it reads); never `montecarlo` or `absorb`.
"""
