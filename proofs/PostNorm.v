(** * Post-norm blocks: the projected index condition (BLUEPRINT
    Prop. 6.8f), over Coq's reals with Coq's [sqrt].

    y(x) = LN_ε(x + MLP(x)) with ε > 0, all gains nonzero and a biased MLP,
    compared with LN_ε(g(x)), g a biased residual-free block (output bias
    free).  With P = I − 11ᵀ/d: LN_ε(p) = LN_ε(q) ⟺ P p = P q
    (LayerNorm.v, [LN_iff], instantiated with [sqrt]); hence the post-norm
    block is absorbable at width m iff the biased block with the singular
    skip P, f_P(x) = P x + Σ_i (P a_i) σ(b_iᵀx + β_i) + P δ, is
    ([postnorm_reduction], any σ); and for σ of ReLU type, under
    (G-line-b), P a_i ≠ 0 and b_i ≠ 0, Theorem 6.8b with A = P gives:
    absorbable at width ≤ n ⟺ ∃ S, P (I/c + Σ_{i∈S} a_i b_iᵀ) = 0
    ([postnorm_projected]).  ε > 0 is used (λ² ε = ε forces λ = 1); for
    ε = 0 the blueprint leaves the question open. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.analysis Require Import Rstruct.
Require Import Reals.
From SkipAbsorption Require Import Defs OddEven Bias ReluBias LayerNorm.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

(** P = I − 11ᵀ/d over Coq's reals. *)
Local Notation Pm d := (Pmat R_realFieldType d).

Lemma sqrt_gt0_mc (y : R) : 0 < y -> 0 < sqrt y.
Proof. by move/RltP => y0; apply/RltP; exact: sqrt_lt_R0. Qed.

Lemma sqrt_sqr_mc (y : R) : 0 <= y -> sqrt y ^+ 2 = y.
Proof. by move/RleP => y0; rewrite expr2; exact: sqrt_sqrt. Qed.

(** LN_ε(p) = LN_ε(q) ⟺ P p = P q (ε > 0, gains nonzero), Coq's sqrt. *)
Theorem LN_sqrt_iff d (eps : R) (g b p q : 'cV[R]_d) :
  0 < eps -> (forall i, g i 0 != 0) ->
  LN sqrt eps g b p = LN sqrt eps g b q <-> Pm d *m p = Pm d *m q.
Proof. by move=> eps0 g0; apply: LN_iff => //; [exact: sqrt_gt0_mc|
  exact: sqrt_sqr_mc]. Qed.

Section PostNorm.
Variables (sigma : R -> R) (d n : nat) (eps : R) (g b : 'cV[R]_d).
Variables (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) (bu : 'cV[R]_n).
Variable delta : 'cV[R]_d.
Local Notation P := (Pm d).
Local Notation LNe := (LN sqrt eps g b).

(** The post-norm block LN_ε(x + W_down σ(W_up x + β) + δ) is absorbable
    at width m: some biased residual-free g has LN_ε ∘ f = LN_ε ∘ g. *)
Definition postnorm_absorbable m :=
  exists (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) (bu' : 'cV[R]_m)
    (delta' : 'cV[R]_d),
    forall x, LNe (bblock sigma 1%:M Wd Wu bu delta x) =
              LNe (brf_block sigma V U bu' delta' x).

Lemma P_idem (v : 'cV[R]_d) : P *m (P *m v) = P *m v.
Proof. by rewrite !PmatE center_idem. Qed.

Lemma P_block x :
  P *m bblock sigma 1%:M Wd Wu bu delta x =
  bblock sigma P (P *m Wd) Wu bu (P *m delta) x.
Proof. by rewrite /bblock !mulmxDr mul1mx mulmxA. Qed.

Lemma P_rf m (V : 'M[R]_(d, m)) U bu' delta' x :
  P *m brf_block sigma V U bu' delta' x =
  brf_block sigma (P *m V) U bu' (P *m delta') x.
Proof. by rewrite /brf_block mulmxDr mulmxA. Qed.

Hypothesis eps_gt0 : 0 < eps.
Hypothesis g_neq0 : forall i, g i 0 != 0.

(** Prop. 6.8f, first part (any σ): the post-norm block is absorbable at
    width m iff the biased block with skip P, a_i ↦ P a_i and δ ↦ P δ is. *)
Theorem postnorm_reduction m :
  postnorm_absorbable m <->
  babsorbable sigma P (P *m Wd) Wu bu (P *m delta) m.
Proof.
have LNi p q := @LN_sqrt_iff d eps g b p q eps_gt0 g_neq0.
split=> [[V [U [bu' [delta' fg]]]] | [V [U [bu' [delta' fg]]]]].
  exists (P *m V), U, bu', (P *m delta') => x.
  by rewrite -P_block -P_rf; exact: (LNi _ _).1 (fg x).
exists V, U, bu', delta' => x; apply/(LNi _ _).2.
by rewrite -P_idem P_block fg.
Qed.

End PostNorm.

(** The index condition of the P-block in the blueprint's form:
    c (P W_down) D_S W_up = −P ⟺ P (I/c + W_down D_S W_up) = 0. *)
Lemma projected_ICP d n (c : R) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (S : {set 'I_n}) :
  c != 0 ->
  index_condition c (Pm d) (Pm d *m Wd) Wu S <->
  Pm d *m (c^-1 *: 1%:M + Wd *m DS S *m Wu) = 0.
Proof.
move=> c0; rewrite /index_condition -!mulmxA.
have E : c *: (Pm d *m (c^-1 *: 1%:M + Wd *m (DS S *m Wu))) =
    c *: (Pm d *m (Wd *m (DS S *m Wu))) + Pm d.
  by rewrite mulmxDr scalerDr -scalemxAr scalerA mulfV // scale1r mulmx1 addrC.
split=> [[_ IC] | IC].
  move: E; rewrite IC addNr => /eqP; rewrite scaler_eq0 (negbTE c0).
  by move=> /eqP.
split=> //; apply/eqP; rewrite -addr_eq0 -E IC scaler0.
by [].
Qed.

(** postnorm-projected (Prop. 6.8f): σ of ReLU type (c, κ ≠ 0), ε > 0, all
    LayerNorm gains nonzero, biased MLP with P a_i ≠ 0, b_i ≠ 0 and
    (G-line-b).  The post-norm block LN_ε(x + W_down σ(W_up x + β) + δ) is
    absorbable at some width m ≤ n (LN_ε ∘ g, g a biased residual-free
    block with free output bias) iff some S satisfies the projected index
    condition P (I/c + Σ_{i∈S} a_i b_iᵀ) = 0; and (first part, any σ)
    for each m, absorbable at width m iff the biased block with the
    singular skip P is. *)
Theorem postnorm_projected (sigma : R -> R) (c kappa : R) d n (eps : R)
    (g b : 'cV[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (bu : 'cV[R]_n) (delta : 'cV[R]_d) :
  0 < eps -> (forall i, g i 0 != 0) ->
  (forall m, postnorm_absorbable sigma eps g b Wd Wu bu delta m <->
     babsorbable sigma (Pm d) (Pm d *m Wd) Wu bu
       (Pm d *m delta) m) /\
  ((forall z, sigma z = c / 2%:R * z + kappa * `|z|) ->
   c != 0 -> kappa != 0 ->
   (forall i, Pm d *m col i Wd != 0) -> (forall i, (row i Wu)^T != 0) ->
   Glineb Wu bu ->
   ((exists2 m, (m <= n)%nat &
      postnorm_absorbable sigma eps g b Wd Wu bu delta m) <->
    exists S, Pm d *m (c^-1 *: 1%:M + Wd *m DS S *m Wu) = 0)).
Proof.
move=> eps0 g0; split=> [m|]; first exact: postnorm_reduction.
move=> sr c0 k0 Pa0 b0 Gl.
have G0P : G0 (Pm d *m Wd) Wu.
  by move=> i; rewrite colE -mulmxA -colE; split; [exact: Pa0|exact: b0].
have [iff _ _] := @relu_bias_characterization _ sigma c kappa d n (Pm d)
  _ Wu bu (Pm d *m delta) sr c0 k0 G0P Gl.
split=> [[m mn /postnorm_reduction ab] | [S PIC]].
- have [S IC] := iff.1 (ex_intro2 _ _ m mn (ab eps0 g0)).
  by exists S; apply/projected_ICP.
- have [m mn ab] := iff.2 (ex_intro _ S (proj2 (projected_ICP _ _ _ c0) PIC)).
  by exists m => //; apply/postnorm_reduction.
Qed.

Lemma sqrt_scale_mc (l y : R) :
  0 < l -> 0 <= y -> sqrt (l ^+ 2 * y) = l * sqrt y.
Proof.
move=> /RltP l0 /RleP y0; have l0' := Rlt_le _ _ l0.
by rewrite expr2 sqrt_mult ?sqrt_square //; exact: Rmult_le_pos.
Qed.

(** ε > 0 is needed in [LN_sqrt_iff]: at ε = 0, for any gains and bias,
    p = e_1 ∈ R² has LN_0(2p) = LN_0(p) while P(2p) ≠ P p. *)
Lemma LN_eps0_counter (g b : 'cV[R]_2) :
  exists p : 'cV[R]_2,
    LN sqrt 0 g b (2%:R *: p) = LN sqrt 0 g b p /\
    Pm 2 *m (2%:R *: p) != Pm 2 *m p.
Proof.
exists (delta_mx 0 0); apply: LN0_not_injective; first exact: sqrt_scale_mc.
apply/eqP => /matrixP /(_ 0 0); rewrite !mxE /mean big_ord_recr big_ord1 /=.
rewrite !mxE /= addr0 mulr1 mul1r => /eqP; rewrite subr_eq0 => /eqP e.
have := congr1 (fun v => 2%:R * v) e; rewrite mulr1 mulfV ?pnatr_eq0 //.
by move/eqP; rewrite -subr_eq0 mulr2n addrK oner_eq0.
Qed.
