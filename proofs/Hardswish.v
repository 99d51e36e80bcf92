(** * Hardswish is in the odd-linear class with c = 1 (BLUEPRINT §5,
    identity table): relu6(3 + z) + relu6(3 − z) = 6 for all z, hence
    Hardswish(z) − Hardswish(−z) = z and the sign flip applies.

    That Hardswish's even part e (z²/6 on |z| ≤ 3, |z|/2 beyond) is of
    [kink_type] (KinkClass.v), hence class-identifiable, and claim 5 for
    Hardswish (generic-iff (b) instantiated) are in HardswishClass.v. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs SignFlip.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Hardswish.
Variable R : realFieldType.
Implicit Types z y a t : R.

Definition relu6 z : R := Num.min (Num.max z 0) 6%:R.
Definition hardswish z : R := z * relu6 (z + 3%:R) / 6%:R.

Lemma relu6_lo y : y <= 0 -> relu6 y = 0.
Proof.
move=> y_le0; rewrite /relu6 (max_idPr y_le0).
by apply/min_idPl; rewrite ler0n.
Qed.

Lemma relu6_mid y : 0 <= y -> y <= 6%:R -> relu6 y = y.
Proof.
by move=> y_ge0 y_le6; rewrite /relu6 (max_idPl y_ge0) (min_idPl y_le6).
Qed.

Lemma relu6_hi y : 6%:R <= y -> relu6 y = 6%:R.
Proof.
move=> y_ge6; have y_ge0 : 0 <= y by apply: le_trans y_ge6; rewrite ler0n.
by rewrite /relu6 (max_idPl y_ge0) (min_idPr y_ge6).
Qed.

Let three : R := 3%:R.
Lemma six_E : 6%:R = three + three :> R. Proof. by rewrite -natrD. Qed.

Lemma relu6_sum z : relu6 (z + three) + relu6 (- z + three) = 6%:R.
Proof.
case: (lerP z (- three)) => [z_le | z_gt].
  rewrite relu6_lo ?relu6_hi ?add0r //.
    by rewrite six_E ler_add2r -ler_oppr.
  by rewrite -(addNr three) ler_add2r.
case: (lerP z three) => [z_le3 | z_gt3].
  have s1 : relu6 (z + three) = z + three.
    apply: relu6_mid; last by rewrite six_E ler_add2r.
    by rewrite -(addNr three) ler_add2r ltW.
  have s2 : relu6 (- z + three) = - z + three.
    apply: relu6_mid; first by rewrite addrC subr_ge0.
    by rewrite six_E ler_add2r ler_oppl ltW.
  by rewrite s1 s2 addrACA subrr add0r six_E.
rewrite relu6_hi ?relu6_lo ?addr0 //.
  by rewrite addrC subr_le0 ltW.
by rewrite six_E ler_add2r ltW.
Qed.

Lemma hardswish_odd z : hardswish z - hardswish (- z) = 1 * z.
Proof.
rewrite /hardswish !mulNr opprK -mulrDl -mulrDr relu6_sum mulfK ?mul1r //.
by rewrite pnatr_eq0.
Qed.

End Hardswish.

(** Sign flip for Hardswish blocks: W_down D_S W_up = −A ⇒ the flipped
    residual-free block equals f on R^d. *)
Theorem sign_flip_hardswish (R : realFieldType) d n (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  Wd *m DS S *m Wu = - A ->
  forall x, block (@hardswish R) A Wd Wu x
            = rf_block (@hardswish R) Wd (flip S *m Wu) x.
Proof.
move=> IC; apply: (sign_flip (c := 1)); first exact: hardswish_odd.
by apply/index_condition1 => //; exact: oner_neq0.
Qed.
