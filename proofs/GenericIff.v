(** * Claim 5 as corrected (BLUEPRINT Cor 6.3), ReLU type.

    σ(z) = (c/2) z + κ|z| with κ ≠ 0 (ReLU: c = 1, κ = 1/2; LeakyReLU_α:
    c = 1 + α, κ = (1 − α)/2).  Under (G0) and (G-line) a block is
    absorbable at some width m ≤ n iff some S satisfies (IC_c); the
    absorber is then the sign flip at width n.

    (G-line) forces d ≥ 2 as soon as n ≥ 2 ([Gline_d_ge2] below), so the
    blueprint's "d ≥ 2" is implied and not a separate hypothesis here.
    Dropping (G-line) makes the statement false: at d = 1, n = 2 every
    ReLU block is absorbable at width 2 while (IC_1) can fail
    ([relu_d1_counterexample] in ReluD1.v). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs SignFlip Kinks OddEven Classes.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

(** f's and g's rows as one family on 'I_n + 'I_m, with the coefficients
    a_i and −c_j. *)
Section Family.
Variables (R : ringType) (d n m : nat).
Variables (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).
Variables (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)).

Definition kw (k : 'I_n + 'I_m) : 'cV[R]_d :=
  match k with inl i => (row i Wu)^T | inr j => (row j U)^T end.
Definition kN (k : 'I_n + 'I_m) : 'cV[R]_d :=
  match k with inl i => col i Wd | inr j => - col j V end.

End Family.

(** A nonzero sum over Q has a nonzero term in Q. *)
Lemma sumr_neq0_ex (V : zmodType) (I : finType) (Q : pred I) (F : I -> V) :
  \sum_(j | Q j) F j != 0 -> exists j, Q j && (F j != 0).
Proof.
case: (pickP (fun j => Q j && (F j != 0))) => [j QFj | none]; first by exists j.
rewrite big1 ?eqxx // => j Qj; apply/eqP.
by have := none j; rewrite Qj /= => /negbT; rewrite negbK.
Qed.

Section ReluType.
Variables (R : realFieldType) (sigma : R -> R) (c kappa : R).
Hypothesis sigma_relu : forall z, sigma z = c / 2%:R * z + kappa * `|z|.

Lemma relu_type_odd z : sigma z - sigma (- z) = c * z.
Proof.
rewrite !sigma_relu mulrN normrN opprD opprK addrACA subrr addr0.
by rewrite -mulrDl -splitr.
Qed.

Lemma relu_type_even z : even_part sigma z = (kappa *+ 2) * `|z|.
Proof.
rewrite /even_part !sigma_relu mulrN normrN addrACA subrr add0r.
by rewrite mulr2n mulrDl.
Qed.

Variables (d n m : nat) (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).
Variables (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)).
Hypothesis kappa_neq0 : kappa != 0.
Hypothesis fg : forall x, block sigma A Wd Wu x = rf_block sigma V U x.

Local Notation b i := (row i Wu)^T.
Local Notation u j := (row j U)^T.


Lemma relu_even_sum x :
  \sum_i `|dot (b i) x| *: col i Wd = \sum_j `|dot (u j) x| *: col j V.
Proof.
have two_kappa : kappa *+ 2 != 0 by rewrite mulrn_eq0 negb_or kappa_neq0.
apply: (scalerI two_kappa); rewrite !scaler_sumr.
have := absorb_even fg x; rewrite !mulmx_mapE.
under eq_bigr do rewrite relu_type_even -scalerA.
by under [in RHS]eq_bigr do rewrite relu_type_even -scalerA.
Qed.

Lemma relu_kinkE x :
  \sum_k `|dot (kw Wu U k) x| *: kN Wd V k + 0 *m x = 0.
Proof.
rewrite mul0mx addr0 big_sumType /=.
under [X in _ + X]eq_bigr do rewrite scalerN.
by rewrite sumrN relu_even_sum subrr.
Qed.

Hypothesis G0_ : G0 Wd Wu.
Hypothesis Gline_ : Gline Wu.

(** (J_i) for f's line i: a_i = Σ_{u_j = t_j b_i} |t_j| c_j. *)
Lemma relu_jump i :
  \sum_(j | online (b i) (u j)) `|lam (b i) (u j)| *: col j V = col i Wd.
Proof.
have := kinks_line relu_kinkE (j := inl i) (proj2 (G0_ i)).
rewrite big_sumType /=.
rewrite (eq_bigl _ _ (fun k => online_family k (proj2 (G0_ i)) Gline_)).
rewrite big_pred1_eq lam_self ?normr1 ?scale1r; last exact: (proj2 (G0_ i)).
under eq_bigr do rewrite scalerN.
by rewrite sumrN => /subr0_eq.
Qed.

(** Neuron j of g serves neuron i of f. *)
Definition serves i j :=
  online (b i) (u j) && (`|lam (b i) (u j)| *: col j V != 0).

Lemma serves_ex i : exists j, serves i j.
Proof.
by apply: sumr_neq0_ex; rewrite relu_jump; exact: (proj1 (G0_ i)).
Qed.

Lemma serves_lam i j : serves i j -> lam (b i) (u j) != 0.
Proof.
by case/andP=> _; apply: contra_neq => ->; rewrite normr0 scale0r.
Qed.

Lemma serves_uniq i i' j : serves i j -> serves i' j -> i = i'.
Proof.
move=> sij si'j; have /andP [on _] := sij; have /andP [on' _] := si'j.
have := online_trans (proj2 (G0_ i)) on (serves_lam sij) on'.
by rewrite (online_family _ (proj2 (G0_ i)) Gline_) => /eqP.
Qed.

Hypothesis m_le_n : (m <= n)%N.

Lemma relu_match :
  exists phi : 'I_n -> 'I_m,
    [/\ bijective phi, forall i, serves i (phi i)
      & forall i j, serves i j -> j = phi i].
Proof. exact: match_bij serves_ex serves_uniq m_le_n. Qed.

Section Matched.
Variable phi : 'I_n -> 'I_m.
Hypothesis phiP : forall i, serves i (phi i).
Hypothesis phi_uniq : forall i j, serves i j -> j = phi i.

Local Notation t i := (lam (b i) (u (phi i))).

Lemma relu_matched_jump i : `|t i| *: col (phi i) V = col i Wd.
Proof.
rewrite -(relu_jump i) (bigID (fun j => `|lam (b i) (u j)| *: col j V != 0)).
rewrite /= [X in _ + X]big1 ?addr0 => [|j /andP [_ /negbNE /eqP] //].
rewrite (big_pred1 (phi i)) // => j; apply/idP/eqP; first exact: phi_uniq.
by move=> ->; exact: phiP.
Qed.

Definition flipped := [set i | t i < 0].

Lemma relu_signs i x :
  dot (u (phi i)) x *: col (phi i) V =
  (if i \in flipped then -1 else 1) * dot (b i) x *: col i Wd.
Proof.
have /andP [on _] := phiP i.
rewrite (dot_online _ on) -relu_matched_jump !scalerA inE [in RHS]mulrAC.
congr ((_ * _) *: _); case: (ltrP (t i) 0) => [t_lt0|t_ge0].
  by rewrite ltr0_norm // mulN1r opprK.
by rewrite ger0_norm // mul1r.
Qed.

End Matched.

Hypothesis c_neq0 : c != 0.

Theorem relu_only_if : exists S, index_condition c A Wd Wu S.
Proof.
have [phi [phi_bij phiP phi_uniq]] := relu_match.
exists (flipped phi); apply: (endgame (V := V) (U := U) (phi := phi)) => //.
- by rewrite pnatr_eq0.
- exact: relu_signs.
- exact: absorb_odd relu_type_odd fg.
Qed.

(** Cor 6.3, "moreover" (ReLU type): an absorber of width m ≤ n has
    width n, and after a permutation φ of its neurons u_{φ i} = t_i b_i
    with t_i ≠ 0 and |t_i| c_{φ i} = a_i (positive rescalings and sign
    flips). *)
Theorem relu_absorber_form :
  m = n /\
  exists phi : 'I_n -> 'I_m, bijective phi /\
    forall i, exists t, [/\ t != 0, u (phi i) = t *: b i
                         & `|t| *: col (phi i) V = col i Wd].
Proof.
have [phi [phi_bij phiP phi_uniq]] := relu_match.
split; first by have := bij_eq_card phi_bij; rewrite !card_ord.
exists phi; split=> // i; exists (lam (b i) (u (phi i))); split.
- exact: serves_lam (phiP i).
- by have /andP [/eqP] := phiP i.
- exact: relu_matched_jump.
Qed.

End ReluType.

(** The class-identifiable case (Thm 6.3 / Cor 6.3, second case):
    σ(z) = (c/2) z + e(z) with e even and class-identifiable. *)
Section ClassType.
Variables (R : realFieldType) (sigma e : R -> R) (c : R).
Hypothesis sigma_class : forall z, sigma z = c / 2%:R * z + e z.
Hypothesis e_even : forall z, e (- z) = e z.

Lemma class_type_odd z : sigma z - sigma (- z) = c * z.
Proof.
rewrite !sigma_class mulrN e_even opprD opprK addrACA subrr addr0.
by rewrite -mulrDl -splitr.
Qed.

Lemma class_type_even z : even_part sigma z = e z *+ 2.
Proof.
by rewrite /even_part !sigma_class mulrN e_even addrACA subrr add0r mulr2n.
Qed.

Variables (d n m : nat) (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).
Variables (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)).
Hypothesis e_ci : class_identifiable e.
Hypothesis fg : forall x, block sigma A Wd Wu x = rf_block sigma V U x.

Local Notation b i := (row i Wu)^T.
Local Notation u j := (row j U)^T.
Local Notation same := (same (kw Wu U)).

Lemma class_even_sum x :
  \sum_i e (dot (b i) x) *: col i Wd = \sum_j e (dot (u j) x) *: col j V.
Proof.
have two_neq0 : 2%:R != 0 :> R by rewrite pnatr_eq0.
apply: (scalerI two_neq0); rewrite !scaler_nat -!sumrMnl.
have := absorb_even fg x; rewrite !mulmx_mapE.
under eq_bigr do rewrite class_type_even -scalerMnl.
by under [in RHS]eq_bigr do rewrite class_type_even -scalerMnl.
Qed.

Lemma class_kinkE x : \sum_k e (dot (kw Wu U k) x) *: kN Wd V k = 0.
Proof.
rewrite big_sumType /=.
under [X in _ + X]eq_bigr do rewrite scalerN.
by rewrite sumrN class_even_sum subrr.
Qed.

Hypothesis G0_ : G0 Wd Wu.
Hypothesis Gclass_ : Gclass Wu.

Lemma same_rows i i' : same (inl i) (inl i') = (i' == i).
Proof.
have [->|i'i] := eqVneq i' i; first exact: same_refl.
by apply/negbTE; rewrite /same /= negb_or; apply: Gclass_; rewrite eq_sym.
Qed.

(** The class sum for f's class i: a_i = Σ_{u_j = ±b_i} c_j. *)
Lemma class_jump i : \sum_(j | same (inl i) (inr j)) col j V = col i Wd.
Proof.
have := class_sums e_even e_ci class_kinkE (k := inl i) (proj2 (G0_ i)).
rewrite big_sumType /= (eq_bigl _ _ (same_rows i)) big_pred1_eq.
under eq_bigr do rewrite -scaleN1r.
by rewrite -scaler_sumr scaleN1r => /subr0_eq.
Qed.

Definition cserves i j := same (inl i) (inr j) && (col j V != 0).

Lemma cserves_ex i : exists j, cserves i j.
Proof.
by apply: sumr_neq0_ex; rewrite class_jump; exact: (proj1 (G0_ i)).
Qed.

Lemma cserves_uniq i i' j : cserves i j -> cserves i' j -> i = i'.
Proof.
move=> /andP [sij _] /andP [si'j _]; apply/eqP; rewrite eq_sym -same_rows.
by apply: same_trans sij _; rewrite same_sym.
Qed.

Hypothesis m_le_n : (m <= n)%N.

Section Matched.
Variable phi : 'I_n -> 'I_m.
Hypothesis phiP : forall i, cserves i (phi i).
Hypothesis phi_uniq : forall i j, cserves i j -> j = phi i.

Lemma class_matched_jump i : col (phi i) V = col i Wd.
Proof.
rewrite -(class_jump i) (bigID (fun j => col j V != 0)) /=.
rewrite [X in _ + X]big1 ?addr0 => [|j /andP [_ /negbNE /eqP] //].
rewrite (big_pred1 (phi i)) // => j; apply/idP/eqP; first exact: phi_uniq.
by move=> ->; exact: phiP.
Qed.

Definition cflipped := [set i | u (phi i) == - b i].

Lemma class_signs i x :
  dot (u (phi i)) x *: col (phi i) V =
  (if i \in cflipped then -1 else 1) * dot (b i) x *: col i Wd.
Proof.
rewrite class_matched_jump inE; case: ifP => [/eqP -> | flip_i].
  by rewrite dotNl mulN1r.
have /andP [/orP [/eqP /= bE | /eqP /= bE] _] := phiP i.
  by rewrite -bE mul1r.
by move: flip_i; rewrite bE opprK eqxx.
Qed.

End Matched.

Hypothesis c_neq0 : c != 0.

Theorem class_only_if : exists S, index_condition c A Wd Wu S.
Proof.
have [phi [phi_bij phiP phi_uniq]] := match_bij cserves_ex cserves_uniq m_le_n.
exists (cflipped phi); apply: (endgame (V := V) (U := U) (phi := phi)) => //.
- by rewrite pnatr_eq0.
- exact: class_signs.
- exact: absorb_odd class_type_odd fg.
Qed.

(** Cor 6.3, "moreover" (class-identifiable case): an absorber of width
    m ≤ n has width n, and after a permutation φ of its neurons
    u_{φ i} = ±b_i and c_{φ i} = a_i. *)
Theorem class_absorber_form :
  m = n /\
  exists phi : 'I_n -> 'I_m, bijective phi /\
    forall i, ((u (phi i) == b i) || (u (phi i) == - b i)) /\
              col (phi i) V = col i Wd.
Proof.
have [phi [phi_bij phiP phi_uniq]] := match_bij cserves_ex cserves_uniq m_le_n.
split; first by have := bij_eq_card phi_bij; rewrite !card_ord.
exists phi; split=> // i; split; last exact: class_matched_jump.
have /andP [/orP [/eqP /= bE | /eqP /= bE] _] := phiP i.
  by rewrite bE eqxx.
by rewrite bE opprK eqxx orbT.
Qed.

End ClassType.

(** generic-iff, ReLU type (Corollary 6.3, first case): σ(z) =
    (c/2) z + κ|z|, c ≠ 0, κ ≠ 0, (G0) and (G-line).  f is absorbable at
    some width m ≤ n iff some S satisfies (IC_c): c W_down D_S W_up = −A;
    the "if" direction gives width exactly n (the sign flip). *)
Theorem generic_iff_relu (R : realFieldType) (sigma : R -> R) (c kappa : R)
    d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) :
  (forall z, sigma z = c / 2%:R * z + kappa * `|z|) ->
  c != 0 -> kappa != 0 -> G0 Wd Wu -> Gline Wu ->
  (exists2 m, (m <= n)%N & absorbable sigma A Wd Wu m) <->
  exists S, index_condition c A Wd Wu S.
Proof.
move=> sigma_relu c_neq0 kappa_neq0 G0_ Gline_.
split=> [[m m_le_n [V [U fg]]] | [S IC]].
  exact: (relu_only_if sigma_relu kappa_neq0 fg G0_ Gline_ m_le_n c_neq0).
exists n => //; exists Wd, (flip S *m Wu).
exact: sign_flip (relu_type_odd sigma_relu) IC.
Qed.

(** generic-iff, class-identifiable case (Corollary 6.3, second case):
    σ(z) = (c/2) z + e(z), e even and class-identifiable, c ≠ 0, (G0) and
    (G-class), any d.  f is absorbable at some width m ≤ n iff some S
    satisfies (IC_c); the "if" direction gives width exactly n. *)
Theorem generic_iff_class (R : realFieldType) (sigma e : R -> R) (c : R)
    d n (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) :
  (forall z, sigma z = c / 2%:R * z + e z) ->
  (forall z, e (- z) = e z) -> class_identifiable e ->
  c != 0 -> G0 Wd Wu -> Gclass Wu ->
  (exists2 m, (m <= n)%N & absorbable sigma A Wd Wu m) <->
  exists S, index_condition c A Wd Wu S.
Proof.
move=> sigma_class e_even e_ci c_neq0 G0_ Gclass_.
split=> [[m m_le_n [V [U fg]]] | [S IC]].
  exact: (class_only_if sigma_class e_even e_ci fg G0_ Gclass_ m_le_n c_neq0).
exists n => //; exists Wd, (flip S *m Wu).
exact: sign_flip (class_type_odd sigma_class e_even) IC.
Qed.

(** generic-iff (Corollary 6.3, claim 5 as corrected), both cases in one
    statement: (a) ReLU type with (G0), (G-line); (b) e even and
    class-identifiable with (G0), (G-class).  In each case, for c ≠ 0:
    absorbable at some width m ≤ n ⟺ ∃ S, c W_down D_S W_up = −A. *)
Theorem generic_iff :
  (forall (R : realFieldType) (sigma : R -> R) (c kappa : R) d n
          (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)),
     (forall z, sigma z = c / 2%:R * z + kappa * `|z|) ->
     c != 0 -> kappa != 0 -> G0 Wd Wu -> Gline Wu ->
     (exists2 m, (m <= n)%N & absorbable sigma A Wd Wu m) <->
     exists S, index_condition c A Wd Wu S)
  /\
  (forall (R : realFieldType) (sigma e : R -> R) (c : R) d n
          (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)),
     (forall z, sigma z = c / 2%:R * z + e z) ->
     (forall z, e (- z) = e z) -> class_identifiable e ->
     c != 0 -> G0 Wd Wu -> Gclass Wu ->
     (exists2 m, (m <= n)%N & absorbable sigma A Wd Wu m) <->
     exists S, index_condition c A Wd Wu S).
Proof. by split; [exact: @generic_iff_relu | exact: @generic_iff_class]. Qed.

(** (G-line) forces d ≥ 2 as soon as n ≥ 2: two vectors of R^d, d ≤ 1, are
    linearly dependent. *)
Section GlineDim.
Variable R : fieldType.

Lemma dep_small d (u v : 'cV[R]_d) : (d <= 1)%N -> ~ indep u v.
Proof.
case: d u v => [|[|//]] u v _ uv.
  have := uv 1 0; rewrite !scale0r scale1r addr0.
  have -> : u = 0 by apply/matrixP => [[]].
  by case=> // /eqP; rewrite oner_eq0.
have uv0 : v 0 0 *: u + (- u 0 0) *: v = 0.
  by apply/matrixP => i j; rewrite !ord1 !mxE mulrC mulNr subrr.
have [_ /eqP] := uv _ _ uv0; rewrite oppr_eq0 => /eqP u00.
have u0 : u = 0 by apply/matrixP => i j; rewrite !ord1 u00 mxE.
have := uv 1 0; rewrite u0 scaler0 scale0r addr0 => /(_ erefl) [/eqP].
by rewrite oner_eq0.
Qed.

Lemma Gline_d_ge2 d n (Wu : 'M[R]_(n, d)) :
  (1 < n)%N -> Gline Wu -> (1 < d)%N.
Proof.
move=> n_gt1 Gline_; rewrite ltnNge; apply/negP => d_le1.
pose i0 := Ordinal (ltn_trans (ltn0Sn 0) n_gt1); pose i1 := Ordinal n_gt1.
by apply: (dep_small d_le1 (Gline_ i0 i1 _)).
Qed.

End GlineDim.

(** The hypotheses of generic-iff (ReLU case) are satisfiable for every
    n = d: W_up = I, W_down = −I, A = I satisfy (G0), (G-line) and (IC_1)
    with S = [n]. *)
Lemma generic_iff_instance (R : fieldType) n :
  [/\ G0 (- 1%:M : 'M[R]_n) 1%:M, Gline (1%:M : 'M[R]_n)
    & index_condition 1 1%:M (- 1%:M : 'M[R]_n) 1%:M setT].
Proof.
have e_neq0 (i : 'I_n) : (row i (1%:M : 'M[R]_n))^T != 0.
  apply/negP => /eqP /matrixP /(_ i 0); rewrite !mxE eqxx /= => /eqP.
  by rewrite oner_eq0.
split.
- move=> i; split=> //; apply/negP => /eqP /matrixP /(_ i 0).
  by rewrite !mxE eqxx /= => /eqP; rewrite oppr_eq0 oner_eq0.
- move=> i j ij s t /matrixP st0; split.
    have := st0 i 0; rewrite !mxE eqxx eq_sym (negbTE ij) /=.
    by rewrite mulr1 mulr0 addr0.
  have := st0 j 0; rewrite !mxE eqxx (negbTE ij) /=.
  by rewrite mulr0 add0r mulr1.
- split; first exact: oner_neq0.
  have -> : DS [set: 'I_n] = 1%:M :> 'M[R]_n.
    by apply/matrixP => i j; rewrite !mxE inE.
  by rewrite scale1r mulmx1 mulNmx mul1mx.
Qed.

(** ReLU itself is of ReLU type with c = 1, κ = 1/2. *)
Lemma relu_typeE (R : realFieldType) (z : R) :
  relu z = 1 / 2%:R * z + 2%:R^-1 * `|z|.
Proof.
rewrite /relu mul1r -mulrDr; case: (lerP 0 z) => [z_ge0 | z_lt0].
  by rewrite ger0_norm // -mulr2n -[z *+ 2]mulr_natl mulKf // pnatr_eq0.
by rewrite ltr0_norm // subrr mulr0.
Qed.

(** Claim 5 for ReLU (c = 1), as corrected: under (G0) and (G-line) a ReLU
    block is absorbable at some width m ≤ n iff W_down D_S W_up = −A for
    some S. *)
Corollary generic_iff_ReLU (R : realFieldType) d n (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) :
  G0 Wd Wu -> Gline Wu ->
  (exists2 m, (m <= n)%N & absorbable (@relu R) A Wd Wu m) <->
  exists S, Wd *m DS S *m Wu = - A.
Proof.
move=> G0_ Gline_.
rewrite (@generic_iff_relu R (@relu R) 1 2%:R^-1 d n A Wd Wu
  (@relu_typeE R)) //.
- split=> [[S IC] | [S IC]]; exists S; move: IC.
    by move/index_condition1 => -> //; exact: oner_neq0.
  by move=> IC; apply/index_condition1 => //; exact: oner_neq0.
- exact: oner_neq0.
- by rewrite invr_eq0 pnatr_eq0.
Qed.
