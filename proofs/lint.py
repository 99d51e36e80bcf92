"""Style lint for the Rocq sources (MathComp CONTRIBUTING rules, issue 14).

Checks, per file:
  * no line longer than 80 columns (characters, not bytes);
  * every `Qed.`/`Defined.` closes a proof whose last tactic sentence starts
    with `by`, `exact`, `done` (optionally after a bullet `-`, `+`, `*`):
    MathComp's "lines that close a goal start with `by`";
  * no forbidden command (unfinished proofs or global axioms).

Usage: python3 lint.py [FILE.v ...]   (default: every file of _CoqProject).
Exit status 1 and one `file:line: message` per problem if anything fails.
"""
import re
import sys
from pathlib import Path

MAX_COLUMNS = 80
FORBIDDEN = ("Admitted", "admit", "Abort", "Axiom", "Axioms", "Parameter",
             "Parameters", "Conjecture")
FORBIDDEN_RE = re.compile(r"\b(" + "|".join(FORBIDDEN) + r")\b")
CLOSER_RE = re.compile(r"^(?:[-+*]\s+)*(?:by\b|exact\b|exact:|done\b)")
END_RE = re.compile(r"\b(Qed|Defined)\.")
PROOF_RE = re.compile(r"\bProof\.")


def _strip_comments(text: str) -> str:
    """Blank out (* ... *) comments (nested), keeping newlines and columns."""
    out, depth, i = [], 0, 0
    while i < len(text):
        two = text[i:i + 2]
        if two == "(*":
            depth, i = depth + 1, i + 2
            out.append("  ")
        elif two == "*)" and depth:
            depth, i = depth - 1, i + 2
            out.append("  ")
        else:
            ch = text[i]
            out.append(ch if depth == 0 or ch == "\n" else " ")
            i += 1
    return "".join(out)


def _last_sentence_start(lines, end):
    """The text of the line that starts the last tactic sentence before
    line index `end` (which holds Qed/Defined), or None if there is none."""
    k = end - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0:
        return None
    j = k
    while j - 1 >= 0 and lines[j - 1].strip() and \
            not lines[j - 1].rstrip().endswith("."):
        j -= 1
    return lines[j].strip()


def lint_text(text: str, name: str = "<text>"):
    """Problems in one file's text, as `name:line: message` strings."""
    problems = []
    raw_lines = text.splitlines()
    for no, line in enumerate(raw_lines, 1):
        if len(line) > MAX_COLUMNS:
            problems.append(f"{name}:{no}: line has {len(line)} columns "
                            f"(max {MAX_COLUMNS})")
    code = _strip_comments(text).splitlines()
    for no, line in enumerate(code, 1):
        m = FORBIDDEN_RE.search(line)
        if m:
            problems.append(f"{name}:{no}: forbidden command `{m.group(1)}`")
    for idx, line in enumerate(code):
        m = END_RE.search(line)
        if not m:
            continue
        before = line[:m.start()].strip()
        proof = PROOF_RE.search(before)
        if proof:  # one-line proof: `Proof. by ... Qed.`
            start = before[proof.end():].strip()
        elif before:
            start = before
        else:
            start = _last_sentence_start(code, idx)
        if start is None or not CLOSER_RE.match(start):
            problems.append(f"{name}:{idx + 1}: the tactic closing the proof "
                            "must start with by/exact/done")
    return problems


def project_files(proofs_dir: Path):
    """The .v files listed in _CoqProject, in order."""
    names = (proofs_dir / "_CoqProject").read_text().split()
    return [proofs_dir / n for n in names if n.endswith(".v")]


def main(argv):
    here = Path(__file__).resolve().parent
    files = [Path(a) for a in argv] or project_files(here)
    problems = []
    for path in files:
        problems += lint_text(path.read_text(encoding="utf-8"), str(path))
    for p in problems:
        print(p)
    if problems:
        print(f"lint: {len(problems)} problem(s) in {len(files)} file(s)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
