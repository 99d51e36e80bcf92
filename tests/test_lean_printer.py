"""The SymPy -> Lean printer: one test per construct (precedence decides brackets, a table names the functions)."""
import pytest
import sympy as sp

from symbolic.lean.printer import LeanCodePrinter, Unsupported, lean_ident, to_lean

z = sp.Symbol("z", real=True)


def lean(expr):
    return to_lean(expr)[0]


def test_symbol_prints_as_the_bound_variable():
    assert lean(z) == "z"
    assert to_lean(sp.Symbol("x") + 1, var="u")[0] == "u + 1"


@pytest.mark.parametrize("value, text", [(3, "3"), (0, "0"), (-3, "(-3)"),
                                         (sp.Rational(1, 2), "(1 / 2 : ℝ)"), (sp.Rational(-3, 4), "(-(3 / 4 : ℝ))")])
def test_numbers(value, text):
    assert lean(sp.sympify(value)) == text


def test_float_becomes_an_exact_rational():
    assert lean(sp.Float("0.25")) == "(1 / 4 : ℝ)"


def test_constants():
    assert lean(sp.pi) == "Real.pi"
    assert lean(sp.E) == "Real.exp 1"


def test_add_starts_with_a_positive_term():
    assert lean(z ** 3 - z) == "z ^ 3 - z"
    assert lean(1 - z) == "1 - z"


def test_subtracted_sum_is_bracketed():
    expr = sp.Add(z, sp.Mul(-1, sp.Max(z, 0) + 1, evaluate=False), evaluate=False)
    assert lean(expr) == "z - (max z 0 + 1)"


def test_mul_brackets_sums_not_products():
    assert lean(z * (z + 1)) == "z * (z + 1)"
    assert lean(2 * z * sp.exp(z)) == "2 * z * Real.exp z"


def test_rational_coefficient_goes_to_the_denominator():
    assert lean(sp.Rational(3, 4) * z) == "3 * z / 4"
    assert lean(z / 2) == "z / 2"


def test_denominator_with_several_factors_is_bracketed():
    assert lean(z / (sp.exp(z) * (z + 1))) == "z * Real.exp (-z) / (z + 1)"
    assert lean(z / (sp.log(z) * (z + 1))) == "z / ((z + 1) * Real.log z)"


def test_negation():
    assert lean(-z) == "-z"
    assert lean(-2 * z) == "-(2 * z)"
    assert lean(-sp.exp(z)) == "-Real.exp z"  # application binds tighter than prefix -
    assert lean(-z ** 3) == "-(z ^ 3)"
    assert lean(sp.exp(-z)) == "Real.exp (-z)"


def test_power_base_brackets_by_precedence():
    assert lean(z ** 2) == "z ^ 2"
    assert lean((z + 1) ** 2) == "(z + 1) ^ 2"
    assert lean(sp.Max(z, 0) ** 2) == "max z 0 ^ 2"  # application binds tighter than ^
    assert lean(z ** sp.Rational(1, 3)) == "z ^ (1 / 3 : ℝ)"


def test_negative_power_is_a_quotient():
    assert lean(1 / (1 + sp.exp(-z))) == "1 / (1 + Real.exp (-z))"
    assert lean(z ** -2) == "1 / z ^ 2"


def test_square_root():
    assert lean(sp.sqrt(2) * z) == "z * Real.sqrt 2"
    assert lean(sp.sqrt(z + 1)) == "Real.sqrt (z + 1)"


@pytest.mark.parametrize("fn, name", [(sp.exp, "Real.exp"), (sp.log, "Real.log"), (sp.tanh, "Real.tanh"),
                                      (sp.sinh, "Real.sinh"), (sp.cosh, "Real.cosh"), (sp.sin, "Real.sin"),
                                      (sp.cos, "Real.cos")])
def test_function_table(fn, name):
    assert lean(fn(z)) == f"{name} z"
    assert lean(fn(z + 1)) == f"{name} (z + 1)"


def test_abs_is_an_atom():
    assert lean(sp.Abs(z) / 2) == "|z| / 2"
    assert lean(sp.Abs(z + 1)) == "|z + 1|"


def test_max_min_fold_binary_with_numbers_last():
    assert lean(sp.Max(z, 0)) == "max z 0"
    assert lean(sp.Min(sp.Max(z + 3, 0), 6)) == "min (max (z + 3) 0) 6"
    assert lean(sp.Max(z, sp.sin(z), 0, evaluate=False)) == "max z (max (Real.sin z) 0)"


def test_piecewise_and_conditions():
    expr = sp.Piecewise((z, z > 0), (2 * z, sp.And(z <= 0, z > -1)), (0, True))
    assert lean(expr) == "if z > 0 then z else if z > (-1) then 2 * z else 0"
    assert lean(expr + 1) == "(if z > 0 then z else if z > (-1) then 2 * z else 0) + 1"
    both = sp.Piecewise((z, sp.And(z > 0, z < 1)), (0, True))
    assert lean(both) == "if (z > 0) ∧ (z < 1) then z else 0"


def test_piecewise_without_default_is_unsupported():
    with pytest.raises(Unsupported, match="default branch"):
        lean(sp.Piecewise((z, z > 0)))


def test_erf_prints_as_the_defs_erf():
    """erf goes through Defs.lean's `SkipAbsorption.erf` (Mathlib's Gaussian CDF), not an abstract stand-in."""
    text, abstract = to_lean(z * (1 + sp.erf(z)) / 2)
    assert abstract == [] and text == "z * (SkipAbsorption.erf z + 1) / 2"


def test_abstract_function_is_recorded(monkeypatch):
    from symbolic.lean import printer
    monkeypatch.setitem(printer.ABSTRACT_FUNCTIONS, sp.fresnels, ("F", ["∀ u : ℝ, F (-u) = -F u"], "note"))
    text, abstract = to_lean(z * (1 + sp.fresnels(z)) / 2)
    assert abstract == [sp.fresnels] and text == "z * (F z + 1) / 2"


def test_unknown_function_is_unsupported_and_named():
    with pytest.raises(Unsupported, match="Heaviside"):
        lean(sp.Heaviside(z))


def test_printer_is_a_sympy_code_printer():
    from sympy.printing.codeprinter import CodePrinter

    assert issubclass(LeanCodePrinter, CodePrinter) and LeanCodePrinter.language == "Lean"


def test_lean_ident():
    assert lean_ident("gelu_tanh") == "gelu_tanh" and lean_ident("leaky-relu.1") == "leaky_relu_1"


@pytest.mark.parametrize("module", ["symbolic.lean.printer", "symbolic.lean.properties", "symbolic.paths"])
def test_docstring_examples(module):
    """The Examples in these modules' docstrings run (doctest), so they cannot drift from the code."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
