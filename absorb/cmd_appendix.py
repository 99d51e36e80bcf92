"""`absorb appendix [--arxiv] [--print] [--force]`: build the paper build/appendix.pdf and its data supplement
build/supplement.pdf (and the arXiv source tarball, or the black-link print copy build/appendix-print.pdf) from
build/."""


def register(subparsers):
    p = subparsers.add_parser("appendix", help="build the paper (build/appendix.pdf) and its data supplement "
                                                  "(build/supplement.pdf) from build/")
    p.add_argument("--arxiv", action="store_true", help="also write build/appendix-arxiv.tar.gz (standalone sources)")
    p.add_argument("--print", dest="print_mode", action="store_true",
                   help="build build/appendix-print.pdf instead: the same document with black hyperlinks")
    p.add_argument("--force", action="store_true", help="rerun latexmk even when no input changed")
    p.set_defaults(func=run)


def run(args) -> int:
    from generator.build import build_appendix

    build_appendix(arxiv=args.arxiv, force=args.force, print_mode=args.print_mode)
    return 0
