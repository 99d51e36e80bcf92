(** * Flatness / linearization obstruction: depth 1 (BLUEPRINT Thm 3) and depth L
    (Thm 4(a)).  Limits are written out in ε–δ form over an arbitrary real field. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Norms Bounded.
Require List.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Flat.
Variable R : realFieldType.

(** σ(z) = o(|z|) as z → 0 (equivalently σ(0) = 0 = σ'(0)). *)
Definition small_o (sigma : R -> R) :=
  forall eps, 0 < eps -> exists2 delta, 0 < delta &
    forall z, `|z| < delta -> `|sigma z| <= eps * `|z|.

(** γ continuous at 0 (ε–δ). *)
Definition continuous_at0 (gamma : R -> R) :=
  forall eps, 0 < eps -> exists2 delta, 0 < delta &
    forall z, `|z| < delta -> `|gamma z - gamma 0| < eps.

Lemma pos1 (c : R) : 0 <= c -> 0 < c + 1.
Proof. by move=> c0; apply: le_lt_trans c0 _; rewrite ltr_addl ltr01. Qed.

Lemma frac_le (c e : R) : 0 <= c -> 0 <= e -> c * (e / (c + 1)) <= e.
Proof.
move=> c0 e0; have c1 := pos1 c0.
rewrite mulrCA; apply: ler_pimulr => //.
by rewrite ler_pdivr_mulr // mul1r ler_addl ler01.
Qed.

Lemma frac_lt (c a delta : R) : 0 <= c -> 0 <= a -> a < delta / (c + 1) -> c * a < delta.
Proof.
move=> c0 a0; have c1 := pos1 c0.
rewrite ltr_pdivl_mulr // => h; apply: le_lt_trans h.
by rewrite mulrC ler_wpmul2l // ler_addl ler01.
Qed.

Section Generic.
Variable p q : nat.
Implicit Types (N M : 'cV[R]_q -> 'cV[R]_p).

Lemma flat_add N M : small_o_lin N -> small_o_lin M -> small_o_lin (fun x => N x + M x).
Proof.
move=> hN hM e e0; have e2 : 0 < e / 2%:R by rewrite divr_gt0 // ltr0n.
have [d1 d10 h1] := hN _ e2; have [d2 d20 h2] := hM _ e2.
exists (Order.min d1 d2); first by rewrite lt_minr d10 d20.
move=> x; rewrite lt_minr => /andP [x1 x2].
apply: le_trans (vnormD _ _) _; rewrite [e]splitr mulrDl; apply: ler_add; [exact: h1|exact: h2].
Qed.

Lemma flat_opp N : small_o_lin N -> small_o_lin (fun x => - N x).
Proof. by move=> hN e e0; have [dl d0 h] := hN _ e0; exists dl => // x; rewrite vnormN; exact: h. Qed.

Lemma flat_lin r (W : 'M[R]_(r, p)) N : small_o_lin N -> small_o_lin (fun x => W *m N x).
Proof.
move=> hN e e0; have c1 := pos1 (mnorm_ge0 W).
have [dl d0 h] := hN _ (divr_gt0 e0 c1); exists dl => // x hx.
apply: le_trans (vnorm_mul _ _) _; apply: le_trans (ler_wpmul2l (mnorm_ge0 W) (h x hx)) _.
rewrite mulrA ler_wpmul2r ?vnorm_ge0 //; apply: frac_le; [exact: mnorm_ge0|exact: ltW].
Qed.

(** Composition with a map that is O(|x|) near 0. *)
Lemma flat_comp_O r N (Y : 'cV[R]_r -> 'cV[R]_q) (C : R) :
  small_o_lin N -> 0 <= C ->
  (exists2 d0, 0 < d0 & forall x, vnorm x < d0 -> vnorm (Y x) <= C * vnorm x) ->
  small_o_lin (fun x => N (Y x)).
Proof.
move=> hN C0 [d0 d00 hY] e e0; have c1 := pos1 C0.
have [dl dl0 h] := hN _ (divr_gt0 e0 c1).
exists (Order.min d0 (dl / (C + 1))); first by rewrite lt_minr d00 divr_gt0.
move=> x; rewrite lt_minr => /andP [x0 x1].
have hy := hY x x0.
have hyd : vnorm (Y x) < dl by apply: le_lt_trans hy (frac_lt C0 (vnorm_ge0 x) x1).
apply: le_trans (h _ hyd) _; apply: le_trans (ler_wpmul2l _ hy) _.
  by rewrite ltW // divr_gt0.
rewrite mulrA ler_wpmul2r ?vnorm_ge0 // mulrC; exact: frac_le (ltW e0).
Qed.

Lemma flat_O N : small_o_lin N ->
  exists2 d0, 0 < d0 & forall x, vnorm x < d0 -> vnorm (N x) <= 1 * vnorm x.
Proof. by move=> hN; have [dl d0 h] := hN 1 ltr01; exists dl. Qed.

Lemma flat_eq_near N M (r : R) :
  small_o_lin M -> 0 < r -> (forall x, vnorm x < r -> N x = M x) -> small_o_lin N.
Proof.
move=> hM r0 h e e0; have [dl d0 hd] := hM _ e0.
exists (Order.min dl r); first by rewrite lt_minr d0 r0.
by move=> x; rewrite lt_minr => /andP [x1 x2]; rewrite h //; exact: hd.
Qed.

End Generic.

Lemma map_flat (sigma : R -> R) w : small_o sigma -> small_o_lin (fun y : 'cV[R]_w => map_mx sigma y).
Proof.
move=> hs e e0; have [dl d0 h] := hs _ e0; exists dl => // y hy.
rewrite /vnorm mulr_sumr; apply: ler_sum => i _; rewrite mxE.
by apply: h; apply: le_lt_trans hy; exact: entry_le_vnorm.
Qed.

(** The ungated hidden map x ↦ W σ(U x) is flat when σ(z) = o(|z|). *)
Lemma ungated_flat (sigma : R -> R) d w (W : 'M[R]_(d, w)) (U : 'M[R]_(w, d)) :
  small_o sigma -> small_o_lin (fun x : 'cV[R]_d => W *m map_mx sigma (U *m x)).
Proof.
move=> hs; apply: flat_lin; apply: (@flat_comp_O _ _ _ _ _ (mnorm U)).
- exact: map_flat.
- exact: mnorm_ge0.
- by exists 1 => // x _; exact: vnorm_mul.
Qed.

(** The gated hidden map x ↦ W [γ(P x) ⊙ (Q x)] is flat when γ is continuous at 0
    with γ(0) = 0 (no differentiability needed). *)
Lemma gated_hidden_flat (gamma : R -> R) d w (P Q : 'M[R]_(w, d)) :
  continuous_at0 gamma -> gamma 0 = 0 -> small_o_lin (gated_hidden gamma P Q).
Proof.
move=> hc hg0 e e0.
have cQ := pos1 (mnorm_ge0 Q).
have [dl d0 h] := hc _ (divr_gt0 e0 cQ).
have cP := pos1 (mnorm_ge0 P).
exists (dl / (mnorm P + 1)); first by rewrite divr_gt0.
move=> x hx.
have hPx i : `|(P *m x) i 0| < dl.
  apply: le_lt_trans (entry_le_vnorm _ i) _; apply: le_lt_trans (vnorm_mul _ _) _.
  exact: frac_lt (mnorm_ge0 P) (vnorm_ge0 x) hx.
apply: (@le_trans _ _ ((e / (mnorm Q + 1)) * vnorm (Q *m x))).
  rewrite /vnorm mulr_sumr; apply: ler_sum => i _; rewrite /gated_hidden mxE normrM.
  rewrite ler_wpmul2r ?normr_ge0 //.
  by have := h _ (hPx i); rewrite hg0 subr0; exact: ltW.
apply: le_trans (ler_wpmul2l _ (vnorm_mul Q x)) _; first by rewrite ltW // divr_gt0.
rewrite mulrA ler_wpmul2r ?vnorm_ge0 // mulrC; exact: frac_le (mnorm_ge0 Q) (ltW e0).
Qed.

Lemma gated_flat (gamma : R -> R) d w (W : 'M[R]_(d, w)) (P Q : 'M[R]_(w, d)) :
  continuous_at0 gamma -> gamma 0 = 0 ->
  small_o_lin (fun x : 'cV[R]_d => W *m gated_hidden gamma P Q x).
Proof. by move=> hc hg0; apply: flat_lin; exact: gated_hidden_flat. Qed.

(** Abstract form of Thm 3: A x = H(x) on a neighbourhood of 0 with H flat ⇒ A = 0. *)
Lemma flat_obstruction_abstract d n m (N : 'cV[R]_d -> 'cV[R]_n) (M : 'cV[R]_d -> 'cV[R]_m)
    (A : 'M[R]_d) (W : 'M[R]_(d, n)) (V : 'M[R]_(d, m)) (r : R) :
  small_o_lin N -> small_o_lin M -> 0 < r ->
  (forall x, vnorm x < r -> A *m x + W *m N x = V *m M x) -> A = 0.
Proof.
move=> hN hM r0 h; apply: flat_linear0.
apply: (@flat_eq_near _ _ _ (fun x => V *m M x + - (W *m N x)) r) => //.
  by apply: flat_add; [exact: flat_lin | apply: flat_opp; exact: flat_lin].
by move=> x hx; rewrite -(h x hx) addrK.
Qed.

(** flat (Thm 3).  Ungated: σ(z) = o(|z|); gated: γ continuous at 0 with γ(0) = 0.
    If the residual block equals a residual-free block of any width m (same σ, resp.
    same γ) on a neighbourhood {|x| < r} of 0, then A = 0. *)
Theorem flat_obstruction :
  (forall (sigma : R -> R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
          (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) (r : R),
     small_o sigma -> 0 < r ->
     (forall x, vnorm x < r -> block sigma A Wd Wu x = rf_block sigma V U x) -> A = 0)
  /\
  (forall (gamma : R -> R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (P Q : 'M[R]_(n, d))
          (V : 'M[R]_(d, m)) (P' Q' : 'M[R]_(m, d)) (r : R),
     continuous_at0 gamma -> gamma 0 = 0 -> 0 < r ->
     (forall x, vnorm x < r -> gated_block gamma A Wd P Q x = gated_rf_block gamma V P' Q' x) ->
     A = 0).
Proof.
split.
- move=> sigma d n m A Wd Wu V U r hs r0 h.
  apply: (@flat_obstruction_abstract d n m (fun x => map_mx sigma (Wu *m x))
            (fun x => map_mx sigma (U *m x)) A Wd V r) => //.
  + apply: (@flat_comp_O _ _ _ _ _ (mnorm Wu)); [exact: map_flat | exact: mnorm_ge0 |].
    by exists 1 => // x _; exact: vnorm_mul.
  + apply: (@flat_comp_O _ _ _ _ _ (mnorm U)); [exact: map_flat | exact: mnorm_ge0 |].
    by exists 1 => // x _; exact: vnorm_mul.
- move=> gamma d n m A Wd P Q V P' Q' r hc hg0 r0 h.
  apply: (@flat_obstruction_abstract d n m (gated_hidden gamma P Q)
            (gated_hidden gamma P' Q') A Wd V r) => //.
  + exact: gated_hidden_flat.
  + exact: gated_hidden_flat.
Qed.

(** Depth L (Thm 4(a)). *)
Section Depth.
Variable d : nat.
Local Notation vec := 'cV[R]_d.
Local Notation layer := ('M[R]_d * (vec -> vec))%type.

Lemma stack_flat_gen (ls : seq layer) :
  (forall p, List.In p ls -> small_o_lin p.2) ->
  forall (Q : 'M[R]_d) (Y : vec -> vec),
    small_o_lin (fun x => Y x - Q *m x) ->
    small_o_lin (fun x => compose (map (@lay R d) ls) (Y x)
                          - foldl (fun P A => A *m P) Q (map fst ls) *m x).
Proof.
elim: ls => [|[A H] ls IH] hls Q Y hY //=.
apply: (IH _ (A *m Q) (fun x => lay (A, H) (Y x))).
  by move=> p hp; apply: hls; right.
have hH : small_o_lin H := hls (A, H) (or_introl erefl).
apply: (@flat_eq_near _ _ _ (fun x => A *m (Y x - Q *m x) + H (Y x)) 1) => //.
- apply: flat_add; first exact: flat_lin.
  apply: (@flat_comp_O _ _ _ _ _ (1 + mnorm Q)) => //.
    by apply: addr_ge0; [exact: ler01 | exact: mnorm_ge0].
  have [d0 d00 h0] := flat_O hY; exists d0 => // x hx.
  have -> : Y x = (Y x - Q *m x) + Q *m x by rewrite subrK.
  apply: le_trans (vnormD _ _) _; rewrite mulrDl; apply: ler_add; first exact: h0.
  exact: vnorm_mul.
- exact: ltr01.
- by move=> x _ /=; rewrite mulmxBr mulmxA addrAC.
Qed.

Lemma compose_flat (gs : seq (vec -> vec)) :
  gs <> [::] -> (forall g, List.In g gs -> small_o_lin g) -> small_o_lin (compose gs).
Proof.
elim: gs => [//|g gs IH] _ hgs.
case: gs IH hgs => [|g' gs] IH hgs /=; first exact: hgs (or_introl erefl).
have hG := IH (fun e => List.nil_cons (esym e)) (fun g0 h => hgs g0 (or_intror h)).
apply: (@flat_comp_O _ _ _ _ _ 1) hG ler01 _.
exact: flat_O (hgs g (or_introl erefl)).
Qed.

Theorem depth_flat_abstract (ls : seq layer) (gs : seq (vec -> vec)) (r : R) :
  (forall p, List.In p ls -> small_o_lin p.2) ->
  gs <> [::] -> (forall g, List.In g gs -> small_o_lin g) -> 0 < r ->
  (forall x, vnorm x < r -> compose (map (@lay R d) ls) x = compose gs x) ->
  skip_product (map fst ls) = 0.
Proof.
move=> hls gs0 hgs r0 h; apply: flat_linear0.
have hid : small_o_lin (fun x : vec => id x - 1%:M *m x).
  move=> e e0; exists 1 => // x _; rewrite mul1mx subrr vnorm0.
  by apply: mulr_ge0; [exact: ltW | exact: vnorm_ge0].
have hF := stack_flat_gen hls hid.
apply: (@flat_eq_near _ _ _ (fun x => - (compose (map (@lay R d) ls) (id x)
                                    - skip_product (map fst ls) *m x) + compose gs x) r) => //.
  by apply: flat_add; [exact: flat_opp | exact: compose_flat].
by move=> x hx /=; rewrite (h x hx) opprB subrK.
Qed.

End Depth.

(** depth-flat (Thm 4(a)).  F = f_L ∘ ⋯ ∘ f_1 residual blocks (skips A_l, arbitrary
    hidden widths), G = g_{L'} ∘ ⋯ ∘ g_1 residual-free blocks (arbitrary widths, L' ≥ 1,
    arbitrary L), F = G on a neighbourhood of 0 ⇒ A_L ⋯ A_1 = 0; ungated with
    σ(z) = o(|z|), and gated with γ continuous at 0, γ(0) = 0. *)
Theorem depth_flat :
  (forall (sigma : R -> R) d (ls : seq (res_layer R d)) (gs : seq (rf_layer R d)) (r : R),
     small_o sigma -> gs <> [::] -> 0 < r ->
     (forall x, vnorm x < r -> res_stack sigma ls x = rf_stack sigma gs x) ->
     skip_product (map (@rl_A R d) ls) = 0)
  /\
  (forall (gamma : R -> R) d (ls : seq (gres_layer R d)) (gs : seq (grf_layer R d)) (r : R),
     continuous_at0 gamma -> gamma 0 = 0 -> gs <> [::] -> 0 < r ->
     (forall x, vnorm x < r -> gres_stack gamma ls x = grf_stack gamma gs x) ->
     skip_product (map (@gl_A R d) ls) = 0).
Proof.
split.
- move=> sigma d ls gs r hs gs0 r0 h.
  have := @depth_flat_abstract d
    (map (fun l => (rl_A l, fun x => rl_Wd l *m map_mx sigma (rl_Wu l *m x))) ls)
    (map (rf_map sigma) gs) r.
  have e : forall f : res_layer R d -> 'cV[R]_d -> 'cV[R]_d,
      map fst (map (fun l => (rl_A l, f l)) ls) = map (@rl_A R d) ls.
    by move=> f; rewrite -map_comp.
  rewrite e; apply => //.
  + move=> p /List.in_map_iff [l [<- _]]; exact: ungated_flat.
  + by case: gs gs0 {h}.
  + move=> g /List.in_map_iff [l [<- _]]; exact: ungated_flat.
  + by move=> x hx; rewrite -map_comp; exact: h x hx.
- move=> gamma d ls gs r hc hg0 gs0 r0 h.
  have := @depth_flat_abstract d
    (map (fun l => (gl_A l, fun x => gl_Wd l *m gated_hidden gamma (gl_P l) (gl_Q l) x)) ls)
    (map (grf_map gamma) gs) r.
  have e : forall f : gres_layer R d -> 'cV[R]_d -> 'cV[R]_d,
      map fst (map (fun l => (gl_A l, f l)) ls) = map (@gl_A R d) ls.
    by move=> f; rewrite -map_comp.
  rewrite e; apply => //.
  + move=> p /List.in_map_iff [l [<- _]]; exact: gated_flat.
  + by case: gs gs0 {h}.
  + move=> g /List.in_map_iff [l [<- _]]; exact: gated_flat.
  + by move=> x hx; rewrite -map_comp; exact: h x hx.
Qed.

End Flat.
