(** * Lemma R of BLUEPRINT §3 (ridge-powers).

    [ridge_powers]: over any numFieldType (Coq's reals included), let
    w_1, …, w_L in R^d be nonzero and pairwise non-parallel
    (w_l' ≠ c w_l for l ≠ l' and every scalar c), let k ≥ L − 1, and let
    Σ_l N_l (w_l·x)^k = 0 for every x.  Then every N_l = 0.

    Proof (the coefficient route, not the blueprint's directional
    derivatives): pick y with every a_l = w_l·y ≠ 0, then z with
    a_l b_l' ≠ a_l' b_l for l ≠ l' (b_l = w_l·z), both as non-roots of a
    nonzero polynomial ([nonzero_direction], from [ray_poly] and
    [poly_nonroot] of Ridge.v; the second vector exists because
    a_l w_l' − a_l' w_l ≠ 0 for non-parallel w).  On the line x = y + s z
    the identity is the polynomial Σ_l N_l (a_l + b_l X)^k, which vanishes
    everywhere, hence is 0; its coefficient of X^j (j ≤ k, binomial
    theorem) gives Σ_l N_l a_l^k r_l^j = 0 with r_l = b_l / a_l pairwise
    distinct, for j = 0, …, L − 1 ≤ k.  The finite Vandermonde system
    ([vandermonde_finite], by pairing with Π_{l ≠ l0} (X − r_l)) gives
    N_l a_l^k = 0, so N_l = 0.

    Instances (section [Instances], over any numFieldType):
    [ridge_powers_basis2] (the hypotheses hold for e_1, e_2 in R^2 and
    every k ≥ 1), and the statement fails without each hypothesis:
    [ridge_powers_needs_nonparallel] (w_2 = −w_1, k = 2, N = (1, −1)),
    [ridge_powers_needs_degree] (e_1, e_2, e_1 + e_2 pairwise
    non-parallel, k = 1 < L − 1 = 2, N = (1, 1, −1)),
    [ridge_powers_needs_nonzero] (L = 1, w_1 = 0, k = 1, N = 1). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Ridge.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Helpers.
Variable R : numFieldType.

(** Linearity of [dot] (Defs.v) in the second argument, and scaling in
    the first ([dotB], [dotD] of Ridge.v cover the first argument). *)
Lemma dotDr d (u v w : 'cV[R]_d) : dot u (v + w) = dot u v + dot u w.
Proof.
by rewrite /dot -big_split; apply: eq_bigr => i _; rewrite !mxE mulrDr.
Qed.

Lemma dotZr d (u v : 'cV[R]_d) c : dot u (c *: v) = c * dot u v.
Proof.
by rewrite /dot mulr_sumr; apply: eq_bigr => i _; rewrite !mxE mulrCA.
Qed.

Lemma dotZl d (u v : 'cV[R]_d) c : dot (c *: u) v = c * dot u v.
Proof.
by rewrite /dot mulr_sumr; apply: eq_bigr => i _; rewrite !mxE mulrA.
Qed.

(** Finitely many nonzero vectors have a common non-orthogonal direction:
    z = (1, t, …, t^{d−1}) for t not a root of Π_i p_{v_i} (Ridge.v). *)
Lemma nonzero_direction d (I : finType) (P : pred I) (v : I -> 'cV[R]_d) :
  (forall i, P i -> v i != 0) ->
  exists z : 'cV[R]_d, forall i, P i -> dot (v i) z != 0.
Proof.
move=> v_neq0; pose q := \prod_(i | P i) ray_poly (v i).
have q_neq0 : q != 0.
  rewrite prodf_seq_neq0; apply/allP => i _; apply/implyP => Pi.
  by rewrite ray_poly_neq0 ?v_neq0.
have [t qt] := poly_nonroot q_neq0; exists (ray_point d t) => i Pi.
move: qt; rewrite /q horner_prod prodf_seq_neq0 => /allP.
move=> /(_ i (mem_index_enum i)); rewrite Pi /= ray_polyE.
by [].
Qed.

(** A polynomial vanishing at every point of an infinite domain is 0. *)
Lemma poly_eq0_everywhere (p : {poly R}) : (forall t, p.[t] = 0) -> p = 0.
Proof.
move=> p0; apply/eqP; apply/negP => /negP /poly_nonroot [t].
by rewrite p0 eqxx.
Qed.

(** Binomial theorem: the X^j coefficient of (a + bX)^k, j ≤ k. *)
Lemma coef_linear_pow (a b : R) k j : (j <= k)%N ->
  ((a%:P + b *: 'X) ^+ k)`_j = a ^+ (k - j) * b ^+ j *+ 'C(k, j).
Proof.
move=> jk; rewrite exprDn coef_sum (bigD1 (Ordinal (jk : (j < k.+1)%N))) //=.
rewrite big1 ?addr0; last first.
  move=> i /eqP ij; rewrite coefMn -polyC_exp exprZn mul_polyC scalerA.
  rewrite coefZ coefXn; case: eqP => [ji|]; last by rewrite mulr0 mul0rn.
  by case: ij; apply: val_inj; rewrite /= ji.
by rewrite coefMn -polyC_exp exprZn mul_polyC scalerA coefZ coefXn eqxx mulr1.
Qed.

(** Finite Vandermonde: Σ_l c_l r_l^j = 0 for j < L with the r_l pairwise
    distinct forces c = 0 (Lagrange: pair with Π_{l ≠ l0} (X − r_l)). *)
Lemma vandermonde_finite L (c r : 'I_L -> R) :
  injective r ->
  (forall j, (j < L)%N -> \sum_(l < L) c l * r l ^+ j = 0) ->
  forall l, c l = 0.
Proof.
move=> r_inj sum0 l0.
pose p := \prod_(l <- enum (predC1 l0)) ('X - (r l)%:P).
have size_p : size p = L.
  rewrite size_prod_XsubC -cardE cardC1 card_ord.
  by rewrite prednK // (leq_trans (ltn0Sn l0) (ltn_ord l0)).
have pE x : p.[x] = \prod_(l <- enum (predC1 l0)) (x - r l).
  by rewrite horner_prod; apply: eq_bigr => l _; rewrite hornerXsubC.
have p_other l : l != l0 -> p.[r l] = 0.
  move=> ll0; rewrite pE; apply/eqP; apply/negP => /negP.
  rewrite prodf_seq_neq0 => /allP /(_ l); rewrite mem_enum inE ll0.
  by rewrite subrr eqxx => /(_ isT).
have p_self : p.[r l0] != 0.
  rewrite pE prodf_seq_neq0; apply/allP => l; rewrite mem_enum inE => ll0.
  by rewrite subr_eq0; apply/implyP => _; apply: contra ll0 => /eqP /r_inj ->.
have : \sum_(l < L) c l * p.[r l] = 0.
  transitivity (\sum_(j < size p) p`_j * \sum_(l < L) c l * r l ^+ j).
    transitivity (\sum_(l < L) \sum_(j < size p) c l * (p`_j * r l ^+ j)).
      by apply: eq_bigr => l _; rewrite horner_coef mulr_sumr.
    rewrite exchange_big /=; apply: eq_bigr => j _; rewrite mulr_sumr.
    by apply: eq_bigr => l _; rewrite mulrCA.
  apply: big1 => j _; rewrite sum0 ?mulr0 //.
  by rewrite -size_p.
rewrite (bigD1 l0) //= big1 ?addr0; last first.
  by move=> l ll0; rewrite p_other ?mulr0.
by move/eqP; rewrite mulf_eq0 (negbTE p_self) orbF => /eqP.
Qed.

End Helpers.

(** Lemma R.  Non-parallel: w_l' is no scalar multiple of w_l (l ≠ l');
    together with w_l ≠ 0 this makes w_l, w_l' linearly independent. *)
Section RidgePowers.
Variables (R : numFieldType) (d L k : nat).
Variables (w : 'I_L -> 'cV[R]_d) (N : 'I_L -> R).
Hypothesis w_neq0 : forall l, w l != 0.
Hypothesis w_nonparallel : forall l l' (c : R), l != l' -> w l' != c *: w l.
Hypothesis k_ge : (L.-1 <= k)%N.
Hypothesis ridge_zero : forall x : 'cV[R]_d,
  \sum_(l < L) N l * dot (w l) x ^+ k = 0.

Theorem ridge_powers : forall l, N l = 0.
Proof.
have [y y_nz] := nonzero_direction (P := predT) (fun l _ => w_neq0 l).
have {}y_nz l : dot (w l) y != 0 by exact: y_nz.
pose u (ll : 'I_L * 'I_L) :=
  dot (w ll.1) y *: w ll.2 - dot (w ll.2) y *: w ll.1.
have u_nz ll : ll.1 != ll.2 -> u ll != 0.
  case: ll => l l' /= ll'; rewrite /u /= subr_eq0; apply/negP => /eqP E.
  have := w_nonparallel (dot (w l') y / dot (w l) y) ll'.
  by rewrite mulrC -scalerA -E scalerA mulVf ?y_nz // scale1r eqxx.
have [z z_nz] := nonzero_direction u_nz.
pose a l := dot (w l) y; pose b l := dot (w l) z.
have ab_nz l l' : l != l' -> a l * b l' != a l' * b l.
  move=> ll'; have := z_nz (l, l') ll'.
  by rewrite /u /= dotB !dotZl subr_eq0 /a /b.
pose p := \sum_(l < L) N l *: ((a l)%:P + b l *: 'X) ^+ k.
have p0 : p = 0.
  apply: poly_eq0_everywhere => s.
  rewrite /p horner_sum -[RHS](ridge_zero (y + s *: z)).
  apply: eq_bigr => l _; rewrite hornerZ horner_exp hornerD hornerC.
  by rewrite hornerZ hornerX dotDr dotZr (mulrC s).
have coef0 j : (j <= k)%N ->
    \sum_(l < L) N l * a l ^+ (k - j) * b l ^+ j = 0.
  move=> jk; have := congr1 (fun q : {poly R} => q`_j) p0.
  rewrite /= coef0 /p coef_sum.
  have -> : \sum_(l < L) (N l *: ((a l)%:P + b l *: 'X) ^+ k)`_j =
      (\sum_(l < L) N l * a l ^+ (k - j) * b l ^+ j) *+ 'C(k, j).
    rewrite -sumrMnl; apply: eq_bigr => l _.
    by rewrite coefZ coef_linear_pow // mulrnAr mulrA.
  move/eqP; rewrite mulrn_eq0 eqn0Ngt bin_gt0 jk /=.
  by move/eqP.
pose r l := b l / a l.
have vand j : (j < L)%N -> \sum_(l < L) (N l * a l ^+ k) * r l ^+ j = 0.
  move=> jL; have jk : (j <= k)%N.
    by move: jL k_ge; case: (L) => //= L'; rewrite ltnS; exact: leq_trans.
  rewrite -[RHS](coef0 j jk); apply: eq_bigr => l _.
  rewrite /r expr_div_n -!mulrA; congr (_ * _).
  rewrite -{1}(subnK jk) exprD -mulrA; congr (_ * _).
  by rewrite mulrCA mulfV ?mulr1 // expf_neq0 // y_nz.
have r_inj : injective r.
  move=> l l' /eqP; apply: contraTeq => ll'; rewrite /r.
  by rewrite eqr_div ?y_nz // [b l * _]mulrC [b l' * _]mulrC eq_sym ab_nz.
move=> l; have /eqP := vandermonde_finite (c := fun l => N l * a l ^+ k)
  r_inj vand l.
by rewrite mulf_eq0 expf_eq0 (negbTE (y_nz l)) andbF orbF => /eqP.
Qed.
End RidgePowers.

Section Instances.
Variable F : numFieldType.

Definition vec2 (a b : F) : 'cV[F]_2 := \col_(i < 2) (if i == 0 then a else b).

Lemma dot_vec2 a b (x : 'cV[F]_2) : dot (vec2 a b) x = a * x 0 0 + b * x 1 0.
Proof.
rewrite /dot !big_ord_recl big_ord0 addr0 !mxE /=.
by congr (_ * x _ _ + _ * x _ _); apply: val_inj.
Qed.

Lemma vec2_scale a b a' b' (c : F) :
  vec2 a b = c *: vec2 a' b' -> a = c * a' /\ b = c * b'.
Proof.
move=> /matrixP E; have := E 0 0; have := E 1 0.
by rewrite !mxE /= => -> ->.
Qed.

Lemma vec2_neq0 a b : (a != 0) || (b != 0) -> vec2 a b != 0.
Proof.
apply: contraTneq => /matrixP E; have := E 0 0; have := E 1 0.
by rewrite !mxE /= => -> ->; rewrite eqxx.
Qed.

Lemma ord2_split (i : 'I_2) : i = 0 \/ i = 1.
Proof. by case: i => [[|[|n]] Hn]; [left | right | by []]; exact: val_inj. Qed.

Lemma ord3_split (i : 'I_3) : [\/ i = 0, i = 1 | i = 2%:R].
Proof.
by case: i => [[|[|[|n]]] Hn];
  [apply: Or31 | apply: Or32 | apply: Or33 | by []]; apply: val_inj.
Qed.

(** (1) The hypotheses can hold: e_1, e_2 in R^2, any k >= 1. *)
Definition basis2 (l : 'I_2) : 'cV[F]_2 :=
  if l == 0 then vec2 1 0 else vec2 0 1.

Lemma basis2_neq0 l : basis2 l != 0.
Proof.
by rewrite /basis2; case: ifP => _; apply: vec2_neq0; rewrite oner_eq0 ?orbT.
Qed.

Lemma basis2_nonparallel l l' (c : F) : l != l' -> basis2 l' != c *: basis2 l.
Proof.
by case: (ord2_split l) => ->; case: (ord2_split l') => -> //= _;
  apply/eqP => /vec2_scale [h0 h1]; rewrite ?mulr0 ?mulr1 in h0 h1;
  by [move/eqP: h0; rewrite oner_eq0 | move/eqP: h1; rewrite oner_eq0].
Qed.

Lemma ridge_powers_basis2 k (N : 'I_2 -> F) : (1 <= k)%N ->
  (forall x, \sum_(l < 2) N l * dot (basis2 l) x ^+ k = 0) ->
  forall l, N l = 0.
Proof.
by move=> k1; apply: (ridge_powers basis2_neq0 basis2_nonparallel k1).
Qed.

(** (2) Without non-parallelism: w_2 = -w_1, k = 2, N = (1, -1). *)
Definition antipodal (l : 'I_2) : 'cV[F]_2 :=
  if l == 0 then vec2 1 0 else vec2 (-1) 0.
Definition N_antipodal (l : 'I_2) : F := if l == 0 then 1 else -1.

Lemma ridge_powers_needs_nonparallel :
  [/\ forall l, antipodal l != 0,
      ~ (forall l l' (c : F), l != l' -> antipodal l' != c *: antipodal l),
      (2.-1 <= 2)%N,
      forall x, \sum_(l < 2) N_antipodal l * dot (antipodal l) x ^+ 2 = 0 &
      N_antipodal 0 != 0].
Proof.
split=> [l||//|x|]; last by rewrite oner_eq0.
- rewrite /antipodal; case: ifP => _; apply: vec2_neq0.
    by rewrite oner_eq0.
  by rewrite oppr_eq0 oner_eq0.
- move=> /(_ 0 1 (-1) isT); rewrite /antipodal /= scaleN1r.
  apply/negP; rewrite negbK; apply/eqP/matrixP => i j.
  by rewrite !mxE; case: (i == 0) => //; rewrite oppr0.
rewrite !big_ord_recl big_ord0 addr0 /antipodal /N_antipodal /= !dot_vec2.
by rewrite !mul0r !addr0 !mulN1r !mul1r sqrrN subrr.
Qed.

(** (3) Without k >= L - 1: e_1, e_2, e_1 + e_2 in R^2 (pairwise
    non-parallel), k = 1, N = (1, 1, -1). *)
Definition tri (l : 'I_3) : 'cV[F]_2 :=
  if l == 0 then vec2 1 0 else if l == 1 then vec2 0 1 else vec2 1 1.
Definition N_tri (l : 'I_3) : F := if l == 2%:R then -1 else 1.

Lemma ridge_powers_needs_degree :
  [/\ forall l, tri l != 0,
      forall l l' (c : F), l != l' -> tri l' != c *: tri l,
      ~ (3.-1 <= 1)%N,
      forall x, \sum_(l < 3) N_tri l * dot (tri l) x ^+ 1 = 0 &
      N_tri 0 != 0].
Proof.
split=> [l|l l' c|//|x|]; last by rewrite /N_tri /= oner_eq0.
- by rewrite /tri; case: ifP => _; [|case: ifP => _]; apply: vec2_neq0;
    rewrite oner_eq0 ?orbT.
- case: (ord3_split l) => ->; case: (ord3_split l') => -> //= _;
  apply/eqP => /vec2_scale [h0 h1]; rewrite ?mulr0 ?mulr1 in h0 h1;
  by [ move/eqP: h0; rewrite oner_eq0 | move/eqP: h1; rewrite oner_eq0
     | move: h1; rewrite -h0 => /eqP; rewrite eq_sym oner_eq0
     | move: h0; rewrite -h1 => /eqP; rewrite eq_sym oner_eq0 ].
rewrite !big_ord_recl big_ord0 addr0 /tri /N_tri /= !dot_vec2 !expr1.
by rewrite !mul1r !mul0r addr0 add0r mulN1r addrA subrr.
Qed.

(** (4) Without w_l != 0: L = 1, w_1 = 0, k = 1, N = 1 (non-parallelism
    is vacuous for L = 1). *)
Definition zero_ridge (l : 'I_1) : 'cV[F]_2 := 0.
Definition N_one (l : 'I_1) : F := 1.

Lemma ridge_powers_needs_nonzero :
  [/\ ~ (forall l, zero_ridge l != 0),
      forall l l' (c : F), l != l' -> zero_ridge l' != c *: zero_ridge l,
      (1.-1 <= 1)%N,
      forall x, \sum_(l < 1) N_one l * dot (zero_ridge l) x ^+ 1 = 0 &
      N_one 0 != 0].
Proof.
split=> [/(_ 0)|l l' c|//|x|]; last by rewrite oner_eq0.
- by rewrite eqxx.
- by rewrite !ord1 eqxx.
rewrite big_ord1 expr1 mul1r /dot big1 // => i _.
by rewrite mxE mul0r.
Qed.

End Instances.
