(** * Depth-L version of the reduction (BLUEPRINT §2, Theorem 1, "Depth-L
    version"): with P_ℓ = A_ℓ ⋯ A_1 (P_0 = I) and every A_ℓ invertible,
    f_ℓ(P_{ℓ−1} y) = P_ℓ f̃_ℓ(y) with
    f̃_ℓ(y) = y + P_ℓ⁻¹ W_down^(ℓ) σ(W_up^(ℓ) P_{ℓ−1} y), hence
    f_L ∘ ⋯ ∘ f_1 = P_L ∘ f̃_L ∘ ⋯ ∘ f̃_1; and P_L⁻¹ ∘ (g_L' ∘ ⋯ ∘ g_1) is the
    residual-free stack with V_L' replaced by P_L⁻¹ V_L'. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Section ReductionDepth.
Variables (R : fieldType) (d : nat).
Local Notation vec := 'cV[R]_d.
Local Notation layer := (res_layer R d).

(** The identity-skip layer f̃ of a layer l entered with prefix product P:
    skip I, W_down ↦ (A P)⁻¹ W_down, W_up ↦ W_up P. *)
Definition tilde_layer (P : 'M[R]_d) (l : layer) : layer :=
  @ResLayer R d (rl_w l) 1%:M (invmx (rl_A l *m P) *m rl_Wd l)
    (rl_Wu l *m P).

(** f̃_1, …, f̃_L for the prefix products P_0 = P, P_ℓ = A_ℓ P_{ℓ−1}. *)
Fixpoint tilde_layers (P : 'M[R]_d) (ls : seq layer) : seq layer :=
  if ls is l :: ls' then tilde_layer P l :: tilde_layers (rl_A l *m P) ls'
  else [::].

Definition prefix_product (P : 'M[R]_d) (ls : seq layer) : 'M[R]_d :=
  foldl (fun Q A => A *m Q) P (map (@rl_A R d) ls).

Lemma prefix_product1 (ls : seq layer) :
  prefix_product 1%:M ls = skip_product (map (@rl_A R d) ls).
Proof. by []. Qed.

(** One layer: f(P y) = (A P) f̃(y) when A P is invertible. *)
Lemma layer_tilde (sigma : R -> R) (P : 'M[R]_d) (l : layer) (y : vec) :
  rl_A l *m P \in unitmx ->
  res_map sigma l (P *m y) = (rl_A l *m P) *m res_map sigma (tilde_layer P l) y.
Proof.
move=> AP_unit; rewrite /res_map /block /= mul1mx mulmxDr.
by rewrite !mulmxA mulmxV // mul1mx.
Qed.

Lemma stack_tilde (sigma : R -> R) (ls : seq layer) :
  all (fun l => rl_A l \in unitmx) ls ->
  forall (P : 'M[R]_d) (y : vec), P \in unitmx ->
  res_stack sigma ls (P *m y)
  = prefix_product P ls *m res_stack sigma (tilde_layers P ls) y.
Proof.
elim: ls => [|l ls IH] /= A_unit P y P_unit; first by [].
case/andP: A_unit => Al_unit As_unit.
have AP_unit : rl_A l *m P \in unitmx by rewrite unitmx_mul Al_unit.
rewrite [LHS]/res_stack /= layer_tilde //.
exact: (IH As_unit _ _ AP_unit).
Qed.

Lemma compose_rcons (fs : seq (vec -> vec)) (f : vec -> vec) (x : vec) :
  compose (rcons fs f) x = f (compose fs x).
Proof. by elim: fs x => [|g fs IH] x //=. Qed.

(** reduction-depth (§2, depth L): for invertible A_1, …, A_L,
    (i) f_ℓ(P_{ℓ−1} y) = P_ℓ f̃_ℓ(y) for each layer;
    (ii) f_L ∘ ⋯ ∘ f_1 = P_L ∘ f̃_L ∘ ⋯ ∘ f̃_1, where the f̃_ℓ are residual
         blocks with identity skip (`tilde_layers`);
    (iii) P⁻¹ ∘ (g_L' ∘ ⋯ ∘ g_1) is the residual-free stack whose last
         V is replaced by P⁻¹ V (for any P). *)
Theorem reduction_depth (sigma : R -> R) :
  (forall (P : 'M[R]_d) (l : layer) (y : vec),
     P \in unitmx -> rl_A l \in unitmx ->
     res_map sigma l (P *m y)
     = (rl_A l *m P) *m res_map sigma (tilde_layer P l) y)
  /\
  (forall (ls : seq layer) (x : vec),
     all (fun l => rl_A l \in unitmx) ls ->
     res_stack sigma ls x
     = skip_product (map (@rl_A R d) ls)
       *m res_stack sigma (tilde_layers 1%:M ls) x)
  /\
  (forall (P : 'M[R]_d) (gs : seq (rf_layer R d)) (g : rf_layer R d)
     (x : vec),
     invmx P *m rf_stack sigma (rcons gs g) x
     = rf_stack sigma
         (rcons gs (@RFLayer R d (fl_w g) (invmx P *m fl_V g) (fl_U g))) x).
Proof.
split=> [P l y P_unit A_unit|].
  by rewrite layer_tilde ?unitmx_mul ?A_unit.
split=> [ls x A_unit|P gs g x].
  by rewrite -prefix_product1 -stack_tilde ?unitmx1 ?mul1mx.
by rewrite /rf_stack !map_rcons !compose_rcons /rf_map /rf_block mulmxA.
Qed.

End ReductionDepth.
