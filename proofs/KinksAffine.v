(** * Lemma K-b (affine kinks), limit-free (BLUEPRINT §6.8).

    The kink set of |w_kᵀx + α_k| is the affine hyperplane
    H_k = {w_kᵀx + α_k = 0}.  We work with the homogenized vectors
    w̃_k = (w_k, α_k) ∈ R^(d+1), so that w_kᵀx + α_k = w̃_kᵀ(x, 1), and
    reuse Lemma K's machinery (Kinks.v: [perp_point], [online], [lam],
    [abs_second_diff]) in dimension d + 1: a point ỹ ⊥ w̃_j off the other
    hyperplanes w̃_k^⊥ and off e_(d+1)^⊥ is rescaled to last coordinate 1,
    giving x_0 ∈ H_j off the other H_k; the second difference along w_j
    at x_0 isolates the terms on the line of w̃_j. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Kinks.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

(** Maps with F(x + u) + F(x − u) = 2 F(x) (affine maps, and whatever the
    second difference cannot see), closed under sums, negation and
    scaling: the "affine part" of an identity is handled through this. *)
Section Midpoint.
Variables (R : ringType) (d k : nat).
Implicit Types F G : 'cV[R]_d -> 'cV[R]_k.

Definition mid_affine F := forall x u, F (x + u) + F (x - u) = F x *+ 2.

Lemma mid_ext F G : (forall x, F x = G x) -> mid_affine F -> mid_affine G.
Proof. by move=> FG MF x u; rewrite -!FG MF. Qed.

Lemma mid_lin (M : 'M[R]_(k, d)) (v : 'cV[R]_k) :
  mid_affine (fun x => M *m x + v).
Proof.
move=> x u; rewrite mulmxDr mulmxBr mulr2n.
rewrite (addrAC (M *m x) (M *m u)) (addrAC (M *m x) (- (M *m u))).
by rewrite addrACA subrr addr0.
Qed.

Lemma mid_add F G : mid_affine F -> mid_affine G ->
  mid_affine (fun x => F x + G x).
Proof. by move=> MF MG x u; rewrite addrACA MF MG mulrnDl. Qed.

Lemma mid_opp F : mid_affine F -> mid_affine (fun x => - F x).
Proof. by move=> MF x u; rewrite -opprD MF mulNrn. Qed.

Lemma mid_sub F G : mid_affine F -> mid_affine G ->
  mid_affine (fun x => F x - G x).
Proof. by move=> MF MG; apply: mid_add MF (mid_opp MG). Qed.

Lemma mid_scale (s : R) F : mid_affine F -> mid_affine (fun x => s *: F x).
Proof. by move=> MF x u; rewrite -scalerDr MF scalerMnr. Qed.

End Midpoint.

Section KinksAffine.
Variables (R : realFieldType) (d : nat).
Local Notation vec := 'cV[R]_d.
Local Notation hvec := 'cV[R]_(d + 1).

Lemma dot_col_mx (u v : vec) (a b : 'cV[R]_1) :
  dot (col_mx u a) (col_mx v b) = dot u v + a ord0 ord0 * b ord0 ord0.
Proof.
rewrite /dot big_split_ord /= big_ord1; congr (_ + _).
  by apply: eq_bigr => i _; rewrite !col_mxEu.
by rewrite !col_mxEd.
Qed.

(** w̃ᵀ(x, 1) = (upper part of w̃)ᵀx + last entry of w̃. *)
Lemma dot_hom (w : hvec) (x : vec) :
  dot w (col_mx x 1) = dot (usubmx w) x + dsubmx w ord0 ord0.
Proof. by rewrite -{1}(vsubmxK w) dot_col_mx !mxE /= mulr1. Qed.

Lemma usubmxZ (a : R) (w : hvec) : usubmx (a *: w) = a *: usubmx w.
Proof. by apply/matrixP => i j; rewrite !mxE. Qed.

(** Finitely many nonzero a_k: a common ε > 0 with |ε b_k| < |a_k|. *)
Lemma small_eps (I : finType) (P : pred I) (a b : I -> R) :
  (forall k, P k -> a k != 0) ->
  exists2 eps, 0 < eps & forall k, P k -> `|eps * b k| < `|a k|.
Proof.
move=> a_neq0; set S := \sum_(k | P k) `|b k| / `|a k|.
have S_ge0 : 0 <= S by apply: sumr_ge0 => k _; rewrite divr_ge0.
have S1 : 0 < 1 + S by rewrite (lt_le_trans ltr01) // ler_addl.
exists (1 + S)^-1; first by rewrite invr_gt0.
move=> k Pk; have ak : 0 < `|a k| by rewrite normr_gt0 a_neq0.
have eps_gt0 : 0 < (1 + S)^-1 by rewrite invr_gt0.
rewrite normrM (gtr0_norm eps_gt0) mulrC ltr_pdivr_mulr // mulrDr mulr1.
apply: (@le_lt_trans _ _ (`|a k| * S)); last by rewrite ltr_addr.
rewrite -{1}[`|b k|](divfK (lt0r_neq0 ak)) [X in X <= _]mulrC.
apply: ler_wpmul2l; first exact: ltW.
rewrite /S (bigD1 k) //= ler_addl; apply: sumr_ge0 => i _.
by rewrite divr_ge0.
Qed.

Section AffLine.
Variables (I : finType) (w : I -> hvec) (N : I -> vec).
Variable F : vec -> vec.
Hypothesis F_mid : mid_affine F.
Hypothesis kinkE : forall x, \sum_k `|dot (w k) (col_mx x 1)| *: N k = F x.

Lemma aff_second_diff x0 u :
  \sum_k (`|dot (w k) (col_mx (x0 + u) 1)|
          + `|dot (w k) (col_mx (x0 - u) 1)|
          - 2%:R * `|dot (w k) (col_mx x0 1)|) *: N k = 0.
Proof.
under eq_bigr do rewrite scalerBl scalerDl -scalerA.
by rewrite sumrB big_split /= -scaler_sumr !kinkE F_mid scaler_nat subrr.
Qed.

Variable j : I.
Hypothesis uj : usubmx (w j) != 0.

(** Lemma K-b, per line: the terms on the line of w̃_j sum to zero,
    Σ_{w̃_k = t_k w̃_j} |t_k| N_k = 0. *)
Theorem aff_kinks_line :
  \sum_(k | online (w j) (w k)) `|lam (w j) (w k)| *: N k = 0.
Proof.
have wj_neq0 : w j != 0.
  by apply: contra_neq uj => ->; apply/matrixP => a b; rewrite !mxE.
pose Fo (o : option I) : hvec := if o is Some k then w k else col_mx 0 1.
have [y [yj yk]] := @perp_point R (d + 1) _ Fo (Some j) wj_neq0.
have e_off : ~~ online (w j) (Fo None).
  apply/negP => /eqP E; have := congr1 usubmx E.
  rewrite /= col_mxKu usubmxZ => /eqP; rewrite eq_sym scaler_eq0.
  rewrite (negbTE uj) orbF => /eqP lam0; move: E; rewrite /= lam0 scale0r.
  move=> /(congr1 (fun v : hvec => dsubmx v 0 0)) /eqP.
  by rewrite col_mxKd !mxE oner_eq0.
have := yk None e_off; rewrite /= -{1}(vsubmxK y) dot_col_mx.
rewrite dotC dot0r add0r mxE mul1r => t_neq0.
set t := dsubmx y ord0 ord0 in t_neq0.
set x0 := t^-1 *: usubmx y.
have hom0 : col_mx x0 1 = t^-1 *: y.
  rewrite -[in RHS](vsubmxK y) scale_col_mx; congr col_mx.
  apply/matrixP => a b; rewrite !ord1 !mxE /=.
  have tE : y (rshift d 0) 0 = t by rewrite /t mxE.
  by rewrite tE mulVf.
set u := usubmx (w j); set v : hvec := col_mx u 0.
have homD s : col_mx (x0 + s *: u) 1 = col_mx x0 1 + s *: v.
  by rewrite scale_col_mx add_col_mx scaler0 addr0.
have homB s : col_mx (x0 - s *: u) 1 = col_mx x0 1 - s *: v.
  by rewrite scale_col_mx opp_col_mx add_col_mx scaler0 oppr0 addr0.
have a0 k : dot (w k) (col_mx x0 1) = t^-1 * dot (w k) y.
  by rewrite hom0 dotZr.
have jv : dot (w j) v = dot u u.
  by rewrite -{1}(vsubmxK (w j)) dot_col_mx !mxE mulr0 addr0.
have a_off k : ~~ online (w j) (w k) -> dot (w k) (col_mx x0 1) != 0.
  by move=> off; rewrite a0 mulf_neq0 ?invr_eq0 // (yk (Some k)).
have [eps eps_gt0 eps_small] := @small_eps _
  (fun k => ~~ online (w j) (w k)) (fun k => dot (w k) (col_mx x0 1))
  (fun k => dot (w k) v) a_off.
have := aff_second_diff x0 (eps *: u).
rewrite (bigID (fun k => online (w j) (w k))) /= [X in _ + X]big1; last first.
  move=> k off; rewrite homD homB dotDr dotBr !dotZr.
  by rewrite abs_second_diff ?scale0r // eps_small.
rewrite addr0 (eq_bigr (fun k => (2%:R * eps * dot u u) *:
  (`|lam (w j) (w k)| *: N k))); last first.
  move=> k on; rewrite homD homB !(dot_online _ on) dotDr dotBr dotZr jv.
  rewrite a0 yj mulr0 add0r sub0r mulr0 normr0 mulr0 subr0 mulrN normrN.
  rewrite -mulr2n normrM (ger0_norm (mulr_ge0 (ltW eps_gt0) (dot_ge0 u))).
  rewrite scalerA; congr (_ *: _).
  by rewrite mulrC -!mulrA mulr_natl.
rewrite -scaler_sumr => /eqP; rewrite scaler_eq0 => /orP [|/eqP //].
by rewrite !mulf_eq0 pnatr_eq0 (gt_eqF eps_gt0) (negbTE (dot_neq0 _)).
Qed.

End AffLine.

(** kinks-affine (Lemma K-b): w_1, …, w_K ∈ R^d nonzero, α_k ∈ R, with the
    pairs w̃_k = (w_k, α_k) pairwise linearly independent (the kink
    hyperplanes H_k pairwise distinct), N_k ∈ R^d, L ∈ R^(d×d), ℓ ∈ R^d.
    If Σ_k |w_kᵀx + α_k| N_k + L x + ℓ = 0 for all x, then every N_k = 0,
    L = 0 and ℓ = 0.  (Vector N_k and matrix L: the blueprint's scalar
    statement is the case d = 1 per coordinate, and this is stronger.) *)
Theorem kinks_affine K (w N : 'I_K -> vec) (al : 'I_K -> R)
    (L : 'M[R]_d) (l : vec) :
  (forall k, w k != 0) ->
  (forall k k', k != k' ->
     indep (col_mx (w k) (al k)%:M) (col_mx (w k') (al k')%:M)) ->
  (forall x, \sum_k `|dot (w k) x + al k| *: N k + L *m x + l = 0) ->
  [/\ forall k, N k = 0, L = 0 & l = 0].
Proof.
move=> w_neq0 w_indep kinkE.
pose wt k : hvec := col_mx (w k) (al k)%:M.
have wtE k x : dot (wt k) (col_mx x 1) = dot (w k) x + al k.
  by rewrite dot_col_mx !mxE mulr1.
have kinkE' x :
    \sum_k `|dot (wt k) (col_mx x 1)| *: N k = - (L *m x + l).
  apply/eqP; rewrite -addr_eq0 addrA; apply/eqP.
  by under eq_bigr do rewrite wtE; exact: kinkE.
have L_mid : mid_affine (fun x => - (L *m x + l)).
  exact/mid_opp/mid_lin.
have wt_neq0 k : wt k != 0.
  by apply: contra_neq (w_neq0 k) => /(congr1 usubmx); rewrite col_mxKu => ->;
     apply/matrixP => a b; rewrite !mxE.
have N0 j : N j = 0.
  have := @aff_kinks_line _ wt N _ L_mid kinkE' j; rewrite col_mxKu.
  move=> /(_ (w_neq0 j)).
  rewrite (eq_bigl _ _ (fun k => online_family k (wt_neq0 j) w_indep)).
  by rewrite big_pred1_eq lam_self // normr1 scale1r.
have Ll x : L *m x + l = 0.
  by have := kinkE x; rewrite big1 ?add0r // => k _; rewrite N0 scaler0.
have l0 : l = 0 by have := Ll 0; rewrite mulmx0 add0r.
by split=> //; apply: mx_ext0 => x; have := Ll x; rewrite l0 addr0.
Qed.

End KinksAffine.
