(** * Degree obstruction at depth 1 (BLUEPRINT Thm 2), over Coq's reals. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.analysis Require Import Rstruct.
Require Import Reals Lra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.
Delimit Scope R_scope with coq_R.

(** 2^k = 2 only for k = 1 (real k). *)
Lemma Rpower2_neq2 (k : R) : k <> 1%coq_R -> Rpower 2 k <> 2%coq_R.
Proof.
move=> k_neq1; have two_gt1 : (1 < 2)%coq_R by lra.
have pow21 : Rpower 2 1 = 2%coq_R by apply: Rpower_1; lra.
case: (total_order_T k 1) => [[k_lt1|k_eq1]|k_gt1].
- have := Rpower_lt _ _ _ two_gt1 k_lt1; rewrite pow21 => pow_lt pow_eq.
  by rewrite pow_eq in pow_lt; lra.
- by [].
- have := Rpower_lt _ _ _ two_gt1 k_gt1; rewrite pow21 => pow_lt pow_eq.
  by rewrite pow_eq in pow_lt; lra.
Qed.

Lemma two_natE : (2%:R : R) = 2%coq_R.
Proof. by rewrite mulr2n. Qed.

Section Degree.
Variables (d n m : nat).

(** Theorem 2 (degree obstruction).  N : R^d → R^n and M : R^d → R^m
    positively homogeneous of the same degree k ≠ 1 (any real k;
    t^k = Rpower t k, only t > 0 is required).  If A x + W N(x) = V M(x) for
    all x, then A = 0.  Only the identity at x and 2x, and homogeneity at
    t = 2, are used, and the statement below assumes no more than that:
    N(2x) = 2^k N(x) and M(2x) = 2^k M(x). *)
Theorem degree_obstruction (k : R) (N : 'cV[R]_d -> 'cV[R]_n)
    (M : 'cV[R]_d -> 'cV[R]_m) (A : 'M[R]_d) (W : 'M[R]_(d, n))
    (V : 'M[R]_(d, m)) :
  k <> 1%coq_R ->
  (forall x, N (2%coq_R *: x) = Rpower 2 k *: N x) ->
  (forall x, M (2%coq_R *: x) = Rpower 2 k *: M x) ->
  (forall x, A *m x + W *m N x = V *m M x) ->
  A = 0.
Proof.
move=> k_neq1 N_homog M_homog FG_eq; apply: mx_ext0 => x.
have := FG_eq (2%coq_R *: x).
rewrite N_homog M_homog -!scalemxAr -FG_eq scalerDr.
move/addIr => /eqP; rewrite -subr_eq0 -scalerBl scaler_eq0 subr_eq0.
by case/orP => /eqP // /esym; have := Rpower2_neq2 k_neq1.
Qed.

(** Ungated instance: σ(t z) = t^k σ(z) for all t > 0, z, with k ≠ 1; any
    width m of the residual-free comparator (same σ). *)
Corollary degree_obstruction_ungated (k : R) (sigma : R -> R) (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (V : 'M[R]_(d, m))
    (U : 'M[R]_(m, d)) :
  k <> 1%coq_R ->
  (forall t z, (0 < t)%coq_R -> sigma (t * z) = Rpower t k * sigma z) ->
  (forall x, block sigma A Wd Wu x = rf_block sigma V U x) ->
  A = 0.
Proof.
move=> k_neq1 sigma_homog FG_eq.
apply: (@degree_obstruction k (fun x => map_mx sigma (Wu *m x))
          (fun x => map_mx sigma (U *m x)) A Wd V k_neq1) => // x.
  by apply/matrixP => i j; rewrite -scalemxAr !mxE -sigma_homog //; lra.
by apply/matrixP => i j; rewrite -scalemxAr !mxE -sigma_homog //; lra.
Qed.

(** Gated instance: γ(t z) = t^k γ(z) for t > 0 with k ≠ 0, so the hidden
    map γ(Px) ⊙ (Qx) is homogeneous of degree k + 1 ≠ 1 (ReGLU and bilinear
    GLU: k = 1, hidden degree 2); comparator of any width m with the same
    gate. *)
Corollary degree_obstruction_gated (k : R) (gamma : R -> R) (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (P Q : 'M[R]_(n, d)) (V : 'M[R]_(d, m))
    (P' Q' : 'M[R]_(m, d)) :
  k <> 0%coq_R ->
  (forall t z, (0 < t)%coq_R -> gamma (t * z) = Rpower t k * gamma z) ->
  (forall x, gated_block gamma A Wd P Q x = gated_rf_block gamma V P' Q' x) ->
  A = 0.
Proof.
move=> k_neq0 gamma_homog FG_eq.
have k1_neq1 : (k + 1)%coq_R <> 1%coq_R by move=> k1_eq1; apply: k_neq0; lra.
have hidden_homog p (P1 Q1 : 'M[R]_(p, d)) t x : (0 < t)%coq_R ->
    gated_hidden gamma P1 Q1 (t *: x)
    = Rpower t (k + 1) *: gated_hidden gamma P1 Q1 x.
  move=> t_gt0; apply/matrixP => i j.
  rewrite /gated_hidden -!scalemxAr !mxE gamma_homog //.
  rewrite Rpower_plus RmultE Rpower_1 // -!mulrA.
  by congr (_ * _); rewrite mulrCA.
have two_gt0 : (0 < 2)%coq_R by lra.
exact: (@degree_obstruction (k + 1) (gated_hidden gamma P Q)
          (gated_hidden gamma P' Q') A Wd V k1_neq1
          (fun x => hidden_homog _ _ _ 2 x two_gt0)
          (fun x => hidden_homog _ _ _ 2 x two_gt0) FG_eq).
Qed.

End Degree.

(** degree (Thm 2) as one statement: (i) the abstract form for arbitrary
    hidden maps N, M with N(2x) = 2^k N(x), M(2x) = 2^k M(x) for a real
    k ≠ 1 (in particular any positively homogeneous maps of degree k);
    (ii) its ungated instance (σ positively homogeneous of degree k ≠ 1);
    (iii) its gated instance (γ positively homogeneous of degree k ≠ 0, so
    the hidden map has degree k + 1 ≠ 1).  Comparator width m arbitrary. *)
Theorem degree_obstruction_all :
  (forall d n m (k : R) (N : 'cV[R]_d -> 'cV[R]_n)
          (M : 'cV[R]_d -> 'cV[R]_m) (A : 'M[R]_d) (W : 'M[R]_(d, n))
          (V : 'M[R]_(d, m)),
     k <> 1%coq_R ->
     (forall x, N (2%coq_R *: x) = Rpower 2 k *: N x) ->
     (forall x, M (2%coq_R *: x) = Rpower 2 k *: M x) ->
     (forall x, A *m x + W *m N x = V *m M x) -> A = 0)
  /\
  (forall d n m (k : R) (sigma : R -> R) (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
          (Wu : 'M[R]_(n, d)) (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)),
     k <> 1%coq_R ->
     (forall t z, (0 < t)%coq_R -> sigma (t * z) = Rpower t k * sigma z) ->
     (forall x, block sigma A Wd Wu x = rf_block sigma V U x) -> A = 0)
  /\
  (forall d n m (k : R) (gamma : R -> R) (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
          (P Q : 'M[R]_(n, d)) (V : 'M[R]_(d, m)) (P' Q' : 'M[R]_(m, d)),
     k <> 0%coq_R ->
     (forall t z, (0 < t)%coq_R -> gamma (t * z) = Rpower t k * gamma z) ->
     (forall x, gated_block gamma A Wd P Q x
                = gated_rf_block gamma V P' Q' x) -> A = 0).
Proof.
split; first exact: @degree_obstruction.
by split; [exact: @degree_obstruction_ungated
          | exact: @degree_obstruction_gated].
Qed.
