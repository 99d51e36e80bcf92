(** * Static Hyper-Connections (BLUEPRINT Corollary 1.1), the algebraic core.

    The state is x ∈ R^{n_s d}; the layer has skip A = H ⊗ I_d and neurons
    a'_i = β ⊗ a_i, b'_i = α ⊗ b_i, i.e. W_down' = (β ⊗ I_d) W_down and
    W_up' = W_up (αᵀ ⊗ I_d).  Then Σ_{i∈S} a'_i b'_iᵀ
    = (β ⊗ I_d)(Σ_{i∈S} a_i b_iᵀ)(αᵀ ⊗ I_d) has rank ≤ d, while A (and −A/c)
    has rank n_s d > d when H is invertible, n_s ≥ 2 and d ≥ 1; so no S
    satisfies the index condition.  The Kronecker product is written out on
    the index 'I_(m * n) of MathComp's `mxvec` (`kidx` inverts
    `mxvec_index`). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Section Kron.
Variable R : fieldType.

(** The pair (i, j) of an index k = mxvec_index i j of 'I_(m * n). *)
Definition kidx m n (k : 'I_(m * n)) : 'I_m * 'I_n :=
  enum_val (cast_ord (esym (mxvec_cast m n)) k).

Lemma kidxK m n (i : 'I_m) (j : 'I_n) : kidx (mxvec_index i j) = (i, j).
Proof. by rewrite /kidx /mxvec_index cast_ordK enum_rankK. Qed.

Lemma kidx_inj m n : injective (@kidx m n).
Proof. by move=> k l /enum_val_inj /cast_ord_inj. Qed.

Lemma sum_kidx m n (F : 'I_m * 'I_n -> R) :
  \sum_(k : 'I_(m * n)) F (kidx k) = \sum_i \sum_j F (i, j).
Proof.
rewrite (reindex _ (curry_mxvec_bij m n)) pair_big /=.
by apply: eq_bigr => -[i j] _ /=; rewrite kidxK.
Qed.

(** The Kronecker product A ⊗ B. *)
Definition kron m1 n1 m2 n2 (A : 'M[R]_(m1, n1)) (B : 'M[R]_(m2, n2))
    : 'M[R]_(m1 * m2, n1 * n2) :=
  \matrix_(k, l) (A (kidx k).1 (kidx l).1 * B (kidx k).2 (kidx l).2).

Lemma kron_mul m1 n1 p1 m2 n2 p2 (A : 'M[R]_(m1, n1)) (B : 'M[R]_(m2, n2))
    (C : 'M[R]_(n1, p1)) (D : 'M[R]_(n2, p2)) :
  kron A B *m kron C D = kron (A *m C) (B *m D).
Proof.
apply/matrixP => k l; rewrite !mxE.
under eq_bigr do rewrite !mxE.
have /= -> := sum_kidx (fun p => A (kidx k).1 p.1 * B (kidx k).2 p.2
                                * (C p.1 (kidx l).1 * D p.2 (kidx l).2)).
rewrite mulr_suml; apply: eq_bigr => i _; rewrite mulr_sumr.
by apply: eq_bigr => j _ /=; rewrite mulrACA.
Qed.

Lemma kron11 m n : kron (1%:M : 'M[R]_m) (1%:M : 'M[R]_n) = 1%:M.
Proof.
apply/matrixP => k l; rewrite !mxE -(inj_eq (@kidx_inj m n)).
rewrite [kidx k]surjective_pairing [kidx l]surjective_pairing xpair_eqE.
by case: eqP; case: eqP; rewrite ?mulr1 ?mulr0.
Qed.

Lemma kron_unit m n (H : 'M[R]_m) :
  H \in unitmx -> kron H (1%:M : 'M[R]_n) \in unitmx.
Proof.
move=> H_unit.
have AB1 : kron H (1%:M : 'M[R]_n) *m kron (invmx H) 1%:M = 1%:M.
  by rewrite kron_mul mulmxV // mulmx1 kron11.
by case: (mulmx1_unit AB1).
Qed.

End Kron.

Section HCStatic.
Variable R : fieldType.
Variables (ns d n : nat) (H : 'M[R]_ns) (alpha beta : 'cV[R]_ns).
Variables (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).

(** β ⊗ I_d and αᵀ ⊗ I_d. *)
Definition lift_down : 'M[R]_(ns * d, d) :=
  \matrix_(k, r) (beta (kidx k).1 0 * ((kidx k).2 == r)%:R).
Definition lift_up : 'M[R]_(d, ns * d) :=
  \matrix_(r, k) (alpha (kidx k).1 0 * (r == (kidx k).2)%:R).

Definition hc_down : 'M[R]_(ns * d, n) := lift_down *m Wd.
Definition hc_up : 'M[R]_(n, ns * d) := Wu *m lift_up.
Definition hc_skip : 'M[R]_(ns * d) := kron H 1%:M.

(** a'_i = β ⊗ a_i. *)
Lemma hc_downE k i : hc_down k i = beta (kidx k).1 0 * Wd (kidx k).2 i.
Proof.
rewrite !mxE (bigD1 (kidx k).2) //= big1 ?addr0 => [|r r_neq].
  by rewrite mxE eqxx mulr1.
by rewrite mxE eq_sym (negbTE r_neq) mulr0 mul0r.
Qed.

(** b'_i = α ⊗ b_i. *)
Lemma hc_upE i k : hc_up i k = alpha (kidx k).1 0 * Wu i (kidx k).2.
Proof.
rewrite !mxE (bigD1 (kidx k).2) //= big1 ?addr0 => [|r r_neq].
  by rewrite mxE eqxx mulr1 mulrC.
by rewrite mxE (negbTE r_neq) mulr0 mulr0.
Qed.

Lemma hc_rank_le (S : {set 'I_n}) : (\rank (hc_down *m DS S *m hc_up) <= d)%N.
Proof.
rewrite /hc_down /hc_up -!mulmxA.
by apply: leq_trans (mxrankM_maxl _ _) (rank_leq_col _).
Qed.

(** hc-static (Cor 1.1, algebraic core): with H invertible, n_s ≥ 2 and
    d ≥ 1, Σ_{i∈S} a'_i b'_iᵀ has rank ≤ d, A = H ⊗ I_d has rank n_s d, and
    no index set S and no c satisfy the index condition of the lifted block.
    (d ≥ 1 is needed: for d = 0 both sides are the empty matrix and every S
    satisfies the condition.) *)
Theorem hc_static (c : R) (S : {set 'I_n}) :
  (2 <= ns)%N -> (0 < d)%N -> H \in unitmx ->
  [/\ (\rank (hc_down *m DS S *m hc_up) <= d)%N,
      \rank hc_skip = (ns * d)%N
    & ~ index_condition c hc_skip hc_down hc_up S].
Proof.
move=> ns_ge2 d_gt0 H_unit.
have rank_skip : \rank hc_skip = (ns * d)%N.
  by rewrite mxrank_unit // kron_unit.
split; [exact: hc_rank_le | by [] | case=> c_neq0 IC].
have := hc_rank_le S; rewrite -(mxrank_scale_nz _ c_neq0) IC.
rewrite -scaleN1r mxrank_scale_nz ?oppr_eq0 ?oner_eq0 // rank_skip.
rewrite -[X in (_ <= X)%N]mul1n leq_mul2r eqn0Ngt d_gt0 /=.
by rewrite leqNgt ns_ge2.
Qed.

End HCStatic.
