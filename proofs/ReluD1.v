(** * Counterexample 6.4: claim 5 fails for ReLU at d = 1 (BLUEPRINT §6.4).

    (i) For d = 1, every ReLU block (any n, any weights) equals the
    width-2 residual-free block α₊ relu(x) − α₋ relu(−x), with
    α₊ = A + Σ_i a_i relu(b_i) (the slope on x > 0) and
    α₋ = A − Σ_i a_i relu(−b_i) (the slope on x < 0).
    (ii) For n = 2, a = b = (1, 1), A = 1, c = 1 ((G0) holds), no S
    satisfies the index condition, since Σ_{i∈S} a_i b_i = |S| ≥ 0.
    So at d = 1 absorbability does not imply (IC); this is where (G-line)
    fails (two nonzero reals are always parallel). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs SignFlip.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section ReluD1.
Variable F : realFieldType.

Lemma relu_splitE (z : F) : z = relu z - relu (- z).
Proof. by rewrite relu_odd_linear mul1r. Qed.

(** relu(b x) = relu(b) relu(x) + relu(−b) relu(−x). *)
Lemma relu_mul (b x : F) :
  relu (b * x) = relu b * relu x + relu (- b) * relu (- x).
Proof.
rewrite /relu; case: (lerP 0 x) => [x_ge0 | x_lt0].
  rewrite [Num.max (- x) 0](max_idPr _) ?oppr_le0 // mulr0 addr0.
  by rewrite maxr_pmull // mul0r.
have nx_ge0 : 0 <= - x by rewrite oppr_ge0 ltW.
rewrite [Num.max (- x) 0](max_idPl nx_ge0) mulr0 add0r maxr_pmull //.
by rewrite mul0r mulrNN.
Qed.

Variables (n : nat) (A : 'M[F]_1) (Wd : 'M[F]_(1, n)) (Wu : 'M[F]_(n, 1)).

Definition alpha_plus := A 0 0 + \sum_i Wd 0 i * relu (Wu i 0).
Definition alpha_minus := A 0 0 - \sum_i Wd 0 i * relu (- Wu i 0).

Definition d1_V : 'M[F]_(1, 2) :=
  \row_(j < 2) (if j == 0 then alpha_plus else - alpha_minus).
Definition d1_U : 'M[F]_(2, 1) := \col_(j < 2) (if j == 0 then 1 else -1).

Lemma d1_scalar x0 :
  A 0 0 * x0 + \sum_i Wd 0 i * relu (Wu i 0 * x0) =
  alpha_plus * relu x0 - alpha_minus * relu (- x0).
Proof.
under eq_bigr do rewrite relu_mul mulrDr !mulrA.
rewrite big_split /= -!mulr_suml {1}[x0]relu_splitE /alpha_plus /alpha_minus.
by rewrite mulrBr !mulrDl mulNr opprD opprK addrACA.
Qed.

Theorem relu_d1_absorb x :
  block (@relu F) A Wd Wu x = rf_block (@relu F) d1_V d1_U x.
Proof.
apply/matrixP => i j; rewrite !ord1 /block /rf_block !mxE.
rewrite big_ord1 [in RHS]big_ord_recl big_ord1 /= !mxE !big_ord1 !mxE /=.
under eq_bigr do rewrite !mxE big_ord1.
by rewrite d1_scalar mul1r mulN1r mulNr.
Qed.

End ReluD1.
Arguments d1_U {F}.

(** The instance of (ii). *)
Section Instance.
Variable F : realFieldType.
Definition ones_Wd : 'M[F]_(1, 2) := const_mx 1.
Definition ones_Wu : 'M[F]_(2, 1) := const_mx 1.

Lemma ones_G0 : G0 ones_Wd ones_Wu.
Proof.
move=> i; split; apply/negP => /eqP /matrixP /(_ 0 0).
  by rewrite !mxE => /eqP; rewrite oner_eq0.
by rewrite !mxE => /eqP; rewrite oner_eq0.
Qed.

Lemma ones_no_S (S : {set 'I_2}) :
  ~ index_condition 1 (1%:M : 'M[F]_1) ones_Wd ones_Wu S.
Proof.
case=> _ /matrixP /(_ 0 0); rewrite scale1r !mxE => e.
have : 0 <= - 1 :> F.
  rewrite -e; apply: sumr_ge0 => i _; rewrite !mxE mulr1.
  apply: sumr_ge0 => k _; rewrite !mxE mul1r.
  by case: (k == i); case: (k \in S); rewrite ?ler01 ?lexx ?mulr0 ?mul0r.
by rewrite oppr_ge0 ler10.
Qed.

End Instance.

(** A block whose products a_i b_i are all ≥ 0 has no index set at
    A = 1, c = 1: Σ_{i∈S} a_i b_i ≥ 0 ≠ −1. *)
Lemma nonneg_no_S (F : realFieldType) n (Wd : 'M[F]_(1, n))
    (Wu : 'M[F]_(n, 1)) (S : {set 'I_n}) :
  (forall i, 0 <= Wd 0 i * Wu i 0) ->
  ~ index_condition 1 (1%:M : 'M[F]_1) Wd Wu S.
Proof.
move=> ab_ge0; case=> _ /matrixP /(_ 0 0); rewrite scale1r !mxE => e.
have : 0 <= - 1 :> F.
  rewrite -e; apply: sumr_ge0 => i _; rewrite !mxE big_distrl /=.
  apply: sumr_ge0 => k _; rewrite !mxE.
  case: (eqVneq k i) => [-> | ki]; last by rewrite mulr0 mul0r lexx.
  case: (i \in S); rewrite ?mulr1 ?mulr0 ?mul0r //.
by rewrite oppr_ge0 ler10.
Qed.

(** The witness of BLUEPRINT §6.4 that satisfies (G0) and (G-class):
    a = (1, 1), b = (1, 2); the subset sums Σ_S a_i b_i lie in
    {0, 1, 2, 3}, never −1. *)
Section Witness.
Variable F : realFieldType.
Definition wit_Wd : 'M[F]_(1, 2) := const_mx 1.
Definition wit_Wu : 'M[F]_(2, 1) :=
  \col_(i < 2) (if i == 0 then 1 else 2%:R).

Lemma wit_G0 : G0 wit_Wd wit_Wu.
Proof.
move=> i; split; apply/negP => /eqP /matrixP /(_ 0 0).
  by rewrite !mxE => /eqP; rewrite oner_eq0.
by rewrite !mxE; case: (i == 0) => /eqP; rewrite ?oner_eq0 ?pnatr_eq0.
Qed.

Lemma wit_Gclass : Gclass wit_Wu.
Proof.
have two_neq1 : (2%:R : F) != 1 by rewrite gt_eqF // ltr1n.
have two_neqN1 : (2%:R : F) != - 1.
  by rewrite gt_eqF // (@lt_trans _ _ 0) ?ltr0n // oppr_lt0 ltr01.
move=> i j ij; apply/andP; split; apply/negP => /eqP /matrixP /(_ 0 0);
  rewrite !mxE.
  move: ij; case: i => [[|[|i]] //= Hi]; case: j => [[|[|j]] //= Hj] _.
    by move=> /eqP; rewrite eq_sym (negbTE two_neq1).
  by move=> /eqP; rewrite (negbTE two_neq1).
move: ij; case: i => [[|[|i]] //= Hi]; case: j => [[|[|j]] //= Hj] _.
  move=> /eqP; rewrite -eqr_oppLR => /eqP e.
  by move: two_neqN1; rewrite -e eqxx.
by move=> /eqP; rewrite (negbTE two_neqN1).
Qed.

Lemma wit_no_S (S : {set 'I_2}) :
  ~ index_condition 1 (1%:M : 'M[F]_1) wit_Wd wit_Wu S.
Proof.
apply: nonneg_no_S => i; rewrite !mxE mul1r.
by case: (i == 0); rewrite ?ler01 ?ler0n.
Qed.
End Witness.

(** The n = 1 necessity at d = 1: a one-neuron ReLU block is absorbable
    at some width m ≤ 1 iff its index condition holds (no genericity
    hypothesis needed).  A width-≤1 ReLU block has a zero slope on x > 0
    or on x < 0; so one of α₊ = f(1), α₋ = −f(−1) vanishes, and these are
    A + ab and A (in some order). *)
Section N1.
Variables (F : realFieldType) (A : 'M[F]_1) (Wd Wu : 'M[F]_1).

Lemma relu_relu_opp (u : F) : relu u * relu (- u) = 0.
Proof.
rewrite /relu; case: (lerP 0 u) => [u0 | u0].
  by rewrite (max_idPr _) ?mulr0 // oppr_le0.
by rewrite mul0r.
Qed.

Lemma rf_width_le1 m (V : 'M[F]_(1, m)) (U : 'M[F]_(m, 1)) :
  (m <= 1)%N ->
  (rf_block (@relu F) V U 1%:M) 0 0 * (rf_block (@relu F) V U (- 1%:M)) 0 0
  = 0.
Proof.
rewrite /rf_block; case: m V U => [|[|//]] V U _.
  by rewrite !mxE big_ord0 mul0r.
rewrite !mxE !big_ord1 !mxE !big_ord1 !mxE /= mulr1 mulrN1.
by rewrite mulrACA relu_relu_opp mulr0.
Qed.

Lemma block11 x : (block (@relu F) A Wd Wu x%:M) 0 0 =
  A 0 0 * x + Wd 0 0 * relu (Wu 0 0 * x).
Proof.
by rewrite /block !mxE !big_ord1 !mxE !big_ord1 !mxE /= mulr1n.
Qed.

Lemma ic11 (S : {set 'I_1}) :
  index_condition 1 A Wd Wu S <->
  (if 0 \in S then Wd 0 0 * Wu 0 0 else 0) = - A 0 0.
Proof.
rewrite /index_condition; split=> [[_ /matrixP /(_ 0 0)] | e].
  rewrite scale1r !mxE !big_ord1 !mxE /= big_ord1 /DS !mxE /= mulr1n => <-.
  by case: (0 \in S); rewrite ?mulr1 ?mulr0 ?mul0r.
split; first exact: oner_neq0.
apply/matrixP => i j; rewrite !ord1 scale1r !mxE !big_ord1 !mxE /=.
rewrite big_ord1 /DS !mxE /= mulr1n.
by rewrite -e; case: (0 \in S); rewrite ?mulr1 ?mulr0 ?mul0r.
Qed.

Theorem relu_d1_n1 :
  (exists2 m, (m <= 1)%N & absorbable (@relu F) A Wd Wu m) <->
  exists S, index_condition 1 A Wd Wu S.
Proof.
split=> [[m m_le [V [U fg]]] | [S IC]]; last first.
  exists 1%N => //; exists Wd, (flip S *m Wu).
  exact: sign_flip (relu_odd_linear (F := F)) IC.
have := rf_width_le1 V U m_le; rewrite -!fg.
have -> : - 1%:M = (-1)%:M :> 'M[F]_1 by rewrite raddfN.
rewrite !block11 mulr1 mulrN1 !mulr1 mulrN1.
set a := Wd 0 0; set b := Wu 0 0; set A0 := A 0 0.
have [b0 | b0] := lerP 0 b.
  have rb : relu b = b by rewrite /relu (max_idPl b0).
  have rNb : relu (- b) = 0 by rewrite /relu (max_idPr _) // oppr_le0.
  rewrite rb rNb mulr0 addr0 => /eqP; rewrite mulf_eq0 => /orP [] /eqP e.
    exists [set 0]; apply/ic11; rewrite inE eqxx -/a -/b -/A0; apply/eqP.
    by rewrite -addr_eq0 addrC e.
  by exists set0; apply/ic11; rewrite inE /= -/A0 e ?oppr0.
have rb : relu b = 0 by rewrite /relu (max_idPr _) // ltW.
have rNb : relu (- b) = - b.
  by rewrite /relu (max_idPl _) // oppr_ge0 ltW.
rewrite rb rNb mulr0 addr0 => /eqP; rewrite mulf_eq0 => /orP [] /eqP e.
  by exists set0; apply/ic11; rewrite inE /= -/A0 e ?oppr0.
exists [set 0]; apply/ic11; rewrite inE eqxx -/a -/b -/A0; apply/eqP.
by rewrite eq_sym -subr_eq0 -mulrN e.
Qed.
End N1.

(** relu-d1-counterexample: (i) at d = 1 every ReLU block is absorbable
    at width 2 by α₊ relu(x) − α₋ relu(−x); (ii) the witness a = (1, 1),
    b = (1, 2), A = 1 satisfies (G0) and (G-class), is absorbable at
    width 2 = n, and no S satisfies (IC_1): claim 5 is false at d = 1 for
    ReLU, and generic-iff (a) fails without (G-line) even when (G-class)
    holds; (iii) at d = n = 1 the index condition is necessary:
    absorbable at some width m ≤ 1 iff some S satisfies (IC_1). *)
Theorem relu_d1_counterexample :
  [/\ (forall (F : realFieldType) n (A : 'M[F]_1) (Wd : 'M[F]_(1, n))
          (Wu : 'M[F]_(n, 1)) x,
         block (@relu F) A Wd Wu x
         = rf_block (@relu F) (d1_V A Wd Wu) d1_U x),
      (forall F : realFieldType,
         [/\ G0 (wit_Wd F) (wit_Wu F), Gclass (wit_Wu F),
             absorbable (@relu F) 1%:M (wit_Wd F) (wit_Wu F) 2
           & forall S, ~ index_condition 1 1%:M (wit_Wd F) (wit_Wu F) S])
    & (forall (F : realFieldType) (A Wd Wu : 'M[F]_1),
         (exists2 m, (m <= 1)%N & absorbable (@relu F) A Wd Wu m) <->
         exists S, index_condition 1 A Wd Wu S)].
Proof.
split=> [F n A Wd Wu x | F | F A Wd Wu]; first exact: relu_d1_absorb.
  split; [exact: wit_G0 | exact: wit_Gclass | | exact: wit_no_S].
  by exists (d1_V 1%:M (wit_Wd F) (wit_Wu F)), d1_U; exact: relu_d1_absorb.
exact: relu_d1_n1.
Qed.
