(** * ℓ¹ norms of vectors and matrices over a real field (used by the
    analytic obstructions; every norm on R^d is equivalent, so o(|x|), O(1)
    etc. do not depend on this choice). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Norms.
Variable R : realFieldType.

Definition vnorm p (v : 'cV[R]_p) : R := \sum_i `|v i 0|.
Definition mnorm p q (M : 'M[R]_(p, q)) : R := \sum_i \sum_j `|M i j|.

Lemma vnorm_ge0 p (v : 'cV[R]_p) : 0 <= vnorm v.
Proof. by apply: sumr_ge0 => i _; exact: normr_ge0. Qed.

Lemma mnorm_ge0 p q (M : 'M[R]_(p, q)) : 0 <= mnorm M.
Proof.
by apply: sumr_ge0 => i _; apply: sumr_ge0 => j _; exact: normr_ge0.
Qed.

Lemma vnormD p (u v : 'cV[R]_p) : vnorm (u + v) <= vnorm u + vnorm v.
Proof.
rewrite /vnorm -big_split /=.
by apply: ler_sum => i _; rewrite mxE; exact: ler_norm_add.
Qed.

Lemma vnormN p (v : 'cV[R]_p) : vnorm (- v) = vnorm v.
Proof. by apply: eq_bigr => i _; rewrite mxE normrN. Qed.

Lemma vnormB p (u v : 'cV[R]_p) : vnorm (u - v) <= vnorm u + vnorm v.
Proof. by rewrite -(vnormN v); exact: vnormD. Qed.

Lemma vnormZ p a (v : 'cV[R]_p) : vnorm (a *: v) = `|a| * vnorm v.
Proof.
by rewrite /vnorm mulr_sumr; apply: eq_bigr => i _; rewrite mxE normrM.
Qed.

Lemma vnorm0 p : vnorm (0 : 'cV[R]_p) = 0.
Proof. by rewrite /vnorm big1 // => i _; rewrite mxE normr0. Qed.

Lemma entry_le_vnorm p (v : 'cV[R]_p) i : `|v i 0| <= vnorm v.
Proof.
rewrite /vnorm (bigD1 i) //= ler_addl.
by apply: sumr_ge0 => j _; exact: normr_ge0.
Qed.

Lemma vnorm_eq0 p (v : 'cV[R]_p) : vnorm v = 0 -> v = 0.
Proof.
move=> /eqP; rewrite psumr_eq0 => [/allP entries0|i _]; last exact: normr_ge0.
apply/matrixP => i j; rewrite [j]ord1 mxE; apply/eqP; rewrite -normr_eq0.
exact: (implyP (entries0 i (mem_index_enum i))).
Qed.

Lemma vnorm_mul p q (M : 'M[R]_(p, q)) (v : 'cV[R]_q) :
  vnorm (M *m v) <= mnorm M * vnorm v.
Proof.
rewrite /vnorm /mnorm mulr_suml; apply: ler_sum => i _; rewrite mxE.
apply: le_trans (ler_norm_sum _ _ _) _.
rewrite mulr_suml; apply: ler_sum => j _.
rewrite normrM; apply: ler_wpmul2l; first exact: normr_ge0.
exact: (entry_le_vnorm v j).
Qed.

(** Linear maps that are O(1), or o(|x|) near 0, vanish. *)
Lemma bounded_linear0 p q (P : 'M[R]_(p, q)) (C : R) :
  (forall x, vnorm (P *m x) <= C) -> P = 0.
Proof.
move=> P_le; apply: mx_ext0 => x; apply: vnorm_eq0; apply/eqP.
rewrite eq_le vnorm_ge0 andbT leNgt; apply/negP => Px_gt0.
have := P_le (((`|C| + 1) / vnorm (P *m x)) *: x).
rewrite -scalemxAr vnormZ ger0_norm; last first.
  by rewrite divr_ge0 ?vnorm_ge0 // addr_ge0 ?normr_ge0 ?ler01.
rewrite divfK ?gt_eqF // => C1_le.
by have := le_trans C1_le (ler_norm C); rewrite ger_addl ler10.
Qed.

Definition small_o_lin p q (P : 'cV[R]_q -> 'cV[R]_p) :=
  forall eps, 0 < eps -> exists2 delta, 0 < delta &
    forall x, vnorm x < delta -> vnorm (P x) <= eps * vnorm x.

Lemma scale_into_ball q (x : 'cV[R]_q) delta :
  0 < delta -> 0 < vnorm x -> exists2 s, 0 < s & vnorm (s *: x) < delta.
Proof.
move=> delta_gt0 x_gt0; exists (delta / (vnorm x *+ 2)).
  by rewrite divr_gt0 // pmulrn_rgt0.
rewrite vnormZ gtr0_norm ?divr_gt0 ?pmulrn_rgt0 // mulrAC.
rewrite ltr_pdivr_mulr ?pmulrn_rgt0 //.
by rewrite ltr_pmul2l // mulr2n ltr_addl.
Qed.

Lemma flat_linear0 p q (P : 'M[R]_(p, q)) :
  small_o_lin (fun x => P *m x) -> P = 0.
Proof.
move=> P_flat; apply: mx_ext0 => x.
have [x_eq0|] := eqVneq (vnorm x) 0; first by rewrite (vnorm_eq0 x_eq0) mulmx0.
move=> x_neq0; have x_gt0 : 0 < vnorm x by rewrite lt0r x_neq0 vnorm_ge0.
apply: vnorm_eq0; apply/eqP; rewrite eq_le vnorm_ge0 andbT.
apply/ler_addgt0Pr => e e_gt0; rewrite add0r.
have [delta delta_gt0 P_le] := P_flat (e / vnorm x) (divr_gt0 e_gt0 x_gt0).
have [s s_gt0 sx_lt] := scale_into_ball delta_gt0 x_gt0.
have := P_le _ sx_lt.
rewrite -scalemxAr !vnormZ gtr0_norm // mulrCA ler_pmul2l //.
by rewrite divfK ?gt_eqF.
Qed.

End Norms.
