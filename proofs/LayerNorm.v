(** * LayerNorm (BLUEPRINT §6.8, Props 6.8e–f).

    LN_ε(x) = γ ⊙ (x − mean(x) 1) / sq(var(x) + ε) + β with
    mean(x) = (Σ_i x_i)/d and var(x) = (Σ_i (x_i − mean x)²)/d.  The square
    root is a parameter [sq] here (any realFieldType); the facts used about
    it are 0 < sq y for y > 0 and sq y ² = y for y ≥ 0, and PostNorm.v
    instantiates it with Coq's [sqrt] on [Rdefinitions.R].  The centering
    x − mean(x) 1 is P x with P = I − 11ᵀ/d ([Pmat]). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section LayerNorm.
Variables (R : realFieldType) (d : nat).
Local Notation vec := 'cV[R]_d.

Definition ones : vec := const_mx 1.
Definition mean (x : vec) : R := (\sum_i x i 0) / d%:R.
Definition center (x : vec) : vec := x - mean x *: ones.
Definition var (x : vec) : R := (\sum_i (center x i 0) ^+ 2) / d%:R.
Definition LN (sq : R -> R) (eps : R) (g b : vec) (x : vec) : vec :=
  \col_i (g i 0 * (center x i 0 / sq (var x + eps)) + b i 0).

(** P = I − 11ᵀ/d. *)
Definition Pmat : 'M[R]_d := 1%:M - d%:R^-1 *: const_mx 1.

Lemma PmatE x : Pmat *m x = center x.
Proof.
apply/matrixP => i j; rewrite [j]ord1 /center /mean mulmxBl mul1mx.
rewrite -scalemxAl !mxE; congr (_ - _); rewrite mulr1 mulrC.
by congr (_ * _); apply: eq_bigr => k _; rewrite mxE mul1r.
Qed.

(** Shifts along 1 do not change the centering (d = 0 included). *)
Lemma center_shift x (t : R) : center (x + t *: ones) = center x.
Proof.
have [d0|d_gt0] := posnP d.
  by apply/matrixP => i j; have := ltn_ord i; rewrite [X in (_ < X)%N]d0.
have d_neq0 : d%:R != 0 :> R by rewrite pnatr_eq0 -lt0n.
have meanE : mean (x + t *: ones) = mean x + t.
  rewrite /mean; under eq_bigr do rewrite !mxE mulr1.
  by rewrite big_split /= sumr_const card_ord mulrDl -[t *+ d]mulr_natr mulfK.
by rewrite /center meanE scalerDl opprD addrACA subrr addr0.
Qed.

Lemma var_shift x (t : R) : var (x + t *: ones) = var x.
Proof. by rewrite /var center_shift. Qed.

(** LN is invariant under x ↦ x + t1, for every ε, γ, β and any [sq]. *)
Lemma LN_shift sq eps g b x (t : R) :
  LN sq eps g b (x + t *: ones) = LN sq eps g b x.
Proof. by rewrite /LN var_shift center_shift. Qed.

(** Centering is idempotent: P (P x) = P x. *)
Lemma center_idem x : center (center x) = center x.
Proof.
have cE : center x = x + (- mean x) *: ones by rewrite scaleNr.
by rewrite {1}cE center_shift.
Qed.

Lemma var_ge0 x : 0 <= var x.
Proof.
by rewrite /var divr_ge0 ?ler0n // sumr_ge0 // => i _; rewrite sqr_ge0.
Qed.

Lemma var_center p q (l : R) :
  center q = l *: center p -> var q = l ^+ 2 * var p.
Proof.
move=> cE; rewrite /var cE mulrA mulr_sumr; congr (_ / _).
by apply: eq_bigr => i _; rewrite mxE exprMn.
Qed.

End LayerNorm.

(** LN_ε(p) = LN_ε(q) ⟺ P p = P q, for ε > 0 and all gains nonzero (the
    first half of Prop. 6.8f).  If the LN outputs agree, P q = λ P p with
    λ = sq(var q + ε)/sq(var p + ε) > 0; then var q = λ² var p and
    var q + ε = λ² (var p + ε), so λ² ε = ε and λ = 1. *)
Section LNiff.
Variables (R : realFieldType) (d : nat) (sq : R -> R).
Hypothesis sq_gt0 : forall y, 0 < y -> 0 < sq y.
Hypothesis sq_sqr : forall y, 0 <= y -> sq y ^+ 2 = y.
Variables (eps : R) (g b : 'cV[R]_d).
Hypothesis eps_gt0 : 0 < eps.
Hypothesis g_neq0 : forall i, g i 0 != 0.

Lemma LN_center p q : center p = center q ->
  LN sq eps g b p = LN sq eps g b q.
Proof. by move=> cE; rewrite /LN /var cE. Qed.

Lemma var_eps_gt0 (p : 'cV[R]_d) : 0 < var p + eps.
Proof. by rewrite (lt_le_trans eps_gt0) // ler_addr var_ge0. Qed.

Lemma LN_inj_center p q :
  LN sq eps g b p = LN sq eps g b q -> center p = center q.
Proof.
move=> E; set sp := sq (var p + eps); set sq' := sq (var q + eps).
have sp0 : 0 < sp by apply: sq_gt0; exact: var_eps_gt0.
have sq0 : 0 < sq' by apply: sq_gt0; exact: var_eps_gt0.
set l := sq' / sp.
have cE : center q = l *: center p.
  apply/matrixP => i j; rewrite [j]ord1 [in RHS]mxE.
  have := congr1 (fun v : 'cV[R]_d => v i 0) E; rewrite !mxE.
  move=> /addIr /(mulfI (g_neq0 i)) e.
  move: e; rewrite -/sp -/sq' => e.
  rewrite -[LHS](divfK (lt0r_neq0 sq0)) -e /l.
  by rewrite mulrC mulrA mulrAC.
have vq := var_center cE.
have key : sq' ^+ 2 = l ^+ 2 * sp ^+ 2.
  by rewrite /l expr_div_n divfK // expf_neq0 // lt0r_neq0.
move: key; rewrite !sq_sqr ?ltW ?var_eps_gt0 // vq mulrDr => /addrI.
rewrite -[X in X = _]mul1r => /(mulIf (lt0r_neq0 eps_gt0)) /esym /eqP.
rewrite sqrf_eq1 => /orP [/eqP l1|/eqP lN1]; first by rewrite cE l1 scale1r.
have : 0 < l by rewrite divr_gt0.
by rewrite lN1 ltr0N1.
Qed.

Lemma LN_iff p q :
  LN sq eps g b p = LN sq eps g b q <-> Pmat R d *m p = Pmat R d *m q.
Proof.
rewrite !PmatE; split; first exact: LN_inj_center.
exact: LN_center.
Qed.

End LNiff.

(** At ε = 0 the first half of Prop. 6.8f fails: LN_0 forgets positive
    scalings, LN_0(l x) = LN_0(x) for l > 0, while P(l x) ≠ P x as soon as
    l ≠ 1 and P x ≠ 0.  ([sq] only needs sq(l² y) = l sq(y).) *)
Section LNzero.
Variables (R : realFieldType) (d : nat) (sq : R -> R).
Hypothesis sq_scale :
  forall l y, 0 < l -> 0 <= y -> sq (l ^+ 2 * y) = l * sq y.

Lemma center_scale (x : 'cV[R]_d) (l : R) :
  center (l *: x) = l *: center x.
Proof.
rewrite /center /mean; under eq_bigr do rewrite mxE.
by rewrite -mulr_sumr -mulrA scalerBr scalerA.
Qed.

Lemma LN0_scale (g b x : 'cV[R]_d) (l : R) :
  0 < l -> LN sq 0 g b (l *: x) = LN sq 0 g b x.
Proof.
move=> l0; rewrite /LN !addr0 center_scale (var_center (center_scale x l)).
rewrite sq_scale ?var_ge0 //; apply/matrixP => i j; rewrite !mxE.
by rewrite invfM mulrACA mulfV ?mul1r // lt0r_neq0.
Qed.

Lemma LN0_not_injective (g b x : 'cV[R]_d) :
  center x != 0 ->
  LN sq 0 g b (2%:R *: x) = LN sq 0 g b x /\
  Pmat R d *m (2%:R *: x) != Pmat R d *m x.
Proof.
move=> cx; split; first by rewrite LN0_scale ?ltr0n.
rewrite !PmatE center_scale; apply: contra cx => /eqP.
by rewrite scaler_nat mulr2n => /(canRL (addrK _)); rewrite subrr => <-.
Qed.

End LNzero.
