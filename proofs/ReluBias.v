(** * ReLU type with biases, every d ≥ 1 (BLUEPRINT Theorem 6.8b and
    Corollary 6.8c).

    σ(z) = (c/2) z + κ|z| with c, κ ≠ 0 (ReLU: c = 1, κ = 1/2; LeakyReLU_α:
    c = 1 + α, κ = (1 − α)/2).  Biased block
    f(x) = A x + Σ_i a_i σ(b_iᵀx + β_i) + δ (Bias.v), comparator
    g(x) = Σ_j c_j σ(u_jᵀx + β'_j) + δ' of width m ≤ n, biases and output
    bias free.  Under (G0) and (G-line-b) (the homogenized rows
    b̃_i = (b_i, β_i) pairwise independent):
    f is absorbable at width ≤ n ⟺ ∃ S, c W_down D_S W_up = −A, and every
    absorber is, after a bijection φ of neurons, (u, β')_{φ i} = t_i (b_i, β_i)
    with t_i ≠ 0, |t_i| c_{φ i} = a_i, S = {t_i < 0} and
    δ' = δ + c Σ_{i∈S} β_i a_i.  Any A, singular included.

    Proof: the kink part of f − g is Σ_k |w̃_kᵀ(x, 1)| N_k over f's and g's
    neurons and the rest is affine (KinksAffine.v, Lemma K-b per line);
    each hyperplane H_i carries the nonzero jump a_i, so each needs a
    neuron of g on it; with ≤ n neurons there is exactly one each (the
    matching lemma of OddEven.v), so g has no neuron elsewhere, and a
    neuron with u_j = 0 (a constant) cannot occur.  Then
    g = f − c Σ_S a_i (b_iᵀx + β_i) − δ + δ', which gives (IC_c) and δ'.

    Hypotheses are needed: without (G-line-b), at d = 1 with all biases 0
    every block with n ≥ 2 is absorbable (ReluD1.v,
    [relu_d1_counterexample], whose weights have β = 0 and b_1 = b_2, so
    the homogenized rows are parallel); (G-line-b) holds at d = 1 exactly
    when the kink points −β_i/b_i are distinct ([Glineb_d1] below).
    BiasInstances.v: [relu_bias_d1_separates] (the same d = 1, n = 2
    weights, absorbable with no index set when both kinks sit at 0, not
    absorbable at width ≤ 2 when the biases put them at 0 and 1) and
    [relu_bias_d1_planted] (the hypotheses with (IC_1): absorbable). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Kinks KinksAffine OddEven SignFlip.
From SkipAbsorption Require Import Bias GenericIff.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

(** a + s + e = s − k + e' ⟹ e' − e = a + k, and the regrouping used to
    isolate the kink part. *)
Section Regroup.
Variable V : zmodType.

Lemma regroup (a p q k1 k2 e e' : V) :
  a + (p + k1) + e = q + k2 + e' -> k1 - k2 = (q + e') - (a + p + e).
Proof.
move=> E; have E' : a + p + e + k1 = q + k2 + e' by rewrite -E addrA addrAC.
have k1E : k1 = q + k2 + e' - (a + p + e) by rewrite -E' addrC addKr.
by rewrite k1E addrAC (addrAC q k2 e') addrK.
Qed.

Lemma cancel_mid (a s k e e' : V) :
  a + s + e = s - k + e' -> a + k + e = e'.
Proof.
move=> E; have E' : a + e + s = - k + e' + s.
  by rewrite -(addrAC a s e) E (addrC s) addrAC.
by rewrite addrAC (addIr _ E') addrC addNKr.
Qed.

End Regroup.

Section Hom.
Variable R : realFieldType.

Lemma row_hom d n (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n) i :
  (row i (row_mx Wu bu))^T = col_mx (row i Wu)^T (row i bu)^T.
Proof. by rewrite row_row_mx tr_row_mx. Qed.

Lemma dot_row_hom d n (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n) i x :
  dot (row i (row_mx Wu bu))^T (col_mx x 1) = dot (row i Wu)^T x + bu i 0.
Proof. by rewrite row_hom dot_col_mx !mxE /= mulr1. Qed.

Lemma usub_row_hom d n (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n) i :
  usubmx (row i (row_mx Wu bu))^T = (row i Wu)^T.
Proof. by rewrite row_hom col_mxKu. Qed.

Lemma dsub_row_hom d n (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n) i :
  dsubmx (row i (row_mx Wu bu))^T 0 0 = bu i 0.
Proof. by rewrite row_hom col_mxKd !mxE. Qed.

Lemma dsubmxZ d (a : R) (w : 'cV[R]_(d + 1)) :
  dsubmx (a *: w) = a *: dsubmx w.
Proof. by apply/matrixP => i j; rewrite !mxE. Qed.

End Hom.

Section ReluBias.
Variables (R : realFieldType) (sigma : R -> R) (c kappa : R).
Hypothesis sigma_relu : forall z, sigma z = c / 2%:R * z + kappa * `|z|.
Hypothesis kappa_neq0 : kappa != 0.

Lemma sigma_hom s y : 0 <= s -> sigma (s * y) = s * sigma y.
Proof.
move=> s_ge0; rewrite !sigma_relu normrM ger0_norm // mulrDr.
by congr (_ + _); rewrite mulrCA.
Qed.

(** σ(t z) = |t| (σ(z) − [t < 0] c z). *)
Lemma sigma_scale t z :
  sigma (t * z) = `|t| * (sigma z - (if t < 0 then c * z else 0)).
Proof.
case: (ltrP t 0) => [t_lt0 | t_ge0]; last first.
  by rewrite ger0_norm // subr0 sigma_hom.
rewrite ltr0_norm // -mulrNN sigma_hom ?oppr_ge0 ?ltW //.
by rewrite -(relu_type_odd sigma_relu z) opprB addrCA subrr addr0.
Qed.

Lemma map_relu k (y : 'cV[R]_k) :
  map_mx sigma y = (c / 2%:R) *: y + kappa *: map_mx (fun z => `|z|) y.
Proof. by apply/matrixP => i j; rewrite !mxE sigma_relu. Qed.

Lemma mul_map_relu d k (M : 'M[R]_(d, k)) (y : 'cV[R]_k) :
  M *m map_mx sigma y =
  (c / 2%:R) *: (M *m y) + kappa *: (M *m map_mx (fun z => `|z|) y).
Proof. by rewrite map_relu mulmxDr -!scalemxAr. Qed.

Variables (d n m : nat) (A : 'M[R]_d) (Wd : 'M[R]_(d, n)).
Variables (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n) (delta : 'cV[R]_d).
Variables (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) (bu' : 'cV[R]_m).
Variable delta' : 'cV[R]_d.
Hypothesis fg : forall x,
  bblock sigma A Wd Wu bu delta x = brf_block sigma V U bu' delta' x.

Local Notation b i := (row i Wu)^T.
Local Notation bt i := (row i (row_mx Wu bu))^T.
Local Notation ut j := (row j (row_mx U bu'))^T.

(** The affine part of g − f. *)
Definition aff x :=
  ((c / 2%:R) *: (V *m (U *m x + bu')) + delta') -
  (A *m x + (c / 2%:R) *: (Wd *m (Wu *m x + bu)) + delta).

Lemma aff_mid : mid_affine aff.
Proof.
have VL : mid_affine (fun x => V *m (U *m x + bu')).
  by apply: mid_ext (mid_lin (V *m U) (V *m bu')) => x; rewrite mulmxDr mulmxA.
have WL : mid_affine (fun x => Wd *m (Wu *m x + bu)).
  apply: mid_ext (mid_lin (Wd *m Wu) (Wd *m bu)) => x.
  by rewrite mulmxDr mulmxA.
have AL : mid_affine (fun x => A *m x).
  by apply: mid_ext (mid_lin A 0) => x; rewrite addr0.
have C (v : 'cV[R]_d) : mid_affine (fun _ : 'cV[R]_d => v).
  by move=> x u; rewrite mulr2n.
exact: (mid_sub (mid_add (mid_scale _ VL) (C _))
                (mid_add (mid_add AL (mid_scale _ WL)) (C _))).
Qed.

(** f's and g's homogenized rows as one family, with the coefficients a_i
    and −c_j. *)
Definition hw (k : 'I_n + 'I_m) : 'cV[R]_(d + 1) :=
  match k with inl i => bt i | inr j => ut j end.
Definition hN (k : 'I_n + 'I_m) : 'cV[R]_d :=
  match k with inl i => col i Wd | inr j => - col j V end.

Lemma norm_sumE k (M : 'M[R]_(d, k)) (N : 'M[R]_(k, d)) (v : 'cV[R]_k) x :
  M *m map_mx (fun z => `|z|) (N *m x + v) =
  \sum_i `|dot (row i (row_mx N v))^T (col_mx x 1)| *: col i M.
Proof.
by rewrite mulmx_map_biasE; apply: eq_bigr => i _; rewrite dot_row_hom.
Qed.

Lemma kink_sumE x :
  \sum_k `|dot (hw k) (col_mx x 1)| *: hN k = kappa^-1 *: aff x.
Proof.
have := fg x; rewrite /bblock /brf_block !mul_map_relu => /regroup.
rewrite !norm_sumE -scalerBr => E.
rewrite /aff -E scalerA mulVf // scale1r big_sumType /=.
by under [X in _ + X]eq_bigr do rewrite scalerN; rewrite sumrN.
Qed.

Hypothesis G0_ : G0 Wd Wu.
Hypothesis Glineb_ : Glineb Wu bu.

Lemma bt_neq0 i : bt i != 0.
Proof.
apply: contra_neq (proj2 (G0_ i)) => bt0.
by rewrite -(usub_row_hom Wu bu) bt0; apply/matrixP => a b; rewrite !mxE.
Qed.

Lemma online_bt i i' : online (bt i) (bt i') = (i' == i).
Proof. exact: (online_family _ (bt_neq0 i) Glineb_). Qed.

(** (J_i) for f's hyperplane H_i: a_i = Σ_{ũ_j = t_j b̃_i} |t_j| c_j. *)
Lemma relu_bias_jump i :
  \sum_(j | online (bt i) (ut j)) `|lam (bt i) (ut j)| *: col j V = col i Wd.
Proof.
have ui : usubmx (hw (inl i)) != 0.
  by rewrite /= usub_row_hom; exact: (proj2 (G0_ i)).
have := aff_kinks_line (mid_scale _ aff_mid) kink_sumE ui.
rewrite big_sumType /= (eq_bigl _ _ (online_bt i)) big_pred1_eq.
rewrite lam_self ?normr1 ?scale1r; last exact: bt_neq0.
under eq_bigr do rewrite scalerN.
by rewrite sumrN => /subr0_eq.
Qed.

(** Neuron j of g serves neuron i of f. *)
Definition bserves i j :=
  online (bt i) (ut j) && (`|lam (bt i) (ut j)| *: col j V != 0).

Lemma bserves_ex i : exists j, bserves i j.
Proof.
by apply: sumr_neq0_ex; rewrite relu_bias_jump; exact: (proj1 (G0_ i)).
Qed.

Lemma bserves_lam i j : bserves i j -> lam (bt i) (ut j) != 0.
Proof.
by case/andP=> _; apply: contra_neq => ->; rewrite normr0 scale0r.
Qed.

Lemma bserves_uniq i i' j : bserves i j -> bserves i' j -> i = i'.
Proof.
move=> sij si'j; have /andP [on _] := sij; have /andP [on' _] := si'j.
have := online_trans (bt_neq0 i) on (bserves_lam sij) on'.
by rewrite online_bt => /eqP.
Qed.

Hypothesis m_le_n : (m <= n)%N.

Section Matched.
Variable phi : 'I_n -> 'I_m.
Hypothesis phi_bij : bijective phi.
Hypothesis phiP : forall i, bserves i (phi i).
Hypothesis phi_uniq : forall i j, bserves i j -> j = phi i.

Local Notation t i := (lam (bt i) (ut (phi i))).

Lemma bias_matched_jump i : `|t i| *: col (phi i) V = col i Wd.
Proof.
rewrite -(relu_bias_jump i).
rewrite (bigID (fun j => `|lam (bt i) (ut j)| *: col j V != 0)).
rewrite /= [X in _ + X]big1 ?addr0 => [|j /andP [_ /negbNE /eqP] //].
rewrite (big_pred1 (phi i)) // => j; apply/idP/eqP; first exact: phi_uniq.
by move=> ->; exact: phiP.
Qed.

Lemma ut_matched i : ut (phi i) = t i *: bt i.
Proof. by have /andP [/eqP] := phiP i. Qed.

Definition bflipped := [set i | t i < 0].

(** g = f − A x − δ − c W_down D_S (W_up x + β) + δ'. *)
Lemma g_matched x :
  brf_block sigma V U bu' delta' x =
  Wd *m map_mx sigma (Wu *m x + bu) -
  c *: (Wd *m DS bflipped *m (Wu *m x + bu)) + delta'.
Proof.
rewrite /brf_block DS_biasE !mulmx_map_biasE; congr (_ + _).
rewrite (reindex phi) /=; last exact: onW_bij.
rewrite scaler_sumr [X in _ - X]big_mkcond /= -sumrB; apply: eq_bigr => i _.
rewrite -dot_row_hom ut_matched dotZl sigma_scale -(bias_matched_jump i).
rewrite [(Wu *m x + bu) i 0]mxE -dot_rowE -!dot_row_hom inE.
case: (t i < 0); last by rewrite !subr0 mulrC scalerA.
by rewrite mulrC -scalerA scalerBl [c *: (_ *: _)]scalerA.
Qed.

Hypothesis c_neq0 : c != 0.

Lemma bias_endgame :
  index_condition c A Wd Wu bflipped /\
  delta' = delta + c *: (Wd *m DS bflipped *m bu).
Proof.
have E x : A *m x + c *: (Wd *m DS bflipped *m (Wu *m x + bu)) + delta =
    delta'.
  by have := fg x; rewrite /bblock g_matched; exact: cancel_mid.
have d' : delta' = delta + c *: (Wd *m DS bflipped *m bu).
  by rewrite -(E 0) mulmx0 add0r mulmx0 add0r addrC.
split=> //; split=> //; apply/eqP; rewrite -addr_eq0; apply/eqP.
apply: mx_ext0 => x; have := E x.
rewrite d' (addrC delta) mulmxDr scalerDr addrA.
move=> /(congr1 (fun v => v - (c *: (Wd *m DS bflipped *m bu) + delta))).
rewrite -(addrA _ _ delta) addrK subrr mulmxDl -scalemxAl -!mulmxA.
by rewrite addrC => ->.
Qed.

End Matched.

Lemma relu_bias_match :
  exists phi : 'I_n -> 'I_m,
    [/\ bijective phi, forall i, bserves i (phi i)
      & forall i j, bserves i j -> j = phi i].
Proof. exact: match_bij bserves_ex bserves_uniq m_le_n. Qed.

Hypothesis c_neq0 : c != 0.

(** Theorem 6.8b, "moreover": the form of every absorber of width ≤ n. *)
Theorem relu_bias_absorber_form :
  m = n /\
  exists phi : 'I_n -> 'I_m, bijective phi /\
  exists t : 'I_n -> R,
    [/\ forall i, t i != 0,
        forall i, (row (phi i) U)^T = t i *: (row i Wu)^T
          /\ bu' (phi i) 0 = t i * bu i 0,
        forall i, `|t i| *: col (phi i) V = col i Wd,
        index_condition c A Wd Wu [set i | t i < 0]
      & delta' = delta + c *: (Wd *m DS [set i | t i < 0] *m bu)].
Proof.
have [phi [phi_bij phiP phi_uniq]] := relu_bias_match.
split; first by have := bij_eq_card phi_bij; rewrite !card_ord.
exists phi; split=> //; exists (fun i => lam (bt i) (ut (phi i))).
have [IC d'] := bias_endgame phi_bij phiP phi_uniq c_neq0.
split=> // [i | i | i].
- exact: bserves_lam (phiP i).
- have uE := ut_matched phiP i; split.
    by rewrite -(usub_row_hom U bu') {1}uE usubmxZ usub_row_hom.
  by rewrite -(dsub_row_hom U bu') {1}uE dsubmxZ mxE dsub_row_hom.
- exact: bias_matched_jump.
Qed.

End ReluBias.

(** relu-bias-characterization (Theorem 6.8b): σ(z) = (c/2) z + κ|z|,
    c ≠ 0, κ ≠ 0, any d ≥ 1 (indeed any d), any skip A (singular included),
    biased block f with (G0) (a_i ≠ 0, b_i ≠ 0) and (G-line-b).
    (i) f is absorbable at some width m ≤ n by a biased residual-free
    block with free output bias ⟺ ∃ S, c W_down D_S W_up = −A;
    (ii) the "if" is the biased sign flip at width n (Prop. 6.8a);
    (iii) every absorber of width m ≤ n has m = n and, after a bijection φ
    of neurons, (u_{φ i}, β'_{φ i}) = t_i (b_i, β_i) with t_i ≠ 0,
    |t_i| c_{φ i} = a_i (c_{φ i} = a_i/|t_i|), (IC_c) for S = {t_i < 0} and
    δ' = δ + c W_down D_S β = δ + c Σ_{i∈S} β_i a_i.  In particular no
    neuron of g has u_j = 0 (u_{φ i} = t_i b_i ≠ 0). *)
Theorem relu_bias_characterization (R : realFieldType) (sigma : R -> R)
    (c kappa : R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (bu : 'cV[R]_n) (delta : 'cV[R]_d) :
  (forall z, sigma z = c / 2%:R * z + kappa * `|z|) ->
  c != 0 -> kappa != 0 -> G0 Wd Wu -> Glineb Wu bu ->
  [/\ (exists2 m, (m <= n)%N & babsorbable sigma A Wd Wu bu delta m) <->
      exists S, index_condition c A Wd Wu S,
      forall S, index_condition c A Wd Wu S ->
        forall x, bblock sigma A Wd Wu bu delta x =
          brf_block sigma Wd (flip S *m Wu) (flip S *m bu)
            (delta + c *: (Wd *m DS S *m bu)) x
    & forall m (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) (bu' : 'cV[R]_m)
        (delta' : 'cV[R]_d), (m <= n)%N ->
      (forall x, bblock sigma A Wd Wu bu delta x =
                 brf_block sigma V U bu' delta' x) ->
      m = n /\
      exists phi : 'I_n -> 'I_m, bijective phi /\
      exists t : 'I_n -> R,
        [/\ forall i, t i != 0,
            forall i, (row (phi i) U)^T = t i *: (row i Wu)^T
              /\ bu' (phi i) 0 = t i * bu i 0,
            forall i, `|t i| *: col (phi i) V = col i Wd,
            index_condition c A Wd Wu [set i | t i < 0]
          & delta' = delta + c *: (Wd *m DS [set i | t i < 0] *m bu)]].
Proof.
move=> sr c0 k0 G0_ Gl.
have odd := relu_type_odd sr.
have form m V U bu' delta' mn fg :=
  @relu_bias_absorber_form R sigma c kappa sr k0 d n m A Wd Wu bu delta
    V U bu' delta' fg G0_ Gl mn c0.
split=> [|S IC|m V U bu' delta' mn fg]; last exact: form.
  split=> [[m mn [V [U [bu' [delta' fg]]]]] | [S IC]].
    have [_ [phi [_ [t [_ _ _ IC _]]]]] := form _ _ _ _ _ mn fg.
    by exists [set i | t i < 0].
  exists n => //; exists Wd, (flip S *m Wu), (flip S *m bu).
  by exists (delta + c *: (Wd *m DS S *m bu)); exact: sign_flip_bias odd IC.
exact: sign_flip_bias odd IC.
Qed.

(** At d = 1, (G-line-b) says exactly that the kink points −β_i/b_i are
    distinct (b_i ≠ 0): here the direction needed by Corollary 6.8c. *)
Lemma Glineb_d1 (R : realFieldType) n (Wu : 'M[R]_(n, 1)) (bu : 'cV[R]_n) :
  (forall i, Wu i 0 != 0) ->
  (forall i j, i != j -> - bu i 0 / Wu i 0 != - bu j 0 / Wu j 0) ->
  Glineb Wu bu.
Proof.
move=> b0 kinks i j ij s t; rewrite !row_hom !scale_col_mx add_col_mx.
rewrite -col_mx0 => /eq_col_mx [/(congr1 (fun v : 'cV[R]_1 => v 0 0)) e1].
move=> /(congr1 (fun v : 'cV[R]_1 => v 0 0)) e2; move: e1 e2; rewrite !mxE.
set p := Wu i 0; set q := Wu j 0; set be := bu i 0; set be' := bu j 0.
move=> e1 e2.
have cross : p * be' != be * q.
  have := kinks i j ij; rewrite !mulNr eqr_opp eqr_div ?b0 //.
  by rewrite mulrC eq_sym [be' * _]mulrC.
have sp : s * p = - (t * q) by apply/eqP; rewrite -addr_eq0 e1.
have sb : s * be = - (t * be') by apply/eqP; rewrite -addr_eq0 e2.
have s0 : s = 0.
  have : s * (p * be' - be * q) = 0.
    by rewrite mulrBr !mulrA sp sb !mulNr opprK mulrAC addNr.
  by move/eqP; rewrite mulf_eq0 subr_eq0 (negbTE cross) orbF => /eqP.
split=> //; move: sp; rewrite s0 mul0r => /eqP; rewrite eq_sym oppr_eq0.
by rewrite mulf_eq0 (negbTE (b0 j)) orbF => /eqP.
Qed.

(** relu-bias-d1 (Corollary 6.8c): d = 1, σ of ReLU type (c, κ ≠ 0),
    a_i b_i ≠ 0 and pairwise distinct kink points −β_i/b_i.  Then f is
    absorbable at some width m ≤ n (biases and output bias of g free) iff
    some S satisfies (IC_c): c Σ_{i∈S} a_i b_i = −A.  Counterexample 6.4
    (every bias-free d = 1 block with n ≥ 2 absorbs at width 2, ReluD1.v)
    is the case where all kink points coincide at 0. *)
Theorem relu_bias_d1 (R : realFieldType) (sigma : R -> R) (c kappa : R) n
    (A : 'M[R]_1) (Wd : 'M[R]_(1, n)) (Wu : 'M[R]_(n, 1)) (bu : 'cV[R]_n)
    (delta : 'cV[R]_1) :
  (forall z, sigma z = c / 2%:R * z + kappa * `|z|) ->
  c != 0 -> kappa != 0 ->
  (forall i, Wd 0 i * Wu i 0 != 0) ->
  (forall i j, i != j -> - bu i 0 / Wu i 0 != - bu j 0 / Wu j 0) ->
  (exists2 m, (m <= n)%N & babsorbable sigma A Wd Wu bu delta m) <->
  exists S, index_condition c A Wd Wu S.
Proof.
move=> sr c0 k0 ab kinks.
have b0 i : Wu i 0 != 0 by have := ab i; rewrite mulf_eq0 negb_or => /andP [].
have G0_ : G0 Wd Wu.
  move=> i; have := ab i; rewrite mulf_eq0 negb_or => /andP [a0 b0'].
  split; apply: contra_neq a0 => /(congr1 (fun v : 'cV[R]_1 => v 0 0)).
    by rewrite !mxE.
  rewrite !mxE.
  by move=> e; move: b0'; rewrite e eqxx.
have [] := @relu_bias_characterization R sigma c kappa 1 n A Wd Wu bu delta
  sr c0 k0 G0_ (Glineb_d1 b0 kinks).
by [].
Qed.
