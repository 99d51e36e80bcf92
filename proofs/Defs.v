(** * Shared definitions (BLUEPRINT §1, D1–D5 and the depth-L setting of
    §4).

    Everything is stated over an arbitrary ring or field (MathComp), so in
    particular over Coq's reals [Rdefinitions.R] (instance from
    mathcomp-analysis' [Rstruct]).  Vectors are column vectors ['cV[R]_d].
    There are no biases anywhere; the model width [d], the hidden width [n]
    and the residual-free width [m] are arbitrary natural numbers. *)
From mathcomp Require Import all_ssreflect all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Defs.
Variable R : ringType.

(** D1: residual block with linear skip [A]: f(x) = A x + W_down σ(W_up x). *)
Definition block {d n} (sigma : R -> R) (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (x : 'cV[R]_d) : 'cV[R]_d :=
  A *m x + Wd *m map_mx sigma (Wu *m x).

(** D1: residual-free block of width [m]: g(x) = V σ(U x). *)
Definition rf_block {d m} (sigma : R -> R) (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d))
    (x : 'cV[R]_d) : 'cV[R]_d :=
  V *m map_mx sigma (U *m x).

(** D1: gated hidden map h(x) = γ(P x) ⊙ (Q x). *)
Definition gated_hidden {d n} (gamma : R -> R) (P Q : 'M[R]_(n, d))
    (x : 'cV[R]_d) : 'cV[R]_n :=
  \col_i (gamma ((P *m x) i 0) * (Q *m x) i 0).

(** Gated residual block f(x) = A x + W_down [γ(P x) ⊙ (Q x)]. *)
Definition gated_block {d n} (gamma : R -> R) (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (P Q : 'M[R]_(n, d)) (x : 'cV[R]_d) : 'cV[R]_d :=
  A *m x + Wd *m gated_hidden gamma P Q x.

(** Gated residual-free comparator g(x) = V [γ(P' x) ⊙ (Q' x)] (same gate γ). *)
Definition gated_rf_block {d m} (gamma : R -> R) (V : 'M[R]_(d, m))
    (P Q : 'M[R]_(m, d)) (x : 'cV[R]_d) : 'cV[R]_d :=
  V *m gated_hidden gamma P Q x.

(** D2: absorbability at width [m] (identity on all of R^d). *)
Definition absorbable {d n} (sigma : R -> R) (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (m : nat) : Prop :=
  exists (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)),
    forall x, block sigma A Wd Wu x = rf_block sigma V U x.

Definition gated_absorbable {d n} (gamma : R -> R) (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (P Q : 'M[R]_(n, d)) (m : nat) : Prop :=
  exists (V : 'M[R]_(d, m)) (P' Q' : 'M[R]_(m, d)),
    forall x, gated_block gamma A Wd P Q x = gated_rf_block gamma V P' Q' x.

(** D3: D_S = diag(1_S), the sign-flip matrix I − 2 D_S, and the index condition
    W_down D_S W_up = −(1/c) A. *)
Definition DS {n} (S : {set 'I_n}) : 'M[R]_n :=
  diag_mx (\row_i (if i \in S then 1 else 0)).

Definition flip {n} (S : {set 'I_n}) : 'M[R]_n := 1%:M - 2%:R *: DS S.

End Defs.

Arguments DS {R n} S.
Arguments flip {R n} S.

(** D3, index condition (IC_c): c ≠ 0 and c · W_down D_S W_up = −A, i.e.
    W_down D_S W_up = −(1/c) A.  The constraint c ≠ 0 is part of the
    definition: with MathComp's 0⁻¹ = 0 the form W_down D_S W_up = −c⁻¹ A
    would silently read W_down D_S W_up = 0 at c = 0. *)
Section IndexCondition.
Variable R : ringType.
Definition index_condition {d n} (c : R) (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) : Prop :=
  c != 0 /\ c *: (Wd *m DS S *m Wu) = - A.

(** The degenerate reading at c = 0 is excluded. *)
Lemma index_condition0 d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) : ~ index_condition 0 A Wd Wu S.
Proof. by case; rewrite eqxx. Qed.

(** At c = 1 the condition is W_down D_S W_up = −A. *)
Lemma index_condition1 d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  (1 != 0 :> R) ->
  index_condition 1 A Wd Wu S <-> Wd *m DS S *m Wu = - A.
Proof. by move=> R1; rewrite /index_condition scale1r; split=> [[]|]. Qed.
End IndexCondition.

Section IndexConditionField.
Variable R : fieldType.

(** Over a field: (IC_c) ⟺ c ≠ 0 and W_down D_S W_up = −(1/c) A. *)
Lemma index_conditionP (c : R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  index_condition c A Wd Wu S <->
  c != 0 /\ Wd *m DS S *m Wu = - (c^-1 *: A).
Proof.
split=> [[c_neq0 IC] | [c_neq0 IC]]; split=> //.
  by rewrite -[A]opprK -IC scalerN opprK scalerA mulVf // scale1r.
by rewrite IC scalerN scalerA mulfV // scale1r.
Qed.

End IndexConditionField.

(** Instance check: d = 1, n = 2 over the rationals, W_down = (1 1),
    W_up = (−1 2)ᵀ, A = 1, c = 1 and S = {0}: W_down D_S W_up = −1. *)
Example index_condition_instance :
  index_condition (1 : rat) 1%:M (\row_(j < 2) (1 : rat))
    (\col_(i < 2) (if i == 0 then -1 else 2%:R)) [set ord0].
Proof.
split; first exact: oner_neq0.
apply/matrixP => i j; rewrite ?ord1 !mxE big_ord_recr big_ord1 /= !mxE.
by rewrite !big_ord_recr !big_ord0 /= !mxE !inE /=.
Qed.

(** Depth L (BLUEPRINT §4).  A residual layer carries its own skip [A_l] and
    its own hidden width; a residual-free layer its own width.  Stacks are
    lists, the head being applied first: F = f_L ∘ ⋯ ∘ f_1 for
    [[:: f_1; …; f_L]]. *)
Section Stacks.
Variables (R : ringType) (d : nat).

Record res_layer := ResLayer {
  rl_w : nat; rl_A : 'M[R]_d; rl_Wd : 'M[R]_(d, rl_w);
  rl_Wu : 'M[R]_(rl_w, d) }.
Record rf_layer := RFLayer {
  fl_w : nat; fl_V : 'M[R]_(d, fl_w); fl_U : 'M[R]_(fl_w, d) }.
Record gres_layer := GResLayer {
  gl_w : nat; gl_A : 'M[R]_d; gl_Wd : 'M[R]_(d, gl_w); gl_P : 'M[R]_(gl_w, d);
  gl_Q : 'M[R]_(gl_w, d) }.
Record grf_layer := GRFLayer {
  gf_w : nat; gf_V : 'M[R]_(d, gf_w); gf_P : 'M[R]_(gf_w, d);
  gf_Q : 'M[R]_(gf_w, d) }.

(** Generic composition of a list of maps, head first. *)
Fixpoint compose (fs : seq ('cV[R]_d -> 'cV[R]_d)) (x : 'cV[R]_d) : 'cV[R]_d :=
  if fs is f :: fs' then compose fs' (f x) else x.

Definition res_map (sigma : R -> R) (l : res_layer) :=
  block sigma (rl_A l) (rl_Wd l) (rl_Wu l).
Definition rf_map (sigma : R -> R) (l : rf_layer) :=
  rf_block sigma (fl_V l) (fl_U l).
Definition gres_map (gamma : R -> R) (l : gres_layer) :=
  gated_block gamma (gl_A l) (gl_Wd l) (gl_P l) (gl_Q l).
Definition grf_map (gamma : R -> R) (l : grf_layer) :=
  gated_rf_block gamma (gf_V l) (gf_P l) (gf_Q l).

Definition res_stack sigma (ls : seq res_layer) :=
  compose (map (res_map sigma) ls).
Definition rf_stack sigma (ls : seq rf_layer) :=
  compose (map (rf_map sigma) ls).
Definition gres_stack gamma (ls : seq gres_layer) :=
  compose (map (gres_map gamma) ls).
Definition grf_stack gamma (ls : seq grf_layer) :=
  compose (map (grf_map gamma) ls).

(** Product of the skips P = A_L ⋯ A_1. *)
Definition skip_product (As : seq 'M[R]_d) : 'M[R]_d :=
  foldl (fun P A => A *m P) 1%:M As.
End Stacks.

(** D5: positive homogeneity of degree k is stated where it is used (Degree.v),
    over Coq's reals with [Rpower]. *)

(** Small helpers shared by several proofs. *)
Section Helpers.
Variable R : ringType.

(** Euclidean pairing u·v = uᵀv of column vectors. *)
Definition dot {d} (u v : 'cV[R]_d) : R := \sum_i u i 0 * v i 0.

(** Two vectors on distinct lines: linearly independent. *)
Definition indep {d} (u v : 'cV[R]_d) :=
  forall s t : R, s *: u + t *: v = 0 -> s = 0 /\ t = 0.

(** D4, explicit genericity conditions, with a_i = col i W_down and
    b_i = (row i W_up)ᵀ.  (G0): a_i ≠ 0 and b_i ≠ 0. *)
Definition G0 {d n} (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) :=
  forall i, col i Wd != 0 /\ (row i Wu)^T != 0.

(** (G-line): b_i and b_j linearly independent for i ≠ j. *)
Definition Gline {d n} (Wu : 'M[R]_(n, d)) :=
  forall i j, i != j -> indep (row i Wu)^T (row j Wu)^T.

(** (G-class): b_i ≠ ±b_j for i ≠ j. *)
Definition Gclass {d n} (Wu : 'M[R]_(n, d)) :=
  forall i j, i != j ->
    ((row i Wu)^T != (row j Wu)^T) && ((row i Wu)^T != - (row j Wu)^T).

(** Class-identifiability of an even e (BLUEPRINT §6.3): for nonzero v_k
    (k ∈ P) in pairwise distinct classes {±v_k}, vectors N_k and a constant
    K0, the identity Σ_k e(v_kᵀx) N_k + K0 = 0 on all of R^d forces every
    N_k = 0.  (The blueprint asks the identity only near some point; asking
    it on all of R^d makes this definition weaker, so every theorem that
    assumes it covers at least the blueprint's class.) *)
Definition class_identifiable (e : R -> R) : Prop :=
  forall d (I : finType) (P : pred I) (v N : I -> 'cV[R]_d) (K0 : 'cV[R]_d),
  (forall k, P k -> v k != 0) ->
  (forall k k', P k -> P k' -> k != k' -> (v k != v k') && (v k != - v k')) ->
  (forall x, \sum_(k | P k) e (dot (v k) x) *: N k + K0 = 0) ->
  forall k, P k -> N k = 0.

Lemma mx_ext0 p q (A : 'M[R]_(p, q)) :
  (forall x : 'cV[R]_q, A *m x = 0) -> A = 0.
Proof.
move=> A_x0; apply/matrixP => i j.
have := congr1 (fun v : 'cV[R]_p => v i 0) (A_x0 (delta_mx j 0)).
by rewrite -colE !mxE.
Qed.

End Helpers.
