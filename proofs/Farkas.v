(** * Exact non-existence certificate (BLUEPRINT §8, "Certificates"), for a
    general skip A and scale c, in the form `montecarlo/certificate.py`
    evaluates: φ(Y) = ⟨Y, A⟩ / c + Σ_i min(0, a_iᵀ Y b_i). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs GramHadamard.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Farkas.
Variable R : realFieldType.

(** y_i = a_iᵀ Y b_i with a_i = W_down[:, i] and b_i = W_up[i, :]ᵀ. *)
Definition ycert d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (Y : 'M[R]_d)
    (i : 'I_n) : R :=
  \sum_r \sum_t Wd r i * Y r t * Wu i t.

(** φ(Y) = ⟨Y, A⟩_F / c + Σ_i min(0, y_i) (certificate.py, verify_certificate:
    `_skip_inner(y_int, skip) / c + Σ_{y_i < 0} y_i`). *)
Definition phi d n (c : R) (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (Y : 'M[R]_d) : R :=
  frob Y A / c + \sum_i Num.min 0 (ycert Wd Wu Y i).

(** The blueprint's A = I, c = 1 form: φ(Y) = tr Y + Σ_i min(0, y_i). *)
Definition phi_id d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (Y : 'M[R]_d)
    : R :=
  \tr Y + \sum_i Num.min 0 (ycert Wd Wu Y i).

Definition in_box n (s : 'cV[R]_n) := forall i, 0 <= s i 0 <= 1.

Lemma frob_Y_rank1 d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) Y i :
  frob Y (rank1 Wd Wu i) = ycert Wd Wu Y i.
Proof.
apply: eq_bigr => r _; apply: eq_bigr => t _.
by rewrite rank1E mulrCA mulrA.
Qed.

Lemma frob_Y_1 d (Y : 'M[R]_d) : frob Y 1%:M = \tr Y.
Proof.
rewrite /frob /mxtrace; apply: eq_bigr => r _.
rewrite (bigD1 r) //= big1 ?addr0 => [|t /negbTE t_neq_r].
  by rewrite mxE eqxx mulr1.
by rewrite mxE eq_sym t_neq_r mulr0.
Qed.

Lemma min0_le (s y : R) : 0 <= s <= 1 -> Num.min 0 y <= s * y.
Proof.
case/andP => s_ge0 s_le1; case: (lerP 0 y) => y_sign.
  by rewrite mulr_ge0.
by have := ler_wnmul2r (ltW y_sign) s_le1; rewrite /= mul1r.
Qed.

Lemma indicator_box n (S : {set 'I_n}) : in_box (indicator S).
Proof.
by move=> i; rewrite mxE; case: (i \in S); rewrite ?lexx ?ler01.
Qed.

(** The pairing step: ⟨Y, Σ s_i a_i b_iᵀ⟩ = Σ s_i y_i. *)
Lemma frob_sum_ycert d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (Y : 'M[R]_d) (s : 'cV[R]_n) :
  frob Y (\sum_i s i 0 *: rank1 Wd Wu i) = \sum_i s i 0 * ycert Wd Wu Y i.
Proof.
rewrite frob_sumr; apply: eq_bigr => i _.
by rewrite frobZr frob_Y_rank1.
Qed.

Lemma phi_le d n c (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (Y : 'M[R]_d) (s : 'cV[R]_n) :
  in_box s ->
  phi c A Wd Wu Y <= frob Y A / c + \sum_i s i 0 * ycert Wd Wu Y i.
Proof.
by move=> s_box; rewrite ler_add2l; apply: ler_sum => i _; exact: min0_le.
Qed.

(** farkas-certificate: for any skip A, scale c and Y with φ(Y) > 0, no
    s ∈ [0,1]^n satisfies Σ_i s_i a_i b_iᵀ = −A/c, and no index set S
    satisfies the index condition c · W_down D_S W_up = −A (c ≠ 0). *)
Theorem farkas_certificate d n (c : R) (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (Y : 'M[R]_d) :
  0 < phi c A Wd Wu Y ->
  (forall s : 'cV[R]_n, in_box s ->
     \sum_i s i 0 *: rank1 Wd Wu i <> - (c^-1 *: A))
  /\
  (forall S : {set 'I_n}, ~ index_condition c A Wd Wu S).
Proof.
move=> phi_gt0.
have no_box_solution s : in_box s ->
    \sum_i s i 0 *: rank1 Wd Wu i <> - (c^-1 *: A).
  move=> s_box sum_eq; have := phi_le c A Wd Wu Y s_box.
  rewrite -frob_sum_ycert sum_eq -scaleN1r !frobZr mulN1r.
  rewrite [c^-1 * _]mulrC addrN.
  by rewrite leNgt phi_gt0.
split=> // S /index_conditionP [_ IC].
by apply: (no_box_solution _ (indicator_box S)); rewrite -DS_rank1.
Qed.

(** The blueprint's form (A = I, c = 1): φ(Y) = tr Y + Σ_i min(0, y_i) > 0 ⇒
    no s ∈ [0,1]^n with Σ_i s_i a_i b_iᵀ = −I and no S with
    W_down D_S W_up = −I. *)
Corollary farkas_certificate_id d n (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (Y : 'M[R]_d) :
  0 < phi_id Wd Wu Y ->
  (forall s : 'cV[R]_n, in_box s ->
     \sum_i s i 0 *: rank1 Wd Wu i <> - 1%:M)
  /\
  (forall S : {set 'I_n}, ~ index_condition 1 1%:M Wd Wu S).
Proof.
have phiE : phi 1 1%:M Wd Wu Y = phi_id Wd Wu Y.
  by rewrite /phi /phi_id divr1 frob_Y_1.
rewrite -phiE => /farkas_certificate [no_box no_S].
by split=> // s /no_box; rewrite invr1 scale1r.
Qed.

End Farkas.
