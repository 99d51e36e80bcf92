(** * Reduction of an invertible linear skip to the identity skip (Thm 1). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Reduction.
Variable R : fieldType.

(** Theorem 1 (both directions): for invertible A, f(x) = A x + W_down σ(W_up x)
    is absorbable at width m iff x + (A⁻¹ W_down) σ(W_up x) is absorbable at
    width m (any σ, any widths n and m). *)
Theorem reduction (sigma : R -> R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) :
  A \in unitmx ->
  absorbable sigma A Wd Wu m <-> absorbable sigma 1%:M (invmx A *m Wd) Wu m.
Proof.
move=> A_unit; split=> [[V [U h]] | [V [U h]]].
- exists (invmx A *m V), U => x.
  have := congr1 (mulmx (invmx A)) (h x).
  by rewrite /block /rf_block mulmxDr !mulmxA mulVmx // !mul1mx.
- exists (A *m V), U => x.
  have := congr1 (mulmx A) (h x).
  by rewrite /block /rf_block mulmxDr !mulmxA mulmxV // !mul1mx mulmx1.
Qed.

(** The same reduction for gated blocks (same gate γ on both sides). *)
Theorem reduction_gated (gamma : R -> R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (P Q : 'M[R]_(n, d)) :
  A \in unitmx ->
  gated_absorbable gamma A Wd P Q m <->
  gated_absorbable gamma 1%:M (invmx A *m Wd) P Q m.
Proof.
move=> A_unit; split=> [[V [P' [Q' h]]] | [V [P' [Q' h]]]].
- exists (invmx A *m V), P', Q' => x.
  have := congr1 (mulmx (invmx A)) (h x).
  by rewrite /gated_block /gated_rf_block mulmxDr !mulmxA mulVmx // !mul1mx.
- exists (A *m V), P', Q' => x.
  have := congr1 (mulmx A) (h x).
  rewrite /gated_block /gated_rf_block mulmxDr !mulmxA mulmxV //.
  by rewrite !mul1mx mulmx1.
Qed.

(** The transformed index condition c A⁻¹ W_down D_S W_up = −I is exactly
    (IC_c). *)
Lemma reduction_index_condition (c : R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  A \in unitmx ->
  index_condition c A Wd Wu S <-> index_condition c 1%:M (invmx A *m Wd) Wu S.
Proof.
move=> A_unit; split=> -[c_neq0 IC]; split=> //.
  have -> : invmx A *m Wd *m DS S *m Wu = invmx A *m (Wd *m DS S *m Wu).
    by rewrite !mulmxA.
  by rewrite scalemxAr IC mulmxN mulVmx.
have := congr1 (mulmx A) IC; rewrite -scalemxAr !mulmxA mulmxV //.
by rewrite mul1mx mulmxN mulmx1.
Qed.

End Reduction.
