(** * The Gram/Hadamard identity and the residual identity (BLUEPRINT
    Lemma 8.1). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Gram.
Variable R : comRingType.

(** Frobenius inner product ⟨X, Y⟩ = Σ_{r,s} X_rs Y_rs. *)
Definition frob p q (X Y : 'M[R]_(p, q)) : R := \sum_r \sum_s X r s * Y r s.

(** The rank-one matrix a_i b_iᵀ of neuron i: a_i = W_down[:, i],
    b_i = W_up[i, :]ᵀ. *)
Definition rank1 d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (i : 'I_n)
    : 'M[R]_d :=
  col i Wd *m row i Wu.

Lemma rank1E d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) i r t :
  rank1 Wd Wu i r t = Wd r i * Wu i t.
Proof. by rewrite /rank1 mxE big_ord1 !mxE. Qed.

(** G = (W_downᵀ W_down) ∘ (W_up W_upᵀ) and q_i = a_iᵀ b_i. *)
Definition gram d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) : 'M[R]_n :=
  \matrix_(i, j) ((Wd^T *m Wd) i j * (Wu *m Wu^T) i j).
Definition qvec d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) : 'cV[R]_n :=
  \col_i \sum_r Wd r i * Wu i r.

Lemma frobDl p q (X Y Z : 'M[R]_(p, q)) : frob (X + Y) Z = frob X Z + frob Y Z.
Proof.
rewrite /frob -big_split; apply: eq_bigr => r _.
by rewrite -big_split; apply: eq_bigr => s _; rewrite mxE mulrDl.
Qed.

Lemma frobC p q (X Y : 'M[R]_(p, q)) : frob X Y = frob Y X.
Proof. by apply: eq_bigr => r _; apply: eq_bigr => s _; rewrite mulrC. Qed.

Lemma frobZl p q a (X Y : 'M[R]_(p, q)) : frob (a *: X) Y = a * frob X Y.
Proof.
rewrite /frob mulr_sumr; apply: eq_bigr => r _.
by rewrite mulr_sumr; apply: eq_bigr => s _; rewrite mxE mulrA.
Qed.

Lemma frob_suml p q I (r0 : seq I) (P : pred I) (F : I -> 'M[R]_(p, q)) Y :
  frob (\sum_(i <- r0 | P i) F i) Y = \sum_(i <- r0 | P i) frob (F i) Y.
Proof.
rewrite /frob.
under eq_bigr => r _ do under eq_bigr => s _ do rewrite summxE mulr_suml.
under eq_bigr => r _ do rewrite exchange_big /=.
by rewrite exchange_big.
Qed.

Lemma frobDr p q (X Y Z : 'M[R]_(p, q)) : frob Z (X + Y) = frob Z X + frob Z Y.
Proof. by rewrite frobC frobDl !(frobC Z). Qed.

Lemma frob_sumr p q I (r0 : seq I) (P : pred I) (F : I -> 'M[R]_(p, q)) Y :
  frob Y (\sum_(i <- r0 | P i) F i) = \sum_(i <- r0 | P i) frob Y (F i).
Proof. by rewrite frobC frob_suml; apply: eq_bigr => i _; rewrite frobC. Qed.

Lemma frobZr p q a (X Y : 'M[R]_(p, q)) : frob Y (a *: X) = a * frob Y X.
Proof. by rewrite frobC frobZl frobC. Qed.

Lemma frob_rank1 d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) i j :
  frob (rank1 Wd Wu i) (rank1 Wd Wu j) = (Wd^T *m Wd) i j * (Wu *m Wu^T) i j.
Proof.
rewrite /frob !mxE mulr_suml; apply: eq_bigr => r _; rewrite mulr_sumr.
by apply: eq_bigr => s _; rewrite !rank1E !mxE mulrACA.
Qed.

Lemma frob_rank1_1 d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) i :
  frob (rank1 Wd Wu i) 1%:M = qvec Wd Wu i 0.
Proof.
rewrite /frob mxE; apply: eq_bigr => r _.
rewrite (bigD1 r) //= big1 ?addr0 => [|s /negbTE hs].
  by rewrite rank1E mxE eqxx mulr1.
by rewrite rank1E mxE eq_sym hs ?mulr0n ?mulr0.
Qed.

Lemma frob11 d : frob (1%:M : 'M[R]_d) 1%:M = d%:R.
Proof.
rewrite /frob -[d in RHS]card_ord -sumr_const; apply: eq_bigr => r _.
rewrite (bigD1 r) //= big1 ?addr0 => [|s /negbTE hs].
  by rewrite !mxE eqxx mulr1.
by rewrite !mxE eq_sym hs ?mulr0n ?mul0r.
Qed.

(** The indicator vector 1_S. *)
Definition indicator n (S : {set 'I_n}) : 'cV[R]_n :=
  \col_i (if i \in S then 1 else 0).

(** W_down D_S W_up = Σ_i (1_S)_i a_i b_iᵀ. *)
Lemma DS_rank1 d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (S : {set 'I_n}) :
  Wd *m DS S *m Wu = \sum_i indicator S i 0 *: rank1 Wd Wu i.
Proof.
apply/matrixP => r t; rewrite summxE /DS mul_mx_diag !mxE.
apply: eq_bigr => i _; rewrite [in RHS]mxE rank1E !mxE.
by case: (i \in S); rewrite ?mulr1 ?mul1r ?mulr0 ?mul0r.
Qed.

(** a_iᵀ V b_i: the linear term of the general identity. *)
Definition qskip d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (V : 'M[R]_d)
    (i : 'I_n) : R :=
  \sum_r \sum_t Wd r i * V r t * Wu i t.

Lemma frob_rank1_skip d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) V i :
  frob (rank1 Wd Wu i) V = qskip Wd Wu V i.
Proof.
apply: eq_bigr => r _; apply: eq_bigr => t _.
by rewrite rank1E mulrAC.
Qed.

Lemma qskip1 d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) i :
  qskip Wd Wu 1%:M i = qvec Wd Wu i 0.
Proof. by rewrite -frob_rank1_skip frob_rank1_1. Qed.

Lemma frob_sum_rank1 d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (s : 'cV[R]_n) :
  let X := \sum_i s i 0 *: rank1 Wd Wu i in
  frob X X = \sum_i \sum_j s i 0 * gram Wd Wu i j * s j 0.
Proof.
rewrite /= frob_suml; apply: eq_bigr => i _.
rewrite frobZl frob_sumr mulr_sumr; apply: eq_bigr => j _.
by rewrite frobZr frob_rank1 /gram [in RHS]mxE mulrCA [RHS]mulrC.
Qed.

(** gram-hadamard (Lemma 8.1, general skip): with a_i = W_down[:, i],
    b_i = W_up[i, :]ᵀ and any V (the code uses V = A/c),
    ⟨a_i b_iᵀ, a_j b_jᵀ⟩_F = G_ij = (W_downᵀ W_down)_ij (W_up W_upᵀ)_ij and,
    with q_i = a_iᵀ V b_i, for every s ∈ R^n:
    ‖Σ_i s_i a_i b_iᵀ + V‖_F² = sᵀ G s + 2 qᵀ s + ‖V‖_F². *)
Theorem gram_hadamard d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (V : 'M[R]_d) :
  (forall i j, frob (rank1 Wd Wu i) (rank1 Wd Wu j) = gram Wd Wu i j)
  /\
  (forall s : 'cV[R]_n,
     let X := \sum_i s i 0 *: rank1 Wd Wu i + V in
     frob X X = (\sum_i \sum_j s i 0 * gram Wd Wu i j * s j 0)
                + 2%:R * (\sum_i qskip Wd Wu V i * s i 0) + frob V V).
Proof.
split=> [i j|s]; first by rewrite /gram [RHS]mxE frob_rank1.
have qE : frob (\sum_i s i 0 *: rank1 Wd Wu i) V
    = \sum_i qskip Wd Wu V i * s i 0.
  rewrite frob_suml; apply: eq_bigr => i _.
  by rewrite frobZl frob_rank1_skip mulrC.
rewrite /= frobDl !frobDr frob_sum_rank1 (frobC V) qE -!addrA.
by rewrite mulr_natl mulr2n !addrA.
Qed.

(** The A = I, c = 1 form of Lemma 8.1 (q_i = a_iᵀ b_i, ‖I‖_F² = d). *)
Corollary gram_hadamard_id d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (s : 'cV[R]_n) :
  let X := \sum_i s i 0 *: rank1 Wd Wu i + 1%:M in
  frob X X = (\sum_i \sum_j s i 0 * gram Wd Wu i j * s j 0)
             + 2%:R * (\sum_i qvec Wd Wu i 0 * s i 0) + d%:R.
Proof.
have [_ /(_ s) /= ->] := gram_hadamard Wd Wu 1%:M.
rewrite frob11; congr (_ + _ * _ + _); apply: eq_bigr => i _.
by rewrite qskip1.
Qed.

End Gram.

Arguments indicator {R n} S.
