(** * Instances for the biased results (BLUEPRINT §6.8): the hypotheses
    can hold, and the statements fail without them.

    - [relu_bias_d1_separates]: the d = 1, n = 2 ReLU block with
      a = b = (1, 1) and A = 1.  With zero biases both kinks sit at 0,
      (G-line-b) fails, and the block IS absorbable at width 2 although
      no S satisfies (IC_1) (Counterexample 6.4, ReluD1.v): so Theorem 6.8b
      and Corollary 6.8c are false without (G-line-b).  With biases
      β = (0, −1) the kinks are 0 and 1, the hypotheses of Corollary 6.8c
      hold, and the same weights are NOT absorbable at any width ≤ 2.
    - [relu_bias_d1_planted]: the hypotheses of Corollary 6.8c together
      with (IC_1) (a = (−1, 1), b = (1, 1), β = (0, −1)): absorbable.
    - [prenorm_needs_A1]: with A = 0 the pre-norm identity holds (h' = h).
    - [kinks_affine_needs_indep]: a repeated hyperplane gives a nonzero
      vanishing combination. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Kinks SignFlip GenericIff ReluD1.
From SkipAbsorption Require Import Bias ReluBias.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section D1.
Variable F : realFieldType.

Lemma bblock0 sigma d n (A : 'M[F]_d) (Wd : 'M[F]_(d, n)) Wu x :
  bblock sigma A Wd Wu 0 0 x = block sigma A Wd Wu x.
Proof. by rewrite /bblock /block !addr0. Qed.

Lemma brf_block0 sigma d m (V : 'M[F]_(d, m)) U x :
  brf_block sigma V U 0 0 x = rf_block sigma V U x.
Proof. by rewrite /brf_block /rf_block !addr0. Qed.

Definition sep_bu : 'cV[F]_2 := \col_(i < 2) (if i == 0 then 0 else -1).

Lemma ord2_cases (i : 'I_2) : i = 0 \/ i = 1.
Proof.
case: i => [[|[|k]] Hk]; [left | right | by []].
  exact: val_inj.
exact: val_inj.
Qed.

Lemma sep_kinks (i j : 'I_2) : i != j ->
  - sep_bu i 0 / ones_Wu F i 0 != - sep_bu j 0 / ones_Wu F j 0.
Proof.
case: (ord2_cases i) => ->; case: (ord2_cases j) => -> //= _; rewrite !mxE /=.
  by rewrite oppr0 mul0r opprK invr1 mulr1 eq_sym oner_eq0.
by rewrite oppr0 mul0r opprK invr1 mulr1 oner_eq0.
Qed.

Lemma ones_ab (i : 'I_2) : ones_Wd F 0 i * ones_Wu F i 0 != 0.
Proof. by rewrite !mxE mulr1 oner_eq0. Qed.

Lemma ones_not_Glineb : ~ Glineb (ones_Wu F) 0.
Proof.
move=> /(_ 0 1 isT 1 (-1)); rewrite scale1r scaleN1r.
have -> : row 0 (row_mx (ones_Wu F) (0 : 'cV[F]_2)) =
    row 1 (row_mx (ones_Wu F) (0 : 'cV[F]_2)).
  by apply/matrixP => a b; rewrite !mxE; case: splitP => k _; rewrite !mxE.
by rewrite subrr => /(_ erefl) [/eqP]; rewrite oner_eq0.
Qed.

Lemma relu_type : forall z : F, relu z = 1 / 2%:R * z + 2%:R^-1 * `|z|.
Proof. exact: relu_typeE. Qed.

Lemma half_neq0 : 2%:R^-1 != 0 :> F.
Proof. by rewrite invr_eq0 pnatr_eq0. Qed.

(** Corollary 6.8c on one block: zero biases (kinks together, (G-line-b)
    fails): absorbable at width 2 with no index set; biases (0, −1)
    (kinks 0 and 1, hypotheses of 6.8c hold): not absorbable at any
    width ≤ 2. *)
Theorem relu_bias_d1_separates :
  [/\ ~ Glineb (ones_Wu F) 0,
      babsorbable (@relu F) 1%:M (ones_Wd F) (ones_Wu F) 0 0 2,
      forall S, ~ index_condition 1 1%:M (ones_Wd F) (ones_Wu F) S
    & ~ exists2 m, (m <= 2)%N &
          babsorbable (@relu F) 1%:M (ones_Wd F) (ones_Wu F) sep_bu 0 m].
Proof.
split; [exact: ones_not_Glineb | | exact: ones_no_S | ].
  exists (d1_V 1%:M (ones_Wd F) (ones_Wu F)), d1_U, 0, 0 => x.
  by rewrite bblock0 brf_block0; exact: relu_d1_absorb.
move/(@relu_bias_d1 F (@relu F) 1 2%:R^-1 2 1%:M (ones_Wd F) (ones_Wu F)
  sep_bu 0 relu_type (oner_neq0 F) half_neq0 ones_ab sep_kinks).
by move=> [S]; exact: ones_no_S.
Qed.

Definition planted_Wd : 'M[F]_(1, 2) :=
  \row_(j < 2) (if j == 0 then -1 else 1).

Lemma planted_ab (i : 'I_2) : planted_Wd 0 i * ones_Wu F i 0 != 0.
Proof.
case: (ord2_cases i) => ->; rewrite !mxE /= mulr1 ?oppr_eq0 //.
  exact: oner_neq0.
exact: oner_neq0.
Qed.

Lemma planted_IC : index_condition 1 1%:M planted_Wd (ones_Wu F) [set 0].
Proof.
split; first exact: oner_neq0.
apply/matrixP => i j; rewrite !ord1 scale1r !mxE big_ord_recr big_ord1 /=.
rewrite !mxE !big_ord_recr !big_ord0 /= !mxE !inE /=.
by rewrite mulr0n mulr1n !mulr1 !mulr0 !addr0 !add0r ?mulr1n.
Qed.

(** The hypotheses of Corollary 6.8c with (IC_1): absorbable at width 2. *)
Theorem relu_bias_d1_planted :
  [/\ forall i, planted_Wd 0 i * ones_Wu F i 0 != 0,
      forall i j : 'I_2, i != j ->
        - sep_bu i 0 / ones_Wu F i 0 != - sep_bu j 0 / ones_Wu F j 0
    & exists2 m, (m <= 2)%N &
        babsorbable (@relu F) 1%:M planted_Wd (ones_Wu F) sep_bu 0 m].
Proof.
split; [exact: planted_ab | exact: sep_kinks | ].
apply/(@relu_bias_d1 F (@relu F) 1 2%:R^-1 2 1%:M planted_Wd (ones_Wu F)
  sep_bu 0 relu_type (oner_neq0 F) half_neq0 planted_ab sep_kinks).
by exists [set 0]; exact: planted_IC.
Qed.

End D1.

Section Other.

(** Prop. 6.8e needs A1 ≠ 0: with A = 0 the pre-norm identity holds for
    every N and h, with h' = h. *)
Lemma prenorm_needs_A1 (R : ringType) d (T : Type) (N : 'cV[R]_d -> T)
    (h : T -> 'cV[R]_d) x :
  (0 : 'M[R]_d) *m x + h (N x) = h (N x).
Proof. by rewrite mul0mx add0r. Qed.

Variable R : realFieldType.

Lemma one1_neq0 : (const_mx 1 : 'cV[R]_1) != 0.
Proof.
by apply/eqP => /matrixP /(_ 0 0); rewrite !mxE => /eqP; rewrite oner_eq0.
Qed.

(** Lemma K-b needs the pairs (w_k, α_k) pairwise independent: the same
    hyperplane twice, |x| − |x| = 0, has N ≠ 0. *)
Lemma kinks_affine_needs_indep :
  exists (w N : 'I_2 -> 'cV[R]_1) (al : 'I_2 -> R),
    [/\ forall k, w k != 0,
        forall x, \sum_k `|dot (w k) x + al k| *: N k + 0 *m x + 0 = 0
      & N 0 != 0].
Proof.
exists (fun _ => const_mx 1), (fun k => if k == 0 then const_mx 1
  else - const_mx 1), (fun _ => 0); split=> //; last exact: one1_neq0.
  by move=> _; exact: one1_neq0.
by move=> x; rewrite big_ord_recr big_ord1 /= scalerN subrr mul0mx !addr0.
Qed.

(** Lemma K-b needs w_k ≠ 0: |0ᵀx + 1| 1 − 1 = 0 with N ≠ 0. *)
Lemma kinks_affine_needs_w_neq0 :
  exists (w N : 'I_1 -> 'cV[R]_1) (al : 'I_1 -> R) (l : 'cV[R]_1),
    (forall x, \sum_k `|dot (w k) x + al k| *: N k + 0 *m x + l = 0) /\
    N 0 != 0.
Proof.
exists (fun _ => 0), (fun _ => const_mx 1), (fun _ => 1),
  (- const_mx 1); split; last exact: one1_neq0.
move=> x; rewrite big_ord1 dotC dot0r add0r normr1 scale1r mul0mx.
by rewrite addr0 subrr.
Qed.

End Other.
