(** * GELU is class-identifiable (BLUEPRINT §6.3, gelu-class-identifiable),
    and claim 5 (generic-iff) instantiated for GELU.

    Modelling choice (documented): erf is defined by its Maclaurin series,
      erf x = (2/√π) Σ_k (−1)^k x^{2k+1} / (k! (2k+1)),
    as Coquelicot's [PSeries] of the coefficients [erf_coef] (0 at even
    indices).  The series converges at every real x ([erf_converges]:
    radius +∞, [erf_radius], by |erf_coef (2j+1) r^{2j+1}| ≤
    (2/√π)|r| e^{r²}), so [erf x] is the sum of the series for every x.
    NOT proved here: that this sum equals the integral definition
    (2/√π) ∫_0^x e^{−t²} dt (standard).  The theorems use only
    GELU = z/2 + e (algebra), erf odd (termwise) and the series on |x| < 1.
    Then
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


Lemma sqrtPI_gt0 : 0 < sqrt PI.
Proof. by apply/RltP; apply: sqrt_lt_R0; exact: PI_RGT_0. Qed.

Lemma sqrt2_ge1 : 1 <= sqrt 2%:R.
Proof.
rewrite RsqrtE ?ler0n //.
by rewrite -{1}sqrtr1 ler_psqrt ?nnegrE ?ler0n //;
  rewrite ?ler1n ?qualifE ?ler0n ?ltr01 ?ltr0Sn.
Qed.

Lemma erf_scaled_bound k : `|erf_scaled k| <= 2%:R / sqrt PI.
Proof.
have c_pos : 0 < 2%:R / sqrt PI by rewrite divr_gt0 ?ltr0n ?sqrtPI_gt0.
rewrite /erf_scaled /erf_coef; case: ifP => [k_odd|_]; last first.
  by rewrite mul0r normr0 ltW.
rewrite !normrM !normfV normrX normrN1 expr1n mulr1 normr_nat.
rewrite (gtr0_norm sqrtPI_gt0) -mulrA; apply: ler_pimulr; first exact: ltW.
have D_ge1 : 1 <= `|(k./2)`!%:R * k%:R : R|.
  rewrite -natrM normr_nat ler1n muln_gt0 fact_gt0 /=.
  by case: k k_odd.
have Q_ge1 : 1 <= `|sqrt 2%:R ^+ k|.
  by rewrite ger0_norm ?exprn_ege1 ?sqrt2_ge1 // exprn_ge0 // ltW ?sqrt2_gt0.
apply: mulr_ile1; rewrite ?invr_ge0 ?normr_ge0 ?invf_le1 //.
  exact: lt_le_trans ltr01 D_ge1.
exact: lt_le_trans ltr01 Q_ge1.
Qed.

(** The power series of e converges on |z| < 1 (radius ≥ 1). *)
Lemma gelu_radius : Rbar_le (Finite 1) (CV_radius gelu_coef).
Proof.
have -> : CV_radius gelu_coef = CV_radius erf_scaled.
  rewrite -[RHS]CV_radius_incr_1 -[RHS](@CV_radius_scal (2%:R^-1)); last first.
    by apply/eqP; rewrite invr_eq0 pnatr_eq0.
  apply: CV_radius_ext => -[|k] /=.
    by rewrite /PS_scal /PS_incr_1 /scal /= /mult /= RmultE mulr0.
  by rewrite /PS_scal /PS_incr_1 /scal /= /mult /= RmultE mulrC.
have [ub _] := CV_radius_bounded erf_scaled.
apply: ub; exists (2%:R / sqrt PI) => k.
by rewrite pow1 RmultE mulr1; apply/RleP; exact: erf_scaled_bound.
Qed.

Lemma gelu_radius_pos : Rbar_lt (Finite 0) (CV_radius gelu_coef).
Proof. by apply: Rbar_lt_le_trans gelu_radius; exact: Rlt_0_1. Qed.

(** e^{(n)}(0) = n! e_n. *)
Lemma gelu_derivs n : Derive_n gelu_even n 0 = gelu_coef n * INR (fact n).
Proof.
rewrite (Derive_n_ext _ (PSeries gelu_coef) n 0 gelu_evenE).
by rewrite Derive_n_coef //; exact: gelu_radius_pos.
Qed.

(** e is C^∞ on |z| < 1. *)
Lemma gelu_smooth : smooth_at0 gelu_even.
Proof.
exists (mkposreal _ Rlt_0_1) => y Hy n.
apply: (ex_derive_n_ext (PSeries gelu_coef)) => [t|].
  by rewrite gelu_evenE.
apply: ex_derive_n_PSeries; apply: Rbar_lt_le_trans gelu_radius.
move: Hy; rewrite /ball /= /AbsRing_ball /abs /minus /plus /opp /=.
by have -> : (y + - 0)%coq_R = y by ring.
Qed.

(** e_{2m} ≠ 0 for every m ≥ 1, so e^{(2m)}(0) ≠ 0 for infinitely many m. *)
Lemma gelu_inf_derivs : inf_even_derivs gelu_even.
Proof.
move=> M; exists M.+1; first exact: leqnSn.
rewrite gelu_derivs => /eqP; apply/negP; rewrite mulf_neq0 //; last first.
  by apply/eqP; exact: INR_fact_neq_0.
rewrite mul2n doubleS /gelu_coef /erf_coef /= odd_double /= uphalf_double.
have sPI := sqrtPI_gt0; have s2 := sqrt2_gt0.
by rewrite !mulf_neq0 ?invr_eq0 ?mulf_neq0 ?expf_neq0 ?oppr_eq0 ?oner_eq0 //;
  rewrite ?pnatr_eq0 -?lt0n ?fact_gt0 ?gt_eqF.
Qed.

(** gelu-class-identifiable: GELU's even part e(z) = (z/2) erf(z/√2) is
    class-identifiable (criterion (i′)). *)
Theorem gelu_class_identifiable : class_identifiable gelu_even.
Proof. exact: derivative_criterion gelu_smooth gelu_inf_derivs. Qed.

(** Claim 5 (generic-iff, Corollary 6.3, class-identifiable case)
    instantiated for GELU: σ = GELU = z/2 + e (c = 1), any d, under (G0)
    and (G-class): the block x + W_down GELU(W_up x) (skip A) is absorbable
    at some width m ≤ n iff some S satisfies (IC_1): W_down D_S W_up = −A. *)
Theorem generic_iff_gelu d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) :
  G0 Wd Wu -> Gclass Wu ->
  (exists2 m, (m <= n)%nat & absorbable gelu A Wd Wu m) <->
  exists S, index_condition 1 A Wd Wu S.
Proof.
move=> G0_ Gclass_.
apply: (generic_iff_class (e := gelu_even)) => //.
- by move=> z; rewrite gelu_split.
- exact: gelu_even_even.
- exact: gelu_class_identifiable.
- exact: oner_neq0.
Qed.



Lemma perm6 (a b c d e f : R) :
  (a * b * c * d * e * f = b * e * a * f * c * d)%coq_R.
Proof. by ring. Qed.

(** The closed form of BLUEPRINT §6.3: for m ≥ 1 (here m + 1),
    e_{2m} = (−1)^{m−1} / (√(2π) 2^{m−1} (m−1)! (2m−1)). *)
Lemma gelu_coef_closed m :
  gelu_coef (m.+1).*2 =
  (-1) ^+ m / (sqrt (2%:R * PI) * 2%:R ^+ m * m`!%:R * (m.*2.+1)%:R).
Proof.
rewrite doubleS /gelu_coef /erf_coef /= odd_double /= uphalf_double.
have two_ge0 : Rle 0 (2%:R : R).
  by move: (pos_INR 2); rewrite INRE.
have s2 : sqrt 2%:R ^+ (m.*2.+1) = sqrt 2%:R * 2%:R ^+ m.
  by rewrite exprS -mul2n exprM expr2 -[sqrt _ * sqrt _]RmultE sqrt_sqrt.
have sPI2 : sqrt (2%:R * PI) = sqrt 2%:R * sqrt PI.
  by rewrite -RmultE sqrt_mult //; apply: Rlt_le; exact: PI_RGT_0.
rewrite s2 sPI2.
have pnz : sqrt PI != 0 by rewrite gt_eqF ?sqrtPI_gt0.
have snz : sqrt 2%:R != 0 by rewrite gt_eqF ?sqrt2_gt0.
have Fnz : m`!%:R != 0 :> R by rewrite pnatr_eq0 -lt0n fact_gt0.
have Nnz : (m.*2.+1)%:R != 0 :> R by rewrite pnatr_eq0.
have Tnz : 2%:R ^+ m != 0 :> R by rewrite expf_neq0 // pnatr_eq0.
have twonz : 2%:R != 0 :> R by rewrite pnatr_eq0.
rewrite !invfM [LHS]mulrC !mulrA mulVf // mul1r.
by rewrite -!RmultE; apply: perm6.
Qed.

(** The Maclaurin series of erf converges on all of ℝ (radius +∞). *)
Lemma fact_factorial n : fact n = n`!.
Proof. by elim: n => // n IH; rewrite factS /= IH. Qed.

Lemma term_le_exp (x : R) j :
  (0 <= x)%coq_R -> (x ^ j / INR (fact j) <= exp x)%coq_R.
Proof.
move=> x_ge0; have term_ge0 k : (0 <= x ^ k / INR (fact k))%coq_R.
  apply: Rmult_le_pos; first exact: pow_le.
  by apply: Rlt_le; apply: Rinv_0_lt_compat; exact: INR_fact_lt_0.
have := exp_ge_taylor x j x_ge0; case: j => [//|j].
rewrite tech5; have := cond_pos_sum _ j term_ge0.
set s := sum_f_R0 _ j; set t := (x ^ j.+1 / _)%coq_R => s_ge0 st.
by apply: Rle_trans st; rewrite -{1}(Rplus_0_l t); apply: Rplus_le_compat_r.
Qed.

Lemma erf_coef_bound (r : R) n :
  `|erf_coef n * r ^+ n| <= 2%:R / sqrt PI * (`|r| * exp (r * r)).
Proof.
have c_pos : 0 < 2%:R / sqrt PI by rewrite divr_gt0 ?ltr0n ?sqrtPI_gt0.
have exp_ge0 : 0 <= exp (r * r) by apply/RleP; apply: Rlt_le; exact: exp_pos.
have rhs_ge0 : 0 <= 2%:R / sqrt PI * (`|r| * exp (r * r)).
  by apply: mulr_ge0; [exact: ltW | exact: mulr_ge0 (normr_ge0 r) exp_ge0].
rewrite /erf_coef; case: ifP => [n_odd|_]; last by rewrite mul0r normr0.
set j := n./2; have nE : n = j.*2.+1.
  by rewrite -[LHS](odd_double_half n) n_odd.
have F_pos : 0 < j`!%:R :> R by rewrite ltr0n fact_gt0.
have N_ge1 : 1 <= n%:R :> R by rewrite ler1n nE.
have xr_ge0 : 0 <= (r * r) ^+ j by apply: exprn_ge0; rewrite -expr2 sqr_ge0.
rewrite !normrM !normfV !normrM !normrX normrN1 expr1n mulr1 !normr_nat.
rewrite (gtr0_norm sqrtPI_gt0).
have rsq : `|r| ^+ 2 = r * r by rewrite -normrX ger0_norm ?sqr_ge0 // expr2.
rewrite nE exprS -mul2n exprM rsq -!mulrA.
apply: ler_wpmul2l; first exact: ler0n.
apply: ler_wpmul2l; first by rewrite invr_ge0 ltW ?sqrtPI_gt0.
rewrite mulrCA; apply: ler_wpmul2l; first exact: normr_ge0.
have XF : (r * r) ^+ j / j`!%:R <= exp (r * r).
  have rr_ge0 : (0 <= r * r)%coq_R by exact: Rle_0_sqr.
  have := term_le_exp j rr_ge0; rewrite RpowE INRE fact_factorial RdivE.
    by move/RleP.
  by rewrite gt_eqF.
apply: le_trans XF; rewrite invfM -mulrA mulrC -mulrA mulrC.
apply: ler_pimulr; first by apply: divr_ge0; [exact: xr_ge0 | exact: ltW].
by rewrite invf_le1 ?ltr0Sn // ler1n.
Qed.

Lemma erf_radius : CV_radius erf_coef = p_infty.
Proof.
have [ub _] := CV_radius_bounded erf_coef.
have H (r : R) : Rbar_le (Finite r) (CV_radius erf_coef).
  apply: ub; exists (2%:R / sqrt PI * (`|r| * exp (r * r))) => n.
  by rewrite RpowE; apply/RleP; exact: erf_coef_bound.
move: H; case: (CV_radius erf_coef) => [c H||H] //.
  have := H (c + 1)%coq_R; rewrite /Rbar_le => H1.
  by case: (Rlt_not_le _ _ (Rlt_plus_1 c) H1).
by case: (H 0).
Qed.

(** The series defining erf converges at every real x. *)
Lemma erf_converges x : ex_pseries erf_coef x.
Proof. by apply: CV_radius_inside; rewrite erf_radius. Qed.
