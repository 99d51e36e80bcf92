(** * Bounded activations: depth 1 (BLUEPRINT Prop 3.1) and depth L (Thm 4(d)). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Norms.
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

(** An abstract residual layer x ↦ A x + H(x). *)
Definition lay (p : layer) : vec -> vec := fun x => p.1 *m x + p.2 x.

Definition bdd (H : vec -> vec) := exists K, forall x, vnorm (H x) <= K.

Lemma stack_bounded_gen (ls : seq (layer)) :
  (forall p, List.In p ls -> bdd p.2) ->
  forall (Q : 'M[R]_d) (Y : vec -> vec),
    bdd (fun x => Y x - Q *m x) ->
    bdd (fun x => compose (map lay ls) (Y x) - foldl (fun P A => A *m P) Q (map fst ls) *m x).
Proof.
elim: ls => [|[A H] ls IH] hls Q Y hY //=.
apply: (IH _ (A *m Q) (fun x => lay (A, H) (Y x))).
  by move=> p hp; apply: hls; right.
have [K0 hK0] := hY; have [KH hKH] := hls (A, H) (or_introl erefl).
exists (mnorm A * K0 + KH) => x /=.
have -> : A *m Y x + H (Y x) - A *m Q *m x = A *m (Y x - Q *m x) + H (Y x).
  by rewrite mulmxBr mulmxA addrAC.
apply: le_trans (vnormD _ _) _; apply: ler_add => //.
apply: le_trans (vnorm_mul _ _) _; apply: ler_wpmul2l => //; exact: mnorm_ge0.
Qed.

Lemma compose_bounded (gs : seq (vec -> vec)) :
  gs <> [::] -> (forall g, List.In g gs -> bdd g) -> bdd (compose gs).
Proof.
elim: gs => [//|g gs IH] _ hgs.
case: gs IH hgs => [|g' gs] IH hgs /=; first exact: hgs (or_introl erefl).
have [K hK] := IH (fun e => List.nil_cons (esym e)) (fun g0 h => hgs g0 (or_intror h)).
by exists K => x; exact: hK.
Qed.

(** Abstract depth-L bounded obstruction: F = f_L ∘ ⋯ ∘ f_1 with f_l(x) = A_l x + H_l(x),
    every H_l bounded; G = g_{L'} ∘ ⋯ ∘ g_1 with L' ≥ 1 and every g_j bounded.
    F = G everywhere ⇒ A_L ⋯ A_1 = 0. *)
Theorem depth_bounded_abstract (ls : seq (layer)) (gs : seq (vec -> vec)) :
  (forall p, List.In p ls -> bdd p.2) ->
  gs <> [::] -> (forall g, List.In g gs -> bdd g) ->
  (forall x, compose (map lay ls) x = compose gs x) ->
  skip_product (map fst ls) = 0.
Proof.
move=> hls gs0 hgs h.
have hid : bdd (fun x => id x - 1%:M *m x).
  by exists 0 => x; rewrite mul1mx subrr vnorm0.
have := stack_bounded_gen hls; move=> /(_ 1%:M id hid) [K hK].
have [K' hK'] := compose_bounded gs0 hgs.
apply: (@bounded_linear0 _ _ _ _ (K + K')) => x.
have -> : skip_product (map fst ls) *m x =
    - (compose (map lay ls) (id x) - skip_product (map fst ls) *m x) + compose gs x.
  by rewrite -h /= opprB subrK.
apply: le_trans (vnormD _ _) _; rewrite vnormN; exact: ler_add.
Qed.

Lemma hidden_bdd (sigma : R -> R) (B : R) w (W : 'M[R]_(d, w)) (U : 'M[R]_(w, d)) :
  (forall z, `|sigma z| <= B) -> bdd (fun x => W *m map_mx sigma (U *m x)).
Proof.
move=> hB; exists (mnorm W * (B *+ w)) => x.
apply: le_trans (vnorm_mul _ _) _; apply: ler_wpmul2l; first exact: mnorm_ge0.
rewrite /vnorm -[w in B *+ w]card_ord -sumr_const; apply: ler_sum => i _.
by rewrite mxE.
Qed.

(** bounded (Prop 3.1): |σ| ≤ B everywhere and A x + W_down σ(W_up x) = V σ(U x) for all
    x, with a residual-free comparator of any width m ⇒ A = 0. *)
Theorem bounded_obstruction (sigma : R -> R) (B : R) n m (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) :
  (forall z, `|sigma z| <= B) ->
  (forall x, block sigma A Wd Wu x = rf_block sigma V U x) ->
  A = 0.
Proof.
move=> hB h.
have := @depth_bounded_abstract [:: (A, fun x => Wd *m map_mx sigma (Wu *m x))]
                                [:: rf_block sigma V U].
rewrite /skip_product /= mulmx1; apply => //.
- by move=> p [<-|[]]; exact: hidden_bdd hB.
- by move=> g [<-|[]]; exact: hidden_bdd hB.
Qed.

(** depth-bounded (Thm 4(d)): F = f_L ∘ ⋯ ∘ f_1 (residual blocks with skips A_l and
    arbitrary hidden widths), G = g_{L'} ∘ ⋯ ∘ g_1 (residual-free blocks of arbitrary
    widths, L' ≥ 1, arbitrary L), σ bounded, F = G everywhere ⇒ A_L ⋯ A_1 = 0. *)
Theorem depth_bounded (sigma : R -> R) (B : R) (ls : seq (res_layer R d))
    (gs : seq (rf_layer R d)) :
  (forall z, `|sigma z| <= B) ->
  gs <> [::] ->
  (forall x, res_stack sigma ls x = rf_stack sigma gs x) ->
  skip_product (map (@rl_A R d) ls) = 0.
Proof.
move=> hB gs0 h.
have := @depth_bounded_abstract
  (map (fun l => (rl_A l, fun x => rl_Wd l *m map_mx sigma (rl_Wu l *m x))) ls)
  (map (rf_map sigma) gs).
have e : forall f : res_layer R d -> vec -> vec,
    map fst (map (fun l => (rl_A l, f l)) ls) = map (@rl_A R d) ls.
  by move=> f; rewrite -map_comp.
rewrite e; apply.
- move=> p /List.in_map_iff [l [<- _]]; exact: hidden_bdd hB.
- by case: gs gs0 {h}.
- by move=> g /List.in_map_iff [l [<- _]]; exact: hidden_bdd hB.
- by move=> x; rewrite -map_comp; exact: h x.
Qed.

End Bounded.
