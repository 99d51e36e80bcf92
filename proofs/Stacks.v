(** * Stacks with per-layer activations (BLUEPRINT §4, Theorem 4) and the
    list lemmas that turn a concrete stack into the abstract one of the
    depth theorems.

    An abstract residual layer is a pair (A, H): x ↦ A x + H(x) (`lay`).  A
    concrete layer of Theorem 4 carries its own activation σ_ℓ (resp. gate
    γ_ℓ): the stacks below take lists of pairs (σ_ℓ, layer).  Lists of maps
    are not an eqType, so membership is `List.In`. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.
Require List.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Section Stacks.
Variables (R : ringType) (d : nat).
Local Notation vec := 'cV[R]_d.
Local Notation layer := ('M[R]_d * (vec -> vec))%type.

(** An abstract residual layer x ↦ A x + H(x). *)
Definition lay (p : layer) : vec -> vec := fun x => p.1 *m x + p.2 x.

(** Per-layer activations: layer ℓ is (σ_ℓ, weights). *)
Definition act_res_stack (ls : seq ((R -> R) * res_layer R d)) :=
  compose (map (fun p => res_map p.1 p.2) ls).
Definition act_rf_stack (gs : seq ((R -> R) * rf_layer R d)) :=
  compose (map (fun p => rf_map p.1 p.2) gs).
Definition act_gres_stack (ls : seq ((R -> R) * gres_layer R d)) :=
  compose (map (fun p => gres_map p.1 p.2) ls).
Definition act_grf_stack (gs : seq ((R -> R) * grf_layer R d)) :=
  compose (map (fun p => grf_map p.1 p.2) gs).

Definition act_skips (ls : seq ((R -> R) * res_layer R d)) :=
  map (fun p => rl_A p.2) ls.
Definition act_gskips (ls : seq ((R -> R) * gres_layer R d)) :=
  map (fun p => gl_A p.2) ls.

(** One σ for every layer is the special case σ_ℓ = σ. *)
Lemma act_res_stack_const (sigma : R -> R) (ls : seq (res_layer R d)) :
  act_res_stack (map (pair sigma) ls) =1 res_stack sigma ls.
Proof. by move=> x; rewrite /act_res_stack -map_comp. Qed.

Lemma act_rf_stack_const (sigma : R -> R) (gs : seq (rf_layer R d)) :
  act_rf_stack (map (pair sigma) gs) =1 rf_stack sigma gs.
Proof. by move=> x; rewrite /act_rf_stack -map_comp. Qed.

Lemma act_gres_stack_const (gamma : R -> R) (ls : seq (gres_layer R d)) :
  act_gres_stack (map (pair gamma) ls) =1 gres_stack gamma ls.
Proof. by move=> x; rewrite /act_gres_stack -map_comp. Qed.

Lemma act_grf_stack_const (gamma : R -> R) (gs : seq (grf_layer R d)) :
  act_grf_stack (map (pair gamma) gs) =1 grf_stack gamma gs.
Proof. by move=> x; rewrite /act_grf_stack -map_comp. Qed.

Lemma act_skips_const (sigma : R -> R) (ls : seq (res_layer R d)) :
  act_skips (map (pair sigma) ls) = map (@rl_A R d) ls.
Proof. by rewrite /act_skips -map_comp. Qed.

Lemma act_gskips_const (gamma : R -> R) (ls : seq (gres_layer R d)) :
  act_gskips (map (pair gamma) ls) = map (@gl_A R d) ls.
Proof. by rewrite /act_gskips -map_comp. Qed.

Lemma In_pair_const (T : Type) (P : (R -> R) -> Prop) (sigma : R -> R)
    (ls : seq T) :
  P sigma -> forall p, List.In p (map (pair sigma) ls) -> P p.1.
Proof. by move=> P_sigma p /List.in_map_iff [l [<- _]]. Qed.

(** The list bridge from concrete layers to abstract pairs (A, H). *)
Section Bridge.
Variable T : Type.
Variables (skip : T -> 'M[R]_d) (hidden : T -> vec -> vec).

Definition abstract_layers (ls : seq T) : seq layer :=
  map (fun l => (skip l, hidden l)) ls.

Lemma abstract_skips (ls : seq T) :
  map fst (abstract_layers ls) = map skip ls.
Proof. by rewrite -map_comp. Qed.

Lemma abstract_compose (ls : seq T) :
  compose (map lay (abstract_layers ls))
  =1 compose (map (fun l x => skip l *m x + hidden l x) ls).
Proof. by move=> x; rewrite -map_comp. Qed.

Lemma In_abstract (P : (vec -> vec) -> Prop) (ls : seq T) :
  (forall l, List.In l ls -> P (hidden l)) ->
  forall p, List.In p (abstract_layers ls) -> P p.2.
Proof.
by move=> P_hidden p /List.in_map_iff [l [<- l_in]]; exact: P_hidden.
Qed.

Lemma In_map_fun (U : Type) (P : (vec -> vec) -> Prop) (f : U -> vec -> vec)
    (gs : seq U) :
  (forall g, List.In g gs -> P (f g)) -> forall h, List.In h (map f gs) -> P h.
Proof. by move=> P_f h /List.in_map_iff [g [<- g_in]]; exact: P_f. Qed.

End Bridge.

(** The layer-by-layer induction of the depth theorems, for any property P
    of maps that the layer step x ↦ A x + H(x) preserves on the remainder
    Y x − Q x (P = bounded, P = o(|x|)). *)
Section StackGen.
Variable P : (vec -> vec) -> Prop.
Hypothesis P_layer : forall (A Q : 'M[R]_d) (H Y : vec -> vec),
  P H -> P (fun x => Y x - Q *m x) ->
  P (fun x => lay (A, H) (Y x) - A *m Q *m x).

Lemma stack_gen (ls : seq layer) :
  (forall p, List.In p ls -> P p.2) ->
  forall (Q : 'M[R]_d) (Y : vec -> vec),
    P (fun x => Y x - Q *m x) ->
    P (fun x => compose (map lay ls) (Y x)
                - foldl (fun M A => A *m M) Q (map fst ls) *m x).
Proof.
elim: ls => [|[A H] ls IH] ls_P Q Y Y_P //=.
apply: (IH _ (A *m Q) (fun x => lay (A, H) (Y x))).
  by move=> p p_in; apply: ls_P; right.
by apply: P_layer => //; exact: (ls_P (A, H) (or_introl erefl)).
Qed.

End StackGen.

Lemma map_neq_nil (T U : Type) (f : T -> U) (s : seq T) :
  s <> [::] -> map f s <> [::].
Proof. by case: s. Qed.

End Stacks.

Arguments lay {R d} p x.
