(** * Grouping a finite family of ridge functions by classes {±v}
    (BLUEPRINT §6.3).

    For an even e, e(vᵀx) depends only on the class {±v}.  Grouping the
    terms of Σ_k e(v_kᵀx) N_k by class (one representative per class,
    chosen with [pick]) turns class-identifiability, stated for distinct
    classes, into: every class sum Σ_{v_k' = ±v_k} N_k' with v_k ≠ 0
    vanishes. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Kinks.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Classes.
Variables (R : realFieldType) (d : nat) (I : finType).
Variables (v N : I -> 'cV[R]_d) (e : R -> R).
Hypothesis e_even : forall z, e (- z) = e z.

(** k and k' are in the same class: v_k = ±v_k'. *)
Definition same k k' := (v k == v k') || (v k == - v k').

Lemma same_refl k : same k k.
Proof. by rewrite /same eqxx. Qed.

Lemma same_sym k k' : same k k' = same k' k.
Proof.
rewrite /same eq_sym; congr (_ || _); apply/eqP/eqP => [->|->].
  by rewrite opprK.
by rewrite opprK.
Qed.

Lemma same_trans k k' k'' : same k k' -> same k' k'' -> same k k''.
Proof.
rewrite /same => /orP [/eqP -> | /eqP ->] /orP [/eqP -> | /eqP ->].
- by rewrite eqxx.
- by rewrite eqxx orbT.
- by rewrite eqxx orbT.
- by rewrite opprK eqxx.
Qed.

Lemma e_same k k' x : same k k' -> e (dot (v k) x) = e (dot (v k') x).
Proof. by case/orP => /eqP ->; rewrite ?dotNl ?e_even. Qed.

(** The representative of the class of k. *)
Definition rep k := odflt k [pick k' | same k' k].

Lemma same_rep k : same (rep k) k.
Proof. by rewrite /rep; case: pickP => [k' //|/(_ k)]; rewrite same_refl. Qed.

Lemma rep_same k k' : same k k' -> rep k = rep k'.
Proof.
move=> kk'; rewrite /rep (eq_pick (Q := fun x => same x k')) => [|x].
  by case: pickP => // /(_ k'); rewrite same_refl.
apply/idP/idP => [xk | xk']; first exact: same_trans xk kk'.
by apply: same_trans xk' _; rewrite same_sym.
Qed.

Lemma rep_idem k : rep (rep k) = rep k.
Proof. exact/rep_same/same_rep. Qed.

Lemma rep_eq k k' : (rep k' == rep k) = same k k'.
Proof.
apply/eqP/idP => [e_rep | kk']; last by rewrite (rep_same kk').
apply: (@same_trans _ (rep k)); first by rewrite same_sym same_rep.
by rewrite -e_rep same_rep.
Qed.

Lemma group_sum x :
  \sum_k e (dot (v k) x) *: N k =
  \sum_(r | rep r == r) e (dot (v r) x) *: \sum_(k | rep k == r) N k.
Proof.
rewrite (partition_big rep (fun r => rep r == r)) => [|k _]; last first.
  by rewrite rep_idem.
apply: eq_bigr => r _; rewrite scaler_sumr; apply: eq_bigr => k /eqP <-.
by rewrite (e_same _ (same_rep k)).
Qed.

Hypothesis e_ci : class_identifiable e.
Hypothesis sumE : forall x, \sum_k e (dot (v k) x) *: N k = 0.

Lemma class_sums_rep r :
  rep r == r -> v r != 0 -> \sum_(k | rep k == r) N k = 0.
Proof.
move=> r_rep vr_neq0.
pose P r := (rep r == r) && (v r != 0).
pose K0 := \sum_(r | (rep r == r) && ~~ (v r != 0))
  e 0 *: \sum_(k | rep k == r) N k.
have := @e_ci d I P v (fun r => \sum_(k | rep k == r) N k) K0.
move=> /(_ _ _ _ r) ->; rewrite /P //.
- by move=> k /andP [].
- move=> k k' /andP [/eqP k_rep _] /andP [/eqP k'_rep _] kk'.
  rewrite -negb_or; apply: contra kk' => /(@rep_same k k').
  by rewrite k_rep k'_rep => ->.
- move=> x; rewrite -[RHS](sumE x) group_sum [RHS](bigID (fun r => v r != 0)).
  rewrite /=.
  congr (_ + _); apply: eq_bigr => k /andP [_ /negbNE /eqP ->].
  congr (e _ *: _); rewrite /dot big1 // => i _.
  by rewrite mxE mul0r.
- by rewrite r_rep.
Qed.

(** Class sums: for v_k ≠ 0, Σ_{v_k' = ±v_k} N_k' = 0. *)
Lemma class_sums k : v k != 0 -> \sum_(k' | same k k') N k' = 0.
Proof.
move=> vk_neq0; rewrite -(eq_bigl _ _ (rep_eq k)).
apply: class_sums_rep; first by rewrite rep_idem.
have /orP [/eqP -> | /eqP ->] := same_rep k => //.
by rewrite oppr_eq0.
Qed.

End Classes.
