(** * Exact non-existence certificate (BLUEPRINT §8, "Certificates"). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs GramHadamard.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Farkas.
Variable R : realFieldType.

(** y_i = a_iᵀ Y b_i and φ(Y) = tr Y + Σ_i min(0, y_i). *)
Definition ycert d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (Y : 'M[R]_d) (i : 'I_n) : R :=
  \sum_r \sum_t Wd r i * Y r t * Wu i t.

Definition phi d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (Y : 'M[R]_d) : R :=
  \tr Y + \sum_i Num.min 0 (ycert Wd Wu Y i).

Lemma frob_Y_rank1 d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) Y i :
  frob Y (rank1 Wd Wu i) = ycert Wd Wu Y i.
Proof.
apply: eq_bigr => r _; apply: eq_bigr => t _.
by rewrite rank1E mulrCA mulrA.
Qed.

Lemma frob_Y_1 d (Y : 'M[R]_d) : frob Y 1%:M = \tr Y.
Proof.
rewrite /frob /mxtrace; apply: eq_bigr => r _.
rewrite (bigD1 r) //= big1 ?addr0 => [|s /negbTE hs].
  by rewrite mxE eqxx mulr1.
by rewrite mxE eq_sym hs ?mulr0n ?mulr0.
Qed.

Lemma min0_le (s y : R) : 0 <= s <= 1 -> Num.min 0 y <= s * y.
Proof.
case/andP => s0 s1; case: (lerP 0 y) => hy.
- by rewrite mulr_ge0.
- by have := ler_wnmul2r (ltW hy) s1; rewrite /= mul1r.
Qed.

(** farkas-certificate: if φ(Y) > 0 then no s ∈ [0,1]^n satisfies
    Σ_i s_i a_i b_iᵀ = −I; hence (s = 1_S) no index set S satisfies the index condition
    W_down D_S W_up = −I (A = I, c = 1). *)
Theorem farkas_certificate d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (Y : 'M[R]_d) :
  0 < phi Wd Wu Y ->
  (forall s : 'cV[R]_n, (forall i, 0 <= s i 0 <= 1) ->
     \sum_i s i 0 *: rank1 Wd Wu i <> - 1%:M)
  /\
  (forall S : {set 'I_n}, ~ index_condition 1 1%:M Wd Wu S).
Proof.
move=> hphi.
have main : forall s : 'cV[R]_n, (forall i, 0 <= s i 0 <= 1) ->
    \sum_i s i 0 *: rank1 Wd Wu i <> - 1%:M.
  move=> s hs e.
  have h : \sum_i s i 0 * ycert Wd Wu Y i = - \tr Y.
    have := congr1 (frob Y) e; rewrite frob_sumr -scaleN1r frobZr frob_Y_1 mulN1r => <-.
    by apply: eq_bigr => i _; rewrite frobZr frob_Y_rank1.
  have : phi Wd Wu Y <= \tr Y + \sum_i s i 0 * ycert Wd Wu Y i.
    by rewrite /phi ler_add2l; apply: ler_sum => i _; exact: min0_le.
  by rewrite h subrr => /(lt_le_trans hphi); rewrite ltxx.
split=> // S; rewrite /index_condition scale1r => -[_ e].
apply: (main (\col_i (if i \in S then 1 else 0))).
  by move=> i; rewrite mxE; case: (i \in S); rewrite ?lexx ?ler01.
rewrite -e; apply/matrixP => r t; rewrite summxE /DS mul_mx_diag !mxE.
apply: eq_bigr => i _; rewrite [in LHS]mxE rank1E !mxE.
by case: (i \in S); rewrite ?mulr1 ?mul1r ?mulr0 ?mul0r.
Qed.

End Farkas.
