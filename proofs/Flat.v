(** * Flatness / linearization obstruction: depth 1 (BLUEPRINT Thm 3) and
    depth L (Thm 4(a)).  Limits are written out in ε–δ form over an
    arbitrary real field. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Norms Stacks.
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

(** The gate hypothesis of Thm 4(a): γ continuous at 0 with γ(0) = 0. *)
Definition flat_gate (gamma : R -> R) := continuous_at0 gamma /\ gamma 0 = 0.

Lemma pos1 (c : R) : 0 <= c -> 0 < c + 1.
Proof.
by move=> c_ge0; apply: le_lt_trans c_ge0 _; rewrite ltr_addl ltr01.
Qed.

Lemma frac_le (c e : R) : 0 <= c -> 0 <= e -> c * (e / (c + 1)) <= e.
Proof.
move=> c_ge0 e_ge0; have c1_gt0 := pos1 c_ge0.
rewrite mulrCA; apply: ler_pimulr => //.
by rewrite ler_pdivr_mulr // mul1r ler_addl ler01.
Qed.

Lemma frac_lt (c a delta : R) :
  0 <= c -> 0 <= a -> a < delta / (c + 1) -> c * a < delta.
Proof.
move=> c_ge0 a_ge0; have c1_gt0 := pos1 c_ge0.
rewrite ltr_pdivl_mulr // => a_lt; apply: le_lt_trans a_lt.
by rewrite mulrC ler_wpmul2l // ler_addl ler01.
Qed.

Section Generic.
Variable p q : nat.
Implicit Types (N M : 'cV[R]_q -> 'cV[R]_p).

Lemma flat_add N M :
  small_o_lin N -> small_o_lin M -> small_o_lin (fun x => N x + M x).
Proof.
move=> N_flat M_flat e e_gt0.
have e2_gt0 : 0 < e / 2%:R by rewrite divr_gt0 // ltr0n.
have [d1 d1_gt0 N_le] := N_flat _ e2_gt0.
have [d2 d2_gt0 M_le] := M_flat _ e2_gt0.
exists (Order.min d1 d2); first by rewrite lt_minr d1_gt0 d2_gt0.
move=> x; rewrite lt_minr => /andP [x_lt1 x_lt2].
apply: le_trans (vnormD _ _) _; rewrite [e]splitr mulrDl.
by apply: ler_add; [exact: N_le | exact: M_le].
Qed.

Lemma flat_opp N : small_o_lin N -> small_o_lin (fun x => - N x).
Proof.
move=> N_flat e e_gt0; have [dl dl_gt0 N_le] := N_flat _ e_gt0.
by exists dl => // x; rewrite vnormN; exact: N_le.
Qed.

Lemma flat_lin r (W : 'M[R]_(r, p)) N :
  small_o_lin N -> small_o_lin (fun x => W *m N x).
Proof.
move=> N_flat e e_gt0; have c1_gt0 := pos1 (mnorm_ge0 W).
have [dl dl_gt0 N_le] := N_flat _ (divr_gt0 e_gt0 c1_gt0).
exists dl => // x x_lt; apply: le_trans (vnorm_mul _ _) _.
apply: le_trans (ler_wpmul2l (mnorm_ge0 W) (N_le x x_lt)) _.
rewrite mulrA ler_wpmul2r ?vnorm_ge0 //.
by apply: frac_le; [exact: mnorm_ge0 | exact: ltW].
Qed.

(** Composition with a map that is O(|x|) near 0. *)
Lemma flat_comp_O r N (Y : 'cV[R]_r -> 'cV[R]_q) (C : R) :
  small_o_lin N -> 0 <= C ->
  (exists2 d0, 0 < d0 &
     forall x, vnorm x < d0 -> vnorm (Y x) <= C * vnorm x) ->
  small_o_lin (fun x => N (Y x)).
Proof.
move=> N_flat C_ge0 [d0 d0_gt0 Y_le] e e_gt0; have c1_gt0 := pos1 C_ge0.
have [dl dl_gt0 N_le] := N_flat _ (divr_gt0 e_gt0 c1_gt0).
exists (Order.min d0 (dl / (C + 1))); first by rewrite lt_minr d0_gt0 divr_gt0.
move=> x; rewrite lt_minr => /andP [x_lt0 x_lt1].
have Yx_le := Y_le x x_lt0.
have Yx_lt : vnorm (Y x) < dl.
  by apply: le_lt_trans Yx_le (frac_lt C_ge0 (vnorm_ge0 x) x_lt1).
apply: le_trans (N_le _ Yx_lt) _; apply: le_trans (ler_wpmul2l _ Yx_le) _.
  by rewrite ltW // divr_gt0.
by rewrite mulrA ler_wpmul2r ?vnorm_ge0 // mulrC; exact: frac_le (ltW e_gt0).
Qed.

Lemma flat_O N : small_o_lin N ->
  exists2 d0, 0 < d0 & forall x, vnorm x < d0 -> vnorm (N x) <= 1 * vnorm x.
Proof.
by move=> N_flat; have [dl dl_gt0 N_le] := N_flat 1 ltr01; exists dl.
Qed.

Lemma flat_eq_near N M (r : R) :
  small_o_lin M -> 0 < r -> (forall x, vnorm x < r -> N x = M x) ->
  small_o_lin N.
Proof.
move=> M_flat r_gt0 NM_eq e e_gt0; have [dl dl_gt0 M_le] := M_flat _ e_gt0.
exists (Order.min dl r); first by rewrite lt_minr dl_gt0 r_gt0.
move=> x; rewrite lt_minr => /andP [x_lt1 x_lt2].
by rewrite NM_eq //; exact: M_le.
Qed.

End Generic.

Lemma map_flat (sigma : R -> R) w :
  small_o sigma -> small_o_lin (fun y : 'cV[R]_w => map_mx sigma y).
Proof.
move=> sigma_o e e_gt0; have [dl dl_gt0 sigma_le] := sigma_o _ e_gt0.
exists dl => // y y_lt.
rewrite /vnorm mulr_sumr; apply: ler_sum => i _; rewrite mxE.
by apply: sigma_le; apply: le_lt_trans y_lt; exact: entry_le_vnorm.
Qed.

(** The ungated hidden map x ↦ W σ(U x) is flat when σ(z) = o(|z|). *)
Lemma ungated_flat (sigma : R -> R) d w (W : 'M[R]_(d, w))
    (U : 'M[R]_(w, d)) :
  small_o sigma -> small_o_lin (fun x : 'cV[R]_d => W *m map_mx sigma (U *m x)).
Proof.
move=> sigma_o; apply: flat_lin.
apply: (@flat_comp_O _ _ _ _ _ (mnorm U)).
- exact: map_flat.
- exact: mnorm_ge0.
- by exists 1 => // x _; exact: vnorm_mul.
Qed.

(** The gated hidden map x ↦ γ(P x) ⊙ (Q x) is flat when γ is continuous at
    0 with γ(0) = 0 (no differentiability needed). *)
Lemma gated_hidden_flat (gamma : R -> R) d w (P Q : 'M[R]_(w, d)) :
  continuous_at0 gamma -> gamma 0 = 0 ->
  small_o_lin (gated_hidden gamma P Q).
Proof.
move=> gamma_cont gamma0 e e_gt0.
have cQ_gt0 := pos1 (mnorm_ge0 Q).
have [dl dl_gt0 gamma_lt] := gamma_cont _ (divr_gt0 e_gt0 cQ_gt0).
have cP_gt0 := pos1 (mnorm_ge0 P).
exists (dl / (mnorm P + 1)); first by rewrite divr_gt0.
move=> x x_lt.
have Px_lt i : `|(P *m x) i 0| < dl.
  apply: le_lt_trans (entry_le_vnorm _ i) _.
  apply: le_lt_trans (vnorm_mul _ _) _.
  exact: frac_lt (mnorm_ge0 P) (vnorm_ge0 x) x_lt.
apply: (@le_trans _ _ ((e / (mnorm Q + 1)) * vnorm (Q *m x))).
  rewrite /vnorm mulr_sumr; apply: ler_sum => i _.
  rewrite /gated_hidden mxE normrM ler_wpmul2r ?normr_ge0 //.
  by have := gamma_lt _ (Px_lt i); rewrite gamma0 subr0; exact: ltW.
apply: le_trans (ler_wpmul2l _ (vnorm_mul Q x)) _.
  by rewrite ltW // divr_gt0.
rewrite mulrA ler_wpmul2r ?vnorm_ge0 // mulrC.
exact: frac_le (mnorm_ge0 Q) (ltW e_gt0).
Qed.

Lemma gated_flat (gamma : R -> R) d w (W : 'M[R]_(d, w)) (P Q : 'M[R]_(w, d)) :
  flat_gate gamma ->
  small_o_lin (fun x : 'cV[R]_d => W *m gated_hidden gamma P Q x).
Proof.
by case=> gamma_cont gamma0; apply: flat_lin; exact: gated_hidden_flat.
Qed.

(** Abstract form of Thm 3: A x = H(x) on a neighbourhood of 0 with H flat
    ⇒ A = 0. *)
Lemma flat_obstruction_abstract d n m (N : 'cV[R]_d -> 'cV[R]_n)
    (M : 'cV[R]_d -> 'cV[R]_m) (A : 'M[R]_d) (W : 'M[R]_(d, n))
    (V : 'M[R]_(d, m)) (r : R) :
  small_o_lin N -> small_o_lin M -> 0 < r ->
  (forall x, vnorm x < r -> A *m x + W *m N x = V *m M x) -> A = 0.
Proof.
move=> N_flat M_flat r_gt0 eq_near; apply: flat_linear0.
apply: (@flat_eq_near _ _ _ (fun x => V *m M x + - (W *m N x)) r) => //.
  by apply: flat_add; [exact: flat_lin | apply: flat_opp; exact: flat_lin].
by move=> x x_lt; rewrite -(eq_near x x_lt) addrK.
Qed.

Lemma map_Wu_flat (sigma : R -> R) d n (Wu : 'M[R]_(n, d)) :
  small_o sigma -> small_o_lin (fun x : 'cV[R]_d => map_mx sigma (Wu *m x)).
Proof.
move=> sigma_o; apply: (@flat_comp_O _ _ _ _ _ (mnorm Wu)).
- exact: map_flat.
- exact: mnorm_ge0.
- by exists 1 => // x _; exact: vnorm_mul.
Qed.

(** flat (Thm 3).  Ungated: σ(z) = o(|z|); gated: γ continuous at 0 with
    γ(0) = 0.  If the residual block equals a residual-free block of any
    width m (same σ, resp. same γ) on a neighbourhood {|x| < r} of 0, then
    A = 0. *)
Theorem flat_obstruction :
  (forall (sigma : R -> R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
          (Wu : 'M[R]_(n, d)) (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) (r : R),
     small_o sigma -> 0 < r ->
     (forall x, vnorm x < r -> block sigma A Wd Wu x = rf_block sigma V U x) ->
     A = 0)
  /\
  (forall (gamma : R -> R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
          (P Q : 'M[R]_(n, d)) (V : 'M[R]_(d, m)) (P' Q' : 'M[R]_(m, d))
          (r : R),
     continuous_at0 gamma -> gamma 0 = 0 -> 0 < r ->
     (forall x, vnorm x < r ->
        gated_block gamma A Wd P Q x = gated_rf_block gamma V P' Q' x) ->
     A = 0).
Proof.
split=> [sigma d n m A Wd Wu V U r sigma_o r_gt0 eq_near
        | gamma d n m A Wd P Q V P' Q' r gamma_cont gamma0 r_gt0 eq_near].
  apply: (flat_obstruction_abstract (map_Wu_flat Wu sigma_o)
            (map_Wu_flat U sigma_o) r_gt0).
  exact: eq_near.
apply: (flat_obstruction_abstract (gated_hidden_flat P Q gamma_cont gamma0)
          (gated_hidden_flat P' Q' gamma_cont gamma0) r_gt0).
exact: eq_near.
Qed.

(** Depth L (Thm 4(a)). *)
Section Depth.
Variable d : nat.
Local Notation vec := 'cV[R]_d.
Local Notation layer := ('M[R]_d * (vec -> vec))%type.

Lemma flat_id_sub : small_o_lin (fun x : vec => id x - 1%:M *m x).
Proof.
move=> e e_gt0; exists 1 => // x _; rewrite mul1mx subrr vnorm0.
by apply: mulr_ge0; [exact: ltW | exact: vnorm_ge0].
Qed.

Lemma flat_layer (A Q : 'M[R]_d) (H Y : vec -> vec) :
  small_o_lin H -> small_o_lin (fun x => Y x - Q *m x) ->
  small_o_lin (fun x => lay (A, H) (Y x) - A *m Q *m x).
Proof.
move=> H_flat Y_flat.
apply: (@flat_eq_near _ _ _ (fun x => A *m (Y x - Q *m x) + H (Y x)) 1).
- apply: flat_add; first exact: flat_lin.
  apply: (@flat_comp_O _ _ _ _ _ (1 + mnorm Q)) => //.
    by apply: addr_ge0; [exact: ler01 | exact: mnorm_ge0].
  have [d0 d0_gt0 Y_le] := flat_O Y_flat; exists d0 => // x x_lt.
  have -> : Y x = (Y x - Q *m x) + Q *m x by rewrite subrK.
  apply: le_trans (vnormD _ _) _; rewrite mulrDl.
  by apply: ler_add; [exact: Y_le | exact: vnorm_mul].
- exact: ltr01.
- by move=> x _ /=; rewrite mulmxBr mulmxA addrAC.
Qed.

Lemma compose_flat (gs : seq (vec -> vec)) :
  gs <> [::] -> (forall g, List.In g gs -> small_o_lin g) ->
  small_o_lin (compose gs).
Proof.
elim: gs => [//|g gs IH] _ gs_flat.
case: gs IH gs_flat => [|g' gs] IH gs_flat /=.
  exact: gs_flat (or_introl erefl).
have G_flat := IH (fun e => List.nil_cons (esym e))
                  (fun g0 g0_in => gs_flat g0 (or_intror g0_in)).
apply: (@flat_comp_O _ _ _ _ _ 1) G_flat ler01 _.
exact: flat_O (gs_flat g (or_introl erefl)).
Qed.

Theorem depth_flat_abstract (ls : seq layer) (gs : seq (vec -> vec)) (r : R) :
  (forall p, List.In p ls -> small_o_lin p.2) ->
  gs <> [::] -> (forall g, List.In g gs -> small_o_lin g) -> 0 < r ->
  (forall x, vnorm x < r -> compose (map lay ls) x = compose gs x) ->
  skip_product (map fst ls) = 0.
Proof.
move=> ls_flat gs_neq_nil gs_flat r_gt0 eq_near; apply: flat_linear0.
have F_flat := stack_gen flat_layer ls_flat flat_id_sub.
apply: (@flat_eq_near _ _ _
          (fun x => - (compose (map lay ls) (id x)
                       - skip_product (map fst ls) *m x) + compose gs x) r).
- by apply: flat_add; [exact: flat_opp | exact: compose_flat].
- exact: r_gt0.
- by move=> x x_lt /=; rewrite (eq_near x x_lt) opprB subrK.
Qed.

(** depth-flat (Thm 4(a)), per-layer activations.  F = f_L ∘ ⋯ ∘ f_1
    residual blocks (skips A_l, hidden widths and activations of their
    own), G = g_{L'} ∘ ⋯ ∘ g_1 residual-free blocks (widths and activations
    of their own, L' ≥ 1, arbitrary L), F = G on a neighbourhood of 0 ⇒
    A_L ⋯ A_1 = 0; ungated with every σ_l(z) = o(|z|), and gated with every
    γ_l continuous at 0 and γ_l(0) = 0. *)
Theorem depth_flat :
  (forall (ls : seq ((R -> R) * res_layer R d))
          (gs : seq ((R -> R) * rf_layer R d)) (r : R),
     (forall p, List.In p ls -> small_o p.1) ->
     (forall p, List.In p gs -> small_o p.1) ->
     gs <> [::] -> 0 < r ->
     (forall x, vnorm x < r -> act_res_stack ls x = act_rf_stack gs x) ->
     skip_product (act_skips ls) = 0)
  /\
  (forall (ls : seq ((R -> R) * gres_layer R d))
          (gs : seq ((R -> R) * grf_layer R d)) (r : R),
     (forall p, List.In p ls -> flat_gate p.1) ->
     (forall p, List.In p gs -> flat_gate p.1) ->
     gs <> [::] -> 0 < r ->
     (forall x, vnorm x < r -> act_gres_stack ls x = act_grf_stack gs x) ->
     skip_product (act_gskips ls) = 0).
Proof.
split=> ls gs r ls_act gs_act gs_neq_nil r_gt0 eq_near.
  have := @depth_flat_abstract
    (abstract_layers (fun p => rl_A p.2)
       (fun p x => rl_Wd p.2 *m map_mx p.1 (rl_Wu p.2 *m x)) ls)
    (map (fun p => rf_map p.1 p.2) gs) r.
  rewrite abstract_skips; apply=> //.
  - by apply: In_abstract => p /ls_act; exact: ungated_flat.
  - exact: map_neq_nil.
  - by apply: In_map_fun => p /gs_act; exact: ungated_flat.
  - by move=> x x_lt; rewrite abstract_compose; exact: eq_near.
have := @depth_flat_abstract
  (abstract_layers (fun p => gl_A p.2)
     (fun p x => gl_Wd p.2 *m gated_hidden p.1 (gl_P p.2) (gl_Q p.2) x) ls)
  (map (fun p => grf_map p.1 p.2) gs) r.
rewrite abstract_skips; apply=> //.
- by apply: In_abstract => p /ls_act; exact: gated_flat.
- exact: map_neq_nil.
- by apply: In_map_fun => p /gs_act; exact: gated_flat.
- by move=> x x_lt; rewrite abstract_compose; exact: eq_near.
Qed.

(** The same with one σ (resp. γ) for every layer of both stacks. *)
Corollary depth_flat_const :
  (forall (sigma : R -> R) (ls : seq (res_layer R d))
          (gs : seq (rf_layer R d)) (r : R),
     small_o sigma -> gs <> [::] -> 0 < r ->
     (forall x, vnorm x < r -> res_stack sigma ls x = rf_stack sigma gs x) ->
     skip_product (map (@rl_A R d) ls) = 0)
  /\
  (forall (gamma : R -> R) (ls : seq (gres_layer R d))
          (gs : seq (grf_layer R d)) (r : R),
     continuous_at0 gamma -> gamma 0 = 0 -> gs <> [::] -> 0 < r ->
     (forall x, vnorm x < r ->
        gres_stack gamma ls x = grf_stack gamma gs x) ->
     skip_product (map (@gl_A R d) ls) = 0).
Proof.
have [ungated gated] := depth_flat.
split=> [sigma ls gs r sigma_o | gamma ls gs r gamma_cont gamma0]
        gs_neq_nil r_gt0 eq_near.
  rewrite -(act_skips_const sigma).
  apply: (ungated _ _ _ (In_pair_const sigma_o) (In_pair_const sigma_o)
            (map_neq_nil gs_neq_nil) r_gt0) => x x_lt.
  by rewrite act_res_stack_const act_rf_stack_const eq_near.
have gamma_gate : flat_gate gamma by [].
rewrite -(act_gskips_const gamma).
apply: (gated _ _ _ (In_pair_const gamma_gate)
          (In_pair_const gamma_gate) (map_neq_nil gs_neq_nil) r_gt0).
by move=> x x_lt; rewrite act_gres_stack_const act_grf_stack_const eq_near.
Qed.

End Depth.

End Flat.
