(** * Even activations are never absorbable (BLUEPRINT Prop 3.2). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Parity.
Variable R : numFieldType.

Lemma map_even (sigma : R -> R) p q (U : 'M[R]_(p, q)) (x : 'cV[R]_q) :
  (forall z, sigma (- z) = sigma z) -> map_mx sigma (U *m - x) = map_mx sigma (U *m x).
Proof.
move=> he; rewrite mulmxN; apply/matrixP => i j; rewrite !mxE; exact: he.
Qed.

(** parity: σ even, f(x) = A x + W_down σ(W_up x) equal to a residual-free block
    V σ(U x) of any width m for all x  ⇒  A = 0. *)
Theorem parity_obstruction (sigma : R -> R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) :
  (forall z, sigma (- z) = sigma z) ->
  (forall x, block sigma A Wd Wu x = rf_block sigma V U x) ->
  A = 0.
Proof.
move=> he h; apply: mx_ext0 => x.
have h1 := h x; have h2 := h (- x).
move: h2; rewrite /block /rf_block !map_even // -/(rf_block sigma V U x) -h1 /block.
move/addIr; rewrite mulmxN => /eqP; rewrite eq_sym -subr_eq0 opprK -mulr2n -scaler_nat.
by rewrite scaler_eq0 pnatr_eq0 /= => /eqP.
Qed.

(** Corollary in the language of D2: an even σ gives no absorbable block with A ≠ 0. *)
Corollary parity_not_absorbable (sigma : R -> R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) :
  (forall z, sigma (- z) = sigma z) -> absorbable sigma A Wd Wu m -> A = 0.
Proof. by move=> he [V [U h]]; exact: parity_obstruction he h. Qed.

End Parity.
