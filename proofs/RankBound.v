(** * |S| ≥ rank A (BLUEPRINT §5, "Rank"). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section RankBound.
Variable R : fieldType.

(** W D_S U factors through R^{|S|}: W D_S U = W[:,S] U[S,:]. *)
Lemma DS_factor d n p (S : {set 'I_n}) (W : 'M[R]_(d, n)) (U : 'M[R]_(n, p)) :
  W *m DS R S *m U =
  (\matrix_(r < d, k < #|S|) W r (enum_val k)) *m (\matrix_(k < #|S|, s < p) U (enum_val k) s).
Proof.
apply/matrixP => r s; rewrite /DS mul_mx_diag !mxE.
under eq_bigr do rewrite !mxE.
under [RHS]eq_bigr do rewrite !mxE.
rewrite -(big_enum_val (fun j => W r j * U j s)).
rewrite [RHS]big_mkcond /=; apply: eq_bigr => j _.
by case: (j \in S); rewrite ?mulr1 ?mulr0 ?mul0r.
Qed.

(** rank-bound: if c ≠ 0 and W_down D_S W_up = −A/c then rank A ≤ |S|. *)
Theorem rank_bound (c : R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  c != 0 -> index_condition c A Wd Wu S -> (\rank A <= #|S|)%N.
Proof.
move=> c0 h.
have -> : A = (- c) *: (Wd *m DS R S *m Wu).
  by rewrite h scalerN scaleNr opprK scalerA mulfV // scale1r.
rewrite mxrank_scale_nz ?oppr_eq0 // DS_factor.
exact: leq_trans (mxrankM_maxr _ _) (rank_leq_row _).
Qed.

(** In particular |S| ≥ d when A is invertible (so n ≥ d is necessary). *)
Corollary rank_bound_unit (c : R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  c != 0 -> A \in unitmx -> index_condition c A Wd Wu S -> (d <= #|S|)%N.
Proof. by move=> c0 hA h; rewrite -(mxrank_unit hA); exact: rank_bound h. Qed.

End RankBound.
