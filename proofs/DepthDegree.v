(** * Degree obstruction at depth L for k ≥ 0, k ≠ 1 (BLUEPRINT Thm 4(b)), over Coq's reals. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.analysis Require Import Rstruct.
Require Import Reals Lra.
From SkipAbsorption Require Import Defs Norms Bounded.
Require List.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.
Delimit Scope R_scope with coq_R.

Section DepthDegree.
Variables (d : nat) (k : R).
Local Notation vec := 'cV[R]_d.
Local Notation layer := ('M[R]_d * (vec -> vec))%type.

Definition homog (e : R) (H : vec -> vec) :=
  forall t y, (0 < t)%coq_R -> H (t *: y) = Rpower t e *: H y.

Definition locbdd (H : vec -> vec) :=
  forall M : R, exists B : R, forall y, vnorm y <= M -> vnorm (H y) <= B.

(** Layer with its hidden part scaled by ε. *)
Definition lay_eps (e : R) (p : layer) : vec -> vec := fun y => p.1 *m y + e *: p.2 y.

Lemma Rpower_split t : (0 < t)%coq_R -> Rpower t k = (t * Rpower t (k - 1))%coq_R.
Proof.
move=> t0; rewrite -{2}(Rpower_1 t t0) -Rpower_plus; congr Rpower; ring.
Qed.

(** F(t x) = t · F^{(t^{k-1})}(x): exact rescaling of a stack of homogeneous layers. *)
Lemma scale_stack (ls : seq layer) :
  (forall p, List.In p ls -> homog k p.2) ->
  forall t x, (0 < t)%coq_R ->
    compose (map (@lay [realFieldType of R] d) ls) (t *: x)
    = t *: compose (map (lay_eps (Rpower t (k - 1))) ls) x.
Proof.
elim: ls => [//|[A H] ls IH] hom t x t0 /=.
have -> : lay (A, H) (t *: x) = t *: lay_eps (Rpower t (k - 1)) (A, H) x.
  have hH : homog k H := hom (A, H) (or_introl erefl).
  rewrite /lay /lay_eps /= (hH t x t0) -scalemxAr.
  by rewrite scalerDr scalerA -RmultE -Rpower_split.
by apply: IH => // p hp; apply: hom; right.
Qed.

(** G(t x) = t^{k^{L'}} G(x). *)
Lemma scale_compose (gs : seq (vec -> vec)) :
  (forall g, List.In g gs -> homog k g) ->
  forall t x, (0 < t)%coq_R ->
    compose gs (t *: x) = Rpower t (pow k (size gs)) *: compose gs x.
Proof.
elim: gs => [|g gs IH] hom t x t0 /=.
  by rewrite Rpower_1.
have hg : homog k g := hom g (or_introl erefl).
have tk : (0 < Rpower t k)%coq_R by apply: exp_pos.
have hom' : forall g', List.In g' gs -> homog k g' by move=> g' h; apply: hom; right.
by rewrite (hg t x t0) (IH hom' _ _ tk) Rpower_mult.
Qed.

Lemma stack_eps_gen (ls : seq layer) (x : vec) :
  (forall p, List.In p ls -> locbdd p.2) ->
  forall (Q : 'M[R]_d) (Y : R -> vec) (K0 : R), 0 <= K0 ->
    (forall e, 0 < e <= 1 -> vnorm (Y e - Q *m x) <= K0 * e) ->
    exists2 K1, 0 <= K1 & forall e, 0 < e <= 1 ->
      vnorm (compose (map (lay_eps e) ls) (Y e)
             - foldl (fun P A => A *m P) Q (map fst ls) *m x) <= K1 * e.
Proof.
elim: ls => [|[A H] ls IH] hls Q Y K0 K00 hY; first by exists K0.
have [B hB] := hls (A, H) (or_introl erefl) (vnorm (Q *m x) + K0).
apply: (IH _ (A *m Q) (fun e => lay_eps e (A, H) (Y e)) (mnorm A * K0 + `|B|)).
- by move=> p hp; apply: hls; right.
- by rewrite addr_ge0 ?normr_ge0 ?mulr_ge0 ?mnorm_ge0.
move=> e /andP [e0 e1]; rewrite /lay_eps /=.
have -> : A *m Y e + e *: H (Y e) - A *m Q *m x = A *m (Y e - Q *m x) + e *: H (Y e).
  by rewrite mulmxBr mulmxA addrAC.
apply: le_trans (vnormD _ _) _; rewrite mulrDl vnormZ (ger0_norm (ltW e0)).
apply: ler_add.
  apply: le_trans (vnorm_mul _ _) _; rewrite -mulrA ler_wpmul2l ?mnorm_ge0 //.
  by apply: hY; rewrite e0 e1.
rewrite mulrC ler_wpmul2r ?(ltW e0) //; apply: le_trans (ler_norm _); apply: hB.
have -> : Y e = (Y e - Q *m x) + Q *m x by rewrite subrK.
apply: le_trans (vnormD _ _) _; rewrite addrC ler_add2l.
apply: le_trans (hY e _) _; first by rewrite e0 e1.
by rewrite ler_pimulr.
Qed.

End DepthDegree.

Lemma vanish (a Kc g beta : R) :
  (0 <= Kc)%coq_R -> (0 <= g)%coq_R -> (0 < beta)%coq_R ->
  (forall u, 0 < u <= 1 -> a <= Kc * u + Rpower u beta * g)%coq_R -> (a <= 0)%coq_R.
Proof.
move=> hK hg hb h; apply: Rnot_lt_le => ha.
set u1 := (a / (3 * (Kc + 1)))%coq_R.
set v := (a / (3 * (g + 1)))%coq_R.
set u2 := Rpower v (/ beta).
have u10 : (0 < u1)%coq_R by rewrite /u1; apply: Rdiv_lt_0_compat; lra.
have v0 : (0 < v)%coq_R by rewrite /v; apply: Rdiv_lt_0_compat; lra.
have u20 : (0 < u2)%coq_R by apply: exp_pos.
set u := Rmin 1 (Rmin u1 u2).
have u0 : (0 < u)%coq_R.
  by rewrite /u; apply: Rmin_glb_lt; [lra | apply: Rmin_glb_lt].
have u_1 : (u <= 1)%coq_R by apply: Rmin_l.
have uu1 : (u <= u1)%coq_R by apply: Rle_trans (Rmin_r _ _) (Rmin_l _ _).
have uu2 : (u <= u2)%coq_R by apply: Rle_trans (Rmin_r _ _) (Rmin_r _ _).
have e1 : ((Kc + 1) * u1 = a / 3)%coq_R by rewrite /u1; field; lra.
have e2 : ((g + 1) * v = a / 3)%coq_R by rewrite /v; field; lra.
have p2 : (Rpower u beta <= v)%coq_R.
  apply: Rle_trans (Rle_Rpower_l _ _ _ (Rlt_le _ _ hb) (conj u0 uu2)) _.
  rewrite /u2 Rpower_mult Rinv_l ?Rpower_1; lra.
have pb : (0 < Rpower u beta)%coq_R by apply: exp_pos.
have := h u (conj u0 u_1).
have : (Kc * u <= (Kc + 1) * u1)%coq_R by nra.
have : (Rpower u beta * g <= (g + 1) * v)%coq_R by nra.
lra.
Qed.

Lemma beta_pos (k : R) L :
  (0 <= k)%coq_R -> k <> 1%coq_R -> (0 < L)%nat -> (0 < / (k - 1) * (pow k L - 1))%coq_R.
Proof.
move=> k0 k1 /ssrnat.ltP L0; case: (Rlt_le_dec k 1) => hk.
- have := pow_lt_1_compat k L (conj k0 hk) L0 => hp.
  have : (/ (k - 1) < 0)%coq_R by apply: Rinv_lt_0_compat; lra.
  nra.
- have hk' : (1 < k)%coq_R by lra.
  have := Rlt_pow_R1 k L hk' L0 => hp.
  have : (0 < / (k - 1))%coq_R by apply: Rinv_0_lt_compat; lra.
  nra.
Qed.
