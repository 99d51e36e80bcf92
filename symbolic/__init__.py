"""Symbolic core: registries (activations, theorems), safe parsing, classifier and SymPy derivations."""
