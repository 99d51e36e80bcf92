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
  W *m DS S *m U =
  (\matrix_(r < d, k < #|S|) W r (enum_val k)) *m
  (\matrix_(k < #|S|, s < p) U (enum_val k) s).
Proof.
apply/matrixP => r s; rewrite /DS mul_mx_diag !mxE.
under eq_bigr do rewrite !mxE.
under [RHS]eq_bigr do rewrite !mxE.
rewrite -(big_enum_val (fun j => W r j * U j s)).
rewrite [RHS]big_mkcond /=; apply: eq_bigr => j _.
by case: (j \in S); rewrite ?mulr1 ?mulr0 ?mul0r.
Qed.

(** rank-bound: (IC_c) (c ≠ 0 and c W_down D_S W_up = −A) ⇒ rank A ≤ |S|. *)
Theorem rank_bound (c : R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  index_condition c A Wd Wu S -> (\rank A <= #|S|)%N.
Proof.
move=> [c_neq0 IC]; rewrite -[A]opprK -IC -scaleNr.
rewrite mxrank_scale_nz ?oppr_eq0 // DS_factor.
exact: leq_trans (mxrankM_maxr _ _) (rank_leq_row _).
Qed.

(** In particular |S| ≥ d when A is invertible (so n ≥ d is necessary). *)
Corollary rank_bound_unit (c : R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  A \in unitmx -> index_condition c A Wd Wu S -> (d <= #|S|)%N.
Proof.
by move=> A_unit IC; rewrite -(mxrank_unit A_unit); exact: rank_bound IC.
Qed.

End RankBound.
