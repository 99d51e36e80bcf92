"""Entry point of `absorb`: each subcommand lives in absorb/cmd_<name>.py and exports register(subparsers)."""
import argparse
import importlib
import importlib.util
import sys

from symbolic.errors import InputError

SUBCOMMANDS = ["list", "classify", "certify", "continuity", "mc", "graph", "lean", "appendix"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints usage too; keep it to one line)
        sys.stderr.write(f"absorb: error: {message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="absorb", description="Can an MLP block absorb its own skip connection?")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in SUBCOMMANDS:
        module_name = f"absorb.cmd_{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        sys.stderr.write(f"absorb: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("absorb: interrupted\n")
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
