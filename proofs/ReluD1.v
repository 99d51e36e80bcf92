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

(** relu-d1-counterexample: (i) at d = 1 every ReLU block is absorbable
    at width 2 by α₊ relu(x) − α₋ relu(−x); (ii) a block with n = 2,
    A = 1 and (G0) that is absorbable at width 2 = n while no S satisfies
    (IC_1).  Together: the paper's claim 5 is false at d = 1. *)
Theorem relu_d1_counterexample :
  (forall (F : realFieldType) n (A : 'M[F]_1) (Wd : 'M[F]_(1, n))
          (Wu : 'M[F]_(n, 1)) x,
     block (@relu F) A Wd Wu x = rf_block (@relu F) (d1_V A Wd Wu) d1_U x)
  /\
  (forall F : realFieldType,
     [/\ G0 (ones_Wd F) (ones_Wu F),
         absorbable (@relu F) 1%:M (ones_Wd F) (ones_Wu F) 2
       & forall S, ~ index_condition 1 1%:M (ones_Wd F) (ones_Wu F) S]).
Proof.
split=> [F n A Wd Wu x | F]; first exact: relu_d1_absorb.
split; [exact: ones_G0 | | exact: ones_no_S].
by exists (d1_V 1%:M (ones_Wd F) (ones_Wu F)), d1_U; exact: relu_d1_absorb.
Qed.
