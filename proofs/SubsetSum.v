(** * The SUBSET-SUM reduction behind `np-complete` (BLUEPRINT §8,
    "Complexity"), at d = 1.

    An instance (w_1, …, w_n; T) with T ≠ 0 is mapped to the d = 1 block
    with skip A = 1, c = 1, b_i ≠ 0 arbitrary (the blueprint takes distinct
    b_i > 0) and a_i = −w_i / (T b_i).  Only the correctness of the reduction
    is proved here: Σ_{i∈S} w_i = T iff S satisfies the index condition.
    Membership in NP and the hardness argument itself are prose. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Section SubsetSum.
Variable R : fieldType.
Variables (n : nat) (w b : 'I_n -> R) (T : R).

(** W_up = (b_i)_i and W_down = (−w_i / (T b_i))_i. *)
Definition ss_up : 'M[R]_(n, 1) := \col_i b i.
Definition ss_down : 'M[R]_(1, n) := \row_i (- w i / (T * b i)).

Hypotheses (T_neq0 : T != 0) (b_neq0 : forall i, b i != 0).

Lemma ss_entry (S : {set 'I_n}) :
  (ss_down *m DS S *m ss_up) 0 0 = - (\sum_(i in S) w i) / T.
Proof.
rewrite /DS mul_mx_diag mxE mulNr mulr_suml -sumrN [RHS]big_mkcond /=.
apply: eq_bigr => i _; rewrite !mxE.
case: (i \in S); last by rewrite mulr0 mul0r.
by rewrite mulr1 invfM mulrA divfK ?b_neq0 // mulNr.
Qed.

(** np-complete (the reduction): Σ_{i∈S} w_i = T iff the d = 1 index
    condition 1 · W_down D_S W_up = −1 holds. *)
Theorem subset_sum_reduction (S : {set 'I_n}) :
  \sum_(i in S) w i = T <-> index_condition 1 1%:M ss_down ss_up S.
Proof.
rewrite index_conditionP invr1 scale1r; split=> [sum_eq | [_ IC]].
  split; first exact: oner_neq0.
  apply/matrixP => i j; rewrite !ord1 ss_entry sum_eq mulNr divff //.
  by rewrite !mxE.
have := congr1 (fun M : 'M[R]_1 => M 0 0) IC.
rewrite /= ss_entry !mxE /= mulNr => /oppr_inj.
exact: divr1_eq.
Qed.

End SubsetSum.
