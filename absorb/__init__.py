"""The `absorb` command: thin wiring of symbolic/, montecarlo/ and generator/."""
