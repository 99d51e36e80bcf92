"""`absorb appendix [--arxiv] [--force]`: build build/appendix.pdf (and the arXiv source tarball) from build/."""


def register(subparsers):
    p = subparsers.add_parser("appendix", help="build the citable PDF appendix (build/appendix.pdf) from build/")
    p.add_argument("--arxiv", action="store_true", help="also write build/appendix-arxiv.tar.gz (standalone sources)")
    p.add_argument("--force", action="store_true", help="rerun latexmk even when no input changed")
    p.set_defaults(func=run)


def run(args) -> int:
    from generator.build import build_appendix

    build_appendix(arxiv=args.arxiv, force=args.force)
    return 0
