(** * Lemma K (kinks), limit-free (BLUEPRINT §6.2). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Kinks.
Variables (R : realFieldType) (d : nat).
Local Notation vec := 'cV[R]_d.
Implicit Types u v : vec.

Lemma dotC u v : dot u v = dot v u.
Proof. by apply: eq_bigr => i _; rewrite mulrC. Qed.

Lemma dotDr u v w : dot u (v + w) = dot u v + dot u w.
Proof.
by rewrite /dot -big_split; apply: eq_bigr => i _; rewrite mxE mulrDr.
Qed.

Lemma dotZr a u v : dot u (a *: v) = a * dot u v.
Proof.
by rewrite /dot mulr_sumr; apply: eq_bigr => i _; rewrite mxE mulrCA.
Qed.

Lemma dotNr u v : dot u (- v) = - dot u v.
Proof. by rewrite -scaleN1r dotZr mulN1r. Qed.

Lemma dotBr u v w : dot u (v - w) = dot u v - dot u w.
Proof. by rewrite dotDr dotNr. Qed.

Lemma dotDl u v w : dot (v + w) u = dot v u + dot w u.
Proof. by rewrite dotC dotDr !(dotC u). Qed.

Lemma dotZl a u v : dot (a *: v) u = a * dot v u.
Proof. by rewrite dotC dotZr dotC. Qed.

Lemma dotNl u v : dot (- u) v = - dot u v.
Proof. by rewrite dotC dotNr dotC. Qed.

Lemma dotBl u v w : dot (v - w) u = dot v u - dot w u.
Proof. by rewrite dotC dotBr !(dotC u). Qed.

Lemma dot_ge0 u : 0 <= dot u u.
Proof. by apply: sumr_ge0 => i _; rewrite -expr2 sqr_ge0. Qed.

Lemma dot_eq0 u : dot u u = 0 -> u = 0.
Proof.
move=> /eqP; rewrite psumr_eq0 => [/allP h|i _]; last by rewrite -expr2 sqr_ge0.
apply/matrixP => i j; rewrite [j]ord1 mxE; apply/eqP.
by have := implyP (h i (mem_index_enum i)) isT; rewrite mulf_eq0 orbb.
Qed.

Lemma dot_gt0 u : u != 0 -> 0 < dot u u.
Proof.
move=> u0; rewrite lt_neqAle dot_ge0 andbT eq_sym; apply/eqP => /dot_eq0 e.
by rewrite e eqxx in u0.
Qed.


(** For w_j, w_k on distinct lines, v = |w_j|² w_k − (w_j·w_k) w_j is
    orthogonal to w_j and w_k·v ≠ 0. *)
Section OrthWitness.
Variables (wj wk : vec).
Hypothesis wj_neq0 : wj != 0.
Hypothesis wkj_indep : indep wk wj.
Local Notation v := (dot wj wj *: wk - dot wj wk *: wj).

Lemma orth_witness_j : dot wj v = 0.
Proof. by rewrite dotBr !dotZr mulrC subrr. Qed.

Lemma orth_witness_vv : dot v v = dot wj wj * dot wk v.
Proof. by rewrite {1}dotBl !dotZl orth_witness_j mulr0 subr0. Qed.

Lemma orth_witness_k : dot wk v != 0.
Proof.
apply/eqP => wkv0; have := orth_witness_vv; rewrite wkv0 mulr0.
move=> /dot_eq0 /eqP; rewrite subr_eq0 => /eqP vE.
have lin0 : dot wj wj *: wk + (- dot wj wk) *: wj = 0.
  by rewrite vE scaleNr subrr.
have [jj0 _] := wkj_indep lin0.
by move: (dot_gt0 wj_neq0); rewrite jj0 ltxx.
Qed.

End OrthWitness.

Lemma dot0r u : dot u 0 = 0.
Proof. by rewrite /dot big1 // => i _; rewrite mxE mulr0. Qed.

(** x ∈ w_j^⊥ off the hyperplanes w_k^⊥ (w_k ∈ ws): a finite union of
    proper subspaces of w_j^⊥ does not cover it. *)
Lemma avoid_hyperplanes (wj : vec) (ws : seq vec) :
  wj != 0 -> (forall wk, wk \in ws -> indep wk wj) ->
  exists x, dot wj x = 0 /\ forall wk, wk \in ws -> dot wk x != 0.
Proof.
move=> wj_neq0; elim: ws => [|wk ws IH] ws_indep.
  by exists 0; split=> //; exact: dot0r.
have [x [xj xws]] : exists x, dot wj x = 0 /\
    forall u, u \in ws -> dot u x != 0.
  by apply: IH => u u_ws; apply: ws_indep; rewrite inE u_ws orbT.
have wkj := ws_indep wk (mem_head _ _).
have vj := @orth_witness_j wj wk; have vk := orth_witness_k wj_neq0 wkj.
set v := dot wj wj *: wk - dot wj wk *: wj in vj vk.
set s := 1 + \sum_(u <- wk :: ws) `|dot u x / dot u v|.
have s_big u : u \in wk :: ws -> `|dot u x / dot u v| < s.
  move=> u_ws; rewrite /s (big_rem _ u_ws) /= addrCA ltr_addl.
  apply: (lt_le_trans ltr01); rewrite ler_addl.
  by apply: sumr_ge0 => i _; exact: normr_ge0.
exists (x + s *: v); split; first by rewrite dotDr dotZr xj vj mulr0 addr0.
move=> u u_ws; rewrite dotDr dotZr.
have [uv0|uv_neq0] := eqVneq (dot u v) 0.
  rewrite uv0 mulr0 addr0; move: u_ws uv0; rewrite inE.
  case/orP=> [/eqP -> uv0|u_ws _]; last exact: xws.
  by rewrite uv0 eqxx in vk.
apply/eqP => ux0; have := s_big u u_ws.
have uxE : dot u x = - (s * dot u v) by apply/eqP; rewrite -addr_eq0 ux0.
have -> : dot u x / dot u v = - s by rewrite uxE mulNr mulfK.
by rewrite normrN ltNge ler_norm.
Qed.

(** |a + e| + |a − e| − 2|a| = 0 when |e| < |a|: no kink in between. *)
Section SecondDiff.
Variables (a e : R).
Hypothesis e_small : `|e| < `|a|.

Lemma abs_second_diff_neg : a < 0 -> `|a + e| + `|a - e| - 2%:R * `|a| = 0.
Proof.
move=> a_lt0; move: e_small; rewrite (ltr0_norm a_lt0) => /ltr_normlP [ae ea].
have ape : a + e < 0 by rewrite -[e]opprK subr_lt0 ltr_oppr.
have ame : a - e < 0 by rewrite subr_lt0 -ltr_opp2.
rewrite (ltr0_norm ape) (ltr0_norm ame) -opprD addrACA.
by rewrite subrr addr0 mulrN opprK mulr_natl mulr2n addNr.
Qed.

Lemma abs_second_diff_pos : 0 < a -> `|a + e| + `|a - e| - 2%:R * `|a| = 0.
Proof.
move=> a_gt0; move: e_small; rewrite (gtr0_norm a_gt0) => /ltr_normlP [ae ea].
have ape : 0 < a + e by rewrite -[e]opprK subr_gt0.
have ame : 0 < a - e by rewrite subr_gt0.
rewrite (gtr0_norm ape) (gtr0_norm ame) addrACA subrr.
by rewrite addr0 mulr_natl mulr2n subrr.
Qed.

Lemma abs_second_diff : `|a + e| + `|a - e| - 2%:R * `|a| = 0.
Proof.
have a_neq0 : a != 0.
  by rewrite -normr_gt0 (le_lt_trans (normr_ge0 e) e_small).
have [a_lt0|a_gt0|a0] := ltrgtP a 0; last by rewrite a0 eqxx in a_neq0.
  exact: abs_second_diff_neg.
exact: abs_second_diff_pos.
Qed.

End SecondDiff.

(** Lines.  [lam u v] is the factor t with v = t u when v lies on the line
    of u ≠ 0, and [online u v] tests that it does (v = 0 lies on every
    line). *)
Definition lam (u v : vec) : R := dot u v / dot u u.
Definition online (u v : vec) : bool := v == lam u v *: u.

Lemma dot_neq0 u : u != 0 -> dot u u != 0.
Proof. by move=> u_neq0; rewrite gt_eqF ?dot_gt0. Qed.

Lemma lamZ u t : u != 0 -> lam u (t *: u) = t.
Proof. by move=> u_neq0; rewrite /lam dotZr mulfK ?dot_neq0. Qed.

Lemma lam_self u : u != 0 -> lam u u = 1.
Proof. by move=> u_neq0; rewrite -[X in lam _ X]scale1r lamZ. Qed.

Lemma online_self u : u != 0 -> online u u.
Proof. by move=> u_neq0; rewrite /online lam_self ?scale1r. Qed.

Lemma dot_online u v y : online u v -> dot v y = lam u v * dot u y.
Proof. by move=> /eqP {1}->; rewrite dotZl. Qed.

(** A vector off the line of u ≠ 0 is linearly independent of u. *)
Lemma offline_indep u v : u != 0 -> ~~ online u v -> indep v u.
Proof.
move=> u_neq0 off a b vu0; have [a0|a_neq0] := eqVneq a 0.
  move: vu0; rewrite a0 scale0r add0r => /eqP.
  by rewrite scaler_eq0 (negbTE u_neq0) orbF => /eqP.
have av : a *: v = - (b *: u) by apply/eqP; rewrite -addr_eq0 vu0.
have vE : v = (- (a^-1 * b)) *: u.
  by rewrite -[v](scalerK a_neq0) av scalerN scalerA scaleNr.
by move: off; rewrite /online vE lamZ ?eqxx.
Qed.

(** Two members of a pairwise independent family share a line only when
    they are the same member. *)
Lemma online_indep u v : indep v u -> ~~ online u v.
Proof.
move=> vu; apply/negP => /eqP vE.
have : 1 *: v + (- lam u v) *: u = 0 by rewrite scale1r scaleNr -vE subrr.
by move=> /vu [/eqP]; rewrite oner_eq0.
Qed.

(** In a pairwise independent family of nonzero vectors, w_k lies on the
    line of w_j only for k = j. *)
Lemma online_family (I : finType) (w : I -> vec) j k :
  w j != 0 -> (forall k k', k != k' -> indep (w k) (w k')) ->
  online (w j) (w k) = (k == j).
Proof.
move=> wj_neq0 w_indep; have [->|kj] := eqVneq k j; first exact: online_self.
by apply/negbTE/online_indep/w_indep.
Qed.

(** Three vectors: if w ≠ 0 lies on the lines of u and of v, then v lies on
    the line of u. *)
Lemma online_trans u v w :
  u != 0 -> online u w -> lam u w != 0 -> online v w -> online u v.
Proof.
move=> u_neq0 /eqP wE lam_neq0 /eqP wE'.
have mu_neq0 : lam v w != 0.
  apply: contra_neq lam_neq0 => mu0; move: wE; rewrite wE' mu0 scale0r.
  by move/eqP; rewrite eq_sym scaler_eq0 (negbTE u_neq0) orbF => /eqP.
have vE : v = ((lam v w)^-1 * lam u w) *: u.
  by rewrite -scalerA -wE [X in _ *: X]wE' scalerA mulVf ?scale1r.
by rewrite /online [in lam u v]vE lamZ // -vE.
Qed.

(** A point y ⊥ w_j off every hyperplane w_kᵀy = 0 with w_k off the line
    of w_j (any finite family). *)
Lemma perp_point (I : finType) (w : I -> vec) j : w j != 0 ->
  exists y, dot (w j) y = 0 /\
    forall k, ~~ online (w j) (w k) -> dot (w k) y != 0.
Proof.
move=> wj_neq0; set ws := [seq w k | k <- enum I & ~~ online (w j) (w k)].
have ws_indep v : v \in ws -> indep v (w j).
  move=> /mapP [k]; rewrite mem_filter => /andP [off _] ->.
  exact: offline_indep.
have [y [yj yk]] := avoid_hyperplanes wj_neq0 ws_indep.
exists y; split=> // k off; apply: yk.
by apply/mapP; exists k; rewrite // mem_filter off mem_enum.
Qed.

(** Lemma K for any finite family (rows may repeat, be parallel or be zero):
    if Σ_k |w_kᵀx| N_k + L x = 0 for all x, then for every w_j ≠ 0 the
    scale-weighted sum over the line of w_j vanishes,
    Σ_{w_k = t_k w_j} |t_k| N_k = 0. *)
Section KinksLine.
Variables (I : finType) (w N : I -> vec) (L : 'M[R]_d).
Hypothesis kinkE : forall x, \sum_k `|dot (w k) x| *: N k + L *m x = 0.

Lemma kinks_lin x : \sum_k `|dot (w k) x| *: N k = - (L *m x).
Proof. by apply/eqP; rewrite -addr_eq0; apply/eqP; exact: kinkE. Qed.

Lemma kinks_second_diff x0 u :
  \sum_k (`|dot (w k) (x0 + u)| + `|dot (w k) (x0 - u)|
          - 2%:R * `|dot (w k) x0|) *: N k = 0.
Proof.
under eq_bigr do rewrite scalerBl scalerDl -scalerA.
rewrite sumrB big_split /= -scaler_sumr !kinks_lin mulmxDr mulmxBr.
rewrite scalerN opprK -opprD addrACA subrr addr0 scaler_nat mulr2n.
by rewrite addNr.
Qed.

Section AtLine.
Variable j : I.
Hypothesis wj_neq0 : w j != 0.
Local Notation u := (w j).

Variable x0 : vec.
Hypothesis x0j : dot u x0 = 0.
Hypothesis x0k : forall k, ~~ online u (w k) -> dot (w k) x0 != 0.

Let S := \sum_k `|dot (w k) u| / `|dot (w k) x0|.
Let eps := (1 + S)^-1.

Lemma kinks_eps_gt0 : 0 < eps.
Proof.
rewrite invr_gt0 (lt_le_trans ltr01) // ler_addl.
by apply: sumr_ge0 => k _; rewrite divr_ge0 ?normr_ge0.
Qed.

Lemma kinks_small k :
  ~~ online u (w k) -> `|eps * dot (w k) u| < `|dot (w k) x0|.
Proof.
move=> off; have ak : 0 < `|dot (w k) x0| by rewrite normr_gt0 x0k.
have S1 : 0 < 1 + S by rewrite -invr_gt0 kinks_eps_gt0.
rewrite normrM (gtr0_norm kinks_eps_gt0) mulrC ltr_pdivr_mulr // mulrDr.
rewrite mulr1; apply: (@le_lt_trans _ _ (`|dot (w k) x0| * S)); last first.
  by rewrite ltr_addr.
rewrite -{1}[`|dot (w k) u|](divfK (lt0r_neq0 ak)) [X in X <= _]mulrC.
apply: ler_wpmul2l; first exact: ltW.
rewrite /S (bigD1 k) //= ler_addl; apply: sumr_ge0 => i _.
by rewrite divr_ge0 ?normr_ge0.
Qed.

Lemma kinks_on_term k : online u (w k) ->
  `|dot (w k) (x0 + eps *: u)| + `|dot (w k) (x0 - eps *: u)|
    - 2%:R * `|dot (w k) x0|
  = (2%:R * eps * dot u u) * `|lam u (w k)|.
Proof.
move=> on; rewrite !(dot_online _ on) dotDr dotBr dotZr x0j.
rewrite add0r sub0r mulrN normrN mulr0 normr0 mulr0 subr0 -mulr2n.
rewrite normrM (ger0_norm (mulr_ge0 (ltW kinks_eps_gt0) _)); last first.
  exact: dot_ge0.
rewrite -!mulrA mulr_natl; congr (_ *+ 2).
by rewrite mulrC mulrA.
Qed.

Lemma kinks_at_line :
  \sum_(k | online u (w k)) `|lam u (w k)| *: N k = 0.
Proof.
have := kinks_second_diff x0 (eps *: u).
rewrite (bigID (fun k => online u (w k))) /= [X in _ + X]big1; last first.
  move=> k off; rewrite dotDr dotBr dotZr abs_second_diff ?scale0r //.
  exact: kinks_small.
rewrite addr0 (eq_bigr (fun k => (2%:R * eps * dot u u) *:
  (`|lam u (w k)| *: N k))); last first.
  by move=> k on; rewrite kinks_on_term // scalerA.
rewrite -scaler_sumr => /eqP; rewrite scaler_eq0 => /orP [|/eqP //].
by rewrite !mulf_eq0 pnatr_eq0 (gt_eqF kinks_eps_gt0) (negbTE (dot_neq0 _)).
Qed.

End AtLine.

Theorem kinks_line j : w j != 0 ->
  \sum_(k | online (w j) (w k)) `|lam (w j) (w k)| *: N k = 0.
Proof.
move=> wj_neq0; have [x0 [x0j x0k]] := perp_point wj_neq0.
exact: kinks_at_line x0j x0k.
Qed.

End KinksLine.

(** kinks (Lemma K): w_1, …, w_K nonzero and pairwise on distinct lines
    (pairwise linearly independent), N_k ∈ R^d, L ∈ R^{d×d}.  If
    Σ_k |w_kᵀx| N_k + L x = 0 for all x, then every N_k = 0 and L = 0.
    Limit-free: second differences at a point of w_j^⊥ off the other kink
    hyperplanes (whose existence is proved, Lemma avoid_hyperplanes). *)
Theorem kinks K (w N : 'I_K -> vec) (L : 'M[R]_d) :
  (forall k, w k != 0) ->
  (forall k k', k != k' -> indep (w k) (w k')) ->
  (forall x, \sum_k `|dot (w k) x| *: N k + L *m x = 0) ->
  (forall k, N k = 0) /\ L = 0.
Proof.
move=> w_neq0 w_indep kinkE.
have N0 j : N j = 0.
  have := kinks_line kinkE (w_neq0 j).
  rewrite (eq_bigl _ _ (fun k => online_family k (w_neq0 j) w_indep)).
  rewrite big_pred1_eq lam_self //.
  by rewrite normr1 scale1r.
split=> //; apply: mx_ext0 => x; have := kinkE x.
by rewrite big1 ?add0r // => k _; rewrite N0 scaler0.
Qed.

End Kinks.
