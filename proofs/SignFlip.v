(** * Sufficiency by sign flips (BLUEPRINT Thm 5.1 and Prop 5.3). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section SignFlip.
Variable R : fieldType.

Lemma flipE n (S : {set 'I_n}) (y : 'cV[R]_n) i j :
  (flip S *m y) i j = if i \in S then - y i j else y i j.
Proof.
rewrite /flip mulmxBl mul1mx -scalemxAl /DS mul_diag_mx !mxE.
case: (i \in S); last by rewrite mul0r mulr0 subr0.
by rewrite mul1r mulr_natl mulr2n opprD addrA subrr sub0r.
Qed.

Lemma DSE n (S : {set 'I_n}) (y : 'cV[R]_n) i j :
  (DS S *m y) i j = if i \in S then y i j else 0.
Proof.
by rewrite /DS mul_diag_mx !mxE; case: (i \in S); rewrite ?mul1r ?mul0r.
Qed.

Lemma DSsum n (S : {set 'I_n}) (y : 'cV[R]_n) i j :
  \sum_k DS S i k * y k j = if i \in S then y i j else 0.
Proof. by rewrite -DSE mxE. Qed.

Lemma flipsum n (S : {set 'I_n}) (y : 'cV[R]_n) i j :
  \sum_k flip S i k * y k j = if i \in S then - y i j else y i j.
Proof. by rewrite -flipE mxE. Qed.

Lemma flip_map (sigma : R -> R) c n (S : {set 'I_n}) (y : 'cV[R]_n) :
  (forall z, sigma z - sigma (- z) = c * z) ->
  map_mx sigma (flip S *m y) = map_mx sigma y - c *: (DS S *m y).
Proof.
move=> odd_lin; apply/matrixP => i j; rewrite mxE flipE !mxE DSsum.
case: (i \in S); last by rewrite mulr0 subr0.
by rewrite -(odd_lin (y i j)) opprB addrC subrK.
Qed.

(** Theorem 5.1 (sign-flip).  If σ(z) − σ(−z) = c·z for all z and (IC_c)
    holds (c ≠ 0, c W_down D_S W_up = −A), then the residual-free block with
    V = W_down and U = (I − 2 D_S) W_up equals f(x) = A x + W_down σ(W_up x)
    for every x.  (σ(0) ≠ 0 is allowed.) *)
Theorem sign_flip (sigma : R -> R) (c : R) d n (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  (forall z, sigma z - sigma (- z) = c * z) ->
  index_condition c A Wd Wu S ->
  forall x, block sigma A Wd Wu x = rf_block sigma Wd (flip S *m Wu) x.
Proof.
move=> odd_lin [_ IC] x; rewrite /rf_block /block -mulmxA.
rewrite (flip_map _ _ odd_lin).
rewrite mulmxBr -scalemxAr !mulmxA scalemxAl IC mulNmx opprK.
by rewrite addrC.
Qed.

(** Instance: σ(z) = z·s(z) with s(−z) = 1 − s(z) (GELU, SiLU, QuickGELU,
    GELU-tanh, Hardswish with the appropriate s), c = 1. *)
Theorem sign_flip_zs (s : R -> R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  (forall z, s (- z) = 1 - s z) ->
  Wd *m DS S *m Wu = - A ->
  forall x, block (fun z => z * s z) A Wd Wu x
            = rf_block (fun z => z * s z) Wd (flip S *m Wu) x.
Proof.
move=> s_sym IC; apply: (sign_flip (c := 1)).
  by move=> z; rewrite s_sym mulNr opprK -mulrDr addrC subrK mulr1 mul1r.
by apply/index_condition1 => //; exact: oner_neq0.
Qed.

(** Proposition 5.3 (gated sign flip).  If γ(−z) − γ(0) = −(γ(z) − γ(0)) for
    all z (γ − γ(0) odd) and (IC_c) holds with c = 2γ(0) for the value
    matrix Q (so γ(0) ≠ 0), then flipping both P and Q on the rows S gives a
    gated residual-free block (same gate γ, width n) equal to
    f(x) = A x + W_down [γ(P x) ⊙ (Q x)]. *)
Lemma gated_flip (gamma : R -> R) d n (P Q : 'M[R]_(n, d))
    (S : {set 'I_n}) x :
  (forall z, gamma (- z) - gamma 0 = - (gamma z - gamma 0)) ->
  gated_hidden gamma (flip S *m P) (flip S *m Q) x =
  gated_hidden gamma P Q x - (2%:R * gamma 0) *: (DS S *m (Q *m x)).
Proof.
move=> gamma_odd; rewrite /gated_hidden -!mulmxA.
move: (P *m x) (Q *m x) => y w.
apply/matrixP => i j; rewrite !mxE !flipsum DSsum [j]ord1.
case: (i \in S); last by rewrite mulr0 subr0.
have -> : gamma (- y i 0) = 2%:R * gamma 0 - gamma (y i 0).
  rewrite -(subrK (gamma 0) (gamma (- y i 0))) gamma_odd opprB.
  by rewrite mulr_natl mulr2n addrAC.
by rewrite mulrN mulrBl opprB addrC.
Qed.

Theorem gated_sign_flip (gamma : R -> R) d n (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (P Q : 'M[R]_(n, d)) (S : {set 'I_n}) :
  (forall z, gamma (- z) - gamma 0 = - (gamma z - gamma 0)) ->
  index_condition (2%:R * gamma 0) A Wd Q S ->
  forall x, gated_block gamma A Wd P Q x
            = gated_rf_block gamma Wd (flip S *m P) (flip S *m Q) x.
Proof.
move=> gamma_odd [_ IC] x.
rewrite /gated_rf_block /gated_block gated_flip // mulmxBr -scalemxAr.
by rewrite !mulmxA scalemxAl IC mulNmx opprK addrC.
Qed.

(** Sigmoid-type instance: γ(0) = 1/2, so the condition is
    W_down D_S Q = −A. *)
Theorem gated_sign_flip_half (gamma : R -> R) d n (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (P Q : 'M[R]_(n, d)) (S : {set 'I_n}) :
  2%:R != 0 :> R ->
  gamma 0 = 2%:R^-1 ->
  (forall z, gamma (- z) - gamma 0 = - (gamma z - gamma 0)) ->
  Wd *m DS S *m Q = - A ->
  forall x, gated_block gamma A Wd P Q x
            = gated_rf_block gamma Wd (flip S *m P) (flip S *m Q) x.
Proof.
move=> two_neq0 gamma0 gamma_odd IC; apply: gated_sign_flip => //.
by rewrite gamma0 mulfV //; apply/index_condition1 => //; exact: oner_neq0.
Qed.

End SignFlip.

(** Instance: ReLU, σ(z) = max(z, 0), c = 1. *)
Definition relu (F : realFieldType) (z : F) : F := Num.max z 0.

Lemma relu_odd_linear (F : realFieldType) (z : F) : relu z - relu (- z) = 1 * z.
Proof.
rewrite /relu mul1r; case: (lerP 0 z) => z_sign.
  by rewrite (max_idPr _) ?subr0 // oppr_le0.
by rewrite (max_idPl _) ?sub0r ?opprK // oppr_ge0 ltW.
Qed.

Theorem sign_flip_relu (F : realFieldType) d n (A : 'M[F]_d)
    (Wd : 'M[F]_(d, n)) (Wu : 'M[F]_(n, d)) (S : {set 'I_n}) :
  Wd *m DS S *m Wu = - A ->
  forall x, block (@relu F) A Wd Wu x
            = rf_block (@relu F) Wd (flip S *m Wu) x.
Proof.
move=> IC; apply: (@sign_flip _ _ 1); first exact: relu_odd_linear.
by apply/index_condition1 => //; exact: oner_neq0.
Qed.

(** sign-flip (Thm 5.1) together with its two instances, as one statement:
    (i) general σ with σ(z) − σ(−z) = c z and (IC_c): c ≠ 0 and
        c W_down D_S W_up = −A;
    (ii) ReLU σ(z) = max(z, 0), c = 1, W_down D_S W_up = −A;
    (iii) σ(z) = z s(z) with s(−z) = 1 − s(z), c = 1, W_down D_S W_up = −A.
    In each case V = W_down, U = (I − 2 D_S) W_up gives g = f on all of
    R^d. *)
Theorem sign_flip_construction :
  (forall (R : fieldType) (sigma : R -> R) (c : R) d n (A : 'M[R]_d)
          (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (S : {set 'I_n}),
     (forall z, sigma z - sigma (- z) = c * z) ->
     index_condition c A Wd Wu S ->
     forall x, block sigma A Wd Wu x = rf_block sigma Wd (flip S *m Wu) x)
  /\
  (forall (F : realFieldType) d n (A : 'M[F]_d) (Wd : 'M[F]_(d, n))
          (Wu : 'M[F]_(n, d)) (S : {set 'I_n}),
     Wd *m DS S *m Wu = - A ->
     forall x, block (@relu F) A Wd Wu x
               = rf_block (@relu F) Wd (flip S *m Wu) x)
  /\
  (forall (R : fieldType) (s : R -> R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
          (Wu : 'M[R]_(n, d)) (S : {set 'I_n}),
     (forall z, s (- z) = 1 - s z) -> Wd *m DS S *m Wu = - A ->
     forall x, block (fun z => z * s z) A Wd Wu x
               = rf_block (fun z => z * s z) Wd (flip S *m Wu) x).
Proof.
split; first exact: @sign_flip.
by split; [exact: @sign_flip_relu | exact: @sign_flip_zs].
Qed.
