(** * The determinant part of Prop 7.1 (Sinkhorn, BLUEPRINT §7): positive
    diagonal scalings preserve (non)singularity, for any number of
    Sinkhorn–Knopp iterations (each iterate is D₁ M D₂). *)
From mathcomp Require Import all_ssreflect all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Sinkhorn.
Variables (R : realFieldType) (n : nat).

Lemma det_scaling (r c : 'rV[R]_n) (M : 'M[R]_n) :
  \det (diag_mx r *m M *m diag_mx c)
  = (\prod_i r 0 i) * \det M * \prod_i c 0 i.
Proof. by rewrite !det_mulmx !det_diag. Qed.

Lemma prod_pos_neq0 (r : 'rV[R]_n) :
  (forall i, 0 < r 0 i) -> \prod_i r 0 i != 0.
Proof.
by move=> r_gt0; rewrite prodf_seq_neq0; apply/allP => i _; exact: lt0r_neq0.
Qed.

(** sinkhorn-invertible (determinant part): for diagonal D₁ = diag r,
    D₂ = diag c with positive entries, det(D₁ M D₂) = det D₁ · det M · det D₂,
    and D₁ M D₂ is invertible iff M is. *)
Theorem sinkhorn_invertible (r c : 'rV[R]_n) (M : 'M[R]_n) :
  (forall i, 0 < r 0 i) -> (forall i, 0 < c 0 i) ->
  \det (diag_mx r *m M *m diag_mx c)
    = \det (diag_mx r) * \det M * \det (diag_mx c)
  /\
  (diag_mx r *m M *m diag_mx c \in unitmx <-> M \in unitmx).
Proof.
move=> r_gt0 c_gt0; split; first by rewrite !det_mulmx.
rewrite !unitmxE !unitfE det_scaling !mulf_eq0 !negb_or.
by rewrite !prod_pos_neq0 // andbT; split=> [/andP [] | ->].
Qed.

End Sinkhorn.
