"""Entry point of `absorb`: each subcommand lives in absorb/cmd_<name>.py and exports register(subparsers).

Whatever goes wrong reaches the user as one line on stderr: bad input (InputError, an unreadable file) is
`absorb: error: ...` with exit 2; anything unexpected is `absorb: error: internal error ...` with exit 1, and
ABSORB_DEBUG=1 shows its traceback instead."""
import argparse
import importlib
import importlib.util
import os
import sys
from pathlib import Path

from symbolic.errors import InputError

SUBCOMMANDS = ["list", "classify", "certify", "check", "continuity", "mc", "graph", "lean", "appendix"]
# options whose value is an expression: `--expr -log(1+exp(-z))` must not be read as an unknown option
EXPRESSION_OPTIONS = ("--expr", "--gate")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints usage too; keep it to one line)
        sys.stderr.write(f"absorb: error: {_one_line(message)}\n")
        sys.exit(2)


def _one_line(text) -> str:
    return " ".join(str(text).split())


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="absorb", description="Can an MLP block absorb its own skip connection?")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in SUBCOMMANDS:
        module_name = f"absorb.cmd_{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).register(sub)
    return parser


def join_expression_values(argv) -> list:
    """`--expr VALUE` with VALUE starting with '-' becomes `--expr=VALUE` (argparse would take it for an option).

    >>> join_expression_values(["classify", "--expr", "-log(1+exp(-z))", "--json"])
    ['classify', '--expr=-log(1+exp(-z))', '--json']
    """
    out, i = [], 0
    while i < len(argv):
        token = argv[i]
        if token in EXPRESSION_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-"):
            out.append(f"{token}={argv[i + 1]}")
            i += 2
            continue
        out.append(token)
        i += 1
    return out


def check_build_env() -> None:
    """ABSORB_BUILD must name a directory (or a path that can become one), not a file."""
    value = os.environ.get("ABSORB_BUILD")
    if not value:
        return
    path = Path(value)
    for candidate in (path, *path.parents):
        if candidate.exists():
            if not candidate.is_dir():
                raise InputError(f"ABSORB_BUILD={value} is not a directory ({candidate} is a file)")
            return


def _caused_by_interrupt(exc) -> bool:
    """Whether a KeyboardInterrupt is in the exception's chain (Python turns one raised inside __set_name__ into a
    RuntimeError, Numba's dispatcher into a SystemError): a Ctrl-C, not a bug."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def main(argv=None) -> int:
    argv = join_expression_values(sys.argv[1:] if argv is None else list(argv))
    debug = os.environ.get("ABSORB_DEBUG", "") not in ("", "0")
    try:
        args = build_parser().parse_args(argv)
        check_build_env()
        return int(args.func(args) or 0)
    except InputError as exc:
        sys.stderr.write(f"absorb: error: {_one_line(exc)}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("absorb: interrupted\n")
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error of ours
        sys.stderr.close()
        return 0
    except OSError as exc:  # a path the user gave cannot be read or written
        if debug:
            raise
        where = f" {exc.filename}" if exc.filename else ""
        sys.stderr.write(f"absorb: error: cannot access{where}: {_one_line(exc.strerror or exc)}\n")
        return 2
    except (Exception, RecursionError, MemoryError) as exc:  # a bug of ours: one line, traceback on request
        if _caused_by_interrupt(exc):  # Ctrl-C wrapped by an import (__set_name__) or a Numba dispatcher
            sys.stderr.write("absorb: interrupted\n")
            return 130
        if debug:
            raise
        sys.stderr.write(f"absorb: error: internal error ({type(exc).__name__}: {_one_line(exc)[:300]}); "
                         f"rerun with ABSORB_DEBUG=1 for the traceback\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
