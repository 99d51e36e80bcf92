"""The independent checker of skip-absorption-certificate/1 (docs/CERTIFICATE.md): the only path to the words
"verified", "certificate" and "not absorbable".

It imports only the Python standard library and trusts only Python's int and Fraction, json, zipfile, struct and
hashlib: the weights are re-read and re-hashed, every number is recomputed exactly, and the hypotheses of the cited
theorem are re-decided on the stored values."""
from checker.read import CertificateError
from checker.verify import Verdict, check

__all__ = ["CertificateError", "Verdict", "check"]
