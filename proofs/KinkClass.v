(** * Lemma 6.3 (ii): kink-type e are class-identifiable (BLUEPRINT §6.3).

    Limit-free form of "e is C¹ off {±z0}, with a jump of e' at z0":
    e(z) = h(z) + κ(|z − z0| + |z + z0|) with κ ≠ 0, z0 > 0, and h with
    second differences |h(a + t) + h(a − t) − 2h(a)| ≤ L t² (C^{1,1}).
    Proof: second differences along v_j at a point of {v_jᵀx = z0} off
    all other kink hyperplanes {v_kᵀx = ±z0}: the kink of class j
    contributes 2κε|v_j|² N_j, everything else is O(ε²). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Kinks.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

(** Kink type, limit-free. *)
Definition kink_type (R : realFieldType) (e : R -> R) :=
  exists (h : R -> R) (kappa z0 L : R),
    [/\ kappa != 0, 0 < z0, 0 <= L,
        forall z, e z = h z + kappa * (`|z - z0| + `|z + z0|)
      & forall a t, `|h (a + t) + h (a - t) - 2%:R * h a| <= L * t ^+ 2].

Section AffinePoint.
Variables (R : realFieldType) (d : nat) (I : finType) (P : pred I).
Variables (v : I -> 'cV[R]_d) (z0 : R) (j : I).
Hypothesis vj_neq0 : v j != 0.
Local Notation u := (v j).

Hypothesis z0_neq0 : z0 != 0.
Hypothesis v_distinct :
  forall k, P k -> k != j -> (v k != u) && (v k != - u).

Let p := (z0 / dot u u) *: u.

Lemma dot_p : dot u p = z0.
Proof. by rewrite /p dotZr divfK ?dot_neq0. Qed.

(** On the line of u, v_kᵀx = t z0 on the hyperplane uᵀx = z0, and
    t ≠ ±1 for the other classes. *)
Lemma online_off_kinks k x :
  P k -> k != j -> online u (v k) -> dot u x = z0 ->
  (dot (v k) x != z0) && (dot (v k) x != - z0).
Proof.
move=> Pk kj on ux; have /andP [vk_u vk_Nu] := v_distinct Pk kj.
rewrite (dot_online _ on) ux; apply/andP; split.
  apply: contra vk_u => /eqP t1.
  have t1' : lam u (v k) = 1 by apply: (mulIf z0_neq0); rewrite t1 mul1r.
  by rewrite (eqP on) t1' scale1r.
apply: contra vk_Nu => /eqP tN1.
have tN1' : lam u (v k) = -1 by apply: (mulIf z0_neq0); rewrite tN1 mulN1r.
by rewrite (eqP on) tN1' scaleN1r.
Qed.

Lemma affine_point :
  exists x0, dot u x0 = z0 /\
    forall k, P k -> k != j -> (dot (v k) x0 != z0) && (dot (v k) x0 != - z0).
Proof.
have [y [yj yk]] := perp_point vj_neq0.
pose bad k (sg : R) := `|(sg * z0 - dot (v k) p) / dot (v k) y|.
pose s := 1 + \sum_k (bad k 1 + bad k (-1)).
have s_big k : (bad k 1 < s) && (bad k (-1) < s).
  have le_sum : bad k 1 + bad k (-1) <= \sum_k (bad k 1 + bad k (-1)).
    rewrite (bigD1 k) //= ler_addl; apply: sumr_ge0 => i _.
    by rewrite addr_ge0 ?normr_ge0.
  rewrite /s !(ltr_spaddl ltr01) //; apply: le_trans le_sum.
    by rewrite ler_addr normr_ge0.
  by rewrite ler_addl normr_ge0.
exists (p + s *: y); split; first by rewrite dotDr dot_p dotZr yj mulr0 addr0.
move=> k Pk kj; have [on | off] := boolP (online u (v k)).
  by apply: online_off_kinks; rewrite // dotDr dot_p dotZr yj mulr0 addr0.
have avoid sg : bad k sg < s -> dot (v k) p + s * dot (v k) y != sg * z0.
  move=> b_lt; apply/eqP => e; move: b_lt; rewrite /bad -e addrAC subrr.
  by rewrite add0r mulfK ?yk // ltNge ler_norm.
have /andP [s1 sN1] := s_big k; rewrite dotDr [dot _ (s *: _)]dotZr.
apply/andP; split; first by move: (avoid 1 s1); rewrite mul1r.
by move: (avoid _ sN1); rewrite mulN1r.
Qed.

End AffinePoint.

Section KinkCI.
Variables (R : realFieldType) (e h : R -> R) (kappa z0 L : R).
Hypothesis kappa_neq0 : kappa != 0.
Hypothesis z0_gt0 : 0 < z0.
Hypothesis L_ge0 : 0 <= L.
Hypothesis eE : forall z, e z = h z + kappa * (`|z - z0| + `|z + z0|).
Hypothesis hC11 :
  forall a t, `|h (a + t) + h (a - t) - 2%:R * h a| <= L * t ^+ 2.
Variables (d : nat) (I : finType) (P : pred I) (v N : I -> 'cV[R]_d).
Variable K0 : 'cV[R]_d.
Hypothesis sumE : forall x, \sum_(k | P k) e (dot (v k) x) *: N k + K0 = 0.
Variables (j : I) (x0 : 'cV[R]_d).
Hypothesis Pj : P j.
Local Notation u := (v j).
Hypothesis x0j : dot u x0 = z0.
Hypothesis x0k : forall k, P k -> k != j ->
  (dot (v k) x0 != z0) && (dot (v k) x0 != - z0).

Local Notation a k := (dot (v k) x0).
Local Notation b k := (dot (v k) u).

(** Second difference of a function g at a with step t. *)
Definition sdiff (g : R -> R) (a t : R) := g (a + t) + g (a - t) - 2%:R * g a.

Lemma sdiffD (f g : R -> R) a t :
  sdiff (fun z => f z + g z) a t = sdiff f a t + sdiff g a t.
Proof.
rewrite /sdiff mulrDr opprD (addrACA (f (a + t))).
by rewrite (addrACA (f (a + t) + f (a - t))).
Qed.

Lemma sdiffZ (f : R -> R) c a t :
  sdiff (fun z => c * f z) a t = c * sdiff f a t.
Proof. by rewrite /sdiff mulrCA -!mulrDr -mulrBr. Qed.

Lemma sdiff_e a t :
  sdiff e a t = sdiff h a t + kappa *
    (sdiff (fun z => `|z - z0|) a t + sdiff (fun z => `|z + z0|) a t).
Proof.
rewrite -sdiffD -sdiffZ -sdiffD /sdiff !eE.
by [].
Qed.

Lemma kc_second_diff t :
  \sum_(k | P k) sdiff e (a k) (t * b k) *: N k = 0.
Proof.
have lin x : \sum_(k | P k) e (dot (v k) x) *: N k = - K0.
  by apply/eqP; rewrite -addr_eq0; apply/eqP; exact: sumE.
under eq_bigr do rewrite /sdiff -!dotZr -dotDr -dotBr scalerBl scalerDl.
rewrite sumrB big_split /= !lin.
under eq_bigr do rewrite -scalerA.
rewrite -scaler_sumr lin scalerN scaler_nat opprK mulr2n -opprD.
by rewrite addNr.
Qed.

(** Away from its kink, |z − c| has zero second difference. *)
Lemma kink_off (c A B : R) : `|B| < `|A - c| ->
  sdiff (fun z => `|z - c|) A B = 0.
Proof.
move=> B_small; rewrite /sdiff [A + B - c]addrAC [A - B - c]addrAC.
exact: abs_second_diff.
Qed.

Lemma kink_at (c B : R) : sdiff (fun z => `|z - c|) c B = `|B| *+ 2.
Proof.
rewrite /sdiff [c + B - c]addrAC [c - B - c]addrAC subrr !add0r normrN.
by rewrite normr0 mulr0 subr0 mulr2n.
Qed.

(** Smallness: |B|/|A| ≤ S ⇒ |(1 + S)⁻¹ B| < |A|. *)
Lemma small_step (A B S : R) :
  0 < `|A| -> `|B| / `|A| <= S -> `|(1 + S)^-1 * B| < `|A|.
Proof.
move=> A_gt0 BA_le; have S_ge0 : 0 <= S.
  by apply: le_trans BA_le; rewrite divr_ge0 ?normr_ge0.
have S1 : 0 < 1 + S by apply: (ltr_spaddl ltr01).
rewrite normrM gtr0_norm ?invr_gt0 // mulrC ltr_pdivr_mulr // mulrDr mulr1.
apply: (@le_lt_trans _ _ (`|A| * S)); last by apply: ltr_spaddl.
by rewrite -ler_pdivr_mull // mulrC.
Qed.

Lemma kink_off_p (c A B : R) : `|B| < `|A + c| ->
  sdiff (fun z => `|z + c|) A B = 0.
Proof.
move=> B_small; rewrite /sdiff [A + B + c]addrAC [A - B + c]addrAC.
exact: abs_second_diff.
Qed.

Hypothesis vj_neq0 : u != 0.

Let S := \sum_(k | P k) (`|b k| / `|a k - z0| + `|b k| / `|a k + z0|).
Let eps0 := (1 + S)^-1.

Lemma ratios_le k : P k ->
  `|b k| / `|a k - z0| + `|b k| / `|a k + z0| <= S.
Proof.
move=> Pk; rewrite /S (bigD1 k) //= ler_addl; apply: sumr_ge0 => i _.
by rewrite addr_ge0 ?divr_ge0 ?normr_ge0.
Qed.

Lemma ratio_m_le k : P k -> `|b k| / `|a k - z0| <= S.
Proof.
move=> Pk; apply: le_trans (ratios_le Pk); rewrite ler_addl.
by rewrite divr_ge0 ?normr_ge0.
Qed.

Lemma ratio_p_le k : P k -> `|b k| / `|a k + z0| <= S.
Proof.
move=> Pk; apply: le_trans (ratios_le Pk); rewrite ler_addr.
by rewrite divr_ge0 ?normr_ge0.
Qed.

Lemma scale_small (A B t : R) :
  0 < t -> t <= eps0 -> `|eps0 * B| < `|A| -> `|t * B| < `|A|.
Proof.
move=> t_gt0 t_le; apply: le_lt_trans; rewrite !normrM.
apply: ler_wpmul2r; first exact: normr_ge0.
by rewrite !gtr0_norm // (lt_le_trans t_gt0 t_le).
Qed.

Lemma small_m k t : P k -> k != j -> 0 < t -> t <= eps0 ->
  `|t * b k| < `|a k - z0|.
Proof.
move=> Pk kj t_gt0 t_le; apply: scale_small t_gt0 t_le _.
have /andP [ak_m _] := x0k Pk kj.
by apply: small_step (ratio_m_le Pk); rewrite normr_gt0 subr_eq0.
Qed.

Lemma small_p k t : P k -> 0 < t -> t <= eps0 -> `|t * b k| < `|a k + z0|.
Proof.
move=> Pk t_gt0 t_le; apply: scale_small t_gt0 t_le _.
apply: small_step (ratio_p_le Pk); rewrite normr_gt0.
have [->|kj] := eqVneq k j.
  by rewrite x0j -mulr2n mulrn_eq0 negb_or (gt_eqF z0_gt0).
by have /andP [_ ak_p] := x0k Pk kj; rewrite addr_eq0.
Qed.

Lemma kc_identity t : 0 < t -> t <= eps0 ->
  \sum_(k | P k) sdiff h (a k) (t * b k) *: N k +
  (kappa * (t * b j) *+ 2) *: N j = 0.
Proof.
move=> t_gt0 t_le; have := kc_second_diff t.
under eq_bigr do rewrite sdiff_e scalerDl.
rewrite big_split /= => sum0; apply: etrans sum0; congr (_ + _).
rewrite (bigD1 j) //= big1 ?addr0 => [|k /andP [Pk kj]]; last first.
  by rewrite kink_off ?kink_off_p ?small_m ?small_p // addr0 mulr0 scale0r.
rewrite x0j kink_at kink_off_p; last first.
  by rewrite -[X in X + _]x0j; exact: small_p.
rewrite addr0 mulrnAr ger0_norm // mulr_ge0 ?(ltW t_gt0) //.
exact: dot_ge0.
Qed.

Let M r := \sum_(k | P k) L * b k ^+ 2 * `|N k r 0|.

Lemma kc_bound t r : 0 < t -> t <= eps0 ->
  `|kappa * (t * b j) *+ 2 * N j r 0| <= t ^+ 2 * M r.
Proof.
move=> t_gt0 t_le.
have := congr1 (fun w : 'cV[R]_d => w r 0) (kc_identity t_gt0 t_le).
rewrite !mxE summxE addrC => /eqP; rewrite addr_eq0 => /eqP ->.
rewrite normrN; apply: le_trans (ler_norm_sum _ _ _) _; rewrite /M mulr_sumr.
apply: ler_sum => k _; rewrite mxE normrM mulrA.
apply: ler_wpmul2r; first exact: normr_ge0.
by rewrite mulrCA -exprMn /sdiff; exact: hC11.
Qed.

Lemma S_ge0 : 0 <= S.
Proof.
by apply: sumr_ge0 => k _; rewrite addr_ge0 ?divr_ge0 ?normr_ge0.
Qed.

Lemma eps0_gt0 : 0 < eps0.
Proof. by rewrite invr_gt0 (ltr_spaddl ltr01) ?S_ge0. Qed.

Lemma eps0_le1 : eps0 <= 1.
Proof. by rewrite invf_le1 ?ler_addl ?S_ge0 // (ltr_spaddl ltr01) ?S_ge0. Qed.

Lemma M_ge0 r : 0 <= M r.
Proof.
apply: sumr_ge0 => k _.
by rewrite mulr_ge0 ?normr_ge0 // mulr_ge0 // sqr_ge0.
Qed.

(** With c0 = |2κ|v_j|² N_j[r]| > 0, t = eps0 c0 / (c0 + M) is small
    enough for both the kinks and t M < c0. *)
Section Contra.
Variables (r : 'I_d) (c0 : R).
Hypothesis c0_gt0 : 0 < c0.
Let t := eps0 * (c0 / (c0 + M r)).

Lemma cM_gt0 : 0 < c0 + M r.
Proof. by rewrite ltr_paddr ?M_ge0. Qed.

Lemma t_gt0 : 0 < t.
Proof. by rewrite mulr_gt0 ?eps0_gt0 ?divr_gt0 ?cM_gt0. Qed.

Lemma t_le : t <= eps0.
Proof.
rewrite -[X in _ <= X]mulr1 ler_pmul2l ?eps0_gt0 //.
by rewrite ler_pdivr_mulr ?cM_gt0 // mul1r ler_addl M_ge0.
Qed.

Lemma tM_lt : t * M r < c0.
Proof.
apply: (@le_lt_trans _ _ (c0 / (c0 + M r) * M r)).
  rewrite /t -mulrA; apply: ler_pimull; last exact: eps0_le1.
  by rewrite mulr_ge0 ?M_ge0 ?divr_ge0 ?(ltW c0_gt0) ?(ltW cM_gt0).
rewrite mulrAC ltr_pdivr_mulr ?cM_gt0 // ltr_pmul2l //.
by rewrite ltr_addr.
Qed.

Lemma c0_le : c0 <= t * M r -> False.
Proof. by move=> c0_le; have := le_lt_trans c0_le tM_lt; rewrite ltxx. Qed.

End Contra.

Lemma kc_Nj : N j = 0.
Proof.
apply/matrixP => r c; rewrite [c]ord1 mxE; apply/eqP; apply: contraT => Nr.
pose c0 := `|kappa * b j *+ 2 * N j r 0|.
have D_gt0 : 0 < b j by exact: dot_gt0.
have c0_gt0 : 0 < c0.
  rewrite normr_gt0 !mulf_neq0 // mulrn_eq0 negb_or /= mulf_neq0 //.
  exact: lt0r_neq0.
have t_pos := t_gt0 r c0_gt0; have := kc_bound r t_pos (t_le r c0_gt0).
rewrite mulrCA -mulrnAr -mulrA normrM (gtr0_norm t_pos) expr2 -mulrA.
by rewrite ler_pmul2l // => /(c0_le c0_gt0).
Qed.

End KinkCI.

(** class-identifiable, criterion (ii) of Lemma 6.3: every kink-type e
    (limit-free: e = h + κ(|z − z0| + |z + z0|), κ ≠ 0, z0 > 0, h with
    second differences O(t²)) is class-identifiable. *)
Theorem kink_class_identifiable (R : realFieldType) (e : R -> R) :
  kink_type e -> class_identifiable e.
Proof.
case=> h [kappa [z0 [L [kappa_neq0 z0_gt0 L_ge0 eE hC11]]]].
move=> d I P v N K0 v_neq0 v_dist sumE j Pj.
have v_dist_j k : P k -> k != j -> (v k != v j) && (v k != - v j).
  by move=> Pk kj; exact: v_dist.
have [x0 [x0j x0k]] :=
  affine_point (v_neq0 j Pj) (lt0r_neq0 z0_gt0) v_dist_j.
exact: (kc_Nj kappa_neq0 z0_gt0 L_ge0 eE hC11 sumE Pj x0j x0k (v_neq0 j Pj)).
Qed.

(** The hypothesis is satisfiable: e(z) = |z − 1| + |z + 1| (h = 0, κ = 1,
    z0 = 1).  It cannot be dropped: with κ = 0 and h(z) = z² (second
    differences 2t²), Σ_k N_k (v_kᵀx)² ≡ 0 has nonzero solutions for four
    classes in R², since quadratic forms on R² form a 3-dimensional
    space. *)
Example kink_type_example (R : realFieldType) :
  kink_type (fun z : R => `|z - 1| + `|z + 1|).
Proof.
exists (fun _ => 0), 1, 1, 0; split=> //.
- exact: oner_neq0.
- exact: ltr01.
- by move=> z; rewrite add0r mul1r.
- by move=> a t; rewrite mul0r addr0 mulr0 subrr normr0.
Qed.
