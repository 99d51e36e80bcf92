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
  (forall z, sigma (- z) = sigma z) ->
  map_mx sigma (U *m - x) = map_mx sigma (U *m x).
Proof.
by move=> sigma_even; rewrite mulmxN; apply/matrixP => i j; rewrite !mxE.
Qed.

(** parity: σ even, f(x) = A x + W_down σ(W_up x) equal to a residual-free block
    V σ(U x) of any width m for all x  ⇒  A = 0. *)
Theorem parity_obstruction (sigma : R -> R) d n m (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (V : 'M[R]_(d, m))
    (U : 'M[R]_(m, d)) :
  (forall z, sigma (- z) = sigma z) ->
  (forall x, block sigma A Wd Wu x = rf_block sigma V U x) ->
  A = 0.
Proof.
move=> sigma_even FG_eq; apply: mx_ext0 => x.
have FG_x := FG_eq x; have FG_Nx := FG_eq (- x).
move: FG_Nx; rewrite /block /rf_block !map_even //.
rewrite -/(rf_block sigma V U x) -FG_x /block.
move/addIr; rewrite mulmxN => /eqP.
rewrite eq_sym -subr_eq0 opprK -mulr2n -scaler_nat.
by rewrite scaler_eq0 pnatr_eq0 /= => /eqP.
Qed.

(** Corollary in the language of D2: an even σ gives no absorbable block
    with A ≠ 0. *)
Corollary parity_not_absorbable (sigma : R -> R) d n m (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) :
  (forall z, sigma (- z) = sigma z) -> absorbable sigma A Wd Wu m -> A = 0.
Proof.
by move=> sigma_even [V [U FG_eq]]; exact: parity_obstruction sigma_even FG_eq.
Qed.

End Parity.
