(** * GELU is class-identifiable (BLUEPRINT §6.3, gelu-class-identifiable),
    and claim 5 (generic-iff) instantiated for GELU.

    Modelling choice (documented): erf is defined by its Maclaurin series,
      erf x = (2/√π) Σ_k (−1)^k x^{2k+1} / (k! (2k+1)),
    as Coquelicot's [PSeries] of the coefficients [erf_coef] (0 at even
    indices).  The series is entire; its agreement with the integral
    definition (2/√π) ∫_0^x e^{−t²} dt is standard and is NOT proved here.
    Outside the disc where convergence is proved below (|x| < 1) the value is
    still the true sum, since [PSeries] is the limit of the partial sums and
    these converge for every x; only |x| < 1 is needed by the proofs.  Then
      Φ(z) = (1 + erf(z/√2))/2,  GELU(z) = z Φ(z),
      GELU(z) = z/2 + e(z),  e(z) = (z/2) erf(z/√2)  (even).

    Route: the power-series route of §6.3, not the Gaussian route of
    Theorem 6.8d.  e is itself a power series (coefficients [gelu_coef]:
    e_{2m} = (−1)^{m−1} / (√(2π) 2^{m−1} (m−1)! (2m−1)) written as
    erf_coef (2m−1) / (2 √2^{2m−1})), so Coquelicot's [Derive_n_coef] gives
    e^{(n)}(0) = n! e_n, and [ex_derive_n_PSeries] gives C^∞ on |z| < 1;
    criterion (i′) ([derivative_criterion], DerivCrit.v) concludes.  The
    Gaussian route would need e'' = (2 − z²)φ, i.e. erf' and the
    integral form, which this file does not develop. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.analysis Require Import Rstruct.
Require Import Reals.
From Coquelicot Require Import Coquelicot.
From SkipAbsorption Require Import Defs GenericIff DerivCrit.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.
Delimit Scope R_scope with coq_R.

(** Maclaurin coefficients of erf: at n = 2k+1, (2/√π)(−1)^k/(k!(2k+1)). *)
Definition erf_coef (n : nat) :=
  if odd n then 2%:R / sqrt PI * (-1) ^+ n./2 / ((n./2)`!%:R * n%:R)
  else 0.

Definition erf (x : R) : R := PSeries erf_coef x.
(** Arguments of erf are read with MathComp's operations. *)
Arguments erf x%ring_scope.

(** Standard normal cdf, GELU, and GELU's even part e. *)
Definition Phi (z : R) := (1 + erf (z / sqrt 2%:R)) / 2%:R.
Definition gelu (z : R) := z * Phi z.
Definition gelu_even (z : R) := z / 2%:R * erf (z / sqrt 2%:R).

(** GELU = (c/2) z + e with c = 1. *)
Lemma gelu_split z : gelu z = 1 / 2%:R * z + gelu_even z.
Proof.
rewrite /gelu /Phi /gelu_even mulrA mulrDr mulr1 mulrDl mul1r [_^-1 * z]mulrC.
by rewrite mulrAC.
Qed.

Lemma erf_odd x : erf (- x) = - erf x.
Proof.
rewrite /erf /PSeries -[RHS]RoppE -Series_opp; apply: Series_ext => k.
rewrite !RmultE !RpowE RoppE /erf_coef; case: ifP => [k_odd|_].
  rewrite [(- x) ^+ k]exprNn -[(-1) ^+ k]signr_odd k_odd expr1 mulN1r.
  by rewrite mulrN.
by rewrite !mul0r; apply/esym; apply: oppr0.
Qed.

Lemma gelu_even_even z : gelu_even (- z) = gelu_even z.
Proof. by rewrite /gelu_even !mulNr erf_odd mulrN opprK. Qed.

(** e as a power series: e_{k+1} = erf_coef k / (2 √2^k), e_0 = 0. *)
Definition gelu_coef (n : nat) :=
  if n is k.+1 then erf_coef k / sqrt 2%:R ^+ k / 2%:R else 0.

Definition erf_scaled (k : nat) := erf_coef k / sqrt 2%:R ^+ k.

Lemma sqrt2_gt0 : 0 < sqrt 2%:R.
Proof. by apply/RltP; apply: sqrt_lt_R0; apply/RltP; rewrite ltr0n. Qed.

Lemma erf_scaledE x : erf (x / sqrt 2%:R) = PSeries erf_scaled x.
Proof.
rewrite /erf /PSeries; apply: Series_ext => k.
rewrite !RmultE !RpowE /erf_scaled exprMn exprVn mulrA.
by rewrite mulrAC.
Qed.

Lemma gelu_evenE z : gelu_even z = PSeries gelu_coef z.
Proof.
rewrite /gelu_even erf_scaledE mulrAC -[z * _]RmultE -PSeries_incr_1.
rewrite mulrC -RmultE -PSeries_scal; apply: PSeries_ext => -[|k] /=.
  by rewrite /PS_scal /PS_incr_1 /scal /= /mult /= RmultE mulr0.
by rewrite /PS_scal /PS_incr_1 /scal /= /mult /= RmultE mulrC.
Qed.
