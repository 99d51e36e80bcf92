(** * Biased blocks (BLUEPRINT §6.8, D1b) and the biased sign flip
    (Prop. 6.8a).

    f(x) = A x + W_down σ(W_up x + β) + δ and its comparator
    g(x) = V σ(U x + β') + δ' of width m (biases β' and output bias δ'
    free).  a_i = col i W_down, b_i = (row i W_up)ᵀ, β_i = β i 0; the
    homogenized row b̃_i = (b_i, β_i) is row i of [W_up | β].  Kept apart
    from Defs.v so that the bias-free definitions stay as they are. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs SignFlip OddEven.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section BiasDefs.
Variable R : ringType.

(** D1b: biased residual block f(x) = A x + W_down σ(W_up x + β) + δ. *)
Definition bblock {d n} (sigma : R -> R) (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n) (delta : 'cV[R]_d) (x : 'cV[R]_d) :
  'cV[R]_d := A *m x + Wd *m map_mx sigma (Wu *m x + bu) + delta.

(** D1b: biased residual-free comparator g(x) = V σ(U x + β') + δ'. *)
Definition brf_block {d m} (sigma : R -> R) (V : 'M[R]_(d, m))
    (U : 'M[R]_(m, d)) (bu : 'cV[R]_m) (delta : 'cV[R]_d) (x : 'cV[R]_d) :
  'cV[R]_d := V *m map_mx sigma (U *m x + bu) + delta.

(** Absorbability at width m, biases and output bias of g free. *)
Definition babsorbable {d n} (sigma : R -> R) (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n)
    (delta : 'cV[R]_d) (m : nat) : Prop :=
  exists (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) (bu' : 'cV[R]_m)
    (delta' : 'cV[R]_d),
    forall x,
      bblock sigma A Wd Wu bu delta x = brf_block sigma V U bu' delta' x.

(** (G-line-b): the homogenized rows b̃_i = (b_i, β_i), i.e. the rows of
    [W_up | β], are pairwise linearly independent (the kink hyperplanes
    H_i = {b_iᵀx + β_i = 0} are pairwise distinct).  (G0b) is (G0):
    a_i ≠ 0 and b_i ≠ 0. *)
Definition Glineb {d n} (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n) :=
  Gline (row_mx Wu bu).

(** (G-class-b): b̃_i ≠ ±b̃_j for i ≠ j. *)
Definition Gclassb {d n} (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n) :=
  Gclass (row_mx Wu bu).

End BiasDefs.

Section BiasSums.
Variable R : comRingType.

(** W h(M x + β) = Σ_i h(b_iᵀx + β_i) a_i. *)
Lemma mulmx_map_biasE d k (W : 'M[R]_(d, k)) (M : 'M[R]_(k, d))
    (bu : 'cV[R]_k) (h : R -> R) x :
  W *m map_mx h (M *m x + bu) =
  \sum_i h (dot (row i M)^T x + bu i 0) *: col i W.
Proof.
apply/matrixP => r s; rewrite [s]ord1 !mxE summxE; apply: eq_bigr => i _.
rewrite [in RHS]mxE [col _ _ _ _]mxE [map_mx _ _ _ _]mxE mxE dot_rowE.
exact: mulrC.
Qed.

(** W D_S β = Σ_{i∈S} β_i a_i: the output-bias correction of 6.8a. *)
Lemma DS_biasE d k (W : 'M[R]_(d, k)) (S : {set 'I_k}) (bu : 'cV[R]_k) :
  W *m DS S *m bu = \sum_(i in S) bu i 0 *: col i W.
Proof.
rewrite -mulmxA /DS mul_diag_mx; apply/matrixP => r s; rewrite [s]ord1.
rewrite mxE summxE [RHS]big_mkcond; apply: eq_bigr => i _; rewrite !mxE.
by case: (i \in S); rewrite ?mul1r ?mul0r ?mulr0 // mulrC.
Qed.

End BiasSums.

Section SignFlipBias.
Variable R : fieldType.

(** sign-flip-bias (Prop. 6.8a).  If σ(z) − σ(−z) = c z for all z and
    (IC_c) holds for S (c ≠ 0, c W_down D_S W_up = −A), then g with
    V = W_down, U = (I − 2D_S) W_up, β' = (I − 2D_S) β (i.e.
    (u_i, β'_i) = −(b_i, β_i) on S, unchanged off S) and output bias
    δ' = δ + c W_down D_S β = δ + c Σ_{i∈S} β_i a_i equals f everywhere.
    Any σ of the odd-linear class (σ(0) ≠ 0 allowed), any d, n, A. *)
Theorem sign_flip_bias (sigma : R -> R) (c : R) d n (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n)
    (delta : 'cV[R]_d) (S : {set 'I_n}) :
  (forall z, sigma z - sigma (- z) = c * z) ->
  index_condition c A Wd Wu S ->
  forall x, bblock sigma A Wd Wu bu delta x =
    brf_block sigma Wd (flip S *m Wu) (flip S *m bu)
      (delta + c *: (Wd *m DS S *m bu)) x.
Proof.
move=> odd_lin [_ IC] x; rewrite /brf_block /bblock -mulmxA -mulmxDr.
rewrite (flip_map _ _ odd_lin) mulmxBr -scalemxAr !mulmxDr scalerDr.
rewrite !mulmxA scalemxAl IC mulNmx opprD opprK addrACA subrK.
by rewrite [in RHS]addrC addrA.
Qed.

(** The correction in the blueprint's form: δ' − δ = c Σ_{i∈S} a_i β_i. *)
Lemma sign_flip_bias_delta (c : R) d n (Wd : 'M[R]_(d, n))
    (bu : 'cV[R]_n) (S : {set 'I_n}) :
  c *: (Wd *m DS S *m bu) = c *: \sum_(i in S) bu i 0 *: col i Wd.
Proof. by rewrite DS_biasE. Qed.

End SignFlipBias.
