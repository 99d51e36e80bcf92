"""Registry validation (issue 13 items 3, 7, 8): every field of activations.toml is checked with a one-line error
naming the entry; hostile numbers in an entry cannot hang loading; `latex` accepts math-mode commands only (C5)."""
import time

import pytest

from symbolic.activations import REGISTRY_PATH, get_activation, load_activations
from symbolic.errors import InputError
from symbolic.latex_guard import check_latex

GOOD = '''
[[activation]]
name = "relu"
kind = "ungated"
expression = "Max(z, 0)"
latex = '\\max(z,0)'
aliases = ["ReLU"]
'''


def _write(tmp_path, text):
    path = tmp_path / "activations.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _entry(**fields):
    lines = ["[[activation]]"]
    for key, value in fields.items():
        lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def _error(tmp_path, text):
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_activations(_write(tmp_path, text))
    assert time.perf_counter() - start < 2.0
    message = str(info.value)
    assert "\n" not in message and "activations.toml" in message
    return message


def test_the_shipped_registry_is_valid():
    acts = load_activations()
    assert len(acts) >= 19
    for act in acts:
        check_latex(act.latex)


@pytest.mark.parametrize("fields, fragment", [
    (dict(name='"relu4"', kind='"ungated"', expression='"z"', aliases="[1, 2]"), "every alias must be a string"),
    (dict(name='"relu4"', kind='"ungated"', expression='"z"', aliases='"RELU4"'), "must be a list of strings"),
    (dict(name='"relu4"', kind='"ungated"', expression='"z"', aliases='["has space"]'), "invalid alias"),
    (dict(name='"' + "a" * 300 + '"', kind='"ungated"', expression='"z"'), "invalid activation name"),
    (dict(name='"ReLU4"', kind='"ungated"', expression='"z"'), "invalid activation name"),
    (dict(name='"../etc"', kind='"ungated"', expression='"z"'), "invalid activation name"),
    (dict(name='"theorems"', kind='"ungated"', expression='"z"'), "invalid activation name"),
    (dict(name="42", kind='"ungated"', expression='"z"'), "field 'name' must be a non-empty string, got a int"),
    (dict(name='"x1"', kind='"both"', expression='"z"'), "kind must be"),
    (dict(name='"x1"', kind="[1]", expression='"z"'), "field 'kind'"),
    (dict(name='"x1"', kind='"ungated"'), "field 'expression' must be a non-empty string, got missing"),
    (dict(name='"x1"', kind='"ungated"', expression='"z"', colour='"red"'), "unknown field(s) colour"),
    (dict(name='"x1"', kind='"ungated"', expression='"z"', latex="3"), "field 'latex'"),
    (dict(name='"x1"', kind='"ungated"', expression='"z"', cite="[1]"), "field 'cite'"),
    (dict(name='"x1"', kind='"ungated"', expression='"z"', cite="'\\input{x}'"), "'cite' must be plain text"),
    (dict(name='"x1"', kind='"ungated"', expression='"1e99999999*z"'), "decimal exponent"),
    (dict(name='"x1"', kind='"ungated"', expression='"exp(exp(100))*z"'), "out of range"),
    (dict(name='"x1"', kind='"ungated"', expression='"log(z)"'), "not real-valued"),
    (dict(name='"x1"', kind='"ungated"', expression='"x1(z)"'), "unknown function 'x1'"),  # no self-reference
    (dict(name='"tanh"', kind='"ungated"', expression='"z"'), "built-in function"),
    (dict(name='"x1"', kind='"ungated"', expression='"z"', latex="'\\input{/etc/passwd}'"), "\\input is not allowed"),
])
def test_each_field_is_validated_with_one_line(tmp_path, fields, fragment):
    message = _error(tmp_path, GOOD + _entry(**fields))
    assert fragment in message, message


def test_aliases_must_not_collide(tmp_path):
    text = GOOD + _entry(name='"relu_b"', kind='"ungated"', expression='"Max(z, 0)"', aliases='["relu"]')
    assert "names both 'relu' and 'relu_b'" in _error(tmp_path, text)
    text = GOOD + _entry(name='"relu_b"', kind='"ungated"', expression='"Max(z, 0)"', aliases='["RELU"]')
    assert "names both" in _error(tmp_path, text)
    text = GOOD + _entry(name='"relu_b"', kind='"ungated"', expression='"z"', aliases='["X"]') + _entry(
        name='"relu_c"', kind='"ungated"', expression='"z"', aliases='["x"]')
    assert "'x' names both" in _error(tmp_path, text)


def test_a_string_alias_no_longer_matches_its_characters(tmp_path):
    path = _write(tmp_path, GOOD)
    assert get_activation("relu", path).aliases == ("ReLU",)
    with pytest.raises(InputError, match="unknown activation 'R'"):
        get_activation("R", path)


@pytest.mark.parametrize("text, fragment", [
    ("activation = 3\n", "array of tables"), ("[[activation]]\nname = 1\n[other]\n", "unknown top-level key"),
    ("[[activation\n", "cannot read activation registry"), ("activation = [1]\n", "must be a table"),
    (GOOD + GOOD, "duplicate activation name"),
])
def test_malformed_files(tmp_path, text, fragment):
    assert fragment in _error(tmp_path, text)


def test_entries_may_use_earlier_entries_as_functions(tmp_path):
    text = GOOD + _entry(name='"relu_sq"', kind='"ungated"', expression='"relu(z)**2"') + _entry(
        name='"later"', kind='"ungated"', expression='"ReLU(2*z)"')
    acts = {a.name: a for a in load_activations(_write(tmp_path, text))}
    assert str(acts["relu_sq"].expr) == "Max(0, z)**2" and str(acts["later"].expr) == "Max(0, 2*z)"
    forward = _entry(name='"first"', kind='"ungated"', expression='"second(z)"') + _entry(
        name='"second"', kind='"ungated"', expression='"first(z)"')
    assert "unknown function 'second'" in _error(tmp_path, forward)


def test_build_rejects_hostile_registry_quickly(tmp_path):
    """`absorb list` used to hang for minutes on 1e99999999 in the registry."""
    text = REGISTRY_PATH.read_text(encoding="utf-8") + _entry(name='"hostile"', kind='"ungated"',
                                                               expression='"1e99999999*z"')
    assert "hostile" in _error(tmp_path, text)


# ---------------------------------------------------------------------------------------------------------------
# C5: symbolic.latex_guard.check_latex
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    r"\max(z,0)", r"z\,\Phi(z)=\tfrac z2\bigl(1+\operatorname{erf}(z/\sqrt2)\bigr)", r"\gamma(z)=z\,s(z)",
    r"\left\{ z \right\}", r"\begin{cases} z & z>0\\ 0 & \text{else}\end{cases}", r"|z|", r"\mathrm{ReLU}(z)^2",
])
def test_math_is_accepted(text):
    check_latex(text)


@pytest.mark.parametrize("text, fragment", [
    (r"\input{/etc/passwd}", r"\input"), (r"\include{x}", r"\include"), (r"\read16 to\x", r"\read"),
    (r"\immediate\write18{ls}", r"\immediate"), (r"\write18{ls}", r"\write"), (r"\openin1=/etc/passwd", r"\openin"),
    (r"\catcode`\^=7", r"\catcode"), (r"\def\x{1}", r"\def"), (r"\csname input\endcsname", r"\csname"),
    (r"^^5cinput{/etc/passwd}", "^^"), (r"z \text{\input{/etc/passwd}}", r"\input"), ("$z$", "dollar"),
    ("z % comment", "comment"), ("#1", "macro parameter"), ("}z{", "unbalanced"), ("{z", "unbalanced"),
    (r"\begin{filecontents}{x.tex}", "environment 'filecontents'"), (r"\@input", r"\@"), ("z\n\\input", "control"),
    (r"\verb|x|", r"\verb"), (r"\usepackage{x}", r"\usepackage"), ("x" * 501, "longer than"),
])
def test_everything_else_is_refused_naming_the_command(text, fragment):
    with pytest.raises(InputError) as info:
        check_latex(text)
    assert fragment in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("text", ["exp(z) + log(1 + z**2) + sqrt(1 + z**2)", "tanh(z)*sinh(z)*cosh(z)*asinh(z)",
                                  "sin(z) + cos(z) + atan(z)", "erf(z) + erfc(z)", "Abs(z) + Max(z, 0) + Min(z, 1, 2)",
                                  "Heaviside(z)*z", "sigmoid(z) + softplus(z)", "pi*E*z/3"])
def test_latex_printed_by_sympy_passes_the_guard(text):
    """An entry without a `latex` field falls back to sympy.latex(expr): that must pass the allow-list too."""
    import sympy as sp

    from symbolic.expr import parse_expression

    check_latex(sp.latex(parse_expression(text, functions={})))
