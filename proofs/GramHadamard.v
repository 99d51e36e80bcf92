(** * The Gram/Hadamard identity and the residual identity (BLUEPRINT Lemma 8.1). *)
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

(** The rank-one matrix a_i b_iᵀ of neuron i: a_i = W_down[:, i], b_i = W_up[i, :]ᵀ. *)
Definition rank1 d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (i : 'I_n) : 'M[R]_d :=
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
rewrite /frob -big_split; apply: eq_bigr => r _; rewrite -big_split; apply: eq_bigr => s _.
by rewrite mxE mulrDl.
Qed.

Lemma frobC p q (X Y : 'M[R]_(p, q)) : frob X Y = frob Y X.
Proof. by apply: eq_bigr => r _; apply: eq_bigr => s _; rewrite mulrC. Qed.

Lemma frobZl p q a (X Y : 'M[R]_(p, q)) : frob (a *: X) Y = a * frob X Y.
Proof.
rewrite /frob mulr_sumr; apply: eq_bigr => r _; rewrite mulr_sumr; apply: eq_bigr => s _.
by rewrite mxE mulrA.
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

(** gram-hadamard (Lemma 8.1): ⟨a_i b_iᵀ, a_j b_jᵀ⟩ = (a_i·a_j)(b_i·b_j), i.e. the Gram
    matrix of the vec(a_i b_iᵀ) is G = (W_downᵀ W_down) ∘ (W_up W_upᵀ); and, with
    q_i = a_iᵀ b_i, for every s ∈ R^n:
    ‖Σ_i s_i a_i b_iᵀ + I‖_F² = sᵀ G s + 2 qᵀ s + d. *)
Theorem gram_hadamard d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) :
  (forall i j, frob (rank1 Wd Wu i) (rank1 Wd Wu j) = gram Wd Wu i j)
  /\
  (forall s : 'cV[R]_n,
     let X := \sum_i s i 0 *: rank1 Wd Wu i + 1%:M in
     frob X X = (\sum_i \sum_j s i 0 * gram Wd Wu i j * s j 0)
                + 2%:R * (\sum_i qvec Wd Wu i 0 * s i 0) + d%:R).
Proof.
split=> [i j|s]; first by rewrite /gram [RHS]mxE frob_rank1.
rewrite /= frobDl !frobDr frob11 addrA; congr (_ + _).
rewrite frob_suml frob_sumr -addrA; congr (_ + _).
  apply: eq_bigr => i _; rewrite frobZl frob_sumr mulr_sumr; apply: eq_bigr => j _.
  by rewrite frobZr frob_rank1 /gram [in RHS]mxE mulrCA [RHS]mulrC.
rewrite frob_suml mulr2n mulrDl mul1r; congr (_ + _); apply: eq_bigr => i _.
  by rewrite frobZl frob_rank1_1 mulrC.
by rewrite frobZr frobC frob_rank1_1 mulrC.
Qed.

End Gram.
