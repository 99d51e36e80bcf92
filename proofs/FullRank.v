(** * Decision when G ≻ 0 (BLUEPRINT §8, "Decision procedure when G ≻ 0").

    M = [vec(a_1 b_1ᵀ) ⋯ vec(a_n b_nᵀ)] and G = MᵀM is the Hadamard Gram
    matrix of GramHadamard.v.  Every real solution s of
    Σ_i s_i a_i b_iᵀ = −V solves the normal equations G s = −q
    (q_i = a_iᵀ V b_i); when G is nonsingular the solution is therefore
    unique, and the index condition holds iff that solution is 0/1. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs GramHadamard.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Section FullRank.
Variable R : fieldType.
Variables (d n : nat) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).

Local Notation combo s := (\sum_i s i 0 *: rank1 Wd Wu i).

(** Σ_i s_i a_i b_iᵀ = −V ⇒ G s = −q. *)
Lemma normal_equations (V : 'M[R]_d) (s : 'cV[R]_n) :
  combo s = - V -> gram Wd Wu *m s = - \col_i qskip Wd Wu V i.
Proof.
move=> combo_eq; apply/matrixP => j k; rewrite ord1 !mxE.
have := congr1 (frob (rank1 Wd Wu j)) combo_eq.
rewrite frob_sumr -scaleN1r frobZr mulN1r frob_rank1_skip => <-.
apply: eq_bigr => i _; rewrite frobZr frob_rank1 /gram mxE.
by rewrite mulrC.
Qed.

(** At most one real solution when G is nonsingular. *)
Lemma combo_inj (V : 'M[R]_d) (s t : 'cV[R]_n) :
  gram Wd Wu \in unitmx -> combo s = - V -> combo t = - V -> s = t.
Proof.
move=> G_unit s_sol t_sol.
rewrite -(mulKmx G_unit s) -(mulKmx G_unit t).
by rewrite (normal_equations s_sol) (normal_equations t_sol).
Qed.

Lemma indicator01 (s : 'cV[R]_n) :
  (forall i, s i 0 = 0 \/ s i 0 = 1) ->
  s = indicator [set i | s i 0 == 1].
Proof.
move=> s01; apply/matrixP => i k; rewrite ord1 !mxE inE.
by case: (s01 i) => ->; rewrite ?eqxx // eq_sym oner_eq0.
Qed.

(** full-rank-decision: if G = MᵀM is nonsingular, then for c ≠ 0 and any
    real solution s₀ of Σ_i s_i a_i b_iᵀ = −A/c (the least-squares solution
    with zero residual): every real solution equals s₀, and some index set S
    satisfies the index condition iff s₀ ∈ {0, 1}^n (then S = {i | s₀_i = 1}).
    The existence of s₀ is a hypothesis: without it no S exists at all. *)


Theorem full_rank_decision (c : R) (A : 'M[R]_d) (s0 : 'cV[R]_n) :
  gram Wd Wu \in unitmx -> c != 0 -> combo s0 = - (c^-1 *: A) ->
  (forall s : 'cV[R]_n, combo s = - (c^-1 *: A) -> s = s0)
  /\
  ((exists S : {set 'I_n}, index_condition c A Wd Wu S) <->
   (forall i, s0 i 0 = 0 \/ s0 i 0 = 1)).
Proof.
move=> G_unit c_neq0 s0_sol.
have uniq (s : 'cV[R]_n) : combo s = - (c^-1 *: A) -> s = s0.
  by move=> s_sol; exact: combo_inj G_unit s_sol s0_sol.
split=> //; split=> [[S /index_conditionP [_ IC]] i | s0_01].
  have -> : s0 = indicator S by apply/esym/uniq; rewrite -DS_rank1.
  by rewrite mxE; case: (i \in S); [right | left].
exists [set i | s0 i 0 == 1]; apply/index_conditionP; split=> //.
by rewrite DS_rank1 -indicator01.
Qed.

(** The same without a skip: the rank-one matrices a_i b_iᵀ are linearly
    independent when G is nonsingular. *)
Corollary rank1_independent (s : 'cV[R]_n) :
  gram Wd Wu \in unitmx -> combo s = 0 -> s = 0.
Proof.
move=> G_unit s_zero; apply: (combo_inj (V := 0) G_unit).
  by rewrite oppr0.
by rewrite oppr0 big1 // => i _; rewrite mxE scale0r.
Qed.

End FullRank.
