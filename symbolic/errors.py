"""One exception type for bad user input, so every entry point reports it the same way (one line, exit 2)."""


class InputError(ValueError):
    """Raised for malformed expressions, bad weight files, wrong shapes, NaN weights and the like."""
