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

Definition dot (u v : vec) : R := \sum_i u i 0 * v i 0.

Lemma dotC u v : dot u v = dot v u.
Proof. by apply: eq_bigr => i _; rewrite mulrC. Qed.

Lemma dotDr u v w : dot u (v + w) = dot u v + dot u w.
Proof. by rewrite /dot -big_split; apply: eq_bigr => i _; rewrite mxE mulrDr. Qed.

Lemma dotZr a u v : dot u (a *: v) = a * dot u v.
Proof. by rewrite /dot mulr_sumr; apply: eq_bigr => i _; rewrite mxE mulrCA. Qed.

Lemma dotNr u v : dot u (- v) = - dot u v.
Proof. by rewrite -scaleN1r dotZr mulN1r. Qed.

Lemma dotBr u v w : dot u (v - w) = dot u v - dot u w.
Proof. by rewrite dotDr dotNr. Qed.

Lemma dotDl u v w : dot (v + w) u = dot v u + dot w u.
Proof. by rewrite dotC dotDr !(dotC u). Qed.

Lemma dotZl a u v : dot (a *: v) u = a * dot v u.
Proof. by rewrite dotC dotZr dotC. Qed.

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

(** Two vectors on distinct lines: linearly independent. *)
Definition indep (u v : vec) := forall a b : R, a *: u + b *: v = 0 -> a = 0 /\ b = 0.

(** For w_j, w_k on distinct lines, v = |w_j|² w_k − (w_j·w_k) w_j is orthogonal to w_j
    and w_k·v ≠ 0. *)
Lemma orth_witness (wj wk : vec) : wj != 0 -> indep wk wj ->
  let v := dot wj wj *: wk - dot wj wk *: wj in dot wj v = 0 /\ dot wk v != 0.
Proof.
move=> wj0 hind v; split.
  by rewrite /v dotBr !dotZr mulrC subrr.
apply/eqP => h.
have hv : dot v v = dot wj wj * dot wk v.
  rewrite {1}/v dotBl !dotZl (_ : dot wj v = 0); last by rewrite /v dotBr !dotZr mulrC subrr.
  by rewrite mulr0 subr0.
have := dot_eq0 (etrans hv (etrans (congr1 _ h) (mulr0 _))).
rewrite /v => /eqP; rewrite subr_eq0 => /eqP e.
have eq0 : dot wj wj *: wk + (- dot wj wk) *: wj = 0 by rewrite e scaleNr subrr.
have [h1 _] := hind _ _ eq0.
by move: (dot_gt0 wj0); rewrite h1 ltxx.
Qed.

(** x ∈ w_j^⊥ off the hyperplanes w_k^⊥ (k ∈ ks): a finite union of proper subspaces of
    w_j^⊥ does not cover it. *)
Lemma avoid_hyperplanes (wj : vec) (w : seq vec) :
  wj != 0 -> (forall wk, wk \in w -> indep wk wj) ->
  exists x, dot wj x = 0 /\ forall wk, wk \in w -> dot wk x != 0.
Proof.
move=> wj0; elim: w => [|wk w IH] hind; first by exists 0; split=> //; rewrite /dot big1 // => i _; rewrite mxE mulr0.
have [x [xj xw]] : exists x, dot wj x = 0 /\ forall u, u \in w -> dot u x != 0.
  by apply: IH => u hu; apply: hind; rewrite inE hu orbT.
have [vj vk] := orth_witness wj0 (hind wk (mem_head _ _)).
set v := dot wj wj *: wk - dot wj wk *: wj in vj vk.
set s := 1 + \sum_(u <- wk :: w) `|dot u x / dot u v|.
have bad u : u \in wk :: w -> `|dot u x / dot u v| < s.
  move=> hu; rewrite /s (big_rem _ hu) /= addrCA ltr_addl; apply: (lt_le_trans ltr01).
  by rewrite ler_addl; apply: sumr_ge0 => i _; exact: normr_ge0.
exists (x + s *: v); split; first by rewrite dotDr dotZr xj vj mulr0 addr0.
move=> u hu; rewrite dotDr dotZr.
have [uv0|uvn] := eqVneq (dot u v) 0.
  rewrite uv0 mulr0 addr0; move: hu uv0; rewrite inE => /orP [/eqP -> uv0|hu _].
    by rewrite uv0 eqxx in vk.
  exact: xw.
apply/eqP => e; have := bad u hu.
have ex : dot u x = - (s * dot u v) by apply/eqP; rewrite -addr_eq0 e.
have -> : dot u x / dot u v = - s by rewrite ex mulNr mulfK.
by rewrite normrN ltNge ler_norm.
Qed.

Lemma abs_second_diff (a e : R) : `|e| < `|a| -> `|a + e| + `|a - e| - 2%:R * `|a| = 0.
Proof.
move=> h; have a0 : a != 0 by rewrite -normr_gt0 (le_lt_trans (normr_ge0 e) h).
have [an|ap|a00] := ltrgtP a 0; last by rewrite a00 eqxx in a0.
- rewrite (ltr0_norm an) in h; move/ltr_normlP: h => [ne pe].
  have h1 : a + e < 0 by rewrite -[e]opprK subr_lt0 ltr_oppr.
  have h2 : a - e < 0 by rewrite subr_lt0 -ltr_opp2.
  rewrite (ltr0_norm h1) (ltr0_norm h2) (ltr0_norm an) -opprD addrACA subrr addr0.
  by rewrite mulrN opprK mulr_natl mulr2n addNr.
- rewrite (gtr0_norm ap) in h; move/ltr_normlP: h => [ne pe].
  have h1 : 0 < a + e by rewrite -[e]opprK subr_gt0.
  have h2 : 0 < a - e by rewrite subr_gt0.
  rewrite (gtr0_norm h1) (gtr0_norm h2) (gtr0_norm ap) addrACA subrr addr0.
  by rewrite mulr_natl mulr2n subrr.
Qed.

(** kinks (Lemma K): w_1, …, w_K nonzero and pairwise on distinct lines (pairwise
    linearly independent), N_k ∈ R^d, L ∈ R^{d×d}.  If Σ_k |w_kᵀx| N_k + L x = 0 for all x,
    then every N_k = 0 and L = 0.  Limit-free: second differences at a point of w_j^⊥
    off the other kink hyperplanes (whose existence is proved, Lemma avoid_hyperplanes). *)
Theorem kinks K (w N : 'I_K -> vec) (L : 'M[R]_d) :
  (forall k, w k != 0) ->
  (forall k k', k != k' -> indep (w k) (w k')) ->
  (forall x, \sum_k `|dot (w k) x| *: N k + L *m x = 0) ->
  (forall k, N k = 0) /\ L = 0.
Proof.
move=> w0 hind h.
have hN : forall j, N j = 0.
  move=> j.
  have hin : forall u, u \in [seq w k | k <- enum 'I_K & k != j] -> indep u (w j).
    by move=> u /mapP [k]; rewrite mem_filter => /andP [kj _] ->; exact: hind k j kj.
  have [x0 [xj xk]] := avoid_hyperplanes (w0 j) hin.
  have xk' : forall k, k != j -> dot (w k) x0 != 0.
    by move=> k kj; apply: xk; apply/mapP; exists k => //; rewrite mem_filter kj mem_enum.
  set u := w j.
  set S := \sum_k `|dot (w k) u| / `|dot (w k) x0|.
  have S0 : 0 <= S by apply: sumr_ge0 => k _; rewrite divr_ge0 ?normr_ge0.
  have S1 : 0 < 1 + S by apply: (lt_le_trans ltr01); rewrite ler_addl.
  set eps := (1 + S)^-1.
  have eps0 : 0 < eps by rewrite invr_gt0.
  have small : forall k, k != j -> `|eps * dot (w k) u| < `|dot (w k) x0|.
    move=> k kj; have ak : 0 < `|dot (w k) x0| by rewrite normr_gt0; exact: xk'.
    rewrite normrM (gtr0_norm eps0) mulrC ltr_pdivr_mulr // mulrDr mulr1.
    have hb : `|dot (w k) u| <= `|dot (w k) x0| * S.
      rewrite -{1}[`|dot (w k) u|](divfK (lt0r_neq0 ak)) [X in X <= _]mulrC.
      apply: ler_wpmul2l; first exact: ltW.
      rewrite /S (bigD1 k) //= ler_addl; apply: sumr_ge0 => i _.
      by rewrite divr_ge0 ?normr_ge0.
    by apply: (le_lt_trans hb); rewrite ltr_addr.
  have lin x : \sum_k `|dot (w k) x| *: N k = - (L *m x).
    by apply/eqP; rewrite -addr_eq0; apply/eqP; exact: h.
  have key : \sum_k (`|dot (w k) x0 + eps * dot (w k) u| + `|dot (w k) x0 - eps * dot (w k) u|
                     - 2%:R * `|dot (w k) x0|) *: N k = 0.
    have e1 := lin (x0 + eps *: u); have e2 := lin (x0 - eps *: u); have e3 := lin x0.
    under eq_bigr do rewrite scalerBl scalerDl.
    rewrite sumrB big_split /=.
    under eq_bigr do rewrite -dotZr -dotDr.
    rewrite e1.
    under eq_bigr do rewrite -dotZr -dotBr.
    rewrite e2.
    under eq_bigr do rewrite -scalerA.
    rewrite -scaler_sumr e3 mulmxDr mulmxBr scalerN opprK -scalerMnl.
    by rewrite scale1r mulr2n -opprD addrACA subrr addr0 addNr.
  move: key; rewrite (bigD1 j) //= big1 ?addr0 => [|k kj]; last first.
    by rewrite abs_second_diff ?scale0r //; rewrite normrM (gtr0_norm eps0) -(gtr0_norm eps0) -normrM; exact: small.
  rewrite xj normr0 mulr0 subr0 add0r sub0r normrN => /eqP.
  rewrite scaler_eq0 => /orP [|/eqP //].
  rewrite -mulr2n mulrn_eq0 /= normr_eq0 mulf_eq0 (gt_eqF eps0) /= => hu.
  by move: (dot_gt0 (w0 j)); rewrite -/u (eqP hu) ltxx.
split=> //; apply: mx_ext0 => x.
have := h x; rewrite big1 ?add0r // => k _; by rewrite hN scaler0.
Qed.

End Kinks.
