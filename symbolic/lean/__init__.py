"""Lean 4 statements generated from the registries: `printer` (SymPy -> Lean terms), `properties` (the Lean property
each argument class restates), `render` (registry -> file texts, Jinja2 templates) and `freshness` (writing lean/,
staleness, per-entry Lean statuses, the activation statements the appendix prints). Nothing here imports
symbolic.theorems; symbolic.theorems imports `freshness`."""
