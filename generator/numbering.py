"""Numbered places of the project's working notes ("Thm 5.1", "Cor 6.3", "Lemma A", "S2", "§6.4") that reach the
build's data files (classifier notes, certificate steps, derivation titles) become references to the results of this
appendix that state them (\\cref{id}), or are dropped when no result states them: no reader can resolve the notes'
numbering, so none of it may reach the PDF.
"""
import re

# Note numbering -> registry id of the result that states it (ids absent from the registry are dropped, not shown).
NUMBERING = {
    "theorem 1": "reduction", "corollary 1.1": "hc-static", "theorem 2": "degree", "theorem 3": "flat",
    "proposition 3.1": "bounded", "proposition 3.2": "parity", "proposition 3.3": "analytic-parity",
    "lemma r": "ridge-powers", "lemma v": "signed-vandermonde", "lemma a": "analytic-polynomial",
    "theorem 4": "depth-degree", "theorem 5.1": "sign-flip", "proposition 5.3": "gated-sign-flip",
    "lemma k": "kinks", "theorem 6.2": "relu-characterization", "lemma 6.3": "class-identifiable",
    "theorem 6.3": "odd-linear-characterization", "corollary 6.3": "generic-iff",
    "counterexample 6.4": "relu-d1-counterexample", "proposition 6.6": "minimal-width", "proposition 6.7": "linear",
    "proposition 6.8a": "sign-flip-bias", "lemma k-b": "kinks-affine", "theorem 6.8b": "relu-bias-characterization",
    "corollary 6.8c": "relu-bias-d1", "theorem 6.8d": "class-bias", "proposition 6.8e": "prenorm-impossible",
    "proposition 6.8f": "postnorm-projected", "theorem 7": "measure-zero", "proposition 7.1": "sinkhorn-invertible",
    "lemma 8.1": "gram-hadamard",
}
SECTIONS = {"2": "reduction", "5": "sign-flip", "6.4": "relu-d1-counterexample", "6.6": "minimal-width",
            "6.7": "linear", "7": "measure-zero"}
ABBREV = {"thm": "theorem", "cor": "corollary", "prop": "proposition", "lem": "lemma"}

_KIND = r"(?:Theorem|Thm|Corollary|Cor|Proposition|Prop|Lemma|Lem|Counterexample)\.?"
_NUM = r"(?:\d+(?:\.\d+)?[a-f]?|[A-Z](?:-b)?)(?![\w.])"
_PART = r"(?:\s?\((?:i{1,3}|iv|v)\))?"
ITEM = rf"(?:{_KIND}\s?{_NUM}{_PART}|§\s?\d+(?:\.\d+)?|\bS\d+(?:\s?[-–]\s?S\d+)?\b)"
# a parenthesised group of items ("(S2, Lemma 6.3 (i))", "(Thm 5.1)"), or one bare item, optionally after BLUEPRINT
GROUP = re.compile(rf"\s?\((?:(?:BLUEPRINT(?:\.md)?|blueprint)\s*)?{ITEM}(?:\s*[,;]\s*{ITEM})*\)"
                   rf"|(?:(?:BLUEPRINT(?:\.md)?|blueprint)\s*)?{ITEM}|\s?\((?:BLUEPRINT(?:\.md)?|blueprint)\)")
ONE = re.compile(ITEM)


def target(item: str, ids) -> str:
    """The registry id one numbered item refers to, or "" (dropped)."""
    item = re.sub(r"\s+", " ", item.strip())
    if item.startswith("§"):
        return SECTIONS.get(item[1:].strip()) if SECTIONS.get(item[1:].strip()) in ids else ""
    if re.fullmatch(r"S\d+.*", item):
        return ""
    m = re.match(rf"({_KIND})\s?({_NUM})", item)
    if not m:
        return ""
    kind = m.group(1).rstrip(".").lower()
    key = f"{ABBREV.get(kind, kind)} {m.group(2).lower()}"
    tid = NUMBERING.get(key, "")
    return tid if tid in ids else ""


# Words of the project's working vocabulary and raw Python values that reach data strings, as a reader says them.
PLAIN = ((re.compile(r"\bno theorem of the registry\b"), "no result of this document"),
         (re.compile(r"\bof the registry\b"), "of this document"),
         (re.compile(r"\bregistry entry\b"), "declared activation"),
         (re.compile(r"\bthe registry\b"), "the declarations"),
         (re.compile(r"\bis True\b"), "holds"), (re.compile(r"\bis False\b"), "fails"),
         (re.compile(r"\bTrue\b"), "yes"), (re.compile(r"\bFalse\b"), "no"), (re.compile(r"\bNone\b"), "none"))


def plain(text: str) -> str:
    """Data text as a reader should see it: no working vocabulary, no Python literals (PLAIN)."""
    for pattern, repl in PLAIN:
        text = pattern.sub(repl, text)
    return text


def resolve(text: str, ids, escape=lambda s: s) -> str:
    """`text` with every numbered item replaced by \\cref{id} (or dropped); the rest passes through `escape`."""
    text = plain(str(text))
    out, last = [], 0
    for m in GROUP.finditer(text):
        out.append(escape(text[last:m.start()]))
        refs = [t for t in (target(i.group(0), ids) for i in ONE.finditer(m.group(0))) if t]
        refs = list(dict.fromkeys(refs))
        if refs:
            cref = "\\cref{" + ",".join(refs) + "}"
            paren = m.group(0).strip().startswith("(")
            out.append((" (" + cref + ")") if paren else cref)
        last = m.end()
    out.append(escape(text[last:]))
    return re.sub(r"\s+([,.;:])", r"\1", "".join(out)).strip()
