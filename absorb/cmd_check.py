"""`absorb check CERT [--weights PATH] [--json]`: re-check a skip-absorption-certificate/1 with the independent
checker (checker/, standard library only). VERIFIED exits 0; REJECTED and SEARCH (not a certificate) exit 1; an
unreadable certificate or weights file is one line and exit 2 (docs/CERTIFICATE.md)."""
import json
import os
import stat
import sys

from symbolic.errors import InputError

MAX_CERTIFICATE_BYTES = 1 << 30


def register(subparsers) -> None:
    p = subparsers.add_parser("check", help="re-check a certificate independently, in exact arithmetic",
                              description="Re-reads the weights (sha256) and re-checks every claim of the "
                                          "certificate in integer/rational arithmetic.")
    p.add_argument("certificate", help="certificate JSON file (skip-absorption-certificate/1)")
    p.add_argument("--weights", default=None, help="weights file or directory (default: the certificate's root)")
    p.add_argument("--json", action="store_true", help="print {status, ok, message} as JSON")
    p.set_defaults(func=run)


def read_certificate(path):
    """The certificate as a dict; anything unreadable is an InputError (one line, exit 2)."""
    import checker.read
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CERTIFICATE_BYTES:
        raise InputError(f"certificate {path} is not a regular file of at most 1 GiB")
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return checker.read.load_json(data)
    except checker.read.CertificateError as exc:
        raise InputError(f"certificate {path}: {exc}") from None


def run(args) -> int:
    import checker
    cert = read_certificate(args.certificate)
    try:
        verdict = checker.check(cert, weights_root=args.weights)
    except checker.CertificateError as exc:
        raise InputError(" ".join(str(exc).split())) from None
    if args.json:
        out = json.dumps({"status": verdict.status, "ok": verdict.ok, "message": verdict.message}, sort_keys=True)
    else:
        out = verdict.message
    sys.stdout.write(out + "\n")
    return 0 if verdict.ok else 1
