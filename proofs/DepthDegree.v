(** * Degree obstruction at depth L for k ≥ 0, k ≠ 1 (BLUEPRINT Thm 4(b)),
    over Coq's reals. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.analysis Require Import Rstruct.
Require Import Reals Lra.
From SkipAbsorption Require Import Defs Norms Stacks.
Require List.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.
Delimit Scope R_scope with coq_R.

Section DepthDegree.
Variables (d : nat) (k : R).
Local Notation vec := 'cV[R]_d.
Local Notation layer := ('M[R]_d * (vec -> vec))%type.

Definition homog (e : R) (H : vec -> vec) :=
  forall t y, (0 < t)%coq_R -> H (t *: y) = Rpower t e *: H y.

Definition locbdd (H : vec -> vec) :=
  forall M : R, exists B : R, forall y, vnorm y <= M -> vnorm (H y) <= B.

(** Layer with its hidden part scaled by ε. *)
Definition lay_eps (e : R) (p : layer) : vec -> vec :=
  fun y => p.1 *m y + e *: p.2 y.

Lemma Rpower_split t :
  (0 < t)%coq_R -> Rpower t k = (t * Rpower t (k - 1))%coq_R.
Proof.
move=> t_gt0; rewrite -{2}(Rpower_1 t t_gt0) -Rpower_plus.
by congr Rpower; ring.
Qed.

(** F(t x) = t · F^{(t^{k-1})}(x): exact rescaling of a stack of homogeneous
    layers. *)
Lemma scale_stack (ls : seq layer) :
  (forall p, List.In p ls -> homog k p.2) ->
  forall t x, (0 < t)%coq_R ->
    compose (map (@lay _ d) ls) (t *: x)
    = t *: compose (map (lay_eps (Rpower t (k - 1))) ls) x.
Proof.
elim: ls => [//|[A H] ls IH] ls_homog t x t_gt0 /=.
have -> : lay (A, H) (t *: x) = t *: lay_eps (Rpower t (k - 1)) (A, H) x.
  have H_homog : homog k H := ls_homog (A, H) (or_introl erefl).
  rewrite /lay /lay_eps /= (H_homog t x t_gt0) -scalemxAr.
  by rewrite scalerDr scalerA -RmultE -Rpower_split.
by apply: IH => // p p_in; apply: ls_homog; right.
Qed.

(** G(t x) = t^{k^{L'}} G(x). *)
Lemma scale_compose (gs : seq (vec -> vec)) :
  (forall g, List.In g gs -> homog k g) ->
  forall t x, (0 < t)%coq_R ->
    compose gs (t *: x) = Rpower t (pow k (size gs)) *: compose gs x.
Proof.
elim: gs => [|g gs IH] gs_homog t x t_gt0 /=.
  by rewrite Rpower_1.
have g_homog : homog k g := gs_homog g (or_introl erefl).
have tk_gt0 : (0 < Rpower t k)%coq_R by apply: exp_pos.
have gs'_homog : forall g', List.In g' gs -> homog k g'.
  by move=> g' g'_in; apply: gs_homog; right.
by rewrite (g_homog t x t_gt0) (IH gs'_homog _ _ tk_gt0) Rpower_mult.
Qed.

Lemma stack_eps_gen (ls : seq layer) (x : vec) :
  (forall p, List.In p ls -> locbdd p.2) ->
  forall (Q : 'M[R]_d) (Y : R -> vec) (K0 : R), 0 <= K0 ->
    (forall e, 0 < e <= 1 -> vnorm (Y e - Q *m x) <= K0 * e) ->
    exists2 K1, 0 <= K1 & forall e, 0 < e <= 1 ->
      vnorm (compose (map (lay_eps e) ls) (Y e)
             - foldl (fun P A => A *m P) Q (map fst ls) *m x) <= K1 * e.
Proof.
elim: ls => [|[A H] ls IH] ls_bdd Q Y K0 K0_ge0 Y_le; first by exists K0.
have [B H_le] := ls_bdd (A, H) (or_introl erefl) (vnorm (Q *m x) + K0).
apply: (IH _ (A *m Q) (fun e => lay_eps e (A, H) (Y e))
          (mnorm A * K0 + `|B|)).
- by move=> p p_in; apply: ls_bdd; right.
- by rewrite addr_ge0 ?normr_ge0 ?mulr_ge0 ?mnorm_ge0.
move=> e /andP [e_gt0 e_le1]; rewrite /lay_eps /=.
have -> : A *m Y e + e *: H (Y e) - A *m Q *m x
    = A *m (Y e - Q *m x) + e *: H (Y e).
  by rewrite mulmxBr mulmxA addrAC.
apply: le_trans (vnormD _ _) _; rewrite mulrDl vnormZ (ger0_norm (ltW e_gt0)).
apply: ler_add.
  apply: le_trans (vnorm_mul _ _) _; rewrite -mulrA ler_wpmul2l ?mnorm_ge0 //.
  by apply: Y_le; rewrite e_gt0 e_le1.
rewrite mulrC ler_wpmul2r ?(ltW e_gt0) //.
apply: le_trans (ler_norm _); apply: H_le.
have -> : Y e = (Y e - Q *m x) + Q *m x by rewrite subrK.
apply: le_trans (vnormD _ _) _; rewrite addrC ler_add2l.
apply: le_trans (Y_le e _) _; first by rewrite e_gt0 e_le1.
by rewrite ler_pimulr.
Qed.

End DepthDegree.

Lemma vanish (a Kc g beta : R) :
  (0 <= Kc)%coq_R -> (0 <= g)%coq_R -> (0 < beta)%coq_R ->
  (forall u, 0 < u <= 1 -> a <= Kc * u + Rpower u beta * g)%coq_R ->
  (a <= 0)%coq_R.
Proof.
move=> Kc_ge0 g_ge0 beta_gt0 a_le; apply: Rnot_lt_le => a_gt0.
set u1 := (a / (3 * (Kc + 1)))%coq_R.
set v := (a / (3 * (g + 1)))%coq_R.
set u2 := Rpower v (/ beta).
have u10 : (0 < u1)%coq_R by rewrite /u1; apply: Rdiv_lt_0_compat; lra.
have v0 : (0 < v)%coq_R by rewrite /v; apply: Rdiv_lt_0_compat; lra.
have u20 : (0 < u2)%coq_R by apply: exp_pos.
set u := Rmin 1 (Rmin u1 u2).
have u0 : (0 < u)%coq_R.
  by rewrite /u; apply: Rmin_glb_lt; [lra | apply: Rmin_glb_lt].
have u_1 : (u <= 1)%coq_R by apply: Rmin_l.
have uu1 : (u <= u1)%coq_R by apply: Rle_trans (Rmin_r _ _) (Rmin_l _ _).
have uu2 : (u <= u2)%coq_R by apply: Rle_trans (Rmin_r _ _) (Rmin_r _ _).
have e1 : ((Kc + 1) * u1 = a / 3)%coq_R by rewrite /u1; field; lra.
have e2 : ((g + 1) * v = a / 3)%coq_R by rewrite /v; field; lra.
have p2 : (Rpower u beta <= v)%coq_R.
  apply: Rle_trans
    (Rle_Rpower_l _ _ _ (Rlt_le _ _ beta_gt0) (conj u0 uu2)) _.
  rewrite /u2 Rpower_mult Rinv_l ?Rpower_1; lra.
have pb : (0 < Rpower u beta)%coq_R by apply: exp_pos.
have := a_le u (conj u0 u_1).
have : (Kc * u <= (Kc + 1) * u1)%coq_R by nra.
have : (Rpower u beta * g <= (g + 1) * v)%coq_R by nra.
by lra.
Qed.

Lemma beta_pos (k : R) L :
  (0 <= k)%coq_R -> k <> 1%coq_R -> (0 < L)%nat ->
  (0 < / (k - 1) * (pow k L - 1))%coq_R.
Proof.
move=> k_ge0 k_neq1 /ssrnat.ltP L_gt0; case: (Rlt_le_dec k 1) => k_cmp1.
- have := pow_lt_1_compat k L (conj k_ge0 k_cmp1) L_gt0 => pow_lt1.
  have : (/ (k - 1) < 0)%coq_R by apply: Rinv_lt_0_compat; lra.
  by nra.
- have k_gt1 : (1 < k)%coq_R by lra.
  have := Rlt_pow_R1 k L k_gt1 L_gt0 => pow_gt1.
  have : (0 < / (k - 1))%coq_R by apply: Rinv_0_lt_compat; lra.
  by nra.
Qed.

Lemma Rpower_split_gen (t e : R) :
  (0 < t)%coq_R -> Rpower t e = (t * Rpower t (e - 1))%coq_R.
Proof.
move=> t_gt0; rewrite -{2}(Rpower_1 t t_gt0) -Rpower_plus.
by congr Rpower; ring.
Qed.

Section DepthDegreeMain.
Variable d : nat.
Local Notation vec := 'cV[R]_d.
Local Notation layer := ('M[R]_d * (vec -> vec))%type.

(** Abstract depth-L degree obstruction: F = f_L ∘ ⋯ ∘ f_1 with
    f_l(x) = A_l x + H_l(x), every H_l positively homogeneous of degree k and
    bounded on bounded sets; G = g_{L'} ∘ ⋯ ∘ g_1 (L' ≥ 1) with every g_j
    positively homogeneous of degree k; 0 ≤ k ≠ 1.  F = G everywhere ⇒
    A_L ⋯ A_1 = 0. *)
Theorem depth_degree_abstract (k : R) (ls : seq layer)
    (gs : seq (vec -> vec)) :
  (0 <= k)%coq_R -> k <> 1%coq_R ->
  (forall p, List.In p ls -> homog k p.2 /\ locbdd p.2) ->
  gs <> [::] -> (forall g, List.In g gs -> homog k g) ->
  (forall x, compose (map (@lay _ d) ls) x = compose gs x) ->
  skip_product (map fst ls) = 0.
Proof.
move=> k_ge0 k_neq1 ls_ok gs_neq_nil gs_homog FG_eq; apply: mx_ext0 => x.
have ls_bdd : forall p, List.In p ls -> locbdd p.2.
  by move=> p p_in; case: (ls_ok p p_in).
have ls_homog : forall p, List.In p ls -> homog k p.2.
  by move=> p p_in; case: (ls_ok p p_in).
have Y_le : forall e : R, 0 < e <= 1 ->
    vnorm ((fun _ => x) e - 1%:M *m x) <= 0 * e.
  by move=> e _; rewrite mul1mx subrr vnorm0 mul0r.
have [Kc Kc0 hK] := stack_eps_gen ls_bdd (lexx 0) Y_le.
have L0 : (0 < size gs)%nat by case: gs gs_neq_nil {FG_eq gs_homog}.
have km1 : (k - 1 <> 0)%coq_R by move=> e; apply: k_neq1; lra.
apply: vnorm_eq0; apply/eqP; rewrite eq_le vnorm_ge0 andbT; apply/RleP.
apply: (@vanish _ Kc (vnorm (compose gs x))
          (/ (k - 1) * (pow k (size gs) - 1))).
- exact/RleP.
- exact/RleP/vnorm_ge0.
- exact: beta_pos.
move=> u [u0 u1].
set t := Rpower u (/ (k - 1)).
have t0 : (0 < t)%coq_R by apply: exp_pos.
have et : Rpower t (k - 1) = u by rewrite /t Rpower_mult Rinv_l ?Rpower_1.
have hs := scale_stack ls_homog x t0; rewrite et in hs.
have hg := scale_compose gs_homog x t0.
have e := FG_eq (t *: x).
rewrite hs hg (Rpower_split_gen _ t0) RmultE -scalerA in e.
have tn0 : t != 0 by apply/eqP; exact: Rgt_not_eq.
have eF : compose (map (lay_eps u) ls) x
          = Rpower u (/ (k - 1) * (pow k (size gs) - 1)) *: compose gs x.
  have := congr1 (fun v => t^-1 *: v) e.
  rewrite /= !scalerA mulVf // !scale1r => ->.
  by rewrite mulrA mulVf // mul1r /t Rpower_mult.
have hKu := hK u (introT andP (conj (introT (RltP 0 u) u0)
                                   (introT (RleP u 1) u1))).
apply/RleP; rewrite RplusE RmultE RmultE.
set F := compose (map (lay_eps u) ls) x.
have -> : skip_product (map fst ls) *m x
    = F - (F - skip_product (map fst ls) *m x).
  by rewrite opprB addrC subrK.
apply: le_trans (vnormB _ _) _; rewrite addrC; apply: ler_add.
  exact: hKu.
by rewrite /F eF vnormZ ger0_norm //; apply/RleP; apply: Rlt_le; exact: exp_pos.
Qed.

(** σ positively homogeneous of degree k: σ(t z) = t^k σ(z) for t > 0. *)
Definition pos_homog (k : R) (sigma : R -> R) :=
  forall t z, (0 < t)%coq_R -> sigma (t * z) = Rpower t k * sigma z.

Lemma homog_sigma_bound (k : R) (sigma : R -> R) :
  (0 <= k)%coq_R -> pos_homog k sigma ->
  forall M z, `|z| <= M ->
    `|sigma z| <= Rpower M k * (`|sigma 1| + `|sigma (-1)|) + `|sigma 0|.
Proof.
move=> k_ge0 sigma_homog M z z_le.
have pM : 0 <= Rpower M k by apply/RleP; apply: Rlt_le; exact: exp_pos.
have [z_lt0|z_gt0|->] := ltrgtP z 0.
- have z_eq : z = (- z) * (-1) by rewrite mulrN1 opprK.
  have Nz_gt0 : (0 < - z)%coq_R by apply/RltP; rewrite oppr_gt0.
  rewrite z_eq sigma_homog // normrM ger0_norm; last first.
    by apply/RleP; apply: Rlt_le; exact: exp_pos.
  apply: (@le_trans _ _ (Rpower M k * (`|sigma 1| + `|sigma (-1)|))).
    apply: (@le_trans _ _ (Rpower M k * `|sigma (-1)|)).
      apply: ler_wpmul2r; first exact: normr_ge0.
      apply/RleP; apply: Rle_Rpower_l => //; split => //; apply/RleP.
      by move: z_le; rewrite (ltr0_norm z_lt0).
    by rewrite ler_wpmul2l // ler_addr normr_ge0.
  by rewrite ler_addl normr_ge0.
- have z_eq : z = z * 1 by rewrite mulr1.
  rewrite z_eq sigma_homog //; last exact/RltP.
  rewrite normrM ger0_norm; last first.
    by apply/RleP; apply: Rlt_le; exact: exp_pos.
  apply: (@le_trans _ _ (Rpower M k * (`|sigma 1| + `|sigma (-1)|))).
    apply: (@le_trans _ _ (Rpower M k * `|sigma 1|)).
      apply: ler_wpmul2r; first exact: normr_ge0.
      apply/RleP; apply: Rle_Rpower_l => //; split; first exact/RltP.
      by apply/RleP; move: z_le; rewrite (gtr0_norm z_gt0).
    by rewrite ler_wpmul2l // ler_addl normr_ge0.
  by rewrite ler_addl normr_ge0.
- by rewrite ler_addr mulr_ge0 // addr_ge0 ?normr_ge0.
Qed.

Lemma hidden_homog (k : R) (sigma : R -> R) w (W : 'M[R]_(d, w))
    (U : 'M[R]_(w, d)) :
  pos_homog k sigma -> homog k (fun y => W *m map_mx sigma (U *m y)).
Proof.
move=> sigma_homog t y t_gt0.
have -> : map_mx sigma (U *m (t *: y)) = Rpower t k *: map_mx sigma (U *m y).
  by apply/matrixP => i j; rewrite -scalemxAr !mxE sigma_homog.
by rewrite scalemxAr.
Qed.

Lemma hidden_locbdd (k : R) (sigma : R -> R) w (W : 'M[R]_(d, w))
    (U : 'M[R]_(w, d)) :
  (0 <= k)%coq_R -> pos_homog k sigma ->
  locbdd (fun y => W *m map_mx sigma (U *m y)).
Proof.
move=> k_ge0 sigma_homog M.
set Bs := Rpower (mnorm U * M) k * (`|sigma 1| + `|sigma (-1)|) + `|sigma 0|.
exists (mnorm W * (Bs *+ w)) => y y_le.
apply: le_trans (vnorm_mul _ _) _.
apply: ler_wpmul2l; first exact: mnorm_ge0.
rewrite /vnorm -[w in _ *+ w]card_ord -sumr_const.
apply: ler_sum => i _; rewrite mxE.
apply: homog_sigma_bound => //.
apply: le_trans (entry_le_vnorm _ i) _; apply: le_trans (vnorm_mul _ _) _.
by apply: ler_wpmul2l => //; exact: mnorm_ge0.
Qed.

Lemma gated_homog (k : R) (gamma : R -> R) w (W : 'M[R]_(d, w))
    (P Q : 'M[R]_(w, d)) :
  pos_homog k gamma ->
  homog (k + 1) (fun y => W *m gated_hidden gamma P Q y).
Proof.
move=> gamma_homog t y t_gt0.
have -> : gated_hidden gamma P Q (t *: y)
    = Rpower t (k + 1) *: gated_hidden gamma P Q y.
  apply/matrixP => i j; rewrite /gated_hidden -!scalemxAr !mxE gamma_homog //.
  rewrite Rpower_plus RmultE Rpower_1 // -!mulrA.
  by congr (_ * _); rewrite mulrCA.
by rewrite scalemxAr.
Qed.

Lemma gated_locbdd (k : R) (gamma : R -> R) w (W : 'M[R]_(d, w))
    (P Q : 'M[R]_(w, d)) :
  (0 <= k)%coq_R -> pos_homog k gamma ->
  locbdd (fun y => W *m gated_hidden gamma P Q y).
Proof.
move=> k_ge0 gamma_homog M.
set Bg := Rpower (mnorm P * M) k * (`|gamma 1| + `|gamma (-1)|) + `|gamma 0|.
have Bg_ge0 : 0 <= Bg.
  rewrite addr_ge0 ?normr_ge0 // mulr_ge0 ?addr_ge0 ?normr_ge0 //.
  by apply/RleP; apply: Rlt_le; exact: exp_pos.
exists (mnorm W * ((Bg * `|mnorm Q * M|) *+ w)) => y y_le.
apply: le_trans (vnorm_mul _ _) _.
apply: ler_wpmul2l; first exact: mnorm_ge0.
rewrite /vnorm -[w in _ *+ w]card_ord -sumr_const; apply: ler_sum => i _.
rewrite /gated_hidden mxE normrM; apply: ler_pmul; rewrite ?normr_ge0 //.
  apply: (@homog_sigma_bound k) => //.
  apply: le_trans (entry_le_vnorm _ i) _; apply: le_trans (vnorm_mul _ _) _.
  by apply: ler_wpmul2l => //; exact: mnorm_ge0.
apply: le_trans (entry_le_vnorm _ i) _; apply: le_trans (vnorm_mul _ _) _.
by apply: le_trans (ler_norm _); apply: ler_wpmul2l => //; exact: mnorm_ge0.
Qed.

(** Per-layer activations, ungated: every σ_l (residual and residual-free
    layers alike) positively homogeneous of the same degree k with
    0 ≤ k ≠ 1; F = G on R^d, L' ≥ 1 ⇒ A_L ⋯ A_1 = 0. *)
Theorem depth_degree (k : R) (ls : seq ((R -> R) * res_layer R_ringType d))
    (gs : seq ((R -> R) * rf_layer R_ringType d)) :
  (0 <= k)%coq_R -> k <> 1%coq_R ->
  (forall p, List.In p ls -> pos_homog k p.1) ->
  (forall p, List.In p gs -> pos_homog k p.1) ->
  gs <> [::] ->
  (forall x, act_res_stack ls x = act_rf_stack gs x) ->
  skip_product (act_skips ls) = 0.
Proof.
move=> k_ge0 k_neq1 ls_homog gs_homog gs_neq_nil FG_eq.
have := @depth_degree_abstract k
  (abstract_layers (fun p => rl_A p.2)
     (fun p x => rl_Wd p.2 *m map_mx p.1 (rl_Wu p.2 *m x)) ls)
  (map (fun p => rf_map p.1 p.2) gs).
rewrite abstract_skips; apply=> //.
- apply: (In_abstract (P := fun H => homog k H /\ locbdd H)).
  move=> p /ls_homog p_homog.
  split; first exact: hidden_homog.
  exact: hidden_locbdd k_ge0 p_homog.
- exact: map_neq_nil.
- by apply: In_map_fun => p /gs_homog; exact: hidden_homog.
- by move=> x; rewrite abstract_compose; exact: FG_eq.
Qed.

(** Per-layer gates: every γ_l positively homogeneous of the same degree
    k > 0, so every hidden map γ_l(P y) ⊙ (Q y) is homogeneous of degree
    k + 1 ∉ {1} (ReGLU, bilinear GLU: k = 1); gated stacks, L' ≥ 1, equal on
    R^d ⇒ A_L ⋯ A_1 = 0. *)
Theorem depth_degree_gated (k : R)
    (ls : seq ((R -> R) * gres_layer R_ringType d))
    (gs : seq ((R -> R) * grf_layer R_ringType d)) :
  (0 < k)%coq_R ->
  (forall p, List.In p ls -> pos_homog k p.1) ->
  (forall p, List.In p gs -> pos_homog k p.1) ->
  gs <> [::] ->
  (forall x, act_gres_stack ls x = act_grf_stack gs x) ->
  skip_product (act_gskips ls) = 0.
Proof.
move=> k_gt0 ls_homog gs_homog gs_neq_nil FG_eq.
have k_ge0 : (0 <= k)%coq_R by lra.
have := @depth_degree_abstract (k + 1)
  (abstract_layers (fun p => gl_A p.2)
     (fun p x => gl_Wd p.2 *m gated_hidden p.1 (gl_P p.2) (gl_Q p.2) x) ls)
  (map (fun p => grf_map p.1 p.2) gs).
rewrite abstract_skips; apply=> //.
- by lra.
- by move=> k1_eq1; lra.
- apply: (In_abstract (P := fun H => homog (k + 1) H /\ locbdd H)).
  move=> p /ls_homog p_homog.
  split; first exact: gated_homog.
  exact: gated_locbdd k_ge0 p_homog.
- exact: map_neq_nil.
- by apply: In_map_fun => p /gs_homog; exact: gated_homog.
- by move=> x; rewrite abstract_compose; exact: FG_eq.
Qed.

End DepthDegreeMain.

(** depth-degree (Thm 4(b)) as one statement, per-layer activations:
    ungated stacks with every σ_l positively homogeneous of one degree k,
    0 ≤ k ≠ 1; and gated stacks with every γ_l positively homogeneous of
    one degree k > 0 (hidden degree k + 1).  Comparator depth L' ≥ 1 and all
    widths arbitrary. *)
Theorem depth_degree_all :
  (forall d (k : R) (ls : seq ((R -> R) * res_layer R_ringType d))
          (gs : seq ((R -> R) * rf_layer R_ringType d)),
     (0 <= k)%coq_R -> k <> 1%coq_R ->
     (forall p, List.In p ls -> pos_homog k p.1) ->
     (forall p, List.In p gs -> pos_homog k p.1) ->
     gs <> [::] ->
     (forall x, act_res_stack ls x = act_rf_stack gs x) ->
     skip_product (act_skips ls) = 0)
  /\
  (forall d (k : R) (ls : seq ((R -> R) * gres_layer R_ringType d))
          (gs : seq ((R -> R) * grf_layer R_ringType d)),
     (0 < k)%coq_R ->
     (forall p, List.In p ls -> pos_homog k p.1) ->
     (forall p, List.In p gs -> pos_homog k p.1) ->
     gs <> [::] ->
     (forall x, act_gres_stack ls x = act_grf_stack gs x) ->
     skip_product (act_gskips ls) = 0).
Proof. by split; [exact: @depth_degree | exact: @depth_degree_gated]. Qed.

(** The same with one σ (resp. γ) for every layer of both stacks. *)
Corollary depth_degree_const d (k : R) (sigma : R -> R)
    (ls : seq (res_layer R_ringType d)) (gs : seq (rf_layer R_ringType d)) :
  (0 <= k)%coq_R -> k <> 1%coq_R -> pos_homog k sigma -> gs <> [::] ->
  (forall x, res_stack sigma ls x = rf_stack sigma gs x) ->
  skip_product (map (@rl_A _ d) ls) = 0.
Proof.
move=> k_ge0 k_neq1 sigma_homog gs_neq_nil FG_eq.
rewrite -(act_skips_const sigma).
apply: (depth_degree k_ge0 k_neq1 (In_pair_const sigma_homog)
          (In_pair_const sigma_homog) (map_neq_nil gs_neq_nil)) => x.
by rewrite act_res_stack_const act_rf_stack_const FG_eq.
Qed.
