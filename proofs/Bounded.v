(** * Bounded activations: depth 1 (BLUEPRINT Prop 3.1) and depth L
    (Thm 4(d)). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Norms Stacks.
Require List.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Bounded.
Variables (R : realFieldType) (d : nat).
Local Notation vec := 'cV[R]_d.
Local Notation layer := ('M[R]_d * (vec -> vec))%type.

Definition bdd (H : vec -> vec) := exists K, forall x, vnorm (H x) <= K.

(** σ is bounded on R. *)
Definition bounded_act (sigma : R -> R) := exists B, forall z, `|sigma z| <= B.

Lemma bdd_id_sub : bdd (fun x => id x - 1%:M *m x).
Proof. by exists 0 => x; rewrite mul1mx subrr vnorm0. Qed.

Lemma bdd_layer (A Q : 'M[R]_d) (H Y : vec -> vec) :
  bdd H -> bdd (fun x => Y x - Q *m x) ->
  bdd (fun x => lay (A, H) (Y x) - A *m Q *m x).
Proof.
move=> [KH H_bdd] [KY Y_bdd]; exists (mnorm A * KY + KH) => x /=.
have -> : A *m Y x + H (Y x) - A *m Q *m x
    = A *m (Y x - Q *m x) + H (Y x).
  by rewrite mulmxBr mulmxA addrAC.
apply: le_trans (vnormD _ _) _; apply: ler_add => //.
apply: le_trans (vnorm_mul _ _) _.
by apply: ler_wpmul2l => //; exact: mnorm_ge0.
Qed.

Lemma compose_bounded (gs : seq (vec -> vec)) :
  gs <> [::] -> (forall g, List.In g gs -> bdd g) -> bdd (compose gs).
Proof.
elim: gs => [//|g gs IH] _ gs_bdd.
case: gs IH gs_bdd => [|g' gs] IH gs_bdd /=.
  exact: gs_bdd (or_introl erefl).
have [K K_bound] := IH (fun e => List.nil_cons (esym e))
                      (fun g0 g0_in => gs_bdd g0 (or_intror g0_in)).
by exists K => x; exact: K_bound.
Qed.

(** Abstract depth-L bounded obstruction: F = f_L ∘ ⋯ ∘ f_1 with
    f_l(x) = A_l x + H_l(x), every H_l bounded; G = g_{L'} ∘ ⋯ ∘ g_1 with
    L' ≥ 1 and every g_j bounded.  F = G everywhere ⇒ A_L ⋯ A_1 = 0. *)
Theorem depth_bounded_abstract (ls : seq layer) (gs : seq (vec -> vec)) :
  (forall p, List.In p ls -> bdd p.2) ->
  gs <> [::] -> (forall g, List.In g gs -> bdd g) ->
  (forall x, compose (map lay ls) x = compose gs x) ->
  skip_product (map fst ls) = 0.
Proof.
move=> ls_bdd gs_neq_nil gs_bdd FG_eq.
have [K K_bound] := stack_gen bdd_layer ls_bdd bdd_id_sub.
have [K' K'_bound] := compose_bounded gs_neq_nil gs_bdd.
apply: (@bounded_linear0 _ _ _ _ (K + K')) => x.
have -> : skip_product (map fst ls) *m x
    = - (compose (map lay ls) (id x) - skip_product (map fst ls) *m x)
      + compose gs x.
  by rewrite -FG_eq /= opprB subrK.
apply: le_trans (vnormD _ _) _.
by rewrite vnormN; exact: ler_add.
Qed.

Lemma hidden_bdd (sigma : R -> R) (B : R) w (W : 'M[R]_(d, w))
    (U : 'M[R]_(w, d)) :
  (forall z, `|sigma z| <= B) -> bdd (fun x => W *m map_mx sigma (U *m x)).
Proof.
move=> sigma_le; exists (mnorm W * (B *+ w)) => x.
apply: le_trans (vnorm_mul _ _) _; apply: ler_wpmul2l; first exact: mnorm_ge0.
rewrite /vnorm -[w in B *+ w]card_ord -sumr_const; apply: ler_sum => i _.
by rewrite mxE.
Qed.

Lemma hidden_bdd_act (sigma : R -> R) w (W : 'M[R]_(d, w))
    (U : 'M[R]_(w, d)) :
  bounded_act sigma -> bdd (fun x => W *m map_mx sigma (U *m x)).
Proof. by case=> B sigma_le; exact: hidden_bdd sigma_le. Qed.

(** bounded (Prop 3.1): |σ| ≤ B everywhere and
    A x + W_down σ(W_up x) = V σ(U x) for all x, with a residual-free
    comparator of any width m ⇒ A = 0. *)
Theorem bounded_obstruction (sigma : R -> R) (B : R) n m (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (V : 'M[R]_(d, m))
    (U : 'M[R]_(m, d)) :
  (forall z, `|sigma z| <= B) ->
  (forall x, block sigma A Wd Wu x = rf_block sigma V U x) ->
  A = 0.
Proof.
move=> sigma_le FG_eq.
have := @depth_bounded_abstract [:: (A, fun x => Wd *m map_mx sigma (Wu *m x))]
                                [:: rf_block sigma V U].
rewrite /skip_product /= mulmx1; apply=> //.
  by move=> p [<-|[]]; exact: hidden_bdd sigma_le.
by move=> g [<-|[]]; exact: hidden_bdd sigma_le.
Qed.

(** depth-bounded (Thm 4(d)), per-layer activations: F = f_L ∘ ⋯ ∘ f_1
    residual blocks (skips A_l, hidden widths and activations σ_l of their
    own), G = g_{L'} ∘ ⋯ ∘ g_1 residual-free blocks (widths and activations
    of their own, L' ≥ 1, arbitrary L), every activation bounded, F = G
    everywhere ⇒ A_L ⋯ A_1 = 0. *)
Theorem depth_bounded (ls : seq ((R -> R) * res_layer R d))
    (gs : seq ((R -> R) * rf_layer R d)) :
  (forall p, List.In p ls -> bounded_act p.1) ->
  (forall p, List.In p gs -> bounded_act p.1) ->
  gs <> [::] ->
  (forall x, act_res_stack ls x = act_rf_stack gs x) ->
  skip_product (act_skips ls) = 0.
Proof.
move=> ls_bdd gs_bdd gs_neq_nil FG_eq.
have := @depth_bounded_abstract
  (abstract_layers (fun p => rl_A p.2)
     (fun p x => rl_Wd p.2 *m map_mx p.1 (rl_Wu p.2 *m x)) ls)
  (map (fun p => rf_map p.1 p.2) gs).
rewrite abstract_skips; apply.
- by apply: In_abstract => p /ls_bdd; exact: hidden_bdd_act.
- exact: map_neq_nil.
- by apply: In_map_fun => p /gs_bdd; exact: hidden_bdd_act.
- by move=> x; rewrite abstract_compose; exact: FG_eq.
Qed.

(** The same with one σ for every layer of both stacks. *)
Corollary depth_bounded_const (sigma : R -> R) (B : R)
    (ls : seq (res_layer R d)) (gs : seq (rf_layer R d)) :
  (forall z, `|sigma z| <= B) ->
  gs <> [::] ->
  (forall x, res_stack sigma ls x = rf_stack sigma gs x) ->
  skip_product (map (@rl_A R d) ls) = 0.
Proof.
move=> sigma_le gs_neq_nil FG_eq; rewrite -(act_skips_const sigma).
have sigma_bdd : bounded_act sigma by exists B.
apply: (depth_bounded (gs := map (pair sigma) gs)).
- exact: In_pair_const.
- exact: In_pair_const.
- exact: map_neq_nil.
- by move=> x; rewrite act_res_stack_const act_rf_stack_const.
Qed.

End Bounded.
