(** * Odd/even split of a block identity f = g (BLUEPRINT §6.1).

    For σ with σ(z) − σ(−z) = c z, an identity f = g between a residual
    block and a residual-free block splits into its odd part, the linear
    condition (L), and its even part, an identity between the even parts
    σ(z) + σ(−z) of the hidden maps.  Also: the matching lemma behind the
    counting step of Corollary 6.3, and the end game that turns a matching
    of neurons into an index set S. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Rows.
Variable R : comRingType.

(** The k-th hidden pre-activation is b_kᵀx with b_k = (row k W_up)ᵀ. *)
Lemma dot_rowE d k (M : 'M[R]_(k, d)) i (x : 'cV[R]_d) :
  dot (row i M)^T x = (M *m x) i 0.
Proof. by rewrite /dot mxE; apply: eq_bigr => j _; rewrite !mxE. Qed.

(** W h(M x) = Σ_i h(b_iᵀx) a_i with a_i = col i W. *)
Lemma mulmx_mapE d k (W : 'M[R]_(d, k)) (M : 'M[R]_(k, d)) (h : R -> R) x :
  W *m map_mx h (M *m x) = \sum_i h (dot (row i M)^T x) *: col i W.
Proof.
apply/matrixP => r s; rewrite [s]ord1 !mxE summxE; apply: eq_bigr => i _.
rewrite [in RHS]mxE [col _ _ _ _]mxE [map_mx _ _ _ _]mxE dot_rowE.
exact: mulrC.
Qed.

Lemma mulmx_sumE d k (W : 'M[R]_(d, k)) (M : 'M[R]_(k, d)) x :
  W *m (M *m x) = \sum_i dot (row i M)^T x *: col i W.
Proof. by have := mulmx_mapE W M id x; rewrite map_mx_id. Qed.

(** W D_S M x = Σ_{i∈S} (b_iᵀx) a_i. *)
Lemma DS_mulE d k (W : 'M[R]_(d, k)) (M : 'M[R]_(k, d)) (S : {set 'I_k}) x :
  W *m DS S *m M *m x = \sum_(i in S) dot (row i M)^T x *: col i W.
Proof.
rewrite -!mulmxA /DS mul_diag_mx; apply/matrixP => r s; rewrite [s]ord1.
rewrite mxE summxE [RHS]big_mkcond; apply: eq_bigr => i _; rewrite !mxE.
case: (i \in S); last by rewrite mul0r mulr0.
by rewrite mul1r mulrC dot_rowE mxE.
Qed.

End Rows.

Section Split.
Variables (R : comRingType) (sigma : R -> R) (c : R) (d n m : nat).
Variables (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).
Variables (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)).
Hypothesis odd_lin : forall z, sigma z - sigma (- z) = c * z.

Definition even_part (z : R) := sigma z + sigma (- z).

Lemma map_odd k (y : 'cV[R]_k) :
  map_mx sigma y - map_mx sigma (- y) = c *: y.
Proof. by apply/matrixP => i j; rewrite !mxE odd_lin. Qed.

Lemma map_even k (y : 'cV[R]_k) :
  map_mx sigma y + map_mx sigma (- y) = map_mx even_part y.
Proof. by apply/matrixP => i j; rewrite !mxE. Qed.

Lemma block_oddE x :
  block sigma A Wd Wu x - block sigma A Wd Wu (- x) =
  (A *m x) *+ 2 + c *: (Wd *m (Wu *m x)).
Proof.
rewrite /block !mulmxN opprD opprK addrACA -mulmxBr map_odd.
by rewrite -scalemxAr mulr2n.
Qed.

Lemma rf_oddE x :
  rf_block sigma V U x - rf_block sigma V U (- x) = c *: (V *m (U *m x)).
Proof. by rewrite /rf_block mulmxN -mulmxBr map_odd -scalemxAr. Qed.

Lemma block_evenE x :
  block sigma A Wd Wu x + block sigma A Wd Wu (- x) =
  Wd *m map_mx even_part (Wu *m x).
Proof.
rewrite /block !mulmxN addrACA subrr add0r -mulmxDr.
by rewrite map_even.
Qed.

Lemma rf_evenE x :
  rf_block sigma V U x + rf_block sigma V U (- x) =
  V *m map_mx even_part (U *m x).
Proof. by rewrite /rf_block mulmxN -mulmxDr map_even. Qed.

Hypothesis fg : forall x, block sigma A Wd Wu x = rf_block sigma V U x.

(** (L), applied to x: 2 A x + c W_down W_up x = c V U x. *)
Lemma absorb_odd (x : 'cV[R]_d) :
  (A *m x) *+ 2 + c *: (Wd *m (Wu *m x)) = c *: (V *m (U *m x)).
Proof. by rewrite -block_oddE -rf_oddE !fg. Qed.

(** The even parts agree. *)
Lemma absorb_even (x : 'cV[R]_d) :
  Wd *m map_mx even_part (Wu *m x) = V *m map_mx even_part (U *m x).
Proof. by rewrite -block_evenE -rf_evenE !fg. Qed.

End Split.

(** Counting (Corollary 6.3, step 2): if every neuron i of f is served by
    some neuron of g, no neuron of g serves two neurons of f, and g has at
    most as many neurons, then serving is a bijection. *)
Section Match.
Variables (n m : nat) (P : 'I_n -> 'I_m -> bool).
Hypothesis P_ex : forall i, exists j, P i j.
Hypothesis P_uniq : forall i i' j, P i j -> P i' j -> i = i'.
Hypothesis m_le_n : (m <= n)%N.

Lemma match_bij :
  exists phi : 'I_n -> 'I_m,
    [/\ bijective phi, forall i, P i (phi i)
      & forall i j, P i j -> j = phi i].
Proof.
have [phi phiP] := fin_all_exists P_ex.
have phi_inj : injective phi.
  by move=> i i' e; apply: (P_uniq (phiP i)); rewrite e.
have phi_bij : bijective phi by apply: inj_card_bij; rewrite ?card_ord.
exists phi; split=> // i j Pij; have [psi _ psiK] := phi_bij.
by have := phiP (psi j); rewrite psiK => /(P_uniq Pij) ->; rewrite psiK.
Qed.

End Match.

(** End game (Corollary 6.3, step 4): if g's neurons are f's neurons after a
    bijection, each either kept or sign-flipped on S (u_{φ i}ᵀx c_{φ i} =
    ±(b_iᵀx) a_i, minus on S), then (L) is exactly (IC_c) for S. *)
Section EndGame.
Variables (R : fieldType) (c : R) (d n m : nat).
Variables (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).
Variables (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)).
Variables (phi : 'I_n -> 'I_m) (S : {set 'I_n}).
Hypothesis c_neq0 : c != 0.
Hypothesis two_neq0 : 2%:R != 0 :> R.
Hypothesis phi_bij : bijective phi.
Hypothesis signs : forall i x,
  dot (row (phi i) U)^T x *: col (phi i) V =
  (if i \in S then -1 else 1) * dot (row i Wu)^T x *: col i Wd.
Hypothesis L : forall x : 'cV[R]_d,
  (A *m x) *+ 2 + c *: (Wd *m (Wu *m x)) = c *: (V *m (U *m x)).

Lemma endgame_VU (x : 'cV[R]_d) :
  V *m (U *m x) = Wd *m (Wu *m x) - (Wd *m DS S *m Wu *m x) *+ 2.
Proof.
rewrite !mulmx_sumE DS_mulE (reindex phi) /=; last exact: onW_bij.
under eq_bigr do rewrite signs.
rewrite (bigID (fun i => i \in S)) [in RHS](bigID (fun i => i \in S)) /=.
rewrite (eq_bigr (fun i => - (dot (row i Wu)^T x *: col i Wd))); last first.
  by move=> i ->; rewrite mulN1r scaleNr.
rewrite [X in _ + X = _](eq_bigr (fun i => dot (row i Wu)^T x *: col i Wd)).
  by rewrite sumrN mulr2n opprD addrACA subrr add0r addrC.
by move=> i /negbTE ->; rewrite mul1r.
Qed.

Lemma endgame_twice (x : 'cV[R]_d) :
  (A *m x) *+ 2 = - (c *: (Wd *m DS S *m Wu *m x *+ 2)).
Proof.
rewrite -[LHS](addrK (c *: (Wd *m (Wu *m x)))) L endgame_VU scalerBr.
by rewrite addrAC subrr add0r.
Qed.

Lemma endgame : index_condition c A Wd Wu S.
Proof.
split=> //; apply/eqP; rewrite -subr_eq0 opprK; apply/eqP/mx_ext0 => x.
rewrite mulmxDl -scalemxAl; apply: (scalerI two_neq0).
by rewrite scaler0 scalerDr !scaler_nat endgame_twice scalerMnr subrr.
Qed.

End EndGame.
