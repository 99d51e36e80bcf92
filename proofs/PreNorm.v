(** * Pre-norm blocks never absorb (BLUEPRINT Prop. 6.8e).

    f(x) = A x + h(N x) and g(x) = h'(N x) with h, h' ARBITRARY maps (any
    σ, gated or not, any width, any weights: only the invariance of N is
    used).  Shift case: N(x + t1) = N(x) (LayerNorm with any ε ≥ 0 and any
    gains and bias after it) and A1 ≠ 0.  Scale case: N(tx) = N(x) for
    t > 0 (RMSNorm or LayerNorm with ε = 0) and A x ≠ 0 at some point of
    the domain.  Both are stated on a domain D where N is defined (all of
    R^d, x ≠ 0, or x ∉ R1), closed under the invariance.  Then f ≠ g on D:
    f(x + t1) − f(x) = t A1 while g does not change; resp.
    f(2x) − f(x) = A x.  The hypotheses are needed: with A1 = 0 (e.g.
    A = 0) f = g holds with h' = h. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.analysis Require Import Rstruct.
Require Import Reals.
From SkipAbsorption Require Import Defs LayerNorm.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Abstract.
Variables (R : numFieldType) (d : nat) (T : Type).
Variables (N : 'cV[R]_d -> T) (h h' : T -> 'cV[R]_d) (A : 'M[R]_d).
Variable D : 'cV[R]_d -> Prop.

(** Shift-invariant N: f(x) = A x + h(N x) is never h'(N x) on D. *)
Theorem prenorm_shift :
  (exists x, D x) ->
  (forall x (t : R), D x -> D (x + t *: (const_mx 1 : 'cV[R]_d))) ->
  (forall x (t : R), D x -> N (x + t *: (const_mx 1 : 'cV[R]_d)) = N x) ->
  A *m (const_mx 1 : 'cV[R]_d) != 0 ->
  ~ (forall x, D x -> A *m x + h (N x) = h' (N x)).
Proof.
move=> [x Dx] D_shift N_shift A1 fg.
have e1 := fg _ (D_shift x 1 Dx); rewrite N_shift // -(fg _ Dx) in e1.
move: e1; rewrite mulmxDr scale1r addrAC -[RHS]addr0 => /addrI /eqP.
by rewrite (negbTE A1).
Qed.

(** Scale-invariant N (t > 0): f is never h'(N x) on D as soon as A x ≠ 0
    at some point x of D. *)
Theorem prenorm_scale :
  (forall x (t : R), D x -> 0 < t -> D (t *: x)) ->
  (forall x (t : R), D x -> 0 < t -> N (t *: x) = N x) ->
  (exists2 x, D x & A *m x != 0) ->
  ~ (forall x, D x -> A *m x + h (N x) = h' (N x)).
Proof.
move=> D_scale N_scale [x Dx Ax] fg.
have two : 0 < 2%:R :> R by rewrite ltr0n.
have e2 := fg _ (D_scale x _ Dx two); rewrite N_scale // -(fg _ Dx) in e2.
move: e2; rewrite -scalemxAr => /addIr /eqP.
rewrite -subr_eq0 -{2}[A *m x]scale1r.
rewrite -scalerBl (_ : 2%:R - 1 = 1 :> R); last by rewrite mulr2n addrK.
by rewrite scale1r (negbTE Ax).
Qed.

(** Any invariance τ of N (N ∘ τ = N on D) that A sees (A τ(x) ≠ A x at
    some x of D) rules absorption out: f(τ x) − f(x) = A τ(x) − A x. *)
Theorem prenorm_invariant (tau : 'cV[R]_d -> 'cV[R]_d) :
  (forall x, D x -> D (tau x)) ->
  (forall x, D x -> N (tau x) = N x) ->
  (exists2 x, D x & A *m tau x != A *m x) ->
  ~ (forall x, D x -> A *m x + h (N x) = h' (N x)).
Proof.
move=> D_tau N_tau [x Dx Ax] fg.
have := fg _ (D_tau x Dx); rewrite N_tau // -(fg _ Dx) => /addIr /eqP.
by rewrite (negbTE Ax).
Qed.

End Abstract.

(** The reflection case (RMSNorm with a zero gain g_k: N is invariant
    under x_k ↦ −x_k): if A e_k ≠ 0, f ≠ g. *)
Corollary prenorm_reflect (R : numFieldType) d (T : Type)
    (N : 'cV[R]_d -> T) (h h' : T -> 'cV[R]_d) (A : 'M[R]_d) (k : 'I_d) :
  (forall x : 'cV[R]_d,
     N (x - (2%:R * x k 0) *: (delta_mx k 0 : 'cV[R]_d)) = N x) ->
  A *m (delta_mx k 0 : 'cV[R]_d) != 0 ->
  ~ (forall x, A *m x + h (N x) = h' (N x)).
Proof.
move=> N_refl Ak fg.
apply: (@prenorm_invariant R d T N h h' A (fun _ => True)
  (fun x : 'cV[R]_d => x - (2%:R * x k 0) *: delta_mx k 0)) => //.
exists (delta_mx k 0) => //; rewrite mxE !eqxx mulr1 scaler_nat mulr2n.
rewrite opprD addrA subrr sub0r mulmxN; apply/eqP => /eqP.
rewrite eq_sym -addr_eq0 -mulr2n -scaler_nat scaler_eq0 pnatr_eq0 /=.
by apply/negP; exact: Ak.
Qed.

(** A nonzero matrix moves some nonzero vector (a basis vector). *)
Lemma mx_neq0_ex (R : ringType) d (A : 'M[R]_d) :
  A != 0 -> exists2 x : 'cV[R]_d, x != 0 & A *m x != 0.
Proof.
move=> A0; case: (pickP (fun ij : 'I_d * 'I_d => A ij.1 ij.2 != 0)).
  move=> [i j] /= Aij; exists (delta_mx j 0).
    apply/eqP => /matrixP /(_ j 0); rewrite !mxE (eqxx j) andTb /= => /eqP.
    by rewrite oner_eq0.
  apply/eqP => /matrixP /(_ i 0); rewrite -colE !mxE => e.
  by rewrite e eqxx in Aij.
move=> none; case/eqP: A0; apply/matrixP => i j; rewrite mxE.
by have := none (i, j); rewrite /= => /negbFE /eqP.
Qed.

(** The scale case on the domain x ≠ 0 (RMSNorm, LayerNorm with ε = 0):
    A ≠ 0 suffices. *)
Corollary prenorm_scale_nonzero (R : numFieldType) d (T : Type)
    (N : 'cV[R]_d -> T) (h h' : T -> 'cV[R]_d) (A : 'M[R]_d) :
  (forall x (t : R), x != 0 -> 0 < t -> N (t *: x) = N x) ->
  A != 0 ->
  ~ (forall x, x != 0 -> A *m x + h (N x) = h' (N x)).
Proof.
move=> N_scale A0; apply: (prenorm_scale (D := fun x => x != 0)) => //.
  by move=> x t x0 t0; rewrite scaler_eq0 negb_or x0 andbT gt_eqF.
exact: mx_neq0_ex.
Qed.

(** LayerNorm's formula (LayerNorm.v) on Coq's reals with Coq's [sqrt]:
    for every ε (ε ≥ 0 in practice; the shift invariance needs nothing
    about ε or the square root), gains γ and bias β, a pre-LN block
    x + h(LN(x)), or A x + h(LN(x)) with A1 ≠ 0, is never h'(LN(x)). *)
Theorem prenorm_LN d (eps : R) (g b : 'cV[R]_d) (h h' : 'cV[R]_d -> 'cV[R]_d)
    (A : 'M[R]_d) :
  A *m (const_mx 1 : 'cV[R]_d) != 0 ->
  ~ (forall x, A *m x + h (LN sqrt eps g b x) = h' (LN sqrt eps g b x)).
Proof.
move=> A1 fg.
have exD : exists x : 'cV[R]_d, True by exists 0.
have Dsh (x : 'cV[R]_d) (t : R) : True -> True by [].
have Nsh x (t : R) : True ->
    LN sqrt eps g b (x + t *: (const_mx 1 : 'cV[R]_d)) = LN sqrt eps g b x.
  by move=> _; exact: LN_shift.
exact: (prenorm_shift exD Dsh Nsh A1 (fun x _ => fg x)).
Qed.

(** The identity skip: x + h(LN x) is never h'(LN x) (d ≥ 1). *)
Corollary prenorm_LN_identity d (eps : R) (g b : 'cV[R]_d.+1)
    (h h' : 'cV[R]_d.+1 -> 'cV[R]_d.+1) :
  ~ (forall x, x + h (LN sqrt eps g b x) = h' (LN sqrt eps g b x)).
Proof.
move=> fg; apply: (@prenorm_LN _ eps g b h h' 1%:M).
  apply/eqP => /matrixP /(_ 0 0); rewrite mul1mx !mxE => /eqP.
  by rewrite oner_eq0.
by move=> x; rewrite mul1mx.
Qed.

(** prenorm-impossible (Prop. 6.8e): the abstract shift and scale cases
    (on a domain D) and the reflection case (RMSNorm with a zero gain), for
    arbitrary h, h' and N, and LayerNorm's formula as an instance of the
    shift case. *)
Theorem prenorm_impossible :
  [/\ forall (R : numFieldType) d (T : Type) (N : 'cV[R]_d -> T)
        (h h' : T -> 'cV[R]_d) (A : 'M[R]_d) (D : 'cV[R]_d -> Prop),
        (exists x, D x) ->
        (forall x (t : R), D x -> D (x + t *: (const_mx 1 : 'cV[R]_d))) ->
        (forall x (t : R), D x -> N (x + t *: (const_mx 1 : 'cV[R]_d)) = N x) ->
        A *m (const_mx 1 : 'cV[R]_d) != 0 ->
        ~ (forall x, D x -> A *m x + h (N x) = h' (N x)),
      forall (R : numFieldType) d (T : Type) (N : 'cV[R]_d -> T)
        (h h' : T -> 'cV[R]_d) (A : 'M[R]_d) (D : 'cV[R]_d -> Prop),
        (forall x (t : R), D x -> 0 < t -> D (t *: x)) ->
        (forall x (t : R), D x -> 0 < t -> N (t *: x) = N x) ->
        (exists2 x, D x & A *m x != 0) ->
        ~ (forall x, D x -> A *m x + h (N x) = h' (N x)),
      forall (R : numFieldType) d (T : Type) (N : 'cV[R]_d -> T)
        (h h' : T -> 'cV[R]_d) (A : 'M[R]_d) (k : 'I_d),
        (forall x : 'cV[R]_d,
           N (x - (2%:R * x k 0) *: (delta_mx k 0 : 'cV[R]_d)) = N x) ->
        A *m (delta_mx k 0 : 'cV[R]_d) != 0 ->
        ~ (forall x, A *m x + h (N x) = h' (N x))
    & forall d (eps : R) (g b : 'cV[R]_d) (h h' : 'cV[R]_d -> 'cV[R]_d)
        (A : 'M[R]_d),
        A *m (const_mx 1 : 'cV[R]_d) != 0 ->
        ~ (forall x, A *m x + h (LN sqrt eps g b x) =
                     h' (LN sqrt eps g b x))].
Proof.
by split; [exact: prenorm_shift | exact: prenorm_scale | exact: prenorm_reflect
  | exact: prenorm_LN].
Qed.
