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
  (flip R S *m y) i j = if i \in S then - y i j else y i j.
Proof.
rewrite /flip mulmxBl mul1mx -scalemxAl /DS mul_diag_mx !mxE.
case: (i \in S); last by rewrite mul0r mulr0 subr0.
by rewrite mul1r mulr_natl mulr2n opprD addrA subrr sub0r.
Qed.

Lemma DSE n (S : {set 'I_n}) (y : 'cV[R]_n) i j :
  (DS R S *m y) i j = if i \in S then y i j else 0.
Proof. by rewrite /DS mul_diag_mx !mxE; case: (i \in S); rewrite ?mul1r ?mul0r. Qed.

Lemma DSsum n (S : {set 'I_n}) (y : 'cV[R]_n) i j :
  \sum_k DS R S i k * y k j = if i \in S then y i j else 0.
Proof. by rewrite -DSE mxE. Qed.

Lemma flipsum n (S : {set 'I_n}) (y : 'cV[R]_n) i j :
  \sum_k flip R S i k * y k j = if i \in S then - y i j else y i j.
Proof. by rewrite -flipE mxE. Qed.

Lemma flip_map (sigma : R -> R) c n (S : {set 'I_n}) (y : 'cV[R]_n) :
  (forall z, sigma z - sigma (- z) = c * z) ->
  map_mx sigma (flip R S *m y) = map_mx sigma y - c *: (DS R S *m y).
Proof.
move=> hs; apply/matrixP => i j; rewrite mxE flipE !mxE DSsum.
case: (i \in S); last by rewrite mulr0 subr0.
by rewrite -(hs (y i j)) opprB addrC subrK.
Qed.

(** Theorem 5.1 (sign-flip).  If σ(z) − σ(−z) = c·z for all z, c ≠ 0, and
    Σ_{i∈S} a_i b_iᵀ = W_down D_S W_up = −A/c, then the residual-free block with
    V = W_down and U = (I − 2 D_S) W_up equals f(x) = A x + W_down σ(W_up x)
    for every x.  (σ(0) ≠ 0 is allowed.) *)
Theorem sign_flip (sigma : R -> R) (c : R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  c != 0 ->
  (forall z, sigma z - sigma (- z) = c * z) ->
  index_condition c A Wd Wu S ->
  forall x, block sigma A Wd Wu x = rf_block sigma Wd (flip R S *m Wu) x.
Proof.
move=> c0 hs hIC x.
rewrite /rf_block /block -mulmxA (flip_map _ _ hs) mulmxBr -scalemxAr !mulmxA hIC mulNmx -scalemxAl scalerN opprK.
by rewrite scalerA mulfV // scale1r addrC.
Qed.

(** Instance: σ(z) = z·s(z) with s(−z) = 1 − s(z) (GELU, SiLU, QuickGELU, GELU-tanh,
    Hardswish with the appropriate s), c = 1. *)
Theorem sign_flip_zs (s : R -> R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (S : {set 'I_n}) :
  (forall z, s (- z) = 1 - s z) ->
  Wd *m DS R S *m Wu = - A ->
  forall x, block (fun z => z * s z) A Wd Wu x
            = rf_block (fun z => z * s z) Wd (flip R S *m Wu) x.
Proof.
move=> hs h; apply: (sign_flip (c := 1)) => //; first exact: oner_neq0.
- by move=> z; rewrite hs mulNr opprK -mulrDr addrC subrK mulr1 mul1r.
- by rewrite /index_condition invr1 scale1r.
Qed.

(** Proposition 5.3 (gated sign flip).  If γ(−z) − γ(0) = −(γ(z) − γ(0)) for all z
    (γ − γ(0) odd), γ(0) ≠ 0 and W_down D_S Q = −A/(2γ(0)), then flipping both
    P and Q on the rows S gives a gated residual-free block (same gate γ, width n)
    equal to f(x) = A x + W_down [γ(P x) ⊙ (Q x)]. *)
Theorem gated_sign_flip (gamma : R -> R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (P Q : 'M[R]_(n, d)) (S : {set 'I_n}) :
  2%:R * gamma 0 != 0 ->
  (forall z, gamma (- z) - gamma 0 = - (gamma z - gamma 0)) ->
  index_condition (2%:R * gamma 0) A Wd Q S ->
  forall x, gated_block gamma A Wd P Q x
            = gated_rf_block gamma Wd (flip R S *m P) (flip R S *m Q) x.
Proof.
move=> c0 hg hIC x.
have key : gated_hidden gamma (flip R S *m P) (flip R S *m Q) x =
           gated_hidden gamma P Q x - (2%:R * gamma 0) *: (DS R S *m (Q *m x)).
  rewrite /gated_hidden -!mulmxA; move: (P *m x) (Q *m x) => y w.
  apply/matrixP => i j; rewrite !mxE !flipsum DSsum [j]ord1.
  case: (i \in S); last by rewrite mulr0 subr0.
  have -> : gamma (- y i 0) = 2%:R * gamma 0 - gamma (y i 0).
    by rewrite -(subrK (gamma 0) (gamma (- y i 0))) hg opprB mulr_natl mulr2n addrAC.
  by rewrite mulrN mulrBl opprB addrC.
rewrite /gated_rf_block /gated_block key mulmxBr -scalemxAr !mulmxA hIC mulNmx -scalemxAl scalerN opprK.
by rewrite scalerA mulfV // scale1r addrC.
Qed.

(** Sigmoid-type instance: γ(0) = 1/2, so the condition is W_down D_S Q = −A. *)
Theorem gated_sign_flip_half (gamma : R -> R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (P Q : 'M[R]_(n, d)) (S : {set 'I_n}) :
  2%:R != 0 :> R ->
  gamma 0 = 2%:R^-1 ->
  (forall z, gamma (- z) - gamma 0 = - (gamma z - gamma 0)) ->
  Wd *m DS R S *m Q = - A ->
  forall x, gated_block gamma A Wd P Q x
            = gated_rf_block gamma Wd (flip R S *m P) (flip R S *m Q) x.
Proof.
move=> h2 hg0 hg h; apply: gated_sign_flip => //.
- by rewrite hg0 mulfV // oner_eq0.
- by rewrite /index_condition hg0 mulfV // invr1 scale1r.
Qed.

End SignFlip.

(** Instance: ReLU, σ(z) = max(z, 0), c = 1. *)
Definition relu (F : realFieldType) (z : F) : F := Num.max z 0.

Lemma relu_odd_linear (F : realFieldType) (z : F) : relu z - relu (- z) = 1 * z.
Proof.
rewrite /relu mul1r; case: (lerP 0 z) => hz.
- by rewrite (max_idPr _) ?subr0 // oppr_le0.
- by rewrite (max_idPl _) ?sub0r ?opprK // oppr_ge0 ltW.
Qed.

Theorem sign_flip_relu (F : realFieldType) d n (A : 'M[F]_d) (Wd : 'M[F]_(d, n))
    (Wu : 'M[F]_(n, d)) (S : {set 'I_n}) :
  Wd *m DS F S *m Wu = - A ->
  forall x, block (@relu F) A Wd Wu x = rf_block (@relu F) Wd (flip F S *m Wu) x.
Proof.
move=> h; apply: (@sign_flip _ _ 1) => //; first exact: oner_neq0.
- exact: relu_odd_linear.
- by rewrite /index_condition invr1 scale1r.
Qed.


(** sign-flip (Thm 5.1) together with its two instances, as one statement:
    (i) general σ with σ(z) − σ(−z) = c z, c ≠ 0, and W_down D_S W_up = −A/c;
    (ii) ReLU σ(z) = max(z, 0), c = 1, W_down D_S W_up = −A;
    (iii) σ(z) = z s(z) with s(−z) = 1 − s(z), c = 1, W_down D_S W_up = −A.
    In each case V = W_down, U = (I − 2 D_S) W_up gives g = f on all of R^d. *)
Theorem sign_flip_construction :
  (forall (R : fieldType) (sigma : R -> R) (c : R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
          (Wu : 'M[R]_(n, d)) (S : {set 'I_n}),
     c != 0 -> (forall z, sigma z - sigma (- z) = c * z) -> index_condition c A Wd Wu S ->
     forall x, block sigma A Wd Wu x = rf_block sigma Wd (flip R S *m Wu) x)
  /\
  (forall (F : realFieldType) d n (A : 'M[F]_d) (Wd : 'M[F]_(d, n)) (Wu : 'M[F]_(n, d))
          (S : {set 'I_n}),
     Wd *m DS F S *m Wu = - A ->
     forall x, block (@relu F) A Wd Wu x = rf_block (@relu F) Wd (flip F S *m Wu) x)
  /\
  (forall (R : fieldType) (s : R -> R) d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
          (Wu : 'M[R]_(n, d)) (S : {set 'I_n}),
     (forall z, s (- z) = 1 - s z) -> Wd *m DS R S *m Wu = - A ->
     forall x, block (fun z => z * s z) A Wd Wu x
               = rf_block (fun z => z * s z) Wd (flip R S *m Wu) x).
Proof.
split; first exact: @sign_flip.
by split; [exact: @sign_flip_relu | exact: @sign_flip_zs].
Qed.
