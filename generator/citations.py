"""Citations inside the document only: registry `cite`/`source` strings become bibliography entries (natbib
\\citet) or references to results of this appendix; a reference to a repository file ("BLUEPRINT Prop 3.2") never
reaches the PDF.

Bibliography keys are matched by (first author's surname, year) against references.bib, so adding an entry to the
.bib file is all it takes for a new activation's `cite = "Surname et al. (YEAR)"` to become a real citation.
"""
import re
from pathlib import Path

from generator.latex import latex_escape, prose

BIB = Path(__file__).resolve().parent / "references.bib"

# Numbered places in the project's working notes (BLUEPRINT.md) -> the result of this appendix that states them.
NOTE_REFS = {
    "thm 2": "degree", "theorem 2": "degree", "thm 3": "flat", "theorem 3": "flat", "thm 4": "depth-degree",
    "prop 3.1": "bounded", "prop 3.2": "parity", "prop 3.3": "analytic-parity", "cor 6.3": "generic-iff",
    "§2": "reduction", "§5": "sign-flip", "§6.4": "relu-d1-counterexample", "§6.6": "minimal-width",
    "§6.7": "linear", "§7": "measure-zero", "§11": "deep-relu-gelu",
}
NOTE_RE = re.compile(r"\s*\(?\b(?:BLUEPRINT(?:\.md)?|blueprint)\b\s*((?:Prop|Thm|Theorem|Cor|Lemma)\.?\s*[\d.]+|§\s*[\d.]+)?"
                     r"\)?", re.I)


def bib_keys(text: str = None):
    """{(surname lower-case, year): key} for every entry of references.bib with an author and a year."""
    text = BIB.read_text(encoding="utf-8") if text is None else text
    keys = {}
    for m in re.finditer(r"@\w+\{([^,\s]+),(.*?)\n\}", text, re.S):
        key, body = m.group(1), m.group(2)
        author = re.search(r"author\s*=\s*\{(.*?)\}\s*,?\s*\n", body, re.S)
        year = re.search(r"year\s*=\s*\{(\d{4})\}", body)
        if author and year:
            first = author.group(1).split(" and ")[0]
            surname = first.split(",")[0] if "," in first else first.split()[-1]
            keys[(re.sub(r"[{}\\]", "", surname).strip().lower(), year.group(1))] = key
    return keys


def _note_target(ref: str, ids) -> str:
    ref = re.sub(r"\s+", " ", (ref or "").strip().lower()).replace("§ ", "§")
    ref = ref.replace("theorem", "thm").replace("thm.", "thm").replace("prop.", "prop").replace("cor.", "cor")
    for key in sorted(NOTE_REFS, key=len, reverse=True):
        if (ref == key or ref.startswith(key + ".") or ref.startswith(key + " ")) and NOTE_REFS[key] in ids:
            return NOTE_REFS[key]
    return ""


def replace_note_refs(text: str, ids, escape=prose) -> str:
    """Escape a prose string and turn each numbered place of the working notes ("(BLUEPRINT Prop 3.2)", "Cor 6.3",
    "Lemma A") into a reference to the result that states it (\\cref), or drop it when no result states it."""
    from generator.numbering import resolve

    return resolve(str(text), ids, escape)


def render_cite(cite: str, ids, keys=None) -> str:
    """A registry `cite` string as LaTeX: "Surname et al. (YEAR)" parts found in references.bib become \\citet,
    note references become \\cref, anything else is escaped text."""
    keys = bib_keys() if keys is None else keys
    parts = []
    for part in re.split(r"\s*;\s*", str(cite or "").strip()):
        if not part:
            continue
        m = re.fullmatch(r"([^\W\d_][\w'\-]*)(?:\s+(?:et al\.?|and|&)\s+[^()]*?|\s+et al\.?)?\s*\((\d{4})\)", part)
        if m and (m.group(1).lower(), m.group(2)) in keys:
            parts.append(f"\\citet{{{keys[(m.group(1).lower(), m.group(2))]}}}")
        else:
            parts.append(replace_note_refs(part, ids, latex_escape))
    return "; ".join(p for p in parts if p)
