(** * The projected index condition is strictly weaker (BLUEPRINT
    Prop. 6.8f, the d = 2 example), and all hypotheses of
    [postnorm_projected] hold at once.

    d = n = 2, ReLU, A = I, b_i = e_i, β = 0, a_1 = (0, 1), a_2 = (1, 0)
    (W_down = 11ᵀ − I, so Σ_{[2]} a_i b_iᵀ = −I + 11ᵀ).  No S satisfies
    (IC_1) (entry (1,1) of Σ_S a_i b_iᵀ is 0), so the block
    x + W_down relu(W_up x) + δ is not absorbable at width ≤ 2 (Theorem
    6.8b); yet P(I + Σ_{[2]} a_i b_iᵀ) = P 11ᵀ = 0, so for every ε > 0,
    nonzero gains and any δ the post-LN block LN_ε(x + MLP(x)) is
    absorbable at width ≤ 2 ([postnorm_projected]). *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.analysis Require Import Rstruct.
Require Import Reals.
From SkipAbsorption Require Import Defs OddEven SignFlip GenericIff Bias.
From SkipAbsorption Require Import ReluBias LayerNorm PostNorm BiasInstances.
Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.
Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.
Local Notation Pm d := (Pmat R_realFieldType d).

(** W_down = 11ᵀ − I: a_1 = (0, 1), a_2 = (1, 0). *)
Definition Wd2 : 'M[R]_2 := \matrix_(i, j) (if i == j then 0 else 1).

Lemma two_inv_neq1 : (2%:R : R)^-1 != 1.
Proof.
apply/eqP => e; have := congr1 (fun v => 2%:R * v) e.
rewrite mulr1 mulfV ?pnatr_eq0 // => /eqP.
by rewrite eq_sym -subr_eq0 mulr2n addrK oner_eq0.
Qed.

Lemma Wd2_no_S (S : {set 'I_2}) : ~ index_condition 1 1%:M Wd2 1%:M S.
Proof.
case=> _ /matrixP /(_ 0 0); rewrite scale1r mulmx1 /DS mul_mx_diag !mxE /=.
by rewrite mul0r => /eqP; rewrite eq_sym oppr_eq0 oner_eq0.
Qed.

Lemma Wd2_Pa (i : 'I_2) : Pm 2 *m col i Wd2 != 0.
Proof.
rewrite PmatE; apply/eqP => /matrixP /(_ 0 0).
rewrite !mxE /mean big_ord_recr big_ord1 /= !mxE.
case: (ord2_cases i) => -> /=; rewrite ?add0r ?addr0 mul1r mulr1 => /eqP.
  by rewrite oppr_eq0 invr_eq0 pnatr_eq0.
by rewrite subr_eq0 eq_sym (negbTE two_inv_neq1).
Qed.

Lemma Glineb_id : Glineb (1%:M : 'M[R]_2) (0 : 'cV[R]_2).
Proof.
have [_ Gl _] := generic_iff_instance R_fieldType 2.
move=> i j ij s t; rewrite !row_hom !scale_col_mx add_col_mx -col_mx0.
by move=> /eq_col_mx [e _]; exact: Gl ij s t e.
Qed.

Lemma Wd2_P_IC :
  Pm 2 *m (1^-1 *: 1%:M + Wd2 *m DS [set: 'I_2] *m 1%:M) = 0.
Proof.
have -> : DS [set: 'I_2] = 1%:M :> 'M[R]_2.
  by apply/matrixP => i j; rewrite !mxE inE.
rewrite !mulmx1 invr1 scale1r.
have -> : 1%:M + Wd2 = const_mx 1.
  apply/matrixP => i j; rewrite !mxE.
  by case: (i == j); rewrite /= ?addr0 ?add0r.
apply: mx_ext0 => x; rewrite -mulmxA PmatE.
have -> : const_mx 1 *m x = (\sum_j x j 0) *: ones R_realFieldType 2.
  apply/matrixP => i j; rewrite [j]ord1 !mxE mulr1.
  by apply: eq_bigr => k _; rewrite ?mxE mul1r.
rewrite -[X in center X]add0r center_shift /center /mean big1 => [|i _].
  by rewrite mul0r scale0r subr0.
by rewrite mxE.
Qed.

Theorem postnorm_strictly_weaker (eps : R) (g b delta : 'cV[R]_2) :
  0 < eps -> (forall i, g i 0 != 0) ->
  [/\ forall S, ~ index_condition 1 1%:M Wd2 1%:M S,
      ~ (exists2 m, (m <= 2)%nat &
           babsorbable (@relu R_realFieldType) 1%:M Wd2 1%:M 0 delta m)
    & exists2 m, (m <= 2)%nat &
        postnorm_absorbable (@relu R_realFieldType) eps g b Wd2 1%:M 0
          delta m].
Proof.
move=> eps0 g0; have [G0I _ _] := generic_iff_instance R_fieldType 2.
have b0 i : (row i (1%:M : 'M[R]_2))^T != 0 := proj2 (G0I i).
have G0W : G0 Wd2 1%:M.
  move=> i; split=> //; apply: contra_neq (Wd2_Pa i) => ->.
  by rewrite mulmx0.
split; first exact: Wd2_no_S.
  have [iff _ _] := @relu_bias_characterization R_realFieldType
    (@relu _) 1 2%:R^-1 2 2 1%:M Wd2 1%:M 0 delta (@relu_typeE _)
    (oner_neq0 _) (half_neq0 _) G0W Glineb_id.
  by move/iff => [S]; exact: Wd2_no_S.
have [_ H] := @postnorm_projected (@relu _) 1 2%:R^-1 2 2 eps g b Wd2 1%:M 0
  delta eps0 g0.
apply/(H (@relu_typeE _) (oner_neq0 _) (half_neq0 _) Wd2_Pa b0 Glineb_id).
by exists setT; exact: Wd2_P_IC.
Qed.
